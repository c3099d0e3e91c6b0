// Package huawei is the connector for Huawei Cloud Meeting: account or App
// ID sign-in, meetings listed by date, and one-time download tokens.
package huawei

import (
	"context"
	"iter"
	"net/http"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
	"cloudreel/fetch/pace"
)

// DefaultServer is the API of Huawei Cloud Meeting in China; international
// accounts use https://api-intl.meeting.huaweicloud.com.
const DefaultServer = "https://api.meeting.huaweicloud.com"

// PermissionMessage is what a person is told when downloadurls answers
// 403: the cause is on Huawei's side and the account's, not Cloudreel's.
const PermissionMessage = "Only enterprise administrators may download Huawei Cloud Meeting recordings, and Huawei must enable downloading for your enterprise."

// tokenLife is how long a download token lives (seed 004: one hour).
const tokenLife = time.Hour

// Config is what a Huawei Cloud Meeting account needs to connect: either
// Account and Password, or AppID and AppKey (with UserID and, for an SP's
// App ID, CorpID when they are given).
type Config struct {
	Server   string // API base, default https://api.meeting.huaweicloud.com
	Account  string // account sign-in: not secret
	Password string // account sign-in: secret
	AppID    string // App ID sign-in: not secret
	AppKey   string // App ID sign-in: secret
	UserID   string // App ID sign-in: empty signs in as the enterprise's default administrator
	CorpID   string // App ID sign-in: only for an SP's (multi-enterprise) App ID; empty for a single enterprise
	HTTP     *http.Client
	// Pace, when set, is the pace of API calls to keep instead of a new
	// one (which starts at DefaultRate and may creep up to MaxRate).
	Pace *pace.Pace
	// Pages is how many list pages, and how many meetings' files, are
	// asked for side by side (default 4).
	Pages int
}

// Huawei Cloud Meeting documents no rate for the calls Cloudreel makes
// (docs/platforms.md, "Rate limits and the pace of the list"): only how a
// throttled call is refused, by the API gateway in front of Meeting (HTTP
// 429, APIG.0308). So the pace starts at DefaultRate, the per-user
// figure Huawei's own pages give in that refusal ("policy user over
// ratelimit,limit:10,time:1 second"), and may creep up to MaxRate, the
// gateway's documented default for one API across all its callers (200
// a second; Meeting's CreateWebinar example answer shows the same
// default), which no account can exceed. Each 429 halves it; the
// Config.Pages calls in flight bind long before the ceiling does.
const (
	DefaultRate = 10
	MaxRate     = 200
)

// Connector talks to one Huawei Cloud Meeting account.
type Connector struct {
	cfg  Config
	base string // API base, without a trailing slash
	api  *fetch.APIClient
	now  func() time.Time // the clock token renewal goes by; tests move it
	// itemLimit, when set, is the page size asked for once offset is
	// known to count meetings, in place of itemPageLimit: the listing
	// benchmark sets 100 to play the walk before that limit was used.
	itemLimit int

	mu        sync.Mutex
	token     string
	expiresAt time.Time    // when the token dies
	renewAt   time.Time    // a little before expiresAt: renew from then on
	flight    *tokenFlight // the sign-in or renewal under way, if any
}

var _ fetch.Connector = (*Connector)(nil)

// New returns a connector for cfg. App ID sign-in is used when AppID is
// set, account sign-in otherwise. It does not sign in: Check does.
func New(cfg Config) (*Connector, error) {
	switch {
	case cfg.AppID != "":
		// The user ID is optional (empty: the enterprise's default
		// administrator), and so is the corp ID (only an SP's App ID has one).
		if cfg.AppKey == "" {
			return nil, fetch.NewError(fetch.KindInvalid, nil, lang.L("For App ID sign-in, enter the App ID and the App key."))
		}
		fetch.AddSecret(cfg.AppKey)
	case cfg.Account != "":
		if cfg.Password == "" {
			return nil, fetch.NewError(fetch.KindInvalid, nil, lang.L("Enter the password of the Huawei Cloud Meeting account."))
		}
		fetch.AddSecret(cfg.Password)
	default:
		return nil, fetch.NewError(fetch.KindInvalid, nil, lang.L("Enter either an account and password, or an App ID and App key."))
	}
	server, err := fetch.ServerBase(cfg.Server, DefaultServer, DefaultServer)
	if err != nil {
		return nil, err
	}
	if cfg.Pages <= 0 {
		cfg.Pages = 4
	}
	api := fetch.NewAPIClient(cfg.HTTP, DefaultRate)
	api.Pace = cfg.Pace
	if api.Pace == nil {
		api.Pace = pace.New(pace.Config{Start: DefaultRate, Ceiling: MaxRate})
	}
	return &Connector{cfg: cfg, base: server, api: api, now: time.Now}, nil
}

// Platform implements fetch.Connector.
func (c *Connector) Platform() fetch.Platform { return fetch.Huawei }

// Check signs in, reads one meeting of the last 30 days and, when there
// is one, asks for its download links: a non-administrator learns at once
// that downloads will be refused, not after queueing a hundred files.
func (c *Connector) Check(ctx context.Context) error {
	if _, err := c.accessToken(ctx, ""); err != nil {
		return err
	}
	now := c.now().UTC()
	page, err := c.filesPage(ctx, now.AddDate(0, 0, -30).UnixMilli(), now.UnixMilli(), 0, 1)
	if err != nil {
		return err
	}
	if len(page.Data) > 0 && !page.Data[0].transcoding() {
		if _, err := c.downloadURLs(ctx, page.Data[0].id()); err != nil {
			return err
		}
	}
	return nil
}

// List yields every meeting with recordings that started on a day of q,
// each with its files as downloadurls reports them. A meeting still being
// transcoded is yielded Pending, with the time Huawei expects it ready and
// no files: it is listed again later.
//
// The list's pages are asked for side by side (meetings), and so are
// each page's meetings' files: up to Config.Pages meetings at once, all on
// the connector's one pace, yielded in the list's order all the same. An
// error ends the listing where a walk one meeting after another would
// have met it.
func (c *Connector) List(ctx context.Context, q fetch.Query) iter.Seq2[fetch.Recording, error] {
	return func(yield func(fetch.Recording, error) bool) {
		from, to := queryMillis(q, c.now())
		err := c.meetings(ctx, from, to, func(ms []meeting) (bool, error) {
			more, failed := true, error(nil)
			pace.Ahead(ctx, c.cfg.Pages, len(ms), func(ctx context.Context, i int) detailed {
				return c.details(ctx, ms[i])
			}, func(_ int, d detailed) bool {
				if d.err != nil {
					failed = d.err
					return false
				}
				more = yield(d.rec, nil)
				return more
			})
			return more && failed == nil, failed
		})
		if err != nil {
			yield(fetch.Recording{}, err)
		}
	}
}

// detailed is one listed meeting with its files, or why they could not
// be read.
type detailed struct {
	rec fetch.Recording
	err error
}

// details reads a listed meeting's files: downloadurls for the links,
// then ShowRecordInfo's size and SHA-256, which prove each download
// whole. A meeting still being transcoded needs neither call.
func (c *Connector) details(ctx context.Context, m meeting) detailed {
	rec := m.recording()
	if rec.Pending {
		return detailed{rec: rec}
	}
	urls, err := c.downloadURLs(ctx, m.id())
	if err != nil {
		return detailed{err: err}
	}
	rec.Files = filesOf(m.id(), urls)
	sums, err := c.recordInfo(ctx, m.id())
	if err != nil {
		return detailed{err: err}
	}
	rec.Files = withChecksums(m.id(), rec.Files, urls, sums)
	return detailed{rec: rec}
}

// queryMillis is q as the list's mandatory startDate and endDate: the
// first and the last millisecond of q's days. An unset bound is the
// widest range that makes sense.
func queryMillis(q fetch.Query, now time.Time) (from, to int64) {
	start, end := q.From, q.To
	if start.IsZero() {
		start = time.Unix(0, 0)
	}
	if end.IsZero() {
		end = now
	}
	from = start.UTC().Truncate(24 * time.Hour).UnixMilli()
	to = end.UTC().Truncate(24*time.Hour).Add(24*time.Hour).UnixMilli() - 1
	return from, to
}

// Resolve asks downloadurls again (a token dies after one use, so one is
// never reused across attempts) and returns the file's link with its
// fresh token as the bare Authorization header.
func (c *Connector) Resolve(ctx context.Context, f fetch.File) (fetch.Source, error) {
	ref, err := parseRef(f.Ref)
	if err != nil {
		return fetch.Source{}, fetch.NewError(fetch.KindInvalid, err, lang.L("The file \"{{.ID}}\" has no Huawei meeting reference; list the recordings again.", map[string]any{"ID": f.ID}))
	}
	urls, err := c.downloadURLs(ctx, ref.confUUID)
	if err != nil {
		return fetch.Source{}, err
	}
	for _, p := range arrange(urls) {
		if p.fileType == ref.fileType && p.part == ref.part {
			fetch.AddSecret(p.Token)
			return fetch.Source{
				URL:       p.URL,
				Header:    http.Header{"Authorization": {p.Token}},
				SingleUse: true,
				Expires:   c.now().Add(tokenLife),
			}, nil
		}
	}
	return fetch.Source{}, fetch.NewError(fetch.KindNotFound, nil, lang.L("This file is no longer among the meeting's recordings on Huawei Cloud Meeting."))
}

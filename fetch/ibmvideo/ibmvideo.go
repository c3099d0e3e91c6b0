// Package ibmvideo is the connector for IBM Video Streaming: OAuth2 client
// credentials, the user's video list, and MP4 downloads that the platform
// has to prepare first.
package ibmvideo

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"cloudreel/fetch"
	"cloudreel/fetch/pace"
)

// The platform's public addresses, used when an account names no server.
const (
	DefaultServer   = "https://api.video.ibm.com"
	DefaultTokenURL = "https://video.ibm.com/oauth2/token"
)

// pageSize is the largest page IBM's video list gives.
const pageSize = 50

// Config is what an IBM Video Streaming account needs to connect.
type Config struct {
	Server string // API base, default https://api.video.ibm.com
	// TokenURL is the OAuth2 token endpoint, for private deployments whose
	// token endpoint is elsewhere. Empty: IBM's documented
	// https://video.ibm.com/oauth2/token for the documented API base (which
	// is on another host), else <Server>/oauth2/token.
	TokenURL     string
	ClientID     string // not secret
	ClientSecret string // secret
	HTTP         *http.Client
	// PollInterval is how long Resolve tells the queue to wait before
	// asking again while IBM prepares a file (default 15s).
	PollInterval time.Duration
	// Pace, when set, is the pace of API calls to keep instead of a new
	// one (which starts at DefaultRate and may creep up to MaxRate).
	Pace *pace.Pace
	// Pages is how many pages of the video list are asked for side by
	// side once the first answer shows that they are numbered (default 4).
	Pages int
}

// IBM documents that "some endpoints" are rate-limited, with
// X-RateLimit-* headers, but gives no figure; Cloudreel starts at 5 calls
// a second and lets the pace feel its way up to 10.
const (
	DefaultRate = 5
	MaxRate     = 10
)

// Connector talks to one IBM Video Streaming account.
type Connector struct {
	cfg       Config
	base      *url.URL // API base, without a trailing slash
	api       *fetch.APIClient
	creds     clientcredentials.Config
	tokenHTTP *http.Client // the oauth2 package's client: through api, so limits and retries apply

	mu  sync.Mutex
	tok *oauth2.Token
}

var (
	_ fetch.Connector = (*Connector)(nil)
	_ fetch.Preparer  = (*Connector)(nil)
)

// New returns a connector for cfg. It does not sign in: Check does.
func New(cfg Config) (*Connector, error) {
	if strings.TrimSpace(cfg.ClientID) == "" || cfg.ClientSecret == "" {
		return nil, fetch.NewError(fetch.KindInvalid, nil, lang.L("Enter the client ID and client secret of your IBM Video Streaming API credentials."))
	}
	server, err := fetch.ServerBase(cfg.Server, DefaultServer, DefaultServer)
	if err != nil {
		return nil, err
	}
	base, err := url.Parse(server)
	if err != nil {
		return nil, fmt.Errorf("reading the server address %q: %w", server, err)
	}
	tokenURL, err := tokenEndpoint(cfg.TokenURL, base)
	if err != nil {
		return nil, err
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 15 * time.Second
	}
	if cfg.Pages <= 0 {
		cfg.Pages = 4
	}
	fetch.AddSecret(cfg.ClientSecret)
	api := fetch.NewAPIClient(cfg.HTTP, DefaultRate)
	api.Pace = cfg.Pace
	if api.Pace == nil {
		api.Pace = pace.New(pace.Config{Start: DefaultRate, Ceiling: MaxRate})
	}
	return &Connector{
		cfg:  cfg,
		base: base,
		api:  api,
		creds: clientcredentials.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			TokenURL:     tokenURL,
			// The secret goes by HTTP Basic, as IBM documents; client_id
			// is a required form parameter besides (the oauth2 package
			// sends it only with AuthStyleInParams, which would put the
			// secret in the form too).
			AuthStyle:      oauth2.AuthStyleInHeader,
			EndpointParams: url.Values{"client_id": {cfg.ClientID}},
		},
		tokenHTTP: &http.Client{Transport: apiTransport{api}},
	}, nil
}

// tokenEndpoint is the token URL for an account: the one given, IBM's
// documented one when the API base is IBM's own (the token endpoint lives
// on video.ibm.com, not api.video.ibm.com), else the API host's
// /oauth2/token (a private deployment, or the simulator).
func tokenEndpoint(given string, api *url.URL) (string, error) {
	if strings.TrimSpace(given) != "" {
		u, err := fetch.ServerBase(given, "", DefaultTokenURL)
		if err != nil {
			return "", err
		}
		return u, nil
	}
	def, _ := url.Parse(DefaultServer)
	if strings.EqualFold(api.Hostname(), def.Hostname()) && api.Scheme == "https" &&
		(api.Port() == "" || api.Port() == "443") && strings.Trim(api.Path, "/") == "" {
		return DefaultTokenURL, nil
	}
	u := *api
	u.Path = strings.TrimSuffix(u.Path, "/") + "/oauth2/token"
	return u.String(), nil
}

// Platform implements fetch.Connector.
func (c *Connector) Platform() fetch.Platform { return fetch.IBMVideo }

// Check signs in and reads one video of the list.
func (c *Connector) Check(ctx context.Context) error {
	if _, err := c.token(ctx, ""); err != nil {
		return err
	}
	var page videoPage
	return c.call(ctx, http.MethodGet, c.endpoint("/users/self/videos.json", url.Values{"page": {"1"}, "pagesize": {"1"}}), &page)
}

// List yields every video of the user (private ones included: the user
// list shows them, the channel list does not) created on a day of q.
// When the first page's paging.next is the same list at page=2, the
// pages are numbered, and up to Config.Pages of them are asked for side
// by side; the videos still come in the list's order.
func (c *Connector) List(ctx context.Context, q fetch.Query) iter.Seq2[fetch.Recording, error] {
	return func(yield func(fetch.Recording, error) bool) {
		params := url.Values{"page": {"1"}, "pagesize": {strconv.Itoa(pageSize)}}
		if !q.From.IsZero() {
			params.Set("filter[fromdate]", strconv.FormatInt(dayStart(q.From).Unix(), 10))
		}
		if !q.To.IsZero() {
			params.Set("filter[todate]", strconv.FormatInt(dayStart(q.To).Add(24*time.Hour-time.Second).Unix(), 10))
		}
		first := c.endpoint("/users/self/videos.json", params)
		seen := map[string]bool{}
		// take yields a page's new videos and says where the list goes
		// on ("" at its end), or stop when the walk ends here.
		take := func(page videoPage) (next string, stop bool) {
			for _, v := range page.Videos {
				if v.ID == "" || seen[string(v.ID)] {
					continue
				}
				seen[string(v.ID)] = true
				rec := v.recording()
				// The server filters already; this keeps the promise of
				// q even for a server that ignored the filter.
				if !inQuery(q, rec.Start) {
					continue
				}
				if !yield(rec, nil) {
					return "", true
				}
			}
			if len(page.Videos) == 0 {
				return "", true
			}
			n, err := c.nextPage(page.Paging.Next.Href)
			if err != nil {
				yield(fetch.Recording{}, err)
				return "", true
			}
			return n, n == ""
		}
		var page videoPage
		if err := c.call(ctx, http.MethodGet, first, &page); err != nil {
			yield(fetch.Recording{}, err)
			return
		}
		next, stop := take(page)
		if stop {
			return
		}
		if numbered, ok := numberedPages(first, next); ok {
			c.pagesSideBySide(ctx, numbered, take, yield)
			return
		}
		visited := map[string]bool{first: true}
		for next != "" && !visited[next] {
			visited[next] = true
			var page videoPage
			if err := c.call(ctx, http.MethodGet, next, &page); err != nil {
				yield(fetch.Recording{}, err)
				return
			}
			if next, stop = take(page); stop {
				return
			}
		}
	}
}

// numberedPages reports whether next, the first page's paging.next, is
// the first page's list at page=2, and if so returns the address of
// page n (from 2 on): the pages can then be asked for before the one
// before them has answered.
func numberedPages(first, next string) (func(n int) string, bool) {
	a, errA := url.Parse(first)
	b, errB := url.Parse(next)
	if errA != nil || errB != nil || a.Path != b.Path || b.Query().Get("page") != "2" {
		return nil, false
	}
	qa, qb := a.Query(), b.Query()
	for _, k := range []string{"page", "pagesize"} {
		qa.Del(k)
		qb.Del(k)
	}
	if qa.Encode() != qb.Encode() {
		return nil, false
	}
	return func(n int) string {
		u := *b
		v := u.Query()
		v.Set("page", strconv.Itoa(n))
		u.RawQuery = v.Encode()
		return u.String()
	}, true
}

// pagesSideBySide walks pages 2, 3, … with up to Config.Pages asked for
// at once, taking them in order until one says the list ends; pages asked
// for past the end are dropped unread, errors and all.
func (c *Connector) pagesSideBySide(ctx context.Context, page func(n int) string, take func(videoPage) (string, bool), yield func(fetch.Recording, error) bool) {
	type answer struct {
		page videoPage
		err  error
	}
	pace.Ahead(ctx, c.cfg.Pages, -1, func(ctx context.Context, i int) answer {
		var a answer
		a.err = c.call(ctx, http.MethodGet, page(i+2), &a.page)
		return a
	}, func(_ int, a answer) bool {
		if a.err != nil {
			yield(fetch.Recording{}, a.err)
			return false
		}
		_, stop := take(a.page)
		return !stop
	})
}

// nextPage checks that paging.next stays on the API's own host: the
// bearer token goes with it, and must not go anywhere else.
func (c *Connector) nextPage(href string) (string, error) {
	if href == "" {
		return "", nil
	}
	u, err := c.base.Parse(href)
	if err != nil || u.Scheme != c.base.Scheme || u.Host != c.base.Host {
		return "", fetch.NewError(fetch.KindInvalid, err, lang.L("IBM Video Streaming pointed the next page of videos at another server ({{.Host}}); Cloudreel did not follow it.", map[string]any{"Host": hostOf(u)}))
	}
	return u.String(), nil
}

func hostOf(u *url.URL) string {
	if u == nil {
		return "an unreadable address"
	}
	return u.Host
}

// Prepare asks IBM to generate the MP4 of a video. It returns at once;
// Resolve reports when the file is ready.
func (c *Connector) Prepare(ctx context.Context, f fetch.File) error {
	_, err := c.downloadable(ctx, http.MethodPost, f)
	return err
}

// Resolve returns the MP4's download link once IBM has it ready. While
// IBM is still generating it, the error is of KindPreparing with Retry
// set; a video nobody asked for yet is asked for here.
func (c *Connector) Resolve(ctx context.Context, f fetch.File) (fetch.Source, error) {
	d, err := c.downloadable(ctx, http.MethodGet, f)
	if err != nil {
		return fetch.Source{}, err
	}
	if d.Status == "unavailable" || d.Status == "" || (d.Status == "available" && d.expired()) {
		if d, err = c.downloadable(ctx, http.MethodPost, f); err != nil {
			return fetch.Source{}, err
		}
	}
	switch d.Status {
	case "available":
		if d.DownloadURL == "" || d.expired() {
			return fetch.Source{}, fetch.NewError(fetch.KindInvalid, nil, lang.L("IBM Video Streaming said the video \"{{.ID}}\" is ready but gave no usable link.", map[string]any{"ID": f.RecordingID}))
		}
		src := fetch.Source{URL: d.DownloadURL}
		if d.ExpiresAt > 0 {
			src.Expires = time.Unix(int64(d.ExpiresAt), 0).UTC()
		}
		return src, nil
	case "pending", "unavailable":
		return fetch.Source{}, &fetch.Error{Kind: fetch.KindPreparing, Retry: c.cfg.PollInterval,
			Message: lang.L("IBM Video Streaming is still preparing this video for download; Cloudreel will check again shortly.")}
	}
	return fetch.Source{}, fetch.NewError(fetch.KindInvalid, nil, lang.L("IBM Video Streaming answered with a download status Cloudreel does not know (\"{{.Status}}\").", map[string]any{"Status": d.Status}))
}

// downloadable GETs (polls) or POSTs (requests) the MP4 of f's video.
func (c *Connector) downloadable(ctx context.Context, method string, f fetch.File) (downloadable, error) {
	id := f.Ref
	if id == "" {
		return downloadable{}, fetch.NewError(fetch.KindInvalid, nil, lang.L("The file \"{{.ID}}\" has no IBM video id; list the recordings again.", map[string]any{"ID": f.ID}))
	}
	var resp downloadableResponse
	err := c.call(ctx, method, c.endpoint("/videos/"+url.PathEscape(id)+"/downloadable/mp4.json", nil), &resp)
	if err != nil {
		return downloadable{}, fmt.Errorf("asking IBM for the MP4 of video %s: %w", id, err)
	}
	return resp.Downloadable, nil
}

// endpoint is an absolute API URL.
func (c *Connector) endpoint(path string, q url.Values) string {
	u := *c.base
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawQuery = q.Encode()
	return u.String()
}

func dayStart(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// inQuery is q.Contains, with an unset bound meaning "no bound".
func inQuery(q fetch.Query, t time.Time) bool {
	if q.From.IsZero() && q.To.IsZero() {
		return true
	}
	if q.From.IsZero() {
		q.From = time.Unix(0, 0)
	}
	if q.To.IsZero() {
		q.To = time.Now().AddDate(100, 0, 0)
	}
	return q.Contains(t)
}

// ErrNoToken says IBM's token endpoint answered without an access token.
var ErrNoToken = errors.New("the token endpoint returned no access token")

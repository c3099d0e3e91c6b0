package huawei

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

func newSim(t *testing.T, n int) *sim.Server {
	t.Helper()
	s := sim.New(sim.Config{Recordings: n, MinSize: 2 << 10, MaxSize: 8 << 10})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	s.SetURL(hs.URL)
	return s
}

// accountConfig, appConfig and singleAppConfig are the simulator's
// accounts in each way of signing in: an account, an SP's App ID (with
// the corp ID) and a single enterprise's App ID (without one).
func accountConfig(s *sim.Server) Config {
	c := s.Config().Credentials
	return Config{Server: s.BaseURL(fetch.Huawei), Account: c.HuaweiAccount, Password: c.HuaweiPwd}
}

func appConfig(s *sim.Server) Config {
	c := s.Config().Credentials
	return Config{Server: s.BaseURL(fetch.Huawei), AppID: c.HuaweiAppID, AppKey: c.HuaweiKey, UserID: c.HuaweiUserID, CorpID: c.HuaweiCorp}
}

func singleAppConfig(s *sim.Server) Config {
	c := s.Config().Credentials
	return Config{Server: s.BaseURL(fetch.Huawei), AppID: c.HuaweiSingleAppID, AppKey: c.HuaweiKey, UserID: c.HuaweiUserID}
}

// connect builds a connector with short backoffs and, unless cfg brings
// its own pace, no client-side limit, so that tests stay fast.
func connect(t *testing.T, cfg Config) *Connector {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.api.Backoff = time.Millisecond
	c.api.Limiter = nil
	if cfg.Pace == nil {
		c.api.Pace = nil
	}
	return c
}

func collect(c *Connector, q fetch.Query) ([]fetch.Recording, error) {
	var out []fetch.Recording
	for r, err := range c.List(context.Background(), q) {
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

var everything = fetch.Query{From: time.Unix(0, 0), To: time.Now().AddDate(0, 0, 1)}

func TestSignInEveryWay(t *testing.T) {
	s := newSim(t, 3)
	noUser := singleAppConfig(s)
	noUser.UserID = ""
	spNoUser := appConfig(s)
	spNoUser.UserID = ""
	for _, tc := range []struct {
		name  string
		cfg   Config
		route string
	}{
		{"account", accountConfig(s), "POST /huawei/v1/usg/acs/auth/account"},
		{"SP App ID", appConfig(s), "POST /huawei/v2/usg/acs/auth/appauth"},
		{"single-enterprise App ID", singleAppConfig(s), "POST /huawei/v2/usg/acs/auth/appauth"},
		{"single-enterprise App ID, default administrator", noUser, "POST /huawei/v2/usg/acs/auth/appauth"},
		{"SP App ID, the enterprise's default administrator", spNoUser, "POST /huawei/v2/usg/acs/auth/appauth"},
	} {
		before := s.Requests(tc.route)
		c := connect(t, tc.cfg)
		for i := 0; i < 2; i++ {
			if err := c.Check(context.Background()); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
		}
		if n := s.Requests(tc.route) - before; n != 1 {
			t.Fatalf("%s: signed in %d times, want 1 (the token is cached)", tc.name, n)
		}
		recs, err := collect(c, everything)
		if err != nil || len(recs) != 3 || len(recs[0].Files) != 3 {
			t.Fatalf("%s: listed %d meetings, %v", tc.name, len(recs), err)
		}
	}
}

func TestWrongSecretsAreKindAuth(t *testing.T) {
	s := newSim(t, 3)
	wrongPwd := accountConfig(s)
	wrongPwd.Password = "not-the-password"
	wrongKey := appConfig(s)
	wrongKey.AppKey = "not-the-app-key"
	// A single enterprise's App ID given a corp ID signs and sends it as an
	// SP's would, which Huawei refuses.
	singleWithCorp := singleAppConfig(s)
	singleWithCorp.CorpID = s.Config().Credentials.HuaweiCorp
	for _, tc := range []struct {
		cfg    Config
		secret string
		says   string
	}{
		{wrongPwd, wrongPwd.Password, "account or password"},
		{wrongKey, wrongKey.AppKey, "App ID, App key, user ID or corp ID"},
		{singleWithCorp, "", "App ID, App key, user ID or corp ID"},
	} {
		err := connect(t, tc.cfg).Check(context.Background())
		if fetch.KindOf(err) != fetch.KindAuth || !strings.Contains(fetch.Plain(err), tc.says) {
			t.Fatalf("want KindAuth about the %s, got %v", tc.says, err)
		}
		if tc.secret != "" && strings.Contains(err.Error(), tc.secret) {
			t.Fatalf("the secret leaked: %q", err.Error())
		}
	}
	if _, err := New(Config{AppID: "x"}); fetch.KindOf(err) != fetch.KindInvalid {
		t.Fatalf("App ID without key: %v", err)
	}
	if _, err := New(Config{AppID: "x", AppKey: "k"}); err != nil {
		t.Fatalf("App ID without user ID or corp ID: %v", err)
	}
	if _, err := New(Config{}); fetch.KindOf(err) != fetch.KindInvalid {
		t.Fatalf("no credentials: %v", err)
	}
}

// TestListEveryPageInBothReadings lists 250 meetings with the simulator
// playing each reading of the list's paging.
func TestListEveryPageInBothReadings(t *testing.T) {
	for _, tc := range []struct {
		name      string
		pageIndex bool
		calls     int // list requests over the three queries below
	}{
		// 250 meetings: offsets 0, 1 (the probe), 101 (500 asked for:
		// the rest); 161 meetings: 0, 1, 101.
		{"item offset", false, 3 + 3 + 3},
		// 250 meetings: pages 0, 1 (the probe), 2; 161: pages 0, 1.
		{"page index", true, 3 + 2 + 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, 250)
			s.Faults().Update(func(f *sim.FaultSet) { f.HuaweiPageIndex = tc.pageIndex })
			c := connect(t, accountConfig(s))
			recs := s.Recordings(fetch.Huawei)
			for _, q := range []fetch.Query{everything, {From: recs[180].Start, To: recs[20].Start}, {}} {
				want := map[string]*sim.Recording{}
				for _, r := range recs {
					if q.From.IsZero() || q.Contains(r.Start) {
						want[r.ID] = r
					}
				}
				got, err := collect(c, q)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Fatalf("listed %d, the simulator has %d", len(got), len(want))
				}
				seen := map[string]bool{}
				for _, r := range got {
					w := want[r.ID]
					if w == nil || seen[r.ID] {
						t.Fatalf("unexpected or repeated meeting %s", r.ID)
					}
					seen[r.ID] = true
					if r.Title != w.Title || !r.Start.Equal(w.Start) || r.Duration != w.Duration || len(r.Files) != len(w.Files) {
						t.Fatalf("meeting %s: got %+v, want %+v", r.ID, r, w)
					}
				}
			}
			if n := s.Requests("GET /huawei/v1/mmc/management/record/files"); n != tc.calls {
				t.Fatalf("%d list requests, want %d", n, tc.calls)
			}
		})
	}
}

// TestListOneBasedPageIndex covers the third reading the detection
// allows for, on a fake server: offset is a page index counted from 1
// (and 0 is read as the first page too).
func TestListOneBasedPageIndex(t *testing.T) {
	const total = 230
	var (
		mu      sync.Mutex
		offsets []string
	)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v1/usg/acs/auth/account":
			_, _ = io.WriteString(w, `{"accessToken":"fake-token-123","validPeriod":43200}`)
		case "/v1/mmc/management/record/files":
			q := r.URL.Query()
			mu.Lock()
			offsets = append(offsets, q.Get("offset"))
			mu.Unlock()
			page := max(mustAtoi(q.Get("offset")), 1)
			var items []string
			for i := (page - 1) * 100; i < min(page*100, total); i++ {
				items = append(items, `{"confUUID":"m`+strconv.Itoa(i)+`","subject":"s","startTime":1700000000000,"rcdTime":60,"rcdSize":1}`)
			}
			_, _ = io.WriteString(w, `{"count":`+strconv.Itoa(total)+`,"data":[`+strings.Join(items, ",")+`]}`)
		default:
			_, _ = io.WriteString(w, `{"recordUrls":[{"confUuid":"`+r.URL.Query().Get("confUUID")+`","urls":[{"token":"t","fileType":"Hd","url":"https://x/videoHD/0_0.mp4"}]}]}`)
		}
	}))
	defer api.Close()
	c := connect(t, Config{Server: api.URL, Account: "a", Password: "password"})
	got, err := collect(c, everything)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range got {
		seen[r.ID] = true
	}
	if len(got) != total || len(seen) != total {
		t.Fatalf("listed %d (%d different), want %d", len(got), len(seen), total)
	}
	// Pages 2 and 3 are asked for side by side, in either order.
	slices.Sort(offsets)
	if strings.Join(offsets, ",") != "0,1,2,3" {
		t.Fatalf("offsets asked for: %v", offsets)
	}
}

func TestMandatoryDatesAreAlwaysSent(t *testing.T) {
	s := newSim(t, 5)
	got, err := collect(connect(t, appConfig(s)), fetch.Query{})
	if err != nil || len(got) != 5 {
		t.Fatalf("with an empty query: %d meetings, %v", len(got), err)
	}
}

func TestSplitMeetingFiles(t *testing.T) {
	s := newSim(t, 3)
	got, err := collect(connect(t, accountConfig(s)), everything)
	if err != nil {
		t.Fatal(err)
	}
	kinds := func(r fetch.Recording) string {
		var k []string
		for _, f := range r.Files {
			if f.Ext != "mp4" || f.Size <= 0 || len(f.SHA256) != 64 || f.RecordingID != r.ID || f.Ref != f.ID || !strings.HasPrefix(f.Ref, r.ID+"/") {
				t.Fatalf("file %+v", f)
			}
			k = append(k, f.Kind)
		}
		return strings.Join(k, ",")
	}
	if k := kinds(got[0]); k != "Aux,Hd,Sd" {
		t.Fatalf("an ordinary meeting's files: %s", k)
	}
	if k := kinds(got[1]); k != "Aux part 1,Aux part 2,Hd part 1,Hd part 2,Sd part 1,Sd part 2" {
		t.Fatalf("a split meeting's files: %s", k)
	}
}

func TestRetriesOn429And5xx(t *testing.T) {
	s := newSim(t, 4)
	c := connect(t, accountConfig(s))
	s.Faults().Update(func(f *sim.FaultSet) { f.RateLimited, f.RetryAfter, f.ServerErrors = 2, time.Millisecond, 1 })
	got, err := collect(c, everything)
	if err != nil || len(got) != 4 {
		t.Fatalf("%d meetings, %v", len(got), err)
	}
	if n := s.Requests("POST /huawei/v1/usg/acs/auth/account"); n != 4 {
		t.Fatalf("sign-in tried %d times, want 3 refused + 1", n)
	}
	s.Faults().Update(func(f *sim.FaultSet) { f.ServerErrors = 2 })
	before := s.Requests("GET /huawei/v1/mmc/management/record/files")
	if got, err := collect(c, everything); err != nil || len(got) != 4 {
		t.Fatalf("with 503s: %d meetings, %v", len(got), err)
	}
	if n := s.Requests("GET /huawei/v1/mmc/management/record/files") - before; n != 3 {
		t.Fatalf("%d list requests, want 2 refused + 1", n)
	}
}

func TestResolveGivesAFreshOneTimeTokenEachTime(t *testing.T) {
	s := newSim(t, 3)
	c := connect(t, accountConfig(s))
	recs, err := collect(c, everything)
	if err != nil {
		t.Fatal(err)
	}
	f := recs[1].Files[3] // Hd part 2 of the split meeting
	var simFile *sim.File
	for _, sf := range s.Recordings(fetch.Huawei)[1].Files {
		if sf.Kind == "Hd" && sf.Part == 2 {
			simFile = sf
		}
	}
	ctx := context.Background()
	a, err := c.Resolve(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	tok := a.Header.Get("Authorization")
	if !a.SingleUse || tok == "" || strings.Contains(tok, " ") || a.Expires.Before(time.Now().Add(59*time.Minute)) || !strings.HasSuffix(a.URL, "/videoHD/0_1.mp4") {
		t.Fatalf("source: %+v", a)
	}
	if code, sum := fetchMedia(t, http.MethodGet, a); code != 200 || sum != sim.ContentSHA256(simFile) {
		t.Fatalf("first GET: %d, right bytes: %v", code, sum == sim.ContentSHA256(simFile))
	}
	if code, _ := fetchMedia(t, http.MethodGet, a); code == 200 {
		t.Fatal("a spent token was accepted again")
	}
	b, err := c.Resolve(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if b.Header.Get("Authorization") == tok || b.URL != a.URL {
		t.Fatalf("the second Resolve did not bring a new token for the same file: %+v", b)
	}
	if code, _ := fetchMedia(t, http.MethodGet, b); code != 200 {
		t.Fatalf("GET with the new token: %d", code)
	}
	// Where a HEAD spends the token, the GET after it is refused: the
	// queue must not HEAD a SingleUse source.
	s.Faults().Update(func(fs *sim.FaultSet) { fs.HeadSpendsToken = true })
	h, err := c.Resolve(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := fetchMedia(t, http.MethodHead, h); code != 200 {
		t.Fatalf("HEAD: %d", code)
	}
	if code, _ := fetchMedia(t, http.MethodGet, h); code == 200 {
		t.Fatal("the token survived a spending HEAD")
	}
	if _, err := c.Resolve(ctx, fetch.File{ID: "x", Ref: recs[0].ID + "/Hd/5"}); fetch.KindOf(err) != fetch.KindNotFound {
		t.Fatalf("a part that does not exist: %v", err)
	}
	if _, err := c.Resolve(ctx, fetch.File{ID: "x", Ref: "00000000000000000000000000000000/Hd/0"}); fetch.KindOf(err) != fetch.KindNotFound {
		t.Fatalf("a meeting that does not exist: %v", err)
	}
}

func TestNotAdministratorIsTold(t *testing.T) {
	s := newSim(t, 2)
	c := connect(t, accountConfig(s))
	recs, err := collect(c, everything)
	if err != nil {
		t.Fatal(err)
	}
	s.SetHuaweiAdmin(false)
	_, err = c.Resolve(context.Background(), recs[0].Files[0])
	if fetch.KindOf(err) != fetch.KindPermission || fetch.Plain(err) != PermissionMessage {
		t.Fatalf("Resolve: %v (%q)", err, fetch.Plain(err))
	}
	if PermissionMessage != "Only enterprise administrators may download Huawei Cloud Meeting recordings, and Huawei must enable downloading for your enterprise." {
		t.Fatal("the message changed")
	}
	if err := c.Check(context.Background()); fetch.Plain(err) != PermissionMessage {
		t.Fatalf("Check: %v", err)
	}
	if _, err := collect(c, everything); fetch.KindOf(err) != fetch.KindPermission {
		t.Fatalf("List: %v", err)
	}
}

func mustAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func fetchMedia(t *testing.T, method string, src fetch.Source) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, src.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range src.Header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	h := sha256.New()
	_, _ = io.Copy(h, resp.Body)
	return resp.StatusCode, hex.EncodeToString(h.Sum(nil))
}

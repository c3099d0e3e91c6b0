package gui

import (
	"net"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/fetch"
)

// openAddAccount opens the add-account dialog as "Add an account" does.
func openAddAccount(h *harness) *accountDialog {
	d := newAccountDialog(h.w, nil)
	h.ui(d.show)
	return d
}

// dialogTexts are the texts the dialog draws: labels, hints, placeholders.
func dialogTexts(h *harness) []string {
	var out []string
	for _, c := range find(h.overlay(), (func(*canvas.Text) bool)(nil)) {
		if c.Text != "" {
			out = append(out, c.Text)
		}
	}
	return out
}

// hintOf is the hint drawn under a form field.
func hintOf(d *accountDialog, label string) string {
	for _, it := range d.form.Items {
		if it.Text == label {
			return it.HintText
		}
	}
	return "(no field " + label + ")"
}

func TestSwitchingPlatformStartsTheFormAgain(t *testing.T) {
	h := newHarness(t, smallSim)
	d := openAddAccount(h)
	h.ui(func() {
		test.Tap(d.save)
		if d.status.Text != "Choose the platform first." {
			t.Fatalf("Save without a platform says %q", d.status.Text)
		}
		d.platform.SetSelected(fetch.IBMVideo.Title())
		if d.status.Text != "" {
			t.Errorf("%q stays after choosing a platform", d.status.Text)
		}
		test.Type(d.secret, "the-ibm-secret")
		test.Tap(d.save)
		if d.status.Text != "Please fill in the client ID." {
			t.Errorf("IBM without a client ID says %q", d.status.Text)
		}
		ibmHint := hintOf(d, "Client secret")

		d.platform.SetSelected(fetch.ZoomSDK.Title())
		if d.secret.Text != "" || d.status.Text != "" {
			t.Errorf("Zoom's secret box holds %q and the message %q from IBM", d.secret.Text, d.status.Text)
		}
		texts := strings.Join(dialogTexts(h), "\n")
		if strings.Contains(texts, ibmHint) {
			t.Errorf("IBM's hint %q is still drawn for Zoom", ibmHint)
		}
		if want := hintOf(d, "API secret"); !strings.Contains(texts, want) {
			t.Errorf("Zoom's hint %q is not drawn under its secret; the dialog draws:\n%s", want, texts)
		}
		if !slices.ContainsFunc(find(h.overlay(), (func(*widget.Label) bool)(nil)), func(l *widget.Label) bool { return l.Text == zoomNotOrdinary }) {
			t.Error("the dialog does not say that Zoom Video SDK is not an ordinary Zoom account")
		}
		test.Type(d.secret, "the-zoom-secret")

		d.platform.SetSelected(fetch.Valt.Title())
		if d.secret.Text != "" {
			t.Errorf("Zoom's secret %q is carried into Valt's password box", d.secret.Text)
		}
		if strings.Contains(d.name.PlaceHolder, "Zoom") {
			t.Errorf("Valt suggests the name %q", d.name.PlaceHolder)
		}
	})
}

// Every error names only fields that the chosen platform shows.
func TestDialogErrorsNameOnlyThePlatformsFields(t *testing.T) {
	h := newHarness(t, smallSim)
	d := openAddAccount(h)
	cases := []struct {
		platform fetch.Platform
		huawei   string
		fill     func()
		want     string
	}{
		{fetch.Valt, "", func() {}, "Please fill in the server address.\nPlease fill in the user name."},
		{fetch.Valt, "", func() { test.Type(d.server, "https://valt.example.org"); test.Type(d.username, "ann") }, "Please fill in the password."},
		{fetch.IBMVideo, "", func() { test.Type(d.clientID, "abc") }, "Please fill in the client secret."},
		{fetch.ZoomSDK, "", func() {}, "Please fill in the API key."},
		{fetch.ZoomSDK, "", func() { test.Type(d.apiKey, "key") }, "Please fill in the API secret."},
		{fetch.Huawei, huaweiByAccount, func() {}, "Please fill in the account."},
		{fetch.Huawei, huaweiByApp, func() {}, "Please fill in the App ID."},
		{fetch.Huawei, huaweiByApp, func() { test.Type(d.appID, "app") }, "Please fill in the app key."},
	}
	placeholders := map[string]fetch.Platform{}
	for _, c := range cases {
		h.ui(func() {
			d.platform.SetSelected(c.platform.Title())
			if c.huawei != "" {
				d.huaweiMode.SetSelected(c.huawei)
			}
			c.fill()
			test.Tap(d.save)
			if d.status.Text != c.want {
				t.Errorf("%s %s: %q, want %q", c.platform, c.huawei, d.status.Text, c.want)
			}
			var labels []string
			for _, it := range d.form.Items {
				labels = append(labels, strings.ToLower(it.Text))
			}
			for _, line := range strings.Split(d.status.Text, "\n") {
				field := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(line, "Please fill in the "), "Please fill in "), ".")
				if !slices.ContainsFunc(labels, func(l string) bool {
					return strings.EqualFold(l, field) || strings.HasPrefix(l, strings.ToLower(field))
				}) {
					t.Errorf("%s: %q names a field the form does not show (%v)", c.platform, line, labels)
				}
			}
			placeholders[d.name.PlaceHolder] = c.platform
		})
	}
	if len(placeholders) != 4 {
		t.Errorf("the four platforms suggest names %v: each should suggest its own", placeholders)
	}
}

// Zoom, IBM and Huawei have no server box: a failure never asks to check
// one. Valt, which has it, still does.
func TestNoServerBoxNoServerAddressToCheck(t *testing.T) {
	h := newHarness(t, smallSim)
	d := openAddAccount(h)
	unreachable := func(p fetch.Platform) error {
		a := accounts.Account{Platform: p, Name: "x"}
		return &accounts.CheckError{Account: a, Err: &fetch.Error{Kind: fetch.KindUnreachable, Err: &net.OpError{Op: "dial", Net: "tcp", Err: net.UnknownNetworkError("down")}}}
	}
	for _, p := range fetch.Platforms {
		h.ui(func() {
			d.platform.SetSelected(p.Title())
			before := explain(unreachable(p))
			d.showFailure(unreachable(p))
			msg := d.status.Text
			t.Logf("%s: %s", p, msg)
			switch {
			case p == fetch.Valt && !strings.Contains(msg, "server address"):
				t.Errorf("Valt's failure %q no longer points at the server address", msg)
			case p != fetch.Valt && strings.Contains(msg, "server address"):
				t.Errorf("%s has no server box, yet the dialog says %q", p, msg)
			case p != fetch.Valt && strings.Contains(before, "server address") && !strings.Contains(msg, p.Title()):
				t.Errorf("%s: %q does not say what could not be reached", p, msg)
			}
		})
	}
}

// Each platform's "where to find it" is a link to the page that shows it.
func TestWhereToFindItLinksToThePlatformsPage(t *testing.T) {
	h := newHarness(t, smallSim)
	d := openAddAccount(h)
	for _, c := range []struct {
		platform fetch.Platform
		huawei   string
		page     string
	}{
		{fetch.IBMVideo, "", ibmCredentialsPage},
		{fetch.ZoomSDK, "", zoomCredentialsPage},
		{fetch.Huawei, huaweiByApp, huaweiAppIDPage},
		{fetch.Huawei, huaweiByAccount, huaweiAccountPage},
	} {
		h.ui(func() {
			d.platform.SetSelected(c.platform.Title())
			if c.huawei != "" {
				d.huaweiMode.SetSelected(c.huawei)
			}
			links := find(h.overlay(), (func(*widget.Hyperlink) bool)(nil))
			if len(links) != 1 || links[0].URL == nil || links[0].URL.String() != c.page {
				var got []string
				for _, l := range links {
					got = append(got, l.URL.String())
				}
				t.Errorf("%s %s links to %v, want %s", c.platform, c.huawei, got, c.page)
				return
			}
			if !strings.HasPrefix(links[0].Text, "Where to find") && !strings.HasPrefix(links[0].Text, "Which account") {
				t.Errorf("the link says %q", links[0].Text)
			}
		})
	}
}

// A Huawei App ID needs no user ID (empty signs in as the enterprise's
// default administrator) and a corp ID only for multi-enterprise apps.
func TestHuaweiOptionalFields(t *testing.T) {
	h := newHarness(t, smallSim)
	d := openAddAccount(h)
	h.ui(func() {
		d.platform.SetSelected(fetch.Huawei.Title())
		d.huaweiMode.SetSelected(huaweiByApp)
		if got := hintOf(d, "User ID"); got != "Optional: empty signs in as the enterprise's default administrator." {
			t.Errorf("the user ID's hint says %q", got)
		}
		if got := hintOf(d, "Corp ID"); got != "Only for multi-enterprise (SP) apps." {
			t.Errorf("the corp ID's hint says %q", got)
		}
		test.Type(d.appID, "my-app")
		test.Type(d.secret, "my-app-key")
		a, secret, err := d.collect()
		if err != nil {
			t.Fatalf("an App ID and app key without user or corp ID: %v", err)
		}
		if a.AppID != "my-app" || a.UserID != "" || a.CorpID != "" || secret != "my-app-key" {
			t.Errorf("collected %+v", a)
		}
	})
}

// IBM's server and token address are advanced: hidden until asked for,
// optional, and saved into the account.
func TestIBMPrivateServerAndTokenURL(t *testing.T) {
	h := newHarness(t, smallSim)
	d := openAddAccount(h)
	h.ui(func() {
		d.platform.SetSelected(fetch.IBMVideo.Title())
		if hintOf(d, "Token URL") != "(no field Token URL)" || hintOf(d, "Server address") != "(no field Server address)" {
			t.Error("IBM's advanced fields are shown before they are asked for")
		}
		test.Type(d.clientID, "client")
		test.Type(d.secret, "secret")
		if a, _, err := d.collect(); err != nil || a.Server != "" || a.TokenURL != "" {
			t.Errorf("without the advanced fields: %+v, %v", a, err)
		}
		test.Tap(d.ibmPrivate)
		var labels []string
		for _, it := range d.form.Items {
			labels = append(labels, it.Text)
		}
		if i, j := slices.Index(labels, "Server address"), slices.Index(labels, "Token URL"); i < 0 || j != i+1 {
			t.Fatalf("the token URL is not under IBM's server box: %v", labels)
		}
		test.Type(d.server, "https://video.example.org/")
		test.Type(d.tokenURL, "https://login.example.org/oauth2/token")
		a, _, err := d.collect()
		if err != nil || a.Server != "https://video.example.org" || a.TokenURL != "https://login.example.org/oauth2/token" {
			t.Errorf("with the advanced fields: %+v, %v", a, err)
		}
		// With a server box, a failure may point at the address typed.
		d.showFailure(&accounts.CheckError{Account: a, Err: &fetch.Error{Kind: fetch.KindUnreachable, Err: &net.OpError{Op: "dial", Net: "tcp", Err: net.UnknownNetworkError("down")}}})
		if !strings.Contains(d.status.Text, "server address") {
			t.Errorf("with IBM's server box shown the failure says %q", d.status.Text)
		}
	})
}

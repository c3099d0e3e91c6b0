package gui

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
)

// Where each platform shows what the dialog asks for: the public page a
// person follows to find it.
var (
	// IBM: client credentials are generated on the Video Streaming
	// dashboard (Account, API/SDK access), as IBM's authentication page says.
	ibmCredentialsPage = "https://www.ibm.com/docs/en/video-streaming?topic=overview-authentication"
	// Zoom: the Build platform's app settings page, section "API keys"
	// (not the SDK key and secret, which only join sessions).
	zoomCredentialsPage = "https://developers.zoom.us/docs/build/developer-accounts/"
	// Huawei: requesting an App ID and its app key on the console.
	huaweiAppIDPage = "https://support.huaweicloud.com/intl/en-us/devg-meeting/meeting_20_0011.html"
	// Huawei: the enterprise administrator account, among the accounts of
	// Huawei Cloud Meeting.
	huaweiAccountPage = "https://support.huaweicloud.com/intl/en-us/devg-meeting/meeting_20_0010.html"
)

// zoomNotOrdinary is said above Zoom's fields: the API key and secret of an
// ordinary Zoom account do not work.
const zoomNotOrdinary = "Zoom Video SDK is not an ordinary Zoom account: Cloudreel needs the API key and API secret of a Zoom Video SDK account (the one for apps built on Zoom's Video SDK). Recordings of ordinary Zoom meetings cannot be reached this way."

// namePlaceholder suggests a name that fits the platform.
func namePlaceholder(p fetch.Platform) string {
	switch p {
	case fetch.Valt:
		return lang.L("e.g. Interview rooms")
	case fetch.IBMVideo:
		return lang.L("e.g. Company videos")
	case fetch.ZoomSDK:
		return lang.L("e.g. School Zoom")
	case fetch.Huawei:
		return lang.L("e.g. Head office meetings")
	}
	return lang.L("e.g. My recordings")
}

// link is a "where to find it" line that opens the platform's page.
func link(text, page string) *widget.Hyperlink {
	u, err := url.Parse(page)
	if err != nil {
		panic(err) // the pages above are constants
	}
	return widget.NewHyperlink(text, u)
}

// formItems are the chosen platform's fields, each with where to find it.
func (d *accountDialog) formItems() []*widget.FormItem {
	p := d.chosenPlatform()
	items := []*widget.FormItem{{Text: lang.L("Platform"), Widget: d.platform}}
	add := func(label string, w fyne.CanvasObject, hint string) {
		items = append(items, &widget.FormItem{Text: label, Widget: w, HintText: hint})
	}
	switch p {
	case fetch.Valt:
		add(lang.L("Server address"), d.server, lang.L("The address you open Valt at in your browser."))
		add(lang.L("User name"), d.username, lang.L("The user name you sign in to Valt with."))
		add(lang.L("Password"), d.secret, lang.L("Kept in your computer's password store, never in a file."))
		d.upload.items(add)
	case fetch.IBMVideo:
		add(lang.L("Client ID"), d.clientID, lang.L("In IBM Video Streaming: Account, then API/SDK access."))
		add(lang.L("Client secret"), d.secret, lang.L("Shown next to the client ID when you create the credentials."))
		add("", link(lang.L("Where to find the client ID and secret (IBM's page)"), ibmCredentialsPage), "")
		add("", d.ibmPrivate, "")
		if d.ibmPrivate.Checked {
			add(lang.L("Server address"), d.server, lang.L("Only for a private IBM deployment: its API address."))
			add(lang.L("Token URL"), d.tokenURL, lang.L("Only if it signs in elsewhere than the server's /oauth2/token."))
		}
	case fetch.ZoomSDK:
		note := &widget.Label{Text: lang.L(zoomNotOrdinary), Wrapping: fyne.TextWrapWord}
		add("", note, "")
		add(lang.L("API key"), d.apiKey, lang.L("In your Zoom Video SDK account: Build App, then API keys."))
		add(lang.L("API secret"), d.secret, lang.L("Shown under the API key. Kept in your computer's password store."))
		add("", link(lang.L("Where to find the API key and secret (Zoom's page)"), zoomCredentialsPage), "")
	case fetch.Huawei:
		add(lang.L("Sign in with"), d.huaweiMode, "")
		add(lang.L("Region"), d.huaweiSite, lang.L("Where your enterprise's Huawei Cloud Meeting account lives."))
		if d.huaweiByAppChosen() {
			add(lang.L("App ID"), d.appID, lang.L("In the Huawei Cloud Meeting console, under App ID management."))
			add(lang.L("App key"), d.secret, lang.L("Shown with the App ID. Kept in your computer's password store."))
			add(lang.L("User ID"), d.userID, lang.L("Optional: empty signs in as the enterprise's default administrator."))
			add(lang.L("Corp ID"), d.corpID, lang.L("Only for multi-enterprise (SP) apps."))
			add("", link(lang.L("Where to find the App ID and app key (Huawei's page)"), huaweiAppIDPage), "")
		} else {
			add(lang.L("Account"), d.account, lang.L("An enterprise administrator's account: only administrators may download."))
			add(lang.L("Password"), d.secret, lang.L("Kept in your computer's password store, never in a file."))
			add("", link(lang.L("Which account this is (Huawei's page)"), huaweiAccountPage), "")
		}
	}
	if p != "" {
		add(lang.L("Name in Cloudreel"), d.name, lang.L("Any name that tells you which account this is."))
		add(lang.L("Cloud copy"), cleanupField(p, d.cleanup), "")
	}
	return items
}

// explainFor is the sentence for a failed test or save of an account of
// platform p. Without a server box (Valt's, or IBM's advanced one) the
// platform is reached at its public address, so a person is never told to
// check a server address they cannot see.
func explainFor(p fetch.Platform, serverBox bool, err error) string {
	msg := explain(err)
	if serverBox || p == "" || !strings.Contains(msg, "server address") {
		return msg
	}
	if errors.Is(err, context.DeadlineExceeded) || fetch.KindOf(err) == fetch.KindUnreachable {
		return lang.L("Cloudreel could not reach {{.Platform}}. Check the internet connection, then try again.", vals{"Platform": p.Name()})
	}
	return lang.L("{{.Platform}} did not answer as expected. Try again in a few minutes; if it keeps happening, tell us which platform it was.", vals{"Platform": p.Name()})
}

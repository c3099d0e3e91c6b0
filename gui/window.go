// Package gui is Cloudreel's window: the accounts on the left, the chosen
// account's recordings in the middle, the downloads below. It is Fyne only:
// it does no HTTP and no file I/O, and talks to the accounts store and the
// download queue. Slow work runs in goroutines; widgets are touched
// through fyne.Do.
package gui

import (
	"context"
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
	"cloudreel/assets"
	"cloudreel/fetch"
	"cloudreel/fetch/cleanup"
	"cloudreel/fetch/power"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/upload"
)

// Deps is what the window needs from the rest of Cloudreel.
type Deps struct {
	Accounts *accounts.Store
	Queue    *queue.Queue
	// Uploads sends files to Valt (uploads.go); nil: no "Send to Valt…".
	Uploads *upload.Uploader
	// DefaultFolder is where downloads go until the user picks another
	// (the OS's Videos folder).
	DefaultFolder string
	// IsDir tells whether a dropped path is a folder; main passes os.Stat
	// so that the window itself does no file I/O.
	IsDir func(path string) bool
	// StartDemo, when set, is what "Try the demo" does: it adds the demo
	// accounts on the built-in simulator.
	StartDemo func(ctx context.Context) error
	// DemoAccount, in the demo, gives the details of the simulator's
	// account of a platform, so that the add-account dialog can fill them
	// in (nobody knows the simulator's secrets). Nil outside the demo.
	DemoAccount func(p fetch.Platform) (a accounts.Account, secret string, ok bool)
	// DemoElsewhere says StartDemo opens the demo in a window of its own
	// (another process, with its own data): this window then closes, so
	// that two windows never stand one over the other.
	DemoElsewhere bool
	// Title is the window's title, "Cloudreel" when empty; the demo's
	// says "(demo)". Progress is added to it while files download.
	Title string
	// Version is what the About box says, e.g. "0.1.0 (a1b2c3d)".
	Version string
	// Cleanup keeps the clean-ups of the cloud (the log, the deletes
	// waiting); nil: the window cleans nothing up.
	Cleanup *cleanup.Store
	// SyncNow, when set, looks at every account kept in sync (the tray's
	// Sync now); main passes the syncer.
	SyncNow func(ctx context.Context) error
	// StartAtLogin, when set, is "Start Cloudreel when I log in" in
	// Settings; main passes the OS's login items.
	StartAtLogin LoginStart
	// DataDir is the data folder, where the language chosen in Settings is
	// kept (fetch/locale) for the next start and the commands; empty: the
	// choice lasts until the window closes.
	DataDir string
	// Power puts the computer to sleep or shuts it down when the queue is
	// done (power.System when nil); PowerClock times the countdown before
	// it (the real clock when nil). Tests pass fakes.
	Power      power.OS
	PowerClock power.Clock
	Log        *slog.Logger
}

// Window is Cloudreel's main window and everything in it.
type Window struct {
	app  fyne.App
	win  fyne.Window
	deps Deps
	ctx  context.Context
	stop context.CancelFunc
	// viewCtx lasts as long as the content built by buildUI (see newView).
	viewCtx  context.Context
	viewStop context.CancelFunc
	// ring is drawn around the widget that has the keyboard.
	ring *focusRing

	settings   *settings
	accounts   *accountsPanel
	recordings *recordingsView
	downloads  *downloadsPanel
	uploads    *uploadsPanel
	centre     *fyne.Container
	welcome    fyne.CanvasObject
	banner     *batchBanner
	tray       *tray      // nil where the desktop has no tray
	countdown  *countdown // the countdown before sleep or shut down, while it shows

	// cleanups are the accounts whose clean-up is asked or running.
	cleanups cleanupsBusy

	// checkAccount, checkFiles and cleanedUp are the top bar's "Check this
	// account", "Check downloaded files" and "Cleaned up", hidden while
	// there is no account (the welcome): there is nothing to check or
	// clean up yet, and a new user's first screen stays simple.
	checkAccount, checkFiles, cleanedUp *widget.Button
}

// New builds the main window on app. Call Show (or ShowAndRun on the app).
func New(app fyne.App, deps Deps) *Window {
	if deps.Log == nil {
		deps.Log = slog.Default()
	}
	if deps.IsDir == nil {
		deps.IsDir = func(string) bool { return false }
	}
	if deps.Title == "" {
		deps.Title = "Cloudreel"
	}
	ctx, stop := context.WithCancel(context.Background())
	w := &Window{app: app, deps: deps, ctx: ctx, stop: stop}
	w.win = app.NewWindow(deps.Title)
	w.win.SetIcon(assets.Icon)
	w.loadLanguage()
	w.settings = loadSettings(app.Preferences(), deps.DefaultFolder)
	w.settings.speed = queue.NewSpeedScheduler(ctx, deps.Queue, nil)
	w.settings.apply(app, deps.Queue)
	w.buildUI()
	w.win.Resize(fyne.NewSize(1180, 760))
	w.win.SetOnDropped(w.onDropped)
	w.win.SetOnClosed(stop)
	w.win.SetCloseIntercept(w.requestClose)
	w.addShortcuts()
	w.setUpTray()
	w.accounts.reload()
	w.showRepairNotice()
	return w
}

// FyneWindow is the underlying fyne.Window.
func (w *Window) FyneWindow() fyne.Window { return w.win }

// Show shows the window.
func (w *Window) Show() { w.win.Show() }

func (w *Window) buildUI() {
	w.newView()
	// The panels' handlers call each other: every panel exists before
	// any builds its widgets.
	w.accounts = newAccountsPanel(w)
	w.uploads = newUploadsPanel(w)
	w.downloads = newDownloadsPanel(w)
	w.recordings = newRecordingsView(w)
	w.banner = newBatchBanner(w)
	w.welcome = w.buildWelcome()
	w.centre = container.NewStack(w.welcome)

	split := container.NewVSplit(w.centre, w.downloads.buildUI())
	// The downloads take the height of what they show, the table the rest.
	main := container.NewHSplit(w.accounts.buildUI(), w.downloads.fitIn(split))
	main.Offset = 0.22

	settingsButton := &widget.Button{Text: lang.L("Settings"), Icon: theme.SettingsIcon(), Importance: widget.LowImportance, OnTapped: w.onSettings}
	aboutButton := &widget.Button{Text: lang.L("About"), Icon: theme.InfoIcon(), Importance: widget.LowImportance, OnTapped: w.onAbout}
	// The account's name sits in the top bar's free left side rather than
	// on a line of its own, so that a low window keeps rows for the table.
	w.checkFiles, w.cleanedUp = w.checkFilesButton(), w.cleanedUpButton()
	top := container.NewBorder(nil, nil, nil, container.NewHBox(w.checkAccountButton(), w.checkFiles, w.cleanedUp, aboutButton, settingsButton, w.helpButton()), w.recordings.heading)
	w.showOnlyWithAccount(false)
	w.ring = newFocusRing(w)
	w.win.SetContent(w.ring.over(container.NewBorder(container.NewVBox(top, w.banner.buildUI()), nil, nil, nil, main)))
	go w.ring.run(w.viewCtx.Done())
}

// showRecordings swaps the welcome for the recordings of an account.
func (w *Window) showRecordings(a accounts.Account) {
	w.centre.Objects = []fyne.CanvasObject{w.recordings.content()}
	w.centre.Refresh()
	w.showOnlyWithAccount(true)
	w.recordings.load(a)
}

// showWelcome shows the first-run welcome in the centre.
func (w *Window) showWelcome() {
	w.centre.Objects = []fyne.CanvasObject{w.welcome}
	w.centre.Refresh()
	w.showOnlyWithAccount(false)
}

func (w *Window) buildWelcome() fyne.CanvasObject {
	title := &widget.Label{Text: lang.L("Welcome to Cloudreel"), TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter, SizeName: theme.SizeNameHeadingText}
	text := &widget.Label{Text: lang.L("Cloudreel copies your video recordings from Valt, IBM Video Streaming,\nZoom Video SDK and Huawei Cloud Meeting onto your computer.\n\nStart by adding the account you sign in to those platforms with."), Alignment: fyne.TextAlignCenter}
	add := &widget.Button{Text: lang.L("Add an account"), Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: w.onAddAccount}
	logo := container.NewCenter(container.NewGridWrap(fyne.NewSize(96, 96), widget.NewIcon(assets.Icon)))
	box := container.NewVBox(logo, title, text, container.NewCenter(add))
	if w.deps.StartDemo != nil {
		box.Add(container.NewCenter(&widget.Button{Text: lang.L("Try the demo"), OnTapped: w.onTryDemo}))
	}
	return container.NewCenter(box)
}

func (w *Window) onTryDemo() {
	go func() {
		err := w.deps.StartDemo(w.ctx)
		fyne.Do(func() {
			if err != nil {
				w.showError(lang.L("The demo could not start"), err)
				return
			}
			if w.deps.DemoElsewhere {
				w.win.Close() // the demo has its own window now
				return
			}
			w.accounts.reload()
		})
	}()
}

func (w *Window) onAddAccount() { newAccountDialog(w, nil).show() }

func (w *Window) onSettings() { newSettingsDialog(w).show() }

// onAbout shows the version, for a person telling support what they run.
func (w *Window) onAbout() {
	logo := container.NewCenter(container.NewGridWrap(fyne.NewSize(64, 64), widget.NewIcon(assets.Icon)))
	text := &widget.Label{Text: "Cloudreel " + w.deps.Version + "\n\n" + lang.L("Gets your video recordings from Valt, IBM Video Streaming,\nZoom Video SDK and Huawei Cloud Meeting onto your computer."), Alignment: fyne.TextAlignCenter}
	dialog.NewCustom(lang.L("About Cloudreel"), lang.L("Close"), container.NewVBox(logo, text), w.win).Show()
}

// onDropped downloads the ticked recordings into a folder dropped from the
// file manager.
func (w *Window) onDropped(_ fyne.Position, uris []fyne.URI) {
	if w.uploads.onDroppedFiles(uris) { // video files, for Valt
		return
	}
	for _, u := range uris {
		if u.Scheme() != "file" || !w.deps.IsDir(u.Path()) {
			continue
		}
		w.recordings.downloadTo(u.Path())
		return
	}
	w.notice(lang.L("Drop a folder here to download the ticked recordings into it."))
}

// DropFolder is what dropping a folder from the file manager onto the
// window does; tests and the demo call it directly.
func (w *Window) DropFolder(path string) {
	w.onDropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(path)})
}

// showError shows a failure in plain words, with what to do next.
func (w *Window) showError(title string, err error) {
	d := dialog.NewInformation(title, explain(err), w.win)
	d.Show()
}

// notice shows a short message that needs no answer.
func (w *Window) notice(text string) {
	dialog.NewInformation("Cloudreel", text, w.win).Show()
}

// setTitleProgress shows the progress of what is still to do (the
// current batch) in the window's title.
func (w *Window) setTitleProgress(done, total int64, active int) {
	if active == 0 || total <= 0 {
		w.win.SetTitle(w.deps.Title)
		return
	}
	w.win.SetTitle(lang.L("{{.Title}} — downloading {{.Percent}}%", vals{"Title": w.deps.Title, "Percent": int(float64(done) * 100 / float64(total))}))
}

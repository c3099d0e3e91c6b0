package gui

import (
	"cmp"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"cloudreel/fetch"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/power"
	"cloudreel/fetch/queue"
)

// Preference keys.
const (
	prefFolder      = "defaultFolder"
	prefTemplate    = "nameTemplate"
	prefConcurrency = "concurrency"
	prefSpeedLimit  = "speedLimitMBps"
	prefSkip        = "skipDownloaded"
	prefNotify      = "notifyWhenDone" // before "when the queue is done": read once, for its old choice
	prefWhenDone    = "whenQueueDone"
	prefTheme       = "theme"
	// The speed schedule: a limit (MB/s, 0 = none) between two times.
	prefDaySpeed = "daySpeedMBps"
	prefDayFrom  = "daySpeedFrom"
	prefDayTo    = "daySpeedTo"
)

// LoginStart is "Start Cloudreel when I log in" (fetch/autostart's
// LoginItem is one).
type LoginStart interface {
	Enabled() bool
	SetEnabled(on bool) error
}

// The theme choices, as the preferences keep them.
const (
	themeSystem = "System"
	themeLight  = "Light"
	themeDark   = "Dark"
)

// themes are the theme choices in the language spoken.
func themes() []choice {
	return []choice{{themeSystem, lang.L(themeSystem)}, {themeLight, lang.L(themeLight)}, {themeDark, lang.L(themeDark)}}
}

// settings are the user's choices, kept in Fyne's preferences.
type settings struct {
	prefs       fyne.Preferences
	Folder      string
	Template    string
	Concurrency int
	SpeedLimit  float64 // MB/s, 0 = no limit
	Skip        bool
	// WhenDone is what happens when the queue is done: nothing, a
	// notification, sleep or shut down (see whendone.go).
	WhenDone power.Action
	Theme    string
	// DaySpeed is the speed limit from DayFrom to DayTo ("8:00",
	// "18:00"), 0 = no schedule; SpeedLimit holds the rest of the day.
	DaySpeed       float64
	DayFrom, DayTo string
	speed          *queue.SpeedScheduler // switches the queue's limit at the schedule's times
}

func loadSettings(p fyne.Preferences, defaultFolder string) *settings {
	return &settings{
		prefs:       p,
		Folder:      p.StringWithFallback(prefFolder, defaultFolder),
		Template:    p.StringWithFallback(prefTemplate, queue.DefaultTemplate),
		Concurrency: p.IntWithFallback(prefConcurrency, 3),
		SpeedLimit:  p.FloatWithFallback(prefSpeedLimit, 0),
		Skip:        p.BoolWithFallback(prefSkip, true),
		WhenDone:    loadWhenDone(p),
		Theme:       p.StringWithFallback(prefTheme, themeSystem),
		DaySpeed:    p.FloatWithFallback(prefDaySpeed, 0),
		DayFrom:     p.StringWithFallback(prefDayFrom, "8:00"),
		DayTo:       p.StringWithFallback(prefDayTo, "18:00"),
	}
}

func (s *settings) save() {
	s.prefs.SetString(prefFolder, s.Folder)
	s.prefs.SetString(prefTemplate, s.Template)
	s.prefs.SetInt(prefConcurrency, s.Concurrency)
	s.prefs.SetFloat(prefSpeedLimit, s.SpeedLimit)
	s.prefs.SetBool(prefSkip, s.Skip)
	s.prefs.SetString(prefWhenDone, string(s.WhenDone))
	s.prefs.SetString(prefTheme, s.Theme)
	s.prefs.SetFloat(prefDaySpeed, s.DaySpeed)
	s.prefs.SetString(prefDayFrom, s.DayFrom)
	s.prefs.SetString(prefDayTo, s.DayTo)
}

// schedule is the speed schedule the settings give, nil for none.
func (s *settings) schedule() *queue.SpeedSchedule {
	from, errFrom := parseClock(s.DayFrom)
	to, errTo := parseClock(s.DayTo)
	if s.DaySpeed <= 0 || errFrom != nil || errTo != nil {
		return nil
	}
	return &queue.SpeedSchedule{From: from, To: to, Limit: int64(s.DaySpeed * 1e6)}
}

// apply hands the settings to the queue and the theme to the app.
func (s *settings) apply(app fyne.App, q *queue.Queue) {
	q.SetConcurrency(s.Concurrency)
	if s.speed != nil {
		s.speed.Set(int64(s.SpeedLimit*1e6), s.schedule())
	} else {
		q.SetSpeedLimit(int64(s.SpeedLimit * 1e6))
	}
	q.SetTemplate(s.Template)
	q.SetSkipExisting(s.Skip)
	switch s.Theme {
	case themeLight:
		app.Settings().SetTheme(newReadableTheme(true, theme.VariantLight))
	case themeDark:
		app.Settings().SetTheme(newReadableTheme(true, theme.VariantDark))
	default:
		app.Settings().SetTheme(newReadableTheme(false, 0))
	}
}

// settingsDialog edits the settings, with a live preview of the name
// template on a real recording.
type settingsDialog struct {
	w *Window
}

func newSettingsDialog(w *Window) *settingsDialog { return &settingsDialog{w: w} }

func (d *settingsDialog) show() {
	s := *d.w.settings
	folder := &widget.Entry{Text: s.Folder}
	folder.ExtendBaseWidget(folder)
	browse := &widget.Button{Text: lang.L("Choose…"), OnTapped: func() {
		dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				folder.SetText(u.Path())
			}
		}, d.w.win).Show()
	}}
	// Wrapped at spaces and after folder separators only: a path broken in
	// the middle of a word reads as two other words.
	preview := &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	template := &widget.Entry{Text: s.Template}
	template.ExtendBaseWidget(template)
	updatePreview := func() {
		preview.SetText(lang.L("For example: {{.Path}}", vals{"Path": breakableAfterSeparators(d.previewName(template.Text, folder.Text))}))
	}
	placeholders := &widget.Label{Text: placeholderHelp(), Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText, Importance: widget.LowImportance}
	template.OnChanged = func(string) { updatePreview() }
	folder.OnChanged = func(string) { updatePreview() }
	updatePreview()

	concurrency := &widget.Select{Options: []string{"1", "2", "3", "4", "5", "6", "7", "8"}, Selected: strconv.Itoa(s.Concurrency)}
	concurrency.ExtendBaseWidget(concurrency)
	speed := &widget.Entry{PlaceHolder: lang.L("no limit"), Text: speedText(s.SpeedLimit)}
	speed.ExtendBaseWidget(speed)
	skip := &widget.Check{Text: lang.L("Skip recordings already downloaded"), Checked: s.Skip}
	skip.ExtendBaseWidget(skip)
	whenDone := newWhenDoneSelect(s.WhenDone)
	themeSel := &widget.Select{Options: wordsOf(themes()), Selected: wordsFor(themes(), s.Theme)}
	themeSel.ExtendBaseWidget(themeSel)
	daySpeed := &widget.Entry{PlaceHolder: lang.L("no limit"), Text: speedText(s.DaySpeed)}
	daySpeed.ExtendBaseWidget(daySpeed)
	dayFrom := &widget.Entry{Text: s.DayFrom}
	dayFrom.ExtendBaseWidget(dayFrom)
	dayTo := &widget.Entry{Text: s.DayTo}
	dayTo.ExtendBaseWidget(dayTo)
	login := &widget.Check{Text: lang.L("Start Cloudreel when I log in")}
	login.ExtendBaseWidget(login)
	if d.w.deps.StartAtLogin != nil {
		login.Checked = d.w.deps.StartAtLogin.Enabled()
	}
	wasLogin := login.Checked
	language := &widget.Select{Options: wordsOf(languages()), Selected: wordsFor(languages(), locale.Chosen())}
	language.ExtendBaseWidget(language)

	items := []*widget.FormItem{
		{Text: lang.L("Download folder"), Widget: container.NewBorder(nil, nil, nil, browse, folder), HintText: lang.L("Where recordings go unless you choose another folder.")},
		{Text: lang.L("File names"), Widget: container.NewVBox(template, preview, placeholders)},
		{Text: lang.L("Downloads at once"), Widget: concurrency},
		{Text: lang.L("Speed limit (MB/s)"), Widget: speed, HintText: lang.L("Leave empty for no limit.")},
		{Text: lang.L("Between hours (MB/s)"), Widget: container.NewGridWithColumns(4, daySpeed, dayFrom, widget.NewLabel(lang.L("to")), dayTo),
			HintText: lang.L("A limit for these hours of each day, e.g. 2 from 8:00 to 18:00; the one above the rest of the day.")},
		{Text: "", Widget: skip},
		{Text: lang.L("When the downloads are done"), Widget: whenDone, HintText: lang.L("Before the computer sleeps or shuts down, Cloudreel waits 60 seconds so that you can cancel.")},
		{Text: lang.L("Theme"), Widget: themeSel},
		{Text: lang.L("Language"), Widget: language, HintText: languageHint()},
	}
	if d.w.deps.StartAtLogin != nil {
		items = append(items, &widget.FormItem{Text: "", Widget: login})
	}
	dlg := dialog.NewForm(lang.L("Settings"), lang.L("Save"), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		n, _ := strconv.Atoi(concurrency.Selected)
		limit, err := parseSpeed(speed.Text)
		if err != nil {
			d.w.showError(lang.L("The speed limit was not saved"), err)
			return
		}
		dayLimit, err := parseSpeed(daySpeed.Text)
		if err == nil {
			_, err = parseClock(dayFrom.Text)
		}
		if err == nil {
			_, err = parseClock(dayTo.Text)
		}
		if err != nil {
			d.w.showError(lang.L("The speed limit between hours was not saved"), err)
			return
		}
		if login.Checked != wasLogin {
			if err := d.w.deps.StartAtLogin.SetEnabled(login.Checked); err != nil {
				d.w.showError(lang.L("Starting Cloudreel when you log in was not changed"), err)
			}
		}
		s.DaySpeed, s.DayFrom, s.DayTo = dayLimit, strings.TrimSpace(dayFrom.Text), strings.TrimSpace(dayTo.Text)
		s.Folder = strings.TrimSpace(folder.Text)
		s.Template = strings.TrimSpace(template.Text)
		if s.Template == "" {
			s.Template = queue.DefaultTemplate
		}
		s.Concurrency = max(1, min(8, n))
		s.SpeedLimit = limit
		s.Skip, s.WhenDone, s.Theme = skip.Checked, whenDoneAction(whenDone.Selected), cmp.Or(valueOf(themes(), themeSel.Selected), themeSystem)
		*d.w.settings = s
		s.save()
		s.apply(d.w.app, d.w.deps.Queue)
		d.w.accounts.folders.rebuild()
		d.w.setLanguage(valueOf(languages(), language.Selected))
	}, d.w.win)
	dlg.Resize(fyne.NewSize(640, 520))
	dlg.Show()
}

// previewName names the first recording on screen (or a made-up one) with
// the template, as the queue will.
func (d *settingsDialog) previewName(template, folder string) string {
	rec := fetch.Recording{ID: "example", Title: lang.L("Staff meeting: budget?"), Start: time.Now(), Files: []fetch.File{{Kind: "video", Ext: "mp4"}}}
	account := lang.L("My account")
	platform := fetch.Valt
	if row, ok := d.w.recordings.model.Row(0); ok && len(row.rec.Files) > 0 {
		rec = row.rec
		account, platform = d.w.recordings.account.Name, d.w.recordings.account.Platform
	}
	f := rec.Files[0]
	rel := queue.Name(template, queue.NameFields{Platform: platform, Account: account, RecordingID: rec.ID,
		Title: rec.Title, Start: rec.Start, Kind: f.Kind, FileID: f.ID, Ext: f.Ext})
	return filepath.Join(folder, rel)
}

// namePlaceholders are the name template's placeholders (as queue.Name
// expands them) with the plain words a person knows them by.
func namePlaceholders() []struct{ tag, words string } {
	return []struct{ tag, words string }{
		{"{title}", lang.L("recording title")},
		{"{date}", lang.L("date (2025-03-31)")},
		{"{time}", lang.L("time (14-05)")},
		{"{platform}", lang.L("platform")},
		{"{account}", lang.L("account name")},
		{"{kind}", lang.L("kind of file (video, audio…)")},
		{"{id}", lang.L("recording number")},
		{"{fileid}", lang.L("file number")},
		{"{ext}", lang.L("file type (mp4)")},
	}
}

// placeholderHelp lists the placeholders under the template; "/" makes a
// folder.
func placeholderHelp() string {
	var parts []string
	for _, p := range namePlaceholders() {
		parts = append(parts, p.tag+" "+p.words)
	}
	return strings.Join(parts, " · ") + " · " + lang.L("a / starts a folder")
}

// hairSpace is the thinnest space there is: a place where a wrapped path
// may break, almost invisible where it does not.
const hairSpace = "\u200a"

// breakableAfterSeparators lets a wrapped label break a path after each
// folder separator, besides its spaces, instead of in the middle of a word.
func breakableAfterSeparators(path string) string {
	return strings.NewReplacer("/", "/"+hairSpace, "\\", "\\"+hairSpace).Replace(path)
}

func speedText(mbps float64) string {
	if mbps <= 0 {
		return ""
	}
	return strconv.FormatFloat(mbps, 'f', -1, 64)
}

func parseSpeed(s string) (float64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), "mb/s"))
	if s == "" || s == "0" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil || v < 0 {
		return 0, formProblem(lang.L("“{{.Text}}” is not a number of megabytes a second.", vals{"Text": s}))
	}
	return v, nil
}

// parseClock reads a time of day as people type it ("8", "8:00", "18.30")
// as the time since midnight.
func parseClock(s string) (time.Duration, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), ".", ":")
	if !strings.Contains(t, ":") {
		t += ":00"
	}
	at, err := time.Parse("15:04", t)
	if err != nil {
		return 0, formProblem(lang.L("“{{.Text}}” is not a time of day like 8:00 or 18:30.", vals{"Text": s}))
	}
	return time.Duration(at.Hour())*time.Hour + time.Duration(at.Minute())*time.Minute, nil
}

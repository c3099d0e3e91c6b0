package gui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"cloudreel/accounts"
)

// uploadFields are the Valt account dialog's part for what every upload
// to the account gets: the additional-information template fields to
// fill and the users and groups to share with (Valt's create-upload
// "template" and "share"), typed as ids.
type uploadFields struct {
	template, users, groups *widget.Entry
}

func newUploadFields(a *accounts.Account) *uploadFields {
	f := &uploadFields{
		template: &widget.Entry{MultiLine: true, Wrapping: fyne.TextWrapOff, PlaceHolder: "12 = {title}, {date}\n14 = {source}"},
		users:    entry(lang.L("optional: user ids, like 4, 17")),
		groups:   entry(lang.L("optional: group ids, like 2")),
	}
	f.template.SetMinRowsVisible(3)
	f.template.ExtendBaseWidget(f.template)
	if a != nil {
		f.template.SetText(accounts.TemplateText(a.UploadTemplate))
		f.users.SetText(accounts.IDsText(a.ShareUsers))
		f.groups.SetText(accounts.IDsText(a.ShareGroups))
	}
	return f
}

// items adds the fields to the form.
func (f *uploadFields) items(add func(label string, w fyne.CanvasObject, hint string)) {
	add(lang.L("Template fields"), f.template, lang.L("For recordings sent to Valt: one field a line, its id = its value; {title}, {date} and {source} are filled in for each file."))
	add(lang.L("Share with users"), f.users, lang.L("The ids of the Valt users every recording sent is shared with."))
	add(lang.L("Share with groups"), f.groups, lang.L("The ids of the Valt groups every recording sent is shared with."))
}

// collect reads the fields into a, or says what is wrong in them.
func (f *uploadFields) collect(a *accounts.Account) error {
	var template map[string]string
	var errs []error
	for _, line := range strings.Split(f.template.Text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		id, v, err := accounts.ParseTemplateLine(line)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if template == nil {
			template = map[string]string{}
		}
		template[id] = v
	}
	users, uerr := accounts.ParseIDs(f.users.Text, "user")
	groups, gerr := accounts.ParseIDs(f.groups.Text, "group")
	if err := errors.Join(append(errs, uerr, gerr)...); err != nil {
		return formProblem(sentence(err.Error()))
	}
	a.UploadTemplate, a.ShareUsers, a.ShareGroups = template, users, groups
	return nil
}

// sentence starts a message with a capital letter and ends it with a full
// stop, for the dialog's status line.
func sentence(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\n", ". "))
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

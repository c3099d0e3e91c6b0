package accounts

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"cloudreel/fetch"
	"cloudreel/fetch/valt"
)

// What a Valt account asks of every recording sent to it (Account's
// UploadTemplate, ShareUsers and ShareGroups): Valt's create-upload call
// takes them as "template" and "share" (docs/platforms.md, Valt, Upload).

// UploadShare is the users and groups every upload to the account is
// shared with.
func (a Account) UploadShare() valt.Share {
	return valt.Share{Users: slices.Clone(a.ShareUsers), Groups: slices.Clone(a.ShareGroups)}
}

// normalizeUpload trims the template's field ids and values, drops empty
// entries and repeated ids.
func (a Account) normalizeUpload() Account {
	var t map[string]string
	for id, v := range a.UploadTemplate {
		id, v = strings.TrimSpace(id), strings.TrimSpace(v)
		if id == "" && v == "" {
			continue
		}
		if t == nil {
			t = map[string]string{}
		}
		t[id] = v
	}
	a.UploadTemplate = t
	dedupe := func(ids []int64) []int64 {
		if len(ids) == 0 {
			return nil
		}
		out := slices.Clone(ids)
		slices.Sort(out)
		return slices.Compact(out)
	}
	a.ShareUsers, a.ShareGroups = dedupe(a.ShareUsers), dedupe(a.ShareGroups)
	return a
}

// validateUpload says what is wrong with the upload settings.
func (a Account) validateUpload() error {
	if a.Platform != fetch.Valt && (len(a.UploadTemplate) > 0 || len(a.ShareUsers) > 0 || len(a.ShareGroups) > 0) {
		return errors.New("only a Valt account takes template fields and sharing: recordings are sent only to Valt")
	}
	for _, id := range slices.Sorted(maps.Keys(a.UploadTemplate)) {
		if id == "" {
			return fmt.Errorf("the template value %q has no field id: write it as ID = value", a.UploadTemplate[id])
		}
		if strings.ContainsFunc(id, unicode.IsSpace) {
			return fmt.Errorf("%q is not a template field id: an id has no spaces (Valt shows it in the template's settings)", id)
		}
	}
	for _, ids := range [][]int64{a.ShareUsers, a.ShareGroups} {
		for _, id := range ids {
			if id <= 0 {
				return fmt.Errorf("%d is not a Valt user or group id: ids are whole numbers from 1", id)
			}
		}
	}
	return nil
}

// ParseTemplateLine reads one template field as people type it,
// "ID = value" (or "ID: value").
func ParseTemplateLine(line string) (id, value string, err error) {
	i := strings.IndexAny(line, "=:")
	if i < 0 {
		return "", "", fmt.Errorf("%q is not a template field: write it as ID = value", strings.TrimSpace(line))
	}
	id, value = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
	if id == "" {
		return "", "", fmt.Errorf("%q has no field id before the =", strings.TrimSpace(line))
	}
	return id, value, nil
}

// ParseIDs reads Valt user or group ids as people type them: whole
// numbers separated by commas or spaces.
func ParseIDs(text, what string) ([]int64, error) {
	var out []int64
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a %s id: Valt's ids are whole numbers, like 12", f, what)
		}
		out = append(out, n)
	}
	return out, nil
}

// TemplateText writes a template back as ParseTemplateLine reads it, one
// field a line, sorted by id.
func TemplateText(t map[string]string) string {
	var b strings.Builder
	for _, id := range slices.Sorted(maps.Keys(t)) {
		fmt.Fprintf(&b, "%s = %s\n", id, t[id])
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// IDsText writes ids back as ParseIDs reads them.
func IDsText(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}

package queue

import (
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"cloudreel/fetch"
)

// DefaultTemplate is the file name template used when none is set.
const DefaultTemplate = "{platform}/{account}/{date} {title} ({kind}).{ext}"

// The longest name component written, in bytes. 255 is the limit of every
// common file system (in bytes on Linux, in UTF-16 units on Windows and
// macOS, and a UTF-8 string never has fewer bytes than UTF-16 units); the
// file component keeps room for the ".part" suffix of its partial file.
const (
	maxDirComponent  = 255
	maxFileComponent = 255 - len(partSuffix)
)

const partSuffix = ".part"

// NameFields are the values a template can use. The window fills them from
// a sample recording for its live preview; the queue from a job.
type NameFields struct {
	Platform    fetch.Platform // {platform}: the platform's name as people know it
	Account     string         // {account}: the account's display name
	RecordingID string         // {id}
	Title       string         // {title}
	Start       time.Time      // {date} (YYYY-MM-DD) and {time} (HH-MM), in local time
	Kind        string         // {kind}
	FileID      string         // {fileid}
	Ext         string         // {ext}, without the dot
}

// fieldsOf gives a job's template values.
func fieldsOf(j Job) NameFields {
	account := j.AccountName
	if account == "" {
		account = j.AccountID
	}
	return NameFields{
		Platform: j.Platform, Account: account, RecordingID: j.RecordingID,
		Title: j.RecordingTitle, Start: j.RecordingStart, Kind: j.File.Kind,
		FileID: j.File.ID, Ext: j.File.Ext,
	}
}

// Name expands a template into a relative path that is safe on Windows,
// macOS and Linux: every value is stripped of the characters those systems
// reserve, no component is a reserved device name (CON, NUL, COM1, ...),
// starts or ends with a space or a dot, or runs past 255 bytes, and no
// component can climb out of the folder (".." and absolute paths are
// impossible whatever a title or a server says). "/" and "\" in the
// template separate folders; in a value they are ordinary characters and
// are replaced. When the template does not end with the file's extension,
// it is added. An empty template means DefaultTemplate.
func Name(template string, f NameFields) string {
	if strings.TrimSpace(template) == "" {
		template = DefaultTemplate
	}
	ext := safeExt(f.Ext)
	values := map[string]string{
		"platform": f.Platform.Title(),
		"account":  f.Account,
		"id":       f.RecordingID,
		"title":    nonEmptyValue(f.Title, f.RecordingID),
		"kind":     f.Kind,
		"fileid":   f.FileID,
		"ext":      ext,
		"date":     "undated",
		"time":     "",
	}
	if !f.Start.IsZero() {
		local := f.Start.In(time.Local)
		values["date"] = local.Format("2006-01-02")
		values["time"] = local.Format("15-04")
	}
	// Expand with values made into single components first, so that a
	// "/" inside a title can never become a folder.
	var b strings.Builder
	for rest := template; rest != ""; {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:open])
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			b.WriteString(rest[open:])
			break
		}
		key := strings.ToLower(rest[open+1 : open+end])
		if v, ok := values[key]; ok {
			// Trimmed as a value too: "Board meeting..." must not leave
			// its dots before the extension or at the end of a folder.
			b.WriteString(strings.Trim(cleanChars(v), " ."))
		} else {
			b.WriteString(rest[open : open+end+1])
		}
		rest = rest[open+end+1:]
	}
	parts := strings.FieldsFunc(b.String(), func(r rune) bool { return r == '/' || r == '\\' })
	var comps []string
	for _, p := range parts {
		if c := safeComponent(p, maxDirComponent); c != "" {
			comps = append(comps, c)
		}
	}
	file := "untitled"
	if len(comps) > 0 {
		file, comps = comps[len(comps)-1], comps[:len(comps)-1]
	}
	if ext != "" && !strings.HasSuffix(strings.ToLower(file), "."+strings.ToLower(ext)) {
		file += "." + ext
	}
	comps = append(comps, fitFileName(file, "", maxFileComponent))
	return filepath.Join(comps...)
}

func nonEmptyValue(v, fallback string) string {
	if strings.TrimSpace(v) == "" {
		return fallback
	}
	return v
}

// cleanChars replaces the characters that Windows forbids in names (and
// the path separators of every system) with readable stand-ins, and
// removes control characters.
func cleanChars(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r == ':':
			if i+1 < len(rs) && rs[i+1] == ' ' {
				b.WriteString(" -") // "Science: Forces" reads "Science - Forces"
			} else {
				b.WriteByte('-')
			}
		case r == '/' || r == '\\' || r == '|':
			b.WriteByte('-')
		case r == '"':
			b.WriteByte('\'')
		case r == '<' || r == '>' || r == '?' || r == '*':
			// dropped: "Fire drill?" is "Fire drill"
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case unicode.IsControl(r) || r == utf8.RuneError || r == '\u200b' || r == '\ufeff':
			// dropped: invisible and invalid characters make names nobody can type
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// safeComponent makes one name component safe, or returns "" when nothing
// of it is left (such a component is dropped).
func safeComponent(s string, limit int) string {
	s = strings.Join(strings.Fields(cleanChars(s)), " ")
	s = strings.Trim(s, " .")
	if s == "" {
		return ""
	}
	s = truncateBytes(s, limit)
	if isReserved(s) {
		s = insertBeforeExt(s, "_")
	}
	return s
}

// Windows reserves these device names, with or without an extension and
// in any case ("con.mp4" is the console too).
var reservedNames = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true,
}

func isReserved(s string) bool {
	stem := s
	if i := strings.IndexByte(s, '.'); i >= 0 {
		stem = s[:i]
	}
	stem = strings.ToUpper(strings.TrimRight(stem, " "))
	if reservedNames[stem] {
		return true
	}
	if len(stem) == 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) {
		return stem[3] >= '0' && stem[3] <= '9'
	}
	// COM¹, COM², COM³ and LPT¹... are reserved as well.
	if strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT") {
		switch stem[3:] {
		case "¹", "²", "³":
			return true
		}
	}
	return false
}

// insertBeforeExt puts s between a name's stem and its extension.
func insertBeforeExt(name, s string) string {
	if i := strings.IndexByte(name, '.'); i > 0 {
		return name[:i] + s + name[i:]
	}
	return name + s
}

// fitFileName appends suffix to the stem of name (before its last
// extension) and shortens the stem so that the whole stays within limit
// bytes, never ending in a space or a dot.
func fitFileName(name, suffix string, limit int) string {
	stem, ext := name, ""
	if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= 17 {
		stem, ext = name[:i], name[i:]
	}
	room := limit - len(ext) - len(suffix)
	if room < 1 {
		// An extension this long is not an extension worth keeping whole.
		stem, ext = name, ""
		room = limit - len(suffix)
	}
	stem = strings.TrimRight(truncateBytes(stem, room), " .")
	if stem == "" {
		stem = "untitled"
	}
	out := stem + suffix + ext
	if isReserved(out) {
		out = insertBeforeExt(out, "_")
	}
	return out
}

// truncateBytes cuts s to at most n bytes at a character boundary.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.TrimRight(s[:n], " .")
}

// safeExt keeps an extension to letters and digits, at most 16 of them.
func safeExt(ext string) string {
	var b strings.Builder
	for _, r := range strings.TrimPrefix(ext, ".") {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
		if b.Len() == 16 {
			break
		}
	}
	return strings.ToLower(b.String())
}

// numbered is path with " (n)" before its extension, kept within the
// length limit, for de-duplication.
func numbered(path string, n int) string {
	dir, file := filepath.Split(path)
	return filepath.Join(dir, fitFileName(file, " ("+strconv.Itoa(n)+")", maxFileComponent))
}

// insideFolder reports whether path lies inside folder (both absolute).
func insideFolder(folder, path string) bool {
	rel, err := filepath.Rel(folder, path)
	return err == nil && rel != "." && filepath.IsLocal(rel)
}

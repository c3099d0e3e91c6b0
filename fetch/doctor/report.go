package doctor

import (
	"fmt"
	"net/http"
	"strings"

	"cloudreel/fetch"
)

// kindWords says what kind of failure a step ended in, for IT staff.
var kindWords = map[fetch.ErrorKind]string{
	fetch.KindAuth:        "the sign-in was refused",
	fetch.KindPermission:  "signed in, but not allowed",
	fetch.KindNotFound:    "the server says it does not have this",
	fetch.KindRateLimited: "the platform asked to slow down",
	fetch.KindPreparing:   "the platform is preparing the file",
	fetch.KindUnreachable: "the server could not be reached, or had a problem",
	fetch.KindUntrusted:   "the server's certificate is not trusted",
	fetch.KindExpired:     "a link or token had expired",
	fetch.KindBadBody:     "the server sent something that is not the file",
	fetch.KindInvalid:     "an answer Cloudreel could not read or did not expect",
}

// Summary is the report's verdict in one or two sentences: every step
// worked, or which step failed and why.
func (r *Report) Summary() string {
	for i, s := range r.Steps {
		if s.Outcome == Failed {
			return fmt.Sprintf("Step %d, %q, did not work. %s", i+1, s.Name, s.Says)
		}
	}
	for _, s := range r.Steps {
		if s.Outcome == Skipped {
			return "Every step that could be tried worked. " + s.Says
		}
	}
	return "Every step worked: Cloudreel can sign in, list the recordings and get a download link."
}

// String is the whole report, as it is shown and saved.
func (r *Report) String() string {
	var b strings.Builder
	b.WriteString("Cloudreel account check\n=======================\n")
	fmt.Fprintf(&b, "Platform: %s\n", r.Platform.Title())
	fmt.Fprintf(&b, "Server:   %s\n", r.Host)
	fmt.Fprintf(&b, "Checked:  %s UTC, by Cloudreel %s\n\n", r.At.Format("2 January 2006, 15:04"), r.Version)
	b.WriteString(wrap("Result: "+r.Summary(), "") + "\nSteps\n")
	for i, s := range r.Steps {
		word := map[Outcome]string{Worked: "worked", Failed: "did not work", Skipped: "not tried"}[s.Outcome]
		b.WriteString(wrap(fmt.Sprintf("%d. %s: %s. %s", i+1, s.Name, word, s.Says), "   "))
		if s.Outcome == Failed {
			if w, ok := kindWords[s.Kind]; ok {
				fmt.Fprintf(&b, "   What kind of failure: %s.\n", w)
			}
			if ex, ok := lastAnswer(s.Exchanges); ok {
				fmt.Fprintf(&b, "   The last answer: %s.\n", status(ex))
			}
		}
	}
	b.WriteString("\nWhat Cloudreel sent and what came back\n")
	b.WriteString("Values are left out: only paths, the names of query parameters and fields, JSON types and\n")
	b.WriteString("list lengths are shown, so this report carries no password, token, title or name.\n")
	for i, s := range r.Steps {
		if len(s.Exchanges) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\nStep %d, %s\n", i+1, s.Name)
		for _, ex := range s.Exchanges {
			line := "  " + ex.Method + " " + ex.Path
			if len(ex.QueryKeys) > 0 {
				line += " ?" + strings.Join(ex.QueryKeys, "&")
			}
			b.WriteString(line + " → " + status(ex) + "\n")
			if ex.Shape != nil {
				for _, l := range strings.Split(strings.TrimRight(ex.Shape.String(), "\n"), "\n") {
					b.WriteString("      " + l + "\n")
				}
			}
		}
	}
	return b.String()
}

// width is where the report's sentences are wrapped, so that it reads in
// a narrow window and in an e-mail.
const width = 96

// wrap breaks text into lines of at most width characters, the lines
// after the first indented; it ends with a newline.
func wrap(text, indent string) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(text) {
		n := len([]rune(word))
		switch {
		case i == 0:
		case line+1+n > width:
			b.WriteString("\n" + indent)
			line = len(indent)
		default:
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += n
	}
	return b.String() + "\n"
}

// status describes the answer to one request.
// lastAnswer is the exchange a failed step's "last answer" speaks of:
// the last one that Cloudreel did not stop itself (the calls stopped
// after another failed tell nothing of the failure), or the last one when
// all were stopped.
func lastAnswer(exs []Exchange) (Exchange, bool) {
	for i := len(exs) - 1; i >= 0; i-- {
		if !exs[i].Stopped {
			return exs[i], true
		}
	}
	if len(exs) == 0 {
		return Exchange{}, false
	}
	return exs[len(exs)-1], true
}

func status(ex Exchange) string {
	if ex.Status == 0 {
		return "no answer: " + ex.Failure
	}
	s := fmt.Sprintf("%d %s", ex.Status, http.StatusText(ex.Status))
	switch {
	case ex.Shape != nil:
		s += fmt.Sprintf(", JSON, %d bytes", ex.Bytes)
	case ex.Bytes > 0:
		ct := ex.ContentType
		if ct == "" {
			ct = "no type given"
		}
		s += fmt.Sprintf(", not JSON (%s), %d bytes", ct, ex.Bytes)
	}
	return s
}

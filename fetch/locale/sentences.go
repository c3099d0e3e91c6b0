package locale

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentences joins sentences (or a sentence and the clause that follows it)
// the way their writing does: a space after Latin punctuation, "Failed.
// Try again.", but none after Chinese full-width punctuation, "失败。请重试。",
// nor between two Chinese characters. The join is decided by the letters
// on each side rather than by the language spoken, because a translated
// sentence may carry a platform's English answer and an English fallback
// sits beside Chinese when a translation is missing. Empty parts are left
// out.
func Sentences(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if b.Len() > 0 && spaced(b.String(), p) {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

// spaced is whether a space goes between before and after.
func spaced(before, after string) bool {
	last, _ := utf8.DecodeLastRuneInString(before)
	first, _ := utf8.DecodeRuneInString(after)
	if fullWidthPunct(last) || fullWidthPunct(first) {
		return false
	}
	return !unicode.Is(unicode.Han, last) || !unicode.Is(unicode.Han, first)
}

// fullWidthPunct is punctuation of the CJK Symbols and Punctuation block or
// of the full-width forms ("，", "！", "："), which carries its own space.
func fullWidthPunct(r rune) bool {
	return (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF01 && r <= 0xFF0F) || (r >= 0xFF1A && r <= 0xFF20) ||
		(r >= 0xFF3B && r <= 0xFF40) || (r >= 0xFF5B && r <= 0xFF65)
}

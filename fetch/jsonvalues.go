package fetch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// IDString is an id that a platform may send as a JSON string or as a
// number (Valt's and IBM's ids are documented as one and seen as the
// other); null reads as "". Decoding into it keeps a listing from breaking
// over the difference.
type IDString string

// UnmarshalJSON accepts "abc", 123 and null.
func (s *IDString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
	case len(b) > 0 && b[0] == '"':
		if v, ok := plainString(b); ok {
			*s = IDString(v)
			return nil
		}
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = IDString(v)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("an id that is neither a string nor a number: %s", b)
		}
		*s = IDString(n.String())
	}
	return nil
}

// Number is a number that a platform may send bare or quoted (IBM sends
// length and file_size as strings); null, "" and a quoted string that is
// no number read as 0, unknown: a listing should not fail over a
// malformed size or duration.
type Number float64

// UnmarshalJSON accepts 12, 12.5, "12", "" and null.
func (n *Number) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*n = 0
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		s, ok := plainString(b)
		if !ok {
			if err := json.Unmarshal(b, &s); err != nil {
				return err
			}
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			f = 0
		}
		*n = Number(f)
		return nil
	}
	// encoding/json has checked the value already: a bare one is a JSON
	// number, which ParseFloat reads as json.Unmarshal would.
	if f, err := strconv.ParseFloat(string(b), 64); err == nil {
		*n = Number(f)
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("not a number: %s", b)
	}
	*n = Number(f)
	return nil
}

// plainString reads a quoted JSON string that has no escapes and is
// valid UTF-8 without a second decoding, which a listing of thousands of
// ids and sizes would otherwise pay for each one; anything else is left
// to json.Unmarshal.
func plainString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	in := b[1 : len(b)-1]
	if bytes.IndexByte(in, '\\') >= 0 || bytes.IndexByte(in, '"') >= 0 || !utf8.Valid(in) {
		return "", false
	}
	return string(in), true
}

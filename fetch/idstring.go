package fetch

import (
	"bytes"
	"encoding/json"
	"fmt"
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

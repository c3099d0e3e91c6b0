package fetch

import (
	"encoding/json"
	"testing"
)

func TestIDStringReadsStringsNumbersAndNull(t *testing.T) {
	cases := map[string]IDString{`"abc-1"`: "abc-1", `123456789012`: "123456789012", `null`: "", ` 42 `: "42"}
	for in, want := range cases {
		var got IDString
		if err := json.Unmarshal([]byte(in), &got); err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", in, got, err, want)
		}
	}
	var bad IDString
	if err := json.Unmarshal([]byte(`{"id":1}`), &bad); err == nil {
		t.Error("an object was read as an id")
	}
}

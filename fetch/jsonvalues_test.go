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

func TestNumberReadsBareQuotedAndUnknown(t *testing.T) {
	cases := map[string]Number{`12`: 12, `12.5`: 12.5, `"3600"`: 3600, `" 7 "`: 7, `""`: 0, `null`: 0, `"n/a"`: 0}
	for in, want := range cases {
		var got Number
		if err := json.Unmarshal([]byte(in), &got); err != nil || got != want {
			t.Errorf("%s: got %v, %v; want %v", in, got, err, want)
		}
	}
	var bad Number
	if err := json.Unmarshal([]byte(`[1]`), &bad); err == nil {
		t.Error("an array was read as a number")
	}
}

package huawei

import (
	"encoding/json"
	"os"
	"testing"

	"cloudreel/fetch"
)

// TestSeedExample decodes seed 004's own example answer with the
// connector's types and turns it into files.
func TestSeedExample(t *testing.T) {
	raw, err := os.ReadFile("testdata/downloadurls_seed004.json")
	if err != nil {
		t.Fatal(err)
	}
	var ans downloadURLsAnswer
	if err := json.Unmarshal(raw, &ans); err != nil {
		t.Fatal(err)
	}
	if len(ans.RecordURLs) != 1 || ans.RecordURLs[0].ConfUUID != "ef67f6ada67e11eba6374db4b9a61d2c" {
		t.Fatalf("recordUrls: %+v", ans.RecordURLs)
	}
	urls := ans.RecordURLs[0].URLs
	if len(urls) != 6 {
		t.Fatalf("%d urls, want 6", len(urls))
	}
	first := urls[0]
	if first.Token != "f8fe906eaa6d690ef72bc831df54ffd9fc906412aefd329ace96d100cf1bc4be" || first.FileType != "Aux" ||
		first.URL != "https://100.85.230.37/download/typeThree/video/resource/00037/00037ed2-351a-4741-8ce6-a2078f21ba6b/videoAux/0_0.mp4" {
		t.Fatalf("first url: %+v", first)
	}

	conf := ans.RecordURLs[0].ConfUUID
	files := filesOf(conf, urls)
	want := []struct{ kind, ref, token string }{
		{"Aux part 1", conf + "/Aux/0", "f8fe906eaa6d690ef72bc831df54ffd9fc906412aefd329ace96d100cf1bc4be"},
		{"Aux part 2", conf + "/Aux/1", "38e6b3fe7f7c62dd2141a408f4f64b911d1b58a5e04a4f6e0cfd2602181a8ad3"},
		{"Hd part 1", conf + "/Hd/0", "ad8a6f6e009d643ca21f8be306e9e2cadd726360236f07bd176c1b85423b7136"},
		{"Hd part 2", conf + "/Hd/1", "843731642aba1ebb720195a7c44f3f1e32ab409d29b2ecd1c58f30ee269f6da6"},
		{"Sd part 1", conf + "/Sd/0", "fe7a59c69e3f97e831c83d55193a061e5e33e019f4704e5eb441c7f1fa629ad2"},
		{"Sd part 2", conf + "/Sd/1", "9fd3471e9dc047c3c345308f0cbed005f227bf48aa47875c7fe752c5a817cbd9"},
	}
	if len(files) != len(want) {
		t.Fatalf("%d files, want %d", len(files), len(want))
	}
	byRef := map[string]placed{}
	for _, p := range arrange(urls) {
		byRef[ref{conf, p.fileType, p.part}.String()] = p
	}
	for i, w := range want {
		f := files[i]
		if f.Kind != w.kind || f.Ref != w.ref || f.ID != w.ref || f.Ext != "mp4" || f.Size != 0 || f.RecordingID != conf {
			t.Fatalf("file %d: %+v, want %s %s", i, f, w.kind, w.ref)
		}
		// Resolve finds a file by its Ref in a fresh answer.
		if byRef[f.Ref].Token != w.token {
			t.Fatalf("%s resolves to token %s", f.Ref, byRef[f.Ref].Token)
		}
	}

	// The same answer in another order places every file the same.
	reversed := make([]urlInfo, len(urls))
	for i, u := range urls {
		reversed[len(urls)-1-i] = u
	}
	again := arrange(reversed)
	if len(again) != len(want) {
		t.Fatalf("reordered: %d files", len(again))
	}
	for _, p := range again {
		r := ref{conf, p.fileType, p.part}.String()
		if byRef[r].Token != p.Token {
			t.Fatalf("reordered, %s holds token %s, first %s", r, p.Token, byRef[r].Token)
		}
	}
}

func TestDetectPaging(t *testing.T) {
	m := func(ids ...string) []meeting {
		var out []meeting
		for _, id := range ids {
			out = append(out, meeting{ConfUUID: fetch.IDString(id)})
		}
		return out
	}
	first := m("a", "b", "c")
	for _, tc := range []struct {
		probe []meeting
		want  pagingMode
	}{
		{m("b", "c", "d"), itemOffset},
		{m("a", "b", "c"), pageIndex1},
		{m("d", "e", "f"), pageIndex0},
		{nil, itemOffset},
	} {
		if got := detectPaging(first, tc.probe); got != tc.want {
			t.Fatalf("probe %v: %v, want %v", tc.probe, got, tc.want)
		}
	}
	if got := detectPaging(m("a"), m("b")); got != itemOffset {
		t.Fatalf("a first page of one: %v", got)
	}
}

package huawei

import (
	"encoding/json"
	"os"
	"testing"
	"time"
)

// The example answers of Huawei's API reference (testdata/README.md),
// decoded with the connector's own types.

func readGolden(t *testing.T, name string, out any) {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestGoldenRecordingList: SearchRecordings' example, whose startTime is
// the string "2019-12-19 02:07" (UTC) and whose meeting is still being
// transcoded.
func TestGoldenRecordingList(t *testing.T) {
	var p filesPage
	readGolden(t, "record_files_list.json", &p)
	if p.Count != 1 || len(p.Data) != 1 {
		t.Fatalf("count %v, %d meetings", p.Count, len(p.Data))
	}
	rec := p.Data[0].recording()
	if rec.ID != "51adf610220411eaaae03f22d33cc26b" || rec.Title != "user8002的会议" || rec.Owner != "user8002" {
		t.Fatalf("recording %+v", rec)
	}
	if want := time.Date(2019, 12, 19, 2, 7, 0, 0, time.UTC); !rec.Start.Equal(want) || rec.Start.Location() != time.UTC {
		t.Fatalf("start %v, want %v", rec.Start, want)
	}
	if rec.Duration != 71*time.Second {
		t.Fatalf("duration %v", rec.Duration)
	}
	if !rec.Pending || !rec.ReadyAt.Equal(time.UnixMilli(1576721412885)) || len(rec.Files) != 0 {
		t.Fatalf("a meeting being transcoded: pending %v, ready at %v, %d files", rec.Pending, rec.ReadyAt, len(rec.Files))
	}
}

// TestGoldenRecordingDetail: ShowRecordingDetail's example has the same
// fields as a list entry, transcoding finished.
func TestGoldenRecordingDetail(t *testing.T) {
	var m meeting
	readGolden(t, "record_file_detail.json", &m)
	rec := m.recording()
	if rec.Pending || !rec.ReadyAt.IsZero() || rec.Owner != "user8002" || !rec.Start.Equal(time.Date(2019, 12, 19, 2, 7, 0, 0, time.UTC)) {
		t.Fatalf("recording %+v", rec)
	}
}

// TestGoldenAppAuthAnswer: the App ID sign-in example's token and
// lifetime (validPeriod in seconds; expireTime in unix seconds).
func TestGoldenAppAuthAnswer(t *testing.T) {
	var a tokenAnswer
	readGolden(t, "appauth_answer.json", &a)
	if a.AccessToken != "cnr1316vcp2ceIkbfko3z13Y2J8UdioOw0ER4kTK" || a.ValidPeriod != 56326 || a.ExpireTime != 1627768613 {
		t.Fatalf("answer %+v", a)
	}
}

// TestNumbersAndTimesInEveryForm: one server version must not break the
// list by quoting a number or writing a time another documented way.
func TestNumbersAndTimesInEveryForm(t *testing.T) {
	want := time.Date(2019, 12, 19, 2, 7, 0, 0, time.UTC)
	for _, start := range []string{
		`"2019-12-19 02:07"`, `"2019-12-19 02:07:00"`, `"2019-12-19T02:07:00Z"`, `"2019-12-19T10:07:00+08:00"`,
		`1576721220000`, `"1576721220000"`, `1.57672122e12`,
	} {
		var p filesPage
		body := `{"count":"1","data":[{"confUUID":"51adf610220411eaaae03f22d33cc26b","subject":"s","scheduserName":"u",` +
			`"startTime":` + start + `,"rcdTime":"71","rcdSize":"3","isDecodeFinish":"false","decodeEndTime":"1576721412885"}]}`
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatalf("startTime %s: %v", start, err)
		}
		rec := p.Data[0].recording()
		if p.Count != 1 || !rec.Start.Equal(want) || rec.Duration != 71*time.Second || !rec.Pending || !rec.ReadyAt.Equal(time.UnixMilli(1576721412885)) {
			t.Fatalf("startTime %s: count %v, %+v", start, p.Count, rec)
		}
	}
	// Unknown, not an error: an empty or null time, a missing flag.
	var m meeting
	if err := json.Unmarshal([]byte(`{"confUUID":123,"startTime":"","decodeEndTime":null,"isDecodeFinish":null}`), &m); err != nil {
		t.Fatal(err)
	}
	if rec := m.recording(); rec.ID != "123" || !rec.Start.IsZero() || rec.Pending {
		t.Fatalf("%+v", rec)
	}
	// A time in no documented form is an error, not a wrong date.
	if err := json.Unmarshal([]byte(`{"startTime":"19/12/2019 02:07"}`), &m); err == nil {
		t.Fatal("an undocumented time form was read")
	}
}

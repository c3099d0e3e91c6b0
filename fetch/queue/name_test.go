package queue

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

func TestName(t *testing.T) {
	day := time.Date(2026, 1, 2, 12, 30, 0, 0, time.Local)
	base := NameFields{Platform: fetch.Valt, Account: "Office", RecordingID: "rec-1", Title: "Staff meeting",
		Start: day, Kind: "video", FileID: "file-1", Ext: "mp4"}
	with := func(change func(*NameFields)) NameFields {
		f := base
		change(&f)
		return f
	}
	title := func(s string) NameFields { return with(func(f *NameFields) { f.Title = s }) }
	join := filepath.Join
	tests := []struct {
		name     string
		template string
		fields   NameFields
		want     string
	}{
		{"default template", "", base, join("Valt", "Office", "2026-01-02 Staff meeting (video).mp4")},
		{"colon reads as a dash", "{title}.{ext}", title("Year 9 Science: Forces & Motion"), "Year 9 Science - Forces & Motion.mp4"},
		{"colon without space", "{title}.{ext}", title("Meeting 10:30"), "Meeting 10-30.mp4"},
		{"slash in a title is no folder", "{title}.{ext}", title("Parent evening / Q&A"), "Parent evening - Q&A.mp4"},
		{"backslash in a title is no folder", "{title}.{ext}", title(`Room\Hall`), "Room-Hall.mp4"},
		{"question mark dropped", "{title}.{ext}", title("Fire drill briefing?"), "Fire drill briefing.mp4"},
		{"double quotes", "{title}.{ext}", title(`Budget 2026 "final" review`), "Budget 2026 'final' review.mp4"},
		{"angle brackets", "{title}.{ext}", title("Interview room 3 <recorded>"), "Interview room 3 recorded.mp4"},
		{"pipe", "{title}.{ext}", title("Therapy session A|B"), "Therapy session A-B.mp4"},
		{"star and double spaces", "{title}.{ext}", title("Training: First aid * refresher"), "Training - First aid refresher.mp4"},
		{"leading and trailing spaces", "{title}.{ext}", title("  Morning assembly  "), "Morning assembly.mp4"},
		{"trailing dots", "{title}.{ext}", title("Board meeting..."), "Board meeting.mp4"},
		{"leading dots (hidden files)", "{title}.{ext}", title("...notes"), "notes.mp4"},
		{"control characters", "{title}.{ext}", title("a\x00b\tc\x7f"), "ab c.mp4"},
		{"reserved name", "{title}.{ext}", title("CON"), "CON_.mp4"},
		{"reserved name in any case", "{title}.{ext}", title("nul"), "nul_.mp4"},
		{"reserved COM and LPT", "{title}/{kind}.{ext}", title("com1"), join("com1_", "video.mp4")},
		{"reserved with superscript", "{title}.{ext}", title("LPT¹"), "LPT¹_.mp4"},
		{"not reserved when longer", "{title}.{ext}", title("CONSOLE"), "CONSOLE.mp4"},
		{"climbing out in a title", "{title}.{ext}", title("../../etc/passwd"), "-..-etc-passwd.mp4"},
		{"climbing out in the template", "../../{title}.{ext}", base, "Staff meeting.mp4"},
		{"absolute template", "/etc/{title}.{ext}", base, join("etc", "Staff meeting.mp4")},
		{"windows drive in template", `C:\{title}.{ext}`, base, join("C-", "Staff meeting.mp4")},
		{"empty title uses the id", "{title}.{ext}", title("   "), "rec-1.mp4"},
		{"extension added when missing", "{title}", base, "Staff meeting.mp4"},
		{"extension made safe", "{title}", with(func(f *NameFields) { f.Ext = "../m p4" }), "Staff meeting.mp4"},
		{"unknown placeholder kept", "{title} {nope}.{ext}", base, "Staff meeting {nope}.mp4"},
		{"date and time", "{date} {time} {id} {fileid}.{ext}", base, "2026-01-02 12-30 rec-1 file-1.mp4"},
		{"no date", "{date} {title}.{ext}", with(func(f *NameFields) { f.Start = time.Time{} }), "undated Staff meeting.mp4"},
		{"unicode kept", "{title}.{ext}", title("教师培训 第二节"), "教师培训 第二节.mp4"},
		{"platform title", "{platform}.{ext}", with(func(f *NameFields) { f.Platform = fetch.IBMVideo }), "IBM Video Streaming.mp4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Name(tc.template, tc.fields); got != tc.want {
				t.Fatalf("Name(%q) = %q, want %q", tc.template, got, tc.want)
			}
		})
	}
}

func TestNameCutsLongComponents(t *testing.T) {
	for _, title := range []string{strings.Repeat("a", 400), strings.Repeat("教", 200), strings.Repeat("ab. ", 100)} {
		got := Name("{title}/{title}.{ext}", NameFields{Title: title, Ext: "mp4"})
		dir, file := filepath.Split(got)
		dir = strings.TrimSuffix(dir, string(filepath.Separator))
		if len(dir) > 255 || len(file) > 255-len(partSuffix) {
			t.Fatalf("components of %d and %d bytes", len(dir), len(file))
		}
		if !utf8.ValidString(got) || !strings.HasSuffix(file, ".mp4") {
			t.Fatalf("cut badly: %q", got)
		}
		if strings.HasSuffix(dir, ".") || strings.HasSuffix(dir, " ") {
			t.Fatalf("folder ends with a dot or space: %q", dir)
		}
		numberedName := filepath.Base(numbered(got, 12))
		if len(numberedName) > 255-len(partSuffix) || !strings.HasSuffix(numberedName, " (12).mp4") {
			t.Fatalf("numbered name %q (%d bytes)", numberedName, len(numberedName))
		}
	}
}

// Every title the simulator has (the characters real titles hold) gives
// components that every system accepts and that stay inside the folder.
func TestNameIsSafeForEverySimulatorTitle(t *testing.T) {
	s := sim.New(sim.Config{Recordings: 40})
	for _, p := range fetch.Platforms {
		for _, r := range s.Recordings(p) {
			for _, f := range r.Files {
				got := Name(DefaultTemplate, NameFields{Platform: p, Account: "A: B", Title: r.Title, Start: r.Start, Kind: f.Kind, Ext: f.Ext})
				if !filepath.IsLocal(got) {
					t.Fatalf("%q is not inside the folder", got)
				}
				for _, c := range strings.Split(got, string(filepath.Separator)) {
					if c == "" || strings.ContainsAny(c, `<>:"/\|?*`) || strings.TrimRight(c, " .") != c ||
						strings.TrimLeft(c, " ") != c || len(c) > 255 || isReserved(c) {
						t.Fatalf("unsafe component %q in %q", c, got)
					}
				}
			}
		}
	}
}

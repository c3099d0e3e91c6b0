package main

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"
	"github.com/mattn/go-runewidth"
	"golang.org/x/text/language"

	"cloudreel/fetch"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/sim"
)

// column is the terminal column at which cell starts in line, -1 when
// the line does not hold it.
func column(line, cell string) int {
	i := strings.Index(line, cell)
	if i < 0 {
		return -1
	}
	return runewidth.StringWidth(line[:i])
}

// A column after Chinese text starts where it does after Latin text: the
// table pads by terminal columns (a Han character takes two), not by runes
// as text/tabwriter does.
func TestATableWithChineseTitlesLinesUp(t *testing.T) {
	var tw table
	tw.header("DATE\tTITLE\tSIZE")
	tw.row("2026年3月9日 14:05", "教职工会议（第一部分）", "1.5 GB")
	tw.row("9 Mar 2026 14:05", "Staff meeting", "12 MB")
	tw.row("2026年3月10日 09:00", "Mixed 会议 notes", "?")
	var b strings.Builder
	if err := tw.write(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines:\n%s", len(lines), b.String())
	}
	titles := []string{"TITLE", "教职工会议（第一部分）", "Staff meeting", "Mixed 会议 notes"}
	sizes := []string{"SIZE", "1.5 GB", "12 MB", "?"}
	for i, l := range lines {
		if got, want := column(l, titles[i]), column(lines[0], "TITLE"); got != want {
			t.Errorf("line %d: the title starts at column %d, want %d:\n%s", i, got, want, b.String())
		}
		if got, want := column(l, sizes[i]), column(lines[0], "SIZE"); got != want {
			t.Errorf("line %d: the size starts at column %d, want %d:\n%s", i, got, want, b.String())
		}
		if strings.HasSuffix(l, " ") {
			t.Errorf("line %d ends in spaces: %q", i, l)
		}
	}
	// 22 columns of title: the widest, plus two spaces.
	if want := runewidth.StringWidth("2026年3月10日 09:00") + 2 + runewidth.StringWidth("教职工会议（第一部分）") + 2; column(lines[0], "SIZE") != want {
		t.Errorf("SIZE at column %d, want %d", column(lines[0], "SIZE"), want)
	}
}

// A title cut for the table is cut by terminal columns: 60 columns are 30
// Chinese characters, and the cut ends in "…".
func TestShortenCutsByTerminalColumns(t *testing.T) {
	long := strings.Repeat("会议", 40)
	got := shorten(long, 60)
	if w := runewidth.StringWidth(got); w > 60 || !strings.HasSuffix(got, "…") {
		t.Errorf("shorten gave %d columns: %q", w, got)
	}
	if s := "Staff meeting"; shorten(s, 60) != s {
		t.Errorf("a short title was cut: %q", shorten(s, 60))
	}
}

// accounts list in Chinese: the platform column holds 华为云会议 beside
// Zoom Video SDK, and the server column still starts at one column.
func TestAccountsListLinesUpInChinese(t *testing.T) {
	accountsHome(t)
	for _, a := range []struct {
		secret string
		args   []string
	}{
		{"zoom-cli-secret-0003", []string{"-platform", "zoom", "-name", "培训部", "-api-key", "key"}},
		{"huawei-cli-secret-0004", []string{"-platform", "huawei", "-name", "Office", "-app-id", "app", "-user-id", "u", "-corp-id", "c"}},
	} {
		if code, _, stderr := runWithStdin(a.secret+"\n", append([]string{"accounts", "add", "-no-check"}, a.args...)...); code != 0 {
			t.Fatalf("%v: %s", a.args, stderr)
		}
	}
	locale.Use("zh-Hans")
	t.Cleanup(func() { locale.Use("en") })
	code, stdout, stderr := runWithStdin("", "accounts", "list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "华为云会议") {
		t.Fatalf("the platform is not named in Chinese:\n%s", stdout)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	header := strings.Split(lang.L("NAME\tPLATFORM\tSERVER\tUSER OR KEY ID"), "\t")
	want := column(lines[0], header[2])
	if len(lines) != 3 || want < 0 {
		t.Fatalf("want a header and two rows:\n%s", stdout)
	}
	for _, l := range lines[1:] {
		// The third cell follows the platform's name and its padding.
		var platform string
		for _, p := range []string{"华为云会议", "Zoom Video SDK"} {
			if strings.Contains(l, p) {
				platform = p
			}
		}
		rest := l[strings.Index(l, platform)+len(platform):]
		third := strings.Fields(rest)[0]
		if got := column(l, third); got != want {
			t.Errorf("in %q the server starts at column %d, the header's at %d:\n%s", l, got, want, stdout)
		}
	}
}

// The recordings table writes dates, durations and sizes as the window
// does in the language spoken, not Go's "2006-01-02 15:04", "1h5m0s" and
// a hard-coded "MB".
func TestTheRecordingsTableWritesValuesInTheLanguage(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 4, MinSize: 1_500_000, MaxSize: 1_600_000})
	names := huaweiCLIAccounts(t, s)
	recs := s.Recordings(fetch.Huawei)
	from := recs[len(recs)-1].Start.Format(time.DateOnly)
	locale.Use("es")
	t.Cleanup(func() { locale.Use("en") })
	code, stdout, stderr := runCLI(t, "recordings", "-account", names[0], "-from", from)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	es := locale.In(language.Spanish)
	for _, r := range recs[1:] {
		if want := es.DateTime(r.Start.UTC()); !strings.Contains(stdout, want) {
			t.Errorf("the table has no %q for %s:\n%s", want, r.ID, stdout)
		}
		if r.Duration > 0 {
			if want := es.Duration(r.Duration); !strings.Contains(stdout, want) {
				t.Errorf("the table has no duration %q:\n%s", want, stdout)
			}
		}
	}
	if !strings.Contains(stdout, ",") || !strings.Contains(stdout, " MB") || strings.Contains(stdout, "m0s") {
		t.Errorf("want sizes with a decimal comma and no Go durations:\n%s", stdout)
	}
}

package locale

import (
	"embed"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"fyne.io/fyne/v2/lang"
	"golang.org/x/text/language"
)

//go:embed testdata/translations/*.json
var testFiles embed.FS

var testSet = Set{FS: testFiles, Dir: "testdata/translations"}

// Fyne's own words (its "Cancel") and a set of ours both follow Use,
// without a new start, and System goes back to the environment's language.
func TestUseSpeaksTheChosenLanguage(t *testing.T) {
	t.Setenv("LANGUAGE", "en")
	if err := Load(testSet); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Use(System) })
	for _, c := range []struct{ tag, cancel, ours string }{
		{"zh-Hans", "取消", "已下载"},
		{"es", "Cancelar", "Descargado"},
		{"en", "Cancel", "Downloaded"},
	} {
		Use(c.tag)
		if got := lang.L("Cancel"); got != c.cancel {
			t.Errorf("in %s Fyne says %q, want %q", c.tag, got, c.cancel)
		}
		if got := lang.L("Downloaded"); got != c.ours {
			t.Errorf("in %s our set says %q, want %q", c.tag, got, c.ours)
		}
		if Chosen() != c.tag || Current().String() != c.tag {
			t.Errorf("chose %s: Chosen %q, Current %v", c.tag, Chosen(), Current())
		}
	}
	t.Setenv("LANGUAGE", "es_ES")
	Use(System)
	if got := lang.L("Downloaded"); got != "Descargado" || Current() != language.Spanish {
		t.Errorf("the system speaks Spanish: got %q in %v", got, Current())
	}
	Use("klingon")
	if Chosen() != System {
		t.Errorf("a language without translations is chosen: %q", Chosen())
	}
}

// On a system in a language Cloudreel has no words for, all of it speaks
// the nearest it has, English here: not Fyne's French dialogs around
// English sentences.
func TestASystemInAnotherLanguageSpeaksEnglishThroughout(t *testing.T) {
	t.Setenv("LANGUAGE", "fr_FR")
	if err := Load(testSet); err != nil {
		t.Fatal(err)
	}
	Use(System)
	if got := lang.L("Cancel"); got != "Cancel" {
		t.Errorf("Fyne says %q on a French system, want English", got)
	}
	if Current() != language.English {
		t.Errorf("Current is %v", Current())
	}
	t.Setenv("LANGUAGE", "fr_FR:zh_CN")
	Use(System)
	if got := lang.L("Downloaded"); got != "已下载" {
		t.Errorf("French then Chinese: got %q, want the Chinese", got)
	}
}

// The choice saved in a data folder is what Apply speaks, as the commands
// do at start; a folder without one follows the system.
func TestApplyReadsTheSavedChoice(t *testing.T) {
	t.Setenv("LANGUAGE", "en")
	dir := t.TempDir()
	t.Cleanup(func() { Use(System) })
	if err := Apply(dir, testSet); err != nil || Chosen() != System {
		t.Fatalf("no choice saved: %v, %q", err, Chosen())
	}
	if err := Save(dir, "zh-Hans"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, choiceFile))
	if err != nil || strings.TrimSpace(string(b)) != "zh-Hans" {
		t.Fatalf("saved %q, %v", b, err)
	}
	Use(System)
	if err := Apply(dir, testSet); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("Downloaded"); got != "已下载" {
		t.Errorf("after Apply: %q", got)
	}
}

// Check finds each kind of mistake a translation file can have.
func TestCheckFindsMissingUnusedAndBrokenTranslations(t *testing.T) {
	keys := map[string]Key{
		"Downloaded":                {ID: "Downloaded", Where: "a.go:1"},
		"{{.Count}} files":          {ID: "{{.Count}} files", Plural: true, Where: "a.go:2"},
		"Hello {{.Name}}":           {ID: "Hello {{.Name}}", Where: "a.go:3"},
		"Only in English, sadly":    {ID: "Only in English, sadly", Where: "a.go:4"},
		"Not in the Spanish at all": {ID: "Not in the Spanish at all", Where: "a.go:5"},
	}
	files := fstest.MapFS{
		"t/en.json": {Data: []byte(`{"Downloaded": "Downloaded", "{{.Count}} files": {"one": "1 file", "other": "{{.Count}} files"},
			"Hello {{.Name}}": "Hello {{.Name}}", "Only in English, sadly": "Only in English, sadly", "Not in the Spanish at all": "x"}`)},
		"t/zh-Hans.json": {Data: []byte(`{"Downloaded": "已下载", "{{.Count}} files": {"other": "{{.Count}} 个文件"},
			"Hello {{.Name}}": "你好", "Only in English, sadly": "", "Not in the Spanish at all": "x", "Gone": "没了"}`)},
		"t/es.json": {Data: []byte(`{"Downloaded": "Descargado", "{{.Count}} files": {"one": "1 archivo", "other": "{{.Count}} archivos"},
			"Hello {{.Name}}": "Hola {{.Name}}", "Only in English, sadly": "Solo"}`)},
	}
	got := strings.Join(Check(files, "t", keys), "\n")
	for _, want := range []string{
		`zh-Hans.json: "Hello {{.Name}}" (other) has the values [] , the key [Name]`,
		`zh-Hans.json: "Only in English, sadly" has an empty other`,
		`zh-Hans.json: "Gone" is used by no code`,
		`es.json: "{{.Count}} files" lacks its "many" form`,
		`es.json: no translation of "Not in the Spanish at all"`,
	} {
		if !strings.Contains(got, strings.ReplaceAll(want, "[] ,", "[],")) {
			t.Errorf("Check misses %s; it says:\n%s", want, got)
		}
	}
	if strings.Contains(got, "en.json") {
		t.Errorf("the English file is right, Check says:\n%s", got)
	}
}

// The scan finds the keys of a real package: this repository's window.
func TestKeysScansRealCode(t *testing.T) {
	keys, problems, err := Keys("../../gui")
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Errorf("problems: %v", problems)
	}
	if k, ok := keys["Settings"]; !ok || k.Plural || !strings.Contains(k.Where, ".go:") {
		t.Errorf("Settings: %+v, %v", k, ok)
	}
}

// Fyne's lang.L reads its localizer with no lock, from any goroutine: a new
// window's Load of sets loaded before, or a Use of the language already
// spoken, must not write it again (the race detector caught a window's
// opening doing so while another goroutine said a sentence).
func TestLoadAgainLeavesFynesLanguageAlone(t *testing.T) {
	t.Setenv("LANGUAGE", "en")
	if err := Load(testSet); err != nil {
		t.Fatal(err)
	}
	Use("es")
	t.Cleanup(func() { Use(System) })
	writes := 0
	real := useFyneLanguage
	useFyneLanguage = func(tag string) { writes++; real(tag) }
	t.Cleanup(func() { useFyneLanguage = real })
	if err := Load(testSet); err != nil {
		t.Fatal(err)
	}
	Use("es")
	if writes != 0 {
		t.Errorf("Fyne's language was written %d times without a change", writes)
	}
	if got := lang.L("Downloaded"); got != "Descargado" {
		t.Errorf("after loading again the window says %q", got)
	}
	Use("zh-Hans")
	if writes != 1 || lang.L("Downloaded") != "已下载" {
		t.Errorf("a real change: %d writes, says %q", writes, lang.L("Downloaded"))
	}
}

// Sentences are joined with a space in English and Spanish, with none after
// Chinese full-width punctuation, and an English sentence after a Chinese
// one (a platform's answer) keeps no space after the 。 either.
func TestSentencesJoinAsTheWritingDoes(t *testing.T) {
	for _, c := range []struct {
		parts []string
		want  string
	}{
		{[]string{"The server could not be reached.", "Check the address."}, "The server could not be reached. Check the address."},
		{[]string{"No se pudo conectar.", "", "Compruebe la dirección."}, "No se pudo conectar. Compruebe la dirección."},
		{[]string{"无法连接服务器。", "请检查网络连接和服务器地址。"}, "无法连接服务器。请检查网络连接和服务器地址。"},
		{[]string{"平台要求放慢速度！", "Cloudreel 会自动重试。"}, "平台要求放慢速度！Cloudreel 会自动重试。"},
		{[]string{"原因：", "quota exceeded."}, "原因：quota exceeded."},
		{[]string{"3 个文件", "（续传）"}, "3 个文件（续传）"},
		{[]string{"用户名或密码错误", "请检查"}, "用户名或密码错误请检查"},
		{[]string{"Quota exceeded.", "请稍后重试。"}, "Quota exceeded. 请稍后重试。"},
		{[]string{" padded ", "words "}, "padded words"},
	} {
		if got := Sentences(c.parts...); got != c.want {
			t.Errorf("Sentences(%q) = %q, want %q", c.parts, got, c.want)
		}
	}
}

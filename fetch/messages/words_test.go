package messages

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/locale"
)

// speak loads this set and speaks tag for one test, English after it.
func speak(t *testing.T, tag string) {
	t.Helper()
	if err := Load(); err != nil {
		t.Fatal(err)
	}
	locale.Use(tag)
	t.Cleanup(func() { locale.Use("en") })
}

// The window's set and this one are loaded into the same lang: a key in
// both must say the same in each language, or whichever set loads last
// decides, and the window and the commands call one thing two names (录制
// in one, 录制文件 in the other).
func TestAKeyInBothSetsTranslatesTheSame(t *testing.T) {
	shared := 0
	for _, tag := range []string{"en", "zh-Hans", "es"} {
		ours := readSet(t, filepath.Join("translations", tag+".json"))
		window := readSet(t, filepath.Join(root, "gui", "translations", tag+".json"))
		for key, v := range ours {
			w, ok := window[key]
			if !ok {
				continue
			}
			shared++
			if !reflect.DeepEqual(v, w) {
				t.Errorf("%s: %q is %v for the commands but %v in the window", tag, key, v, w)
			}
		}
	}
	if shared == 0 {
		t.Fatal("no key is in both sets: is the test reading the window's files?")
	}
}

// Chinese calls a recording 录制, as Huawei's own interface does, not
// 录制文件 (a recording's file is a 文件).
func TestChineseSaysLuZhiForARecording(t *testing.T) {
	for _, p := range []string{filepath.Join("translations", "zh-Hans.json"), filepath.Join(root, "gui", "translations", "zh-Hans.json")} {
		for key, v := range readSet(t, p) {
			if s, _ := json.Marshal(v); strings.Contains(string(s), "录制文件") {
				t.Errorf("%s: %q says 录制文件: %s", p, key, s)
			}
		}
	}
}

func readSet(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// A platform's name in a sentence is the one its users know in their
// language: Huawei's Chinese interface says 华为云会议.
func TestPlatformNamesAreTranslated(t *testing.T) {
	speak(t, "zh-Hans")
	if got := fetch.Huawei.Name(); got != "华为云会议" {
		t.Errorf("Huawei in Chinese is %q", got)
	}
	if got := fetch.ZoomSDK.Name(); got != "Zoom Video SDK" {
		t.Errorf("Zoom in Chinese is %q", got)
	}
	if got := fetch.Huawei.Title(); got != "Huawei Cloud Meeting" {
		t.Errorf("Huawei's Title, for file names, changed with the language: %q", got)
	}
	locale.Use("en")
	for _, p := range fetch.Platforms {
		if p.Name() != p.Title() {
			t.Errorf("in English %s is named %q but titled %q", p, p.Name(), p.Title())
		}
	}
}

// Plain's two sentences are joined as the language writes them: no space
// after Chinese 。, one after a Spanish full stop.
func TestPlainJoinsSentencesAsTheLanguageDoes(t *testing.T) {
	err := fetch.NewError(fetch.KindUnreachable, errors.New("dial tcp: refused"), "")
	for _, c := range []struct{ tag, want string }{
		{"zh-Hans", "无法连接服务器。请检查网络连接和服务器地址。"},
		{"es", "No se pudo conectar con el servidor. Compruebe la conexión a internet y la dirección del servidor."},
		{"en", "The server could not be reached. Check the internet connection and the server address."},
	} {
		speak(t, c.tag)
		if got := fetch.Plain(err); got != c.want {
			t.Errorf("%s: Plain = %q, want %q", c.tag, got, c.want)
		}
	}
}

// The connectors name their platform in English to fetch's API calls
// ("Huawei Cloud Meeting"); the sentence a person reads names it in the
// language spoken.
func TestAnUnreadableAnswerNamesThePlatformInTheLanguage(t *testing.T) {
	speak(t, "zh-Hans")
	var out map[string]any
	err := fetch.DecodeJSON("Huawei Cloud Meeting", []byte("<html>"), &out)
	if got := fetch.Plain(err); !strings.HasPrefix(got, "华为云会议") {
		t.Errorf("Plain = %q, want it to name 华为云会议", got)
	}
	err = fetch.DecodeJSON("The Valt server", []byte("<html>"), &out)
	if got := fetch.Plain(err); !strings.HasPrefix(got, "Valt 服务器") {
		t.Errorf("Plain = %q, want it to name Valt 服务器", got)
	}
}

// An account the commands are asked to add with a wrong setting is
// refused in the language spoken (issue 16), with the platform's name in
// it.
func TestAnAccountsProblemIsSaidInTheLanguage(t *testing.T) {
	speak(t, "es")
	cases := map[string]accounts.Account{
		"ponga un nombre a la cuenta": {Platform: fetch.ZoomSDK},
		"clave de API":                {Name: "Escuela", Platform: fetch.ZoomSDK},
		"Huawei Cloud Meeting no puede hacer trash con las grabaciones (disponible: solo delete)": {Name: "Escuela", Platform: fetch.Huawei, HuaweiAccount: "a", Cleanup: "trash"},
	}
	for want, a := range cases {
		err := a.Validate()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: %v, want it to say %q", a, err, want)
		}
	}
	speak(t, "zh-Hans")
	if _, err := accounts.ParsePlatform("skype"); err == nil || !strings.Contains(err.Error(), "不是 Cloudreel 支持的平台") {
		t.Errorf("an unknown platform in Chinese: %v", err)
	}
}

package verify

import (
	"testing"

	"cloudreel/fetch"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/messages"
)

// Why a download is not proven whole is said in the language Cloudreel
// speaks, with the numbers in their places.
func TestJudgeSpeaksTheChosenLanguage(t *testing.T) {
	if err := messages.Load(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { locale.Use("en") })
	e := Evidence{Platform: fetch.ZoomSDK, File: fetch.File{Size: 2000}, Bytes: 1500}
	for _, c := range []struct{ tag, want string }{
		{"zh-Hans", "下载的文件有 1500 字节，而 Zoom 列出的是 2000 字节。"},
		{"es", "El archivo descargado tiene 1500 bytes, pero Zoom indica 2000."},
		{"en", "The downloaded file has 1500 bytes where Zoom lists 2000."},
	} {
		locale.Use(c.tag)
		_, err := Judge(e)
		if got := fetch.Plain(err); got != c.want {
			t.Errorf("%s: Judge says %q, want %q", c.tag, got, c.want)
		}
	}
}

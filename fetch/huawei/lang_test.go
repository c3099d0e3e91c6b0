package huawei

import (
	"context"
	"testing"

	"cloudreel/fetch"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/messages"
)

// What Huawei's connector tells a person is said in the language Cloudreel
// speaks: a setup left half done, and a meeting id that is not one.
func TestTheConnectorsSentencesAreTranslated(t *testing.T) {
	if err := messages.Load(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { locale.Use("en") })
	for _, c := range []struct{ tag, setup, id string }{
		{"zh-Hans", "请输入华为云会议账号的密码。", "“a,b”不是华为会议 ID。"},
		{"es", "Introduzca la contraseña de la cuenta de Huawei Cloud Meeting.", "\"a,b\" no es un ID de reunión de Huawei."},
		{"en", "Enter the password of the Huawei Cloud Meeting account.", "\"a,b\" is not a Huawei meeting id."},
	} {
		locale.Use(c.tag)
		_, err := New(Config{Account: "zhang"})
		if got := fetch.Plain(err); got != c.setup {
			t.Errorf("%s: New without a password says %q, want %q", c.tag, got, c.setup)
		}
		conn, err := New(Config{Account: "zhang", Password: "Qx7-unusual-Pw"})
		if err != nil {
			t.Fatal(err)
		}
		if got := fetch.Plain(conn.Delete(context.Background(), "a,b", fetch.Huawei.DeleteModes()[0])); got != c.id {
			t.Errorf("%s: Delete of a bad id says %q, want %q", c.tag, got, c.id)
		}
	}
}

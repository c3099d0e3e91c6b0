package accounts

import (
	"os"
	"strings"
	"testing"

	"cloudreel/fetch"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/messages"
)

// TestMain loads the translations in English, as main does before any
// command runs, so that the tests matching English sentences read them.
func TestMain(m *testing.M) {
	os.Setenv("LANGUAGE", "en")
	if err := messages.Load(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// A failed sign-in is explained in the language Cloudreel speaks, with the
// platform's word for the secret in that language too.
func TestExplainSpeaksTheChosenLanguage(t *testing.T) {
	t.Cleanup(func() { locale.Use("en") })
	huawei := Account{Name: "会议室", Platform: fetch.Huawei, HuaweiAccount: "zhang"}
	zoom := Account{Name: "Aula 3", Platform: fetch.ZoomSDK, APIKey: "k"}
	for _, c := range []struct {
		tag  string
		a    Account
		err  error
		want []string
	}{
		{"zh-Hans", huawei, &fetch.Error{Kind: fetch.KindAuth}, []string{"华为云会议不接受账号“zhang”和此密码"}},
		{"zh-Hans", huawei, &fetch.Error{Kind: fetch.KindPermission}, []string{"只有企业管理员可以下载"}},
		{"zh-Hans", huawei, ErrNotFound, []string{"没有保存 会议室 的密码"}},
		{"es", zoom, &fetch.Error{Kind: fetch.KindAuth}, []string{"Zoom no aceptó la clave de API"}},
		{"es", zoom, ErrNotFound, []string{"no tiene guardado su Secreto de API de Aula 3"}},
		{"es", zoom, &fetch.Error{Kind: fetch.KindUntrusted, Fingerprint: "AB:CD"}, []string{"no es de confianza", "Su huella es AB:CD"}},
		{"en", zoom, ErrNotFound, []string{"Cloudreel has no saved API secret for Aula 3"}},
	} {
		locale.Use(c.tag)
		got := Explain(c.a, c.err)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: Explain(%v) = %q, want it to say %q", c.tag, c.err, got, w)
			}
		}
	}
	locale.Use("es")
	if got := SecretName(Account{Platform: fetch.Valt}); got != "contraseña" {
		t.Errorf("SecretName of a Valt account in Spanish = %q, want contraseña", got)
	}
	if err := (&Store{}).Test(t.Context(), Account{Name: "Aula 3", Platform: fetch.ZoomSDK, APIKey: "k", Server: "https://zoom.example"}, ""); err == nil || !strings.Contains(err.Error(), "introduzca su Secreto de API") {
		t.Errorf("testing without a secret in Spanish: %v, want it to ask for the secret", err)
	}
}

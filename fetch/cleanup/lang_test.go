package cleanup

import (
	"os"
	"testing"

	"cloudreel/fetch/messages"
)

// TestMain loads the translations in English, as main does before any
// command runs: the sentences with a count need them for their forms.
func TestMain(m *testing.M) {
	os.Setenv("LANGUAGE", "en")
	if err := messages.Load(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

package cleanup

import (
	"testing"
	"time"

	"cloudreel/fetch/locale"
)

// A countdown under two hours reads in the language's own units, not Go's
// "1h30m".
func TestCountdownSpeaksTheChosenLanguage(t *testing.T) {
	t.Cleanup(func() { locale.Use("en") })
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct{ tag, want string }{
		{"en", "in 1 h 30 min"},
		{"zh-Hans", "1小时30分钟后"},
		{"es", "en 1 h 30 min"},
	} {
		locale.Use(c.tag)
		if got := Countdown(now.Add(90*time.Minute), now); got != c.want {
			t.Errorf("%s: Countdown of 90 minutes = %q, want %q", c.tag, got, c.want)
		}
	}
}

package main

import (
	"strings"
	"testing"
	"time"
)

// A date before 2000 is refused in plain words instead of silently
// meaning "no start date"; 2000-01-01 itself is a date like any other.
func TestDateRangeRefusesDatesBefore2000(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, from := range []string{"0001-01-01", "1999-12-31", "0000-01-01"} {
		if _, err := dateRange(from, "", now); err == nil || !strings.Contains(err.Error(), "too early") {
			t.Errorf("-from %s: %v, want a refusal saying it is too early", from, err)
		}
	}
	if _, err := dateRange("", "1970-01-01", now); err == nil || !strings.Contains(err.Error(), "too early") {
		t.Errorf("-to 1970-01-01: %v, want a refusal saying it is too early", err)
	}
	q, err := dateRange("2000-01-01", "2000-01-31", now)
	if err != nil || !q.From.Equal(earliestDay) || q.From.IsZero() {
		t.Errorf("-from 2000-01-01 gave %v, %v", q.From, err)
	}
}

// The commands print the refusal as one plain line.
func TestRecordingsRefusesAnEarlyFrom(t *testing.T) {
	accountsHome(t)
	for _, cmd := range []string{"recordings", "download"} {
		code, _, stderr := runWithStdin("", cmd, "-account", "Any", "-from", "0001-01-01")
		wantOnePlainLine(t, code, stderr, `"0001-01-01" is too early`)
	}
}

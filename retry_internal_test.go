package cloudspot

import (
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, time.November, 27, 7, 28, 0, 0, time.UTC)
	for _, tc := range []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"0", 0, true},
		{" 12 ", 12 * time.Second, true},
		{"Fri, 27 Nov 2026 07:28:30 GMT", 30 * time.Second, true}, // IMF-fixdate
		{"Friday, 27-Nov-26 07:29:00 GMT", time.Minute, true},     // RFC 850
		{"Fri Nov 27 07:28:05 2026", 5 * time.Second, true},       // asctime
		{"Fri, 27 Nov 2026 07:00:00 GMT", 0, true},                // in the past: now
		{"99999999999999", 24 * time.Hour, true},                  // absurd: capped, never overflows
		{"-1", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	} {
		got, ok := parseRetryAfter(tc.header, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.header, got, ok, tc.want, tc.ok)
		}
	}
}

package notify

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := map[string]time.Duration{
		"":          0,
		"abc":       0,
		"0":         0,
		"-5":        0,
		" 12 ":      12 * time.Second,
		"999999999": 24 * time.Hour,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
	}
	for in, want := range cases {
		if got := retryAfter(in, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestHeaderSafe(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"":                 "",
		"plain ✓":          "plain ✓",
		"tab\tkept":        "tab\tkept",
		"a\r\nb\x00c\x7fd": "a  b c d",
	}
	for in, want := range cases {
		if got := headerSafe(in); got != want {
			t.Errorf("headerSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPermanentSNSCodeFallback(t *testing.T) {
	t.Parallel()
	cases := []struct {
		code   string
		status int
		want   bool
	}{
		{"Unlisted", 400, true}, {"Unlisted", 404, true}, {"Unlisted", 408, false},
		{"Unlisted", 429, false}, {"Unlisted", 500, false}, {"Unlisted", 0, false},
		{"UnknownError", 404, false}, {"NotFound", 500, true}, {"Throttling", 400, false},
	}
	for _, c := range cases {
		if got := permanentSNSCode(c.code, c.status); got != c.want {
			t.Errorf("permanentSNSCode(%q, %d) = %v, want %v", c.code, c.status, got, c.want)
		}
	}
}

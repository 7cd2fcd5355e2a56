package httpapi

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/glacierd/glacierd/internal/glacier"
)

func TestParseContentRange(t *testing.T) {
	for _, c := range []struct {
		in          string
		first, last int64
		ok          bool
	}{
		{"bytes 0-1048575/*", 0, 1048575, true},
		{"bytes 1048576-2097151/*", 1048576, 2097151, true},
		{"bytes 0-0/12345", 0, 0, true},
		{"bytes=0-1048575", 0, 0, false},
		{"bytes 0-1048575", 0, 0, false},
		{"bytes 5-4/*", 0, 0, false},
		{"bytes -5/*", 0, 0, false},
		{"bytes 0-/*", 0, 0, false},
		{"bytes +1-2/*", 0, 0, false},
		{"bytes 0-99999999999999999999/*", 0, 0, false},
		{"", 0, 0, false},
	} {
		first, last, err := parseContentRange(c.in)
		if (err == nil) != c.ok || c.ok && (first != c.first || last != c.last) {
			t.Errorf("parseContentRange(%q) = %d, %d, %v; want %d, %d, ok=%v", c.in, first, last, err, c.first, c.last, c.ok)
		}
	}
}

func TestParseRange(t *testing.T) {
	for _, c := range []struct {
		in   string
		want *[2]int64
	}{
		{"bytes=0-1048575", &[2]int64{0, 1048575}},
		{"bytes=100-199", &[2]int64{100, 199}},
		{"bytes=-100", nil},
		{"bytes=100-", nil},
		{"bytes=0-1,5-6", nil},
		{"items=0-1", nil},
		{"", nil},
	} {
		got := parseRange(c.in)
		if (got == nil) != (c.want == nil) || got != nil && *got != *c.want {
			t.Errorf("parseRange(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestParseLimit(t *testing.T) {
	for in, want := range map[string]int{"": 10, "1": 1, "10": 10, "5000": 1000} {
		got, err := parseLimit(url.Values{"limit": {in}}, 10, 1000)
		if err != nil || got != want {
			t.Errorf("parseLimit(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"0", "-1", "ten", "1.5"} {
		if _, err := parseLimit(url.Values{"limit": {bad}}, 10, 1000); err == nil {
			t.Errorf("parseLimit(%q) accepted", bad)
		}
	}
}

func FuzzParseContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-1048575/*", "bytes 1-0/*", "bytes 0-0/5", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		first, last, err := parseContentRange(s)
		if err == nil && (first < 0 || last < first) {
			t.Errorf("parseContentRange(%q) = %d, %d without error", s, first, last)
		}
	})
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"bytes=0-1048575", "bytes=-1", "bytes=5-4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if r := parseRange(s); r != nil && (r[0] < 0 || r[1] < 0) {
			t.Errorf("parseRange(%q) = %v", s, r)
		}
	})
}

func TestHandlerPanicIsAnAWSError(t *testing.T) {
	s := New(Config{Credentials: Keyring{}})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/-/vaults", nil)
	err := s.call(func(http.ResponseWriter, *request) error { panic("boom") }, rec, &request{Request: req, id: "r1", op: "Test"})
	if glacier.KindOf(err) != glacier.KindInternal || strings.Contains(glacier.MessageOf(err), "boom") {
		t.Errorf("panic became %v (kind %v, message %q)", err, glacier.KindOf(err), glacier.MessageOf(err))
	}
	we := writeError(rec, s.log, "r1", err)
	if we.status != 500 || we.code != "ServiceUnavailableException" || strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("response %d %s: %s", we.status, we.code, rec.Body.String())
	}
}

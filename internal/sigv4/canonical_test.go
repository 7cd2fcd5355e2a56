package sigv4

import (
	"net/http"
	"net/url"
	"testing"
)

func TestURIEncode(t *testing.T) {
	tests := []struct {
		in        string
		keepSlash bool
		want      string
	}{
		{"-._~AZaz09", false, "-._~AZaz09"},
		{"a b+c/d%e", false, "a%20b%2Bc%2Fd%25e"},
		{"/a b/%2F/ü", true, "/a%20b/%252F/%C3%BC"},
		{"!$&'()*,;=:@", true, "%21%24%26%27%28%29%2A%2C%3B%3D%3A%40"},
	}
	for _, tt := range tests {
		if got := uriEncode(tt.in, tt.keepSlash); got != tt.want {
			t.Errorf("uriEncode(%q, %v) = %q, want %q", tt.in, tt.keepSlash, got, tt.want)
		}
	}
}

func TestNormalizePath(t *testing.T) {
	tests := map[string]string{
		"":               "/",
		"/":              "/",
		"//":             "/",
		"//example//":    "/example/",
		"/./":            "/",
		"/example/..":    "/",
		"/example/../..": "/",
		"/a/./b/../c/":   "/a/c/",
		"/-/vaults/v":    "/-/vaults/v",
		"/%2E%2E/x":      "/%2E%2E/x",
	}
	for in, want := range tests {
		if got := normalizePath(in); got != want {
			t.Errorf("normalizePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCanonicalValue(t *testing.T) {
	tests := map[string]string{
		"value1":               "value1",
		"  a   b   c  ":        "a b c",
		"\ta\t\tb\t":           "a\t\tb",
		"  two   words  x  ":   "two words x",
		"\"a   b   c\"":        "\"a b c\"",
		"":                     "",
		"   ":                  "",
		"no-double single sp ": "no-double single sp",
	}
	for in, want := range tests {
		if got := canonicalValue(in); got != want {
			t.Errorf("canonicalValue(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCanonicalQuery(t *testing.T) {
	tests := []struct {
		raw       string
		presigned bool
		want      string
	}{
		{"", false, ""},
		{"Param2=value2&Param1=value1", false, "Param1=value1&Param2=value2"},
		{"Param1=value2&Param1=Value1", false, "Param1=Value1&Param1=value2"},
		{"Param-3=Value3&Param=Value2&%E1%88%B4=Value1", false, "%E1%88%B4=Value1&Param=Value2&Param-3=Value3"},
		{"a=a%2Fb&a=a-b", false, "a=a%2Fb&a=a-b"}, // sorted after encoding
		{"tags&operation=add", false, "operation=add&tags="},
		{"a=x+y&b=x%20y&c=%7e&d=~", false, "a=x%20y&b=x%20y&c=~&d=~"},
		{"a=1&&b=2&", false, "a=1&b=2"},
		{"bad=%zz&semi=a;b", false, "bad=%25zz&semi=a%3Bb"},
		{"X-Amz-Signature=abc&X-Amz-Date=1", true, "X-Amz-Date=1"},
		{"X-Amz-Signature=abc&X-Amz-Date=1", false, "X-Amz-Date=1&X-Amz-Signature=abc"},
	}
	for _, tt := range tests {
		if got := canonicalQuery(parseQuery(tt.raw), tt.presigned); got != tt.want {
			t.Errorf("canonicalQuery(%q, %v) = %q, want %q", tt.raw, tt.presigned, got, tt.want)
		}
	}
}

func TestWirePath(t *testing.T) {
	tests := []struct {
		name string
		r    *http.Request
		want string
	}{
		{"request URI", &http.Request{RequestURI: "/a%20b/c?x=1", URL: &url.URL{Path: "/other"}}, "/a%20b/c"},
		{"absolute form", &http.Request{RequestURI: "http://h:1/a%2Fb?x", URL: &url.URL{}}, "/a%2Fb"},
		{"absolute form no path", &http.Request{RequestURI: "http://h:1", URL: &url.URL{}}, "/"},
		{"asterisk", &http.Request{RequestURI: "*", URL: &url.URL{Path: "*"}}, "*"},
		{"client URL", &http.Request{URL: &url.URL{Path: "/a b", RawPath: "/a%20b"}}, "/a%20b"},
		{"client opaque", &http.Request{URL: &url.URL{Opaque: "//h/a%2Fb"}}, "/a%2Fb"},
		{"empty", &http.Request{URL: &url.URL{}}, "/"},
	}
	for _, tt := range tests {
		if got := wirePath(tt.r); got != tt.want {
			t.Errorf("%s: wirePath = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestHeaderValuesFallbacks(t *testing.T) {
	r := &http.Request{
		URL:              &url.URL{Host: "url-host"},
		Header:           http.Header{"x-lower": {"1"}, "X-LOWER": {"2"}},
		ContentLength:    42,
		TransferEncoding: []string{"chunked"},
	}
	got := canonicalHeaders(r, []string{"content-length", "host", "transfer-encoding", "x-lower", "x-absent"})
	want := "content-length:42\nhost:url-host\ntransfer-encoding:chunked\nx-lower:2,1\nx-absent:\n"
	if got != want {
		t.Errorf("canonicalHeaders = %q, want %q", got, want)
	}
}

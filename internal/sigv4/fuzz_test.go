package sigv4

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// checkErr fails unless err is nil or an *Error wrapping one sentinel.
func checkErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) || !slices.ContainsFunc([]error{ErrMissing, ErrMalformed, ErrMismatch, ErrExpired},
		func(s error) bool { return errors.Is(err, s) }) {
		t.Fatalf("error %v (%T) wraps no sentinel", err, err)
	}
}

// FuzzParse feeds arbitrary Authorization headers, query strings and dates
// to Parse and, when it succeeds, to Verify: neither may panic, errors must
// wrap a sentinel, and a parsed Auth must be consistent.
func FuzzParse(f *testing.F) {
	f.Add(goodAuthz, "", goodAmzDay, "", "/")
	f.Add("", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2F20150830%2Fr%2Fs%2Faws4_request&X-Amz-Date=20150830T123600Z"+
		"&X-Amz-SignedHeaders=host&X-Amz-Signature=x&X-Amz-Expires=60", "", "", "/a%2F//../b")
	f.Add("AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=;, Signature==", "a=%zz&&;", "", "Sun, 30 Aug 2015 12:36:00 GMT", "")
	f.Add("AWS4-HMAC-SHA256 ,,,=,Credential", "X-Amz-Expires=-9", "99999999T999999Z", "x", "http://h/p?q")
	f.Fuzz(func(t *testing.T, authz, rawQuery, amzDate, date, requestURI string) {
		r := &http.Request{
			Method:     "GET",
			URL:        &url.URL{Path: "/", RawQuery: rawQuery},
			Header:     http.Header{},
			Host:       "h",
			RequestURI: requestURI,
		}
		if authz != "" {
			r.Header.Set("Authorization", authz)
		}
		if amzDate != "" {
			r.Header.Set("X-Amz-Date", amzDate)
		}
		if date != "" {
			r.Header.Set("Date", date)
		}
		a, err := Parse(r)
		checkErr(t, err)
		if err != nil {
			if a != nil {
				t.Fatalf("Parse returned both %+v and %v", a, err)
			}
			return
		}
		if !slices.Contains(a.SignedHeaders, "host") || a.AccessKey == "" || a.Region == "" || a.Service == "" ||
			a.Signature == "" || !validShortDate(a.CredentialDate) || a.Date.IsZero() || a.Expires < 0 {
			t.Fatalf("inconsistent Auth %+v", a)
		}
		for _, now := range []time.Time{a.Date, {}, a.Date.Add(a.Expires + time.Hour)} {
			checkErr(t, a.Verify(r, "secret", EmptyPayloadHash, now, 0))
		}
		var v Verifier
		checkErr(t, v.Verify(r, a, "secret", UnsignedPayload, a.Date))
	})
}

// FuzzVerify is a property test against aws-sdk-go-v2: any request the SDK
// signs, once written on the wire and read back by net/http, must verify; the
// same request with its method changed must not; and Verify must not panic on
// a request with arbitrary fields.
func FuzzVerify(f *testing.F) {
	f.Add("GET", "-/vaults/v", "limit=2&marker=abc%2Fdef", "Meta", "  a   b ", "", "")
	f.Add("PUT", "-/vaults/my vault ü/%2F", "operation=add", "Tree-Hash", "x", "body", "tok")
	f.Add("POST", "a/../b//c/./", "a=x+y&b=%7E&c", "Z", "\t1\t", strings.Repeat("d", 100), "")
	f.Fuzz(func(t *testing.T, method, path, rawQuery, hname, hval, body, token string) {
		req := &http.Request{
			Method: method,
			URL:    &url.URL{Scheme: "http", Host: "glacier.example.com:8080", Path: "/" + path, RawQuery: rawQuery},
			Header: http.Header{},
			Host:   "glacier.example.com:8080",
		}
		if body != "" {
			req.Body, req.ContentLength = io.NopCloser(strings.NewReader(body)), int64(len(body))
		}
		hname = "X-Fuzz-" + strings.Map(func(r rune) rune {
			if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return r
			}
			return -1
		}, hname)
		req.Header.Set(hname, hval)
		hash := HashHex([]byte(body))
		sdkSign(t, req, hash, token, signTime)

		// Arbitrary fields: Verify must not panic.
		if a, err := Parse(req); err == nil {
			checkErr(t, a.Verify(req, testSecret, hash, signTime, 0))
		}

		// The property only holds for requests that survive the wire intact.
		if _, err := url.ParseQuery(rawQuery); err != nil {
			return // the SDK drops undecodable parameters from what it signs
		}
		if !validMethod(method) || !validHeaderValue(hval) || !validHeaderValue(token) {
			return
		}
		var wire bytes.Buffer
		if err := req.Write(&wire); err != nil {
			return
		}
		got, err := http.ReadRequest(bufio.NewReader(&wire))
		// (The SDK rewrites req.URL.RawQuery to its canonical form.)
		if err != nil || got.Method != method || got.URL.RawQuery != req.URL.RawQuery {
			return
		}
		gotBody, _ := io.ReadAll(got.Body)
		if string(gotBody) != body {
			return
		}
		a, err := Parse(got)
		if err != nil {
			t.Fatalf("Parse of an SDK-signed request: %v\nwire:\n%s", err, wire.String())
		}
		if err := a.Verify(got, testSecret, hash, signTime, 0); err != nil {
			t.Fatalf("Verify of an SDK-signed request: %v\nour canonical request:\n%q\nrequest URI %q header %q", err, canonicalOf(err), got.RequestURI, got.Header)
		}
		got.Method += "X"
		if err := a.Verify(got, testSecret, hash, signTime, 0); !errors.Is(err, ErrMismatch) {
			t.Fatalf("Verify with a changed method: %v", err)
		}
	})
}

// validMethod reports whether m is a non-empty HTTP token.
func validMethod(m string) bool {
	return m != "" && !strings.ContainsFunc(m, func(r rune) bool {
		return r >= 0x80 || r <= ' ' || strings.ContainsRune("\"(),/:;<=>?@[\\]{}\x7f", r)
	})
}

// validHeaderValue reports whether v can be sent unchanged in a header field.
func validHeaderValue(v string) bool {
	return !strings.ContainsFunc(v, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f })
}

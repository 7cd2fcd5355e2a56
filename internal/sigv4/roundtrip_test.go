package sigv4

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// archiveID is a 138-character base64url archive ID containing - and _.
var archiveID = strings.Repeat("NkbByEejwEggmBz2fTHgJrg0XBoDfjP4q6iu87-TjhqG6eGoOY9Z8i1_AUyUsuhPAdTqLHy8pTl5nfCFJmDl2yEZONi5L26Omw12vcs01MNGntHEQL8MBfGlqrEXAMPLEA", 2)[:138]

type rtCase struct {
	name    string
	method  string
	path    string // URL.Path, unescaped
	rawPath string // URL.RawPath, optional
	query   string // URL.RawQuery
	header  http.Header
	body    string
	sha     bool   // send X-Amz-Content-Sha256
	token   string // session token
}

var rtCases = []rtCase{
	{name: "list vaults", method: "GET", path: "/-/vaults"},
	{name: "create vault", method: "PUT", path: "/-/vaults/my.vault-1_x", sha: true},
	{name: "describe vault with account", method: "GET", path: "/123456789012/vaults/v"},
	{name: "delete archive", method: "DELETE", path: "/123456789012/vaults/v/archives/" + archiveID},
	{name: "add tags", method: "POST", path: "/-/vaults/v/tags", query: "operation=add",
		body: `{"Tags":{"k":"v"}}`, header: http.Header{"Content-Type": {"application/json"}}},
	{name: "list jobs", method: "GET", path: "/-/vaults/v/jobs", query: "limit=2&marker=abc%2Fdef&statuscode=InProgress"},
	{name: "query order and plus", method: "GET", path: "/-/vaults/v/jobs", query: "b=2&a=3&a=1&c=x+y&d=%7e&e"},
	{name: "space and unicode name", method: "GET", path: "/-/vaults/my vault ü/x"},
	{name: "pre-escaped path", method: "GET", path: "/-/vaults/a/b ü", rawPath: "/-/vaults/a%2Fb%20%C3%BC"},
	{name: "reserved characters in path", method: "GET", path: "/-/vaults/a!$&'()*+,;=:@b"},
	{name: "upload archive", method: "POST", path: "/-/vaults/v/archives", sha: true, body: strings.Repeat("data", 1000),
		header: http.Header{
			"X-Amz-Archive-Description": {"  café ☕   with   runs  "},
			"X-Amz-Sha256-Tree-Hash":    {"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
		}},
	{name: "multi-valued header", method: "PUT", path: "/-/vaults/v/multipart-uploads/u", sha: true, body: "part",
		header: http.Header{
			"Content-Range":   {"bytes 0-3/*"},
			"X-Amz-Meta-Many": {"one", "  two   words ", "three"},
		}},
	{name: "session token", method: "GET", path: "/-/vaults/v", token: "FQoGZXIvYXdzE//////////wEaDEXAMPLE+token/=="},
	{name: "job output range", method: "GET", path: "/-/vaults/v/jobs/j/output", header: http.Header{"Range": {"bytes=0-1048575"}}},
}

// build makes the client request of a case, with the glacier version header
// every Glacier request carries.
func (c rtCase) build(t *testing.T, base string) (*http.Request, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), c.method, base, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Path, req.URL.RawPath, req.URL.RawQuery = c.path, c.rawPath, c.query
	for k, vs := range c.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("X-Amz-Glacier-Version", "2012-06-01")
	hash := HashHex([]byte(c.body))
	if c.sha {
		req.Header.Set("X-Amz-Content-Sha256", hash)
	}
	return req, hash
}

func TestRoundTripSDK(t *testing.T) {
	cs := newCaptureServer(t)
	now := signTime.Add(time.Minute)
	for _, c := range rtCases {
		t.Run(c.name, func(t *testing.T) {
			req, hash := c.build(t, cs.URL)
			sdkSign(t, req, hash, c.token, signTime)
			clientAuthz := req.Header.Get("Authorization")
			rc := cs.send(t, req)

			a, err := parseAndVerify(rc, testSecret, rc.payloadHash(), now)
			if err != nil {
				t.Fatalf("verify: %v (%s)\ncanonical request:\n%s", err, kindOf(err), canonicalOf(err))
			}
			want := &Auth{
				AccessKey: testAccessKey, CredentialDate: "20240310", Region: testRegion, Service: testService,
				Date: signTime, SecurityToken: c.token,
			}
			if diff := cmp.Diff(want, a, cmpopts.IgnoreFields(Auth{}, "Signature", "SignedHeaders")); diff != "" {
				t.Errorf("Auth mismatch (-want +got):\n%s", diff)
			}
			_, signed, _ := strings.Cut(clientAuthz, "SignedHeaders=")
			signed, _, _ = strings.Cut(signed, ",")
			if diff := cmp.Diff(strings.Split(signed, ";"), a.SignedHeaders); diff != "" {
				t.Errorf("SignedHeaders mismatch (-client +server):\n%s", diff)
			}
			if !strings.HasSuffix(clientAuthz, "Signature="+a.Signature) {
				t.Errorf("signature %q not the one in %q", a.Signature, clientAuthz)
			}

			// Server-side variations of the same received request.
			serverSide := []struct {
				name        string
				secret      string
				payloadHash string
				now         time.Time
				want        error
			}{
				{"skew within 14m late", testSecret, rc.payloadHash(), signTime.Add(14 * time.Minute), nil},
				{"skew within 14m early", testSecret, rc.payloadHash(), signTime.Add(-14 * time.Minute), nil},
				{"wrong secret", testSecret + "x", rc.payloadHash(), now, ErrMismatch},
				{"wrong payload hash", testSecret, HashHex([]byte("other")), now, ErrMismatch},
				{"unsigned payload", testSecret, UnsignedPayload, now, ErrMismatch},
				{"16m late", testSecret, rc.payloadHash(), signTime.Add(16 * time.Minute), ErrExpired},
				{"16m early", testSecret, rc.payloadHash(), signTime.Add(-16 * time.Minute), ErrExpired},
			}
			for _, s := range serverSide {
				if _, err := parseAndVerify(rc, s.secret, s.payloadHash, s.now); kindOf(err) != kindOf(s.want) {
					t.Errorf("%s: got %s (%v), want %s", s.name, kindOf(err), err, kindOf(s.want))
				}
			}
		})
	}
}

// TestRoundTripTampered changes one thing on the wire after signing.
func TestRoundTripTampered(t *testing.T) {
	cs := newCaptureServer(t)
	now := signTime.Add(time.Minute)
	tampers := []struct {
		name   string
		change func(*http.Request)
		want   error
	}{
		{"nothing", func(*http.Request) {}, nil},
		{"unsigned header added", func(r *http.Request) { r.Header.Set("X-Unsigned", "1") }, nil},
		{"method", func(r *http.Request) {
			if r.Method == "GET" {
				r.Method = "DELETE"
			} else {
				r.Method = "GET"
			}
		}, ErrMismatch},
		{"path", func(r *http.Request) {
			r.URL.Path += "x"
			if r.URL.RawPath != "" {
				r.URL.RawPath += "x"
			}
		}, ErrMismatch},
		{"query value", func(r *http.Request) {
			if k, v, ok := strings.Cut(r.URL.RawQuery, "="); ok {
				r.URL.RawQuery = k + "=z" + v
			} else {
				r.URL.RawQuery += "&zz=1"
			}
		}, ErrMismatch},
		{"query parameter added", func(r *http.Request) { r.URL.RawQuery += "&extra=1" }, ErrMismatch},
		{"signed header value", func(r *http.Request) { r.Header.Set("X-Amz-Glacier-Version", "2012-06-02") }, ErrMismatch},
		{"signed header removed", func(r *http.Request) { r.Header.Del("X-Amz-Glacier-Version") }, ErrMismatch},
		{"host", func(r *http.Request) { r.Host = "evil.example.com" }, ErrMismatch},
		{"date within the day", func(r *http.Request) {
			r.Header.Set("X-Amz-Date", signTime.Add(time.Second).Format(TimeFormat))
		}, ErrMismatch},
		{"date on another day", func(r *http.Request) {
			r.Header.Set("X-Amz-Date", signTime.Add(-24*time.Hour).Format(TimeFormat))
		}, ErrMismatch},
		{"signature", func(r *http.Request) {
			a := r.Header.Get("Authorization")
			last := a[len(a)-1]
			r.Header.Set("Authorization", a[:len(a)-1]+string("10"[last&1]))
		}, ErrMismatch},
		{"credential access key", func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), testAccessKey, "AKIDOTHER", 1))
		}, nil}, // the server looks up the secret by access key; same secret here
		{"credential region", func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), testRegion, "us-west-2", 1))
		}, ErrMismatch},
		{"signed headers list", func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "host;", "host;x-unsigned;", 1))
			r.Header.Set("X-Unsigned", "")
		}, ErrMismatch},
	}
	for _, c := range rtCases {
		for _, tm := range tampers {
			t.Run(c.name+"/"+tm.name, func(t *testing.T) {
				req, hash := c.build(t, cs.URL)
				sdkSign(t, req, hash, c.token, signTime)
				tm.change(req)
				rc := cs.send(t, req)
				_, err := parseAndVerify(rc, testSecret, rc.payloadHash(), now)
				if tm.name == "credential access key" && err == nil {
					return
				}
				if kindOf(err) != kindOf(tm.want) {
					t.Errorf("got %s (%v), want %s", kindOf(err), err, kindOf(tm.want))
				}
			})
		}
	}
}

// canonicalOf returns the canonical request recorded in a mismatch error.
func canonicalOf(err error) string {
	if e, ok := err.(*Error); ok {
		return e.CanonicalRequest
	}
	return ""
}

// TestRoundTripOpaque checks an Opaque URL, as the SDK documentation
// recommends for pre-escaped paths: the Go client then sends the request
// target in absolute form.
func TestRoundTripOpaque(t *testing.T) {
	cs := newCaptureServer(t)
	u, _ := url.Parse(cs.URL)
	req, _ := http.NewRequestWithContext(context.Background(), "GET", cs.URL, nil)
	req.URL.Opaque = "//" + u.Host + "/-/vaults/a%2Fb%20c"
	sdkSign(t, req, EmptyPayloadHash, "", signTime)
	rc := cs.send(t, req)
	if want := cs.URL + "/-/vaults/a%2Fb%20c"; rc.req.RequestURI != want {
		t.Fatalf("RequestURI = %q, want %q", rc.req.RequestURI, want)
	}
	if _, err := parseAndVerify(rc, testSecret, EmptyPayloadHash, signTime); err != nil {
		t.Fatalf("verify: %v", err)
	}
}

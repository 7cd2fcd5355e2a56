package sigv4

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// presign presigns a request with the SDK and returns a client request for
// the presigned URL carrying the signed headers.
func presign(t *testing.T, base, method, path, query string, expires time.Duration, token, payloadHash string, header http.Header) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Path = path
	q := query
	if expires != 0 {
		if q != "" {
			q += "&"
		}
		q += "X-Amz-Expires=" + strconv.FormatInt(int64(expires/time.Second), 10)
	}
	req.URL.RawQuery = q
	for k, vs := range header {
		req.Header[k] = vs
	}
	uri, signed, err := v4.NewSigner().PresignHTTP(context.Background(), testCreds(token), req, payloadHash, testService, testRegion, signTime)
	if err != nil {
		t.Fatalf("PresignHTTP: %v", err)
	}
	out, err := http.NewRequestWithContext(context.Background(), method, uri, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range signed {
		if k != "Host" {
			out.Header[k] = vs
		}
	}
	return out
}

func TestPresigned(t *testing.T) {
	cs := newCaptureServer(t)
	cases := []struct {
		name        string
		method      string
		path, query string
		expires     time.Duration
		token       string
		payloadHash string
		header      http.Header
	}{
		{name: "job output", method: "GET", path: "/-/vaults/v/jobs/j/output", expires: 15 * time.Minute, payloadHash: UnsignedPayload},
		{name: "no expires", method: "GET", path: "/-/vaults/v", payloadHash: EmptyPayloadHash},
		{name: "query and token", method: "GET", path: "/-/vaults/v/jobs", query: "limit=2&marker=abc%2Fdef",
			expires: time.Hour, token: "session/token+==", payloadHash: UnsignedPayload},
		{name: "seven days", method: "DELETE", path: "/-/vaults/my vault/archives/" + archiveID, expires: MaxPresignExpires,
			payloadHash: EmptyPayloadHash},
		{name: "signed header", method: "GET", path: "/-/vaults/v/jobs/j/output", expires: time.Minute, payloadHash: UnsignedPayload,
			header: http.Header{"Range": {"bytes=0-99"}, "X-Amz-Glacier-Version": {"2012-06-01"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := presign(t, cs.URL, c.method, c.path, c.query, c.expires, c.token, c.payloadHash, c.header)
			rc := cs.send(t, req)
			a, err := parseAndVerify(rc, testSecret, c.payloadHash, signTime.Add(time.Second))
			if err != nil {
				t.Fatalf("verify: %v (%s)\n%s", err, kindOf(err), canonicalOf(err))
			}
			want := &Auth{AccessKey: testAccessKey, CredentialDate: "20240310", Region: testRegion, Service: testService,
				Date: signTime, Presigned: true, Expires: c.expires, SecurityToken: c.token}
			if diff := cmp.Diff(want, a, cmpopts.IgnoreFields(Auth{}, "Signature", "SignedHeaders")); diff != "" {
				t.Errorf("Auth mismatch (-want +got):\n%s", diff)
			}

			window := c.expires
			if window == 0 {
				window = DefaultMaxSkew
			}
			times := []struct {
				name string
				now  time.Time
				want error
			}{
				{"just before expiry", signTime.Add(window), nil},
				{"after expiry", signTime.Add(window + time.Second), ErrExpired},
				{"signed 14m in the future", signTime.Add(-14 * time.Minute), nil},
				{"signed 16m in the future", signTime.Add(-16 * time.Minute), ErrExpired},
			}
			for _, tm := range times {
				if _, err := parseAndVerify(rc, testSecret, c.payloadHash, tm.now); kindOf(err) != kindOf(tm.want) {
					t.Errorf("%s: got %s (%v), want %s", tm.name, kindOf(err), err, kindOf(tm.want))
				}
			}
			if _, err := parseAndVerify(rc, "wrong", c.payloadHash, signTime); kindOf(err) != "ErrMismatch" {
				t.Errorf("wrong secret: got %s (%v)", kindOf(err), err)
			}
		})
	}
}

func TestPresignedTampered(t *testing.T) {
	cs := newCaptureServer(t)
	tampers := []struct {
		name   string
		change func(*http.Request)
		want   error
	}{
		{"nothing", func(*http.Request) {}, nil},
		{"query value", func(r *http.Request) { r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "limit=2", "limit=3", 1) }, ErrMismatch},
		{"extra parameter", func(r *http.Request) { r.URL.RawQuery += "&x=1" }, ErrMismatch},
		{"expires", func(r *http.Request) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "X-Amz-Expires=900", "X-Amz-Expires=901", 1)
		}, ErrMismatch},
		{"date", func(r *http.Request) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, signTime.Format(TimeFormat), signTime.Add(time.Second).Format(TimeFormat), 1)
		}, ErrMismatch},
		{"path", func(r *http.Request) { r.URL.Path += "x" }, ErrMismatch},
		{"method", func(r *http.Request) { r.Method = "HEAD" }, ErrMismatch},
		{"signature removed", func(r *http.Request) {
			q := r.URL.Query()
			q.Del("X-Amz-Signature")
			r.URL.RawQuery = q.Encode()
		}, ErrMalformed},
		{"expires too long", func(r *http.Request) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "X-Amz-Expires=900", "X-Amz-Expires=604801", 1)
		}, ErrExpired},
		{"authorization header too", func(r *http.Request) { r.Header.Set("Authorization", "AWS4-HMAC-SHA256 x") }, ErrMalformed},
	}
	for _, tm := range tampers {
		t.Run(tm.name, func(t *testing.T) {
			req := presign(t, cs.URL, "GET", "/-/vaults/v/jobs", "limit=2", 15*time.Minute, "", UnsignedPayload, nil)
			tm.change(req)
			rc := cs.send(t, req)
			if _, err := parseAndVerify(rc, testSecret, UnsignedPayload, signTime); kindOf(err) != kindOf(tm.want) {
				t.Errorf("got %s (%v), want %s", kindOf(err), err, kindOf(tm.want))
			}
		})
	}
}

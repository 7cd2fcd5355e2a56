package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/internal/treehash"
)

// raw sends an HTTP request to the server, signing it with the test
// credentials at signTime unless sign is false, and returns the status and
// the decoded error body (if any) and the raw body.
type rawReq struct {
	method, path string
	body         []byte
	header       map[string]string
	sign         bool
	signTime     time.Time
	secret       string
	payloadHash  string // "" means sha256(body)
	presign      bool
}

type rawResp struct {
	status int
	header http.Header
	code   string
	body   []byte
}

func (e *env) raw(r rawReq) rawResp {
	e.t.Helper()
	req, err := http.NewRequest(r.method, e.m.URL()+r.path, bytes.NewReader(r.body))
	if err != nil {
		e.t.Fatal(err)
	}
	if r.body == nil {
		req.Body = http.NoBody
	}
	req.Header.Set("X-Amz-Glacier-Version", "2012-06-01")
	for k, v := range r.header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	if r.sign {
		if r.signTime.IsZero() {
			r.signTime = time.Now()
		}
		if r.secret == "" {
			r.secret = testSecret
		}
		ph := r.payloadHash
		if ph == "" {
			s := sha256.Sum256(r.body)
			ph = hex.EncodeToString(s[:])
		}
		creds := aws.Credentials{AccessKeyID: testKey, SecretAccessKey: r.secret}
		if r.presign {
			u, hdr, err := v4.NewSigner().PresignHTTP(ctx, creds, req, ph, "glacier", testRegion, r.signTime)
			if err != nil {
				e.t.Fatal(err)
			}
			req2, _ := http.NewRequest(r.method, u, bytes.NewReader(r.body))
			req2.Header = req.Header.Clone()
			for k, v := range hdr {
				req2.Header[k] = v
			}
			req = req2
		} else if err := v4.NewSigner().SignHTTP(ctx, creds, req, ph, "glacier", testRegion, r.signTime); err != nil {
			e.t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := rawResp{status: resp.StatusCode, header: resp.Header, body: b}
	if resp.StatusCode >= 300 {
		var eb struct{ Code, Message, Type string }
		if err := json.Unmarshal(b, &eb); err != nil || eb.Code == "" || eb.Message == "" || (eb.Type != "Client" && eb.Type != "Server") {
			e.t.Errorf("%s %s: error body %q is not {code, message, type}", r.method, r.path, b)
		}
		out.code = eb.Code
		if h := resp.Header.Get("X-Amzn-ErrorType"); h != eb.Code {
			e.t.Errorf("%s %s: X-Amzn-ErrorType %q, body code %q", r.method, r.path, h, eb.Code)
		}
	}
	if resp.Header.Get("X-Amzn-Requestid") == "" {
		e.t.Errorf("%s %s: no x-amzn-RequestId", r.method, r.path)
	}
	return out
}

func TestAuthentication(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	before := e.snapshot()
	data := []byte("signed archive bytes")
	th := hexOf(treehash.Sum(data))
	upload := func(mod func(*rawReq)) rawResp {
		r := rawReq{method: "POST", path: "/-/vaults/v/archives", body: data, sign: true,
			header: map[string]string{"X-Amz-Sha256-Tree-Hash": th}}
		mod(&r)
		return e.raw(r)
	}
	cases := []struct {
		name   string
		resp   rawResp
		status int
		code   string
	}{
		{"no authentication", e.raw(rawReq{method: "GET", path: "/-/vaults"}), 400, "MissingAuthenticationTokenException"},
		{"wrong secret", e.raw(rawReq{method: "GET", path: "/-/vaults", sign: true, secret: "not-the-secret"}), 403, "InvalidSignatureException"},
		{"stale signature", e.raw(rawReq{method: "GET", path: "/-/vaults", sign: true, signTime: time.Now().Add(-20 * time.Minute)}), 403, "InvalidSignatureException"},
		{"future signature", e.raw(rawReq{method: "GET", path: "/-/vaults", sign: true, signTime: time.Now().Add(20 * time.Minute)}), 403, "InvalidSignatureException"},
		{"unknown access key", func() rawResp {
			r := e.raw(rawReq{method: "GET", path: "/-/vaults", header: map[string]string{
				"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDUNKNOWN/" + time.Now().UTC().Format("20060102") + "/us-east-1/glacier/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + strings.Repeat("0", 64),
				"X-Amz-Date":    time.Now().UTC().Format("20060102T150405Z")}})
			return r
		}(), 400, "UnrecognizedClientException"},
		{"garbled authorization", e.raw(rawReq{method: "GET", path: "/-/vaults", header: map[string]string{"Authorization": "AWS4-HMAC-SHA256 nonsense"}}), 400, "IncompleteSignatureException"},
		{"dot segments", e.raw(rawReq{method: "GET", path: "/-/vaults/x/../v", sign: true}), 404, "UnknownOperationException"},
		{"empty segment", e.raw(rawReq{method: "GET", path: "/-/vaults//v", sign: true}), 404, "UnknownOperationException"},
		{"missing API version", e.raw(rawReq{method: "GET", path: "/-/vaults", sign: true, header: map[string]string{"X-Amz-Glacier-Version": ""}}), 400, "MissingParameterValueException"},
		{"malformed account", e.raw(rawReq{method: "GET", path: "/abcmnoxyz/vaults", sign: true}), 400, "UnrecognizedClientException"},
		{"foreign account", e.raw(rawReq{method: "GET", path: "/210987654321/vaults/v", sign: true}), 403, "AccessDeniedException"},
		{"unknown route", e.raw(rawReq{method: "GET", path: "/-/buckets", sign: true}), 404, "UnknownOperationException"},
		{"wrong method", e.raw(rawReq{method: "PATCH", path: "/-/vaults/v", sign: true}), 404, "UnknownOperationException"},
		{"tampered body (declared hash)", upload(func(r *rawReq) {
			s := sha256.Sum256([]byte("other bytes"))
			r.payloadHash = hex.EncodeToString(s[:])
			r.header["X-Amz-Content-Sha256"] = r.payloadHash
		}), 400, "InvalidParameterValueException"},
		{"tampered body (no declared hash)", upload(func(r *rawReq) {
			s := sha256.Sum256([]byte("other bytes"))
			r.payloadHash = hex.EncodeToString(s[:])
		}), 403, "InvalidSignatureException"},
		{"bad signature, unknown vault, no declared hash", upload(func(r *rawReq) {
			r.path = "/-/vaults/nope/archives"
			r.secret = "wrong"
		}), 403, "InvalidSignatureException"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.resp.status != c.status || c.resp.code != c.code {
				t.Errorf("got %d %s (%s), want %d %s", c.resp.status, c.resp.code, c.resp.body, c.status, c.code)
			}
		})
	}
	e.assertUnchanged(before)

	// Requests signed without x-amz-content-sha256 are verified over the body.
	if r := upload(func(*rawReq) {}); r.status != 201 || r.header.Get("X-Amz-Archive-Id") == "" {
		t.Errorf("upload signed over the body hash: %d %s", r.status, r.body)
	}
	// The presigned (query) form works too.
	if r := e.raw(rawReq{method: "GET", path: "/-/vaults", sign: true, presign: true}); r.status != 200 {
		t.Errorf("presigned ListVaults: %d %s", r.status, r.body)
	}
	if r := e.raw(rawReq{method: "GET", path: "/-/vaults", sign: true, presign: true, signTime: time.Now().Add(-2 * time.Hour)}); r.status != 403 {
		t.Errorf("expired presigned URL: %d %s", r.status, r.body)
	}
	// The SDK with wrong credentials gets InvalidSignatureException; with an
	// unknown key, UnrecognizedClientException.
	_, err := e.client(testKey, "wrong").ListVaults(ctx, &glacier.ListVaultsInput{AccountId: aws.String("-")})
	wantAPIError(t, err, "InvalidSignatureException")
	_, err = e.client("AKIDNOBODY", testSecret).ListVaults(ctx, &glacier.ListVaultsInput{AccountId: aws.String("-")})
	wantAPIError(t, err, "UnrecognizedClientException")
	_, err = e.gl.ListVaults(ctx, &glacier.ListVaultsInput{AccountId: aws.String("abcmnoxyz")})
	wantAPIError(t, err, "UnrecognizedClientException")
	_, err = e.gl.CreateVault(ctx, &glacier.CreateVaultInput{AccountId: aws.String("210987654321"), VaultName: aws.String("theirs")})
	wantAPIError(t, err, "AccessDeniedException")
}

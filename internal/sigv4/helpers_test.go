package sigv4

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	testAccessKey = "AKIDEXAMPLE"
	testSecret    = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	testRegion    = "us-east-1"
	testService   = "glacier"
)

// signTime is the fixed signing time of the round-trip tests.
var signTime = time.Date(2024, 3, 10, 12, 34, 56, 0, time.UTC)

func testCreds(token string) aws.Credentials {
	return aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecret, SessionToken: token}
}

// received is a request as a net/http server handed it to its handler.
type received struct {
	req  *http.Request
	body []byte
}

// payloadHash is what the HTTP layer passes to Verify: the client's
// X-Amz-Content-Sha256 if any, else the hash of the body.
func (rc received) payloadHash() string {
	if h := rc.req.Header.Get("X-Amz-Content-Sha256"); h != "" {
		return h
	}
	return HashHex(rc.body)
}

// captureServer is an httptest server that hands every request it receives,
// cloned with its body read, to the test.
type captureServer struct {
	*httptest.Server
	got chan received
}

func newCaptureServer(t *testing.T) *captureServer {
	t.Helper()
	cs := &captureServer{got: make(chan received, 64)}
	cs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		cs.got <- received{r.Clone(context.Background()), body}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, "{}")
	}))
	t.Cleanup(cs.Close)
	return cs
}

// send sends req and returns the request as the server received it.
func (cs *captureServer) send(t *testing.T, req *http.Request) received {
	t.Helper()
	resp, err := cs.Client().Do(req)
	if err != nil {
		t.Fatalf("sending request: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	select {
	case rc := <-cs.got:
		return rc
	case <-time.After(10 * time.Second):
		t.Fatal("server received nothing")
		return received{}
	}
}

// sdkSign signs req in place with aws-sdk-go-v2's SigV4 signer.
func sdkSign(t testing.TB, req *http.Request, payloadHash, token string, at time.Time) {
	t.Helper()
	if err := v4.NewSigner().SignHTTP(context.Background(), testCreds(token), req, payloadHash, testService, testRegion, at); err != nil {
		t.Fatalf("SignHTTP: %v", err)
	}
}

// kindOf names the sentinel an error wraps, for readable test failures.
func kindOf(err error) string {
	for _, k := range []struct {
		err  error
		name string
	}{{ErrMissing, "ErrMissing"}, {ErrMalformed, "ErrMalformed"}, {ErrMismatch, "ErrMismatch"}, {ErrExpired, "ErrExpired"}} {
		if errors.Is(err, k.err) {
			return k.name
		}
	}
	if err == nil {
		return "nil"
	}
	return "unknown(" + err.Error() + ")"
}

// parseAndVerify runs the whole server-side check on a received request.
func parseAndVerify(rc received, secret, payloadHash string, now time.Time) (*Auth, error) {
	a, err := Parse(rc.req)
	if err != nil {
		return nil, err
	}
	return a, a.Verify(rc.req, secret, payloadHash, now, 0)
}

func newSDKSigner() *v4.Signer { return v4.NewSigner() }

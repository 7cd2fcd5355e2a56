package sigv4

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// signedReq returns a server-side request signed by the SDK at `at`.
func signedReq(t testing.TB, at time.Time, region string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), "GET", "https://glacier.us-east-1.amazonaws.com/-/vaults/v?limit=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := newSDKSigner().SignHTTP(context.Background(), testCreds(""), req, EmptyPayloadHash, testService, region, at); err != nil {
		t.Fatal(err)
	}
	req.RequestURI = req.URL.RequestURI()
	return req
}

func TestExpiryMessages(t *testing.T) {
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	r := signedReq(t, at, testRegion)
	a, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		now     time.Time
		maxSkew time.Duration
		want    string
	}{
		{at.Add(30 * time.Minute), 15 * time.Minute,
			"Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)"},
		{at.Add(-30 * time.Minute), 0,
			"Signature not yet current: 20240101T000000Z is still later than 20231231T234500Z (20231231T233000Z + 15 min.)"},
		{at.Add(2 * time.Minute), 90 * time.Second,
			"Signature expired: 20240101T000000Z is now earlier than 20240101T000030Z (20240101T000200Z - 1m30s)"},
	}
	for _, tt := range tests {
		err := a.Verify(r, testSecret, EmptyPayloadHash, tt.now, tt.maxSkew)
		if !errors.Is(err, ErrExpired) || err.Error() != tt.want {
			t.Errorf("now %v: got %v (%s)\nwant %s", tt.now, err, kindOf(err), tt.want)
		}
	}
	for _, now := range []time.Time{at.Add(15 * time.Minute), at.Add(-15 * time.Minute), at} {
		if err := a.Verify(r, testSecret, EmptyPayloadHash, now, 0); err != nil {
			t.Errorf("now %v: %v", now, err)
		}
	}
}

func TestCredentialDateMismatch(t *testing.T) {
	at := time.Date(2024, 1, 1, 23, 59, 0, 0, time.UTC)
	r := signedReq(t, at, testRegion)
	r.Header.Set("X-Amz-Date", "20240102T000100Z")
	a, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	err = a.Verify(r, testSecret, EmptyPayloadHash, at, 0)
	want := "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240101' != '20240102', from '20240102T000100Z'."
	if !errors.Is(err, ErrMismatch) || err.Error() != want {
		t.Fatalf("got %v (%s), want %s", err, kindOf(err), want)
	}
}

func TestMismatchCarriesCanonicalRequest(t *testing.T) {
	r := signedReq(t, signTime, testRegion)
	a, _ := Parse(r)
	err := a.Verify(r, "wrong", EmptyPayloadHash, signTime, 0)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrMismatch) || e.Msg != mismatchMessage {
		t.Fatalf("got %#v", err)
	}
	wantCreq := "GET\n/-/vaults/v\nlimit=1\nhost:glacier.us-east-1.amazonaws.com\nx-amz-date:20240310T123456Z\n\nhost;x-amz-date\n" + EmptyPayloadHash
	if diff := cmp.Diff(wantCreq, e.CanonicalRequest); diff != "" {
		t.Errorf("canonical request (-want +got):\n%s", diff)
	}
	if e.StringToSign == "" || !errors.Is(e, ErrMismatch) {
		t.Errorf("StringToSign empty or Unwrap broken: %#v", e)
	}
}

func TestVerifier(t *testing.T) {
	v := &Verifier{Region: testRegion, Service: testService}
	r := signedReq(t, signTime, testRegion)
	a, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 { // the second and third use the cached key
		if err := v.Verify(r, a, testSecret, EmptyPayloadHash, signTime); err != nil {
			t.Fatalf("Verify: %v", err)
		}
	}
	// A rotated secret for the same access key must not hit the cache.
	if err := v.Verify(r, a, "rotated", EmptyPayloadHash, signTime); !errors.Is(err, ErrMismatch) {
		t.Fatalf("rotated secret: got %v", err)
	}

	wrongRegion := signedReq(t, signTime, "eu-west-1")
	a2, _ := Parse(wrongRegion)
	err = v.Verify(wrongRegion, a2, testSecret, EmptyPayloadHash, signTime)
	if !errors.Is(err, ErrMismatch) || err.Error() != "Credential should be scoped to a valid region, not 'eu-west-1'. " {
		t.Errorf("wrong region: %v", err)
	}
	if err := (&Verifier{}).Verify(wrongRegion, a2, testSecret, EmptyPayloadHash, signTime); err != nil {
		t.Errorf("unpinned verifier: %v", err)
	}

	a3 := *a
	a3.Service = "s3"
	err = v.Verify(r, &a3, testSecret, EmptyPayloadHash, signTime)
	if !errors.Is(err, ErrMismatch) || err.Error() != "Credential should be scoped to correct service: 'glacier'. " {
		t.Errorf("wrong service: %v", err)
	}
	if err := v.Verify(r, nil, testSecret, EmptyPayloadHash, signTime); !errors.Is(err, ErrMalformed) {
		t.Errorf("nil Auth: %v", err)
	}
	if err := v.Verify(nil, a, testSecret, EmptyPayloadHash, signTime); !errors.Is(err, ErrMalformed) {
		t.Errorf("nil request: %v", err)
	}
	noHost := *a
	noHost.SignedHeaders = []string{"x-amz-date"}
	if err := noHost.Verify(r, testSecret, EmptyPayloadHash, signTime, 0); !errors.Is(err, ErrMalformed) {
		t.Errorf("host not signed: %v", err)
	}
}

func TestVerifierConcurrentAndEviction(t *testing.T) {
	v := &Verifier{}
	r := signedReq(t, signTime, testRegion)
	a, _ := Parse(r)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 700 {
				secret := testSecret
				if i%2 == 1 {
					secret = string(rune('a'+g)) + string(rune(i)) // fills the cache past its bound
				}
				err := v.Verify(r, a, secret, EmptyPayloadHash, signTime)
				if (err == nil) != (secret == testSecret) {
					t.Errorf("secret %q: %v", secret, err)
					return
				}
			}
		})
	}
	wg.Wait()
	v.mu.Lock()
	n := len(v.keys)
	v.mu.Unlock()
	if n > maxCachedKeys {
		t.Errorf("cache holds %d keys, bound %d", n, maxCachedKeys)
	}
}

func BenchmarkVerify(b *testing.B) {
	r := signedReq(b, signTime, testRegion)
	a, err := Parse(r)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Auth.Verify", func(b *testing.B) {
		for b.Loop() {
			if err := a.Verify(r, testSecret, EmptyPayloadHash, signTime, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Verifier.Verify", func(b *testing.B) {
		var v Verifier
		for b.Loop() {
			if err := v.Verify(r, a, testSecret, EmptyPayloadHash, signTime); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := Parse(r); err != nil {
				b.Fatal(err)
			}
		}
	})
}

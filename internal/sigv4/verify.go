package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// HashHex returns the lower-case hex SHA-256 of b, the payload hash of a body
// b.
func HashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Verify checks the signature a parsed against the request r (the request
// a was parsed from), given the secret key of a.AccessKey, the payload hash
// the client signed (see the package documentation), and the server's clock.
// A maxSkew ≤ 0 means DefaultMaxSkew.
//
// It returns nil only if the signature recomputed over r equals a.Signature
// (compared in constant time) and the time checks pass. Otherwise the error
// wraps ErrExpired (request date more than maxSkew from now; presigned request
// past X-Amz-Date + X-Amz-Expires, or asking for more than
// MaxPresignExpires), ErrMismatch (credential date is not the request's day,
// or the signature differs), or ErrMalformed (a does not sign host, or r has
// no URL). It never panics, whatever r and a hold.
func (a *Auth) Verify(r *http.Request, secret, payloadHash string, now time.Time, maxSkew time.Duration) error {
	return a.verify(r, secret, payloadHash, now, maxSkew, deriveKey)
}

// Verifier verifies requests like [Auth.Verify], caching derived signing
// keys (one per secret, day, region and service) and optionally pinning the
// credential scope's region and service. The zero value is ready to use; a
// Verifier is safe for concurrent use and must not be copied after first use.
type Verifier struct {
	// Region, when non-empty, is the only credential-scope region accepted.
	Region string
	// Service, when non-empty, is the only credential-scope service
	// accepted (for glacierd, "glacier").
	Service string
	// MaxSkew is the tolerated clock skew; ≤ 0 means DefaultMaxSkew.
	MaxSkew time.Duration

	mu   sync.Mutex
	keys map[keyID][sha256.Size]byte
}

// maxCachedKeys bounds the key cache; it is emptied when full.
const maxCachedKeys = 4096

type keyID struct{ secret, date, region, service string }

// Verify checks a, parsed from r, like [Auth.Verify] with maxSkew v.MaxSkew.
// In addition, when v.Region or v.Service is set and the credential scope
// names another, it returns an error wrapping ErrMismatch with AWS's wording.
func (v *Verifier) Verify(r *http.Request, a *Auth, secret, payloadHash string, now time.Time) error {
	if a == nil {
		return newError(ErrMalformed, "no authentication to verify")
	}
	if v.Service != "" && a.Service != v.Service {
		return newError(ErrMismatch, fmt.Sprintf("Credential should be scoped to correct service: '%s'. ", v.Service))
	}
	if v.Region != "" && a.Region != v.Region {
		return newError(ErrMismatch, fmt.Sprintf("Credential should be scoped to a valid region, not '%s'. ", clip(a.Region)))
	}
	return a.verify(r, secret, payloadHash, now, v.MaxSkew, v.signingKey)
}

// signingKey returns the derived key, from the cache when possible.
func (v *Verifier) signingKey(secret, date, region, service string) [sha256.Size]byte {
	id := keyID{secret, date, region, service}
	v.mu.Lock()
	key, ok := v.keys[id]
	v.mu.Unlock()
	if ok {
		return key
	}
	key = deriveKey(secret, date, region, service)
	v.mu.Lock()
	if v.keys == nil || len(v.keys) >= maxCachedKeys {
		v.keys = make(map[keyID][sha256.Size]byte)
	}
	v.keys[id] = key
	v.mu.Unlock()
	return key
}

// deriveKey computes the SigV4 signing key for a credential scope.
func deriveKey(secret, date, region, service string) [sha256.Size]byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return [sha256.Size]byte(hmacSHA256(k, scopeTerminator))
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

type keyFunc func(secret, date, region, service string) [sha256.Size]byte

func (a *Auth) verify(r *http.Request, secret, payloadHash string, now time.Time, maxSkew time.Duration, key keyFunc) error {
	if a == nil {
		return newError(ErrMalformed, "no authentication to verify")
	}
	if r == nil || r.URL == nil {
		return newError(ErrMalformed, "request has no URL")
	}
	if !slices.Contains(a.SignedHeaders, "host") {
		return newError(ErrMalformed, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if maxSkew <= 0 {
		maxSkew = DefaultMaxSkew
	}
	amzDate := a.Date.UTC().Format(TimeFormat)
	if day := a.Date.UTC().Format(shortDate); a.CredentialDate != day {
		return newError(ErrMismatch, fmt.Sprintf(
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			clip(a.CredentialDate), day, amzDate))
	}
	if err := a.checkTime(now, maxSkew); err != nil {
		return err
	}

	scope := a.CredentialDate + "/" + a.Region + "/" + a.Service + "/" + scopeTerminator
	signingKey := key(secret, a.CredentialDate, a.Region, a.Service)
	query := canonicalQuery(parseQuery(r.URL.RawQuery), a.Presigned)
	headers := canonicalHeaders(r, a.SignedHeaders)
	rawURI, normURI := canonicalURIs(r)

	uris := []string{rawURI}
	if normURI != rawURI {
		uris = append(uris, normURI)
	}
	var first *Error
	for _, uri := range uris {
		creq := canonicalRequest(r.Method, uri, query, headers, a.SignedHeaders, payloadHash)
		sts := stringToSign(amzDate, scope, creq)
		mac := hmac.New(sha256.New, signingKey[:])
		mac.Write([]byte(sts))
		var sig [2 * sha256.Size]byte
		hex.Encode(sig[:], mac.Sum(nil))
		if hmac.Equal(sig[:], []byte(a.Signature)) {
			return nil
		}
		if first == nil {
			first = &Error{Err: ErrMismatch, Msg: mismatchMessage, CanonicalRequest: creq, StringToSign: sts}
		}
	}
	return first
}

// stringToSign assembles the SigV4 string to sign.
func stringToSign(amzDate, scope, creq string) string {
	sum := sha256.Sum256([]byte(creq))
	return Algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
}

// checkTime applies the clock-skew and expiry rules.
func (a *Auth) checkTime(now time.Time, maxSkew time.Duration) error {
	now = now.UTC()
	date := a.Date.UTC()
	if a.Presigned && a.Expires > MaxPresignExpires {
		return newError(ErrExpired, "X-Amz-Expires must be less than a week (in seconds) that is; 604800")
	}
	if date.After(now.Add(maxSkew)) {
		return newError(ErrExpired, fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s)",
			date.Format(TimeFormat), now.Add(maxSkew).Format(TimeFormat), now.Format(TimeFormat), skewText(maxSkew)))
	}
	if a.Presigned && a.Expires > 0 {
		if until := date.Add(a.Expires); now.After(until) {
			return newError(ErrExpired, fmt.Sprintf(
				"Request has expired: it was valid until %s (X-Amz-Date %s + X-Amz-Expires %d), now %s.",
				until.Format(TimeFormat), date.Format(TimeFormat), int64(a.Expires/time.Second), now.Format(TimeFormat)))
		}
		return nil
	}
	if date.Before(now.Add(-maxSkew)) {
		return newError(ErrExpired, fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s)",
			date.Format(TimeFormat), now.Add(-maxSkew).Format(TimeFormat), now.Format(TimeFormat), skewText(maxSkew)))
	}
	return nil
}

// skewText renders a skew the way AWS does ("15 min.").
func skewText(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10) + " min."
	}
	return d.String()
}

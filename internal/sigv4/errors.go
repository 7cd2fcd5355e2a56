package sigv4

import "errors"

// Sentinel errors. Every error returned by this package wraps exactly one of
// them, so callers can classify a failure with errors.Is.
var (
	// ErrMissing means the request carries no authentication at all: no
	// Authorization header and no presigned query parameters.
	ErrMissing = errors.New("sigv4: missing authentication")

	// ErrMalformed means the request's authentication cannot be parsed or
	// is incomplete: an unknown algorithm, a bad credential scope, missing
	// parameters, an unusable date, host not signed.
	ErrMalformed = errors.New("sigv4: malformed authentication")

	// ErrMismatch means the authentication is well formed but the signature
	// does not match the request, or the credential scope does not fit the
	// request (date) or the verifier (region, service).
	ErrMismatch = errors.New("sigv4: signature mismatch")

	// ErrExpired means the request's date is too far from the server's
	// clock, or a presigned request has expired or asks for an expiry longer
	// than allowed.
	ErrExpired = errors.New("sigv4: signature expired")
)

// Error is the error type returned by this package. Err is one of the
// sentinels; Msg is a human-readable explanation worded like AWS's own.
type Error struct {
	// Err is ErrMissing, ErrMalformed, ErrMismatch or ErrExpired.
	Err error
	// Msg is the message to show the client; it never contains a secret.
	Msg string
	// CanonicalRequest and StringToSign are the values the server computed,
	// set only for ErrMismatch on a signature comparison, for logging and
	// debugging. They contain no secret.
	CanonicalRequest, StringToSign string
}

// Error returns Msg.
func (e *Error) Error() string { return e.Msg }

// Unwrap returns Err, so that errors.Is(err, ErrMismatch) and the like work.
func (e *Error) Unwrap() error { return e.Err }

// newError returns an *Error wrapping kind with message msg.
func newError(kind error, msg string) *Error {
	return &Error{Err: kind, Msg: msg}
}

// mismatchMessage is AWS's message for a signature that does not match.
const mismatchMessage = "The request signature we calculated does not match the signature you provided. " +
	"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

package glacier

import (
	"errors"
	"fmt"
)

// Kind classifies an error by what the caller can do about it. The HTTP layer
// maps each Kind to exactly one Glacier wire error (status, code, type); no
// other package knows about status codes.
type Kind int

// The error kinds. KindInternal is the zero value, so an error that was never
// classified is treated as a server fault whose text is not shown to clients.
const (
	KindInternal             Kind = iota // a bug or an unexpected failure; details are logged, not returned
	KindUnavailable                      // a dependency (database, blob store) cannot be reached right now
	KindNotFound                         // the named resource does not exist
	KindInvalidParameter                 // a parameter is present but not acceptable
	KindMissingParameter                 // a required parameter is absent
	KindSerialization                    // the request body cannot be decoded
	KindLimitExceeded                    // the request would exceed a documented limit
	KindAccessDenied                     // the caller is authenticated but not allowed
	KindPolicyEnforced                   // a data retrieval policy refuses the request
	KindInsufficientCapacity             // no retrieval capacity is available for an Expedited job
	KindRequestTimeout                   // the request body did not arrive in time
	KindInvalidSignature                 // the request signature does not verify or has expired
	KindIncompleteSignature              // the request's authentication information is malformed
	KindUnrecognizedClient               // the access key or account ID is not known
	KindMissingAuthToken                 // the request carries no authentication
	KindConflict                         // a store-level uniqueness violation; the service decides what it means
	KindNotImplemented                   // the operation or route is not served
)

var kindNames = [...]string{
	KindInternal:             "internal",
	KindUnavailable:          "unavailable",
	KindNotFound:             "not found",
	KindInvalidParameter:     "invalid parameter",
	KindMissingParameter:     "missing parameter",
	KindSerialization:        "serialization",
	KindLimitExceeded:        "limit exceeded",
	KindAccessDenied:         "access denied",
	KindPolicyEnforced:       "policy enforced",
	KindInsufficientCapacity: "insufficient capacity",
	KindRequestTimeout:       "request timeout",
	KindInvalidSignature:     "invalid signature",
	KindIncompleteSignature:  "incomplete signature",
	KindUnrecognizedClient:   "unrecognized client",
	KindMissingAuthToken:     "missing authentication token",
	KindConflict:             "conflict",
	KindNotImplemented:       "not implemented",
}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is the error type every glacierd layer returns. Message is safe to
// show to a client; Err, when set, is the underlying cause and is only logged.
type Error struct {
	Kind    Kind
	Message string
	Err     error
}

// Errorf returns an *Error of kind k whose client-visible message is formatted
// from format and args.
func Errorf(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error of kind k that carries cause for the logs and msg for
// the client. It returns nil when cause is nil.
func Wrap(k Kind, cause error, msg string) error {
	if cause == nil {
		return nil
	}
	return &Error{Kind: k, Message: msg, Err: cause}
}

func (e *Error) Error() string {
	switch {
	case e.Err != nil && e.Message != "":
		return e.Message + ": " + e.Err.Error()
	case e.Err != nil:
		return e.Err.Error()
	case e.Message != "":
		return e.Message
	}
	return e.Kind.String()
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of the first *Error in err's chain, or KindInternal
// when there is none. KindOf(nil) is KindInternal; callers check err != nil first.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// IsKind reports whether err is non-nil and of kind k.
func IsKind(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// MessageOf returns the client-visible message of err: the Message of the
// first *Error in its chain, or "" when there is none.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
}

package httpapi

import (
	"net/http"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/service"
)

// Caps on JSON request bodies. AWS documents a limit only for policies
// (20 KB); the others are generous bounds on what a valid request can hold.
// A cap bounds the body's encoding, so it allows for JSON escaping: botocore
// writes non-ASCII as \uXXXX escapes (up to 12 bytes for one character).
const (
	// policyBody holds a 20 KB policy as a JSON string even if every byte
	// were escaped as \u00XX (6 × 20,480), plus the {"Policy":…} wrapper.
	policyBody = 6*service.MaxPolicyLength + 1<<10
	// tagsBody holds 50 tags of 128-character keys and 256-character values
	// with every character escaped.
	tagsBody = 256 << 10
	// defaultBody bounds every other body: job parameters (a 1,024-character
	// description, ARNs, ranges), notification and retrieval-policy
	// documents, and the empty bodies of the remaining operations.
	defaultBody = 64 << 10
)

// lingerAfterRefusal is how long a connection whose request body was left
// unread stays open after the answer, so that the client reads the answer
// before the connection closes (closing with unread bytes resets it).
const lingerAfterRefusal = time.Second

// maxBody is the largest request body the route accepts.
func (rt route) maxBody() int64 {
	switch {
	case rt.limit > 0:
		return rt.limit
	case rt.streaming:
		return service.MaxArchiveSize
	}
	return defaultBody
}

// checkDeclared refuses a request whose headers already show that its body
// cannot be accepted, so that the body is never read: a declared
// Content-Length over the route's limit, an archive upload without a
// Content-Length, a part whose Content-Length is not its Content-Range's
// length.
func checkDeclared(rq *request, rt route) error {
	r := rq.Request
	switch rt.op {
	case "UploadArchive":
		if r.ContentLength < 0 {
			return glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: Content-Length")
		}
	case "UploadMultipartPart":
		if _, _, err := partRange(r); err != nil {
			return err
		}
	}
	if n, limit := r.ContentLength, rt.maxBody(); n > limit {
		if rt.streaming {
			return glacier.Errorf(glacier.KindInvalidParameter, "Invalid Content-Length: %d", n)
		}
		return glacier.Errorf(glacier.KindInvalidParameter,
			"Invalid Content-Length: %d; the request body of %s may have at most %d bytes", n, rq.op, limit)
	}
	return nil
}

// partRange returns the range an UploadMultipartPart request's Content-Range
// names, after checking that its Content-Length is the range's length.
func partRange(r *http.Request) (first, last int64, err error) {
	cr, err := requiredHeader(r, "Content-Range")
	if err != nil {
		return 0, 0, err
	}
	if first, last, err = parseContentRange(cr); err != nil {
		return 0, 0, err
	}
	if r.ContentLength != last-first+1 {
		return 0, 0, glacier.Errorf(glacier.KindInvalidParameter,
			"Content-Range %s does not match Content-Length %d", cr, r.ContentLength)
	}
	return first, last, nil
}

// linger sends the answer written so far and gives the client
// lingerAfterRefusal to read it: the connection closes when the client
// closes it or when that time has passed, whichever is first, and nothing
// more of the request body is waited for.
func linger(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	_ = rc.SetReadDeadline(time.Now().Add(lingerAfterRefusal))
}

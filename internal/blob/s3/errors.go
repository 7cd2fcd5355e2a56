package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/minio/minio-go/v7"

	"github.com/glacierd/glacierd/internal/glacier"
)

// unavailableMessage is the client-visible message of an error of
// KindUnavailable caused by the object store.
const unavailableMessage = "the archive store (S3) is unreachable"

// Limits on keys, from the glacier.BlobStore contract.
const (
	maxKeyLen     = 1024
	maxSegmentLen = 200
)

// wrap classifies err, the failure of op on key ("" for the bucket): a
// missing object is KindNotFound, an unreachable or failing server
// KindUnavailable, anything else internal.
func (s *Store) wrap(op, key string, err error) error {
	what := "bucket " + s.bucket
	if key != "" {
		what = key
	}
	werr := fmt.Errorf("s3: %s %s: %w", op, what, err)
	switch {
	case key != "" && minio.ToErrorResponse(err).Code == "NoSuchKey":
		return glacier.Wrap(glacier.KindNotFound, werr, fmt.Sprintf("blob %s not found", key))
	case isUnavailable(err):
		return glacier.Wrap(glacier.KindUnavailable, werr, unavailableMessage)
	}
	return werr
}

// isUnavailable reports whether err means the server cannot serve now: a
// network failure (refused, reset or timed-out connection, a connection
// closed mid-answer), a deadline, or an HTTP 500, 502, 503 or 504 answer.
// A caller's cancellation is not unavailability.
func isUnavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	switch minio.ToErrorResponse(err).StatusCode {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// rangeError is the error of a range that does not lie within a blob.
func rangeError(key string, off, n, size int64) error {
	return fmt.Errorf("s3: open %s: range (%d, %d) outside the blob's %d bytes", key, off, n, size)
}

// validKey accepts keys of 1 to maxKeyLen bytes made of [A-Za-z0-9_-]
// segments of 1 to maxSegmentLen bytes separated by single slashes.
func validKey(key string) error {
	if key == "" || len(key) > maxKeyLen {
		return fmt.Errorf("s3: invalid key %q: length %d not in [1, %d]", key, len(key), maxKeyLen)
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || len(seg) > maxSegmentLen {
			return fmt.Errorf("s3: invalid key %q: segment length %d not in [1, %d]", key, len(seg), maxSegmentLen)
		}
		for i := range len(seg) {
			c := seg[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
				return fmt.Errorf("s3: invalid key %q: byte %q not allowed", key, c)
			}
		}
	}
	return nil
}

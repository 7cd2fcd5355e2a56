package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/glacierd/glacierd/internal/blob/blobio"
)

// errSizeMismatch is the cause of a Put whose reader yields more or fewer
// bytes than declared.
var errSizeMismatch = errors.New("the blob's size differs from the declared size")

// bodyReader is the body Put hands the S3 client. It passes on the caller's
// reader r, and fails, keeping the cause in err, when r fails, when ctx
// ends, or when r's size differs from a declared size (size >= 0). It checks
// that r has no byte past the declared size before it passes on the last
// declared byte, so that a request never completes with a wrong blob. Its
// errors are never io.EOF or io.ErrUnexpectedEOF themselves, which the client
// would take for the end of the blob.
type bodyReader struct {
	ctx  context.Context
	r    io.Reader
	size int64 // declared size, or -1
	n    int64 // bytes passed on
	err  error // the first failure; sticky
	// ended is set once r has answered io.EOF. From then on Read answers
	// io.EOF without touching r or ctx: the HTTP client may read again (to
	// check for excess bytes) after Put has returned and r is the caller's.
	ended bool
	// mu is held by Read; closed is set by close, after which Read never
	// touches r: net/http may still be writing a request body after the
	// call that sent it returned (on an early answer from the server).
	mu     sync.Mutex
	closed bool
}

// errBodyClosed answers a read of the body after Put returned.
var errBodyClosed = errors.New("s3: the blob's reader was read after Put returned")

// close waits for a Read in progress, makes every later Read fail without
// touching r, and returns the first failure of r, if any. Put calls it
// before it returns, so that r is the caller's again.
func (b *bodyReader) close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	return b.err
}

// fail records err as the cause and returns it wrapped, so that it is not
// == io.EOF or io.ErrUnexpectedEOF.
func (b *bodyReader) fail(err error) error {
	if b.err == nil {
		b.err = err
	}
	return fmt.Errorf("s3: reading the blob: %w", b.err)
}

// Read implements io.Reader.
func (b *bodyReader) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed && !b.ended {
		return 0, errBodyClosed
	}
	return b.read(p)
}

func (b *bodyReader) read(p []byte) (int, error) {
	if b.ended {
		return 0, io.EOF
	}
	if b.err != nil {
		return 0, b.fail(b.err)
	}
	if err := b.ctx.Err(); err != nil {
		return 0, b.fail(err)
	}
	if b.size >= 0 {
		if b.n == b.size {
			if err := b.atEnd(); err != nil {
				return 0, err
			}
			return 0, io.EOF
		}
		p = p[:min(int64(len(p)), b.size-b.n)]
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	switch {
	case err == io.EOF && b.size >= 0 && b.n < b.size:
		return 0, b.fail(fmt.Errorf("%w: got %d bytes, declared %d", errSizeMismatch, b.n, b.size))
	case err == io.EOF:
		b.ended = true
		return n, io.EOF
	case err != nil:
		return 0, b.fail(err)
	case b.size >= 0 && b.n == b.size:
		// The last declared byte: pass it on only if r ends here.
		if err := b.atEnd(); err != nil {
			return 0, err
		}
		return n, io.EOF
	}
	return n, nil
}

// atEnd checks that r has no more bytes: it must answer io.EOF.
func (b *bodyReader) atEnd() error {
	var one [1]byte
	for range 100 { // io.Reader allows (0, nil); do not spin forever on it
		m, err := b.r.Read(one[:])
		switch {
		case m > 0:
			return b.fail(fmt.Errorf("%w: more than the %d bytes declared", errSizeMismatch, b.size))
		case err == io.EOF:
			b.ended = true
			return nil
		case err != nil:
			return b.fail(err)
		}
	}
	return b.fail(io.ErrNoProgress)
}

// checkRange checks that the answer to a GET of the range (off, n) of key
// holds that range, and returns a reader of exactly its bytes. The answer is
// 206 with a Content-Range, or, when no range was asked or the server
// ignored it, 200 with the whole blob.
func checkRange(key string, body io.ReadCloser, h http.Header, off, n int64) (io.ReadCloser, error) {
	start, end, total, err := contentRange(h)
	if err != nil {
		body.Close()
		return nil, fmt.Errorf("s3: open %s: %w", key, err)
	}
	want := n
	if n < 0 {
		want = total - off
	}
	if off > total || want < 0 || off+want > total {
		body.Close()
		return nil, rangeError(key, off, n, total)
	}
	if start < off {
		// A whole (or larger) answer: skip to off.
		if _, err := io.CopyN(io.Discard, body, off-start); err != nil {
			body.Close()
			return nil, fmt.Errorf("s3: open %s: %w", key, err)
		}
	} else if start > off || end-start+1 < want {
		body.Close()
		return nil, fmt.Errorf("s3: open %s: asked for bytes %d+%d, the server sent %d-%d/%d", key, off, want, start, end, total)
	}
	return blobio.NewRange(body, want, body), nil
}

// contentRange returns the first and last byte offsets and the blob size of
// an answer: from Content-Range, or for a whole blob from Content-Length.
func contentRange(h http.Header) (start, end, total int64, err error) {
	cr := h.Get("Content-Range")
	if cr == "" {
		total, err = strconv.ParseInt(h.Get("Content-Length"), 10, 64)
		if err != nil || total < 0 {
			return 0, 0, 0, fmt.Errorf("answer without a Content-Range or Content-Length")
		}
		return 0, total - 1, total, nil
	}
	spec, ok := strings.CutPrefix(cr, "bytes ")
	rng, size, ok2 := strings.Cut(spec, "/")
	first, last, ok3 := strings.Cut(rng, "-")
	if ok && ok2 && ok3 {
		start, err1 := strconv.ParseInt(first, 10, 64)
		end, err2 := strconv.ParseInt(last, 10, 64)
		total, err3 := strconv.ParseInt(size, 10, 64)
		if err1 == nil && err2 == nil && err3 == nil && 0 <= start && start <= end && end < total {
			return start, end, total, nil
		}
	}
	return 0, 0, 0, fmt.Errorf("malformed Content-Range %q", cr)
}

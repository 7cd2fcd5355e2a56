// Package countio counts the bytes that pass through a reader: the wire
// layer's request bodies (for metrics and access logs) and the service's
// generated inventories (for their size).
package countio

import "io"

// Reader passes R's bytes on and counts them in N.
type Reader struct {
	R io.Reader
	N int64
}

// Read reads from R and adds what it read to N.
func (c *Reader) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.N += int64(n)
	return n, err
}

// ReadCloser is a Reader that closes what it reads, as a request body must.
type ReadCloser struct {
	Reader
	C io.Closer
}

// NewReadCloser counts the bytes read from rc.
func NewReadCloser(rc io.ReadCloser) *ReadCloser {
	return &ReadCloser{Reader: Reader{R: rc}, C: rc}
}

// Close closes C.
func (c *ReadCloser) Close() error { return c.C.Close() }

// Package blobio holds the small I/O helpers the blob store implementations
// share.
package blobio

import "io"

// Fill reads from r until buf is full or r returns an error, which may be
// io.EOF. Unlike io.ReadFull it passes on an io.ErrUnexpectedEOF from r (a
// request body cut short) rather than taking it for the end of the data, so
// a store never mistakes a truncated upload for a complete one.
func Fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Range reads a range of a blob: exactly the n bytes NewRange was given,
// then io.EOF; a source that ends before the range does is an
// io.ErrUnexpectedEOF. Close closes the source.
type Range struct {
	lr io.LimitedReader
	c  io.Closer
}

// NewRange returns a Range of the next n bytes of r, closed by c.
func NewRange(r io.Reader, n int64, c io.Closer) *Range {
	return &Range{lr: io.LimitedReader{R: r, N: n}, c: c}
}

// Read reads from the range.
func (r *Range) Read(p []byte) (int, error) {
	n, err := r.lr.Read(p)
	if err == io.EOF && r.lr.N > 0 {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// WriteTo writes the rest of the range to w. It hands w a LimitedReader of
// the source, which lets a network connection send a file's range with
// sendfile(2).
func (r *Range) WriteTo(w io.Writer) (int64, error) {
	n, err := io.Copy(w, &r.lr)
	if err == nil && r.lr.N > 0 {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// Close closes the source.
func (r *Range) Close() error { return r.c.Close() }

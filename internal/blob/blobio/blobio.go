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

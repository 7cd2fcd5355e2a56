package httpapi

import (
	"crypto/sha256"
	"hash"
	"io"
	"sync"
)

// hashingBody hashes a request body (SHA-256) as it is read and, when the
// underlying reader reports io.EOF, calls atEOF with the digest; an error
// from atEOF is returned in place of io.EOF, so the body's consumer never
// sees a clean end of a body that failed its check.
//
// For archive bytes the hashing runs on a goroutine of its own, fed with
// copies of what was read, so that it proceeds on another core while the
// consumer computes the tree hash and writes the bytes out.
type hashingBody struct {
	r     io.ReadCloser
	atEOF func(sum []byte) error
	err   error // sticky result of atEOF
	ended bool

	h     hash.Hash    // inline hashing; nil when async
	async *asyncHasher // hashing on another goroutine; nil when inline
}

func newHashingBody(r io.ReadCloser, async bool, atEOF func([]byte) error) *hashingBody {
	b := &hashingBody{r: r, atEOF: atEOF}
	if async {
		b.async = newAsyncHasher()
	} else {
		b.h = sha256.New()
	}
	return b
}

func (b *hashingBody) Read(p []byte) (int, error) {
	if b.ended {
		if b.err != nil {
			return 0, b.err
		}
		return 0, io.EOF
	}
	n, err := b.r.Read(p)
	if b.async != nil {
		b.async.write(p[:n])
	} else {
		b.h.Write(p[:n])
	}
	if err == io.EOF {
		b.ended = true
		var sum []byte
		if b.async != nil {
			sum = b.async.sum()
		} else {
			sum = b.h.Sum(nil)
		}
		if b.err = b.atEOF(sum); b.err != nil {
			return n, b.err
		}
	}
	return n, err
}

// Close closes the body.
func (b *hashingBody) Close() error { return b.r.Close() }

// stop ends the hashing goroutine, if any; the body is left as it is.
func (b *hashingBody) stop() {
	if b.async != nil {
		b.async.stop()
	}
}

// asyncBuf is the size of the chunks handed to the hashing goroutine;
// asyncDepth of them may be in flight.
const (
	asyncBuf   = 256 << 10
	asyncDepth = 4
)

// asyncHasher computes a SHA-256 on its own goroutine. write copies its input
// into pooled chunks; sum waits for the digest.
type asyncHasher struct {
	full   chan []byte
	free   chan []byte
	result chan []byte
	cur    []byte // chunk being filled
	once   sync.Once
}

func newAsyncHasher() *asyncHasher {
	a := &asyncHasher{full: make(chan []byte, asyncDepth), free: make(chan []byte, asyncDepth+1), result: make(chan []byte, 1)}
	for range asyncDepth + 1 {
		a.free <- make([]byte, 0, asyncBuf)
	}
	go func() {
		h := sha256.New()
		for c := range a.full {
			h.Write(c)
			a.free <- c[:0]
		}
		a.result <- h.Sum(nil)
	}()
	return a
}

func (a *asyncHasher) write(p []byte) {
	for len(p) > 0 {
		if a.cur == nil {
			a.cur = <-a.free
		}
		k := copy(a.cur[len(a.cur):cap(a.cur)], p)
		a.cur, p = a.cur[:len(a.cur)+k], p[k:]
		if len(a.cur) == cap(a.cur) {
			a.full <- a.cur
			a.cur = nil
		}
	}
}

// sum flushes the last chunk and returns the digest of everything written.
func (a *asyncHasher) sum() []byte {
	if len(a.cur) > 0 {
		a.full <- a.cur
		a.cur = nil
	}
	a.stop()
	return <-a.result
}

// stop ends the goroutine; it is safe to call more than once.
func (a *asyncHasher) stop() { a.once.Do(func() { close(a.full) }) }

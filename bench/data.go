package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"sync"

	"github.com/glacierd/glacierd/internal/treehash"
)

// word returns the i-th 8-byte word of the stream for seed (splitmix64 of
// the word index), so that any offset of the stream can be produced directly.
func word(seed, i uint64) uint64 {
	z := seed + (i+1)*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// fill writes the stream's bytes [off, off+len(p)) for seed into p.
func fill(seed uint64, off int64, p []byte) {
	i := 0
	for ; i < len(p) && (off+int64(i))%8 != 0; i++ {
		o := uint64(off + int64(i))
		p[i] = byte(word(seed, o/8) >> (8 * (o % 8)))
	}
	for ; i+8 <= len(p); i += 8 {
		binary.LittleEndian.PutUint64(p[i:], word(seed, uint64(off+int64(i))/8))
	}
	for ; i < len(p); i++ {
		o := uint64(off + int64(i))
		p[i] = byte(word(seed, o/8) >> (8 * (o % 8)))
	}
}

// stream is a deterministic pseudo-random byte stream of a given size. It is
// an io.ReadSeeker that holds no data, so the SDK can learn its length and
// rewind it, and 4 GiB can be sent without 4 GiB of memory.
type stream struct {
	seed      uint64
	off, size int64
}

func newStream(seed uint64, size int64) *stream { return &stream{seed: seed, size: size} }

func (s *stream) Read(p []byte) (int, error) {
	if s.off >= s.size {
		return 0, io.EOF
	}
	if int64(len(p)) > s.size-s.off {
		p = p[:s.size-s.off]
	}
	fill(s.seed, s.off, p)
	s.off += int64(len(p))
	return len(p), nil
}

func (s *stream) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += s.off
	case io.SeekEnd:
		offset += s.size
	default:
		return 0, errors.New("stream: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("stream: negative offset")
	}
	s.off = offset
	return offset, nil
}

// bytesOf returns the whole stream for seed and size in memory.
func bytesOf(seed uint64, size int64) []byte {
	b := make([]byte, size)
	fill(seed, 0, b)
	return b
}

// hashes are the two digests a Glacier upload carries: the tree hash
// (x-amz-sha256-tree-hash) and the linear SHA-256 that SigV4 signs
// (x-amz-content-sha256).
type hashes struct {
	tree, linear string
}

// hashReader computes both hashes of what r yields, in parallel.
func hashReader(open func() io.Reader) hashes {
	var h hashes
	var wg sync.WaitGroup
	wg.Go(func() {
		t := treehash.New()
		_, _ = io.CopyBuffer(t, open(), make([]byte, 4<<20))
		r := t.Root()
		h.tree = hex.EncodeToString(r[:])
	})
	wg.Go(func() {
		l := sha256.New()
		_, _ = io.CopyBuffer(l, open(), make([]byte, 4<<20))
		h.linear = hex.EncodeToString(l.Sum(nil))
	})
	wg.Wait()
	return h
}

// hashBytes computes both hashes of b.
func hashBytes(b []byte) hashes {
	return hashReader(func() io.Reader { return &onlyReader{b: b} })
}

// onlyReader reads a byte slice without offering WriterTo, so the hashers
// see leaf-sized writes from CopyBuffer.
type onlyReader struct{ b []byte }

func (r *onlyReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

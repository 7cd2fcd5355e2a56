package treehash

import (
	"crypto/sha256"
	"hash"
)

// Leaves records the leaf hashes of a stream (SHA-256 of each LeafSize
// chunk), from which the tree hash of the stream and of any tree-hash
// aligned range of it can be computed later without reading the bytes
// again. Its memory is Size bytes per LeafSize of input.
type Leaves struct {
	h    hash.Hash
	n    int    // bytes written to h since the last full leaf
	sums []byte // hashes of the completed leaves, Size bytes each
}

// NewLeaves returns an empty leaf recorder.
func NewLeaves() *Leaves { return &Leaves{h: sha256.New()} }

// Write hashes p into the current leaf, completing leaves as they fill. It
// never fails.
func (l *Leaves) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		k := min(len(p), LeafSize-l.n)
		l.h.Write(p[:k])
		l.n += k
		p = p[k:]
		if l.n == LeafSize {
			l.sums = l.h.Sum(l.sums)
			l.h.Reset()
			l.n = 0
		}
	}
	return total, nil
}

// Sums returns the leaf hashes written so far, Size bytes each, including
// the hash of a final partial leaf. Empty input has one leaf, SHA-256 of
// nothing. The result is a new slice; l may continue to be written.
func (l *Leaves) Sums() []byte {
	out := append([]byte(nil), l.sums...)
	if l.n > 0 || len(out) == 0 {
		out = l.h.Sum(out)
	}
	return out
}

// Root returns the tree hash of everything written so far.
func (l *Leaves) Root() [Size]byte { return Combine(Split(l.Sums())) }

// Split cuts concatenated hashes (as from Sums) into Size-byte digests. A
// trailing partial digest is dropped.
func Split(b []byte) [][Size]byte {
	out := make([][Size]byte, len(b)/Size)
	for i := range out {
		copy(out[i][:], b[i*Size:])
	}
	return out
}

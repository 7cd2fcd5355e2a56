package treehash

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"math/bits"
)

// LeafSize is the size in bytes of a tree-hash leaf: 1 MiB. Every leaf but
// the last of an input is exactly this long.
const LeafSize = 1 << 20

// Size is the size in bytes of a tree hash, the size of a SHA-256 digest.
const Size = sha256.Size

// ErrInvalidHex is wrapped by the error [ParseHex] returns for any string that
// is not exactly 64 hexadecimal digits.
var ErrInvalidHex = errors.New("treehash: invalid hex tree hash")

// maxDepth bounds the number of pending subtree roots: one per set bit of a
// 64-bit leaf count, plus one being merged.
const maxDepth = 65

// stack reduces a sequence of node hashes, all of the same level, to their
// root using O(log n) memory. Its shape follows the binary representation of
// count: nodes[i] is the root of a perfect subtree whose size is the i-th
// highest set bit of count.
type stack struct {
	nodes [maxDepth][Size]byte
	depth int
	count uint64
}

// push appends the next node, merging every pair of equal-sized perfect
// subtrees it completes.
func (s *stack) push(d *[Size]byte) {
	s.nodes[s.depth] = *d
	s.depth++
	for merges := bits.TrailingZeros64(^s.count); merges > 0; merges-- {
		s.depth--
		hashPair(&s.nodes[s.depth-1], &s.nodes[s.depth-1], &s.nodes[s.depth])
	}
	s.count++
}

// fold returns the root of the nodes pushed so far followed, when tail is
// non-nil, by *tail. It returns false if there is no node at all. The stack is
// not modified.
func (s *stack) fold(tail *[Size]byte) ([Size]byte, bool) {
	var acc [Size]byte
	have := false
	if tail != nil {
		acc, have = *tail, true
	}
	for i := s.depth - 1; i >= 0; i-- {
		if !have {
			acc, have = s.nodes[i], true
			continue
		}
		hashPair(&acc, &s.nodes[i], &acc)
	}
	return acc, have
}

// hashPair sets *dst to SHA-256(left || right). dst may alias either input.
func hashPair(dst, left, right *[Size]byte) {
	var buf [2 * Size]byte
	copy(buf[:Size], left[:])
	copy(buf[Size:], right[:])
	*dst = sha256.Sum256(buf[:])
}

// Hasher computes a tree hash incrementally. It implements [hash.Hash] (and so
// [io.Writer]): Write never fails, and Sum appends the tree hash of everything
// written so far without changing the state. However the input is split into
// Write calls, the result is the same.
//
// A Hasher keeps at most one partial leaf in a SHA-256 state and one digest
// per level of the tree, so its memory use is bounded regardless of the input
// size, and it does not allocate after its first Write. Writes of whole,
// leaf-aligned 1 MiB blocks are hashed without copying.
//
// The zero value is ready to use. A Hasher is not safe for concurrent use.
type Hasher struct {
	leaf    hash.Hash // SHA-256 of the current partial leaf; nil until needed
	partial int       // bytes written to leaf since it was last reset
	tree    stack     // roots of the completed leaves
	scratch [Size]byte
}

// New returns a Hasher ready to hash a new input.
func New() *Hasher {
	return &Hasher{leaf: sha256.New()}
}

// Write adds p to the input. It always returns len(p), nil.
func (h *Hasher) Write(p []byte) (int, error) {
	n := len(p)
	if h.partial > 0 {
		k := min(LeafSize-h.partial, len(p))
		h.leaf.Write(p[:k])
		h.partial += k
		p = p[k:]
		if h.partial == LeafSize {
			h.leaf.Sum(h.scratch[:0])
			h.leaf.Reset()
			h.partial = 0
			h.tree.push(&h.scratch)
		}
	}
	for len(p) >= LeafSize {
		h.scratch = sha256.Sum256(p[:LeafSize])
		h.tree.push(&h.scratch)
		p = p[LeafSize:]
	}
	if len(p) > 0 {
		if h.leaf == nil {
			h.leaf = sha256.New()
		}
		h.leaf.Write(p)
		h.partial = len(p)
	}
	return n, nil
}

// Root returns the tree hash of everything written so far. It does not change
// the state: more data may be written afterwards.
func (h *Hasher) Root() [Size]byte {
	var tail *[Size]byte
	switch {
	case h.partial > 0:
		h.leaf.Sum(h.scratch[:0])
		tail = &h.scratch
	case h.tree.count == 0:
		// Empty input: the tree hash is SHA-256 of nothing.
		h.scratch = sha256.Sum256(nil)
		tail = &h.scratch
	}
	root, _ := h.tree.fold(tail)
	return root
}

// Sum appends the tree hash of everything written so far to b and returns the
// resulting slice. It does not change the state.
func (h *Hasher) Sum(b []byte) []byte {
	root := h.Root()
	return append(b, root[:]...)
}

// Reset returns the Hasher to its initial state, as if nothing had been
// written.
func (h *Hasher) Reset() {
	if h.leaf != nil {
		h.leaf.Reset()
	}
	h.partial = 0
	h.tree.depth = 0
	h.tree.count = 0
}

// Size returns the number of bytes Sum appends: 32.
func (h *Hasher) Size() int { return Size }

// BlockSize returns SHA-256's block size, 64. Write accepts any amount of
// data, but is fastest when given whole, leaf-aligned multiples of LeafSize.
func (h *Hasher) BlockSize() int { return sha256.BlockSize }

// Sum returns the tree hash of b. Sum(nil) is SHA-256 of the empty string.
func Sum(b []byte) [Size]byte {
	var h Hasher
	h.Write(b)
	return h.Root()
}

// Combine reduces a list of node hashes to their root with the tree-hash
// pairing rule: adjacent pairs are hashed level by level, an odd last node is
// carried up unchanged. Combine of no hashes is SHA-256 of the empty string,
// the tree hash of an empty archive; Combine of one hash is that hash.
//
// Precondition for building an archive's tree hash from the tree hashes of its
// parts (as a multipart upload does): every part but the last must be exactly
// LeafSize·2^k bytes long, for one k ≥ 0 shared by all parts, and the last
// part must be non-empty and at most that long. Each part is then a node of
// the archive's tree at level k, and Combine of the parts' tree hashes, in
// order, equals the tree hash of the whole archive. With parts of any other
// sizes the result is well defined but is not the archive's tree hash.
func Combine(hashes [][Size]byte) [Size]byte {
	if len(hashes) == 0 {
		return sha256.Sum256(nil)
	}
	var s stack
	for i := range hashes {
		s.push(&hashes[i])
	}
	root, _ := s.fold(nil)
	return root
}

// Aligned reports whether the inclusive byte range [start, end] of an archive
// of size bytes is tree-hash aligned, that is, whether the range is exactly
// the span of a node of the archive's tree: there are k ≥ 0 and i ≥ 0 with
// start == i·2^k·LeafSize and end+1 == min((i+1)·2^k·LeafSize, size).
//
// The whole archive, [0, size-1], is always aligned. Aligned returns false
// for a range that is not within the archive (unless 0 ≤ start ≤ end < size).
// It runs in constant time.
func Aligned(start, end, size int64) bool {
	return aligned(start, end, size, LeafSize)
}

// aligned is Aligned for a leaf of leaf bytes, a power of two.
func aligned(start, end, size, leaf int64) bool {
	if start < 0 || end < start || end >= size {
		return false
	}
	s, length, l := uint64(start), uint64(end)-uint64(start)+1, uint64(leaf)
	if end+1 < size {
		// An interior node spans exactly leaf·2^k bytes starting at a
		// multiple of its span.
		return length%l == 0 && bits.OnesCount64(length/l) == 1 && s%length == 0
	}
	// A node ending at the end of the archive: its span leaf·2^k must reach
	// the end (leaf·2^k ≥ length) and start must be a multiple of it. The
	// smallest such k is the easiest to satisfy.
	leaves := (length-1)/l + 1
	k := bits.Len64(leaves - 1)
	if k+bits.Len64(l-1) >= 64 {
		return s == 0 // the span exceeds any int64 offset; only 0 is a multiple
	}
	return s%(l<<k) == 0
}

// ParseHex decodes a tree hash written as exactly 64 hexadecimal digits, in
// either case. Any other string yields an error wrapping [ErrInvalidHex].
func ParseHex(s string) ([Size]byte, error) {
	var d [Size]byte
	if len(s) != 2*Size {
		return d, fmt.Errorf("%w: want %d hex digits, got %d characters", ErrInvalidHex, 2*Size, len(s))
	}
	if _, err := hex.Decode(d[:], []byte(s)); err != nil {
		return [Size]byte{}, fmt.Errorf("%w: %q", ErrInvalidHex, s)
	}
	return d, nil
}

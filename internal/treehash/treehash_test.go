package treehash

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"math/rand/v2"
	"testing"
)

var _ hash.Hash = (*Hasher)(nil)

// refTreeHash is a deliberately naive reference: list every leaf hash of data
// (leaf bytes per leaf), then reduce level by level.
func refTreeHash(data []byte, leaf int) [Size]byte {
	var level [][Size]byte
	for off := 0; off < len(data) || off == 0; off += leaf {
		level = append(level, sha256.Sum256(data[off:min(off+leaf, len(data))]))
		if len(data) == 0 {
			break
		}
	}
	return refReduce(level)
}

// refReduce pairs adjacent hashes level by level, carrying an odd last one up.
func refReduce(level [][Size]byte) [Size]byte {
	if len(level) == 0 {
		return sha256.Sum256(nil)
	}
	for len(level) > 1 {
		var next [][Size]byte
		for i := 0; i < len(level); i += 2 {
			if i+1 == len(level) {
				next = append(next, level[i])
				continue
			}
			next = append(next, sha256.Sum256(append(level[i][:], level[i+1][:]...)))
		}
		level = next
	}
	return level[0]
}

// testData returns n deterministic pseudo-random bytes.
func testData(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 0x7265655f68617368))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

const mib = LeafSize

var vectorSizes = []int{
	0, 1, 2, 1000, mib - 1, mib, mib + 1, 2*mib - 1, 2 * mib, 2*mib + 1,
	3 * mib, 3*mib + 5, 4 * mib, 5*mib + 17, 7 * mib, 8 * mib, 9*mib + 123,
}

func TestSumMatchesReference(t *testing.T) {
	for _, n := range vectorSizes {
		data := testData(n, uint64(n))
		got, want := Sum(data), refTreeHash(data, LeafSize)
		if got != want {
			t.Errorf("Sum(%d bytes) = %x, reference %x", n, got, want)
		}
		if n <= LeafSize {
			if plain := sha256.Sum256(data); got != plain {
				t.Errorf("Sum(%d bytes) = %x, want plain SHA-256 %x", n, got, plain)
			}
		}
	}
}

func TestKnownEmpty(t *testing.T) {
	const want = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	for name, got := range map[string][Size]byte{
		"Sum(nil)":     Sum(nil),
		"New().Root()": New().Root(),
		"zero Hasher":  new(Hasher).Root(),
		"Combine(nil)": Combine(nil),
	} {
		if hex.EncodeToString(got[:]) != want {
			t.Errorf("%s = %x, want %s", name, got, want)
		}
	}
}

// TestTwoLeaves checks the pairing rule by hand on 1 MiB + 1 byte.
func TestTwoLeaves(t *testing.T) {
	data := testData(mib+1, 3)
	a, b := sha256.Sum256(data[:mib]), sha256.Sum256(data[mib:])
	want := sha256.Sum256(append(a[:], b[:]...))
	if got := Sum(data); got != want {
		t.Fatalf("Sum = %x, want %x", got, want)
	}
}

func TestHasherChunkingInvariance(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	sizes := append([]int{}, vectorSizes...)
	for range 12 {
		sizes = append(sizes, r.IntN(6*mib))
	}
	for _, n := range sizes {
		data := testData(n, uint64(n)+7)
		want := refTreeHash(data, LeafSize)
		for trial := range 4 {
			h := New()
			rest := data
			for len(rest) > 0 {
				var k int
				switch r.IntN(4) {
				case 0:
					k = r.IntN(64) + 1
				case 1:
					k = r.IntN(LeafSize) + 1
				case 2:
					k = LeafSize - h.partial // land exactly on a leaf boundary
				default:
					k = r.IntN(3*LeafSize) + 1
				}
				k = min(k, len(rest))
				h.Write(rest[:k])
				rest = rest[k:]
			}
			if got := h.Root(); got != want {
				t.Errorf("size %d trial %d: chunked = %x, want %x", n, trial, got, want)
			}
		}
	}
}

func TestHasherSumDoesNotChangeState(t *testing.T) {
	data := testData(5*mib+3, 9)
	h := New()
	prev := 0
	for _, cut := range []int{0, 10, mib, 2*mib + 1, 4 * mib, len(data)} {
		h.Write(data[prev:cut])
		prev = cut
		want := refTreeHash(data[:cut], LeafSize)
		prefix := []byte("prefix")
		got := h.Sum(prefix)
		if !bytes.Equal(got[:len(prefix)], prefix) || !bytes.Equal(got[len(prefix):], want[:]) {
			t.Fatalf("after %d bytes Sum = %x, want prefix+%x", cut, got, want)
		}
		if again := h.Root(); again != want {
			t.Fatalf("after %d bytes second Root = %x, want %x", cut, again, want)
		}
	}
	if h.Size() != 32 || h.BlockSize() != 64 {
		t.Errorf("Size, BlockSize = %d, %d; want 32, 64", h.Size(), h.BlockSize())
	}
	h.Reset()
	if got, want := h.Root(), sha256.Sum256(nil); got != want {
		t.Errorf("after Reset Root = %x, want %x", got, want)
	}
	h.Write(data[:3*mib])
	if got, want := h.Root(), refTreeHash(data[:3*mib], LeafSize); got != want {
		t.Errorf("reuse after Reset = %x, want %x", got, want)
	}
}

func TestHasherDoesNotAllocate(t *testing.T) {
	data := testData(4*mib+100, 5)
	h := New()
	h.Write(data[:1]) // the first Write may allocate the leaf state
	h.Reset()
	allocs := testing.AllocsPerRun(20, func() {
		h.Reset()
		h.Write(data[:17])
		h.Write(data[17 : 3*mib])
		h.Write(data[3*mib:])
		_ = h.Root()
	})
	if allocs != 0 {
		t.Errorf("Write/Root allocated %.1f times per run, want 0", allocs)
	}
}

// TestCombineParts checks the multipart precondition documented on Combine:
// parts of LeafSize·2^k bytes (the last possibly shorter) combine to the
// archive's tree hash.
func TestCombineParts(t *testing.T) {
	data := testData(19*mib+77, 11)
	for _, part := range []int{mib, 2 * mib, 4 * mib, 8 * mib, 16 * mib, 32 * mib} {
		for _, size := range []int{1, mib - 1, mib, mib + 1, 3 * mib, 4*mib + 1, 8 * mib, 11*mib + 5, 16 * mib, 19*mib + 77} {
			whole := data[:size]
			var parts [][Size]byte
			for off := 0; off < size; off += part {
				parts = append(parts, Sum(whole[off:min(off+part, size)]))
			}
			if got, want := Combine(parts), Sum(whole); got != want {
				t.Errorf("part %d MiB, archive %d bytes: Combine = %x, want %x", part/mib, size, got, want)
			}
		}
	}
}

func TestCombineMatchesReference(t *testing.T) {
	for n := range 70 {
		hs := make([][Size]byte, n)
		for i := range hs {
			hs[i] = sha256.Sum256([]byte(fmt.Sprint(n, i)))
		}
		if got, want := Combine(hs), refReduce(hs); got != want {
			t.Errorf("Combine(%d hashes) = %x, want %x", n, got, want)
		}
	}
}

// bruteNodes enumerates the spans [start, end] of every node of the tree of
// an archive of size bytes built on leaves of leaf bytes.
func bruteNodes(size, leaf int64) map[[2]int64]bool {
	type span struct{ start, end int64 }
	var level []span
	for off := int64(0); off < size; off += leaf {
		level = append(level, span{off, min(off+leaf, size) - 1})
	}
	nodes := map[[2]int64]bool{}
	for {
		for _, s := range level {
			nodes[[2]int64{s.start, s.end}] = true
		}
		if len(level) <= 1 {
			return nodes
		}
		var next []span
		for i := 0; i < len(level); i += 2 {
			if i+1 == len(level) {
				next = append(next, level[i])
			} else {
				next = append(next, span{level[i].start, level[i+1].end})
			}
		}
		level = next
	}
}

// candidates returns interesting offsets of an archive: leaf boundaries and
// their neighbours.
func candidates(size, leaf int64) []int64 {
	var c []int64
	for off := int64(0); off <= size+leaf; off += leaf {
		c = append(c, off-1, off, off+1)
	}
	return append(c, size-2, size-1, size, size+1)
}

func TestAlignedBruteForce(t *testing.T) {
	var sizes []int64
	for m := int64(0); m <= 40; m++ {
		sizes = append(sizes, m*mib, m*mib+1, m*mib+mib/2, m*mib-1)
	}
	for _, size := range sizes {
		if size <= 0 {
			continue
		}
		nodes := bruteNodes(size, LeafSize)
		starts := candidates(size, LeafSize)
		for _, start := range starts {
			for _, end := range starts {
				want := nodes[[2]int64{start, end}]
				if got := Aligned(start, end, size); got != want {
					t.Fatalf("Aligned(%d, %d, %d) = %v, brute force %v", start, end, size, got, want)
				}
			}
		}
		if !Aligned(0, size-1, size) {
			t.Errorf("whole archive of %d bytes not aligned", size)
		}
	}
}

func TestAlignedSmallLeavesExhaustive(t *testing.T) {
	for _, leaf := range []int64{1, 2, 4} {
		for size := int64(1); size <= 70; size++ {
			nodes := bruteNodes(size, leaf)
			for start := int64(-1); start <= size+1; start++ {
				for end := start - 1; end <= size+1; end++ {
					if got, want := aligned(start, end, size, leaf), nodes[[2]int64{start, end}]; got != want {
						t.Fatalf("aligned(%d, %d, %d, leaf %d) = %v, brute force %v", start, end, size, leaf, got, want)
					}
				}
			}
		}
	}
}

func TestAlignedExtremes(t *testing.T) {
	const maxSize = int64(^uint64(0) >> 1)
	tests := []struct {
		start, end, size int64
		want             bool
	}{
		{0, maxSize - 1, maxSize, true},
		{1 << 62, maxSize - 1, maxSize, true},
		{1 << 61, maxSize - 1, maxSize, false},
		{0, 1<<62 - 1, maxSize, true},
		{1 << 62, 1<<62 + mib - 1, maxSize, true},
		{0, -1, 0, false},
		{0, 0, 0, false},
		{-mib, -1, mib, false},
		{0, mib, mib, false},
	}
	for _, tt := range tests {
		if got := Aligned(tt.start, tt.end, tt.size); got != tt.want {
			t.Errorf("Aligned(%d, %d, %d) = %v, want %v", tt.start, tt.end, tt.size, got, tt.want)
		}
	}
}

func TestParseHex(t *testing.T) {
	want := sha256.Sum256([]byte("x"))
	lower := hex.EncodeToString(want[:])
	upper := fmt.Sprintf("%X", want[:])
	for _, s := range []string{lower, upper, lower[:10] + upper[10:]} {
		got, err := ParseHex(s)
		if err != nil || got != want {
			t.Errorf("ParseHex(%q) = %x, %v; want %x, nil", s, got, err, want)
		}
	}
	for _, s := range []string{"", lower[:63], lower + "0", lower[:63] + "g", " " + lower[1:], lower[:62] + "\x00\x00", "0x" + lower[2:]} {
		got, err := ParseHex(s)
		if !errors.Is(err, ErrInvalidHex) || got != ([Size]byte{}) {
			t.Errorf("ParseHex(%q) = %x, %v; want zero, ErrInvalidHex", s, got, err)
		}
	}
}

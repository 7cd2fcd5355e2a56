package treehash

import (
	"crypto/sha256"
	"encoding/binary"
	"testing"
)

// FuzzHasher checks that splitting the input into arbitrary Write calls does
// not change the tree hash. The input is stretched so that it spans several
// leaves; splits holds the chunk lengths (two bytes each, scaled).
func FuzzHasher(f *testing.F) {
	f.Add([]byte("hello"), uint32(0), []byte{})
	f.Add([]byte{1, 2, 3}, uint32(3*LeafSize+5), []byte{0, 1, 255, 255, 16, 0})
	f.Add([]byte{}, uint32(LeafSize), []byte{0, 16})
	f.Fuzz(func(t *testing.T, seed []byte, size uint32, splits []byte) {
		n := int(size % (5*LeafSize + 1))
		data := make([]byte, n)
		for i := range data {
			if len(seed) > 0 {
				data[i] = seed[i%len(seed)] ^ byte(i>>10)
			} else {
				data[i] = byte(i * 31)
			}
		}
		want := refTreeHash(data, LeafSize)
		h := New()
		rest := data
		for len(splits) >= 2 && len(rest) > 0 {
			k := int(binary.BigEndian.Uint16(splits)) * 97
			splits = splits[2:]
			k = min(k, len(rest))
			h.Write(rest[:k])
			rest = rest[k:]
		}
		h.Write(rest)
		if got := h.Root(); got != want {
			t.Fatalf("size %d: chunked tree hash %x, want %x", n, got, want)
		}
	})
}

// FuzzCombine checks Combine against the reference reduction, and the
// property multipart uploads rely on: combining groups of 2^k consecutive
// nodes first and then combining the group roots gives the same root.
func FuzzCombine(f *testing.F) {
	f.Add(uint16(0), uint8(0), []byte("x"))
	f.Add(uint16(13), uint8(2), []byte("seed"))
	f.Add(uint16(1000), uint8(5), []byte{})
	f.Fuzz(func(t *testing.T, count uint16, shift uint8, seed []byte) {
		n := int(count % 2049)
		hs := make([][Size]byte, n)
		for i := range hs {
			var b [8]byte
			binary.BigEndian.PutUint64(b[:], uint64(i))
			hs[i] = sha256.Sum256(append(b[:], seed...))
		}
		want := refReduce(hs)
		if got := Combine(hs); got != want {
			t.Fatalf("Combine(%d) = %x, want %x", n, got, want)
		}
		group := 1 << (shift % 8)
		var roots [][Size]byte
		for off := 0; off < n; off += group {
			roots = append(roots, Combine(hs[off:min(off+group, n)]))
		}
		if got := Combine(roots); got != want {
			t.Fatalf("Combine of %d groups of %d = %x, want %x", len(roots), group, got, want)
		}
	})
}

// FuzzAligned checks the closed form against a brute-force enumeration of the
// tree's nodes, on small archives built from small fake leaves and on real
// archives with 1 MiB leaves expressed in leaf-boundary units.
func FuzzAligned(f *testing.F) {
	f.Add(int64(0), int64(0), int64(1), uint8(0))
	f.Add(int64(4), int64(7), int64(9), uint8(1))
	f.Add(int64(8), int64(10), int64(11), uint8(2))
	f.Fuzz(func(t *testing.T, start, end, size int64, leafShift uint8) {
		leaf := int64(1) << (leafShift % 4)
		size = 1 + abs(size)%(90*leaf)
		start, end = abs(start)%(size+2)-1, abs(end)%(size+2)-1
		if got, want := aligned(start, end, size, leaf), bruteNodes(size, leaf)[[2]int64{start, end}]; got != want {
			t.Fatalf("aligned(%d, %d, %d, leaf %d) = %v, brute force %v", start, end, size, leaf, got, want)
		}
		// The same shape with real leaves: scale offsets so that the leaf
		// boundaries line up, keeping a possibly short last leaf.
		scale := LeafSize / leaf
		rs, re, rsize := start*scale, (end+1)*scale-1, size*scale
		if end == size-1 {
			re = rsize - 1
		}
		if start < 0 || end < start {
			return
		}
		if got, want := Aligned(rs, re, rsize), aligned(start, end, size, leaf); got != want {
			t.Fatalf("Aligned(%d, %d, %d) = %v, small-leaf form %v", rs, re, rsize, got, want)
		}
	})
}

func abs(x int64) int64 {
	if x < 0 {
		if x == -x { // MinInt64
			return 0
		}
		return -x
	}
	return x
}

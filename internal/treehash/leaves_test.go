package treehash

import (
	"bytes"
	"crypto/rand"
	"testing"
)

func TestLeavesRootMatchesSum(t *testing.T) {
	for _, n := range []int{0, 1, LeafSize - 1, LeafSize, LeafSize + 1, 3*LeafSize + 17, 8 * LeafSize} {
		data := make([]byte, n)
		_, _ = rand.Read(data)
		l := NewLeaves()
		// Write in uneven pieces to cross leaf boundaries mid-write.
		for p := data; len(p) > 0; {
			k := min(len(p), 333333)
			_, _ = l.Write(p[:k])
			p = p[k:]
		}
		if got, want := l.Root(), Sum(data); got != want {
			t.Errorf("%d bytes: root %x, want %x", n, got, want)
		}
		wantLeaves := max(1, (n+LeafSize-1)/LeafSize)
		if got := len(l.Sums()) / Size; got != wantLeaves {
			t.Errorf("%d bytes: %d leaves, want %d", n, got, wantLeaves)
		}
	}
}

func TestLeavesAlignedRanges(t *testing.T) {
	const size = 6*LeafSize + 5
	data := make([]byte, size)
	_, _ = rand.Read(data)
	l := NewLeaves()
	_, _ = l.Write(data)
	leaves := Split(l.Sums())
	for start := int64(0); start < size; start += LeafSize {
		for end := start; end < size; end++ {
			if !Aligned(start, end, size) {
				continue
			}
			first, last := start/LeafSize, end/LeafSize
			if got, want := Combine(leaves[first:last+1]), Sum(data[start:end+1]); got != want {
				t.Errorf("range %d-%d: combined leaves %x, want %x", start, end, got, want)
			}
		}
	}
	if !bytes.Equal(l.Sums(), l.Sums()) {
		t.Error("Sums is not repeatable")
	}
}

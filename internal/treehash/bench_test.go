package treehash

import (
	"crypto/sha256"
	"strconv"
	"testing"
)

const benchTotal = 1 << 30 // bytes hashed per benchmark operation

// benchHash writes benchTotal bytes to h in chunks of len(buf).
func benchHash(b *testing.B, write func([]byte), reset func(), chunk int) {
	buf := testData(chunk, 1)
	b.SetBytes(benchTotal)
	b.ResetTimer()
	for b.Loop() {
		reset()
		for done := 0; done < benchTotal; done += chunk {
			write(buf)
		}
	}
}

func BenchmarkHasher1GiB(b *testing.B) {
	for _, chunk := range []int{32 << 10, 4 << 20} {
		b.Run(sizeName(chunk), func(b *testing.B) {
			h := New()
			benchHash(b, func(p []byte) { h.Write(p) }, h.Reset, chunk)
			_ = h.Root()
		})
	}
}

func BenchmarkSHA256_1GiB(b *testing.B) {
	for _, chunk := range []int{32 << 10, 4 << 20} {
		b.Run(sizeName(chunk), func(b *testing.B) {
			h := sha256.New()
			benchHash(b, func(p []byte) { h.Write(p) }, h.Reset, chunk)
			_ = h.Sum(nil)
		})
	}
}

func sizeName(n int) string {
	if n >= 1<<20 {
		return "write=" + strconv.Itoa(n>>20) + "MiB"
	}
	return "write=" + strconv.Itoa(n>>10) + "KiB"
}

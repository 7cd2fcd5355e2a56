package glacierselect

import (
	"context"
	"io"
	"testing"
)

// BenchmarkRun measures select throughput over generated CSV: b.SetBytes
// makes `go test -bench Run` print MB/s of input.
func BenchmarkRun(b *testing.B) {
	rec := []byte("12345,\"quoted, text\",777,alpha,2020-01-15T10:00Z\n")
	const size = 8 << 20
	n := int64(size / len(rec) * len(rec))
	for _, bc := range []struct{ name, sql string }{
		{"star", "SELECT * FROM ARCHIVE"},
		{"filter", "SELECT _2, _1 FROM ARCHIVE WHERE CAST(_3 AS INT) > 500 AND _4 LIKE 'al%'"},
		{"none", "SELECT _1 FROM ARCHIVE WHERE _4 = 'beta'"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			q, err := Compile(Params{ExpressionType: "SQL", Expression: bc.sql})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(n)
			for b.Loop() {
				if _, err := q.Run(context.Background(), &patternReader{rec: rec, n: n}, io.Discard, testNow()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

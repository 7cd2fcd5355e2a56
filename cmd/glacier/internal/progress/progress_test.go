package progress

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestNilBarIsNoOp(t *testing.T) {
	var b *Bar
	b.Add(10)
	b.Finish()
	b.Abandon()
	if New(&bytes.Buffer{}, false, 100, "x") != nil {
		t.Error("a disabled bar should be nil")
	}
	if New(&bytes.Buffer{}, true, 0, "x") != nil {
		t.Error("a bar for nothing should be nil")
	}
}

// syncBuffer is a bytes.Buffer safe for the bar's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestBarDrawsBytesConcurrently(t *testing.T) {
	for _, total := range []int64{8 << 20, -1} {
		var out syncBuffer
		b := New(&out, true, total, "upload")
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b.Add(1 << 20)
			}()
		}
		wg.Wait()
		b.Finish()
		b.Abandon() // after Finish: harmless
		s := out.String()
		if !strings.Contains(s, "upload") || !strings.Contains(s, "MiB") || !strings.HasSuffix(s, "\n") {
			t.Errorf("total %d: bar output %q lacks description, units or final newline", total, s)
		}
	}
}

func TestIsTerminal(t *testing.T) {
	if IsTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is not a terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) {
		t.Error("a regular file is not a terminal")
	}
}

package fs_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOrphansAtOpen(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	if n := s.Orphans(); n != 0 {
		t.Errorf("Orphans of a new store = %d", n)
	}
	if err := s.Put(t.Context(), "kept", strings.NewReader("data"), 4); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// A crash leaves temporary files, and possibly a directory, in tmp.
	for _, name := range []string{"A", "B", "C"} {
		if err := os.WriteFile(filepath.Join(dir, "tmp", name), []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "tmp", "D", "E"), 0o700); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir)
	if n := s.Orphans(); n != 4 {
		t.Errorf("Orphans = %d, want 4", n)
	}
	if left := tmpFiles(t, dir); len(left) != 0 {
		t.Errorf("tmp after open: %v", left)
	}
	rc, err := s.Open(t.Context(), "kept", 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || string(b) != "data" {
		t.Errorf("blob after reopen: %q, %v", b, err)
	}
}

func tmpFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "tmp"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestFailedPutLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	broken := errors.New("broken")
	r := io.MultiReader(strings.NewReader("some bytes"), errReader{broken})
	if err := s.Put(t.Context(), "k", r, -1); !errors.Is(err, broken) {
		t.Fatalf("Put = %v, want %v", err, broken)
	}
	if err := s.Put(t.Context(), "k", strings.NewReader("short"), 6); err == nil {
		t.Fatal("Put of a short body succeeded")
	}
	if left := tmpFiles(t, dir); len(left) != 0 {
		t.Errorf("tmp after failed Puts: %v", left)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestInvalidKeysRejected(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	bad := []string{
		"", "/abs", "a//b", "a/", "../escape", "a/../b", ".", "..", "a/./b", "a.b",
		"sp ace", "back\\slash", "nul\x00", "\u00e9", strings.Repeat("a", 201), strings.Repeat("a/", 600),
	}
	for _, key := range bad {
		if err := s.Put(t.Context(), key, strings.NewReader("x"), 1); err == nil {
			t.Errorf("Put(%q) succeeded", key)
		}
		if rc, err := s.Open(t.Context(), key, 0, -1); err == nil {
			rc.Close()
			t.Errorf("Open(%q) succeeded", key)
		}
		if err := s.Delete(t.Context(), key); err == nil {
			t.Errorf("Delete(%q) succeeded", key)
		}
	}
	good := []string{"a", "A-Z_0-9", strings.Repeat("a", 200), strings.Repeat("ab/", 300) + "c"}
	for _, key := range good {
		if err := s.Put(t.Context(), key, strings.NewReader("x"), 1); err != nil {
			t.Errorf("Put(%q): %v", key, err)
		}
	}
	// Nothing was written outside dir/blobs.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "blobs" && e.Name() != "tmp" {
			t.Errorf("unexpected entry %s in the store directory", e.Name())
		}
	}
}

func TestWriteToSendsRange(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	// Large enough for several pieces and prefetch windows, with ranges that
	// start and end inside pieces.
	data := make([]byte, 11<<20+7)
	for i := range data {
		data[i] = byte(i*7 + i>>20)
	}
	if err := s.Put(t.Context(), "k", bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	for _, r := range [][2]int64{{95, 1000}, {0, int64(len(data))}, {4<<20 - 1, 4<<20 + 2}, {3, int64(len(data)) - 3}} {
		rc, err := s.Open(t.Context(), "k", r[0], r[1])
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		n, err := io.Copy(&buf, rc) // uses WriteTo
		rc.Close()
		want := data[r[0] : r[0]+r[1]]
		if err != nil || n != r[1] || !bytes.Equal(buf.Bytes(), want) {
			t.Fatalf("range %v: io.Copy = %d, %v; content equal %v", r, n, err, bytes.Equal(buf.Bytes(), want))
		}
	}
	// A blob file cut short under an open range is an error, not a short
	// read that looks complete.
	rc, err := s.Open(t.Context(), "k", 1<<20, 9<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	files, err := filepath.Glob(filepath.Join(dir, "blobs", "k*"))
	if err != nil || len(files) != 1 {
		t.Fatalf("blob file: %v %v", files, err)
	}
	if err := os.Truncate(files[0], 6<<20); err != nil {
		t.Fatal(err)
	}
	if n, err := io.Copy(io.Discard, rc); !errors.Is(err, io.ErrUnexpectedEOF) || n != 5<<20 {
		t.Fatalf("io.Copy of a truncated blob = %d, %v; want %d, io.ErrUnexpectedEOF", n, err, 5<<20)
	}
}

// zeros yields zero bytes forever, without allocating.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// BenchmarkPut256MiB measures durable writes of a 256 MiB blob.
func BenchmarkPut256MiB(b *testing.B) {
	const size = 256 << 20
	s := open(b, b.TempDir())
	b.SetBytes(size)
	for b.Loop() {
		if err := s.Put(b.Context(), "bench/blob", io.LimitReader(zeros{}, size), size); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := s.Delete(b.Context(), "bench/blob"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

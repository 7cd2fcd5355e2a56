package fs_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/glacierd/glacierd/internal/blob/fs"
	"github.com/glacierd/glacierd/internal/lazyfs"
)

// TestPutSurvivesPowerCut stores blobs on a lazyfs, cuts the power with the
// store closed, and reads them back: a Put that returned is durable, and
// so are the directories MkdirAll and Open created.
func TestPutSurvivesPowerCut(t *testing.T) {
	if err := lazyfs.Available(); err != nil {
		t.Skipf("needs a FUSE mount: %v", err)
	}
	mnt := t.TempDir()
	l, err := lazyfs.Mount(mnt, t.TempDir(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Unmount(); err != nil {
			t.Errorf("unmount: %v", err)
		}
	})
	data := filepath.Join(mnt, "a", "b", "data")
	if err := fs.MkdirAll(data, 0o750); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(data, "archives")
	s, err := fs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	blobs := map[string][]byte{
		"x":            bytes.Repeat([]byte("x"), 3<<20),
		"archive/0a/b": []byte("small"),
		"archive/0a/c": {},
	}
	for k, b := range blobs {
		if err := s.Put(t.Context(), k, bytes.NewReader(b), int64(len(b))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Delete(t.Context(), "archive/0a/c"); err != nil {
		t.Fatal(err)
	}
	delete(blobs, "archive/0a/c")
	s.Close()
	if _, err := l.Cut(nil); err != nil {
		t.Fatal(err)
	}

	s, err = fs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for k, want := range blobs {
		rc, err := s.Open(t.Context(), k, 0, -1)
		if err != nil {
			t.Errorf("after the cut: %v", err)
			continue
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("after the cut %s holds %d bytes (%v), want %d", k, len(got), err, len(want))
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "blobs", "archive", "0a", "c.blob")); err == nil {
		t.Error("a deleted blob is back after the cut")
	}
}

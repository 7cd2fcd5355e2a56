package lazyfs

import (
	"bytes"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// mount mounts a lazyfs on fresh directories and returns it with its
// mountpoint; it skips the test where FUSE mounts are impossible.
func mount(t *testing.T) (*FS, string) {
	t.Helper()
	if err := Available(); err != nil {
		t.Skipf("lazyfs cannot be mounted here: %v", err)
	}
	mnt, backing, shadow := t.TempDir(), t.TempDir(), t.TempDir()
	l, err := Mount(mnt, backing, shadow)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Unmount(); err != nil {
			t.Errorf("unmount: %v", err)
		}
	})
	return l, mnt
}

// write creates (or truncates) name with b, fsyncing it if sync. It opens
// the file write-only, as the blob store does.
func write(t *testing.T, name string, b []byte, sync bool) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
	if sync {
		if err := f.Sync(); err != nil {
			t.Fatal(err)
		}
	}
}

// syncDir fsyncs a directory.
func syncDir(t *testing.T, name string) {
	t.Helper()
	d, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		t.Fatalf("fsync %s: %v", name, err)
	}
}

// cut cuts the power and returns the report.
func cut(t *testing.T, l *FS, r *rand.Rand) CutReport {
	t.Helper()
	rep, err := l.Cut(r)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// wantFile checks name's contents; want nil means it must not exist.
func wantFile(t *testing.T, name string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(name)
	switch {
	case want == nil && errors.Is(err, fs.ErrNotExist):
	case want == nil && err == nil:
		t.Errorf("%s exists (%d bytes) after the cut; it was never durable", filepath.Base(name), len(got))
	case err != nil:
		t.Errorf("%s: %v", filepath.Base(name), err)
	case !bytes.Equal(got, want):
		t.Errorf("%s holds %d bytes %.20q…, want %d bytes %.20q…", filepath.Base(name), len(got), got, len(want), want)
	}
}

func TestUnsyncedDataIsLost(t *testing.T) {
	l, mnt := mount(t)
	a := filepath.Join(mnt, "a")
	write(t, a, []byte("durable"), true)
	syncDir(t, mnt)
	f, err := os.OpenFile(a, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte(" and volatile")); err != nil {
		t.Fatal(err)
	}
	f.Close()
	wantFile(t, a, []byte("durable and volatile"))
	if rep := cut(t, l, nil); rep.Reverted != 1 {
		t.Errorf("cut reverted %d files, want 1", rep.Reverted)
	}
	wantFile(t, a, []byte("durable"))

	// Overwrites are undone too, and fdatasync counts as a sync.
	write(t, a, []byte("second"), false)
	cut(t, l, nil)
	wantFile(t, a, []byte("durable"))
	write(t, a, []byte("third"), true)
	cut(t, l, nil)
	wantFile(t, a, []byte("third"))
}

func TestNewNameNeedsDirSync(t *testing.T) {
	l, mnt := mount(t)
	a, b := filepath.Join(mnt, "a"), filepath.Join(mnt, "b")
	write(t, a, []byte("synced file, unsynced name"), true)
	cut(t, l, nil)
	wantFile(t, a, nil)

	write(t, b, []byte("unsynced file, synced name"), false)
	syncDir(t, mnt)
	cut(t, l, nil)
	wantFile(t, b, []byte{})
}

// TestRenameNeedsDirSync follows the blob store's protocol: a temporary
// file written and synced, renamed into place, and the target directory
// synced — or, in the first case, not.
func TestRenameNeedsDirSync(t *testing.T) {
	l, mnt := mount(t)
	tmp, blobs := filepath.Join(mnt, "tmp"), filepath.Join(mnt, "blobs")
	for _, d := range []string{tmp, blobs} {
		if err := os.Mkdir(d, 0o750); err != nil {
			t.Fatal(err)
		}
	}
	syncDir(t, mnt)
	body := bytes.Repeat([]byte("blob "), 100_000)

	write(t, filepath.Join(tmp, "x"), body, true)
	if err := os.Rename(filepath.Join(tmp, "x"), filepath.Join(blobs, "x")); err != nil {
		t.Fatal(err)
	}
	rep := cut(t, l, nil)
	wantFile(t, filepath.Join(blobs, "x"), nil)
	wantFile(t, filepath.Join(tmp, "x"), nil)
	if rep.Removed != 1 {
		t.Errorf("cut removed %d names, want 1", rep.Removed)
	}

	write(t, filepath.Join(tmp, "y"), body, true)
	syncDir(t, tmp)
	if err := os.Rename(filepath.Join(tmp, "y"), filepath.Join(blobs, "y")); err != nil {
		t.Fatal(err)
	}
	syncDir(t, blobs)
	cut(t, l, nil)
	wantFile(t, filepath.Join(blobs, "y"), body)
	// tmp was synced while it held y, and not since: y is there too.
	wantFile(t, filepath.Join(tmp, "y"), body)
}

func TestUnlinkNeedsDirSync(t *testing.T) {
	l, mnt := mount(t)
	a := filepath.Join(mnt, "a")
	write(t, a, []byte("kept"), true)
	syncDir(t, mnt)
	if err := os.Remove(a); err != nil {
		t.Fatal(err)
	}
	if rep := cut(t, l, nil); rep.Restored != 1 {
		t.Errorf("cut restored %d files, want 1", rep.Restored)
	}
	wantFile(t, a, []byte("kept"))

	if err := os.Remove(a); err != nil {
		t.Fatal(err)
	}
	syncDir(t, mnt)
	cut(t, l, nil)
	wantFile(t, a, nil)
}

func TestTruncateIsUndone(t *testing.T) {
	l, mnt := mount(t)
	a := filepath.Join(mnt, "a")
	body := bytes.Repeat([]byte("0123456789"), 1000)
	write(t, a, body, true)
	syncDir(t, mnt)
	if err := os.Truncate(a, 100); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(a, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("tail"))
	f.Close()
	cut(t, l, nil)
	wantFile(t, a, body)
}

func TestDirNeedsParentSync(t *testing.T) {
	l, mnt := mount(t)
	d := filepath.Join(mnt, "d")
	if err := os.Mkdir(d, 0o750); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(d, "f"), []byte("f"), true)
	syncDir(t, d)
	if rep := cut(t, l, nil); rep.RemovedDirs != 1 {
		t.Errorf("cut removed %d directories, want 1", rep.RemovedDirs)
	}
	if _, err := os.Stat(d); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stat d after the cut: %v, want it gone", err)
	}

	if err := os.Mkdir(d, 0o750); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(d, "f"), []byte("f"), true)
	syncDir(t, d)
	syncDir(t, mnt)
	cut(t, l, nil)
	wantFile(t, filepath.Join(d, "f"), []byte("f"))
}

// TestTornWrite checks that a cut with a random source keeps a prefix of
// the last unsynced write ending at a 512-byte boundary, and only that.
func TestTornWrite(t *testing.T) {
	l, mnt := mount(t)
	a := filepath.Join(mnt, "a")
	head := bytes.Repeat([]byte("h"), 4096)
	write(t, a, head, true)
	syncDir(t, mnt)
	// One write of 32 KiB at a page boundary reaches lazyfs as one write.
	body := make([]byte, 32<<10)
	for i := range body {
		body[i] = byte(i%251) + 1
	}
	r := rand.New(rand.NewPCG(1, 2))
	sizes := map[int]bool{}
	for range 20 {
		f, err := os.OpenFile(a, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt(body, int64(len(head))); err != nil {
			t.Fatal(err)
		}
		f.Close()
		rep := cut(t, l, r)
		got, err := os.ReadFile(a)
		if err != nil {
			t.Fatal(err)
		}
		n := len(got) - len(head)
		sizes[n] = true
		switch {
		case int64(n) != rep.Torn:
			t.Errorf("file holds %d bytes of the write, the report says %d were kept", n, rep.Torn)
		case n%512 != 0 || n >= len(body):
			t.Errorf("torn write kept %d of its %d bytes, not a 512-byte boundary inside it", n, len(body))
		case !bytes.Equal(got[:len(head)], head) || !bytes.Equal(got[len(head):], body[:n]):
			t.Errorf("torn file's bytes are not the durable head and a prefix of the write")
		}
		// The torn state is durable now: start each round from head.
		if err := os.Truncate(a, int64(len(head))); err != nil {
			t.Fatal(err)
		}
		write(t, a, head, true)
	}
	if len(sizes) < 5 {
		t.Errorf("20 torn writes left only %d different sizes: %v", len(sizes), sizes)
	}
}

func TestRefusesUnmodelledOperations(t *testing.T) {
	_, mnt := mount(t)
	a := filepath.Join(mnt, "a")
	write(t, a, []byte("a"), true)
	if err := os.Link(a, filepath.Join(mnt, "b")); err == nil {
		t.Error("hard link succeeded")
	}
	if err := os.Symlink("a", filepath.Join(mnt, "c")); err == nil {
		t.Error("symlink succeeded")
	}
	if err := os.Mkdir(filepath.Join(mnt, "d"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(mnt, "d"), filepath.Join(mnt, "e")); err == nil {
		t.Error("directory rename succeeded")
	}
}

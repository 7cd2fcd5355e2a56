package dirfiles

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestList(t *testing.T) {
	root := t.TempDir()
	write := func(rel, data string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b.txt", "bb")
	write("a/z.bin", "z")
	write("a/café.txt", "café")
	write("empty", "")
	if err := os.Symlink("b.txt", filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	files, skipped, err := List(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []File{
		{filepath.Join(root, "a/café.txt"), "a/café.txt", 5, `a/caf\u00e9.txt`},
		{filepath.Join(root, "a/z.bin"), "a/z.bin", 1, "a/z.bin"},
		{filepath.Join(root, "b.txt"), "b.txt", 2, "b.txt"},
	}
	if d := cmp.Diff(want, files); d != "" {
		t.Errorf("files (-want +got):\n%s", d)
	}
	if len(skipped) != 2 || !strings.HasPrefix(skipped[0].Reason, "empty") || !strings.HasPrefix(skipped[1].Reason, "symbolic link") {
		t.Errorf("skipped: %+v", skipped)
	}
}

func TestDescribeKeepsTheEndOfLongPaths(t *testing.T) {
	long := strings.Repeat("d/", 600) + "file.txt"
	got := Describe(long)
	if len(got) != 1024 || !strings.HasSuffix(got, "/file.txt") {
		t.Errorf("Describe(long) = %d chars ending %q", len(got), got[len(got)-20:])
	}
}

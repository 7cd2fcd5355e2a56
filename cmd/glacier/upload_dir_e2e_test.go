package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUploadDirectoryParallelCataloguedAndDuplicates(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	cat := filepath.Join(dir, "catalog.db")
	root := filepath.Join(dir, "photos")
	files := map[string][]byte{
		"a.txt":            []byte("alpha"),
		"2026/b.bin":       bytes.Repeat([]byte{7}, 3*MiB), // multipart at a 1 MiB part size
		"2026/june/c.jpg":  []byte("gamma"),
		"2026/june/d.jpeg": []byte("delta"),
	}
	for rel, data := range files {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "empty"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	upDir := func(extra ...string) ([]dirResult, result) {
		t.Helper()
		r := s.ok(append([]string{"upload", "v", root, "--parallel", "3", "--multipart-threshold", "2MiB", "--part-size", "1MiB", "--catalog", cat, "--output", "json"}, extra...)...)
		var res []dirResult
		if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
			t.Fatalf("upload output %q: %v", r.stdout, err)
		}
		return res, r
	}
	res, r := upDir()
	if len(res) != 4 || !strings.Contains(r.stderr, "empty: empty") {
		t.Fatalf("directory upload: %+v\n%s", res, r.stderr)
	}
	for _, f := range res {
		if f.ArchiveId == "" || f.Error != "" || f.Skipped || f.ArchiveDescription != f.File || f.SHA256TreeHash != treeHex(files[f.File]) {
			t.Errorf("file result %+v", f)
		}
	}
	if n := s.requests("UploadArchive"); n != 3 {
		t.Errorf("%d UploadArchive requests, want 3 (b.bin goes multipart)", n)
	}
	if list := s.catalogList("v", "--catalog", cat); len(list) != 4 {
		t.Fatalf("catalogued %d archives, want 4", len(list))
	}
	// Each archive can be found again by its path.
	out := filepath.Join(dir, "b.out")
	s.ok("retrieve", "v", "2026/b.bin", "-o", out, "--tier", "Expedited", "--catalog", cat)
	if got, err := os.ReadFile(out); err != nil || !bytes.Equal(got, files["2026/b.bin"]) {
		t.Fatalf("retrieved b.bin: %d bytes, %v", len(got), err)
	}

	// Again with --skip-existing: nothing is sent, each file is reported as there.
	res, r = upDir("--skip-existing")
	for _, f := range res {
		if !f.Skipped || f.ArchiveId == "" {
			t.Errorf("second run, file %+v: want skipped", f)
		}
	}
	if n := s.requests("UploadArchive"); n != 3 || strings.Count(r.stderr, "the same contents are already in vault v") != 4 {
		t.Errorf("%d UploadArchive requests after --skip-existing\n%s", n, r.stderr)
	}
	t.Logf("warning: %s", strings.SplitN(r.stderr, "\n", 3)[1])

	// A single file with the same bytes under another name: a warning, then the upload.
	copyPath := filepath.Join(dir, "copy-of-a.txt")
	if err := os.WriteFile(copyPath, files["a.txt"], 0o644); err != nil {
		t.Fatal(err)
	}
	r = s.ok("upload", "v", copyPath, "--catalog", cat)
	if !strings.Contains(r.stderr, `copy-of-a.txt: the same contents are already in vault v as archive`) || !strings.Contains(r.stderr, `("a.txt"`) {
		t.Errorf("no duplicate warning:\n%s", r.stderr)
	}
	if n := s.requests("UploadArchive"); n != 4 {
		t.Errorf("%d UploadArchive requests, want the copy uploaded", n)
	}
}

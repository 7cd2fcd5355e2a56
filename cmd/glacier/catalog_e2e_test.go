package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/cmd/glacier/internal/catalog"
)

// catalogList runs "catalog list" with --output json.
func (s *server) catalogList(args ...string) []catalog.Entry {
	s.t.Helper()
	r := s.ok(append([]string{"catalog", "list", "--output", "json"}, args...)...)
	var list []catalog.Entry
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		s.t.Fatalf("catalog list output %q: %v", r.stdout, err)
	}
	return list
}

func TestCatalogFindsUploadsByFileAndDescription(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	dir := t.TempDir()
	cat := filepath.Join(dir, "state", "catalog.db")
	s.ok("vault", "create", "v")
	photo := filepath.Join(dir, "photo.jpg")
	data := bytes.Repeat([]byte("jpeg"), 300_000)
	if err := os.WriteFile(photo, data, 0o644); err != nil {
		t.Fatal(err)
	}
	res := s.uploadJSON("v", photo, "--catalog", cat)
	s.uploadJSON("v", photo, "-d", "holiday 2026", "--catalog", cat) // the same bytes again, another description

	list := s.catalogList("v", "--catalog", cat)
	if len(list) != 2 || list[1].ArchiveId != res.ArchiveID || list[1].File != photo || list[1].Size != int64(len(data)) ||
		list[1].SHA256TreeHash != treeHex(data) || list[1].ArchiveDescription != "photo.jpg" || list[1].AccountId != testAccount {
		t.Fatalf("catalog list: %+v", list)
	}
	t.Logf("catalogued: %+v", list[1])

	// retrieve and archive delete take a base name, a path or a description.
	out := filepath.Join(dir, "restored")
	r := s.ok("retrieve", "v", "photo.jpg", "-o", out, "--tier", "Expedited", "--catalog", cat)
	if got, err := os.ReadFile(out); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("restored %d bytes, %v\n%s", len(got), err, r.stderr)
	}
	if !strings.Contains(r.stderr, "photo.jpg: archive ") {
		t.Errorf("retrieve did not say which archive it chose:\n%s", r.stderr)
	}
	s.ok("archive", "delete", "v", "holiday 2026", "--catalog", cat)
	list = s.catalogList("v", "--catalog", cat)
	if len(list) != 1 || list[0].ArchiveId != res.ArchiveID {
		t.Fatalf("after deleting the described archive: %+v", list)
	}
	if all := s.catalogList("v", "--deleted", "--catalog", cat); len(all) != 2 || all[0].DeletionDate == nil {
		t.Fatalf("catalog list --deleted: %+v", all)
	}
	s.ok("archive", "delete", "v", photo, "--catalog", cat)
	d, err := s.sdk().DescribeVault(context.Background(), &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	if err != nil || d.NumberOfArchives != 0 {
		t.Fatalf("the vault holds %d archives after both deletes (%v)", d.NumberOfArchives, err)
	}

	// An unknown name is a clear error, not a request with a bad ID.
	r = s.run("retrieve", "v", "nosuch.jpg", "-o", out+"2", "--catalog", cat)
	if r.code != exitError || !strings.Contains(r.stderr, `"nosuch.jpg" is not an archive ID, nor a file or description in the catalog of vault v`) {
		t.Fatalf("unknown name: exit %d\n%s", r.code, r.stderr)
	}
}

// Archives of another endpoint (AWS vs a local glacierd) do not mix, even in
// a vault of the same name.
func TestCatalogIsPerEndpoint(t *testing.T) {
	t.Parallel()
	s1, s2 := startServer(t), startServer(t)
	dir := t.TempDir()
	e := s1.testEnv()
	e.getenv = func(k string) string {
		if k == "GLACIER_CATALOG" {
			return filepath.Join(dir, "catalog.db")
		}
		return ""
	}
	file, _ := randomFile(t, dir, 1000)
	for _, s := range []*server{s1, s2} {
		s.ok("vault", "create", "v")
	}
	if r := s1.runEnv(context.Background(), e, "upload", "v", file); r.code != 0 {
		t.Fatalf("upload: %s", r.stderr)
	}
	r := s2.runEnv(context.Background(), e, "catalog", "list", "v", "--output", "json")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("the other endpoint's catalog: %s %s", r.stdout, r.stderr)
	}
	r = s2.runEnv(context.Background(), e, "archive", "delete", "v", filepath.Base(file))
	if r.code != exitError || !strings.Contains(r.stderr, "not an archive ID") {
		t.Fatalf("delete by name on the other endpoint: exit %d %s", r.code, r.stderr)
	}
	r = s1.runEnv(context.Background(), e, "catalog", "list", "v")
	if r.code != 0 || !strings.Contains(r.stdout, filepath.Base(file)) {
		t.Fatalf("catalog list on the first endpoint: %s %s", r.stdout, r.stderr)
	}
	t.Logf("catalog list:\n%s", r.stdout)
}

// Uploads running at once (as separate glacier processes would) all land in
// the catalog.
func TestCatalogConcurrentUploads(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	dir := t.TempDir()
	cat := filepath.Join(dir, "catalog.db")
	s.ok("vault", "create", "v")
	var wg sync.WaitGroup
	codes := make([]int, 6)
	for i := range codes {
		file, _ := randomFile(t, dir, 1000+i)
		wg.Go(func() { codes[i] = s.run("upload", "v", file, "--catalog", cat).code })
	}
	wg.Wait()
	for i, c := range codes {
		if c != 0 {
			t.Fatalf("upload %d: exit %d", i, c)
		}
	}
	if list := s.catalogList("v", "--catalog", cat); len(list) != len(codes) {
		t.Fatalf("%d catalogued, want %d", len(list), len(codes))
	}
}

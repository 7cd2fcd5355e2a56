package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/plan"
)

// TestTransferDryRun uploads archives whose descriptions are in several
// tools' formats, takes the vault's inventory with `glacier inventory`, and
// checks the plan `glacier transfer --dry-run` makes from it, and that the
// dry run sends nothing to the vault.
func TestTransferDryRun(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	descs := map[string]string{
		"<m><v>4</v><p>0KTQvtGC0L4vYS5qcGc=</p><lm>20190309T140000Z</lm></m>":                        "pre/Фото/a.jpg",
		"mt2 eyJmaWxlbmFtZSI6ImRvY3MvXHUwMGU5dFx1MDBlOS50eHQiLCJtdGltZSI6IjIwMTkwMzA5VDE0MDAwMFoifQ": "pre/docs/été.txt",
		`{"Path":"C:\\backup\\c01+AF8-s00.vmdk","UTCDateModified":"20150112T093012Z","Flags":0}`:     "pre/C/backup/c01_s00.vmdk",
		"../../etc/passwd": "pre/etc/passwd",
	}
	ids := map[string]string{}
	var total int64
	i := 0
	for d, key := range descs {
		file, _ := randomFile(t, dir, 1000+i)
		total += int64(1000 + i)
		ids[s.uploadJSON("v", file, "-d", d).ArchiveID] = key
		i++
	}
	for _, format := range []string{"json", "csv"} {
		inv := filepath.Join(dir, "inventory."+format)
		if err := os.WriteFile(inv, []byte(s.ok("inventory", "v", "--format", format).stdout), 0o600); err != nil {
			t.Fatal(err)
		}
		jobs := s.requests("InitiateJob")
		r := s.ok("--output", "json", "transfer", "v", "s3://bucket/pre/", "--dry-run", "--inventory-file", inv,
			"--tier", "Standard", "--bytes-per-day", "2KiB")
		var p plan.Plan
		if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
			t.Fatalf("%s: plan JSON: %v\n%s", format, err, r.stdout)
		}
		if p.Archives != len(descs) || p.Bytes != total || p.Tier != plan.Standard || len(p.Estimates) != 3 {
			t.Errorf("%s: plan %+v", format, p)
		}
		for _, it := range p.Items {
			if it.Key != ids[it.ArchiveID] {
				t.Errorf("%s: archive %s: key %q, want %q", format, it.ArchiveID, it.Key, ids[it.ArchiveID])
			}
		}
		if len(p.Batches) != 2 || p.Batches[0].Count != 2 { // about 1 KB each, 2 KiB a day
			t.Errorf("%s: batches %+v", format, p.Batches)
		}
		if n := s.requests("InitiateJob"); n != jobs {
			t.Errorf("%s: the dry run started %d jobs", format, n-jobs)
		}
	}

	// Text output and an override file.
	var someID string
	for id, key := range ids {
		if key == "pre/etc/passwd" {
			someID = id
		}
	}
	names := filepath.Join(dir, "names.csv")
	if err := os.WriteFile(names, []byte("ArchiveId,Key\n"+someID+",renamed/x.bin\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := s.ok("transfer", "v", "s3://bucket", "--dry-run", "--inventory-file", filepath.Join(dir, "inventory.json"), "--names", names)
	for _, want := range []string{"Dry run", "4 archives", "Bulk *", "renamed/x.bin", "Фото/a.jpg",
		"Names: 1 cloudberry, 1 fastglacier, 1 mt-aws-glacier, 1 override."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text plan lacks %q:\n%s", want, r.stdout)
		}
	}

	for _, args := range [][]string{
		{"transfer", "v", "bucket", "--dry-run", "--inventory-file", "f"},
		{"transfer", "v", "s3://bucket", "--concurrency", "0"},
		{"transfer", "v", "s3://bucket", "--dry-run"},
		{"transfer", "v", "s3://bucket", "--dry-run", "--inventory-file", "f", "--tier", "Glacial"},
	} {
		if r := s.run(args...); r.code != exitUsage {
			t.Errorf("glacier %s: exit %d, want %d; stderr %q", strings.Join(args, " "), r.code, exitUsage, r.stderr)
		}
	}
	if !slices.Contains(strings.Fields(s.ok("transfer", "--help").stdout), "--dry-run") {
		t.Error("transfer --help does not mention --dry-run")
	}
}

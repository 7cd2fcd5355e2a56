package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/glacierd/glacierd/cmd/glacier/internal/inventory"
	glacierd "github.com/glacierd/glacierd/internal/app"
)

func TestInventoryFormats(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	descs := []string{"plain", "photos, 2023", `the "best", backup`, `back\slash`}
	ids := map[string]string{}
	for i, d := range descs {
		file, _ := randomFile(t, dir, 1000+i)
		ids[d] = s.uploadJSON("v", file, "-d", d).ArchiveID
	}

	// JSON: Glacier's document shape.
	r := s.ok("inventory", "v", "--format", "json")
	var inv inventory.Inventory
	if err := json.Unmarshal([]byte(r.stdout), &inv); err != nil || len(inv.ArchiveList) != len(descs) {
		t.Fatalf("inventory json: %v\n%s", err, r.stdout)
	}
	// (The fake clock gives every archive the same creation date, so the
	// inventory orders them by ID; key everything by description.)
	sizes := map[string]int64{}
	for _, a := range inv.ArchiveList {
		sizes[a.ArchiveDescription] = a.Size
		if a.ArchiveId != ids[a.ArchiveDescription] || len(a.SHA256TreeHash) != 64 {
			t.Errorf("archive %+v", a)
		}
	}
	for i, d := range descs {
		if sizes[d] != int64(1000+i) {
			t.Errorf("description %q: size %d, want %d", d, sizes[d], 1000+i)
		}
	}
	firstJob := r.stderr[strings.Index(r.stderr, "job ")+4:]
	firstJob = firstJob[:strings.IndexByte(firstJob, ' ')]
	if !strings.HasSuffix(inv.VaultARN, ":vaults/v") || inv.InventoryDate == "" {
		t.Errorf("inventory header: %q %q", inv.VaultARN, inv.InventoryDate)
	}
	if !strings.Contains(r.stderr, "started inventory job") {
		t.Errorf("no job notice: %q", r.stderr)
	}

	// CSV: RFC 4180, readable by any CSV reader.
	r = s.ok("inventory", "v", "--format", "csv")
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(recs) != len(descs)+1 {
		t.Fatalf("inventory csv: %v\n%s", err, r.stdout)
	}
	if strings.Join(recs[0], ",") != "ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash" {
		t.Errorf("csv header %q", recs[0])
	}
	for i, rec := range recs[1:] {
		if rec[0] != ids[rec[1]] || rec[3] != fmt.Sprint(sizes[rec[1]]) {
			t.Errorf("csv row %d: %q", i, rec)
		}
	}

	// Table: one row per archive and a summary.
	r = s.ok("inventory", "v")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != len(descs)+2 || !strings.HasPrefix(lines[0], "CREATED") || !strings.HasPrefix(lines[len(lines)-1], "4 archive(s)") {
		t.Fatalf("inventory table:\n%s", r.stdout)
	}
	for _, d := range descs {
		found := false
		for _, l := range lines[1 : len(lines)-1] {
			found = found || strings.Contains(l, "  "+d+"  ") && strings.HasSuffix(l, ids[d])
		}
		if !found {
			t.Errorf("no table row for %q:\n%s", d, r.stdout)
		}
	}

	// Pages: --limit 3 takes two jobs; the result is the same.
	r = s.ok("inventory", "v", "--limit", "3", "--output", "json")
	var paged inventory.Inventory
	if json.Unmarshal([]byte(r.stdout), &paged) != nil || len(paged.ArchiveList) != 4 || paged.ArchiveList[3] != inv.ArchiveList[3] {
		t.Errorf("paged inventory: %s", r.stdout)
	}
	if n := strings.Count(r.stderr, "started inventory job"); n != 2 {
		t.Errorf("%d inventory jobs for 4 archives at 3 per page, want 2:\n%s", n, r.stderr)
	}

	// --job reuses an existing job.
	before := s.requests("InitiateJob")
	r = s.ok("inventory", "v", "--job", firstJob, "--format", "csv")
	if s.requests("InitiateJob") != before || !strings.Contains(r.stdout, `"the ""best"", backup"`) {
		t.Errorf("--job started a job or lost archives:\n%s", r.stdout)
	}
}

func TestRetrieveWaitsAndJobCommands(t *testing.T) {
	t.Parallel()
	// A real clock at 300× speed: Expedited jobs take 0.2-1 s.
	s := startServer(t, func(m *glacierd.Main) { m.Clock, m.Config.TimeScale = nil, 300 })
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	file, data := randomFile(t, dir, 2*MiB+3)
	archive := s.uploadJSON("v", file).ArchiveID

	out := filepath.Join(dir, "out")
	r := s.ok("retrieve", "v", archive, "-o", out, "--tier", "Expedited", "--poll", "10ms")
	if got, _ := os.ReadFile(out); !bytes.Equal(got, data) {
		t.Fatal("retrieved data differs")
	}
	if !strings.Contains(r.stderr, ": InProgress") || !strings.Contains(r.stderr, ": Succeeded") {
		t.Errorf("status lines:\n%s", r.stderr)
	}
	if strings.Count(r.stderr, "InProgress") > 1 {
		t.Errorf("without a terminal the status is printed once while waiting:\n%s", r.stderr)
	}

	// A range retrieval, started without waiting and downloaded later.
	job := strings.TrimSpace(s.ok("retrieve", "v", archive, "--no-wait", "--tier", "Expedited", "--range", "1048576-2097154").stdout)
	r = s.ok("jobs", "describe", "v", job)
	if !strings.Contains(r.stdout, "Range:") || !strings.Contains(r.stdout, "1048576-2097154") {
		t.Errorf("jobs describe:\n%s", r.stdout)
	}
	part := filepath.Join(dir, "part")
	s.ok("download", "v", job, "-o", part, "--poll", "10ms")
	if got, _ := os.ReadFile(part); !bytes.Equal(got, data[MiB:]) {
		t.Error("range download differs")
	}

	// jobs list and its filters.
	var all, done []jobJSON
	json.Unmarshal([]byte(s.ok("jobs", "list", "v", "--output", "json").stdout), &all)
	json.Unmarshal([]byte(s.ok("jobs", "list", "v", "--status", "Succeeded", "--completed", "--output", "json").stdout), &done)
	if len(all) != 2 || len(done) != 2 || all[1].JobId != job {
		t.Errorf("jobs list: %+v; succeeded: %d", all, len(done))
	}
	if r := s.ok("jobs", "list", "v", "--no-completed"); strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("jobs list --no-completed:\n%s", r.stdout)
	}
	if r := s.ok("jobs", "list", "v"); !strings.Contains(r.stdout, "ArchiveRetrieval") || !strings.Contains(r.stdout, job) {
		t.Errorf("jobs list:\n%s", r.stdout)
	}

	// --wait-timeout gives up while the job keeps running.
	slow := strings.TrimSpace(s.ok("retrieve", "v", archive, "--no-wait", "--tier", "Bulk").stdout)
	r = s.run("download", "v", slow, "-o", filepath.Join(dir, "slow"), "--poll", "10ms", "--wait-timeout", "50ms")
	if r.code != exitError || !strings.Contains(r.stderr, "still InProgress") {
		t.Errorf("wait timeout: exit %d %q", r.code, r.stderr)
	}
	// Downloading an existing file needs --force, before any job starts.
	before := s.requests("InitiateJob")
	if r := s.run("retrieve", "v", archive, "-o", out); r.code != exitError || !strings.Contains(r.stderr, "--force") || s.requests("InitiateJob") != before {
		t.Errorf("retrieve over an existing file: exit %d %q", r.code, r.stderr)
	}
}

func TestProgressOnTerminal(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	file, _ := randomFile(t, dir, 5*MiB)
	e := s.testEnv()
	e.tty = true
	r := s.runEnv(context.Background(), e, "upload", "v", file, "--part-size", "1MiB")
	if r.code != 0 || !strings.Contains(r.stderr, "upload") || !strings.Contains(r.stderr, "5.0 MiB") || !strings.Contains(r.stderr, "100%") {
		t.Errorf("upload progress on a terminal: exit %d\n%q", r.code, r.stderr)
	}
	r = s.runEnv(context.Background(), e, "--quiet", "upload", "v", file)
	if r.code != 0 || r.stderr != "" {
		t.Errorf("--quiet: exit %d, stderr %q", r.code, r.stderr)
	}
	// Without a terminal there is no bar.
	if r := s.ok("upload", "v", file); strings.Contains(r.stderr, "%") {
		t.Errorf("progress without a terminal: %q", r.stderr)
	}
}

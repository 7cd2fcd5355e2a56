package main

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	glacierd "github.com/glacierd/glacierd/internal/app"
	"github.com/glacierd/glacierd/internal/testkit"

	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/journal"
)

// cancelAfterPart cancels a context once an S3 part upload has succeeded.
type cancelAfterPart struct {
	base   http.RoundTripper
	cancel context.CancelFunc
}

func (c *cancelAfterPart) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(req)
	if err == nil && req.Method == http.MethodPut && req.URL.Query().Get("uploadId") != "" && resp.StatusCode == http.StatusOK {
		c.cancel()
	}
	return resp, err
}

// TestTransferRenewsExpiringJobs stops a transfer after its first S3 part,
// moves the clock (server and client) 23 hours on, so that every retrieval
// job's 24-hour window ends within the renewal margin, and checks that the
// rerun requests again exactly the archives not yet copied, and copies them.
func TestTransferRenewsExpiringJobs(t *testing.T) {
	t.Parallel()
	s3 := testS3(t)
	clock := testkit.NewFakeClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	s := startServer(t, func(m *glacierd.Main) { m.Clock = clock })
	archives := fillVault(t, s)
	journalPath := filepath.Join(t.TempDir(), "v.transfer.db")
	args := []string{"--output", "json", "transfer", "v", "s3://" + s3.bucket + "/r", "--s3-endpoint", s3.endpoint,
		"--s3-access-key", s3.key, "--s3-secret-key", s3.secret, "--journal", journalPath, "--part-size", "8MiB",
		"--concurrency", "1", "--tier", "Expedited"}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := s.testEnv()
	e.now = clock.Now
	e.s3Transport = &cancelAfterPart{base: http.DefaultTransport.(*http.Transport).Clone(), cancel: cancel}
	if r := s.runEnv(ctx, e, args...); r.code != exitInterrupted {
		t.Fatalf("first run: exit %d, want %d\n%s", r.code, exitInterrupted, r.stderr)
	}
	j, err := journal.Open(t.Context(), journalPath, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := j.Counts(t.Context())
	j.Close()
	if err != nil {
		t.Fatal(err)
	}
	left := len(archives) - counts[journal.Verified]
	if counts[journal.Pending] != 0 || left == 0 {
		t.Fatalf("after the first run: %v; want every archive requested and some not copied", counts)
	}

	clock.Advance(23 * time.Hour)
	e.s3Transport = nil
	r := s.runEnv(context.Background(), e, args...)
	var rep transferReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != exitOK {
		t.Fatalf("second run: exit %d, %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	if rep.JobsRenewed != left || rep.JobsRequested != 0 || rep.States[journal.Verified] != len(archives) {
		t.Errorf("second run: %+v; want %d jobs renewed, none requested, all %d verified", rep, left, len(archives))
	}
	checkObjects(t, s3, archives, journalPath)
}

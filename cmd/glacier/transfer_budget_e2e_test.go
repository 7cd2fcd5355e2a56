package main

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	glacierd "github.com/glacierd/glacierd/internal/app"
	"github.com/glacierd/glacierd/internal/testkit"
)

// TestTransferKeepsToTheDailyBudget moves a vault of about 48 MB with
// --bytes-per-day 20MiB. Each wait of the transfer moves the fake clock
// (server and client) on instead of sleeping. The server's own record of
// every retrieval job (DescribeJob: creation date and size) must show no
// 24 hours with more than the budget requested, and everything is copied.
func TestTransferKeepsToTheDailyBudget(t *testing.T) {
	t.Parallel()
	s3 := testS3(t)
	clock := testkit.NewFakeClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	s := startServer(t, func(m *glacierd.Main) { m.Clock = clock })
	archives := fillVault(t, s)
	var total int64
	for _, a := range archives {
		total += int64(len(a.data))
	}
	const budget = 20 << 20

	type job struct {
		created time.Time
		size    int64
	}
	var mu sync.Mutex
	var jobs []job
	e := withTransport(s.testEnv(), func(req *http.Request, resp *http.Response, err error) (*http.Response, error) {
		if err != nil || req.Method != http.MethodPost || resp.StatusCode != http.StatusAccepted || resp.Header.Get("x-amz-job-id") == "" {
			return resp, err
		}
		d, derr := s.sdk().DescribeJob(context.Background(), &glacier.DescribeJobInput{AccountId: aws.String("-"),
			VaultName: aws.String("v"), JobId: aws.String(resp.Header.Get("x-amz-job-id"))})
		if derr != nil {
			t.Errorf("describe job: %v", derr)
			return resp, err
		}
		if d.ArchiveId != nil {
			created, _ := time.Parse(time.RFC3339Nano, aws.ToString(d.CreationDate))
			mu.Lock()
			jobs = append(jobs, job{created, aws.ToInt64(d.ArchiveSizeInBytes)})
			mu.Unlock()
		}
		return resp, err
	})
	e.now = clock.Now
	e.after = func(d time.Duration) <-chan time.Time {
		clock.Advance(d)
		ch := make(chan time.Time, 1)
		ch <- clock.Now()
		return ch
	}
	start := clock.Now()
	journalPath := filepath.Join(t.TempDir(), "j.db")
	r := s.runEnv(context.Background(), e, "transfer", "v", "s3://"+s3.bucket, "--s3-endpoint", s3.endpoint,
		"--s3-access-key", s3.key, "--s3-secret-key", s3.secret, "--journal", journalPath,
		"--part-size", "8MiB", "--bytes-per-day", "20MiB", "--max-poll", "6h", "--tier", "Bulk")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"verified     20\n", "total        20\n", "This run: 20 copied", "20 requested, 0 reused, 0 renewed"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the report lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "the retrieval budget is spent for now") {
		t.Errorf("no note of the spent budget:\n%s", r.stderr)
	}

	if len(jobs) != len(archives) {
		t.Fatalf("%d archive-retrieval jobs, want %d", len(jobs), len(archives))
	}
	for _, a := range jobs {
		var in24h int64
		for _, b := range jobs {
			if !b.created.After(a.created) && b.created.After(a.created.Add(-24*time.Hour)) {
				in24h += b.size
			}
		}
		if in24h > budget {
			t.Errorf("%d bytes requested in the 24 hours up to %v, budget %d", in24h, a.created, budget)
		}
	}
	if days := clock.Now().Sub(start) / (24 * time.Hour); int64(days) < total/budget {
		t.Errorf("%d bytes at %d a day took %d days", total, budget, days)
	}
	checkObjects(t, s3, archives, journalPath)
}

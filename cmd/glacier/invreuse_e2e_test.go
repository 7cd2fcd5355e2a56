package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/cmd/glacier/internal/inventory"
	glacierd "github.com/glacierd/glacierd/internal/app"
	"github.com/glacierd/glacierd/internal/testkit"
)

func TestInventoryReusesRecentJob(t *testing.T) {
	t.Parallel()
	clock := testkit.NewFakeClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	s := startServer(t, func(m *glacierd.Main) { m.Clock, m.Config.TimeScale = clock, 1 }) // jobs take as long as on AWS
	e := s.testEnv()
	e.now = clock.Now
	run := func(args ...string) result {
		t.Helper()
		r := s.runEnv(context.Background(), e, args...)
		if r.code != 0 {
			t.Fatalf("glacier %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
		return r
	}
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	for _, n := range []int{100, 200} {
		file, _ := randomFile(t, dir, n)
		s.ok("upload", "v", file)
	}
	ctx := context.Background()
	job, err := s.sdk().InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"),
		JobParameters: &types.JobParameters{Type: aws.String("inventory-retrieval")}})
	if err != nil {
		t.Fatal(err)
	}

	// While that job runs, inventory waits for it rather than starting
	// another. (Its first status line comes before --wait-timeout ends.)
	r := s.runEnv(ctx, e, "inventory", "v", "--wait-timeout", "2s", "--poll", "1h")
	if r.code == 0 || !strings.Contains(r.stderr, "waiting for inventory job "+short(*job.JobId)+", started 0s ago") {
		t.Fatalf("inventory while a job runs: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "InProgress (inventory: expected about 4 h)") {
		t.Errorf("the status line does not give the expected wait:\n%s", r.stderr)
	}
	clock.Advance(5 * time.Hour) // inventories take 2–4 h
	clock.Advance(90 * time.Minute)
	r = run("inventory", "v", "--output", "json")
	if !strings.Contains(r.stderr, "using inventory job "+short(*job.JobId)+", completed ") || strings.Contains(r.stderr, "started inventory job") {
		t.Fatalf("second inventory did not reuse the job:\n%s", r.stderr)
	}
	t.Logf("stderr: %s", strings.TrimSpace(r.stderr))
	var inv inventory.Inventory
	if err := json.Unmarshal([]byte(r.stdout), &inv); err != nil || len(inv.ArchiveList) != 2 {
		t.Fatalf("inventory: %v %s", err, r.stdout)
	}
	if n := s.requests("InitiateJob"); n != 1 {
		t.Errorf("%d InitiateJob requests, want 1 (the test's own)", n)
	}

	// --new starts a job (and waits for it: give it no time, just check it was started).
	r0 := s.runEnv(ctx, e, "inventory", "v", "--new", "--wait-timeout", "1ms", "--poll", "1ms")
	if !strings.Contains(r0.stderr, "started inventory job") || s.requests("InitiateJob") != 2 {
		t.Fatalf("inventory --new: exit %d, %d InitiateJob requests\n%s", r0.code, s.requests("InitiateJob"), r0.stderr)
	}
	// A completed job still wins over the new running one.
	r = run("inventory", "v", "--format", "csv")
	if !strings.Contains(r.stderr, "using inventory job "+short(*job.JobId)) || strings.Count(r.stdout, "\n") != 3 {
		t.Fatalf("inventory after --new:\n%s\n%s", r.stdout, r.stderr)
	}
	// Jobs are reused while Glacier keeps them: 24 h after they complete.
	newJob := strings.Fields(r0.stderr[strings.Index(r0.stderr, "started inventory job"):])[3]
	clock.Advance(25 * time.Hour)
	r = run("inventory", "v")
	if !strings.Contains(r.stderr, "using inventory job "+short(newJob)+", completed ") {
		t.Fatalf("a day later, want the --new job %s reused:\n%s", newJob, r.stderr)
	}
	clock.Advance(30 * time.Hour)
	r = s.runEnv(ctx, e, "inventory", "v", "--wait-timeout", "1ms", "--poll", "1ms")
	if strings.Contains(r.stderr, "using inventory job") || !strings.Contains(r.stderr, "started inventory job") {
		t.Fatalf("with every job expired, want a new one:\n%s", r.stderr)
	}
}

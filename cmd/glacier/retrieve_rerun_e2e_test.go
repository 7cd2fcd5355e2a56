package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	glacierd "github.com/glacierd/glacierd/internal/app"
	"github.com/glacierd/glacierd/internal/testkit"
)

// TestRetrieveRerunReusesWaitingJob: a retrieve stopped while it waits for
// its job (--wait-timeout, --no-wait, Ctrl-C) and run again continues with
// the same job instead of starting (and paying for) a second one.
func TestRetrieveRerunReusesWaitingJob(t *testing.T) {
	t.Parallel()
	clock := testkit.NewFakeClock(time.Now().UTC().Truncate(time.Millisecond))
	s := startServer(t, func(m *glacierd.Main) { m.Config.TimeScale = 1; m.Clock = clock }) // jobs wait for the clock
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	file, data := randomFile(t, dir, 3*MiB)
	archive := s.uploadJSON("v", file).ArchiveID

	stops := map[string]func(out string) result{
		"wait-timeout": func(out string) result {
			return s.run("retrieve", "v", archive, "-o", out, "--wait-timeout", "1ms")
		},
		"no-wait": func(out string) result {
			return s.run("retrieve", "v", archive, "-o", out, "--no-wait")
		},
		"interrupt": func(out string) result {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			e := withTransport(s.testEnv(), func(req *http.Request, resp *http.Response, err error) (*http.Response, error) {
				if req.Method == http.MethodGet && strings.Contains(req.URL.Path, "/jobs/") {
					cancel() // Ctrl-C while waiting for the job
				}
				return resp, err
			})
			return s.runEnv(ctx, e, "retrieve", "v", archive, "-o", out)
		},
	}
	for name, stop := range stops {
		out := filepath.Join(dir, name)
		before := s.requests("InitiateJob")
		if r := stop(out); r.code == 0 && name != "no-wait" {
			t.Fatalf("%s: the first run succeeded:\n%s", name, r.stderr)
		}
		if n := s.requests("InitiateJob"); n != before+1 {
			t.Fatalf("%s: the first run started %d jobs", name, n-before)
		}
		r := s.run("retrieve", "v", archive, "-o", out, "--wait-timeout", "1ms")
		if n := s.requests("InitiateJob"); n != before+1 || !strings.Contains(r.stderr, "continuing with retrieval job") {
			t.Errorf("%s: the rerun started another job (%d in all):\n%s", name, n-before, r.stderr)
		}
	}

	clock.Advance(6 * time.Hour) // every Standard job has completed
	for name := range stops {
		out := filepath.Join(dir, name)
		before := s.requests("InitiateJob")
		r := s.run("retrieve", "v", archive, "-o", out, "--wait-timeout", "5s") // a new job would not complete
		if got, _ := os.ReadFile(out); r.code != 0 || !bytes.Equal(got, data) || s.requests("InitiateJob") != before {
			t.Errorf("%s: final run: exit %d, %d new jobs\n%s", name, r.code, s.requests("InitiateJob")-before, r.stderr)
		}
		if _, err := os.Stat(out + ".glacier-download.json"); err == nil {
			t.Errorf("%s: the state file outlived the download", name)
		}
	}
}

// TestRetrieveAtTimeScale3600 follows the README's example, a glacierd at
// --time-scale 3600: jobs are kept only 24 s after they complete, and the
// default --poll 30s must still see them done in time.
func TestRetrieveAtTimeScale3600(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(m *glacierd.Main) {
		m.Config.TimeScale, m.Config.Tick, m.Clock = 3600, 10*time.Millisecond, nil // the wall clock
	})
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	file, data := randomFile(t, dir, 1*MiB)
	archive := s.uploadJSON("v", file).ArchiveID
	out := filepath.Join(dir, "out")
	start := time.Now()
	r := s.run("retrieve", "v", archive, "-o", out, "--tier", "Expedited")
	if got, _ := os.ReadFile(out); r.code != 0 || !bytes.Equal(got, data) {
		t.Fatalf("retrieve: exit %d\n%s", r.code, r.stderr)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("a job of under a second took %s to be noticed", took)
	}
}

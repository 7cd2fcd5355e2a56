//go:build unix

package journal

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReopenAfterKill runs a child process that writes to the journal and
// kills itself with SIGKILL without closing it; the parent reopens the
// journal and finds every committed transition.
func TestReopenAfterKill(t *testing.T) {
	if path := os.Getenv("JOURNAL_KILL_CHILD"); path != "" {
		killChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "j.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestReopenAfterKill$")
	cmd.Env = append(os.Environ(), "JOURNAL_KILL_CHILD="+path)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child: %v\n%s", err, out)
	}
	ctx := context.Background()
	j := open(t, path)
	r := mustState(t, j, "b", Uploading)
	if r.JobID != "job-b" || !r.ExpiresAt.Equal(t0.Add(24*time.Hour)) || r.UploadID != "up-b" ||
		len(r.Ranges) != 2 || len(r.Parts) != 2 || r.Parts[1].ETag != "e2" {
		t.Errorf("after reopen: %+v", r)
	}
	mustState(t, j, "a", Verified)
	mustState(t, j, "c", Pending)
	// The resumed run carries on from where the killed one stopped.
	if err := j.PartDone(ctx, "b", "up-b", Part{3, "e3", 1}); err != nil {
		t.Fatal(err)
	}
	if err := j.Verified(ctx, "b"); err != nil {
		t.Fatal(err)
	}
}

func killChild(path string) {
	ctx := context.Background()
	j, err := Open(ctx, path, fixedNow)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	exp := t0.Add(24 * time.Hour)
	steps := []error{
		j.AddArchives(ctx, []Archive{archive("a", t0), archive("b", t0.Add(time.Second)), archive("c", t0.Add(2*time.Second))}),
		j.Requested(ctx, "a", "job-a", t0, exp), j.Downloading(ctx, "a", "job-a"), j.Uploading(ctx, "a", "up-a"), j.Verified(ctx, "a"),
		j.Requested(ctx, "b", "job-b", t0, exp), j.Downloading(ctx, "b", "job-b"), j.RangeDone(ctx, "b", 0),
		j.Uploading(ctx, "b", "up-b"), j.PartDone(ctx, "b", "up-b", Part{1, "e1", 1}), j.RangeDone(ctx, "b", 1),
		j.PartDone(ctx, "b", "up-b", Part{2, "e2", 1}),
	}
	for _, err := range steps {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {} // the signal ends the process
}

package e2e

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/lazyfs"
)

// Test flags: the power-cut test runs powercutCuts cuts (30 in CI; more by
// hand, e.g. -powercut.cuts=1000).
var powercutCuts = flag.Int("powercut.cuts", 30, "power cuts in TestPowerCut")

// lazyMount mounts a lazyfs for a test and returns it with the data
// directory glacierd should use inside it. The mount's root is taken as
// durable, as the directory a real --data lives in would be. The test is
// skipped, saying why, where FUSE cannot be mounted, and in the suite's
// PostgreSQL + S3 pass.
func lazyMount(t *testing.T) (*lazyfs.FS, string) {
	t.Helper()
	if b := os.Getenv(backendEnv); b != "" && b != "embedded" {
		t.Skipf("the power-cut tests check the embedded stores, which the suite's embedded pass ran (%s=%s)", backendEnv, b)
	}
	if err := lazyfs.Available(); err != nil {
		t.Skipf("power-cut test needs a FUSE mount: %v", err)
	}
	mnt, backing, shadow := t.TempDir(), t.TempDir(), t.TempDir()
	l, err := lazyfs.Mount(mnt, backing, shadow)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Unmount(); err != nil {
			t.Errorf("unmount lazyfs: %v", err)
		}
	})
	return l, filepath.Join(mnt, "data")
}

// powerCuts returns an afterKill for crashRun that cuts the power, tearing
// the last unsynced write half of the time, and counts what was lost.
func powerCuts(l *lazyfs.FS, r *rand.Rand, total *lazyfs.CutReport) func(testing.TB, int) {
	return func(t testing.TB, round int) {
		t.Helper()
		var tear *rand.Rand
		if r.IntN(2) == 0 {
			tear = rand.New(rand.NewPCG(r.Uint64(), r.Uint64()))
		}
		rep, err := l.Cut(tear)
		if err != nil {
			t.Fatalf("power cut %d: %v", round+1, err)
		}
		total.Reverted += rep.Reverted
		total.Removed += rep.Removed
		total.Restored += rep.Restored
		total.RemovedDirs += rep.RemovedDirs
		total.Torn += rep.Torn
	}
}

// TestPowerCut is TestCrashRecovery with the power cut after every kill:
// glacierd's data directory is on a lazyfs, which after each SIGKILL drops
// everything not made durable — data not fsynced, names in directories not
// fsynced — and may tear the last unsynced write. Every acknowledged
// archive must survive intact, nothing torn or half-done may be visible,
// and the blob audit must balance. After the final clean stop the power is
// cut once more and everything verified again: a clean stop leaves
// everything durable.
func TestPowerCut(t *testing.T) {
	if testing.Short() {
		t.Skip("power-cut test: builds glacierd and cuts its power repeatedly")
	}
	l, data := lazyMount(t)
	seed := uint64(time.Now().UnixNano())
	r := rand.New(rand.NewPCG(seed, 2))
	var cuts lazyfs.CutReport
	c := &crashRun{bin: buildGlacierd(t), data: data, logs: t.TempDir(), rounds: *powercutCuts, r: r,
		maxLoad: 2500 * time.Millisecond, m: newCrashModel(), afterKill: powerCuts(l, r, &cuts)}
	t.Logf("seed %d; server logs in %s", seed, c.logs)
	c.run(t)
	c.verifyAfterCut(t)
	st := l.Stats()
	t.Logf("%d power cuts: %d files reverted, %d names removed, %d restored, %d directories removed, %d torn bytes kept; %d writes, %d file syncs, %d directory syncs seen",
		st.Cuts, cuts.Reverted, cuts.Removed, cuts.Restored, cuts.RemovedDirs, cuts.Torn, st.Writes, st.FileSyncs, st.DirSyncs)
}

// verifyAfterCut restarts glacierd after the run's final stop (and cut),
// verifies every archive, and kills it.
func (c *crashRun) verifyAfterCut(t testing.TB) {
	t.Helper()
	s := startCrashServer(t, c.bin, c.data, filepath.Join(c.logs, "after-final-cut.log"))
	c.m.verify(context.Background(), t, s, c.data, c.r, -1)
	s.kill()
}

// TestPowerCutCatchesMissingSyncs shows that the power-cut test sees a
// missing fsync: glacierd built with a tag that leaves one out must make
// the verifier report lost data within a few cuts.
func TestPowerCutCatchesMissingSyncs(t *testing.T) {
	if testing.Short() {
		t.Skip("power-cut test: builds glacierd and cuts its power repeatedly")
	}
	for _, tc := range []struct {
		tag, what string
		loss      []string // what the verifier says when it sees the loss
	}{
		{"glacierd_bug_nodirsync", "the blob store does not sync the directory a blob is renamed into",
			[]string{"missing on disk", "retrieve archive", "missing from the inventory"}},
		// Until the first checkpoint nothing is synced: a cut takes the schema too.
		{"glacierd_bug_syncnormal", "SQLite runs with synchronous=NORMAL, so commits are not fsynced",
			[]string{"no such table", "missing from the inventory", "no longer listed", "is not listed"}},
	} {
		t.Run(tc.tag, func(t *testing.T) {
			l, data := lazyMount(t)
			seed := uint64(time.Now().UnixNano())
			r := rand.New(rand.NewPCG(seed, 3))
			var cuts lazyfs.CutReport
			c := &crashRun{bin: buildGlacierd(t, "-tags", tc.tag), data: data, logs: t.TempDir(),
				rounds: 8, r: r, m: newCrashModel(), afterKill: powerCuts(l, r, &cuts)}
			t.Logf("%s: %s; seed %d; server logs in %s", tc.tag, tc.what, seed, c.logs)
			rec := &failureRecorder{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				c.run(rec)
			}()
			<-done
			failures := rec.failures()
			lost := 0
			for _, f := range failures {
				if slices.ContainsFunc(tc.loss, func(l string) bool { return strings.Contains(f, l) }) {
					lost++
				}
			}
			t.Logf("after %d power cuts the verifier reported %d failures, %d of them lost data:\n%.600s",
				l.Stats().Cuts, len(failures), lost, strings.Join(failures, "\n"))
			if lost == 0 {
				t.Errorf("%s, and %d power cuts went unnoticed", tc.what, l.Stats().Cuts)
			}
		})
	}
}

// failureRecorder is a testing.TB that records the failures reported to it
// instead of failing the test. Its Fatal and FailNow end the calling
// goroutine, so the code under it must run on a goroutine of its own.
type failureRecorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *failureRecorder) Errorf(format string, args ...any) { r.record(format, args...) }
func (r *failureRecorder) Error(args ...any)                 { r.record("%s", fmt.Sprint(args...)) }
func (r *failureRecorder) Fatalf(format string, args ...any) {
	r.record(format, args...)
	runtime.Goexit()
}
func (r *failureRecorder) Fatal(args ...any) {
	r.record("%s", fmt.Sprint(args...))
	runtime.Goexit()
}
func (r *failureRecorder) FailNow() { runtime.Goexit() }
func (r *failureRecorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.errs) > 0
}

func (r *failureRecorder) record(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, strings.TrimSpace(fmt.Sprintf(format, args...)))
}

func (r *failureRecorder) failures() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

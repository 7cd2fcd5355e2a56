package journal

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return t0 }

func open(t *testing.T, path string) *Journal {
	t.Helper()
	j, err := Open(context.Background(), path, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func archive(id string, created time.Time) Archive {
	return Archive{ID: id, Size: 3 << 20, TreeHash: "ab" + id, Created: created, Description: "d " + id, Key: "k/" + id}
}

func mustState(t *testing.T, j *Journal, id string, want State) Record {
	t.Helper()
	r, err := j.Archive(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != want {
		t.Fatalf("%s is %s, want %s", id, r.State, want)
	}
	return r
}

func TestEveryTransition(t *testing.T) {
	ctx := context.Background()
	j := open(t, filepath.Join(t.TempDir(), "j.db"))
	if err := j.AddArchives(ctx, []Archive{archive("a", t0)}); err != nil {
		t.Fatal(err)
	}
	mustState(t, j, "a", Pending)
	steps := []struct {
		name string
		do   func() error
		want State
	}{
		{"request", func() error { return j.Requested(ctx, "a", "job1", t0, t0.Add(24*time.Hour)) }, Requested},
		{"renew", func() error { return j.Renewed(ctx, "a", "job1", "job2", t0.Add(time.Hour), t0.Add(25*time.Hour)) }, Requested},
		{"download", func() error { return j.Downloading(ctx, "a", "job2") }, Downloading},
		{"range 0", func() error { return j.RangeDone(ctx, "a", 0) }, Downloading},
		{"upload", func() error { return j.Uploading(ctx, "a", "up1") }, Uploading},
		{"range 1", func() error { return j.RangeDone(ctx, "a", 1) }, Uploading},
		{"part 1", func() error { return j.PartDone(ctx, "a", "up1", Part{1, "e1", 1 << 20}) }, Uploading},
		{"part 1 again, same etag", func() error { return j.PartDone(ctx, "a", "up1", Part{1, "e1", 1 << 20}) }, Uploading},
		{"part 2", func() error { return j.PartDone(ctx, "a", "up1", Part{2, "e2", 2 << 20}) }, Uploading},
		{"verify", func() error { return j.Verified(ctx, "a") }, Verified},
		{"delete", func() error { return j.Deleted(ctx, "a") }, Deleted},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		mustState(t, j, "a", s.want)
	}
	r := mustState(t, j, "a", Deleted)
	want := Record{
		Archive: archive("a", t0), State: Deleted, JobID: "job2",
		RequestedAt: t0.Add(time.Hour), ExpiresAt: t0.Add(25 * time.Hour), UploadID: "up1",
		Ranges: []int{0, 1}, RangeHashes: []string{"", ""}, Parts: []Part{{1, "e1", 1 << 20}, {2, "e2", 2 << 20}}, UpdatedAt: t0,
	}
	if d := cmp.Diff(want, r); d != "" {
		t.Errorf("record (-want +got):\n%s", d)
	}
}

func TestIllegalTransitions(t *testing.T) {
	ctx := context.Background()
	j := open(t, filepath.Join(t.TempDir(), "j.db"))
	if err := j.AddArchives(ctx, []Archive{archive("p", t0), archive("u", t0)}); err != nil {
		t.Fatal(err)
	}
	exp := t0.Add(24 * time.Hour)
	for _, err := range []error{
		j.Requested(ctx, "u", "job", t0, exp),
		j.Downloading(ctx, "u", "job"),
		j.Uploading(ctx, "u", "up"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	illegal := map[string]func() error{
		"pending → downloading":  func() error { return j.Downloading(ctx, "p", "job") },
		"pending → uploading":    func() error { return j.Uploading(ctx, "p", "up") },
		"pending → verified":     func() error { return j.Verified(ctx, "p") },
		"pending → deleted":      func() error { return j.Deleted(ctx, "p") },
		"pending range":          func() error { return j.RangeDone(ctx, "p", 0) },
		"pending renew":          func() error { return j.Renewed(ctx, "p", "", "job", t0, exp) },
		"request twice":          func() error { return j.Requested(ctx, "u", "job9", t0, exp) },
		"renew another job":      func() error { return j.Renewed(ctx, "u", "jobX", "job9", t0, exp) },
		"expiry before request":  func() error { return j.Requested(ctx, "p", "job", t0, t0) },
		"part of another upload": func() error { return j.PartDone(ctx, "u", "up2", Part{1, "e", 1}) },
		"part number 0":          func() error { return j.PartDone(ctx, "u", "up", Part{0, "e", 1}) },
		"uploading → deleted":    func() error { return j.Deleted(ctx, "u") },
		"change key while uploading": func() error {
			return j.AddArchives(ctx, []Archive{{ID: "u", Size: 3 << 20, TreeHash: "abu", Key: "other"}})
		},
		"inventory changed tree hash": func() error { return j.AddArchives(ctx, []Archive{{ID: "p", Size: 3 << 20, TreeHash: "zz"}}) },
	}
	for name, do := range illegal {
		if err := do(); !errors.Is(err, ErrIllegal) {
			t.Errorf("%s: err = %v, want ErrIllegal", name, err)
		}
	}
	if err := j.PartDone(ctx, "u", "up", Part{1, "e1", 5}); err != nil {
		t.Fatal(err)
	}
	if err := j.PartDone(ctx, "u", "up", Part{1, "e2", 5}); !errors.Is(err, ErrIllegal) {
		t.Errorf("a part uploaded twice with another ETag: err = %v, want ErrIllegal", err)
	}
	if err := j.Requested(ctx, "nope", "job", t0, exp); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown archive: err = %v, want ErrNotFound", err)
	}
	// A refused transition changed nothing.
	mustState(t, j, "p", Pending)
	if r := mustState(t, j, "u", Uploading); r.JobID != "job" || len(r.Parts) != 1 || r.Parts[0].ETag != "e1" {
		t.Errorf("record changed by refused transitions: %+v", r)
	}
	// A pending archive may be renamed.
	if err := j.AddArchives(ctx, []Archive{{ID: "p", Size: 3 << 20, TreeHash: "abp", Created: t0, Key: "renamed"}}); err != nil {
		t.Fatal(err)
	}
	if r := mustState(t, j, "p", Pending); r.Key != "renamed" {
		t.Errorf("key = %q", r.Key)
	}
}

func TestRunRecord(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "j.db")
	j := open(t, path)
	if _, ok, err := j.Run(ctx); ok || err != nil {
		t.Fatalf("Run on a new journal: ok=%v err=%v", ok, err)
	}
	r := Run{Vault: "photos", Target: "s3://b/p", Tier: "Bulk", BytesPerDay: 1 << 40, StartedAt: t0}
	if err := j.SetRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := j.SetRun(ctx, Run{Vault: "photos", Target: "s3://b/p", Tier: "Standard", StartedAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := j.SetRun(ctx, Run{Vault: "other", Target: "s3://b/p"}); !errors.Is(err, ErrIllegal) {
		t.Errorf("another vault: err = %v, want ErrIllegal", err)
	}
	got, ok, err := j.Run(ctx)
	want := Run{Vault: "photos", Target: "s3://b/p", Tier: "Standard", StartedAt: t0}
	if err != nil || !ok || got != want {
		t.Errorf("Run = %+v, %v, %v; want %+v", got, ok, err, want)
	}
}

// TestConcurrentWriters moves many archives through their states from
// several goroutines at once, and races renewals of one archive: exactly
// one renewal of a given job may win.
func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	j := open(t, filepath.Join(t.TempDir(), "j.db"))
	const workers, each = 8, 10
	var as []Archive
	for i := range workers * each {
		as = append(as, archive(fmt.Sprintf("a%03d", i), t0.Add(time.Duration(i)*time.Second)))
	}
	if err := j.AddArchives(ctx, as); err != nil {
		t.Fatal(err)
	}
	exp := t0.Add(24 * time.Hour)
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				id := as[w*each+i].ID
				for _, err := range []error{
					j.Requested(ctx, id, "job-"+id, t0, exp),
					j.Downloading(ctx, id, "job-"+id),
					j.Uploading(ctx, id, "up-"+id),
					j.PartDone(ctx, id, "up-"+id, Part{1, "e", 1}),
					j.Verified(ctx, id),
				} {
					if err != nil {
						errs <- err
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	counts, err := j.Counts(ctx)
	if err != nil || counts[Verified] != workers*each || len(counts) != 1 {
		t.Fatalf("counts = %v, %v", counts, err)
	}

	if err := j.AddArchives(ctx, []Archive{archive("race", t0)}); err != nil {
		t.Fatal(err)
	}
	if err := j.Requested(ctx, "race", "old", t0, exp); err != nil {
		t.Fatal(err)
	}
	var wins atomic.Int32
	for g := range workers {
		wg.Go(func() {
			err := j.Renewed(ctx, "race", "old", fmt.Sprintf("new%d", g), t0, exp)
			switch {
			case err == nil:
				wins.Add(1)
			case !errors.Is(err, ErrIllegal):
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("%d renewals of the same job won, want 1", wins.Load())
	}
}

func TestExpiring(t *testing.T) {
	ctx := context.Background()
	j := open(t, filepath.Join(t.TempDir(), "j.db"))
	var as []Archive
	for i, id := range []string{"pending", "soon", "later", "verified", "downloading"} {
		as = append(as, archive(id, t0.Add(time.Duration(i)*time.Minute)))
	}
	if err := j.AddArchives(ctx, as); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		j.Requested(ctx, "soon", "j1", t0, t0.Add(time.Hour)),
		j.Requested(ctx, "later", "j2", t0, t0.Add(24*time.Hour)),
		j.Requested(ctx, "verified", "j3", t0, t0.Add(time.Hour)),
		j.Downloading(ctx, "verified", "j3"), j.Uploading(ctx, "verified", "u"), j.Verified(ctx, "verified"),
		j.Requested(ctx, "downloading", "j4", t0, t0.Add(2*time.Hour)),
		j.Downloading(ctx, "downloading", "j4"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := j.Expiring(ctx, t0.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range got {
		ids = append(ids, r.ID)
	}
	if d := cmp.Diff([]string{"soon", "downloading"}, ids); d != "" {
		t.Errorf("expiring (-want +got):\n%s", d)
	}
}

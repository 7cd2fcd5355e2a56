package e2e

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/internal/treehash"
)

const (
	crashVault   = "crash"
	crashRounds  = 30
	crashWorkers = 4
	// crashAllowLeaks tolerates blob files that neither the metadata nor the
	// garbage list mentions; the test logs such leaks, and fails on them
	// while this is false.
	crashAllowLeaks = false
)

// TestCrashRecovery runs glacierd as a child process on one data directory,
// loads it with concurrent uploads, multipart uploads and deletes, kills it
// with SIGKILL at a random moment, restarts it and checks that everything
// acknowledged survived intact, that nothing torn is visible, and that what
// was in flight at the kill either happened completely or not at all.
//
// SIGKILL ends the process but not the kernel: written data that was never
// fsynced survives in the page cache, so this test checks the ordering and
// atomicity of glacierd's steps, not its fsyncs; TestPowerCut checks those.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: builds glacierd and kills it repeatedly")
	}
	seed := uint64(time.Now().UnixNano())
	c := &crashRun{bin: buildGlacierd(t), data: filepath.Join(t.TempDir(), "data"), logs: t.TempDir(),
		rounds: crashRounds, r: rand.New(rand.NewPCG(seed, 1)), m: newCrashModel()}
	t.Logf("seed %d; server logs in %s", seed, c.logs)
	c.run(t)
}

// crashRun is one run of the crash test: rounds of load ended by a kill,
// each followed by a restart that verifies what survived, then a final
// complete verification and a clean stop.
type crashRun struct {
	bin, data, logs string
	rounds          int
	maxLoad         time.Duration // each round's load lasts 50ms to this; 0 means 1.5s
	r               *rand.Rand
	m               *crashModel
	// afterKill, if set, runs after each kill and after the final clean
	// stop, while glacierd is not running, before the blob audit.
	afterKill func(t testing.TB, round int)
}

// run runs the rounds and the final verification, reporting to t.
func (c *crashRun) run(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	m := c.m
	for round := range c.rounds {
		s := startCrashServer(t, c.bin, c.data, filepath.Join(c.logs, fmt.Sprintf("round-%02d.log", round)))
		if round == 0 {
			if _, err := s.client().CreateVault(ctx, &glacier.CreateVaultInput{AccountId: aws.String("-"), VaultName: aws.String(crashVault)}); err != nil {
				s.kill()
				t.Fatalf("create vault: %v", err)
			}
		} else {
			m.verify(ctx, t, s, c.data, c.r, 6)
		}
		if t.Failed() {
			s.kill()
			t.FailNow()
		}
		maxLoad := cmp.Or(c.maxLoad, 1500*time.Millisecond)
		m.load(t, s, c.r, 50*time.Millisecond+time.Duration(c.r.Int64N(int64(maxLoad-50*time.Millisecond))))
		m.stats.rounds++
		if c.afterKill != nil {
			c.afterKill(t, round)
		}
		m.audit(t, c.data, fmt.Sprintf("after kill %d", round+1))
		if t.Failed() {
			t.FailNow()
		}
	}

	s := startCrashServer(t, c.bin, c.data, filepath.Join(c.logs, "final.log"))
	m.verify(ctx, t, s, c.data, c.r, -1)
	awaitRounds(t, []string{s.url}, "upkeep", 2, 30*time.Second) // upkeep collects what is due
	s.stop(t)
	if c.afterKill != nil {
		c.afterKill(t, c.rounds)
	}
	audit := m.audit(t, c.data, "after the final clean stop")
	if len(tmpEntries(t, c.data)) > 0 {
		t.Errorf("tmp not empty after a clean stop: %v", tmpEntries(t, c.data))
	}
	st := m.stats
	t.Logf("%d rounds, %d kills with an upload in flight (%d with any request in flight); %d upload requests cut short",
		st.rounds, st.midUpload, st.midAny, st.cutUploads)
	t.Logf("acknowledged: %d single uploads, %d completed multipart uploads, %d parts, %d aborts, %d deletes; %d archives live at the end",
		st.ackedSingles, st.ackedCompletes, st.ackedParts, st.ackedAborts, st.ackedDelete, len(m.live))
	t.Logf("cut short by a kill: %d uploads stored anyway, %d not stored, %d deletes settled, %d parts stored anyway",
		st.unackedStored, st.unackedLost, st.resolvedDeletes, st.partsObserved)
	t.Logf("verified %d retrievals (%d MiB); blobs at the end: %d files, %d referenced, %d awaiting collection, %d leaked",
		st.retrieved, st.retrievedBytes>>20, audit.files, audit.live, audit.pending, len(audit.leaked))
}

// load runs the workers against s and kills s after delay.
func (m *crashModel) load(t testing.TB, s *crashServer, r *rand.Rand, delay time.Duration) {
	t.Helper()
	var killed atomic.Bool
	var uploading, requests atomic.Int32
	var wg sync.WaitGroup
	for range crashWorkers {
		w := &crashWorker{t: t, m: m, gl: s.client(), r: rand.New(rand.NewPCG(r.Uint64(), r.Uint64())),
			killed: &killed, uploading: &uploading, requests: &requests}
		wg.Go(w.run)
	}
	time.Sleep(delay)
	killed.Store(true)
	up, busy := uploading.Load() > 0, requests.Load() > 0
	s.kill()
	wg.Wait()
	if up {
		m.stats.midUpload++
	}
	if busy {
		m.stats.midAny++
	}
}

// crashWorker is one client of the load.
type crashWorker struct {
	t         testing.TB
	m         *crashModel
	gl        *glacier.Client
	r         *rand.Rand
	killed    *atomic.Bool
	uploading *atomic.Int32 // upload requests in flight
	requests  *atomic.Int32 // requests in flight
}

func (w *crashWorker) run() {
	for !w.killed.Load() {
		switch op := w.r.IntN(100); {
		case op < 45:
			w.single()
		case op < 75:
			w.multipart()
		case op < 93:
			w.deleteOne()
		default:
			w.inventory()
		}
	}
}

// call runs one request and classifies its outcome: ok (acknowledged),
// unknown (cut short by the kill), or neither (a failure, reported).
func (w *crashWorker) call(what string, upload bool, fn func(context.Context) error) (ok, unknown bool) {
	if w.killed.Load() {
		return false, false
	}
	w.requests.Add(1)
	if upload {
		w.uploading.Add(1)
	}
	err := fn(context.Background())
	if upload {
		w.uploading.Add(-1)
	}
	w.requests.Add(-1)
	switch {
	case err == nil:
		return true, false
	case w.killed.Load() && !isResponse(err):
		if upload {
			w.m.update(func() { w.m.stats.cutUploads++ })
		}
		return false, true
	}
	w.t.Errorf("%s: %v", what, err)
	return false, false
}

// size picks an archive size from 1 byte to 8 MiB, spread over magnitudes.
func (w *crashWorker) size() int64 {
	switch w.r.IntN(3) {
	case 0:
		return 1 + w.r.Int64N(4096)
	case 1:
		return 4096 + w.r.Int64N(1<<20)
	}
	return 1<<20 + w.r.Int64N(7<<20+1)
}

func (w *crashWorker) single() {
	seed, n := w.r.Uint64(), w.size()
	body := crashBytes(seed, n)
	a := crashArchive{desc: w.m.desc("s"), size: n, hash: hexHash(treehash.Sum(body))}
	w.m.beginSingle(a)
	var id string
	ok, unknown := w.call("upload "+a.desc, true, func(ctx context.Context) error {
		out, err := w.gl.UploadArchive(ctx, &glacier.UploadArchiveInput{AccountId: aws.String("-"), VaultName: aws.String(crashVault),
			ArchiveDescription: aws.String(a.desc), Checksum: aws.String(a.hash), Body: bytes.NewReader(body)})
		if err != nil {
			return err
		}
		if aws.ToString(out.Checksum) != a.hash {
			return fmt.Errorf("acknowledged with tree hash %s, sent %s", aws.ToString(out.Checksum), a.hash)
		}
		id = aws.ToString(out.ArchiveId)
		return nil
	})
	w.m.endSingle(a, id, ok, unknown)
}

func (w *crashWorker) deleteOne() {
	id, ok := w.m.pickDelete(w.r, 20)
	if !ok {
		return
	}
	ok, unknown := w.call("delete", false, func(ctx context.Context) error {
		_, err := w.gl.DeleteArchive(ctx, &glacier.DeleteArchiveInput{AccountId: aws.String("-"), VaultName: aws.String(crashVault), ArchiveId: aws.String(id)})
		return err
	})
	w.m.endDelete(id, ok, unknown)
}

// inventory runs an inventory job, so that kills also land in inventory
// generation.
func (w *crashWorker) inventory() {
	w.call("inventory", false, func(ctx context.Context) error {
		_, err := crashInventory(ctx, w.gl, crashVault)
		return err
	})
}

// multipart continues an open upload or starts one, sends some of its
// missing parts (sometimes again), then completes, aborts or leaves it open.
func (w *crashWorker) multipart() {
	m := w.m
	mp := m.pickOpen()
	if mp == nil || w.r.IntN(2) == 0 {
		if mp != nil {
			m.update(func() { mp.busy = false })
		}
		n := 1 + w.r.Int64N(6)
		mp = newCrashMP(m.desc("m"), w.r.Uint64(), (n-1)*crashPartSize+1+w.r.Int64N(crashPartSize))
		m.addUpload(mp)
		var id string
		ok, _ := w.call("initiate "+mp.desc, false, func(ctx context.Context) error {
			out, err := w.gl.InitiateMultipartUpload(ctx, &glacier.InitiateMultipartUploadInput{AccountId: aws.String("-"),
				VaultName: aws.String(crashVault), ArchiveDescription: aws.String(mp.desc), PartSize: aws.String(fmt.Sprint(crashPartSize))})
			if err != nil {
				return err
			}
			id = aws.ToString(out.UploadId)
			return nil
		})
		if !ok { // state stays mpInitUnknown, or a failure was reported
			m.update(func() { mp.busy = false })
			return
		}
		m.update(func() { mp.id, mp.state = id, mpOpen })
	}
	defer m.update(func() { mp.busy = false })
	data := crashBytes(mp.seed, mp.size)
	for i := range mp.parts {
		// Send most missing parts, and now and then one again.
		if !(w.r.IntN(10) < 8 && !mp.acked[i] || w.r.IntN(10) == 0) {
			continue
		}
		start, end := mp.partRange(i)
		m.update(func() { mp.maybe[i] = true })
		ok, unknown := w.call(fmt.Sprintf("upload part %d of %s", i, mp.desc), true, func(ctx context.Context) error {
			_, err := w.gl.UploadMultipartPart(ctx, &glacier.UploadMultipartPartInput{AccountId: aws.String("-"), VaultName: aws.String(crashVault),
				UploadId: aws.String(mp.id), Range: aws.String(fmt.Sprintf("bytes %d-%d/*", start, end)), Checksum: aws.String(mp.parts[i]),
				Body: bytes.NewReader(data[start : end+1])})
			return err
		})
		m.update(func() {
			if ok {
				mp.acked[i] = true
				m.stats.ackedParts++
			}
			mp.maybe[i] = unknown
		})
		if !ok {
			return
		}
	}
	all := true
	for _, a := range mp.acked {
		all = all && a
	}
	switch op := w.r.IntN(100); {
	case all && op < 55:
		m.update(func() { mp.state = mpCompleteUnknown })
		var id string
		ok, unknown := w.call("complete "+mp.desc, false, func(ctx context.Context) error {
			out, err := w.gl.CompleteMultipartUpload(ctx, &glacier.CompleteMultipartUploadInput{AccountId: aws.String("-"), VaultName: aws.String(crashVault),
				UploadId: aws.String(mp.id), ArchiveSize: aws.String(fmt.Sprint(mp.size)), Checksum: aws.String(mp.hash)})
			if err != nil {
				return err
			}
			id = aws.ToString(out.ArchiveId)
			return nil
		})
		m.update(func() {
			switch {
			case ok:
				mp.state = mpCompleted
				m.live[id] = crashArchive{desc: mp.desc, size: mp.size, hash: mp.hash}
				m.stats.ackedCompletes++
			case !unknown:
				mp.state = mpOpen
			}
		})
	case op < 75:
		m.update(func() { mp.state = mpAbortUnknown })
		ok, unknown := w.call("abort "+mp.desc, false, func(ctx context.Context) error {
			_, err := w.gl.AbortMultipartUpload(ctx, &glacier.AbortMultipartUploadInput{AccountId: aws.String("-"), VaultName: aws.String(crashVault), UploadId: aws.String(mp.id)})
			return err
		})
		m.update(func() {
			switch {
			case ok:
				mp.state = mpAborted
				m.stats.ackedAborts++
			case !unknown:
				mp.state = mpOpen
			}
		})
	}
}

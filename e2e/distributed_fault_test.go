package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/internal/treehash"
)

// Load of the fault test.
const (
	faultWorkers     = 6 // goroutines uploading, spread over the instances
	faultDownloaders = 2 // goroutines downloading a job's output
	faultInstances   = 2
	faultBaseline    = time.Second     // load before a store fails
	faultOutage      = 4 * time.Second // how long the store stays down
	faultAfter       = 2 * time.Second // load after recovery
	faultVault       = "fault"         // the uploads' vault
	faultReadVault   = "fault-read"    // the downloaded archive's
)

// TestFaultStoreOutages runs two glacierd instances on a PostgreSQL cluster
// and a versitygw of its own, uploads from several goroutines, and takes
// each store away in turn — PostgreSQL stopped with -m immediate, versitygw
// killed with SIGKILL — for a few seconds. While a store is down every
// failed request must be an AWS-shaped 5xx ServiceUnavailableException and
// /healthz must answer 503 naming the store; once it is back requests must
// succeed again without restarting glacierd. At the end every acknowledged
// archive must read back byte for byte, and the inventory must list exactly
// them plus requests in flight at a failure that did commit (intact ones).
func TestFaultStoreOutages(t *testing.T) {
	requireStores(t)
	if testing.Short() {
		t.Skip("fault test: starts and stops PostgreSQL and versitygw")
	}
	pg, s3 := startOwnPostgres(t), startOwnS3(t)
	blobs, key, secret := s3.blobs(t)
	c := startCluster(t, faultInstances, distributedConfig(pg.url, blobs, key, secret))
	gl := c.clients()[0]
	createVault(t, gl, faultVault)
	createVault(t, gl, faultReadVault)
	want := randomBytes(300 << 10)
	up, err := gl.UploadArchive(ctx, &glacier.UploadArchiveInput{AccountId: aws.String("-"), VaultName: aws.String(faultReadVault), Body: bytes.NewReader(want)})
	if err != nil {
		t.Fatal(err)
	}
	job, err := gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String(faultReadVault),
		JobParameters: &types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: up.ArchiveId, Tier: aws.String("Expedited")}})
	if err != nil {
		t.Fatal(err)
	}
	c.clock.Advance(6 * time.Minute)

	l := startLoad(t, c, aws.ToString(job.JobId), want)
	var report []string
	for _, f := range []struct {
		name     string
		down, up func(*testing.T)
	}{
		{"postgres", pg.crash, pg.start},
		{"s3", s3.kill, s3.start},
	} {
		time.Sleep(faultBaseline)
		downAt := time.Now()
		f.down(t)
		time.Sleep(faultOutage / 2)
		// Requests that need no archive bytes work without S3, and none
		// works without PostgreSQL.
		_, err := c.clients()[0].DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String(faultVault)})
		if f.name == "s3" && err != nil {
			t.Errorf("DescribeVault without S3: %v", err)
		} else if f.name == "postgres" {
			wantAPIError(t, err, "ServiceUnavailableException")
		}
		time.Sleep(faultOutage - time.Since(downAt))
		upAt := time.Now()
		f.up(t)
		upDone := time.Now()
		recovered, ok := l.waitSuccess(upDone, 30*time.Second)
		if !ok {
			t.Fatalf("%s: no request succeeded within 30 s of the restart", f.name)
		}
		time.Sleep(faultAfter)
		report = append(report, l.checkOutage(t, f.name, downAt, upAt, upDone, recovered))
	}
	outcomes := l.finish()
	for _, r := range report {
		t.Log(r)
	}
	verifyFaultArchives(t, c, outcomes)
}

// checkOutage checks the requests and probes around one outage and
// returns a summary line.
func (l *load) checkOutage(t *testing.T, store string, downAt, upAt, upDone, recovered time.Time) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	codes := map[string]int{}
	total, failed, lateFailures := 0, 0, 0
	for _, o := range l.outcomes {
		if o.end.Before(downAt) || o.start.After(recovered.Add(faultAfter)) {
			continue
		}
		total++
		if o.code == "" {
			continue
		}
		failed++
		codes[fmt.Sprintf("%s %s/%d", o.op, o.code, o.status)]++
		if o.code != "ServiceUnavailableException" || o.status < 500 || o.status > 599 ||
			strings.Contains(o.msg, "goroutine") || strings.Contains(o.msg, "panic") || strings.Contains(strings.ToLower(o.msg), "<html") {
			t.Errorf("%s outage: %s %d failed with %s (HTTP %d): %s", store, o.op, o.n, o.code, o.status, o.msg)
		}
		if o.start.After(recovered) {
			lateFailures++
			t.Errorf("%s outage: %s %d, started after recovery, failed: %s %s", store, o.op, o.n, o.code, o.msg)
		}
	}
	// /healthz: 503 naming the store for every probe that began a second
	// into the outage and ended before the restart.
	downProbes, healthyAgain, slowest := 0, time.Time{}, time.Duration(0)
	for i, ps := range l.probes {
		for _, p := range ps {
			switch {
			case p.at.After(downAt.Add(time.Second)) && p.at.Add(p.took).Before(upAt):
				downProbes++
				slowest = max(slowest, p.took)
				if p.status != http.StatusServiceUnavailable || !strings.Contains(p.body, store) {
					t.Errorf("%s outage: /healthz of #%d at +%v (for %v) answered %d %q, want 503 naming %s", store, i, p.at.Sub(downAt), p.took, p.status, p.body, store)
				}
			case p.at.After(upDone) && p.status == http.StatusOK && (healthyAgain.IsZero() || p.at.Before(healthyAgain)):
				healthyAgain = p.at
			}
		}
	}
	if downProbes == 0 {
		t.Errorf("%s outage: no /healthz probe during the outage", store)
	}
	if healthyAgain.IsZero() {
		t.Errorf("%s outage: /healthz never answered 200 again", store)
	}
	return fmt.Sprintf("%s outage of %v: %d requests, %d failed %v; %d /healthz probes during it (slowest answer %v); restart took %v; "+
		"first success %v after the restart, /healthz 200 %v after it; %d failures after recovery",
		store, upAt.Sub(downAt).Round(time.Millisecond), total, failed, codes, downProbes, slowest.Round(time.Millisecond), upDone.Sub(upAt).Round(time.Millisecond),
		recovered.Sub(upDone).Round(time.Millisecond), healthyAgain.Sub(upDone).Round(time.Millisecond), lateFailures)
}

// verifyFaultArchives checks that every acknowledged upload reads back
// intact, and that the inventory lists exactly them plus intact uploads
// whose requests failed but committed.
func verifyFaultArchives(t *testing.T, c *cluster, outcomes []outcome) {
	gl := c.clients()[0]
	byReq := map[int]outcome{}
	acked := map[string]int{}
	for _, o := range outcomes {
		if o.op != "upload" {
			continue
		}
		byReq[o.n] = o
		if o.id != "" {
			acked[o.id] = o.n
		}
	}
	job, err := gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String(faultVault),
		JobParameters: &types.JobParameters{Type: aws.String("inventory-retrieval")}})
	if err != nil {
		t.Fatalf("inventory job: %v", err)
	}
	c.clock.Advance(4*time.Hour + time.Minute)
	var doc inventoryDoc
	if err := json.Unmarshal(readOutput(t, gl, faultVault, aws.ToString(job.JobId)), &doc); err != nil {
		t.Fatal(err)
	}
	listed := map[string]inventoryEntry{}
	extra := 0
	for _, e := range doc.ArchiveList {
		listed[e.ArchiveId] = e
		var n int
		if _, err := fmt.Sscanf(e.ArchiveDescription, "req-%d", &n); err != nil {
			t.Errorf("inventory lists %s with description %q", e.ArchiveId, e.ArchiveDescription)
			continue
		}
		want := faultPayload(n)
		if e.Size != int64(len(want)) || e.SHA256TreeHash != hexOf(treehash.Sum(want)) {
			t.Errorf("inventory entry %s (request %d): %d bytes, hash %s; the request sent %d bytes", e.ArchiveId, n, e.Size, e.SHA256TreeHash, len(want))
		}
		if o := byReq[n]; o.id == "" {
			extra++
			t.Logf("request %d failed (%s: %s) but its archive %s was stored; checking it is intact", n, o.code, o.msg, e.ArchiveId)
			acked[e.ArchiveId] = n
		} else if o.id != e.ArchiveId {
			t.Errorf("request %d was acknowledged as %s but the inventory lists it as %s", n, o.id, e.ArchiveId)
		}
	}
	for id, n := range acked {
		if _, ok := listed[id]; !ok {
			t.Errorf("acknowledged archive %s (request %d) is missing from the inventory", id, n)
		}
	}
	// Retrieve everything: jobs first, one clock step, then the outputs.
	jobs := map[string]string{}
	for id := range acked {
		out, err := gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String(faultVault),
			JobParameters: &types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String("Expedited")}})
		if err != nil {
			t.Fatalf("retrieval of %s: %v", id, err)
		}
		jobs[id] = aws.ToString(out.JobId)
	}
	c.clock.Advance(6 * time.Minute)
	var mu sync.Mutex
	bad := 0
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for id, job := range jobs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			got, err := jobOutput(gl, faultVault, job)
			want := faultPayload(acked[id])
			if err != nil || !bytes.Equal(got, want) {
				mu.Lock()
				bad++
				mu.Unlock()
				t.Errorf("archive %s (request %d) reads back as %d bytes (%v), want %d", id, acked[id], len(got), err, len(want))
			}
		})
	}
	wg.Wait()
	t.Logf("%d requests; %d archives acknowledged, %d more stored by failed requests, %d listed, %d retrieved, %d damaged",
		len(outcomes), len(acked)-extra, extra, len(doc.ArchiveList), len(jobs), bad)
}

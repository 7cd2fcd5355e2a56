package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"github.com/aws/smithy-go"

	"github.com/glacierd/glacierd/internal/notify/notifytest"
	"github.com/glacierd/glacierd/internal/treehash"
)

// raceRounds is how often each race is run.
const raceRounds = 12

// timeScale is the processes' --time-scale: Glacier's durations pass 7200
// times faster (an Expedited job takes at most 42 ms, a Bulk one at most
// 6 s; job outputs and in-progress vault locks last 12 s).
const timeScale = 7200

// jobsWithin bounds the wait for every job of a subtest to complete: the
// longest (Bulk, 12 h) takes 6 s at timeScale.
const jobsWithin = 45 * time.Second

// TestDistributedMultiInstance runs three glacierd processes (the built
// cmd/glacierd, each on its own port and with its own empty --data) on one
// PostgreSQL schema and one S3 prefix, and drives them with three clients:
// what one process does, the others see, and the work every process's
// background loops do (job completion, notification delivery, upkeep)
// happens exactly once.
func TestDistributedMultiInstance(t *testing.T) {
	requireStores(t)
	sns := notifytest.NewServer(t)
	blobs, key, secret := freshS3(t)
	c := startProcCluster(t, 3,
		"--meta", freshPostgres(t), "--blobs", blobs, "--s3-access-key", key, "--s3-secret-key", secret,
		"--region", testRegion, "--credentials", writeCredentials(t, raceRounds),
		"--time-scale", fmt.Sprint(timeScale), "--expedited-on-demand", "1000000",
		"--tick", "20ms", "--maintain-every", "500ms", "--shutdown-timeout", "10s",
		"--sns-endpoint", sns.URL(), "--sns-access-key", notifytest.AccessKey, "--sns-secret-key", notifytest.SecretKey,
		"--log-level", "info")
	gl := c.clients()

	dataDirsEmpty := func(t *testing.T) {
		for i, dir := range c.dirs {
			if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
				t.Errorf("glacierd #%d wrote to its --data %s (remote stores only): %v %v", i, dir, entries, err)
			}
		}
	}
	t.Run("NoEmbeddedStoreOrLock", dataDirsEmpty)
	t.Run("VaultSeenEverywhere", func(t *testing.T) { testVaultEverywhere(t, gl) })
	t.Run("UploadsSpread", func(t *testing.T) { testUploadsSpread(t, gl) })
	t.Run("MultipartAcrossInstances", func(t *testing.T) { testMultipartAcross(t, gl) })
	t.Run("JobsNotifiedOnce", func(t *testing.T) { testJobsNotifiedOnce(t, c.urls(), gl, sns) })
	t.Run("CapacityRace", func(t *testing.T) { testCapacityRace(t, c) })
	t.Run("VaultLockRace", func(t *testing.T) { testVaultLockRace(t, gl) })
	t.Run("DataDirsStillEmpty", dataDirsEmpty)
}

func createVault(t *testing.T, gl *glacier.Client, name string) {
	t.Helper()
	if _, err := gl.CreateVault(ctx, &glacier.CreateVaultInput{AccountId: aws.String("-"), VaultName: aws.String(name)}); err != nil {
		t.Fatalf("create vault %s: %v", name, err)
	}
}

func testVaultEverywhere(t *testing.T, gl []*glacier.Client) {
	createVault(t, gl[0], "shared")
	for i, g := range gl {
		d, err := g.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("shared")})
		if err != nil || aws.ToString(d.VaultName) != "shared" {
			t.Errorf("instance #%d: DescribeVault: %v, %v", i, d, err)
		}
		l, err := g.ListVaults(ctx, &glacier.ListVaultsInput{AccountId: aws.String("-")})
		if err != nil || len(l.VaultList) != 1 {
			t.Errorf("instance #%d: ListVaults: %v, %v", i, l, err)
		}
	}
	if _, err := gl[1].DeleteVault(ctx, &glacier.DeleteVaultInput{AccountId: aws.String("-"), VaultName: aws.String("shared")}); err != nil {
		t.Fatalf("delete on #1: %v", err)
	}
	_, err := gl[2].DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("shared")})
	wantAPIError(t, err, "ResourceNotFoundException")
}

// expeditedOutput retrieves an archive: the job is started on instance
// via, and once from reports it complete, its output is fetched from from.
func expeditedOutput(t *testing.T, via, from *glacier.Client, vault, id string) []byte {
	t.Helper()
	out, err := via.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String(vault),
		JobParameters: &types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String("Expedited")}})
	if err != nil {
		t.Fatalf("initiate retrieval of %s: %v", id, err)
	}
	job := aws.ToString(out.JobId)
	waitJob(t, from, vault, job, jobsWithin)
	return readOutput(t, from, vault, job)
}

// waitJob polls DescribeJob on gl until the job has completed, for at most
// within, and fails t unless it succeeded.
func waitJob(t *testing.T, gl *glacier.Client, vault, job string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		d, err := gl.DescribeJob(ctx, &glacier.DescribeJobInput{AccountId: aws.String("-"), VaultName: aws.String(vault), JobId: aws.String(job)})
		switch {
		case err != nil:
			t.Fatalf("DescribeJob %s: %v", job, err)
		case d.Completed:
			if d.StatusCode != types.StatusCodeSucceeded {
				t.Fatalf("job %s completed with status %s: %s", job, d.StatusCode, aws.ToString(d.StatusMessage))
			}
			return
		case time.Now().After(deadline):
			t.Fatalf("job %s not complete after %v (status %s)", job, within, d.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func readOutput(t *testing.T, gl *glacier.Client, vault, job string) []byte {
	t.Helper()
	b, err := jobOutput(gl, vault, job)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jobOutput downloads a job's whole output.
func jobOutput(gl *glacier.Client, vault, job string) ([]byte, error) {
	out, err := gl.GetJobOutput(ctx, &glacier.GetJobOutputInput{AccountId: aws.String("-"), VaultName: aws.String(vault), JobId: aws.String(job)})
	if err != nil {
		return nil, fmt.Errorf("output of job %s: %w", job, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, fmt.Errorf("read output of job %s: %w", job, err)
	}
	return b, nil
}

func testUploadsSpread(t *testing.T, gl []*glacier.Client) {
	createVault(t, gl[2], "spread")
	const n = 30
	datas := make([][]byte, n)
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		datas[i] = randomBytes(1 + i*37_000)
		wg.Go(func() {
			out, err := gl[i%3].UploadArchive(ctx, &glacier.UploadArchiveInput{AccountId: aws.String("-"), VaultName: aws.String("spread"),
				Body: bytes.NewReader(datas[i])})
			if err != nil {
				t.Errorf("upload %d on #%d: %v", i, i%3, err)
				return
			}
			ids[i] = aws.ToString(out.ArchiveId)
		})
	}
	wg.Wait()
	var total int64
	for _, d := range datas {
		total += int64(len(d))
	}
	for i, g := range gl {
		d, err := g.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("spread")})
		if err != nil || d.NumberOfArchives != n || d.SizeInBytes != total {
			t.Errorf("instance #%d sees %v archives, %v bytes (%v); want %d, %d", i, d.NumberOfArchives, d.SizeInBytes, err, n, total)
		}
	}
	for i := 0; i < n; i += 7 {
		if got := expeditedOutput(t, gl[(i+1)%3], gl[(i+2)%3], "spread", ids[i]); treehash.Sum(got) != treehash.Sum(datas[i]) {
			t.Errorf("archive %d uploaded on #%d differs when read through #%d", i, i%3, (i+2)%3)
		}
	}
}

func testMultipartAcross(t *testing.T, gl []*glacier.Client) {
	createVault(t, gl[0], "multi")
	data := randomBytes(3<<20 + 4321) // parts of 1 MiB: 0 and 2 on #0, 1 on #1, 3 (short) on #2
	out, err := gl[0].InitiateMultipartUpload(ctx, &glacier.InitiateMultipartUploadInput{AccountId: aws.String("-"),
		VaultName: aws.String("multi"), PartSize: aws.String(fmt.Sprint(1 << 20))})
	if err != nil {
		t.Fatal(err)
	}
	id := out.UploadId
	for start := 0; start < len(data); start += 1 << 20 {
		part := data[start:min(start+1<<20, len(data))]
		inst := (start >> 20) % 3
		if _, err := gl[inst].UploadMultipartPart(ctx, &glacier.UploadMultipartPartInput{AccountId: aws.String("-"), VaultName: aws.String("multi"),
			UploadId: id, Range: aws.String(fmt.Sprintf("bytes %d-%d/*", start, start+len(part)-1)), Body: bytes.NewReader(part)}); err != nil {
			t.Fatalf("part at %d on #%d: %v", start, inst, err)
		}
	}
	parts, err := gl[1].ListParts(ctx, &glacier.ListPartsInput{AccountId: aws.String("-"), VaultName: aws.String("multi"), UploadId: id})
	if err != nil || len(parts.Parts) != 4 {
		t.Fatalf("ListParts on #1: %v, %v", parts, err)
	}
	done, err := gl[2].CompleteMultipartUpload(ctx, &glacier.CompleteMultipartUploadInput{AccountId: aws.String("-"), VaultName: aws.String("multi"),
		UploadId: id, ArchiveSize: aws.String(fmt.Sprint(len(data))), Checksum: aws.String(hexOf(treehash.Sum(data)))})
	if err != nil {
		t.Fatalf("complete on #2: %v", err)
	}
	if got := expeditedOutput(t, gl[0], gl[1], "multi", aws.ToString(done.ArchiveId)); treehash.Sum(got) != treehash.Sum(data) {
		t.Errorf("the multipart archive reads back as %d bytes, want %d", len(got), len(data))
	}
}

func testJobsNotifiedOnce(t *testing.T, urls []string, gl []*glacier.Client, sns *notifytest.Server) {
	createVault(t, gl[1], "jobs")
	var archives []string
	for i := range 10 {
		out, err := gl[i%3].UploadArchive(ctx, &glacier.UploadArchiveInput{AccountId: aws.String("-"), VaultName: aws.String("jobs"),
			Body: bytes.NewReader(randomBytes(1<<20 + i*1000))})
		if err != nil {
			t.Fatal(err)
		}
		archives = append(archives, aws.ToString(out.ArchiveId))
	}
	before := len(sns.Messages())
	const n = 100
	tiers := []string{"Expedited", "Standard", "Bulk"}
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		p := types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(archives[i%10]),
			Tier: aws.String(tiers[i%3]), SNSTopic: aws.String(topic("jobs"))}
		if i%10 == 9 {
			p = types.JobParameters{Type: aws.String("inventory-retrieval"), SNSTopic: aws.String(topic("jobs"))}
		}
		wg.Go(func() {
			out, err := gl[i%3].InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String("jobs"), JobParameters: &p})
			if err != nil {
				t.Errorf("job %d on #%d: %v", i, i%3, err)
				return
			}
			ids[i] = aws.ToString(out.JobId)
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	start := time.Now()
	if _, err := sns.Wait(before+n, jobsWithin); err != nil { // every tier done
		t.Fatalf("notifications: %v", err)
	}
	t.Logf("the %dth notification arrived %v after the last job was initiated", n, time.Since(start).Round(time.Millisecond))
	// Every instance finishes a whole round of job completion and
	// notification begun after the last notification arrived: a
	// duplicate, in flight or still due, has been sent by then.
	awaitRounds(t, urls, "tick", 3, 30*time.Second)
	msgs := sns.Messages()[before:]
	seen := map[string]int{}
	for _, m := range msgs {
		var j jobMessage
		if err := json.Unmarshal([]byte(m.Message), &j); err != nil {
			t.Fatalf("notification is not a job document: %v", err)
		}
		if m.Topic != topic("jobs") || !j.Completed || j.StatusCode != "Succeeded" {
			t.Errorf("notification on %s of job %s: completed %v, status %s", m.Topic, j.JobId, j.Completed, j.StatusCode)
		}
		seen[j.JobId]++
	}
	var dups []string
	for id, k := range seen {
		if k != 1 {
			dups = append(dups, fmt.Sprintf("%s×%d", id, k))
		}
	}
	if len(msgs) != n || len(seen) != n || len(dups) > 0 {
		t.Errorf("%d notifications for %d distinct jobs (want %d for %d); repeated: %v", len(msgs), len(seen), n, n, dups)
	}
	for _, id := range ids {
		if seen[id] == 0 {
			t.Errorf("job %s was never notified", id)
		}
	}
	t.Logf("%d jobs on 3 instances: %d notifications, %d distinct", n, len(msgs), len(seen))
}

// testCapacityRace buys an account's first unit, then races two purchases
// of its second (and last) unit on two instances: exactly one succeeds.
func testCapacityRace(t *testing.T, c *procCluster) {
	for r := range raceRounds {
		cl := []*glacier.Client{c.client(0, raceKey(r), raceSecret(r)), c.client(1, raceKey(r), raceSecret(r)), c.client(2, raceKey(r), raceSecret(r))}
		if _, err := cl[2].PurchaseProvisionedCapacity(ctx, &glacier.PurchaseProvisionedCapacityInput{AccountId: aws.String("-")}); err != nil {
			t.Fatalf("round %d: first unit: %v", r, err)
		}
		errs := race(func(i int) error {
			_, err := cl[i].PurchaseProvisionedCapacity(ctx, &glacier.PurchaseProvisionedCapacityInput{AccountId: aws.String("-")})
			return err
		})
		if ok := countNil(errs); ok != 1 {
			t.Errorf("round %d: %d of 2 racing purchases of the last unit succeeded: %v", r, ok, errs)
		}
		for _, err := range errs {
			if err != nil {
				wantAPIError(t, err, "LimitExceededException")
			}
		}
		l, err := cl[2].ListProvisionedCapacity(ctx, &glacier.ListProvisionedCapacityInput{AccountId: aws.String("-")})
		if err != nil || len(l.ProvisionedCapacityList) != 2 {
			t.Errorf("round %d: account %s has %v units (%v), want 2", r, raceAccount(r), len(l.ProvisionedCapacityList), err)
		}
	}
}

// testVaultLockRace races two InitiateVaultLock calls on two instances:
// exactly one lock ID wins, and it completes the lock on the third.
func testVaultLockRace(t *testing.T, gl []*glacier.Client) {
	for r := range raceRounds {
		vault := fmt.Sprintf("lock-%02d", r)
		createVault(t, gl[0], vault)
		doc := fmt.Sprintf(retentionPolicy, vaultARN(testAccount, vault))
		ids := make([]string, 2)
		errs := race(func(i int) error {
			out, err := gl[i].InitiateVaultLock(ctx, &glacier.InitiateVaultLockInput{AccountId: aws.String("-"), VaultName: aws.String(vault),
				Policy: &types.VaultLockPolicy{Policy: aws.String(doc)}})
			if err == nil {
				ids[i] = aws.ToString(out.LockId)
			}
			return err
		})
		if countNil(errs) != 1 {
			t.Errorf("round %d: %d of 2 racing InitiateVaultLock succeeded: %v (lock IDs %q)", r, countNil(errs), errs, ids)
			continue
		}
		winner := slices.IndexFunc(errs, func(err error) bool { return err == nil })
		if _, ok := errors.AsType[smithy.APIError](errs[1-winner]); !ok {
			t.Errorf("round %d: the losing InitiateVaultLock failed with %v, not an API error", r, errs[1-winner])
		}
		if _, err := gl[2].CompleteVaultLock(ctx, &glacier.CompleteVaultLockInput{AccountId: aws.String("-"), VaultName: aws.String(vault),
			LockId: aws.String(ids[winner])}); err != nil {
			t.Errorf("round %d: completing the winning lock %s on #2: %v", r, ids[winner], err)
		}
	}
}

// race runs f(0) and f(1) at the same moment and returns their errors.
func race(f func(i int) error) []error {
	errs := make([]error, 2)
	startLine := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			<-startLine
			errs[i] = f(i)
		})
	}
	close(startLine)
	wg.Wait()
	return errs
}

func countNil(errs []error) int {
	n := 0
	for _, err := range errs {
		if err == nil {
			n++
		}
	}
	return n
}

package migrate_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	gl "github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/migrate"
	"github.com/glacierd/glacierd/internal/notify/notifytest"
	"github.com/glacierd/glacierd/internal/store/sqlite"
	"github.com/glacierd/glacierd/internal/storeset"
	"github.com/glacierd/glacierd/internal/testkit"
)

const lockPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"keep","Principal":"*","Effect":"Deny",` +
	`"Action":"glacier:DeleteArchive","Resource":"arn:aws:glacier:us-east-1:123456789012:vaults/docs",` +
	`"Condition":{"NumericLessThan":{"glacier:ArchiveAgeInDays":"365"}}}]}`

const accessPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"read","Principal":{"AWS":"111122223333"},"Effect":"Allow",` +
	`"Action":"glacier:DescribeVault","Resource":"arn:aws:glacier:us-east-1:123456789012:vaults/photos"}]}`

const mib = 1 << 20

// fixture is what populate put into the source server.
type fixture struct {
	live          map[string]stored // live archives by ID
	deleted       string            // a deleted archive, in photos, with a retrieval job
	deletedData   []byte
	deletedJob    string
	inventoryJob  string // a completed inventory job of photos, and its output
	inventory     []byte
	pendingJob    string // a Standard retrieval of docs still in progress
	pendingID     string
	upload        string // an open multipart upload in photos: parts 0 and 2 of 3
	uploadData    []byte
	lockID        string
	describe      map[string]*glacier.DescribeVaultOutput
	jobs          map[string][]string // job IDs by vault
	capacityIDs   []string
	notifications int
}

type stored struct {
	vault string
	data  []byte
}

// populate fills the source server with one of everything.
func populate(t *testing.T, s *server, clock *fakeClock, sns *notifytest.Server) *fixture {
	f := &fixture{live: map[string]stored{}, describe: map[string]*glacier.DescribeVaultOutput{}, jobs: map[string][]string{}}
	for _, v := range []string{"photos", "docs", "empty"} {
		s.mustVault(v)
	}
	for _, a := range []stored{{"photos", randomBytes(1)}, {"photos", randomBytes(3*mib + 5)}, {"docs", []byte("a document")}, {"docs", randomBytes(2 * mib)}} {
		f.live[s.upload(a.vault, a.data, "single")] = a
	}
	multi := randomBytes(3*mib + 12345) // four parts, the last one short
	id := s.initiateMP("photos", mib)
	for start := int64(0); start < int64(len(multi)); start += mib {
		s.part("photos", id, start, multi[start:min(start+mib, int64(len(multi)))])
	}
	f.live[s.complete("photos", id, multi)] = stored{"photos", multi}

	// A deleted archive whose retrieval job is still within its retention.
	f.deletedData = randomBytes(100_000)
	f.deleted = s.upload("photos", f.deletedData, "to be deleted")
	f.deletedJob = s.job("photos", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(f.deleted), Tier: aws.String("Expedited")})
	if _, err := s.gl.DeleteArchive(t.Context(), &glacier.DeleteArchiveInput{AccountId: acct(), VaultName: aws.String("photos"), ArchiveId: aws.String(f.deleted)}); err != nil {
		t.Fatal(err)
	}

	f.uploadData = randomBytes(2*mib + 777)
	f.upload = s.initiateMP("photos", mib)
	s.part("photos", f.upload, 0, f.uploadData[:mib])
	s.part("photos", f.upload, 2*mib, f.uploadData[2*mib:])

	ctx := t.Context()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err := s.gl.AddTagsToVault(ctx, &glacier.AddTagsToVaultInput{AccountId: acct(), VaultName: aws.String("photos"), Tags: map[string]string{"owner": "migrate", "tier": "cold"}})
	must("tags", err)
	_, err = s.gl.SetVaultAccessPolicy(ctx, &glacier.SetVaultAccessPolicyInput{AccountId: acct(), VaultName: aws.String("photos"), Policy: &types.VaultAccessPolicy{Policy: aws.String(accessPolicy)}})
	must("access policy", err)
	lock, err := s.gl.InitiateVaultLock(ctx, &glacier.InitiateVaultLockInput{AccountId: acct(), VaultName: aws.String("docs"), Policy: &types.VaultLockPolicy{Policy: aws.String(lockPolicy)}})
	must("vault lock", err)
	f.lockID = aws.ToString(lock.LockId)
	_, err = s.gl.SetVaultNotifications(ctx, &glacier.SetVaultNotificationsInput{AccountId: acct(), VaultName: aws.String("docs"),
		VaultNotificationConfig: &types.VaultNotificationConfig{SNSTopic: aws.String(topicARN("docs")), Events: []string{"ArchiveRetrievalCompleted", "InventoryRetrievalCompleted"}}})
	must("notifications", err)
	capOut, err := s.gl.PurchaseProvisionedCapacity(ctx, &glacier.PurchaseProvisionedCapacityInput{AccountId: acct()})
	must("capacity", err)
	f.capacityIDs = []string{aws.ToString(capOut.CapacityId)}
	_, err = s.gl.SetDataRetrievalPolicy(ctx, &glacier.SetDataRetrievalPolicyInput{AccountId: acct(),
		Policy: &types.DataRetrievalPolicy{Rules: []types.DataRetrievalRule{{Strategy: aws.String("BytesPerHour"), BytesPerHour: aws.Int64(1 << 40)}}}})
	must("retrieval policy", err)

	// A completed inventory job whose notification could not be delivered
	// yet: it waits in the outbox.
	sns.FailNext(1 << 30)
	f.inventoryJob = s.job("photos", types.JobParameters{Type: aws.String("inventory-retrieval"), SNSTopic: aws.String(topicARN("jobs"))})
	clock.Advance(4*time.Hour + time.Minute)
	f.inventory = s.output("photos", f.inventoryJob)
	f.notifications = 1
	if err := sns.WaitAttempts(1, 10*time.Second); err != nil {
		t.Fatalf("the inventory job's notification was never attempted: %v", err)
	}
	for id, a := range f.live {
		if a.vault == "docs" && len(a.data) > 100 {
			f.pendingID = id
		}
	}
	f.pendingJob = s.job("docs", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(f.pendingID), Tier: aws.String("Standard")})

	for _, v := range []string{"photos", "docs", "empty"} {
		d, err := s.gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: acct(), VaultName: aws.String(v)})
		must("describe", err)
		f.describe[v] = d
		f.jobs[v] = s.jobIDs(v)
	}
	return f
}

// vaultFigures is what DescribeVault reports, comparable.
func vaultFigures(d *glacier.DescribeVaultOutput) []string {
	return []string{aws.ToString(d.VaultARN), aws.ToString(d.CreationDate), aws.ToString(d.LastInventoryDate),
		fmt.Sprint(d.NumberOfArchives), fmt.Sprint(d.SizeInBytes)}
}

func topicARN(name string) string { return "arn:aws:sns:us-east-1:" + testAccount + ":" + name }

// jobIDs lists the vault's job IDs, sorted.
func (s *server) jobIDs(vault string) []string {
	s.t.Helper()
	out, err := s.gl.ListJobs(s.t.Context(), &glacier.ListJobsInput{AccountId: acct(), VaultName: aws.String(vault)})
	if err != nil {
		s.t.Fatalf("list jobs: %v", err)
	}
	var ids []string
	for _, j := range out.JobList {
		ids = append(ids, aws.ToString(j.JobId))
	}
	slices.Sort(ids)
	return ids
}

func TestMigrateToPostgresS3(t *testing.T) {
	testMigrate(t, remoteStores(t))
}

func TestMigrateEmbeddedToEmbedded(t *testing.T) {
	testMigrate(t, storeset.Config{Data: t.TempDir(), Meta: "sqlite", Blobs: "fs"})
}

// testMigrate fills an embedded data directory through glacierd, migrates
// it into dst, and checks through glacierd on dst that everything is there.
func testMigrate(t *testing.T, dst storeset.Config) {
	clock := testkit.NewFakeClock(time.Now().UTC().Truncate(time.Millisecond))
	srcDir := t.TempDir()
	oldSNS := notifytest.NewServer(t)
	src := serve(t, storeset.Config{Data: srcDir}, clock, oldSNS.URL())
	f := populate(t, src, clock, oldSNS)

	// A running glacierd holds the source: migrate refuses it.
	cfg := migrate.Config{From: storeset.Config{Data: srcDir, Meta: "sqlite", Blobs: "fs"}, To: dst}
	if _, err := migrate.Run(t.Context(), cfg, nil); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("migrate from a data directory in use: %v, want a refusal", err)
	}
	src.close()

	// A first run is interrupted after its first vault (docs); a second is
	// refused, as the destination holds data; a resumed run completes the
	// migration without copying docs' archives again.
	ictx, cancel := context.WithCancel(t.Context())
	defer cancel()
	if _, err := migrate.Run(ictx, cfg, slog.New(cancelOn{slog.DiscardHandler, "vault migrated", cancel})); err == nil {
		t.Fatal("interrupted migrate succeeded")
	}
	if _, err := migrate.Run(t.Context(), cfg, nil); err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Errorf("second migrate: %v, want a refusal naming --resume", err)
	}
	cfg.Resume = true
	rep, err := migrate.Run(t.Context(), cfg, nil)
	if err != nil {
		t.Fatalf("resumed migrate: %v\n%s", err, rep)
	}
	t.Logf("report of the resumed run:\n%s", rep)
	var bytesWant int64
	for _, a := range f.live {
		if a.vault == "photos" {
			bytesWant += int64(len(a.data))
		}
	}
	bytesWant += int64(len(f.deletedData)) + int64(len(f.inventory)) + int64(len(f.uploadData)) - mib // part 1 is missing
	want := migrate.Report{Accounts: 1, Vaults: 3, VaultConfigs: 2, LiveArchives: 5, DeletedArchives: 1, AlreadyPresent: 2,
		ActiveUploads: 1, FinishedUploads: 1, Parts: 2, Jobs: 3, Capacities: 1, Policies: 1, Notifications: f.notifications,
		Blobs: 2*(2+4+1) + 2*2 + 1, Bytes: bytesWant}
	if d := cmp.Diff(want, rep, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Elapsed" }, cmp.Ignore())); d != "" {
		t.Errorf("report (-want +got):\n%s", d)
	}
	again, err := migrate.Run(t.Context(), cfg, nil)
	if err != nil || again.AlreadyPresent != 6 || again.Blobs != 0 || again.LiveArchives != 5 {
		t.Errorf("migrate resumed once more: %v\n%s", err, again)
	}

	sns := notifytest.NewServer(t)
	dstSrv := serve(t, dst, clock, sns.URL())
	verify(t, dstSrv, clock, f, sns)
}

// verify checks that the server holds everything of f.
func verify(t *testing.T, s *server, clock *fakeClock, f *fixture, sns *notifytest.Server) {
	ctx := t.Context()
	for v, want := range f.describe {
		got, err := s.gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: acct(), VaultName: aws.String(v)})
		if err != nil {
			t.Fatalf("describe %s: %v", v, err)
		}
		if d := cmp.Diff(vaultFigures(want), vaultFigures(got)); d != "" {
			t.Errorf("vault %s (-source +destination):\n%s", v, d)
		}
		if got := s.jobIDs(v); !slices.Equal(got, f.jobs[v]) {
			t.Errorf("jobs of %s: %v, want %v", v, got, f.jobs[v])
		}
	}
	tags, err := s.gl.ListTagsForVault(ctx, &glacier.ListTagsForVaultInput{AccountId: acct(), VaultName: aws.String("photos")})
	if err != nil || !cmp.Equal(tags.Tags, map[string]string{"owner": "migrate", "tier": "cold"}) {
		t.Errorf("tags: %v, %v", tags, err)
	}
	pol, err := s.gl.GetVaultAccessPolicy(ctx, &glacier.GetVaultAccessPolicyInput{AccountId: acct(), VaultName: aws.String("photos")})
	if err != nil || aws.ToString(pol.Policy.Policy) != accessPolicy {
		t.Errorf("access policy: %v", err)
	}
	lock, err := s.gl.GetVaultLock(ctx, &glacier.GetVaultLockInput{AccountId: acct(), VaultName: aws.String("docs")})
	if err != nil || aws.ToString(lock.State) != "InProgress" || aws.ToString(lock.Policy) != lockPolicy {
		t.Errorf("vault lock: %+v, %v", lock, err)
	}
	notif, err := s.gl.GetVaultNotifications(ctx, &glacier.GetVaultNotificationsInput{AccountId: acct(), VaultName: aws.String("docs")})
	if err != nil || aws.ToString(notif.VaultNotificationConfig.SNSTopic) != topicARN("docs") || len(notif.VaultNotificationConfig.Events) != 2 {
		t.Errorf("notifications: %+v, %v", notif, err)
	}
	caps, err := s.gl.ListProvisionedCapacity(ctx, &glacier.ListProvisionedCapacityInput{AccountId: acct()})
	if err != nil || len(caps.ProvisionedCapacityList) != 1 || aws.ToString(caps.ProvisionedCapacityList[0].CapacityId) != f.capacityIDs[0] {
		t.Errorf("capacity: %+v, %v", caps, err)
	}
	rp, err := s.gl.GetDataRetrievalPolicy(ctx, &glacier.GetDataRetrievalPolicyInput{AccountId: acct()})
	if err != nil || len(rp.Policy.Rules) != 1 || aws.ToInt64(rp.Policy.Rules[0].BytesPerHour) != 1<<40 {
		t.Errorf("retrieval policy: %+v, %v", rp, err)
	}

	// The undelivered notification goes out from the new stores.
	clock.Advance(11 * time.Minute)
	if msgs, err := sns.Wait(1, 10*time.Second); err != nil || msgs[0].Topic != topicARN("jobs") || !strings.Contains(msgs[0].Message, f.inventoryJob) {
		t.Errorf("pending notification: %v, %v", msgs, err)
	}
	if got := s.output("photos", f.inventoryJob); !bytes.Equal(got, f.inventory) {
		t.Errorf("inventory output differs:\n%s\nwant\n%s", got, f.inventory)
	}
	if got := s.output("photos", f.deletedJob); !bytes.Equal(got, f.deletedData) {
		t.Errorf("retrieval of the deleted archive: %d bytes, want %d", len(got), len(f.deletedData))
	}
	_, err = s.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: acct(), VaultName: aws.String("photos"),
		JobParameters: &types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(f.deleted)}})
	if ae, ok := errors.AsType[smithy.APIError](err); !ok || ae.ErrorCode() != "ResourceNotFoundException" {
		t.Errorf("retrieval job for the deleted archive: %v, want ResourceNotFoundException", err)
	}
	for id, a := range f.live {
		if got := s.retrieve(clock, a.vault, id); !bytes.Equal(got, a.data) {
			t.Errorf("archive %s of %s: %d bytes (tree hash %s), want %d (%s)", id, a.vault, len(got), treeHashHex(got), len(a.data), treeHashHex(a.data))
		}
	}
	clock.Advance(5 * time.Hour)
	if got := s.output("docs", f.pendingJob); !bytes.Equal(got, f.live[f.pendingID].data) {
		t.Errorf("output of the job started before the migration: %d bytes", len(got))
	}

	// The open upload continues where it stopped.
	parts, err := s.gl.ListParts(ctx, &glacier.ListPartsInput{AccountId: acct(), VaultName: aws.String("photos"), UploadId: aws.String(f.upload)})
	if err != nil || len(parts.Parts) != 2 {
		t.Fatalf("parts of the open upload: %+v, %v", parts, err)
	}
	s.part("photos", f.upload, mib, f.uploadData[mib:2*mib])
	id := s.complete("photos", f.upload, f.uploadData)
	if got := s.retrieve(clock, "photos", id); !bytes.Equal(got, f.uploadData) {
		t.Errorf("archive completed after the migration: %d bytes, want %d", len(got), len(f.uploadData))
	}
}

// TestMigrateRefusesCorruptArchive flips a byte of an archive's blob and of
// another archive's leaf-hash sidecar in the source: the first fails the
// migration, naming the archive; the second is repaired. The destination is
// PostgreSQL and S3 when the tests have them, else the embedded stores.
func TestMigrateRefusesCorruptArchive(t *testing.T) {
	dst := storeset.Config{Data: t.TempDir(), Meta: "sqlite", Blobs: "fs"}
	if os.Getenv("GLACIERD_TEST_POSTGRES") != "" && os.Getenv("GLACIERD_TEST_S3") != "" || os.Getenv("GLACIERD_REQUIRE_INTEGRATION") == "1" {
		dst = remoteStores(t)
	}
	clock := testkit.NewFakeClock(time.Now().UTC().Truncate(time.Millisecond))
	srcDir := t.TempDir()
	src := serve(t, storeset.Config{Data: srcDir}, clock, "")
	src.mustVault("v")
	bad := src.upload("v", randomBytes(2*mib+3), "corrupted")
	sidecar := src.upload("v", randomBytes(mib+1), "sidecar damaged")
	good := src.upload("v", []byte("intact"), "intact")
	src.close()

	db, err := sqlite.Open(t.Context(), filepath.Join(srcDir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	var badKey, sidecarKey string
	if err := db.View(t.Context(), func(tx gl.Tx) error {
		a, err := tx.Archive(bad)
		badKey = a.Segments[0].Key
		if err != nil {
			return err
		}
		b, err := tx.Archive(sidecar)
		sidecarKey = b.Segments[0].Key + "-leaves"
		return err
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	flipByte(t, filepath.Join(srcDir, "archives", "blobs", badKey+".blob"), mib+7)
	flipByte(t, filepath.Join(srcDir, "archives", "blobs", sidecarKey+".blob"), 40)

	rep, err := migrate.Run(t.Context(), migrate.Config{From: storeset.Config{Data: srcDir, Meta: "sqlite", Blobs: "fs"}, To: dst}, nil)
	if err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("migrate of a corrupted archive: %v, want an error naming archive %s", err, bad)
	}
	t.Logf("error: %v\nreport:\n%s", err, rep)
	if len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0], bad) || !strings.Contains(rep.Failed[0], "tree hash") {
		t.Errorf("Failed = %q, want the tree-hash mismatch of %s", rep.Failed, bad)
	}
	if rep.LiveArchives != 2 || rep.RepairedSidecars != 1 {
		t.Errorf("report: %d archives migrated (want 2: %s, %s), %d sidecars repaired (want 1)", rep.LiveArchives, sidecar, good, rep.RepairedSidecars)
	}
	if !strings.Contains(rep.String(), "FAILED") {
		t.Errorf("the printed report does not show the failure:\n%s", rep)
	}
}

func TestParseMigrateFlags(t *testing.T) {
	t.Setenv("GLACIERD_META", "postgres://env@db/glacierd")
	t.Setenv("GLACIERD_S3_SECRET_KEY", "from-env")
	c, err := migrate.ParseFlags("glacierd migrate", []string{"--from", "/var/lib/glacierd", "--blobs", "s3://b/p?endpoint=s3:9000", "--resume"})
	if err != nil {
		t.Fatal(err)
	}
	want := migrate.Config{
		From:   storeset.Config{Data: "/var/lib/glacierd", Meta: "sqlite", Blobs: "fs"},
		To:     storeset.Config{Meta: "postgres://env@db/glacierd", Blobs: "s3://b/p?endpoint=s3:9000", S3SecretKey: "from-env"},
		Resume: true, Workers: 4,
	}
	if d := cmp.Diff(want, c); d != "" {
		t.Errorf("config (-want +got):\n%s", d)
	}
	if _, err := migrate.ParseFlags("glacierd migrate", []string{"--from", "x", "extra"}); err == nil {
		t.Error("a stray argument was accepted")
	}
}

package migrate_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/internal/app"
	"github.com/glacierd/glacierd/internal/storeset"
	"github.com/glacierd/glacierd/internal/testkit"
	"github.com/glacierd/glacierd/internal/treehash"
)

const (
	testAccount = "123456789012"
	testKey     = "AKIDMIGRATETEST"
	testSecret  = "migrate-test-secret"
)

// fakeClock is the service clock shared by the source and destination
// servers of a test; tests advance it instead of sleeping.
type fakeClock = testkit.FakeClock

// server is one in-process glacierd and a client for it.
type server struct {
	t  *testing.T
	m  *app.Main
	gl *glacier.Client
}

// serve starts glacierd on the stores of sc (the embedded ones in sc.Data
// when sc names none) with the given clock and notification endpoint.
// Its background loop ticks on that clock: each advance of it runs a round
// of job completion and notification.
func serve(t *testing.T, sc storeset.Config, clock *fakeClock, snsURL string) *server {
	t.Helper()
	cfg := app.Config{
		Addr: "127.0.0.1:0", Data: sc.Data, Meta: sc.Meta, Blobs: sc.Blobs,
		S3AccessKey: sc.S3AccessKey, S3SecretKey: sc.S3SecretKey,
		Region: "us-east-1", AccessKey: testKey, SecretKey: testSecret, AccountID: testAccount,
		TimeScale: 1, ExpeditedOnDemand: 1000, Tick: 10 * time.Millisecond, MaintainEvery: 0,
		ShutdownTimeout: 10 * time.Second, MaxSkew: 15 * time.Minute, LogFormat: "text", LogLevel: "warn",
	}
	if snsURL != "" {
		cfg.SNSEndpoint, cfg.SNSAccessKey, cfg.SNSSecretKey = snsURL, "AKIDSNS", "sns-secret"
	}
	if cfg.Data == "" {
		cfg.Data = t.TempDir()
	}
	m := &app.Main{Config: cfg, Clock: clock, LogOutput: t.Output()}
	if err := m.Open(context.Background()); err != nil {
		t.Fatalf("open glacierd: %v", err)
	}
	s := &server{t: t, m: m}
	t.Cleanup(func() { s.close() })
	s.gl = glacier.NewFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(testKey, testSecret, ""),
	}, func(o *glacier.Options) {
		o.BaseEndpoint = aws.String(m.URL())
		o.Retryer = aws.NopRetryer{}
	})
	return s
}

// close stops the server; a second call does nothing.
func (s *server) close() {
	if s.m == nil {
		return
	}
	if err := s.m.Close(); err != nil {
		s.t.Errorf("close glacierd: %v", err)
	}
	s.m = nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// remoteStores returns a fresh PostgreSQL schema and S3 key prefix from
// GLACIERD_TEST_POSTGRES and GLACIERD_TEST_S3, or skips t (fails it under
// GLACIERD_REQUIRE_INTEGRATION=1) when they are not set.
func remoteStores(t *testing.T) storeset.Config {
	t.Helper()
	pg, s3 := testkit.Integration(t)
	blobs, key, secret := testkit.FreshS3(t, s3, "migrate")
	return storeset.Config{Meta: testkit.FreshPostgres(t, pg, "migrate_"), Blobs: blobs, S3AccessKey: key, S3SecretKey: secret}
}

func acct() *string { return aws.String("-") }

// mustVault creates a vault.
func (s *server) mustVault(name string) {
	s.t.Helper()
	if _, err := s.gl.CreateVault(s.t.Context(), &glacier.CreateVaultInput{AccountId: acct(), VaultName: aws.String(name)}); err != nil {
		s.t.Fatalf("create vault %s: %v", name, err)
	}
}

// upload stores data as a single-request archive and returns its ID.
func (s *server) upload(vault string, data []byte, desc string) string {
	s.t.Helper()
	out, err := s.gl.UploadArchive(s.t.Context(), &glacier.UploadArchiveInput{AccountId: acct(), VaultName: aws.String(vault),
		ArchiveDescription: aws.String(desc), Body: bytes.NewReader(data)})
	if err != nil {
		s.t.Fatalf("upload %d bytes: %v", len(data), err)
	}
	return aws.ToString(out.ArchiveId)
}

// initiateMP starts a multipart upload and returns its ID.
func (s *server) initiateMP(vault string, partSize int64) string {
	s.t.Helper()
	out, err := s.gl.InitiateMultipartUpload(s.t.Context(), &glacier.InitiateMultipartUploadInput{AccountId: acct(),
		VaultName: aws.String(vault), PartSize: aws.String(fmt.Sprint(partSize)), ArchiveDescription: aws.String("multipart")})
	if err != nil {
		s.t.Fatalf("initiate multipart upload: %v", err)
	}
	return aws.ToString(out.UploadId)
}

// part uploads data at start of upload id.
func (s *server) part(vault, id string, start int64, data []byte) {
	s.t.Helper()
	if _, err := s.gl.UploadMultipartPart(s.t.Context(), &glacier.UploadMultipartPartInput{AccountId: acct(), VaultName: aws.String(vault),
		UploadId: aws.String(id), Range: aws.String(fmt.Sprintf("bytes %d-%d/*", start, start+int64(len(data))-1)),
		Body: bytes.NewReader(data)}); err != nil {
		s.t.Fatalf("upload part at %d: %v", start, err)
	}
}

// complete completes upload id of data and returns the archive ID.
func (s *server) complete(vault, id string, data []byte) string {
	s.t.Helper()
	out, err := s.gl.CompleteMultipartUpload(s.t.Context(), &glacier.CompleteMultipartUploadInput{AccountId: acct(), VaultName: aws.String(vault),
		UploadId: aws.String(id), ArchiveSize: aws.String(fmt.Sprint(len(data))), Checksum: aws.String(treeHashHex(data))})
	if err != nil {
		s.t.Fatalf("complete multipart upload: %v", err)
	}
	return aws.ToString(out.ArchiveId)
}

// job starts a job and returns its ID.
func (s *server) job(vault string, p types.JobParameters) string {
	s.t.Helper()
	out, err := s.gl.InitiateJob(s.t.Context(), &glacier.InitiateJobInput{AccountId: acct(), VaultName: aws.String(vault), JobParameters: &p})
	if err != nil {
		s.t.Fatalf("initiate %s job: %v", aws.ToString(p.Type), err)
	}
	return aws.ToString(out.JobId)
}

// output downloads a job's output.
func (s *server) output(vault, job string) []byte {
	s.t.Helper()
	out, err := s.gl.GetJobOutput(s.t.Context(), &glacier.GetJobOutputInput{AccountId: acct(), VaultName: aws.String(vault), JobId: aws.String(job)})
	if err != nil {
		s.t.Fatalf("output of job %s: %v", job, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		s.t.Fatalf("read output of job %s: %v", job, err)
	}
	return b
}

// retrieve downloads an archive through an Expedited job.
func (s *server) retrieve(clock *fakeClock, vault, id string) []byte {
	s.t.Helper()
	job := s.job(vault, types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String("Expedited")})
	clock.Advance(6 * time.Minute)
	return s.output(vault, job)
}

func treeHashHex(data []byte) string {
	h := treehash.Sum(data)
	return hex.EncodeToString(h[:])
}

// cancelOn is a log handler that calls cancel when a record with message
// msg is logged.
type cancelOn struct {
	slog.Handler
	msg    string
	cancel context.CancelFunc
}

func (h cancelOn) Enabled(context.Context, slog.Level) bool { return true }

func (h cancelOn) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.cancel()
	}
	return nil
}

// flipByte inverts the byte at off of the file.
func flipByte(t *testing.T, path string, off int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, off); err != nil {
		t.Fatal(err)
	}
	b[0] ^= 0xff
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

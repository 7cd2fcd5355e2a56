package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/engine"
	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/journal"
)

// s3Target is a fresh bucket on the S3 server of GLACIERD_TEST_S3.
type s3Target struct {
	endpoint, key, secret, bucket string
	c                             *minio.Client
}

// testS3 returns a fresh bucket, removed when t ends, or skips t when
// GLACIERD_TEST_S3 is not set (fails it if GLACIERD_REQUIRE_INTEGRATION=1).
func testS3(t *testing.T) s3Target {
	t.Helper()
	raw := os.Getenv("GLACIERD_TEST_S3")
	if raw == "" {
		if os.Getenv("GLACIERD_REQUIRE_INTEGRATION") == "1" {
			t.Fatal("GLACIERD_TEST_S3 is not set, and GLACIERD_REQUIRE_INTEGRATION=1 forbids skipping")
		}
		t.Skip("GLACIERD_TEST_S3 is not set; start a server with scripts/start-s3.sh DIR PORT and export the URL it prints")
	}
	u, err := url.Parse(raw)
	if err != nil || u.User == nil || u.Host == "" {
		t.Fatalf("GLACIERD_TEST_S3 must look like http://ACCESS:SECRET@HOST:PORT/BUCKET_PREFIX")
	}
	secret, _ := u.User.Password()
	s := s3Target{endpoint: u.Scheme + "://" + u.Host, key: u.User.Username(), secret: secret,
		bucket: "glacier-transfer-" + strings.ToLower(rand.Text()[:12])}
	s.c, err = minio.New(u.Host, &minio.Options{Creds: credentials.NewStaticV4(s.key, secret, ""), Secure: u.Scheme == "https",
		Region: "us-east-1", BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.c.MakeBucket(t.Context(), s.bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		for u := range s.c.ListIncompleteUploads(ctx, s.bucket, "", true) {
			_ = s.c.RemoveIncompleteUpload(ctx, s.bucket, u.Key)
		}
		for o := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Recursive: true}) {
			_ = s.c.RemoveObject(ctx, s.bucket, o.Key, minio.RemoveObjectOptions{})
		}
		_ = s.c.RemoveBucket(ctx, s.bucket)
	})
	return s
}

// partCounter counts the S3 part uploads that succeeded, per upload and
// part number, and calls onRequest before every request it sees.
type partCounter struct {
	base      http.RoundTripper
	onRequest func()
	mu        sync.Mutex
	ok        map[string]int
}

func (p *partCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	p.onRequest()
	resp, err := p.base.RoundTrip(req)
	q := req.URL.Query()
	if err == nil && req.Method == http.MethodPut && q.Get("uploadId") != "" && resp.StatusCode == http.StatusOK {
		p.mu.Lock()
		p.ok[q.Get("uploadId")+"#"+q.Get("partNumber")]++
		p.mu.Unlock()
	}
	return resp, err
}

// vaultArchive is an archive uploaded for the test.
type vaultArchive struct {
	id, desc string
	data     []byte
}

// fillVault uploads archives of 1 byte to 17 MiB (three 8 MiB parts) with
// duplicate, UTF-8 (FastGlacier) and undecodable descriptions.
func fillVault(t *testing.T, s *server) map[string]vaultArchive {
	t.Helper()
	s.ok("vault", "create", "v")
	sizes := []int{1, 2, 1000, 4096, 65536, 1 << 20, 1<<20 + 1, 3 << 20, 5<<20 + 7, 17 << 20,
		10, 100, 999, 12345, 200000, 2 << 20, 700, 3, 8 << 20, 9<<20 + 3}
	descs := []string{"same.txt", "same.txt", "<m><v>4</v><p>0KTQvtGC0L4vYS5qcGc=</p><lm>20190309T140000Z</lm></m>", "", "mt2 !!!notbase64"}
	out := map[string]vaultArchive{}
	gl := s.sdk()
	for i, n := range sizes {
		b := make([]byte, n)
		_, _ = rand.Read(b)
		d := "dir/file-" + string(rune('a'+i)) + ".bin"
		if i < len(descs) {
			d = descs[i]
		}
		res, err := gl.UploadArchive(t.Context(), &glacier.UploadArchiveInput{AccountId: aws.String("-"), VaultName: aws.String("v"),
			ArchiveDescription: aws.String(d), Body: bytes.NewReader(b)})
		if err != nil {
			t.Fatal(err)
		}
		out[aws.ToString(res.ArchiveId)] = vaultArchive{id: aws.ToString(res.ArchiveId), desc: d, data: b}
	}
	return out
}

func randInt(t *testing.T, n int) int {
	k, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		t.Fatal(err)
	}
	return int(k.Int64())
}

// TestTransferCopiesResumesAndDeletes moves a vault of 20 archives to S3 in
// a run cancelled at a random request and a second run, then checks every
// object byte for byte with its metadata, that no archive got two retrieval
// jobs and no part was uploaded twice; a third run with
// --delete-after-verify empties the vault.
func TestTransferCopiesResumesAndDeletes(t *testing.T) {
	t.Parallel()
	s3 := testS3(t)
	s := startServer(t)
	archives := fillVault(t, s)
	journalPath := filepath.Join(t.TempDir(), "v.transfer.db")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var requests sync.Mutex
	seen, cancelAt := 0, 1+randInt(t, 90)
	count := func() {
		requests.Lock()
		defer requests.Unlock()
		if seen++; seen == cancelAt {
			cancel()
		}
	}
	parts := &partCounter{base: http.DefaultTransport.(*http.Transport).Clone(), onRequest: count, ok: map[string]int{}}
	e := withTransport(s.testEnv(), func(_ *http.Request, resp *http.Response, err error) (*http.Response, error) {
		count()
		return resp, err
	})
	e.s3Transport = parts
	args := []string{"transfer", "v", "s3://" + s3.bucket + "/pre", "--s3-endpoint", s3.endpoint,
		"--s3-access-key", s3.key, "--s3-secret-key", s3.secret, "--journal", journalPath, "--part-size", "8MiB",
		"--concurrency", "3", "--tier", "Expedited"}

	first := s.runEnv(ctx, e, args...)
	t.Logf("first run cancelled at request %d: exit %d", cancelAt, first.code)
	if first.code == exitOK && seen >= cancelAt {
		t.Logf("(the cancel came after the run's last step)")
	}

	e.s3Transport = &partCounter{base: parts.base, onRequest: func() {}, ok: parts.ok}
	second := s.runEnv(context.Background(), withTransport(s.testEnv(), func(_ *http.Request, r *http.Response, err error) (*http.Response, error) { return r, err }),
		append(args, "--output", "json")...)
	if second.code != exitOK {
		t.Fatalf("second run: exit %d\nstdout: %s\nstderr: %s", second.code, second.stdout, second.stderr)
	}
	var rep transferReport
	if err := json.Unmarshal([]byte(second.stdout), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, second.stdout)
	}
	if rep.Archives != len(archives) || rep.States[journal.Verified] != len(archives) {
		t.Errorf("report: %+v", rep)
	}
	t.Logf("second run: %+v", rep.Result)

	checkObjects(t, s3, archives, journalPath)
	for k, n := range parts.ok {
		if n != 1 {
			t.Errorf("part %s uploaded %d times", k, n)
		}
	}
	jobs := map[string]int{}
	p := glacier.NewListJobsPaginator(s.sdk(), &glacier.ListJobsInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	for p.HasMorePages() {
		page, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range page.JobList {
			jobs[aws.ToString(j.ArchiveId)]++
		}
	}
	for id := range archives {
		if jobs[id] != 1 {
			t.Errorf("archive %s: %d retrieval jobs, want 1 (the clock stood still: the first never expired)", id, jobs[id])
		}
	}
	for u := range s3.c.ListIncompleteUploads(t.Context(), s3.bucket, "", true) {
		t.Errorf("incomplete upload left: %s %s", u.Key, u.UploadID)
	}

	// A third run deletes every archive after reading its object back.
	third := s.ok(append(args, "--delete-after-verify", "--output", "json")...)
	rep = transferReport{}
	if err := json.Unmarshal([]byte(third.stdout), &rep); err != nil || rep.States[journal.Deleted] != len(archives) || rep.Deleted != len(archives) {
		t.Fatalf("delete run: %v %+v", err, rep)
	}
	for id := range archives {
		_, err := s.sdk().InitiateJob(t.Context(), &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"),
			JobParameters: &types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id)}})
		if err == nil || !strings.Contains(err.Error(), "ResourceNotFound") {
			t.Errorf("archive %s after delete: InitiateJob %v, want ResourceNotFound", id, err)
		}
	}
}

// checkObjects reads every S3 object back and compares its bytes and
// metadata with the archive the journal says it holds.
func checkObjects(t *testing.T, s3 s3Target, archives map[string]vaultArchive, journalPath string) {
	t.Helper()
	j, err := journal.Open(t.Context(), journalPath, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	recs, err := j.Archives(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, r := range recs {
		keys[r.Key] = true
		a := archives[r.ID]
		obj, err := s3.c.GetObject(t.Context(), s3.bucket, r.Key, minio.GetObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(obj)
		info, serr := obj.Stat()
		obj.Close()
		if err != nil || serr != nil || !bytes.Equal(got, a.data) {
			t.Errorf("%s (%d bytes): read %d bytes, %v %v, equal %v", r.Key, len(a.data), len(got), err, serr, bytes.Equal(got, a.data))
			continue
		}
		desc, err := engine.DecodeDescription(info.UserMetadata[engine.MetaDescription])
		if info.UserMetadata[engine.MetaArchiveID] != r.ID || info.UserMetadata[engine.MetaTreeHash] != treeHex(a.data) ||
			err != nil || desc != a.desc || info.UserMetadata[engine.MetaCreation] == "" {
			t.Errorf("%s: metadata %v (description %q, %v), want archive %s description %q", r.Key, info.UserMetadata, desc, err, r.ID, a.desc)
		}
	}
	n := 0
	for o := range s3.c.ListObjects(t.Context(), s3.bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		if !keys[o.Key] {
			t.Errorf("unexpected object %s", o.Key)
		}
		n++
	}
	if n != len(archives) || len(keys) != len(archives) {
		t.Errorf("%d objects under %d keys for %d archives", n, len(keys), len(archives))
	}
}

package main

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/minio/minio-go/v7"

	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/journal"
)

// flipFirst returns the body with its first byte changed.
type flipFirst struct {
	io.ReadCloser
	done bool
}

func (f *flipFirst) Read(p []byte) (int, error) {
	n, err := f.ReadCloser.Read(p)
	if n > 0 && !f.done {
		p[0] ^= 0xff
		f.done = true
	}
	return n, err
}

// TestTransferCorruptRangeIsPartial corrupts one range of job output on the
// wire: that archive fails (its S3 object is not completed) while the others
// are copied, the run exits 4 (partial), and a second run completes it.
func TestTransferCorruptRangeIsPartial(t *testing.T) {
	t.Parallel()
	s3 := testS3(t)
	s := startServer(t)
	archives := fillVault(t, s)
	journalPath := filepath.Join(t.TempDir(), "v.transfer.db")
	var corrupted atomic.Bool
	e := withTransport(s.testEnv(), func(req *http.Request, resp *http.Response, err error) (*http.Response, error) {
		// Archive output only: the inventory is fetched without a Range.
		if err == nil && isOp(req, "GetJobOutput") && req.Header.Get("Range") != "" && resp.StatusCode/100 == 2 && corrupted.CompareAndSwap(false, true) {
			resp.Body = &flipFirst{ReadCloser: resp.Body}
		}
		return resp, err
	})
	args := []string{"--output", "json", "transfer", "v", "s3://" + s3.bucket, "--s3-endpoint", s3.endpoint,
		"--s3-access-key", s3.key, "--s3-secret-key", s3.secret, "--journal", journalPath, "--part-size", "8MiB"}
	r := s.runEnv(t.Context(), e, args...)
	var rep transferReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("exit %d: report %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	if r.code != exitPartial || len(rep.Failed) != 1 || rep.States[journal.Verified] != len(archives)-1 ||
		!strings.Contains(rep.Failed[0].Error, "but Glacier sent tree hash") {
		t.Fatalf("exit %d, report %+v, want exit %d and one archive failed on its range's tree hash", r.code, rep, exitPartial)
	}
	if _, err := s3.c.StatObject(t.Context(), s3.bucket, rep.Failed[0].Key, minio.StatObjectOptions{}); minio.ToErrorResponse(err).Code != "NoSuchKey" {
		t.Errorf("the failed archive's object %s: %v, want NoSuchKey", rep.Failed[0].Key, err)
	}
	s.ok(args...)
	checkObjects(t, s3, archives, journalPath)
}

// breakOff returns the first bytes of a body, then an error.
type breakOff struct {
	io.ReadCloser
	left int
}

func (b *breakOff) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errors.New("connection reset by peer")
	}
	n, err := b.ReadCloser.Read(p[:min(len(p), b.left)])
	b.left -= n
	return n, err
}

// TestTransferRefetchesBrokenBody cuts off the body of the first range of
// job output after 100 bytes: the range is fetched again and everything is
// copied in one run.
func TestTransferRefetchesBrokenBody(t *testing.T) {
	t.Parallel()
	s3 := testS3(t)
	s := startServer(t)
	archives := fillVault(t, s)
	journalPath := filepath.Join(t.TempDir(), "v.transfer.db")
	var broken atomic.Bool
	e := withTransport(s.testEnv(), func(req *http.Request, resp *http.Response, err error) (*http.Response, error) {
		if err == nil && isOp(req, "GetJobOutput") && req.Header.Get("Range") != "" && resp.ContentLength > 100 && broken.CompareAndSwap(false, true) {
			resp.Body = &breakOff{ReadCloser: resp.Body, left: 100}
		}
		return resp, err
	})
	r := s.runEnv(t.Context(), e, "transfer", "v", "s3://"+s3.bucket, "--s3-endpoint", s3.endpoint,
		"--s3-access-key", s3.key, "--s3-secret-key", s3.secret, "--journal", journalPath)
	if r.code != exitOK || !broken.Load() {
		t.Fatalf("exit %d (a body broken: %v)\n%s\n%s", r.code, broken.Load(), r.stdout, r.stderr)
	}
	checkObjects(t, s3, archives, journalPath)
}

package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/cmd/glacier/internal/download"
	"github.com/glacierd/glacierd/cmd/glacier/internal/upload"
	"github.com/glacierd/glacierd/internal/treehash"
)

const MiB = 1 << 20

// uploadJSON runs an upload with --output json and returns its result.
func (s *server) uploadJSON(args ...string) upload.Result {
	s.t.Helper()
	r := s.ok(append(append([]string{"upload"}, args...), "--output", "json")...)
	var res upload.Result
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		s.t.Fatalf("upload output %q: %v", r.stdout, err)
	}
	return res
}

func treeHex(b []byte) string {
	h := treehash.Sum(b)
	return hex.EncodeToString(h[:])
}

// partsStored returns how many parts an upload holds, over all ListParts
// pages.
func (s *server) partsStored(vault, uploadID string) int {
	s.t.Helper()
	n := 0
	p := glacier.NewListPartsPaginator(s.sdk(), &glacier.ListPartsInput{AccountId: aws.String("-"), VaultName: &vault, UploadId: &uploadID})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			s.t.Fatalf("list parts: %v", err)
		}
		n += len(page.Parts)
	}
	return n
}

func TestUploadRetrieveRoundTrip50MiB(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	file, data := randomFile(t, dir, 50*MiB)

	res := s.uploadJSON("v", file, "--multipart-threshold", "16MiB", "--concurrency", "4")
	if res.Parts != 4 || res.PartsSent != 4 || res.PartSize != 16*MiB || res.Size != 50*MiB || res.TreeHash != treeHex(data) {
		t.Fatalf("upload result %+v", res)
	}
	if n := s.requests("UploadMultipartPart"); n != 4 {
		t.Errorf("server saw %d UploadMultipartPart requests, want 4", n)
	}
	out := filepath.Join(dir, "restored")
	r := s.ok("retrieve", "v", res.ArchiveID, "-o", out, "--tier", "Expedited", "--concurrency", "4")
	got, err := os.ReadFile(out)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("restored file differs (%d bytes, %v)", len(got), err)
	}
	if !strings.Contains(r.stdout, res.TreeHash+" (verified)") || !strings.Contains(r.stderr, "started Expedited retrieval job") {
		t.Errorf("retrieve output:\n%s\n%s", r.stdout, r.stderr)
	}
	// 50 MiB over 4 workers: 16 MiB ranges, one request each.
	if n := s.requests("GetJobOutput"); n != 4 {
		t.Errorf("server saw %d GetJobOutput requests, want 4", n)
	}
	for _, leftover := range []string{out + download.PartialSuffix, out + download.StateSuffix} {
		if _, err := os.Stat(leftover); err == nil {
			t.Errorf("%s left behind", leftover)
		}
	}
	// The archive's description defaulted to the file name.
	if r := s.ok("inventory", "v", "--format", "csv"); !strings.Contains(r.stdout, ","+filepath.Base(file)+",") {
		t.Errorf("inventory lacks the default description:\n%s", r.stdout)
	}
}

func TestUploadSmallAndStdin(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	file, data := randomFile(t, dir, 3*MiB+5)
	res := s.uploadJSON("v", file, "-d", "")
	if res.UploadID != "" || res.Size != int64(len(data)) || res.TreeHash != treeHex(data) {
		t.Errorf("single upload: %+v", res)
	}
	if n := s.requests("UploadArchive"); n != 1 {
		t.Errorf("%d UploadArchive requests, want 1", n)
	}

	// A pipe of unknown size, larger than the threshold: multipart with
	// parts read one at a time per worker.
	e := s.testEnv()
	e.stdin = io.MultiReader(bytes.NewReader(data)) // not an *os.File: size unknown
	r := s.runEnv(context.Background(), e, "upload", "v", "-", "--multipart-threshold", "1MiB", "--part-size", "1MiB", "-c", "3", "--output", "json")
	var sres upload.Result
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &sres) != nil {
		t.Fatalf("stdin upload: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if sres.Parts != 4 || sres.TreeHash != treeHex(data) {
		t.Errorf("stdin multipart upload: %+v", sres)
	}
	out := filepath.Join(dir, "out")
	s.ok("retrieve", "v", sres.ArchiveID, "-o", out)
	if got, _ := os.ReadFile(out); !bytes.Equal(got, data) {
		t.Error("stdin upload did not round-trip")
	}

	// Text output names the archive, size and tree hash.
	e.stdin = strings.NewReader("hello, glacier\n")
	r = s.runEnv(context.Background(), e, "upload", "v", "-")
	for _, want := range []string{"Archive ID:", "Size:        15 bytes", "Tree hash:   " + treeHex([]byte("hello, glacier\n"))} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("upload text output lacks %q:\n%s%s", want, r.stdout, r.stderr)
		}
	}
}

func TestUploadResumesAfterKill(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	const parts = 60 // more than one ListParts page (the server's default is 50)
	file, data := randomFile(t, dir, parts*MiB-100)

	// Kill the upload (cancel its context, as Ctrl-C does) once 30 parts
	// have been stored.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stored atomic.Int32
	e := withTransport(s.testEnv(), func(req *http.Request, resp *http.Response, err error) (*http.Response, error) {
		if err == nil && isOp(req, "UploadMultipartPart") && resp.StatusCode == http.StatusNoContent && stored.Add(1) == 30 {
			cancel()
		}
		return resp, err
	})
	args := []string{"upload", "v", file, "--part-size", "1MiB", "-c", "4", "-d", "nightly backup"}
	r := s.runEnv(ctx, e, args...)
	if r.code != exitInterrupted || !strings.Contains(r.stderr, "glacier: interrupted") || !strings.Contains(r.stderr, "--resume ") {
		t.Fatalf("killed upload: exit %d\n%s", r.code, r.stderr)
	}
	before := s.settledRequests("UploadMultipartPart")
	uploadID := r.stderr[strings.Index(r.stderr, "--resume ")+len("--resume "):]
	uploadID = uploadID[:strings.IndexAny(uploadID, " \n")]
	have := s.partsStored("v", uploadID)
	if have < 30 || have >= parts {
		t.Fatalf("%d parts stored after the kill, want 30 to %d", have, parts-1)
	}

	// Resume by description: only the missing parts are sent.
	var sent atomic.Int32
	e = withTransport(s.testEnv(), func(req *http.Request, resp *http.Response, err error) (*http.Response, error) {
		if isOp(req, "UploadMultipartPart") {
			sent.Add(1)
		}
		return resp, err
	})
	r = s.runEnv(context.Background(), e, append(args, "--resume-auto", "--output", "json")...)
	var res upload.Result
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil {
		t.Fatalf("resume: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	missing := parts - have
	if int(sent.Load()) != missing || res.PartsSent != missing || res.PartsSkipped != have || !res.Resumed || res.UploadID != uploadID {
		t.Errorf("resume sent %d parts (result %+v); %d were missing", sent.Load(), res, missing)
	}
	if n := s.requests("UploadMultipartPart") - before; n != missing {
		t.Errorf("server received %d UploadMultipartPart requests on resume, want %d", n, missing)
	}
	if !strings.Contains(r.stderr, "resuming upload "+uploadID) {
		t.Errorf("resume notice missing: %s", r.stderr)
	}
	out := filepath.Join(dir, "out")
	s.ok("retrieve", "v", res.ArchiveID, "-o", out)
	if got, _ := os.ReadFile(out); !bytes.Equal(got, data) || res.TreeHash != treeHex(data) {
		t.Error("resumed upload did not round-trip")
	}
}

func TestUploadResumeByIDResendsChangedParts(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	file, data := randomFile(t, dir, 8*MiB)

	// Fail the transport after 5 parts: the upload stops with an error.
	var stored atomic.Int32
	e := withTransport(s.testEnv(), func(req *http.Request, resp *http.Response, err error) (*http.Response, error) {
		if isOp(req, "UploadMultipartPart") && stored.Add(1) > 5 {
			if resp != nil {
				resp.Body.Close()
			}
			return nil, errors.New("simulated network failure")
		}
		return resp, err
	})
	r := s.runEnv(context.Background(), e, "upload", "v", file, "--part-size", "1MiB", "-c", "1", "--max-attempts", "1")
	if r.code != exitError || !strings.Contains(r.stderr, "simulated network failure") || !strings.Contains(r.stderr, "glacier uploads abort v ") {
		t.Fatalf("failed upload: exit %d\n%s", r.code, r.stderr)
	}
	uploads := s.ok("uploads", "list", "v", "--output", "json").stdout
	var list []uploadJSON
	if err := json.Unmarshal([]byte(uploads), &list); err != nil || len(list) != 1 {
		t.Fatalf("uploads list: %v %s", err, uploads)
	}
	id := list[0].MultipartUploadId
	have := s.partsStored("v", id)

	// Change one byte inside an uploaded part: resuming must re-send it.
	data[2*MiB+17] ^= 1
	os.WriteFile(file, data, 0o644)
	var sent atomic.Int32
	e = withTransport(s.testEnv(), func(req *http.Request, resp *http.Response, err error) (*http.Response, error) {
		if isOp(req, "UploadMultipartPart") {
			sent.Add(1)
		}
		return resp, err
	})
	r = s.runEnv(context.Background(), e, "upload", "v", file, "--resume", id, "--output", "json")
	var res upload.Result
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil {
		t.Fatalf("resume: exit %d\n%s", r.code, r.stderr)
	}
	if want := 8 - have + 1; int(sent.Load()) != want || res.PartsSkipped != have-1 {
		t.Errorf("resume sent %d parts (%+v), want %d (missing plus the changed one)", sent.Load(), res, want)
	}
	if res.TreeHash != treeHex(data) {
		t.Errorf("archive tree hash %s, want the changed file's %s", res.TreeHash, treeHex(data))
	}
	// A resume of a finished upload fails clearly.
	if r := s.run("upload", "v", file, "--resume", id); r.code != exitError || !strings.Contains(r.stderr, "ListParts") {
		t.Errorf("resume of a completed upload: exit %d %q", r.code, r.stderr)
	}
	if r := s.run("uploads", "abort", "v", "no-such-upload"); r.code != exitError || !strings.Contains(r.stderr, "ResourceNotFoundException") {
		t.Errorf("abort unknown upload: exit %d %q", r.code, r.stderr)
	}
}

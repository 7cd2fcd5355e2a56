package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/glacierd/glacierd/cmd/glacier/internal/download"
)

// corruptOnce returns a transport hook that flips a byte in the body of the
// n-th GetJobOutput response (and drops the tree hash headers if strip).
func corruptOnce(n int32, strip bool, count *atomic.Int32) func(*http.Request, *http.Response, error) (*http.Response, error) {
	var mu sync.Mutex
	return func(req *http.Request, resp *http.Response, err error) (*http.Response, error) {
		if err != nil || !isOp(req, "GetJobOutput") {
			return resp, err
		}
		if strip {
			resp.Header.Del("X-Amz-Sha256-Tree-Hash")
		}
		if count.Add(1) != n {
			return resp, nil
		}
		mu.Lock()
		defer mu.Unlock()
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		b[len(b)/2] ^= 0x40
		resp.Body = io.NopCloser(bytes.NewReader(b))
		return resp, nil
	}
}

func TestCorruptedDownloadIsDetected(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	file, data := randomFile(t, dir, 6*MiB+1234)
	archive := s.uploadJSON("v", file).ArchiveID
	job := strings.TrimSpace(s.ok("retrieve", "v", archive, "--no-wait", "--tier", "Bulk").stdout)

	t.Run("range tree hash", func(t *testing.T) {
		out := filepath.Join(dir, "ranged")
		var n atomic.Int32
		e := withTransport(s.testEnv(), corruptOnce(2, false, &n))
		r := s.runEnv(context.Background(), e, "download", "v", job, "-o", out, "--range-size", "1MiB", "-c", "2")
		if r.code != exitCorrupt || !strings.Contains(r.stderr, "corrupted download: 1 range(s) failed tree-hash verification") ||
			!strings.Contains(r.stderr, out+".partial") {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatal("the corrupted download was given the final name")
		}
		if _, err := os.Stat(out + ".partial"); err != nil {
			t.Fatalf("no partial file kept: %v", err)
		}
		// Running again fetches only the bad range.
		n.Store(100)
		r = s.runEnv(context.Background(), e, "download", "v", job, "-o", out, "--output", "json")
		var res download.Result
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil {
			t.Fatalf("re-run: exit %d\n%s", r.code, r.stderr)
		}
		if n.Load() != 101 || res.RangesFetched != 1 || res.RangesReused != 6 || !res.Verified {
			t.Errorf("re-run made %d requests, result %+v", n.Load()-100, res)
		}
		if got, _ := os.ReadFile(out); !bytes.Equal(got, data) {
			t.Error("repaired download differs")
		}
	})

	t.Run("whole-file tree hash", func(t *testing.T) {
		out := filepath.Join(dir, "whole")
		var n atomic.Int32
		e := withTransport(s.testEnv(), corruptOnce(3, true, &n)) // no per-range hashes to catch it
		r := s.runEnv(context.Background(), e, "download", "v", job, "-o", out, "--range-size", "2MiB")
		if r.code != exitCorrupt || !strings.Contains(r.stderr, "corrupted download: the data received has tree hash") ||
			!strings.Contains(r.stderr, "but the job's is "+treeHex(data)) {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		r = s.run("download", "v", job, "-o", out)
		if got, _ := os.ReadFile(out); r.code != 0 || !bytes.Equal(got, data) {
			t.Errorf("re-run: exit %d %s", r.code, r.stderr)
		}
	})
}

func TestDownloadResumesAfterKill(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	file, data := randomFile(t, dir, 8*MiB)
	archive := s.uploadJSON("v", file).ArchiveID
	out := filepath.Join(dir, "out")

	// Kill the retrieval when the fifth range is requested.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int32
	e := withTransport(s.testEnv(), func(req *http.Request, resp *http.Response, err error) (*http.Response, error) {
		if isOp(req, "GetJobOutput") && n.Add(1) == 5 {
			cancel()
			if resp != nil {
				resp.Body.Close()
			}
			return nil, context.Canceled
		}
		return resp, err
	})
	r := s.runEnv(ctx, e, "retrieve", "v", archive, "-o", out, "--range-size", "1MiB", "-c", "2")
	if r.code != exitInterrupted || !strings.Contains(r.stderr, "run the same command again to resume") {
		t.Fatalf("killed download: exit %d\n%s", r.code, r.stderr)
	}
	st, err := download.LoadState(out + download.StateSuffix)
	if err != nil || st == nil || len(st.Completed) == 0 || len(st.Completed) == 8 {
		t.Fatalf("state after the kill: %+v, %v", st, err)
	}

	// The same command again reuses the job and fetches only the rest.
	n.Store(100)
	jobsBefore := s.requests("InitiateJob")
	r = s.runEnv(context.Background(), e, "retrieve", "v", archive, "-o", out, "--output", "json")
	var res download.Result
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil {
		t.Fatalf("resume: exit %d\n%s", r.code, r.stderr)
	}
	if s.requests("InitiateJob") != jobsBefore || !strings.Contains(r.stderr, "continuing with retrieval job") {
		t.Errorf("resume started a new job:\n%s", r.stderr)
	}
	if fetched := int(n.Load() - 100); fetched != 8-len(st.Completed) || res.RangesReused != len(st.Completed) || !res.Verified {
		t.Errorf("resume fetched %d ranges (result %+v); %d were done", fetched, res, len(st.Completed))
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, data) {
		t.Error("resumed download differs")
	}
}

package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/glacierd/glacierd/cmd/glacier/internal/download"
)

// truncatingBody ends a response body after n bytes with an error, as a
// dropped connection would.
type truncatingBody struct {
	r io.ReadCloser
	n int
}

func (b *truncatingBody) Read(p []byte) (int, error) {
	if b.n <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	p = p[:min(len(p), b.n)]
	k, err := b.r.Read(p)
	b.n -= k
	return k, err
}

func (b *truncatingBody) Close() error { return b.r.Close() }

func TestRetrieveToStandardOutput(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.ok("vault", "create", "v")
	file, data := randomFile(t, t.TempDir(), 5*MiB+123)
	res := s.uploadJSON("v", file)

	// The first response breaks off after 1 MiB; the stream continues from there.
	var calls atomic.Int32
	e := withTransport(s.testEnv(), func(req *http.Request, resp *http.Response, err error) (*http.Response, error) {
		if err == nil && isOp(req, "GetJobOutput") && calls.Add(1) == 1 {
			resp.Body = &truncatingBody{r: resp.Body, n: MiB}
		}
		return resp, err
	})
	r := s.runEnv(context.Background(), e, "retrieve", "v", res.ArchiveID, "-o", "-", "--tier", "Expedited")
	if r.code != 0 || !bytes.Equal([]byte(r.stdout), data) {
		t.Fatalf("retrieve -o -: exit %d, %d bytes on stdout (want %d)\n%s", r.code, len(r.stdout), len(data), r.stderr)
	}
	if !strings.Contains(r.stderr, "tree hash "+res.TreeHash+" (verified)") || calls.Load() != 2 {
		t.Errorf("stderr after %d GetJobOutput requests:\n%s", calls.Load(), r.stderr)
	}
	t.Logf("stderr: %s", r.stderr)
	if _, err := os.Stat("-" + download.StateSuffix); err == nil {
		t.Errorf("retrieve -o - left a state file %q in the working directory", "-"+download.StateSuffix)
	}

	// Damaged bytes cannot be taken back, but the exit status says so.
	e = withTransport(s.testEnv(), func(req *http.Request, resp *http.Response, err error) (*http.Response, error) {
		if err == nil && isOp(req, "GetJobOutput") {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			b[len(b)/2] ^= 0xff
			resp.Body = io.NopCloser(bytes.NewReader(b))
		}
		return resp, err
	})
	r = s.runEnv(context.Background(), e, "retrieve", "v", res.ArchiveID, "-o", "-", "--tier", "Expedited")
	if r.code != exitCorrupt || !strings.Contains(r.stderr, "corrupted output") {
		t.Fatalf("corrupted stream: exit %d\n%s", r.code, r.stderr)
	}
}

package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/glacierd/glacierd/internal/units"
)

// BenchmarkUpload measures the upload path of the command with its default
// settings (glacier upload VAULT FILE: 16 MiB parts, 4 in parallel), size
// from GLACIER_BENCH_SIZE (e.g. 256MiB; default 1GiB):
//
//	go test -run '^$' -bench BenchmarkUpload -benchtime 1x ./cmd/glacier
//
// "glacierd" is the whole round trip against an in-process glacierd on the
// same machine (reading the file, tree and SHA-256 hashing on both sides,
// the server storing and syncing the parts), comparable with the server-side
// benchmark. "sink" sends to a server that discards the bytes, isolating the
// command's own cost.
func BenchmarkUpload(b *testing.B) {
	size := units.GiB
	if v := os.Getenv("GLACIER_BENCH_SIZE"); v != "" {
		n, err := units.Parse(v)
		if err != nil || n <= 0 {
			b.Fatalf("GLACIER_BENCH_SIZE: %v", err)
		}
		size = n
	}
	file, _ := randomFile(b, b.TempDir(), int(size))
	b.Run("glacierd", func(b *testing.B) {
		s := startServer(b)
		s.ok("vault", "create", "bench")
		benchUpload(b, s.m.URL(), s.testEnv(), file, size)
	})
	b.Run("sink", func(b *testing.B) {
		sink := httptest.NewServer(http.HandlerFunc(sinkHandler))
		defer sink.Close()
		benchUpload(b, sink.URL, (&server{}).testEnv(), file, size)
	})
}

func benchUpload(b *testing.B, url string, e env, file string, size int64) {
	b.SetBytes(size)
	for b.Loop() {
		e.stdout, e.stderr = io.Discard, io.Discard
		if code := run(context.Background(), e, []string{"--endpoint-url", url, "upload", "bench", file, "--quiet"}); code != 0 {
			b.Fatalf("upload: exit %d", code)
		}
	}
}

// sinkHandler answers the upload operations without storing anything,
// echoing the tree hashes the client sent.
func sinkHandler(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	h := w.Header()
	h.Set("X-Amz-Sha256-Tree-Hash", r.Header.Get("X-Amz-Sha256-Tree-Hash"))
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/multipart-uploads"):
		h.Set("X-Amz-Multipart-Upload-Id", "sink")
		w.WriteHeader(http.StatusCreated)
	case r.Method == http.MethodPut:
		w.WriteHeader(http.StatusNoContent)
	default: // UploadArchive, CompleteMultipartUpload
		h.Set("X-Amz-Archive-Id", "sink")
		w.WriteHeader(http.StatusCreated)
	}
}

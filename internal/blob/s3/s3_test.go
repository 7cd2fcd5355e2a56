package s3_test

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/glacierd/glacierd/internal/blob/s3"
	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/storetest"
)

// The tests run against an in-process gofakes3 server, always, and against
// a real S3-compatible server when GLACIERD_TEST_S3 is set, to a URL of the
// form
//
//	http://ACCESS_KEY:SECRET_KEY@HOST:PORT/BUCKET_PREFIX
//
// (https:// for TLS), e.g. http://glacierd:glacierd-secret@127.0.0.1:9311/glacierd-test
// as scripts/start-s3.sh prints it. Each test creates buckets named
// BUCKET_PREFIX-<random>, so the credentials must allow creating buckets,
// and removes them when it ends. With GLACIERD_REQUIRE_INTEGRATION=1 an
// unset GLACIERD_TEST_S3 fails the real-server tests instead of skipping them.
const (
	envURL     = "GLACIERD_TEST_S3"
	envRequire = "GLACIERD_REQUIRE_INTEGRATION"
)

// server is an S3 endpoint to test against; cfg returns a Config of a fresh,
// empty bucket, removed when t ends.
type server struct {
	name string
	cfg  func(t *testing.T) s3.Config
}

// fakeServer starts an in-memory gofakes3 server for t. It serves HTTPS:
// over HTTP, minio-go signs payloads in aws-chunked framing, which gofakes3
// decodes for PutObject but stores verbatim for UploadPart.
func fakeServer(t *testing.T) server { return fakeServerWrapped(t, nil) }

// fakeServerWrapped is fakeServer with its handler passed through wrap
// (when not nil), for tests that make the server misbehave.
func fakeServerWrapped(t *testing.T, wrap func(http.Handler) http.Handler) server {
	h := gofakes3.New(s3mem.New(), gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	if wrap != nil {
		h = wrap(h)
	}
	ts := httptest.NewUnstartedServer(h)
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // TLS handshakes cut short by the client's retries
	ts.StartTLS()
	t.Cleanup(ts.Close)
	base := s3.Config{Endpoint: strings.TrimPrefix(ts.URL, "https://"), Secure: true, Transport: ts.Client().Transport,
		Bucket: "glacierd-test", AccessKey: "fake", SecretKey: "fake-secret"}
	return server{name: "gofakes3", cfg: func(t *testing.T) s3.Config {
		return freshBucket(t, base)
	}}
}

// realServer returns the server of GLACIERD_TEST_S3, or skips (or fails) t.
func realServer(t *testing.T) server {
	t.Helper()
	raw := os.Getenv(envURL)
	if raw == "" {
		if os.Getenv(envRequire) == "1" {
			t.Fatalf("%s is not set, and %s=1 forbids skipping: start a server with scripts/start-s3.sh DIR PORT and export the URL it prints",
				envURL, envRequire)
		}
		t.Skipf("%s is not set; start a server with scripts/start-s3.sh DIR PORT and export the URL it prints", envURL)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User == nil || u.Host == "" {
		t.Fatalf("%s must look like http://ACCESS:SECRET@HOST:PORT/BUCKET_PREFIX", envURL)
	}
	secret, _ := u.User.Password()
	base := s3.Config{Endpoint: u.Host, Secure: u.Scheme == "https", AccessKey: u.User.Username(), SecretKey: secret,
		Bucket: strings.Trim(u.Path, "/")}
	if base.Bucket == "" {
		base.Bucket = "glacierd-test"
	}
	return server{name: "real", cfg: func(t *testing.T) s3.Config { return freshBucket(t, base) }}
}

// servers returns the servers to test against: gofakes3, and the real one
// when it is configured (or required, which fails t if it is not).
func servers(t *testing.T) []server {
	all := []server{fakeServer(t)}
	if os.Getenv(envURL) != "" || os.Getenv(envRequire) == "1" {
		all = append(all, realServer(t))
	}
	return all
}

// freshBucket returns base with a new bucket name, and removes that bucket
// and everything in it when t ends.
func freshBucket(t *testing.T, base s3.Config) s3.Config {
	t.Helper()
	cfg := base
	cfg.Bucket = base.Bucket + "-" + strings.ToLower(rand.Text()[:12])
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c := rawClient(t, cfg)
		for u := range c.ListIncompleteUploads(ctx, cfg.Bucket, "", true) {
			if u.Err == nil {
				_ = c.RemoveIncompleteUpload(ctx, cfg.Bucket, u.Key)
			}
		}
		for o := range c.ListObjects(ctx, cfg.Bucket, minio.ListObjectsOptions{Recursive: true}) {
			if o.Err == nil {
				_ = c.RemoveObject(ctx, cfg.Bucket, o.Key, minio.RemoveObjectOptions{})
			}
		}
		if err := c.RemoveBucket(ctx, cfg.Bucket); err != nil && minio.ToErrorResponse(err).Code != "NoSuchBucket" {
			t.Errorf("removing bucket %s: %v", cfg.Bucket, err)
		}
	})
	return cfg
}

// rawClient returns a minio client of cfg's server, to look behind the Store.
func rawClient(t *testing.T, cfg s3.Config) *minio.Client {
	c, err := minio.New(cfg.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.Secure, Transport: cfg.Transport, Region: "us-east-1", BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func openStore(t *testing.T, cfg s3.Config) *s3.Store {
	t.Helper()
	s, err := s3.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBlobFake(t *testing.T) {
	srv := fakeServer(t)
	storetest.Blob(t, func(t *testing.T) glacier.BlobStore { return openStore(t, srv.cfg(t)) })
}

func TestBlobReal(t *testing.T) {
	srv := realServer(t)
	storetest.Blob(t, func(t *testing.T) glacier.BlobStore { return openStore(t, srv.cfg(t)) })
}

func TestInvalidKeys(t *testing.T) {
	s := openStore(t, fakeServer(t).cfg(t))
	for _, key := range []string{"", "/a", "a/", "a//b", "../a", "a/./b", "a b", "a.b", strings.Repeat("a", 201)} {
		if err := s.Put(t.Context(), key, strings.NewReader("x"), 1); err == nil {
			t.Errorf("Put(%q) succeeded", key)
		}
		if _, err := s.Open(t.Context(), key, 0, -1); err == nil || glacier.IsKind(err, glacier.KindNotFound) {
			t.Errorf("Open(%q) = %v, want an invalid key error", key, err)
		}
	}
}

func wantUnavailable(t *testing.T, what string, err error) {
	t.Helper()
	if !glacier.IsKind(err, glacier.KindUnavailable) {
		t.Errorf("%s = %v (kind %v), want KindUnavailable", what, err, glacier.KindOf(err))
	} else if !strings.Contains(glacier.MessageOf(err), "S3") {
		t.Errorf("%s: message %q does not name the archive store", what, glacier.MessageOf(err))
	}
}

// TestUnreachable stops the server under a Store: every call fails with
// KindUnavailable within seconds; Open of an unreachable endpoint too.
func TestUnreachable(t *testing.T) {
	ts := httptest.NewServer(gofakes3.New(s3mem.New(), gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	endpoint := strings.TrimPrefix(ts.URL, "http://")
	s := openStore(t, s3.Config{Endpoint: endpoint, Bucket: "b-unreachable", AccessKey: "a", SecretKey: "b"})
	if err := s.Put(t.Context(), "k", strings.NewReader("data"), 4); err != nil {
		t.Fatal(err)
	}
	ts.Close()
	start := time.Now()
	wantUnavailable(t, "Put", s.Put(t.Context(), "k2", strings.NewReader("data"), 4))
	wantUnavailable(t, "Put(size -1)", s.Put(t.Context(), "k3", strings.NewReader("data"), -1))
	_, err := s.Open(t.Context(), "k", 0, -1)
	wantUnavailable(t, "Open", err)
	_, err = s.Open(t.Context(), "k", 0, 0)
	wantUnavailable(t, "Open(empty range)", err)
	wantUnavailable(t, "Delete", s.Delete(t.Context(), "k"))
	wantUnavailable(t, "Ping", s.Ping(t.Context()))
	_, err = s3.Open(t.Context(), s3.Config{Endpoint: endpoint, Bucket: "b-other"})
	wantUnavailable(t, "Open of the store", err)
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("failing took %v", d)
	}
	t.Logf("7 calls failed in %v", time.Since(start))
}

// TestPrefixes checks that stores with different prefixes share a bucket
// without seeing each other's blobs, and how blobs are named.
func TestPrefixes(t *testing.T) {
	for _, srv := range servers(t) {
		t.Run(srv.name, func(t *testing.T) {
			cfg := srv.cfg(t)
			a, b := cfg, cfg
			a.Prefix, b.Prefix = "tenant-a", "/tenant-b/"
			sa, sb := openStore(t, a), openStore(t, b)
			if err := sa.Put(t.Context(), "x/y", strings.NewReader("from a"), 6); err != nil {
				t.Fatal(err)
			}
			if _, err := sb.Open(t.Context(), "x/y", 0, -1); !glacier.IsKind(err, glacier.KindNotFound) {
				t.Errorf("Open through the other prefix = %v, want KindNotFound", err)
			}
			if err := sb.Ping(t.Context()); err != nil {
				t.Errorf("Ping: %v", err)
			}
			var names []string
			for o := range rawClient(t, cfg).ListObjects(t.Context(), cfg.Bucket, minio.ListObjectsOptions{Recursive: true}) {
				if o.Err != nil {
					t.Fatal(o.Err)
				}
				names = append(names, o.Key)
			}
			if len(names) != 1 || names[0] != "tenant-a/x/y.blob" {
				t.Errorf("objects in the bucket: %q, want [tenant-a/x/y.blob]", names)
			}
		})
	}
}

// TestOpenExistingBucket opens stores, at once, on a bucket that does not
// exist yet and again on the one that does.
func TestOpenExistingBucket(t *testing.T) {
	for _, srv := range servers(t) {
		t.Run(srv.name, func(t *testing.T) {
			cfg := srv.cfg(t)
			errs := make(chan error, 4)
			for range cap(errs) {
				go func() {
					_, err := s3.Open(t.Context(), cfg)
					errs <- err
				}()
			}
			for range cap(errs) {
				if err := <-errs; err != nil {
					t.Errorf("concurrent Open: %v", err)
				}
			}
			openStore(t, cfg)
		})
	}
}

// errBroken is the error of a reader that breaks.
var errBroken = errors.New("broken reader")

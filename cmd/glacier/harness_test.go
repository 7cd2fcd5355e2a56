package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	glacierd "github.com/glacierd/glacierd/internal/app"
	"github.com/glacierd/glacierd/internal/testkit"
)

const (
	testAccount = "123456789012"
	testKey     = "AKIDGLACIERCLITEST"
	testSecret  = "glacier-cli-test-secret"
	testRegion  = "us-east-1"
)

// server is an in-process glacierd for the CLI to talk to.
type server struct {
	t testing.TB
	m *glacierd.Main
}

// startServer boots glacierd on a free port with a fresh data directory,
// jobs completing at once (time scale 0) on a fake clock unless mutate says
// otherwise (a nil Clock selects the wall clock).
func startServer(t testing.TB, mutate ...func(*glacierd.Main)) *server {
	t.Helper()
	m := &glacierd.Main{
		Config: glacierd.Config{
			Addr: "127.0.0.1:0", Data: t.TempDir(), Region: testRegion,
			AccessKey: testKey, SecretKey: testSecret, AccountID: testAccount,
			TimeScale: 0, ExpeditedOnDemand: 1000, ShutdownTimeout: 10 * time.Second,
			MaxSkew: 15 * time.Minute, LogFormat: "text", LogLevel: "error",
		},
		Clock:     testkit.NewFakeClock(time.Now().UTC().Truncate(time.Millisecond)),
		LogOutput: io.Discard,
	}
	for _, f := range mutate {
		f(m)
	}
	if err := m.Open(context.Background()); err != nil {
		t.Fatalf("open glacierd: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close glacierd: %v", err)
		}
	})
	return &server{t: t, m: m}
}

// result is what one run of the command produced.
type result struct {
	code           int
	stdout, stderr string
}

// testEnv returns an environment that reaches the server with the test
// credentials and ignores the machine's AWS configuration.
func (s *server) testEnv() env {
	return env{
		stdin: strings.NewReader(""),
		loadOptions: []func(*config.LoadOptions) error{
			config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(testKey, testSecret, "")),
			config.WithSharedConfigFiles([]string{}),
			config.WithSharedCredentialsFiles([]string{}),
		},
		getenv: func(string) string { return "" },
	}
}

// run runs the command against the server and returns what it did.
func (s *server) run(args ...string) result {
	s.t.Helper()
	return s.runEnv(context.Background(), s.testEnv(), args...)
}

// runEnv runs the command with e (its stdout and stderr are replaced).
func (s *server) runEnv(ctx context.Context, e env, args ...string) result {
	s.t.Helper()
	var out, errb bytes.Buffer
	e.stdout, e.stderr = &out, &testkit.SyncWriter{W: &errb}
	code := run(ctx, e, append([]string{"--endpoint-url", s.m.URL()}, args...))
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// ok runs the command and fails the test unless it succeeds.
func (s *server) ok(args ...string) result {
	s.t.Helper()
	r := s.run(args...)
	if r.code != 0 {
		s.t.Fatalf("glacier %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// sdk returns a plain SDK client for the server, to check what the CLI did.
func (s *server) sdk() *glacier.Client {
	return glacier.NewFromConfig(aws.Config{
		Region:      testRegion,
		Credentials: credentials.NewStaticCredentialsProvider(testKey, testSecret, ""),
	}, func(o *glacier.Options) {
		o.BaseEndpoint = aws.String(s.m.URL())
		o.Retryer = aws.NopRetryer{}
	})
}

// requests returns how many requests of an operation the server has
// answered, from its /metrics.
func (s *server) requests(op string) int {
	s.t.Helper()
	resp, err := http.Get(s.m.URL() + "/metrics")
	if err != nil {
		s.t.Fatalf("metrics: %v", err)
	}
	defer resp.Body.Close()
	n := 0.0
	prefix := `glacierd_requests_total{operation="` + op + `",`
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, prefix) {
			continue
		}
		v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
		if err != nil {
			s.t.Fatalf("metrics line %q: %v", line, err)
		}
		n += v
	}
	return int(n)
}

// settledRequests waits until the server's count of op requests stops
// changing (requests cut off by a cancelled client finish on the server a
// moment later) and returns it.
func (s *server) settledRequests(op string) int {
	s.t.Helper()
	last := s.requests(op)
	for range 50 {
		time.Sleep(100 * time.Millisecond)
		n := s.requests(op)
		if n == last {
			return n
		}
		last = n
	}
	return last
}

// randomFile writes n random bytes to a new file in dir and returns its
// path and contents.
func randomFile(t testing.TB, dir string, n int) (string, []byte) {
	t.Helper()
	b := make([]byte, n)
	_, _ = rand.Read(b)
	path := filepath.Join(dir, "data-"+strconv.Itoa(n))
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, b
}

// transport wraps an HTTP round tripper with a hook that sees (and may
// replace) every response.
type transport struct {
	base http.RoundTripper
	hook func(req *http.Request, resp *http.Response, err error) (*http.Response, error)
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	return t.hook(req, resp, err)
}

// withTransport returns e with an HTTP client whose responses pass through
// hook.
func withTransport(e env, hook func(*http.Request, *http.Response, error) (*http.Response, error)) env {
	e.httpClient = &http.Client{Transport: &transport{base: http.DefaultTransport.(*http.Transport).Clone(), hook: hook}}
	return e
}

// isOp reports whether req is the Glacier operation op, from its method and
// path.
func isOp(req *http.Request, op string) bool {
	p := req.URL.Path
	switch op {
	case "UploadMultipartPart":
		return req.Method == http.MethodPut && strings.Contains(p, "/multipart-uploads/")
	case "GetJobOutput":
		return req.Method == http.MethodGet && strings.HasSuffix(p, "/output")
	}
	return false
}

package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/smithy-go"

	"github.com/glacierd/glacierd/internal/app"
	"github.com/glacierd/glacierd/internal/testkit"
)

const (
	testAccount = "123456789012"
	testKey     = "AKIDGLACIERDTEST"
	testSecret  = "glacierd-test-secret"
	testRegion  = "us-east-1"
)

// env is one running glacierd and a client for it.
type env struct {
	t     *testing.T
	cfg   app.Config
	clock *testkit.FakeClock
	m     *app.Main
	gl    *glacier.Client
	logs  *bytes.Buffer
	// selectS3 carries glacierd's requests to --select-s3 (select_test.go).
	selectS3 http.RoundTripper
}

// start boots glacierd on a free port with a fresh data directory and a fake
// clock, and returns a client signed with the test credentials.
func start(t *testing.T, mutate ...func(*app.Config)) *env {
	t.Helper()
	cfg := app.Config{
		Addr:              "127.0.0.1:0",
		Data:              t.TempDir(),
		Region:            testRegion,
		AccessKey:         testKey,
		SecretKey:         testSecret,
		AccountID:         testAccount,
		TimeScale:         1,
		ExpeditedOnDemand: 1000,
		ShutdownTimeout:   10 * time.Second,
		MaxSkew:           15 * time.Minute,
		LogFormat:         "text",
		LogLevel:          "warn",
	}
	backend(t)(&cfg)
	for _, f := range mutate {
		f(&cfg)
	}
	e := &env{t: t, cfg: cfg, clock: testkit.NewFakeClock(time.Now().UTC().Truncate(time.Millisecond))}
	e.boot()
	t.Cleanup(func() {
		if e.m != nil {
			if err := e.m.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
		}
	})
	return e
}

func (e *env) boot() {
	e.t.Helper()
	e.logs = &bytes.Buffer{}
	e.m = &app.Main{Config: e.cfg, Clock: e.clock, LogOutput: &testkit.SyncWriter{W: e.logs}, SelectS3Transport: e.selectS3}
	if err := e.m.Open(context.Background()); err != nil {
		e.t.Fatalf("open glacierd: %v", err)
	}
	e.gl = e.client(testKey, testSecret)
}

// restart stops glacierd and starts it again on the same data directory
// (and a new port).
func (e *env) restart() {
	e.t.Helper()
	if err := e.m.Close(); err != nil {
		e.t.Fatalf("close: %v", err)
	}
	e.m = nil
	e.boot()
}

// client returns a Glacier client for the server signing with the given
// credentials. Retries are off so that error tests see the first answer.
func (e *env) client(key, secret string) *glacier.Client {
	return glacier.NewFromConfig(aws.Config{
		Region:      testRegion,
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, ""),
	}, func(o *glacier.Options) {
		o.BaseEndpoint = aws.String(e.m.URL())
		o.Retryer = aws.NopRetryer{}
	})
}

var ctx = context.Background()

// randomBytes returns n random bytes.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// wantAPIError asserts that err is the Glacier error code, with a message
// containing each of msgParts.
func wantAPIError(t *testing.T, err error, code string, msgParts ...string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got error %v, want API error %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("got error code %s (%q), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	for _, p := range msgParts {
		if !strings.Contains(ae.ErrorMessage(), p) {
			t.Errorf("error message %q does not contain %q", ae.ErrorMessage(), p)
		}
	}
}

// mustCreateVault creates a vault or fails the test.
func (e *env) mustCreateVault(name string) {
	e.t.Helper()
	if _, err := e.gl.CreateVault(ctx, &glacier.CreateVaultInput{AccountId: aws.String("-"), VaultName: aws.String(name)}); err != nil {
		e.t.Fatalf("create vault %s: %v", name, err)
	}
}

// upload stores data as an archive in vault and returns its ID and tree hash.
func (e *env) upload(vault string, data []byte, desc string) (id, hash string) {
	e.t.Helper()
	in := &glacier.UploadArchiveInput{AccountId: aws.String("-"), VaultName: aws.String(vault), Body: bytes.NewReader(data)}
	if desc != "" {
		in.ArchiveDescription = aws.String(desc)
	}
	out, err := e.gl.UploadArchive(ctx, in)
	if err != nil {
		e.t.Fatalf("upload %d bytes to %s: %v", len(data), vault, err)
	}
	return aws.ToString(out.ArchiveId), aws.ToString(out.Checksum)
}

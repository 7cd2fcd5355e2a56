package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConnectionAndCredentialErrors: failures before any answer from the
// service are explained in a line, in the "Operation: ..." form, not as the
// SDK's chain; and with an endpoint configured nothing waits for EC2's
// instance metadata service.
func TestConnectionAndCredentialErrors(t *testing.T) {
	dir := t.TempDir()
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_GLACIER", "AWS_EC2_METADATA_DISABLED",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "absent"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "absent"))
	plain := func(args ...string) result {
		var out, errb strings.Builder
		code := run(context.Background(), env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}, args)
		return result{code, out.String(), errb.String()}
	}

	// No credentials anywhere.
	start := time.Now()
	r := plain("--endpoint-url", "http://127.0.0.1:9", "vault", "list")
	want := "glacier: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use --profile NAME (glacierd's default key is test, secret test)\n"
	if r.code != exitError || r.stderr != want {
		t.Errorf("no credentials: exit %d\n%s", r.code, r.stderr)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("no credentials took %s: instance metadata was asked", took)
	}

	t.Setenv("AWS_ACCESS_KEY_ID", testKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", testSecret)

	// An endpoint without a scheme.
	r = plain("--endpoint-url", "127.0.0.1:8080", "vault", "list")
	if r.code != exitError || !strings.Contains(r.stderr, `endpoint "127.0.0.1:8080" has no scheme: use http://127.0.0.1:8080`) {
		t.Errorf("endpoint without scheme: exit %d\n%s", r.code, r.stderr)
	}

	// Nothing listening.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	r = plain("--endpoint-url", "http://"+addr, "--max-attempts", "1", "vault", "list")
	want = "glacier: ListVaults: cannot reach http://" + addr + " — is glacierd running? ("
	if r.code != exitError || !strings.HasPrefix(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("unreachable endpoint: exit %d\n%s", r.code, r.stderr)
	}
}

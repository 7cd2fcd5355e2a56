package main

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/smithy-go"
)

func TestVaultEmptyAndDeleteForceResume(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	dir := t.TempDir()
	cat := filepath.Join(dir, "catalog.db")
	s.ok("vault", "create", "v")
	for i := range 5 {
		file, _ := randomFile(t, dir, 1000+i)
		s.ok("upload", "v", file, "--catalog", cat)
	}
	// One archive the catalog does not know: only the inventory lists it.
	other, _ := randomFile(t, dir, 3000)
	s.ok("upload", "v", other, "--catalog", "off")

	// Without --yes or the vault's name on standard input, nothing happens.
	r := s.run("vault", "empty", "v", "--catalog", cat)
	if r.code != exitError || !strings.Contains(r.stderr, "not confirmed") || s.requests("DeleteArchive") != 0 {
		t.Fatalf("unconfirmed vault empty: exit %d\n%s", r.code, r.stderr)
	}
	e := s.testEnv()
	e.stdin = strings.NewReader("wrong\n")
	if r := s.runEnv(context.Background(), e, "vault", "delete", "v", "--force", "--catalog", cat); r.code != exitError || s.requests("DeleteArchive") != 0 {
		t.Fatalf("vault delete --force with the wrong name: exit %d\n%s", r.code, r.stderr)
	}

	// The third deletion's answer is lost: the run stops there.
	var n atomic.Int32
	e = withTransport(s.testEnv(), func(req *http.Request, resp *http.Response, err error) (*http.Response, error) {
		if req.Method == http.MethodDelete && strings.Contains(req.URL.Path, "/archives/") && n.Add(1) == 3 {
			if resp != nil {
				resp.Body.Close()
			}
			return nil, errors.New("connection reset by test")
		}
		return resp, err
	})
	e.stdin = strings.NewReader("v\n")
	r = s.runEnv(context.Background(), e, "vault", "empty", "v", "--concurrency", "1", "--max-attempts", "1", "--catalog", cat)
	if r.code != exitError || !strings.Contains(r.stderr, "deleted 2 of 6 archives; run the same command again to continue") {
		t.Fatalf("interrupted vault empty: exit %d\n%s", r.code, r.stderr)
	}
	if s.requests("InitiateJob") != 1 {
		t.Fatalf("%d inventory jobs, want 1", s.requests("InitiateJob"))
	}

	// Run again (as vault delete --force): the inventory job is reused and
	// the two recorded deletions are skipped.
	r = s.ok("vault", "delete", "v", "--force", "--yes", "--catalog", cat)
	t.Logf("stdout: %s", r.stdout)
	if !strings.Contains(r.stdout, "deleted 4 archives from vault v (2 more were deleted by an earlier run)") ||
		!strings.Contains(r.stdout, "deleted vault v") || !strings.Contains(r.stderr, "using inventory job") {
		t.Fatalf("resumed delete --force:\n%s\n%s", r.stdout, r.stderr)
	}
	if got := s.requests("InitiateJob"); got != 1 {
		t.Errorf("%d inventory jobs, want the first one reused", got)
	}
	if got := s.requests("DeleteArchive"); got != 7 { // 3 in the first run (the third's answer lost), 4 in the second
		t.Errorf("%d DeleteArchive requests, want 7", got)
	}
	_, err := s.sdk().DescribeVault(context.Background(), &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	if ae, ok := errors.AsType[smithy.APIError](err); !ok || ae.ErrorCode() != "ResourceNotFoundException" {
		t.Fatalf("vault still there: %v", err)
	}
	if list := s.catalogList("v", "--catalog", cat); len(list) != 0 {
		t.Errorf("catalog still lists %d archives of the deleted vault", len(list))
	}
}

package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/internal/treehash"
)

func TestHealthz(t *testing.T) {
	e := start(t)
	resp, err := http.Get(e.m.URL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("/healthz: %d", resp.StatusCode)
	}
}

// TestShutdownFinishesInFlightUploads starts an upload whose body arrives
// slowly, shuts the server down in the middle of it, and checks that the
// upload still completes (201) and is stored.
func TestShutdownFinishesInFlightUploads(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	data := randomBytes(3<<20 + 5)
	sum := sha256.Sum256(data)
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", e.m.URL()+"/-/vaults/v/archives", pr)
	req.ContentLength = int64(len(data))
	req.Header.Set("X-Amz-Glacier-Version", "2012-06-01")
	req.Header.Set("X-Amz-Sha256-Tree-Hash", hexOf(treehash.Sum(data)))
	req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
	req.Header.Set("Content-Length", strconv.Itoa(len(data)))
	if err := v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret}, req, hex.EncodeToString(sum[:]), "glacier", testRegion, time.Now()); err != nil {
		t.Fatal(err)
	}
	type result struct {
		resp *http.Response
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		done <- result{resp, err}
	}()
	if _, err := pw.Write(data[:1<<20]); err != nil {
		t.Fatal(err)
	}
	// The first megabyte may still sit in socket buffers; give the server
	// time to accept the connection and start the request.
	time.Sleep(300 * time.Millisecond)
	closed := make(chan error, 1)
	go func() { closed <- e.m.Close() }()
	time.Sleep(200 * time.Millisecond) // shutdown is now waiting for the upload
	select {
	case err := <-closed:
		t.Fatalf("Close returned before the in-flight upload finished: %v", err)
	default:
	}
	if _, err := pw.Write(data[1<<20:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	r := <-done
	if r.err != nil {
		t.Fatalf("upload during shutdown: %v", r.err)
	}
	r.resp.Body.Close()
	if r.resp.StatusCode != 201 {
		t.Fatalf("upload during shutdown: status %d", r.resp.StatusCode)
	}
	id := r.resp.Header.Get("X-Amz-Archive-Id")
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
	e.m = nil
	e.boot()
	e.assertArchive("v", id, data)
	if _, err := e.gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("v")}); err != nil {
		t.Error(err)
	}
}

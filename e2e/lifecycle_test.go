package e2e

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
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

// TestShutdownFinishesInFlightUploads starts an upload, shuts the server
// down in the middle of its body, and checks that the upload still
// completes (201) and is stored. The order comes from the wire, not from
// sleeps: the client sends the body only after the server's 100 Continue
// (the handler has begun reading it), the server closing an idle
// keep-alive connection shows that shutdown has begun (net/http's
// Shutdown closes idle connections first), and the upload's response
// saying Connection: close shows it was written during the shutdown.
func TestShutdownFinishesInFlightUploads(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	shutdownBegun := idleConnClosed(t, e.m.Addr)
	data := randomBytes(3<<20 + 5)
	pr, pw := io.Pipe()
	got100 := make(chan struct{})
	done := make(chan uploadResult, 1)
	go func() {
		resp, err := uploadClient().Do(signedUpload(t, e.m.URL()+"/-/vaults/v/archives", pr, data, got100))
		done <- uploadResult{resp, err}
	}()
	select {
	case <-got100: // the handler is reading the body: the upload is in flight
	case r := <-done:
		t.Fatalf("the upload ended before the server asked for its body: %v %v", r.resp, r.err)
	}
	if _, err := pw.Write(data[:1<<20]); err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	go func() { closed <- e.m.Close() }()
	<-shutdownBegun
	select {
	case err := <-closed:
		t.Fatalf("Close returned while an upload was in flight: %v", err)
	default: // and it cannot return until the rest of the body is sent
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
	if !r.resp.Close {
		t.Errorf("the upload's response does not close the connection: it was not answered during the shutdown")
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

type uploadResult struct {
	resp *http.Response
	err  error
}

// uploadClient returns a client that, for a request with Expect:
// 100-continue, sends no byte of the body before the server asks for it.
func uploadClient() *http.Client {
	return &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Hour}}
}

// signedUpload returns an UploadArchive request of data, signed with the
// test credentials, whose body is read from body; got100 is closed when
// the server asks for the body (100 Continue).
func signedUpload(t *testing.T, url string, body io.Reader, data []byte, got100 chan struct{}) *http.Request {
	t.Helper()
	sum := sha256.Sum256(data)
	trace := &httptrace.ClientTrace{Got100Continue: func() { close(got100) }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), "POST", url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len(data))
	req.Header.Set("X-Amz-Glacier-Version", "2012-06-01")
	req.Header.Set("X-Amz-Sha256-Tree-Hash", hexOf(treehash.Sum(data)))
	req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
	req.Header.Set("Content-Length", strconv.Itoa(len(data)))
	if err := v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: testKey, SecretAccessKey: testSecret}, req, hex.EncodeToString(sum[:]), "glacier", testRegion, time.Now()); err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Expect", "100-continue")
	return req
}

// idleConnClosed opens a keep-alive connection to the server at addr,
// makes one request on it and leaves it idle; the channel it returns is
// closed when the server closes that connection, as a shutdown does first.
func idleConnClosed(t *testing.T, addr string) <-chan struct{} {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", addr); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Close {
		t.Fatalf("/healthz on a keep-alive connection: status %d, close %v", resp.StatusCode, resp.Close)
	}
	closed := make(chan struct{})
	go func() {
		_, _ = br.ReadByte() // the server sends nothing more on an idle connection: this returns when it closes it
		close(closed)
	}()
	return closed
}

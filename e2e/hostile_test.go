package e2e

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/internal/app"
)

// cutOff bounds how long the server may take to answer or drop a hostile
// connection in these tests (whose timeouts are about a second): generous
// for a loaded 2-core CI machine under -race, far below "never".
const cutOff = 10 * time.Second

// headOnly is a request whose headers are sent on a raw connection and whose
// body is sent only by the test itself, if at all.
type headOnly struct {
	method, path  string
	contentLength int64  // declared; -1 for chunked
	payloadHash   string // x-amz-content-sha256 to declare and sign; "" signs the empty body's hash without declaring it
	header        map[string]string
	unsigned      bool
	badSecret     bool
}

// bytes serializes the request's head, signed with the test credentials.
func (h headOnly) bytes(t *testing.T, host string) []byte {
	t.Helper()
	req, err := http.NewRequest(h.method, "http://"+host+h.path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = h.contentLength
	req.Header.Set("X-Amz-Glacier-Version", "2012-06-01")
	for k, v := range h.header {
		req.Header.Set(k, v)
	}
	if !h.unsigned {
		ph := h.payloadHash
		if ph == "" {
			s := sha256.Sum256(nil)
			ph = hex.EncodeToString(s[:])
		} else {
			req.Header.Set("X-Amz-Content-Sha256", ph)
		}
		secret := testSecret
		if h.badSecret {
			secret = "not-the-secret"
		}
		if err := v4.NewSigner().SignHTTP(ctx, aws.Credentials{AccessKeyID: testKey, SecretAccessKey: secret}, req, ph, "glacier", testRegion, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", h.method, h.path, host)
	if h.contentLength >= 0 {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", h.contentLength)
	} else {
		b.WriteString("Transfer-Encoding: chunked\r\n")
	}
	_ = req.Header.Write(&b)
	b.WriteString("\r\n")
	return b.Bytes()
}

// readAnswer reads one response from c and returns its status and error code; it
// fails the test unless the answer arrives within cutOff.
func readAnswer(t *testing.T, c net.Conn, br *bufio.Reader) (int, string) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(cutOff))
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var eb struct{ Code string }
	_ = json.Unmarshal(body, &eb)
	if resp.StatusCode == http.StatusContinue {
		t.Fatalf("the server asked for the body (100 Continue) of a request it must refuse")
	}
	if !resp.Close {
		t.Errorf("answer %d %s does not say Connection: close", resp.StatusCode, eb.Code)
	}
	return resp.StatusCode, eb.Code
}

// closed waits for the server to close c and fails unless it does within
// cutOff.
func closed(t *testing.T, c net.Conn, br *bufio.Reader) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(cutOff))
	_, err := br.ReadByte()
	var ne net.Error
	if err == nil || errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the connection is still open after the answer: %v", err)
	}
}

// blobFiles counts the files of archive bytes (and temporary files) the
// embedded blob store holds; inventories, which reading the state may take,
// are left out. Other blob stores count 0.
func blobFiles(t *testing.T, e *env) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(e.cfg.Data, "archives"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(filepath.ToSlash(p), "/inventory/") {
			n++
		}
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDeclaredSizesRefusedFromHeaders sends only the headers of requests
// whose declared bodies glacierd must refuse, and expects AWS's error at once
// and the connection closed, with nothing stored. The bodies are never sent.
func TestDeclaredSizesRefusedFromHeaders(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	keep, _ := e.upload("v", []byte("keep"), "")
	m := e.initiateMP("v", 1<<20, "")
	before, files := e.snapshot(), blobFiles(t, e)

	anyHash := strings.Repeat("ab", 32)
	archives := "/-/vaults/v/archives"
	cases := []struct {
		name   string
		req    headOnly
		status int
		code   string
	}{
		{"5 GiB archive", headOnly{method: "POST", path: archives, contentLength: 5 << 30, payloadHash: anyHash,
			header: map[string]string{"X-Amz-Sha256-Tree-Hash": anyHash}}, 400, "InvalidParameterValueException"},
		{"2^63-1 archive, signature only checkable from the body", headOnly{method: "POST", path: archives, contentLength: math.MaxInt64,
			header: map[string]string{"X-Amz-Sha256-Tree-Hash": anyHash}}, 400, "InvalidParameterValueException"},
		{"5 GiB archive waiting for 100-continue", headOnly{method: "POST", path: archives, contentLength: 5 << 30, payloadHash: anyHash,
			header: map[string]string{"X-Amz-Sha256-Tree-Hash": anyHash, "Expect": "100-continue"}}, 400, "InvalidParameterValueException"},
		{"archive without Content-Length", headOnly{method: "POST", path: archives, contentLength: -1, payloadHash: anyHash,
			header: map[string]string{"X-Amz-Sha256-Tree-Hash": anyHash}}, 400, "MissingParameterValueException"},
		{"10 GiB access policy", headOnly{method: "PUT", path: "/-/vaults/v/access-policy", contentLength: 10 << 30}, 400, "InvalidParameterValueException"},
		{"10 GiB lock policy", headOnly{method: "POST", path: "/-/vaults/v/lock-policy", contentLength: 10 << 30}, 400, "InvalidParameterValueException"},
		{"1 GiB job parameters", headOnly{method: "POST", path: "/-/vaults/v/jobs", contentLength: 1 << 30}, 400, "InvalidParameterValueException"},
		{"1 GiB tags", headOnly{method: "POST", path: "/-/vaults/v/tags?operation=add", contentLength: 1 << 30}, 400, "InvalidParameterValueException"},
		{"part longer than its Content-Range", headOnly{method: "PUT", path: "/-/vaults/v/multipart-uploads/" + m.id, contentLength: 5 << 30,
			payloadHash: anyHash, header: map[string]string{"X-Amz-Sha256-Tree-Hash": anyHash, "Content-Range": "bytes 0-1048575/*"}}, 400, "InvalidParameterValueException"},
		{"part larger than the part size", headOnly{method: "PUT", path: "/-/vaults/v/multipart-uploads/" + m.id, contentLength: 2 << 20,
			payloadHash: anyHash, header: map[string]string{"X-Amz-Sha256-Tree-Hash": anyHash, "Content-Range": "bytes 0-2097151/*"}}, 400, "InvalidParameterValueException"},
		// Authentication comes first wherever the headers allow it.
		{"unauthenticated 5 GiB archive", headOnly{method: "POST", path: archives, contentLength: 5 << 30, unsigned: true}, 400, "MissingAuthenticationTokenException"},
		{"badly signed 5 GiB archive", headOnly{method: "POST", path: archives, contentLength: 5 << 30, payloadHash: anyHash, badSecret: true,
			header: map[string]string{"X-Amz-Sha256-Tree-Hash": anyHash}}, 403, "InvalidSignatureException"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", e.m.Addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			begin := time.Now()
			if _, err := conn.Write(c.req.bytes(t, e.m.Addr)); err != nil {
				t.Fatal(err)
			}
			br := bufio.NewReader(conn)
			status, code := readAnswer(t, conn, br)
			if status != c.status || code != c.code {
				t.Errorf("answer %d %s, want %d %s", status, code, c.status, c.code)
			}
			closed(t, conn, br)
			t.Logf("answered %d %s and closed in %v", status, code, time.Since(begin).Round(time.Millisecond))
		})
	}

	// An oversized chunked body (no Content-Length to refuse) is cut off
	// at the limit, not read to its end.
	t.Run("chunked 1 MiB access policy", func(t *testing.T) {
		conn, err := net.Dial("tcp", e.m.Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.Write(headOnly{method: "PUT", path: "/-/vaults/v/access-policy", contentLength: -1}.bytes(t, e.m.Addr)); err != nil {
			t.Fatal(err)
		}
		go func() { // the server stops reading at its limit, so this write may block until the close
			chunk := fmt.Sprintf("%x\r\n%s\r\n", 64<<10, bytes.Repeat([]byte("x"), 64<<10))
			for range 16 {
				if _, err := io.WriteString(conn, chunk); err != nil {
					return
				}
			}
		}()
		br := bufio.NewReader(conn)
		if status, code := readAnswer(t, conn, br); status != 400 || code != "InvalidParameterValueException" {
			t.Errorf("answer %d %s, want 400 InvalidParameterValueException", status, code)
		}
	})

	e.assertUnchanged(before)
	e.assertArchive("v", keep, []byte("keep"))
	if n := blobFiles(t, e); n != files {
		t.Errorf("the blob store holds %d files, %d before the refused requests", n, files)
	}
	_, err := e.gl.GetVaultAccessPolicy(ctx, &glacier.GetVaultAccessPolicyInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	wantAPIError(t, err, "ResourceNotFoundException")
}

// TestSlowClientsAreCutOff runs 50 clients that send their headers or their
// bodies a byte per second against a server with one-second timeouts (set
// through the new flags' Config fields): headers that never end, archive
// bodies (signature verified from the headers, or only at the body's end), a
// body sent to /healthz, which ignores it, and policy documents. Each is
// answered or dropped within cutOff, while a normal upload beside them
// completes and /healthz answers.
func TestSlowClientsAreCutOff(t *testing.T) {
	e := start(t, func(c *app.Config) {
		c.ReadHeaderTimeout = time.Second
		c.BodyIdleTimeout = time.Second
		c.BodyMinRate = 1024
		c.IdleTimeout = 5 * time.Second
	})
	e.mustCreateVault("v")
	anyHash := strings.Repeat("cd", 32)
	head := func(i int) []byte {
		switch i % 5 {
		case 0: // headers a byte at a time, never ending
			return []byte("POST /-/vaults/v/archives HTTP/1.1\r\nHost: " + e.m.Addr + "\r\nX-Amz-Glacier-Version: 2012-06-01\r\nX-Slow: ")
		case 1: // an archive body a byte at a time
			return headOnly{method: "POST", path: "/-/vaults/v/archives", contentLength: 1 << 20, payloadHash: anyHash,
				header: map[string]string{"X-Amz-Sha256-Tree-Hash": anyHash}}.bytes(t, e.m.Addr)
		case 2: // the same, its signature checkable only at the body's end
			return headOnly{method: "POST", path: "/-/vaults/v/archives", contentLength: 1 << 20,
				header: map[string]string{"X-Amz-Sha256-Tree-Hash": anyHash}}.bytes(t, e.m.Addr)
		case 3: // a body nobody reads, a byte at a time
			return []byte("GET /healthz HTTP/1.1\r\nHost: " + e.m.Addr + "\r\nContent-Length: 200\r\n\r\n")
		default: // a policy document a byte at a time
			return headOnly{method: "PUT", path: "/-/vaults/v/access-policy", contentLength: 200}.bytes(t, e.m.Addr)
		}
	}

	const clients = 50
	type outcome struct {
		i       int
		status  int // 0: dropped without an answer
		elapsed time.Duration
		err     error
	}
	outcomes := make(chan outcome, clients)
	var started sync.WaitGroup
	started.Add(clients)
	for i := range clients {
		go func() {
			o := outcome{i: i}
			defer func() { outcomes <- o }()
			conn, err := net.Dial("tcp", e.m.Addr)
			if err != nil {
				started.Done()
				o.err = err
				return
			}
			defer conn.Close()
			msg := head(i)
			// The head goes at once except for its last byte; then one
			// byte a second (of the head, or of the body).
			begin := time.Now()
			_, err = conn.Write(msg[:len(msg)-1])
			started.Done()
			if err != nil {
				o.err = err
				return
			}
			trickle := append([]byte{msg[len(msg)-1]}, bytes.Repeat([]byte{'a'}, 1000)...)
			stop := make(chan struct{})
			defer close(stop)
			go func() {
				tick := time.NewTicker(time.Second)
				defer tick.Stop()
				for _, b := range trickle {
					if _, err := conn.Write([]byte{b}); err != nil {
						return
					}
					select {
					case <-stop:
						return
					case <-tick.C:
					}
				}
			}()
			_ = conn.SetReadDeadline(begin.Add(cutOff + 5*time.Second))
			br := bufio.NewReader(conn)
			if resp, err := http.ReadResponse(br, nil); err == nil {
				o.status = resp.StatusCode
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			}
			_, err = io.Copy(io.Discard, br) // until the server closes
			o.elapsed = time.Since(begin)
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				o.err = fmt.Errorf("still open after %v", o.elapsed)
			}
		}()
	}
	started.Wait()

	// Beside them, a normal client is served.
	data := randomBytes(3<<20 + 17)
	id, _ := e.upload("v", data, "beside the slow clients")
	healthy(t, e)

	counts := map[int]int{}
	for range clients {
		o := <-outcomes
		switch {
		case o.err != nil:
			t.Errorf("client %d: %v", o.i, o.err)
		case o.elapsed > cutOff:
			t.Errorf("client %d: cut off after %v, want within %v", o.i, o.elapsed, cutOff)
		case o.i%5 == 3 && o.status != http.StatusOK:
			t.Errorf("client %d (healthz): answered %d, want 200", o.i, o.status)
		case o.i%5 != 3 && o.status != 0 && o.status != http.StatusRequestTimeout:
			t.Errorf("client %d: answered %d, want 408 or a dropped connection", o.i, o.status)
		}
		counts[o.status]++
	}
	t.Logf("outcomes by status (0: dropped): %v", counts)
	if counts[http.StatusRequestTimeout] == 0 {
		t.Errorf("no slow body was answered RequestTimeoutException")
	}
	e.assertArchive("v", id, data)
	healthy(t, e)
	if _, err := e.gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("v")}); err != nil {
		t.Errorf("after the slow clients: %v", err)
	}
}

func healthy(t *testing.T, e *env) {
	t.Helper()
	resp, err := http.Get(e.m.URL() + "/healthz")
	if err != nil {
		t.Fatalf("healthz: %v", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
}

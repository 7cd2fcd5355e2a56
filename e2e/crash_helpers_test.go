package e2e

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"github.com/aws/smithy-go"

	"github.com/glacierd/glacierd/internal/treehash"
)

// buildGlacierd compiles cmd/glacierd into a temporary directory, passing
// flags (such as -race) to go build, and returns the binary's path.
func buildGlacierd(t *testing.T, flags ...string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build glacierd with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "glacierd")
	args := append(append([]string{"build"}, flags...), "-o", bin, "github.com/glacierd/glacierd/cmd/glacierd")
	cmd := exec.Command(goBin, args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build glacierd: %v\n%s", err, out)
	}
	return bin
}

// crashServer is glacierd running as a child process.
type crashServer struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{} // closed once the process has exited and been reaped
	log  *os.File
}

// startCrashServer starts bin on data, on a free port, and waits until
// /healthz answers 200. Its log is appended to logPath.
func startCrashServer(t testing.TB, bin, data, logPath string) *crashServer {
	t.Helper()
	s, err := startGlacierd(bin, logPath, "--addr", "127.0.0.1:0", "--data", data,
		"--access-key", testKey, "--secret-key", testSecret, "--account-id", testAccount,
		"--time-scale", "0", "--expedited-on-demand", "100000", "--maintain-every", "50ms",
		"--log-level", "info")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.kill) // a no-op once the process has exited
	return s
}

// startGlacierd starts bin with args, its standard output and error
// appended to logPath, and waits until it logs the address it listens on
// (so args must keep the log level at info or below, and should ask for
// port 0) and /healthz answers 200 there. On error the process is killed;
// otherwise the caller must stop or kill it. It does not use a testing.T,
// so that several servers may be started at once.
func startGlacierd(bin, logPath string, args ...string) (*crashServer, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	addrc := make(chan string, 1)
	cmd := exec.Command(bin, args...)
	cmd.Stdout = logf
	cmd.Stderr = &listenSpotter{w: logf, addr: addrc}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start glacierd: %w", err)
	}
	s := &crashServer{cmd: cmd, done: make(chan struct{}), log: logf}
	go func() {
		_ = cmd.Wait()
		close(s.done)
	}()
	select {
	case addr := <-addrc:
		s.url = "http://" + addr
	case <-s.done:
		s.kill()
		return nil, fmt.Errorf("glacierd exited (%v) before listening; see %s", cmd.ProcessState, logPath)
	case <-time.After(30 * time.Second):
		s.kill()
		return nil, fmt.Errorf("glacierd did not start listening within 30s; see %s", logPath)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
			err = errors.New(resp.Status)
		}
		if time.Now().After(deadline) {
			s.kill()
			return nil, fmt.Errorf("glacierd /healthz not 200 within 30s (last: %v); see %s", err, logPath)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// kill sends SIGKILL and waits for the process to be reaped.
func (s *crashServer) kill() {
	select {
	case <-s.done:
	default:
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	s.log.Close()
}

// stop sends SIGTERM and waits for a clean exit.
func (s *crashServer) stop(t testing.TB) {
	t.Helper()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(60 * time.Second):
		s.kill()
		t.Fatal("glacierd did not exit within 60s of SIGTERM")
	}
	s.log.Close()
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("glacierd exited with status %d after SIGTERM", code)
	}
}

// terminate sends SIGTERM and waits up to grace for the process to exit,
// then kills it. The error says why the stop was not clean: the process
// had to be killed, or exited with a status other than 0.
func (s *crashServer) terminate(grace time.Duration) error {
	defer s.log.Close()
	select {
	case <-s.done:
		return fmt.Errorf("glacierd had exited before it was stopped: %v", s.cmd.ProcessState)
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(grace):
		s.kill()
		return fmt.Errorf("glacierd did not exit within %v of SIGTERM; killed", grace)
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		return fmt.Errorf("glacierd exited with status %d after SIGTERM", code)
	}
	return nil
}

// client returns a Glacier client for the server with retries off.
func (s *crashServer) client() *glacier.Client {
	return glacier.NewFromConfig(aws.Config{
		Region:      testRegion,
		Credentials: credentials.NewStaticCredentialsProvider(testKey, testSecret, ""),
	}, func(o *glacier.Options) {
		o.BaseEndpoint = aws.String(s.url)
		o.Retryer = aws.NopRetryer{}
	})
}

// listenSpotter passes the server's log through to w and sends the address
// of the "glacierd listening" line on addr, once.
type listenSpotter struct {
	w    io.Writer
	addr chan<- string
	mu   sync.Mutex
	buf  []byte
	sent bool
}

func (l *listenSpotter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.sent {
		l.buf = append(l.buf, p...)
		for {
			i := bytes.IndexByte(l.buf, '\n')
			if i < 0 {
				break
			}
			line := string(l.buf[:i])
			l.buf = l.buf[i+1:]
			if !strings.Contains(line, "glacierd listening") {
				continue
			}
			if _, rest, ok := strings.Cut(line, " addr="); ok {
				addr, _, _ := strings.Cut(rest, " ")
				l.addr <- addr
				l.sent, l.buf = true, nil
				break
			}
		}
	}
	return l.w.Write(p)
}

// crashBytes returns n deterministic pseudo-random bytes for seed.
func crashBytes(seed uint64, n int64) []byte {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	b := make([]byte, n)
	_, _ = rand.NewChaCha8(key).Read(b)
	return b
}

func hexHash(h [32]byte) string { return hex.EncodeToString(h[:]) }

// isResponse reports whether err carries an answer from the server (an API
// error), as opposed to a failure to send the request or read the answer.
func isResponse(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae)
}

// crashRetrieve downloads an archive through an Expedited retrieval job and
// returns its size and tree hash, computed from the bytes received.
func crashRetrieve(ctx context.Context, gl *glacier.Client, vault, id string) (int64, string, error) {
	job, err := gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String(vault),
		JobParameters: &types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String("Expedited")}})
	if err != nil {
		return 0, "", fmt.Errorf("initiate retrieval: %w", err)
	}
	out, err := gl.GetJobOutput(ctx, &glacier.GetJobOutputInput{AccountId: aws.String("-"), VaultName: aws.String(vault), JobId: job.JobId})
	if err != nil {
		return 0, "", fmt.Errorf("get output: %w", err)
	}
	defer out.Body.Close()
	h := treehash.New()
	n, err := io.Copy(h, out.Body)
	if err != nil {
		return n, "", fmt.Errorf("read output: %w", err)
	}
	got := hexHash(h.Root())
	if c := aws.ToString(out.Checksum); c != "" && c != got {
		return n, got, fmt.Errorf("output's x-amz-sha256-tree-hash %s, but its bytes hash to %s", c, got)
	}
	return n, got, nil
}

// crashInventory returns the vault's current inventory, from a JSON
// inventory-retrieval job.
func crashInventory(ctx context.Context, gl *glacier.Client, vault string) ([]inventoryEntry, error) {
	job, err := gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String(vault),
		JobParameters: &types.JobParameters{Type: aws.String("inventory-retrieval"), Format: aws.String("JSON")}})
	if err != nil {
		return nil, fmt.Errorf("initiate inventory: %w", err)
	}
	out, err := gl.GetJobOutput(ctx, &glacier.GetJobOutputInput{AccountId: aws.String("-"), VaultName: aws.String(vault), JobId: job.JobId})
	if err != nil {
		return nil, fmt.Errorf("get inventory: %w", err)
	}
	defer out.Body.Close()
	var doc inventoryDoc
	if err := json.NewDecoder(out.Body).Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode inventory: %w", err)
	}
	return doc.ArchiveList, nil
}

// crashUploads lists every active multipart upload of the vault, by
// description.
func crashUploads(ctx context.Context, gl *glacier.Client, vault string) (map[string]string, error) {
	ids := map[string]string{}
	var marker *string
	for {
		out, err := gl.ListMultipartUploads(ctx, &glacier.ListMultipartUploadsInput{AccountId: aws.String("-"), VaultName: aws.String(vault), Marker: marker})
		if err != nil {
			return nil, err
		}
		for _, u := range out.UploadsList {
			d := aws.ToString(u.ArchiveDescription)
			if _, dup := ids[d]; dup {
				return nil, fmt.Errorf("two active uploads with description %q", d)
			}
			ids[d] = aws.ToString(u.MultipartUploadId)
		}
		if marker = out.Marker; aws.ToString(marker) == "" {
			return ids, nil
		}
	}
}

// crashParts lists every part of an upload.
func crashParts(ctx context.Context, gl *glacier.Client, vault, id string) ([]types.PartListElement, error) {
	var parts []types.PartListElement
	var marker *string
	for {
		out, err := gl.ListParts(ctx, &glacier.ListPartsInput{AccountId: aws.String("-"), VaultName: aws.String(vault), UploadId: aws.String(id), Marker: marker})
		if err != nil {
			return nil, err
		}
		parts = append(parts, out.Parts...)
		if marker = out.Marker; aws.ToString(marker) == "" {
			return parts, nil
		}
	}
}

// tmpEntries returns the names left in the blob store's temporary directory.
func tmpEntries(t testing.TB, data string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(data, "archives", "tmp"))
	if err != nil {
		t.Fatalf("read the blob store's tmp directory: %v", err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

//go:build linux || darwin

package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/creack/pty"

	"github.com/glacierd/glacierd/cmd/glacier/internal/progress"
)

// screen replays terminal output the way a terminal shows it: carriage
// return, line feed and "erase to end of line" (ESC [ K) are obeyed, other
// escape sequences ignored. It returns the lines as they finally stand.
func screen(out []byte) []string {
	lines := [][]rune{{}}
	col := 0
	rs := []rune(string(out))
	for i := 0; i < len(rs); i++ {
		cur := &lines[len(lines)-1]
		switch r := rs[i]; {
		case r == '\r':
			col = 0
		case r == '\n':
			lines = append(lines, []rune{})
			col = 0
		case r == 0x1b && i+1 < len(rs) && rs[i+1] == '[':
			j := i + 2
			for j < len(rs) && (rs[j] < 0x40 || rs[j] > 0x7e) {
				j++
			}
			if j < len(rs) && rs[j] == 'K' && col < len(*cur) {
				*cur = (*cur)[:col]
			}
			i = j
		default:
			if col < len(*cur) {
				(*cur)[col] = r
			} else {
				*cur = append(*cur, r)
			}
			col++
		}
	}
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = strings.TrimRight(string(l), " ")
	}
	return s
}

// runOnTerminal runs the command with standard error on a pseudo-terminal,
// as a user at a shell would, and returns the exit status and the
// terminal's lines.
func (s *server) runOnTerminal(ctx context.Context, e env, args ...string) (int, []string) {
	s.t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		s.t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	var out bytes.Buffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = io.Copy(&out, ptmx) // ends with EIO once tty is closed
	}()
	var stdout bytes.Buffer
	e.stdout, e.stderr, e.tty = &stdout, tty, progress.IsTerminal(tty)
	if !e.tty {
		s.t.Fatal("the pseudo-terminal is not taken for a terminal")
	}
	code := run(ctx, e, append([]string{"--endpoint-url", s.m.URL()}, args...))
	tty.Close()
	<-done
	return code, screen(out.Bytes())
}

// TestProgressLineStaysCleanThroughResume runs an interrupted upload and
// download, and their resumptions, on a pseudo-terminal: the resumption
// messages must stand on lines of their own, not be glued onto the progress
// bar's line.
func TestProgressLineStaysCleanThroughResume(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	file, data := randomFile(t, dir, 8*MiB)

	// cancelAt returns an environment whose n-th request of op interrupts
	// the command, as Ctrl-C would.
	cancelAt := func(op string, n int32) (context.Context, env) {
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		var count atomic.Int32
		return ctx, withTransport(s.testEnv(), func(req *http.Request, resp *http.Response, err error) (*http.Response, error) {
			if isOp(req, op) && count.Add(1) == n {
				cancel()
			}
			return resp, err
		})
	}
	check := func(what string, lines []string, message string) {
		t.Helper()
		found := false
		for _, l := range lines {
			if i := strings.Index(l, message); i >= 0 {
				found = true
				if i > 0 {
					t.Errorf("%s: %q follows other text on its line:\n%q", what, message, l)
				}
			}
		}
		if !found {
			t.Errorf("%s: no %q on the terminal:\n%s", what, message, strings.Join(lines, "\n"))
		}
	}

	ctx, e := cancelAt("UploadMultipartPart", 3)
	code, _ := s.runOnTerminal(ctx, e, "upload", "v", file, "--part-size", "1MiB", "-c", "1")
	if code != exitInterrupted {
		t.Fatalf("interrupted upload: exit %d", code)
	}
	code, lines := s.runOnTerminal(context.Background(), s.testEnv(), "upload", "v", file, "--part-size", "1MiB", "--resume-auto")
	if code != 0 {
		t.Fatalf("resumed upload: exit %d\n%s", code, strings.Join(lines, "\n"))
	}
	check("upload", lines, "resuming upload")
	archive := s.uploadJSON("v", file).ArchiveID

	out := filepath.Join(dir, "out")
	ctx, e = cancelAt("GetJobOutput", 4)
	if code, _ := s.runOnTerminal(ctx, e, "retrieve", "v", archive, "-o", out, "--range-size", "1MiB", "-c", "1"); code != exitInterrupted {
		t.Fatalf("interrupted download: exit %d", code)
	}
	code, lines = s.runOnTerminal(context.Background(), s.testEnv(), "retrieve", "v", archive, "-o", out, "--range-size", "2MiB")
	if got, _ := os.ReadFile(out); code != 0 || !bytes.Equal(got, data) {
		t.Fatalf("resumed download: exit %d\n%s", code, strings.Join(lines, "\n"))
	}
	check("download", lines, "resuming download")
	check("download", lines, "continuing with the interrupted download's range size")
}

func TestScreen(t *testing.T) {
	got := screen([]byte("upload  10% |##  |\r\x1b[Kresuming\nab\rX\x1b[?25l\n"))
	want := []string{"resuming", "Xb", ""}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("screen = %q, want %q", got, want)
	}
}

package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Credentials glacierd is started with.
const (
	accessKey = "bench"
	secretKey = "bench-secret"
	accountID = "123456789012"
)

// buildGlacierd builds cmd/glacierd into dir and returns the binary's path.
func buildGlacierd(dir string) (string, error) {
	bin := filepath.Join(dir, "bin", "glacierd")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/glacierd/glacierd/cmd/glacierd")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build glacierd: %w", err)
	}
	return bin, nil
}

// proc is a running server: a child process, or glacierd in this process
// (-inprocess, for profiling).
type proc struct {
	name   string
	url    string
	pidv   int
	stopFn func() error // orderly stop
	killFn func()
}

// pid returns the server's process ID.
func (p *proc) pid() int { return p.pidv }

// stop asks the server to exit and waits.
func (p *proc) stop() error { return p.stopFn() }

func (p *proc) kill() { p.killFn() }

// startProc starts cmd, whose stdout or stderr (as pipe says) must print a
// line containing marker followed by its listening address, and waits
// until the address answers healthPath (if not empty) with 200.
func startProc(name string, cmd *exec.Cmd, logPath, marker, healthPath string) (*proc, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	done := make(chan error, 1)
	p := &proc{name: name, pidv: cmd.Process.Pid}
	p.killFn = func() {
		_ = cmd.Process.Kill()
		<-done //nolint:errcheck // the process was killed; how it ended does not matter
	}
	p.stopFn = func() error {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-done:
			return err
		case <-time.After(120 * time.Second):
			p.kill()
			return fmt.Errorf("%s did not exit within 120s of SIGTERM", p.name)
		}
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(logf, line)
			if _, rest, ok := strings.Cut(line, marker); ok && !sent {
				a, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
				addr <- a
				sent = true
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	go func() {
		err := cmd.Wait()
		_ = pw.Close()
		logf.Close()
		done <- err
	}()
	select {
	case a := <-addr:
		p.url = "http://" + a
	case err := <-done:
		return nil, fmt.Errorf("%s exited before listening (%v); log: %s", name, err, logPath)
	case <-time.After(60 * time.Second):
		p.kill()
		return nil, fmt.Errorf("%s did not listen within 60s; log: %s", name, logPath)
	}
	if healthPath == "" {
		return p, nil
	}
	return p, p.waitHealthy(healthPath)
}

// waitHealthy waits until the server answers path with 200.
func (p *proc) waitHealthy(path string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(p.url + path)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			p.kill()
			return fmt.Errorf("%s not healthy within 60s", p.name)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startGlacierd runs glacierd on data with --time-scale 0 and extra flags,
// logging to logs/name.log: the binary cfg.bin as a child process, or
// internal/app in this process with -inprocess.
func (cfg *config) startGlacierd(data, name string, extra ...string) (*proc, error) {
	args := append([]string{"--addr", "127.0.0.1:0", "--data", data,
		"--access-key", accessKey, "--secret-key", secretKey, "--account-id", accountID,
		"--time-scale", "0", "--log-level", "info"}, extra...)
	logPath := filepath.Join(cfg.logs, name+".log")
	if cfg.inprocess {
		return startInProcess(args, logPath)
	}
	return startProc("glacierd", exec.Command(cfg.bin, args...), logPath, `msg="glacierd listening" addr=`, "/healthz")
}

// startFloor runs this program in floor-server mode on dir.
func startFloor(dir, logPath string, linear bool) (*proc, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"-serve-floor", dir}
	if linear {
		args = append(args, "-floor-sha256")
	}
	return startProc("floor", exec.Command(self, args...), logPath, floorMarker, "")
}

// memStatus returns the VmHWM (peak resident set) and VmRSS of process pid,
// in bytes, from /proc/PID/status.
func memStatus(pid int) (hwm, rss int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || (k != "VmHWM" && k != "VmRSS") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("parse %s: %w", line, err)
		}
		if k == "VmHWM" {
			hwm = kb << 10
		} else {
			rss = kb << 10
		}
	}
	return hwm, rss, nil
}

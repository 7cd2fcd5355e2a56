package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/internal/app"
	"github.com/glacierd/glacierd/internal/testkit"
)

// requireStores skips t unless GLACIERD_TEST_POSTGRES and GLACIERD_TEST_S3
// are set (it fails t instead under GLACIERD_REQUIRE_INTEGRATION=1).
func requireStores(t *testing.T) {
	t.Helper()
	if os.Getenv("GLACIERD_TEST_POSTGRES") != "" && os.Getenv("GLACIERD_TEST_S3") != "" {
		return
	}
	if os.Getenv("GLACIERD_REQUIRE_INTEGRATION") == "1" {
		t.Fatal("GLACIERD_TEST_POSTGRES and GLACIERD_TEST_S3 must be set under GLACIERD_REQUIRE_INTEGRATION=1")
	}
	t.Skip("needs GLACIERD_TEST_POSTGRES and GLACIERD_TEST_S3 (scripts/start-postgres.sh, scripts/start-s3.sh)")
}

// cluster is several glacierd instances in this process on one PostgreSQL
// schema and one S3 key prefix, sharing a fake service clock.
type cluster struct {
	t     *testing.T
	clock *testkit.FakeClock
	mains []*app.Main
	dirs  []string // each instance's --data, which must stay empty
	logs  []*bytes.Buffer
}

// startCluster starts n instances of cfg (Addr and Data are set per
// instance).
func startCluster(t *testing.T, n int, cfg app.Config) *cluster {
	t.Helper()
	c := &cluster{t: t, clock: testkit.NewFakeClock(time.Now().UTC().Truncate(time.Millisecond))}
	for range n {
		cfg.Addr, cfg.Data = "127.0.0.1:0", t.TempDir()
		logs := &bytes.Buffer{}
		m := &app.Main{Config: cfg, Clock: c.clock, LogOutput: &testkit.SyncWriter{W: logs}}
		if err := m.Open(context.Background()); err != nil {
			t.Fatalf("open glacierd #%d: %v", len(c.mains), err)
		}
		c.mains, c.dirs, c.logs = append(c.mains, m), append(c.dirs, cfg.Data), append(c.logs, logs)
	}
	t.Cleanup(func() {
		for i, m := range c.mains {
			if err := m.Close(); err != nil {
				t.Errorf("close glacierd #%d: %v", i, err)
			}
			if t.Failed() {
				t.Logf("log of glacierd #%d:\n%s", i, c.logs[i])
			}
		}
	})
	return c
}

// distributedConfig is the configuration every instance of a cluster test
// shares: the given stores, the test credentials and, when sns is not "",
// job notifications to it.
// Its Tick is on the cluster's fake clock: each of the clock's advances
// runs a round of job completion and notification on every instance.
func distributedConfig(meta, blobs, key, secret string) app.Config {
	return app.Config{
		Meta: meta, Blobs: blobs, S3AccessKey: key, S3SecretKey: secret,
		Region: testRegion, AccessKey: testKey, SecretKey: testSecret, AccountID: testAccount,
		TimeScale: 1, ExpeditedOnDemand: 1_000_000, Tick: 10 * time.Millisecond,
		ShutdownTimeout: 10 * time.Second, MaxSkew: 15 * time.Minute, LogFormat: "text", LogLevel: "warn",
	}
}

// client returns a client of instance i signing with key and secret,
// without retries.
func (c *cluster) client(i int, key, secret string) *glacier.Client {
	return glacierClient(c.mains[i].URL(), key, secret)
}

// clients returns a client of each instance signing with the test key.
func (c *cluster) clients() []*glacier.Client {
	var out []*glacier.Client
	for i := range c.mains {
		out = append(out, c.client(i, testKey, testSecret))
	}
	return out
}

// glacierClient returns a client of the server at url signing with key
// and secret, without retries.
func glacierClient(url, key, secret string) *glacier.Client {
	return glacier.NewFromConfig(aws.Config{
		Region:      testRegion,
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, ""),
	}, func(o *glacier.Options) {
		o.BaseEndpoint = aws.String(url)
		o.Retryer = aws.NopRetryer{}
	})
}

// procCluster is several glacierd processes (the built cmd/glacierd, each
// with its own empty --data) on one PostgreSQL schema and one S3 key
// prefix.
type procCluster struct {
	servers []*crashServer
	dirs    []string // each process's --data, which must stay empty
	logs    []string // each process's log file
}

// procGrace is how long a process may take to exit after SIGTERM before it
// is killed.
const procGrace = 20 * time.Second

// startProcCluster builds glacierd (with the race detector when this test
// runs with it) and starts n processes of it at once, each run with args
// and its own --addr (port 0) and --data. When the test ends every process
// is sent SIGTERM, and killed if it has not exited within procGrace; a
// process that needed killing, exited with a status other than 0 or
// reported a data race fails the test, and on failure every process's log
// is printed.
func startProcCluster(t *testing.T, n int, args ...string) *procCluster {
	t.Helper()
	var flags []string
	if raceEnabled() {
		flags = append(flags, "-race")
	}
	bin := buildGlacierd(t, flags...)
	logDir := t.TempDir()
	c := &procCluster{}
	for i := range n {
		c.dirs = append(c.dirs, t.TempDir())
		c.logs = append(c.logs, filepath.Join(logDir, fmt.Sprintf("glacierd-%d.log", i)))
	}
	servers := make([]*crashServer, n)
	t.Cleanup(func() { c.stop(t, servers) })
	errs := make([]error, n)
	began := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		// Started together: the processes race to create the schema.
		wg.Go(func() {
			servers[i], errs[i] = startGlacierd(bin, c.logs[i],
				append(slices.Clone(args), "--addr", "127.0.0.1:0", "--data", c.dirs[i])...)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("glacierd #%d: %v", i, err)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	c.servers = servers
	t.Logf("%d glacierd processes serving after %v", n, time.Since(began).Round(time.Millisecond))
	return c
}

// stop stops the processes that were started and reports on them.
func (c *procCluster) stop(t *testing.T, servers []*crashServer) {
	errs := make([]error, len(servers))
	began := time.Now()
	var wg sync.WaitGroup
	for i, s := range servers {
		if s != nil {
			wg.Go(func() { errs[i] = s.terminate(procGrace) })
		}
	}
	wg.Wait()
	t.Logf("glacierd processes stopped %v after SIGTERM", time.Since(began).Round(time.Millisecond))
	for i, err := range errs {
		if err != nil {
			t.Errorf("glacierd #%d: %v", i, err)
		}
	}
	for i, path := range c.logs {
		b, err := os.ReadFile(path)
		if err != nil {
			if !os.IsNotExist(err) {
				t.Errorf("read the log of glacierd #%d: %v", i, err)
			}
			continue
		}
		if bytes.Contains(b, []byte("WARNING: DATA RACE")) {
			t.Errorf("glacierd #%d reported a data race", i)
		}
		if warn := logLines(b, "level=WARN", "level=ERROR"); len(warn) > 0 {
			t.Logf("glacierd #%d logged %d warnings and errors, the first:\n%s", i, len(warn), strings.Join(warn[:min(len(warn), 10)], "\n"))
		}
		if t.Failed() {
			const most = 256 << 10
			if len(b) > most {
				b = append([]byte("[…]"), b[len(b)-most:]...)
			}
			t.Logf("log of glacierd #%d (%s):\n%s", i, path, b)
		}
	}
}

// logLines returns the lines of log that contain any of subs.
func logLines(log []byte, subs ...string) []string {
	var out []string
	for line := range strings.Lines(string(log)) {
		for _, sub := range subs {
			if strings.Contains(line, sub) {
				out = append(out, strings.TrimSuffix(line, "\n"))
				break
			}
		}
	}
	return out
}

// urls returns each process's base URL.
func (c *procCluster) urls() []string {
	var out []string
	for _, s := range c.servers {
		out = append(out, s.url)
	}
	return out
}

// client returns a client of process i signing with key and secret,
// without retries.
func (c *procCluster) client(i int, key, secret string) *glacier.Client {
	return glacierClient(c.servers[i].url, key, secret)
}

// clients returns a client of each process signing with the test key.
func (c *procCluster) clients() []*glacier.Client {
	var out []*glacier.Client
	for i := range c.servers {
		out = append(out, c.client(i, testKey, testSecret))
	}
	return out
}

// raceEnabled reports whether this test binary was built with -race.
func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// writeCredentials writes a credentials file with the test key and
// accounts more keys AKIDRACEnn (secret race-secret-nn, account
// 2000000000nn), and returns its path.
func writeCredentials(t *testing.T, accounts int) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s\n", testKey, testSecret, testAccount)
	for i := range accounts {
		fmt.Fprintf(&b, "%s race-secret-%02d %s\n", raceKey(i), i, raceAccount(i))
	}
	path := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func raceKey(i int) string     { return fmt.Sprintf("AKIDRACE%02d", i) }
func raceAccount(i int) string { return fmt.Sprintf("2000000000%02d", i) }
func raceSecret(i int) string  { return fmt.Sprintf("race-secret-%02d", i) }

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// scratchDir returns a new directory that the postgres user can enter
// (t.TempDir's are private to the test's user, and the scripts run
// PostgreSQL as postgres when the tests run as root). It is removed when t
// ends, after the cleanups registered later.
func scratchDir(t *testing.T, prefix string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// script runs scripts/NAME with args and returns its standard output,
// trimmed.
func script(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join("..", "scripts", name), args...)
	// A durable cluster (fsync and synchronous_commit on): the throwaway
	// default loses commits acknowledged just before a crash.
	cmd.Env = append(os.Environ(), "GLACIERD_PG_DURABLE=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("scripts/%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// ownPostgres is a PostgreSQL cluster this test started and may stop.
type ownPostgres struct {
	dir  string
	port string
	url  string
}

func startOwnPostgres(t *testing.T) *ownPostgres {
	t.Helper()
	p := &ownPostgres{dir: filepath.Join(scratchDir(t, "glacierd-fault-pg-"), "pg"), port: strconv.Itoa(freePort(t))}
	p.url = script(t, "start-postgres.sh", p.dir, p.port)
	t.Cleanup(func() {
		if out, err := exec.Command(filepath.Join("..", "scripts", "stop-postgres.sh"), p.dir).CombinedOutput(); err != nil {
			t.Errorf("stop PostgreSQL: %v\n%s", err, out)
		}
	})
	return p
}

// crash stops the cluster at once (pg_ctl stop -m immediate: no shutdown
// checkpoint, sessions cut as by a crash).
func (p *ownPostgres) crash(t *testing.T) {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(bins) == 0 {
		t.Fatal("no pg_ctl in /usr/lib/postgresql/*/bin")
	}
	sort.Strings(bins)
	args := []string{bins[len(bins)-1], "-D", filepath.Join(p.dir, "data"), "-m", "immediate", "-w", "stop"}
	if os.Geteuid() == 0 {
		args = append([]string{"runuser", "-u", "postgres", "--"}, args...)
	}
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("pg_ctl stop -m immediate: %v\n%s", err, out)
	}
}

func (p *ownPostgres) start(t *testing.T) { script(t, "start-postgres.sh", p.dir, p.port) }

// ownS3 is a versitygw this test started and may kill.
type ownS3 struct {
	dir  string
	port string
	url  string // http://ACCESS:SECRET@HOST:PORT/BUCKET-PREFIX
}

func startOwnS3(t *testing.T) *ownS3 {
	t.Helper()
	s := &ownS3{dir: filepath.Join(scratchDir(t, "glacierd-fault-s3-"), "s3"), port: strconv.Itoa(freePort(t))}
	s.url = script(t, "start-s3.sh", s.dir, s.port)
	t.Cleanup(func() {
		if out, err := exec.Command(filepath.Join("..", "scripts", "stop-s3.sh"), s.dir).CombinedOutput(); err != nil {
			t.Errorf("stop versitygw: %v\n%s", err, out)
		}
	})
	return s
}

// kill sends SIGKILL to the versitygw this test started (by the process ID
// its start script recorded) and waits for it to be gone.
func (s *ownS3) kill(t *testing.T) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.dir, "versitygw.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9 %d: %v", pid, err)
	}
	for deadline := time.Now().Add(10 * time.Second); alive(pid); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("versitygw %d survived SIGKILL", pid)
		}
	}
}

// alive reports whether process pid exists and is not a zombie (a killed
// process whose parent has not reaped it yet).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no /proc: trust kill(0)
	}
	i := bytes.LastIndexByte(stat, ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}

func (s *ownS3) start(t *testing.T) { script(t, "start-s3.sh", s.dir, s.port) }

// blobs returns the --blobs value and credentials for the server's bucket.
func (s *ownS3) blobs(t *testing.T) (blobs, key, secret string) {
	t.Helper()
	u, err := url.Parse(s.url)
	if err != nil || u.User == nil {
		t.Fatalf("start-s3.sh printed %q", s.url)
	}
	secret, _ = u.User.Password()
	return "s3://" + strings.Trim(u.Path, "/") + "-fault/data?endpoint=" + u.Host + "&secure=false", u.User.Username(), secret
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"

	"github.com/glacierd/glacierd/internal/payloadhash"
)

// A scale-out setup: one or more glacierd processes on the same stores.
type setup struct {
	name      string
	instances int
	remote    bool // PostgreSQL + S3, else the embedded stores
}

// scaleResult is what the scaleout phase measured for one setup.
type scaleResult struct {
	upload []time.Duration // 1 GiB multipart upload, parts spread over the instances
	small  []float64       // DescribeVault/ListVaults requests per second
}

// smallFor is how long each small-request measurement runs, and with how
// many concurrent clients.
const (
	smallFor     = 3 * time.Second
	smallClients = 16
)

// services are the PostgreSQL and S3 servers the scaleout phase starts.
type services struct {
	pg, s3  string // GLACIERD_TEST_POSTGRES / _S3 style URLs
	dir     string
	stopped bool
}

// startServices runs scripts/start-postgres.sh (durable: fsync on) and
// scripts/start-s3.sh in dir; bench must run from the repository root.
func startServices(dir string) (*services, error) {
	run := func(env []string, script string, args ...string) (string, error) {
		cmd := exec.Command(script, args...)
		cmd.Env = append(os.Environ(), env...)
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		return strings.TrimSpace(string(out)), err
	}
	s := &services{dir: dir}
	// As root, the PostgreSQL script runs the server as the postgres user,
	// who must be able to reach its directory.
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	var err error
	if s.pg, err = run([]string{"GLACIERD_PG_DURABLE=1"}, "scripts/start-postgres.sh", filepath.Join(dir, "pg"), "55487"); err != nil {
		return nil, fmt.Errorf("start PostgreSQL (run bench from the repository root, with Debian's postgresql installed): %w", err)
	}
	if s.s3, err = run(nil, "scripts/start-s3.sh", filepath.Join(dir, "s3"), "55488"); err != nil {
		s.stop()
		return nil, fmt.Errorf("start S3: %w", err)
	}
	return s, nil
}

func (s *services) stop() {
	if s.stopped {
		return
	}
	s.stopped = true
	_ = exec.Command("scripts/stop-s3.sh", filepath.Join(s.dir, "s3")).Run()
	_ = exec.Command("scripts/stop-postgres.sh", filepath.Join(s.dir, "pg")).Run()
}

// storeFlags returns the glacierd flags that put it on the services' stores,
// in a schema and key prefix of their own.
func (s *services) storeFlags(schema string) []string {
	s3u := strings.TrimPrefix(s.s3, "http://")
	creds, hostPath, _ := strings.Cut(s3u, "@")
	key, secret, _ := strings.Cut(creds, ":")
	host, _, _ := strings.Cut(hostPath, "/")
	return []string{
		"--meta", s.pg + "&search_path=" + schema,
		"--blobs", "s3://glacierd-bench/" + schema + "?endpoint=" + host + "&secure=false",
		"--s3-access-key", key, "--s3-secret-key", secret,
	}
}

// scaleoutPhase compares a 1 GiB upload and small-request throughput on
// the embedded stores (one instance) and on PostgreSQL + S3 with one and
// three instances, interleaved, cfg.reps times.
func scaleoutPhase(ctx context.Context, cfg *config, r *report) error {
	svc, err := startServices(cfg.dir)
	if err != nil {
		return err
	}
	defer svc.stop()
	setups := []setup{{"embedded, 1 instance", 1, false}, {"PostgreSQL + S3, 1 instance", 1, true}, {"PostgreSQL + S3, 3 instances", 3, true}}
	data := bytesOf(7, cfg.multipart)
	job := newMultipartJob(data, cfg.partSize, hashBytes(data).tree)
	r.scale = map[string]*scaleResult{}
	for rep := range cfg.reps {
		for i := range setups {
			st := setups[(i+rep)%len(setups)]
			res := r.scale[st.name]
			if res == nil {
				res = &scaleResult{}
				r.scale[st.name] = res
			}
			if err := measureSetup(ctx, cfg, svc, st, rep, job, res); err != nil {
				return fmt.Errorf("%s: %w", st.name, err)
			}
		}
	}
	r.scaleOrder = []string{setups[0].name, setups[1].name, setups[2].name}
	return nil
}

// measureSetup starts the setup's instances on fresh stores, uploads job
// with its parts spread over them, and measures small-request throughput.
func measureSetup(ctx context.Context, cfg *config, svc *services, st setup, rep int, job *multipartJob, res *scaleResult) error {
	schema := fmt.Sprintf("bench_%d_%d", rep, st.instances)
	var clients []*glacier.Client
	for i := range st.instances {
		var extra []string
		if st.remote {
			extra = svc.storeFlags(schema)
			if i == 0 {
				if err := createSchema(ctx, svc.pg, schema); err != nil {
					return err
				}
			}
		}
		data := filepath.Join(cfg.dir, fmt.Sprintf("scale-%d-%d-%d", rep, st.instances, i))
		p, err := cfg.startGlacierd(data, fmt.Sprintf("scale-%s-%d-%d", strings.Fields(st.name)[0], rep, i), extra...)
		if err != nil {
			return err
		}
		defer func() { _ = p.stop() }()
		clients = append(clients, newClient(p.url))
	}
	if err := createVault(ctx, clients[0]); err != nil {
		return err
	}
	d, err := uploadSpread(ctx, clients, job, cfg.parallel)
	if err != nil {
		return err
	}
	res.upload = append(res.upload, d)
	rps, err := smallRequests(ctx, clients)
	if err != nil {
		return err
	}
	res.small = append(res.small, rps)
	return nil
}

// createSchema makes the schema a setup's instances share; the first
// instance's migrations create the tables in it.
func createSchema(ctx context.Context, pgURL, schema string) error {
	conn, err := pgx.Connect(ctx, pgURL)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(ctx) }()
	_, err = conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema)
	return err
}

// uploadSpread uploads job with parallel parts in flight, part i through
// clients[i % len(clients)], initiating on the first and completing on the
// last client.
func uploadSpread(ctx context.Context, clients []*glacier.Client, j *multipartJob, parallel int) (time.Duration, error) {
	start := time.Now()
	init, err := clients[0].InitiateMultipartUpload(ctx, &glacier.InitiateMultipartUploadInput{AccountId: aws.String("-"),
		VaultName: aws.String(vault), PartSize: aws.String(fmt.Sprint(j.partSize))})
	if err != nil {
		return 0, err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallel)
	for i, ph := range j.parts {
		off := int64(i) * j.partSize
		end := min(int64(len(j.data)), off+j.partSize)
		gl := clients[i%len(clients)]
		g.Go(func() error {
			_, err := gl.UploadMultipartPart(gctx, &glacier.UploadMultipartPartInput{AccountId: aws.String("-"),
				VaultName: aws.String(vault), UploadId: init.UploadId, Checksum: aws.String(ph.tree),
				Range: aws.String(fmt.Sprintf("bytes %d-%d/*", off, end-1)), Body: bytes.NewReader(j.data[off:end])},
				payloadhash.Option(ph.linear))
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	_, err = clients[len(clients)-1].CompleteMultipartUpload(ctx, &glacier.CompleteMultipartUploadInput{AccountId: aws.String("-"),
		VaultName: aws.String(vault), UploadId: init.UploadId, ArchiveSize: aws.String(fmt.Sprint(len(j.data))), Checksum: aws.String(j.tree)})
	return time.Since(start), err
}

// smallRequests runs smallClients goroutines, spread over the clients, each
// alternating DescribeVault and ListVaults for smallFor, and returns the
// requests per second they achieved together.
func smallRequests(ctx context.Context, clients []*glacier.Client) (float64, error) {
	var n atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, smallClients)
	deadline := time.Now().Add(smallFor)
	start := time.Now()
	for w := range smallClients {
		gl := clients[w%len(clients)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				var err error
				if i%2 == 0 {
					_, err = gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String(vault)})
				} else {
					_, err = gl.ListVaults(ctx, &glacier.ListVaultsInput{AccountId: aws.String("-")})
				}
				if err != nil {
					errs <- err
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, err
	}
	return float64(n.Load()) / time.Since(start).Seconds(), nil
}

// printScale prints the scaleout phase's table.
func (r *report) printScale(out io.Writer, cfg *config) {
	fmt.Fprintf(out, "scale-out, median of %d interleaved runs (%s multipart upload with %s parts, %d in flight, spread over the instances; %d clients alternating DescribeVault/ListVaults for %s):\n",
		cfg.reps, mib(cfg.multipart), mib(cfg.partSize), cfg.parallel, smallClients, smallFor)
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "\tupload MiB/s\tvs embedded\tsmall requests/s\tvs embedded\t")
	base := r.scale[r.scaleOrder[0]]
	bu, bs := mibps(cfg.multipart, median(base.upload)), medianF(base.small)
	for _, name := range r.scaleOrder {
		s := r.scale[name]
		u, q := mibps(cfg.multipart, median(s.upload)), medianF(s.small)
		fmt.Fprintf(w, "%s\t%.0f\t%.2f\t%.0f\t%.2f\t\n", name, u, u/bu, q, q/bs)
	}
	_ = w.Flush()
}

func medianF(xs []float64) float64 {
	ds := make([]time.Duration, len(xs))
	for i, x := range xs {
		ds[i] = time.Duration(x * 1000)
	}
	return float64(median(ds)) / 1000
}

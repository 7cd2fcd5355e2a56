package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// cliPhase compares the glacier CLI uploading a file of cfg.multipart bytes
// (it reads the file and computes both hashes itself, 16 MiB parts, 4 in
// flight) with this program's multipart upload of the same bytes, whose
// hashes are computed before the timed part, against one glacierd,
// interleaved cfg.reps times.
func cliPhase(ctx context.Context, cfg *config, r *report) error {
	cli := filepath.Join(cfg.dir, "bin", "glacier")
	build := exec.Command("go", "build", "-o", cli, "github.com/glacierd/glacierd/cmd/glacier")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build glacier: %w", err)
	}
	g, err := cfg.startGlacierd(filepath.Join(cfg.dir, "glacierd-cli"), "glacierd-cli")
	if err != nil {
		return err
	}
	defer func() { _ = g.stop() }()
	gc := newClient(g.url)
	if err := createVault(ctx, gc); err != nil {
		return err
	}
	data := bytesOf(11, cfg.multipart)
	file := filepath.Join(cfg.dir, "cli-upload.bin")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return err
	}
	defer os.Remove(file)
	if _, err := catFile(file); err != nil { // into the page cache
		return err
	}
	job := newMultipartJob(data, cfg.partSize, hashBytes(data).tree)
	env := append(os.Environ(), "AWS_ACCESS_KEY_ID="+accessKey, "AWS_SECRET_ACCESS_KEY="+secretKey,
		"AWS_ENDPOINT_URL_GLACIER="+g.url, "AWS_REGION=us-east-1", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	for rep := range cfg.reps {
		for i := range 2 {
			if (i+rep)%2 == 0 {
				id, d, err := uploadMultipart(ctx, gc, job, cfg.parallel, false)
				if err == nil {
					err = deleteArchive(ctx, gc, id)
				}
				if err != nil {
					return err
				}
				r.cliServer = append(r.cliServer, d)
				continue
			}
			cmd := exec.CommandContext(ctx, cli, "upload", vault, file, "--quiet", "--part-size", fmt.Sprint(cfg.partSize),
				"--concurrency", fmt.Sprint(cfg.parallel), "--multipart-threshold", "1", "--output", "json")
			var stdout bytes.Buffer
			cmd.Env, cmd.Stdout = env, &stdout
			out, err := os.CreateTemp(cfg.logs, "cli-*.log")
			if err != nil {
				return err
			}
			cmd.Stderr = out
			start := time.Now()
			err = cmd.Run()
			r.cli = append(r.cli, time.Since(start))
			out.Close()
			if err != nil {
				return fmt.Errorf("glacier upload (log in %s): %w", out.Name(), err)
			}
			var res struct{ ArchiveID string }
			if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
				return fmt.Errorf("glacier upload printed %q: %w", stdout.String(), err)
			}
			if err := deleteArchive(ctx, gc, res.ArchiveID); err != nil {
				return err
			}
		}
	}
	return nil
}

// printCLI prints the cli phase's comparison.
func (r *report) printCLI(out io.Writer, cfg *config) {
	s, c := mibps(cfg.multipart, median(r.cliServer)), mibps(cfg.multipart, median(r.cli))
	fmt.Fprintf(out, "CLI upload of a %s file (%s parts, %d in flight), median of %d interleaved runs: glacier %.0f MiB/s (%s), bench client with precomputed hashes %.0f MiB/s (%s); ratio %.2f, target ≥0.80 %s\n",
		mib(cfg.multipart), mib(cfg.partSize), cfg.parallel, cfg.reps, c, spread(cfg.multipart, r.cli), s, spread(cfg.multipart, r.cliServer), c/s, verdict(c/s >= 0.8))
}

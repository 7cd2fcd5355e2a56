package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
)

// target is a server under measurement.
type target struct {
	name     string
	p        *proc
	gl       *glacier.Client
	unsigned bool // send x-amz-content-sha256: UNSIGNED-PAYLOAD (diagnostic)
}

// linear returns the x-amz-content-sha256 the target is sent.
func (t target) linear(h hashes) hashes {
	if t.unsigned {
		h.linear = "UNSIGNED-PAYLOAD"
	}
	return h
}

func createVault(ctx context.Context, c *glacier.Client) error {
	_, err := c.CreateVault(ctx, &glacier.CreateVaultInput{AccountId: aws.String("-"), VaultName: aws.String(vault)})
	return err
}

// uploadPhase compares uploads to glacierd with uploads to the floor,
// interleaved, then (same glacierd process) downloads against cat.
func uploadPhase(ctx context.Context, cfg *config, r *report) error {
	fl, err := startFloor(filepath.Join(cfg.dir, "floor"), filepath.Join(cfg.logs, "floor.log"), false)
	if err != nil {
		return err
	}
	defer fl.kill()
	fls, err := startFloor(filepath.Join(cfg.dir, "floor-sha256"), filepath.Join(cfg.logs, "floor-sha256.log"), true)
	if err != nil {
		return err
	}
	defer fls.kill()
	data := filepath.Join(cfg.dir, "glacierd")
	g, err := cfg.startGlacierd(data, "glacierd-upload")
	if err != nil {
		return err
	}
	defer func() { _ = g.stop() }()
	gc := newClient(g.url)
	targets := []target{{name: "floor", p: fl, gl: newClient(fl.url)}, {name: "floor+sha256", p: fls, gl: newClient(fls.url)},
		{name: "glacierd", p: g, gl: gc}, {name: "glacierd unsigned", p: g, gl: gc, unsigned: true}}
	if err := createVault(ctx, gc); err != nil {
		return err
	}

	if cfg.only["upload"] {
		single := bytesOf(1, cfg.single)
		start := time.Now()
		sh := hashBytes(single)
		r.clientHash = float64(cfg.single) / time.Since(start).Seconds()
		mdata := bytesOf(2, cfg.multipart)
		mjob := newMultipartJob(mdata, cfg.partSize, hashBytes(mdata).tree)
		r.single = map[string][]time.Duration{}
		r.multi = map[string][]time.Duration{}
		for rep := range cfg.reps {
			for i := range targets {
				t := targets[(i+rep)%len(targets)]
				id, d, err := uploadSingle(ctx, t.gl, bytes.NewReader(single), t.linear(sh), true)
				if err == nil {
					err = deleteArchive(ctx, t.gl, id)
				}
				if err != nil {
					return fmt.Errorf("%s: %w", t.name, err)
				}
				r.single[t.name] = append(r.single[t.name], d)
			}
			for i := range targets {
				t := targets[(i+rep)%len(targets)]
				id, d, err := uploadMultipart(ctx, t.gl, mjob, cfg.parallel, t.unsigned)
				if err == nil {
					err = deleteArchive(ctx, t.gl, id)
				}
				if err != nil {
					return fmt.Errorf("%s: %w", t.name, err)
				}
				r.multi[t.name] = append(r.multi[t.name], d)
			}
		}
		// What the SDK costs when it hashes the body itself (context only).
		_, d, err := uploadSingle(ctx, targets[0].gl, bytes.NewReader(single), sh, false)
		if err != nil {
			return err
		}
		r.sdkHashing = d
		r.uploadHWM, _, _ = memStatus(g.pid())
	}
	if cfg.only["download"] {
		if err := downloadPhase(ctx, cfg, r, targets[0], targets[2], data); err != nil {
			return err
		}
	}
	return nil
}

// downloadPhase stores an archive with UploadArchive, then reads it back
// with ranged GetJobOutput requests in parallel, interleaved with cat of the
// blob file glacierd stored it in and with the same requests to the floor,
// which serves that file.
func downloadPhase(ctx context.Context, cfg *config, r *report, fl, g target, data string) error {
	body := newStream(3, cfg.download)
	h := hashReader(func() io.Reader { return newStream(3, cfg.download) })
	id, _, err := uploadSingle(ctx, g.gl, body, h, true)
	if err != nil {
		return err
	}
	blob, err := findBlob(filepath.Join(data, "archives", "blobs"), cfg.download)
	if err != nil {
		return err
	}
	job, err := g.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String(vault),
		JobParameters: &types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String("Expedited")}})
	if err != nil {
		return fmt.Errorf("InitiateJob: %w", err)
	}
	gget := func() (time.Duration, error) {
		return downloadRanges(ctx, g.gl, aws.ToString(job.JobId), cfg.download, cfg.ranges)
	}
	fget := func() (time.Duration, error) {
		return downloadRanges(ctx, fl.gl, floorJob(blob), cfg.download, cfg.ranges)
	}
	tcp := func() (time.Duration, error) { return plainTCP(blob, cfg.download, cfg.ranges) }
	cat := func() (time.Duration, error) { return catFile(blob) }
	cold := []measurement{{&r.coldCat, cat}, {&r.coldFloorGet, fget}, {&r.coldGet, gget}}
	if err := interleave(cfg.reps, cold, func() error { return dropCache(blob) }); err != nil {
		return err
	}
	if _, err := catFile(blob); err != nil { // all read the page cache from here on
		return err
	}
	warm := []measurement{{&r.cat, cat}, {&r.floorGet, fget}, {&r.get, gget},
		{&r.catPipe, func() (time.Duration, error) { return catIntoReader(blob) }}, {&r.plainTCP, tcp}}
	if err := interleave(cfg.reps, warm, nil); err != nil {
		return err
	}
	r.downloadHWM, _, _ = memStatus(g.p.pid())
	return nil
}

// findBlob returns the newest file of exactly size bytes under dir.
func findBlob(dir string, size int64) (string, error) {
	var best string
	var bestTime time.Time
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.Size() == size && fi.ModTime().After(bestTime) {
			best, bestTime = p, fi.ModTime()
		}
		return nil
	})
	if err == nil && best == "" {
		err = fmt.Errorf("no blob file of %d bytes under %s", size, dir)
	}
	return best, err
}

// rssPhase streams one large archive into a fresh glacierd and reads its
// peak resident set.
func rssPhase(ctx context.Context, cfg *config, r *report) error {
	data := filepath.Join(cfg.dir, "glacierd-rss")
	defer func() { _ = os.RemoveAll(data) }()
	h := hashReader(func() io.Reader { return newStream(4, cfg.rss) })
	g, err := cfg.startGlacierd(data, "glacierd-rss")
	if err != nil {
		return err
	}
	defer func() { _ = g.stop() }()
	c := newClient(g.url)
	if err := createVault(ctx, c); err != nil {
		return err
	}
	r.idleHWM, _, _ = memStatus(g.pid())
	_, d, err := uploadSingle(ctx, c, newStream(4, cfg.rss), h, true)
	if err != nil {
		return err
	}
	r.rssUpload = d
	r.rssHWM, _, err = memStatus(g.pid())
	return err
}

// inventoryPhase fills a vault's metadata with cfg.archives records while
// glacierd is stopped, then times JSON and CSV inventories, each in a fresh
// glacierd process so that each peak RSS is its own.
func inventoryPhase(ctx context.Context, cfg *config, r *report) error {
	data := filepath.Join(cfg.dir, "glacierd-inventory")
	defer func() { _ = os.RemoveAll(data) }()
	// No background work: the GetJobOutput call prepares the document.
	extra := []string{"--maintain-every", "0"}
	if cfg.tick {
		extra = append(extra, "--tick", "0")
	}
	g, err := cfg.startGlacierd(data, "glacierd-inventory", extra...)
	if err != nil {
		return err
	}
	err = createVault(ctx, newClient(g.url))
	if serr := g.stop(); err == nil {
		err = serr
	}
	if err != nil {
		return err
	}
	if r.insert, err = insertArchives(ctx, data, cfg.archives, cfg.batch); err != nil {
		return err
	}
	for _, format := range []string{"JSON", "CSV"} {
		g, err := cfg.startGlacierd(data, "glacierd-inventory-"+format, extra...)
		if err != nil {
			return err
		}
		d, n, err := inventoryRun(ctx, newClient(g.url), format)
		hwm, _, _ := memStatus(g.pid())
		if serr := g.stop(); err == nil {
			err = serr
		}
		if err != nil {
			return fmt.Errorf("%s inventory: %w", format, err)
		}
		r.inventory = append(r.inventory, inventoryResult{format: format, took: d, bytes: n, hwm: hwm})
	}
	return nil
}

package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// report collects the measurements of one run.
type report struct {
	dd         float64 // bytes/s
	clientHash float64 // bytes/s of computing both hashes, before the timed part
	sdkHashing time.Duration
	single     map[string][]time.Duration // by target
	multi      map[string][]time.Duration
	uploadHWM  int64

	cat, get []time.Duration
	catPipe  []time.Duration // cat into a pipe this process reads
	floorGet []time.Duration
	plainTCP []time.Duration // the ranges over plain loopback TCP, no HTTP
	// the same reads with the stored file dropped from the page cache first
	coldCat, coldFloorGet, coldGet []time.Duration
	downloadHWM                    int64

	idleHWM, rssHWM int64
	rssUpload       time.Duration

	insert    time.Duration
	inventory []inventoryResult

	cli, cliServer []time.Duration // glacier upload; the bench client's upload

	scale      map[string]*scaleResult
	scaleOrder []string
}

type inventoryResult struct {
	format string
	took   time.Duration
	bytes  int64
	hwm    int64
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// mibps is the throughput of n bytes in d, in MiB/s.
func mibps(n int64, d time.Duration) float64 { return float64(n) / (1 << 20) / d.Seconds() }

// spread shows the slowest and fastest of the runs, in MiB/s.
func spread(n int64, ds []time.Duration) string {
	if len(ds) == 0 {
		return ""
	}
	return fmt.Sprintf("%.0f–%.0f", mibps(n, slices.Max(ds)), mibps(n, slices.Min(ds)))
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISSED"
}

func (r *report) print(out io.Writer, cfg *config) {
	fmt.Fprintln(out)
	if r.dd > 0 {
		fmt.Fprintf(out, "context: dd if=/dev/zero bs=1M count=256 conv=fdatasync: %.0f MiB/s\n", r.dd/(1<<20))
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	if r.single != nil {
		fmt.Fprintf(out, "client-side hashing before the timed part (tree hash and SHA-256 in parallel): %.0f MiB/s\n", r.clientHash/(1<<20))
		fmt.Fprintf(out, "uploads, median of %d interleaved runs (MiB/s):\n", cfg.reps)
		fmt.Fprintln(w, "\tfloor\tfloor+sha256\tglacierd\tglacierd/floor\ttarget\tglacierd/(floor+sha256)\tglacierd unsigned\t")
		row := func(name string, size int64, ds map[string][]time.Duration) {
			f, fs, g, gu := mibps(size, median(ds["floor"])), mibps(size, median(ds["floor+sha256"])), mibps(size, median(ds["glacierd"])), mibps(size, median(ds["glacierd unsigned"]))
			fmt.Fprintf(w, "%s\t%.0f\t%.0f\t%.0f\t%.2f\t≥%.2f %s\t%.2f\t%.0f\t\n", name, f, fs, g, g/f, minRatio, verdict(g/f >= minRatio), g/fs, gu)
			fmt.Fprintf(w, "  range\t%s\t%s\t%s\t\t\t\t%s\t\n", spread(size, ds["floor"]), spread(size, ds["floor+sha256"]), spread(size, ds["glacierd"]), spread(size, ds["glacierd unsigned"]))
		}
		row(fmt.Sprintf("UploadArchive %s", mib(cfg.single)), cfg.single, r.single)
		row(fmt.Sprintf("multipart %s (%s parts, %d in flight)", mib(cfg.multipart), mib(cfg.partSize), cfg.parallel), cfg.multipart, r.multi)
		_ = w.Flush()
		fmt.Fprintln(out, "  floor+sha256: the floor also verifies x-amz-content-sha256 (a second SHA-256 pass, as glacierd does)")
		fmt.Fprintln(out, "  glacierd unsigned: diagnostic, the client sends x-amz-content-sha256: UNSIGNED-PAYLOAD, so glacierd skips that pass")
		fmt.Fprintf(out, "  context: the same UploadArchive to the floor with the SDK hashing the body itself: %.0f MiB/s\n", mibps(cfg.single, r.sdkHashing))
		fmt.Fprintf(out, "  glacierd VmHWM after the uploads: %s\n", mib(r.uploadHWM))
	}
	if r.get != nil {
		r.printDownload(out, w, cfg)
	}
	if r.rssHWM > 0 {
		fmt.Fprintf(out, "memory: glacierd VmHWM %s after a %s UploadArchive (%.0f MiB/s); %s idle before it; target < %s: %s\n",
			mib(r.rssHWM), mib(cfg.rss), mibps(cfg.rss, r.rssUpload), mib(r.idleHWM), mib(maxHWM), verdict(r.rssHWM < maxHWM))
	}
	if r.cli != nil {
		r.printCLI(out, cfg)
	}
	if r.scale != nil {
		r.printScale(out, cfg)
	}
	if r.inventory != nil {
		fmt.Fprintf(out, "inventory of %d archives (records inserted directly in %.1fs):\n", cfg.archives, r.insert.Seconds())
		fmt.Fprintln(w, "format\tseconds\toutput\tarchives/s\tglacierd VmHWM\t")
		for _, i := range r.inventory {
			fmt.Fprintf(w, "%s\t%.2f\t%s\t%.0f\t%s\t\n", i.format, i.took.Seconds(), mib(i.bytes), float64(cfg.archives)/i.took.Seconds(), mib(i.hwm))
		}
		_ = w.Flush()
	}
}

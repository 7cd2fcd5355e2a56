package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"text/tabwriter"
	"time"

	"golang.org/x/sync/errgroup"
)

// plainTCP times n loopback TCP connections that each carry one of n equal
// ranges of the file at path, sent with sendfile(2) and read 1 MiB at a
// time, with no HTTP at all: what loopback TCP itself delivers on this
// machine, in the same run as the downloads. Both ends run in this process,
// so a server in a process of its own can come out a little ahead of it.
func plainTCP(path string, size int64, n int) (time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = ln.Close() }()
	chunk := (size + int64(n) - 1) / int64(n)
	serve := func(c net.Conn) error {
		defer func() { _ = c.Close() }()
		var k [1]byte // which range
		if _, err := io.ReadFull(c, k[:]); err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		off := int64(k[0]) * chunk
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			return err
		}
		_, err = io.Copy(c, io.LimitReader(f, min(chunk, size-off))) // sendfile
		return err
	}
	var servers errgroup.Group
	servers.Go(func() error {
		for range n {
			c, err := ln.Accept()
			if err != nil {
				return err
			}
			servers.Go(func() error { return serve(c) })
		}
		return nil
	})
	start := time.Now()
	var clients errgroup.Group
	for i := range n {
		clients.Go(func() error {
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				return err
			}
			defer func() { _ = c.Close() }()
			if _, err := c.Write([]byte{byte(i)}); err != nil {
				return err
			}
			got, err := io.CopyBuffer(discard{}, c, make([]byte, 1<<20))
			if err == nil && got != min(chunk, size-int64(i)*chunk) {
				err = fmt.Errorf("plain TCP: range %d: got %d bytes", i, got)
			}
			return err
		})
	}
	err = clients.Wait()
	d := time.Since(start)
	if serr := servers.Wait(); err == nil {
		err = serr
	}
	return d, err
}

// measurement is one kind of timed run, and where its times go.
type measurement struct {
	into *[]time.Duration
	run  func() (time.Duration, error)
}

// interleave runs each measurement reps times, rotating the order every
// round so that none always follows the same other; before, when not nil,
// runs (untimed) before each run.
func interleave(reps int, ms []measurement, before func() error) error {
	for rep := range reps {
		for i := range ms {
			m := ms[(i+rep)%len(ms)]
			if before != nil {
				if err := before(); err != nil {
					return err
				}
			}
			d, err := m.run()
			if err != nil {
				return err
			}
			*m.into = append(*m.into, d)
		}
	}
	return nil
}

// printDownload prints the download table: GetJobOutput in ranges against
// cat of the stored file, from the disk and from the page cache.
func (r *report) printDownload(out io.Writer, w *tabwriter.Writer, cfg *config) {
	rate := func(ds []time.Duration) float64 { return mibps(cfg.download, median(ds)) }
	fmt.Fprintf(out, "download of a %s archive in %d parallel ranges, median of %d interleaved runs (MiB/s):\n", mib(cfg.download), cfg.ranges, cfg.reps)
	fmt.Fprintln(w, "\tcat blob >/dev/null\tfloor GetJobOutput\tglacierd GetJobOutput\tglacierd/cat\ttarget\tglacierd/floor\t")
	line := func(name string, cat, fl, g []time.Duration) {
		c, f, gg := rate(cat), rate(fl), rate(g)
		fmt.Fprintf(w, "%s\t%.0f\t%.0f\t%.0f\t%.2f\t≥%.2f %s\t%.2f\t\n", name, c, f, gg, gg/c, minRatio, verdict(gg/c >= minRatio), gg/f)
		fmt.Fprintf(w, "  range\t%s\t%s\t%s\t\t\t\t\n", spread(cfg.download, cat), spread(cfg.download, fl), spread(cfg.download, g))
	}
	line("from the disk (file dropped from the page cache before each run)", r.coldCat, r.coldFloorGet, r.coldGet)
	line("from the page cache", r.cat, r.floorGet, r.get)
	_ = w.Flush()
	c, t, g := rate(r.cat), rate(r.plainTCP), rate(r.get)
	fmt.Fprintln(out, "  floor: a minimal server sending the same ranges of the stored file with sendfile(2), what any server must pay")
	fmt.Fprintf(out, "  context, what loopback TCP itself allows: the same ranges over %d plain TCP connections with sendfile(2), no HTTP, both ends in this process: %.0f MiB/s (%s), %.2f of cat; glacierd/that %.2f\n",
		cfg.ranges, t, spread(cfg.download, r.plainTCP), t/c, g/t)
	fmt.Fprintf(out, "  context: cat blob | a reader in this process: %.0f MiB/s\n", rate(r.catPipe))
	fmt.Fprintf(out, "  glacierd VmHWM after the downloads: %s\n", mib(r.downloadHWM))
}

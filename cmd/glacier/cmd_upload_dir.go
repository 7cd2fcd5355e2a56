package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"golang.org/x/sync/errgroup"

	"github.com/glacierd/glacierd/cmd/glacier/internal/catalog"
	"github.com/glacierd/glacierd/cmd/glacier/internal/dirfiles"
	"github.com/glacierd/glacierd/cmd/glacier/internal/upload"
	"github.com/glacierd/glacierd/internal/treehash"
	"github.com/glacierd/glacierd/internal/units"
)

// dirResult is one file of a directory upload, as --output json prints it.
type dirResult struct {
	File               string
	ArchiveId          string `json:",omitempty"` // Glacier's spelling, kept for JSON
	ArchiveDescription string
	Size               int64
	SHA256TreeHash     string `json:",omitempty"`
	Skipped            bool   `json:",omitempty"` // --skip-existing: the contents were already in the vault
	Error              string `json:",omitempty"`
}

// duplicates returns the catalogued archives of the vault that hold the same
// bytes as f (same size, then same tree hash), leaving f at its start. It
// reads f only when an archive of the same size is catalogued.
func (a *app) duplicates(gl *glacier.Client, vault string, f *os.File, size int64) ([]catalog.Entry, error) {
	cat, err := a.catalog()
	if err != nil || cat == nil {
		return nil, err
	}
	s := a.scope(gl, "")
	same, err := cat.Find(a.ctx, s, catalog.Query{Vault: vault, Size: size})
	if err != nil || len(same) == 0 {
		return nil, err
	}
	h := treehash.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return cat.Find(a.ctx, s, catalog.Query{Vault: vault, Size: size, TreeHash: hex.EncodeToString(h.Sum(nil))})
}

// warnDuplicate tells the user that name's contents are already archived.
func (a *app) warnDuplicate(name, vault string, e catalog.Entry, skip bool) {
	verb := "uploading it again (--skip-existing skips it)"
	if skip {
		verb = "skipped"
	}
	fmt.Fprintf(a.env.stderr, "glacier: warning: %s: the same contents are already in vault %s as archive %s (%q, uploaded %s); %s\n",
		name, vault, short(e.ArchiveId), e.ArchiveDescription, e.CreationDate.Local().Format("2006-01-02 15:04"), verb)
}

// runDir uploads every file under c.File, c.Parallel at a time, cataloguing
// each, and reports them all; a failed file does not stop the others.
func (c *uploadCmd) runDir(a *app) error {
	switch {
	case c.Description != nil:
		return errors.New("-d does not apply to a directory: each archive is described by its path under the directory")
	case c.Resume != "":
		return errors.New("--resume names one upload; use --resume-auto with a directory")
	case c.Parallel < 1 || c.Parallel > 64:
		return errors.New("--parallel must be from 1 to 64")
	}
	files, skipped, err := dirfiles.List(c.File)
	if err != nil {
		return err
	}
	for _, s := range skipped {
		a.notice("skipping %s: %s", s.Path, s.Reason)
	}
	gl, err := a.client(c.Concurrency * c.Parallel)
	if err != nil {
		return err
	}
	var total int64
	for _, f := range files {
		total += f.Size
	}
	bar := a.bar(total, "upload")
	results := make([]dirResult, len(files))
	var mu sync.Mutex // serializes catalog warnings with each other
	g, ctx := errgroup.WithContext(a.ctx)
	g.SetLimit(c.Parallel)
	for i, f := range files {
		g.Go(func() error {
			if ctx.Err() != nil {
				results[i] = dirResult{File: f.Rel, ArchiveDescription: f.Description, Size: f.Size, Error: "not started: interrupted"}
				return nil
			}
			results[i] = c.uploadOne(a, gl, f, bar.Add, &mu)
			return nil
		})
	}
	_ = g.Wait()
	if a.ctx.Err() != nil {
		bar.Abandon()
	} else {
		bar.Finish()
	}
	return c.reportDir(a, results)
}

// uploadOne uploads one file of a directory.
func (c *uploadCmd) uploadOne(a *app, gl *glacier.Client, f dirfiles.File, progress func(int64), mu *sync.Mutex) dirResult {
	r := dirResult{File: f.Rel, ArchiveDescription: f.Description, Size: f.Size}
	fail := func(err error) dirResult { r.Error = describe(err); return r }
	fh, err := os.Open(f.Path)
	if err != nil {
		return fail(err)
	}
	defer fh.Close()
	dups, err := a.duplicates(gl, c.Vault, fh, f.Size)
	if err != nil {
		return fail(err)
	}
	if len(dups) > 0 {
		mu.Lock()
		a.warnDuplicate(f.Rel, c.Vault, dups[0], c.SkipExisting)
		mu.Unlock()
		if c.SkipExisting {
			progress(f.Size)
			r.ArchiveId, r.SHA256TreeHash, r.Skipped = dups[0].ArchiveId, dups[0].SHA256TreeHash, true
			return r
		}
	}
	res, err := upload.Run(a.ctx, gl, upload.Source{R: fh, Size: f.Size}, upload.Options{
		AccountID: a.cli.AccountID, Vault: c.Vault, Description: f.Description,
		PartSize: int64(c.PartSize), Threshold: int64(c.Threshold), Concurrency: c.Concurrency,
		ResumeAuto: c.ResumeAuto, Progress: progress,
		Notice: func(format string, args ...any) { a.notice(f.Rel+": "+format, args...) },
	})
	if err != nil {
		if ie, ok := errors.AsType[*upload.InterruptedError](err); ok {
			return fail(fmt.Errorf("%w (its parts stay in the vault as upload %s: --resume-auto resumes it)", err, ie.UploadID))
		}
		return fail(err)
	}
	a.record(gl, c.Vault, f.Path, f.Description, res)
	r.ArchiveId, r.SHA256TreeHash = res.ArchiveID, res.TreeHash
	return r
}

// reportDir prints a directory upload's results; it fails if any file did.
func (c *uploadCmd) reportDir(a *app, results []dirResult) error {
	failed := 0
	for _, r := range results {
		if r.Error != "" {
			failed++
		}
	}
	if a.jsonOut() {
		if err := a.printJSON(results); err != nil {
			return err
		}
	} else {
		t := a.table()
		fmt.Fprintln(t, "FILE\tSIZE\tARCHIVE ID")
		for _, r := range results {
			id := r.ArchiveId
			switch {
			case r.Error != "":
				id = "error: " + r.Error
			case r.Skipped:
				id += " (already in the vault)"
			}
			fmt.Fprintf(t, "%s\t%s\t%s\n", r.File, units.Format(r.Size), id)
		}
		if err := t.Flush(); err != nil {
			return err
		}
	}
	if a.ctx.Err() != nil {
		return a.ctx.Err()
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files failed; run the same command with --skip-existing to upload only what is missing", failed, len(results))
	}
	return nil
}

// skipDuplicate warns when a single file's contents are already catalogued
// in the vault; with --skip-existing it prints that archive instead of
// uploading and reports true.
func (c *uploadCmd) skipDuplicate(a *app, gl *glacier.Client, f *os.File, size int64) (bool, error) {
	dups, err := a.duplicates(gl, c.Vault, f, size)
	if err != nil || len(dups) == 0 {
		return false, err
	}
	a.warnDuplicate(c.File, c.Vault, dups[0], c.SkipExisting)
	if !c.SkipExisting {
		return false, nil
	}
	e := dups[0]
	if a.jsonOut() {
		return true, a.printJSON(upload.Result{ArchiveID: e.ArchiveId, Size: e.Size, TreeHash: e.SHA256TreeHash})
	}
	t := a.table()
	fmt.Fprintf(t, "Archive ID:\t%s (already in the vault; not uploaded)\n", e.ArchiveId)
	fmt.Fprintf(t, "Size:\t%d bytes (%s)\n", e.Size, units.Format(e.Size))
	fmt.Fprintf(t, "Tree hash:\t%s\n", e.SHA256TreeHash)
	return true, t.Flush()
}

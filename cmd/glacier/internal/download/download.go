package download

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"golang.org/x/sync/errgroup"

	"github.com/glacierd/glacierd/internal/treehash"
)

// API is the part of the Glacier client downloads use.
type API interface {
	GetJobOutput(ctx context.Context, in *glacier.GetJobOutputInput, optFns ...func(*glacier.Options)) (*glacier.GetJobOutputOutput, error)
}

// Options control a download.
type Options struct {
	Output      string // the file to create
	Concurrency int    // ranges in flight at once; 0: 1
	RangeSize   int64  // bytes per request; 0: AutoRangeSize
	Force       bool   // overwrite an existing Output
	// Progress, if set, is called (concurrently) with bytes newly written;
	// negative after a range fails midway and will be fetched again.
	Progress func(n int64)
	// Notice, if set, receives messages for the user.
	Notice func(format string, args ...any)
	// FreeSpace returns the bytes free on the file system holding dir, or
	// -1 if unknown; nil measures it.
	FreeSpace func(dir string) (int64, error)
}

// Result describes a finished download.
type Result struct {
	Path          string `json:"Path"`
	JobID         string `json:"JobId"`
	Size          int64  `json:"Size"`
	TreeHash      string `json:"SHA256TreeHash"`
	Verified      bool   `json:"Verified"` // the whole file matched the job's tree hash
	RangesFetched int    `json:"RangesFetched"`
	RangesReused  int    `json:"RangesReused,omitempty"` // from an earlier, interrupted run
}

// Run downloads job's output into o.Output. The data goes to
// o.Output+PartialSuffix and is renamed into place only once it is complete
// and verified; until then a state file (o.Output+StateSuffix) records the
// ranges done, so that running again fetches only the rest. A download
// that the file system has no room for fails with a *SpaceError before
// anything is written.
func Run(ctx context.Context, api API, job Job, o Options) (Result, error) {
	o = o.withDefaults()
	res := Result{Path: o.Output, JobID: job.JobID, Size: job.Size}
	statePath, partialPath := o.Output+StateSuffix, o.Output+PartialSuffix

	st, err := loadResumable(job, o, statePath)
	if err != nil {
		return res, err
	}
	rangeSize, err := chooseRangeSize(job, o, st)
	if err != nil {
		return res, err
	}
	if err := checkFreeSpace(o, partialPath, job, st); err != nil {
		return res, err
	}
	f, err := os.OpenFile(partialPath, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return res, err
	}
	defer func() {
		if f != nil {
			f.Close()
		}
	}()
	if st, err = keepOrReset(f, job, st, rangeSize, o, partialPath); err != nil {
		return res, err
	}
	plan := Plan(job.Size, rangeSize)
	if res.RangesReused, err = reuseCompleted(f, st, plan, o, partialPath); err != nil {
		return res, err
	}
	if err := st.Save(statePath); err != nil {
		return res, err
	}

	d := &downloader{api: api, job: job, f: f, o: o, st: st, statePath: statePath}
	missing := st.Missing(plan)
	if err := d.fetchAll(ctx, missing); err != nil {
		return res, err
	}
	res.RangesFetched = len(missing) - len(d.corrupt)
	if len(d.corrupt) > 0 {
		sort.Slice(d.corrupt, func(i, j int) bool { return d.corrupt[i].Range.Start < d.corrupt[j].Range.Start })
		return res, &CorruptError{Path: partialPath, Ranges: d.corrupt}
	}
	if res.TreeHash, res.Verified, err = verifyWhole(job, st, plan, o, statePath, partialPath); err != nil {
		return res, err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	f = nil
	if err != nil {
		return res, err
	}
	return res, moveIntoPlace(partialPath, o.Output, statePath)
}

// withDefaults fills in the zero values of the options.
func (o Options) withDefaults() Options {
	o.Concurrency = max(o.Concurrency, 1)
	if o.Progress == nil {
		o.Progress = func(int64) {}
	}
	if o.Notice == nil {
		o.Notice = func(string, ...any) {}
	}
	if o.FreeSpace == nil {
		o.FreeSpace = diskFree
	}
	return o
}

// loadResumable returns the saved state of an interrupted download of job
// into o.Output, or nil to start afresh; starting afresh over an existing
// output needs o.Force.
func loadResumable(job Job, o Options, statePath string) (*State, error) {
	st, err := LoadState(statePath)
	if err != nil {
		return nil, err
	}
	if st != nil && st.Pending() {
		st = nil // a job recorded when it was started: nothing to resume
	}
	if st != nil && !st.Resumes(job) {
		o.Notice("ignoring %s: it is for job %s, not this one; starting over", statePath, st.JobID)
		st = nil
	}
	if st == nil {
		if fi, err := os.Stat(o.Output); err == nil && !o.Force {
			if fi.IsDir() {
				return nil, fmt.Errorf("%s is a directory", o.Output)
			}
			return nil, fmt.Errorf("%s already exists (use --force to overwrite it)", o.Output)
		}
	}
	return st, nil
}

// chooseRangeSize returns the range size asked for (or chosen for the
// output's size), or the interrupted download's, which its recorded ranges
// need.
func chooseRangeSize(job Job, o Options, st *State) (int64, error) {
	rangeSize := o.RangeSize
	if rangeSize == 0 {
		rangeSize = AutoRangeSize(job.Size, o.Concurrency)
	}
	if err := CheckRangeSize(rangeSize); err != nil {
		return 0, err
	}
	if st != nil && st.RangeSize != rangeSize {
		o.Notice("continuing with the interrupted download's range size of %d bytes", st.RangeSize)
		rangeSize = st.RangeSize
	}
	return rangeSize, nil
}

// checkFreeSpace fails with a *SpaceError when the file system holding the
// partial file lacks room for the bytes still to download.
func checkFreeSpace(o Options, partialPath string, job Job, st *State) error {
	need := job.Size
	if st != nil {
		for _, d := range st.Completed {
			need -= d.End - d.Start + 1
		}
	}
	dir := filepath.Dir(partialPath)
	free, err := o.FreeSpace(dir)
	if err != nil || free < 0 || free >= need {
		return nil // unknown: the writes will tell
	}
	return &SpaceError{Path: o.Output, Dir: dir, Need: need, Free: free}
}

// keepOrReset returns st if the partial file f can hold its ranges, or a
// new state for an empty f. The file is not extended in advance: it grows
// as ranges arrive, so an interrupted download holds only what it fetched.
func keepOrReset(f *os.File, job Job, st *State, rangeSize int64, o Options, partialPath string) (*State, error) {
	if st != nil {
		fi, err := f.Stat()
		if err != nil {
			return nil, err
		}
		if fi.Size() > job.Size {
			o.Notice("%s is larger than the output; starting over", partialPath)
			st = nil
		}
	}
	if st != nil {
		return st, nil
	}
	return NewState(job, rangeSize), f.Truncate(0)
}

// reuseCompleted keeps the recorded ranges whose data still matches its
// tree hash, reports them as progress and returns how many there are.
func reuseCompleted(f *os.File, st *State, plan []Range, o Options, partialPath string) (int, error) {
	if len(st.Completed) == 0 {
		return 0, nil
	}
	kept, err := recheck(f, st.Completed)
	if err != nil {
		return 0, err
	}
	if len(kept) < len(st.Completed) {
		o.Notice("%d range(s) in %s no longer match their recorded tree hash; fetching them again", len(st.Completed)-len(kept), partialPath)
	}
	st.Completed = kept
	o.Notice("resuming download: %d of %d range(s) already done", len(kept), len(plan))
	for _, d := range kept {
		o.Progress(d.End - d.Start + 1)
	}
	return len(kept), nil
}

// verifyWhole computes the output's tree hash from its ranges' and checks
// it against the job's. A mismatch forgets every range (which one is wrong
// is unknown) and is a *CorruptError.
func verifyWhole(job Job, st *State, plan []Range, o Options, statePath, partialPath string) (hash string, verified bool, err error) {
	whole, err := combine(st.Completed, plan)
	if err != nil {
		return "", false, err
	}
	switch {
	case job.TreeHash == "" && allChecked(st.Completed):
		return whole, true, nil // no hash for the whole, but one for every range
	case job.TreeHash == "":
		o.Notice("job %s has no tree hash (its range is not tree-hash aligned): the whole file cannot be verified", job.JobID)
		return whole, false, nil
	case whole != job.TreeHash:
		st.Completed = []Done{}
		if err := st.Save(statePath); err != nil {
			return whole, false, err
		}
		return whole, false, &CorruptError{Path: partialPath, Got: whole, Want: job.TreeHash}
	}
	return whole, true, nil
}

// moveIntoPlace renames the verified partial file to the output and removes
// the state file.
func moveIntoPlace(partialPath, output, statePath string) error {
	if err := os.Rename(partialPath, output); err != nil {
		return err
	}
	if err := os.Remove(statePath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// allChecked reports whether every range was checked against a tree hash
// from Glacier.
func allChecked(done []Done) bool {
	for _, d := range done {
		if !d.Checked {
			return false
		}
	}
	return len(done) > 0
}

// recheck re-hashes the recorded ranges of f, keeping those that still match
// (the partial file may have been changed, or not flushed before a crash).
func recheck(f *os.File, done []Done) ([]Done, error) {
	var kept []Done
	for _, d := range done {
		h := treehash.New()
		if _, err := io.Copy(h, io.NewSectionReader(f, d.Start, d.End-d.Start+1)); err != nil {
			return nil, err
		}
		if got := h.Root(); hex.EncodeToString(got[:]) == d.TreeHash {
			kept = append(kept, d)
		}
	}
	return kept, nil
}

// combine computes the output's tree hash from the tree hashes of the planned
// ranges, which must all be done. Every range but the last spans a power of
// two MiB, so each is a node of the output's tree.
func combine(done []Done, plan []Range) (string, error) {
	byStart := make(map[int64]Done, len(done))
	for _, d := range done {
		byStart[d.Start] = d
	}
	hashes := make([][treehash.Size]byte, len(plan))
	for i, r := range plan {
		d, ok := byStart[r.Start]
		if !ok || d.End != r.End {
			return "", fmt.Errorf("internal error: %s was not downloaded", r)
		}
		h, err := treehash.ParseHex(d.TreeHash)
		if err != nil {
			return "", err
		}
		hashes[i] = h
	}
	root := treehash.Combine(hashes)
	return hex.EncodeToString(root[:]), nil
}

// downloader fetches ranges in parallel into f, recording each in the state.
type downloader struct {
	api       API
	job       Job
	f         *os.File
	o         Options
	statePath string

	mu      sync.Mutex
	st      *State
	corrupt []RangeError
}

func (d *downloader) fetchAll(ctx context.Context, ranges []Range) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(d.o.Concurrency)
	for _, r := range ranges {
		g.Go(func() error {
			h, checked, err := d.fetchRetrying(ctx, r)
			var re *RangeError
			switch {
			case errors.As(err, &re):
				d.mu.Lock()
				d.corrupt = append(d.corrupt, *re)
				d.mu.Unlock()
				return nil
			case err != nil:
				return err
			}
			d.mu.Lock()
			defer d.mu.Unlock()
			d.st.Completed = append(d.st.Completed, Done{Start: r.Start, End: r.End, TreeHash: h, Checked: checked})
			return d.st.Save(d.statePath)
		})
	}
	return g.Wait()
}

// fetchRetrying fetches a range, trying again when the response body breaks
// off (the SDK retries failed requests, but not a body that fails midway).
func (d *downloader) fetchRetrying(ctx context.Context, r Range) (hash string, checked bool, err error) {
	const attempts = 3
	for range attempts {
		var retry bool
		hash, checked, retry, err = d.fetch(ctx, r)
		if err == nil || !retry || ctx.Err() != nil {
			return hash, checked, err
		}
	}
	return "", false, err
}

// fetch downloads one range into place and returns its tree hash, and
// whether Glacier sent one to check it against. retry reports a failure
// while reading the body, worth another attempt.
func (d *downloader) fetch(ctx context.Context, r Range) (hash string, checked, retry bool, err error) {
	out, err := d.api.GetJobOutput(ctx, &glacier.GetJobOutputInput{
		AccountId: aws.String(d.job.AccountID), VaultName: aws.String(d.job.Vault), JobId: aws.String(d.job.JobID),
		Range: aws.String(r.Header()),
	})
	if err != nil {
		return "", false, false, fmt.Errorf("get job output (%s): %w", r, err)
	}
	defer out.Body.Close()
	h := treehash.New()
	w := &rangeWriter{f: d.f, off: r.Start, limit: r.End + 1, hash: h, progress: d.o.Progress}
	n, err := io.CopyBuffer(w, out.Body, make([]byte, 256<<10))
	if err == nil && n != r.Size() {
		err = fmt.Errorf("got %d bytes, expected %d", n, r.Size())
	}
	if err != nil {
		d.o.Progress(-w.written)
		return "", false, !errors.Is(err, errWrite), fmt.Errorf("get job output (%s): %w", r, err)
	}
	root := h.Root()
	got := hex.EncodeToString(root[:])
	want := aws.ToString(out.Checksum)
	if want != "" && want != got {
		return "", false, false, &RangeError{Range: r, Got: got, Want: want}
	}
	return got, want != "", false, nil
}

// errWrite marks local write failures, which retrying the request won't fix.
var errWrite = errors.New("write output")

// rangeWriter writes a response body into its place in the file, hashing
// it and reporting progress. It refuses bytes past the range.
type rangeWriter struct {
	f        *os.File
	off      int64
	limit    int64
	hash     io.Writer
	progress func(int64)
	written  int64
}

// Write implements io.Writer.
func (w *rangeWriter) Write(p []byte) (int, error) {
	if w.off+int64(len(p)) > w.limit {
		return 0, fmt.Errorf("the response is longer than the %d bytes requested", w.limit-w.off+w.written)
	}
	n, err := w.f.WriteAt(p, w.off)
	w.off += int64(n)
	w.written += int64(n)
	_, _ = w.hash.Write(p[:n]) // a treehash.Hasher never fails
	w.progress(int64(n))
	if err != nil {
		return n, fmt.Errorf("%w: %w", errWrite, err)
	}
	return n, nil
}

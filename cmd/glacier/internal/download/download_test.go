package download

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/internal/treehash"
)

// fakeOutput serves one job's output by range, like GetJobOutput.
type fakeOutput struct {
	data       []byte
	mu         sync.Mutex
	requests   int
	corrupt    map[int64]bool // flip a byte in the range starting here
	noChecksum bool           // omit per-range tree hashes
	failBody   int            // break off this many bodies midway
}

func (f *fakeOutput) GetJobOutput(_ context.Context, in *glacier.GetJobOutputInput, _ ...func(*glacier.Options)) (*glacier.GetJobOutputOutput, error) {
	var s, e int64
	fmt.Sscanf(aws.ToString(in.Range), "bytes=%d-%d", &s, &e)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	body := append([]byte(nil), f.data[s:e+1]...)
	out := &glacier.GetJobOutputOutput{}
	if !f.noChecksum && treehash.Aligned(s, e, int64(len(f.data))) {
		h := treehash.Sum(body)
		out.Checksum = aws.String(hex.EncodeToString(h[:]))
	}
	if f.corrupt[s] {
		body[len(body)/2] ^= 0xff
	}
	var r io.Reader = bytes.NewReader(body)
	if f.failBody > 0 {
		f.failBody--
		r = io.MultiReader(bytes.NewReader(body[:len(body)/3]), errReader{})
	}
	out.Body = io.NopCloser(r)
	return out, nil
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("connection reset by peer") }

func setup(t *testing.T, size int) (*fakeOutput, Job, string) {
	t.Helper()
	data := make([]byte, size)
	_, _ = rand.Read(data)
	h := treehash.Sum(data)
	job := Job{Vault: "v", JobID: "J", ArchiveID: "A", Size: int64(size), TreeHash: hex.EncodeToString(h[:]),
		RetrievalByteRange: fmt.Sprintf("0-%d", size-1)}
	return &fakeOutput{data: data}, job, filepath.Join(t.TempDir(), "out.bin")
}

func TestRunDownloadsAndVerifies(t *testing.T) {
	f, job, out := setup(t, 5*int(MiB)+77)
	f.failBody = 1 // one body breaks off and is fetched again
	var progress int64
	var mu sync.Mutex
	res, err := Run(context.Background(), f, job, Options{Output: out, Concurrency: 3, RangeSize: MiB,
		Progress: func(n int64) { mu.Lock(); progress += n; mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	if !bytes.Equal(got, f.data) || !res.Verified || res.RangesFetched != 6 || progress != job.Size {
		t.Errorf("result %+v, progress %d, data equal %v", res, progress, bytes.Equal(got, f.data))
	}
	for _, leftover := range []string{out + PartialSuffix, out + StateSuffix} {
		if _, err := os.Stat(leftover); err == nil {
			t.Errorf("%s left behind", leftover)
		}
	}
	if _, err := Run(context.Background(), f, job, Options{Output: out}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second download over the file: %v", err)
	}
}

func TestRunDetectsCorruptRangeAndRefetchesOnlyIt(t *testing.T) {
	f, job, out := setup(t, 4*int(MiB))
	f.corrupt = map[int64]bool{2 * MiB: true}
	_, err := Run(context.Background(), f, job, Options{Output: out, Concurrency: 2, RangeSize: MiB})
	var ce *CorruptError
	if !errors.As(err, &ce) || len(ce.Ranges) != 1 || ce.Ranges[0].Range.Start != 2*MiB || !strings.Contains(err.Error(), "corrupted download") {
		t.Fatalf("err = %v, want a corrupted range at 2 MiB", err)
	}
	if _, err := os.Stat(out + PartialSuffix); err != nil {
		t.Errorf("partial file: %v", err)
	}
	f.corrupt, f.requests = nil, 0
	res, err := Run(context.Background(), f, job, Options{Output: out, Concurrency: 2, RangeSize: MiB})
	if err != nil {
		t.Fatal(err)
	}
	if f.requests != 1 || res.RangesReused != 3 || res.RangesFetched != 1 || !res.Verified {
		t.Errorf("resume: %d requests, result %+v", f.requests, res)
	}
}

func TestRunDetectsWholeFileMismatch(t *testing.T) {
	f, job, out := setup(t, 3*int(MiB))
	f.noChecksum = true
	f.corrupt = map[int64]bool{0: true}
	_, err := Run(context.Background(), f, job, Options{Output: out, Concurrency: 2, RangeSize: MiB})
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Want != job.TreeHash || len(ce.Ranges) != 0 {
		t.Fatalf("err = %v, want a whole-file mismatch", err)
	}
	st, _ := LoadState(out + StateSuffix)
	if st == nil || len(st.Completed) != 0 {
		t.Fatalf("state after whole-file mismatch: %+v", st)
	}
	f.corrupt = nil
	if _, err := Run(context.Background(), f, job, Options{Output: out, RangeSize: MiB}); err != nil {
		t.Fatal(err)
	}
}

func TestRunRechecksPartialFile(t *testing.T) {
	f, job, out := setup(t, 3*int(MiB))
	f.corrupt = map[int64]bool{2 * MiB: true}
	if _, err := Run(context.Background(), f, job, Options{Output: out, RangeSize: MiB}); err == nil {
		t.Fatal("want a corrupt range")
	}
	// Damage a completed range on disk: it must be fetched again.
	pf, _ := os.OpenFile(out+PartialSuffix, os.O_RDWR, 0)
	pf.WriteAt([]byte{0}, 10)
	pf.Close()
	f.corrupt, f.requests = nil, 0
	var notes []string
	res, err := Run(context.Background(), f, job, Options{Output: out, RangeSize: MiB,
		Notice: func(format string, a ...any) { notes = append(notes, fmt.Sprintf(format, a...)) }})
	if err != nil {
		t.Fatal(err)
	}
	if f.requests != 2 || res.RangesReused != 1 || !strings.Contains(strings.Join(notes, "\n"), "no longer match") {
		t.Errorf("%d requests, result %+v, notices %q", f.requests, res, notes)
	}
}

func TestRunWithoutJobTreeHash(t *testing.T) {
	// A retrieval whose range is not tree-hash aligned has no tree hash;
	// the download is still verified if every range came with one.
	f, job, out := setup(t, 3*int(MiB))
	job.TreeHash = ""
	res, err := Run(context.Background(), f, job, Options{Output: out, RangeSize: MiB})
	if err != nil || !res.Verified {
		t.Fatalf("with range hashes: %+v, %v", res, err)
	}
	f.noChecksum = true
	var notes []string
	res, err = Run(context.Background(), f, job, Options{Output: out, RangeSize: MiB, Force: true,
		Notice: func(format string, a ...any) { notes = append(notes, fmt.Sprintf(format, a...)) }})
	if err != nil || res.Verified || len(notes) != 1 || !strings.Contains(notes[0], "cannot be verified") {
		t.Fatalf("without any hash: %+v, %v, %q", res, err, notes)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, f.data) {
		t.Error("data differs")
	}
}

// failAfter serves the first n ranges and then fails, as a dropped network
// or an interrupted command would.
type failAfter struct {
	*fakeOutput
	n int
}

func (f *failAfter) GetJobOutput(ctx context.Context, in *glacier.GetJobOutputInput, o ...func(*glacier.Options)) (*glacier.GetJobOutputOutput, error) {
	f.mu.Lock()
	done := f.requests
	f.mu.Unlock()
	if done >= f.n {
		return nil, errors.New("connection refused")
	}
	return f.fakeOutput.GetJobOutput(ctx, in, o...)
}

// TestNoRoomFailsBeforeWriting: a download the disk has no room for fails
// at once, leaving no partial file behind.
func TestNoRoomFailsBeforeWriting(t *testing.T) {
	f, job, out := setup(t, 3*int(MiB))
	_, err := Run(context.Background(), f, job, Options{Output: out,
		FreeSpace: func(string) (int64, error) { return 2 * MiB, nil }})
	var se *SpaceError
	if !errors.As(err, &se) || se.Need != 3*MiB || !strings.Contains(err.Error(), "not enough disk space") {
		t.Fatalf("err = %v, want a SpaceError for 3 MiB", err)
	}
	for _, p := range []string{out + PartialSuffix, out + StateSuffix} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was created", p)
		}
	}
}

// TestInterruptedPartialIsNotPreallocated: an interrupted download's
// partial file holds what was fetched, not a sparse file of the full size
// that a full disk could never fill.
func TestInterruptedPartialIsNotPreallocated(t *testing.T) {
	f, job, out := setup(t, 8*int(MiB))
	data := f.data
	api := &failAfter{fakeOutput: f, n: 3}
	if _, err := Run(context.Background(), api, job, Options{Output: out, RangeSize: MiB, Concurrency: 1}); err == nil {
		t.Fatal("the interrupted download succeeded")
	}
	fi, err := os.Stat(out + PartialSuffix)
	if err != nil || fi.Size() != 3*MiB {
		t.Fatalf("partial file: %v, %v; want the 3 MiB fetched", fi.Size(), err)
	}
	res, err := Run(context.Background(), &fakeOutput{data: data}, job, Options{Output: out, RangeSize: MiB})
	if got, _ := os.ReadFile(out); err != nil || res.RangesReused != 3 || !bytes.Equal(got, data) {
		t.Fatalf("resume: %+v, %v", res, err)
	}
}

package upload

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/internal/treehash"
)

// fakeVault is an in-memory Glacier vault for one upload at a time.
type fakeVault struct {
	mu        sync.Mutex
	partSize  int64
	desc      string
	parts     map[int64][]byte
	archive   []byte
	singles   int
	partPuts  int
	failAfter int // fail part uploads after this many succeeded (0: never)
}

func (f *fakeVault) UploadArchive(_ context.Context, in *glacier.UploadArchiveInput, _ ...func(*glacier.Options)) (*glacier.UploadArchiveOutput, error) {
	b, _ := io.ReadAll(in.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.singles++
	f.archive = b
	h := treehash.Sum(b)
	if aws.ToString(in.Checksum) != hex.EncodeToString(h[:]) {
		return nil, errors.New("bad checksum")
	}
	return &glacier.UploadArchiveOutput{ArchiveId: aws.String("A"), Checksum: in.Checksum}, nil
}

func (f *fakeVault) InitiateMultipartUpload(_ context.Context, in *glacier.InitiateMultipartUploadInput, _ ...func(*glacier.Options)) (*glacier.InitiateMultipartUploadOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.partSize, _ = strconv.ParseInt(aws.ToString(in.PartSize), 10, 64)
	f.desc = aws.ToString(in.ArchiveDescription)
	f.parts = map[int64][]byte{}
	return &glacier.InitiateMultipartUploadOutput{UploadId: aws.String("U")}, nil
}

func (f *fakeVault) UploadMultipartPart(ctx context.Context, in *glacier.UploadMultipartPartInput, _ ...func(*glacier.Options)) (*glacier.UploadMultipartPartOutput, error) {
	b, _ := io.ReadAll(in.Body)
	var first, last int64
	fmt.Sscanf(aws.ToString(in.Range), "bytes %d-%d/*", &first, &last)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failAfter > 0 && f.partPuts >= f.failAfter {
		return nil, errors.New("connection reset")
	}
	f.partPuts++
	if int64(len(b)) != last-first+1 || first%f.partSize != 0 {
		return nil, fmt.Errorf("bad range %s for %d bytes", aws.ToString(in.Range), len(b))
	}
	f.parts[first] = b
	return &glacier.UploadMultipartPartOutput{Checksum: in.Checksum}, nil
}

func (f *fakeVault) CompleteMultipartUpload(_ context.Context, in *glacier.CompleteMultipartUploadInput, _ ...func(*glacier.Options)) (*glacier.CompleteMultipartUploadOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var starts []int64
	for s := range f.parts {
		starts = append(starts, s)
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
	var all []byte
	for _, s := range starts {
		all = append(all, f.parts[s]...)
	}
	h := treehash.Sum(all)
	if aws.ToString(in.Checksum) != hex.EncodeToString(h[:]) || aws.ToString(in.ArchiveSize) != strconv.Itoa(len(all)) {
		return nil, errors.New("checksum or size mismatch")
	}
	f.archive = all
	return &glacier.CompleteMultipartUploadOutput{ArchiveId: aws.String("A"), Checksum: in.Checksum}, nil
}

func (f *fakeVault) ListParts(_ context.Context, _ *glacier.ListPartsInput, _ ...func(*glacier.Options)) (*glacier.ListPartsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := &glacier.ListPartsOutput{PartSizeInBytes: f.partSize, ArchiveDescription: aws.String(f.desc)}
	for s, b := range f.parts {
		h := treehash.Sum(b)
		out.Parts = append(out.Parts, types.PartListElement{
			RangeInBytes: aws.String(fmt.Sprintf("%d-%d", s, s+int64(len(b))-1)), SHA256TreeHash: aws.String(hex.EncodeToString(h[:])),
		})
	}
	return out, nil
}

func (f *fakeVault) ListMultipartUploads(_ context.Context, _ *glacier.ListMultipartUploadsInput, _ ...func(*glacier.Options)) (*glacier.ListMultipartUploadsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := &glacier.ListMultipartUploadsOutput{}
	if f.parts != nil {
		out.UploadsList = []types.UploadListElement{{MultipartUploadId: aws.String("U"), ArchiveDescription: aws.String(f.desc),
			PartSizeInBytes: f.partSize, CreationDate: aws.String("2024-01-01T00:00:00Z")}}
	}
	return out, nil
}

func random(n int64) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func TestRunSmallIsOneRequest(t *testing.T) {
	data := random(3 * MiB)
	for _, size := range []int64{int64(len(data)), -1} {
		f := &fakeVault{}
		var progress atomic.Int64
		res, err := Run(context.Background(), f, Source{R: bytes.NewReader(data), Size: size},
			Options{Vault: "v", Threshold: DefaultThreshold, Concurrency: 4, Progress: func(n int64) { progress.Add(n) }})
		if err != nil {
			t.Fatal(err)
		}
		if f.singles != 1 || f.partPuts != 0 || !bytes.Equal(f.archive, data) || res.Size != int64(len(data)) {
			t.Errorf("size %d: %d single uploads, %d parts, result %+v", size, f.singles, f.partPuts, res)
		}
		if progress.Load() != int64(len(data)) {
			t.Errorf("size %d: progress %d, want %d", size, progress.Load(), len(data))
		}
	}
}

func TestRunMultipartStream(t *testing.T) {
	data := random(5*MiB + 123)
	f := &fakeVault{}
	// A stream (unknown size) larger than the threshold: multipart with
	// 1 MiB parts, the first 2 MiB coming from the threshold probe.
	res, err := Run(context.Background(), f, Source{R: io.MultiReader(bytes.NewReader(data)), Size: -1},
		Options{Vault: "v", Threshold: 2 * MiB, PartSize: MiB, Concurrency: 3, Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f.archive, data) || res.Parts != 6 || res.PartsSent != 6 || f.partPuts != 6 || res.Size != int64(len(data)) {
		t.Errorf("result %+v, %d part uploads", res, f.partPuts)
	}
	want := treehash.Sum(data)
	if res.TreeHash != hex.EncodeToString(want[:]) {
		t.Errorf("tree hash %s, want %x", res.TreeHash, want)
	}
}

func TestRunResumeSendsOnlyMissingParts(t *testing.T) {
	data := random(6 * MiB)
	f := &fakeVault{failAfter: 2}
	o := Options{Vault: "v", PartSize: MiB, Concurrency: 2, Description: "backup"}
	_, err := Run(context.Background(), f, Source{R: bytes.NewReader(data), Size: int64(len(data))}, o)
	var ie *InterruptedError
	if !errors.As(err, &ie) || ie.UploadID != "U" || !strings.Contains(err.Error(), "connection reset") {
		t.Fatalf("first run: %v, want an InterruptedError for upload U", err)
	}
	have := len(f.parts)
	f.mu.Lock()
	f.failAfter, f.partPuts = 0, 0
	f.mu.Unlock()
	o.ResumeAuto = true
	var notices []string
	o.Notice = func(format string, args ...any) { notices = append(notices, fmt.Sprintf(format, args...)) }
	res, err := Run(context.Background(), f, Source{R: bytes.NewReader(data), Size: int64(len(data))}, o)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Resumed || res.PartsSkipped != have || res.PartsSent != 6-have || f.partPuts != 6-have || !bytes.Equal(f.archive, data) {
		t.Errorf("resume: %+v with %d part uploads; %d parts were already there", res, f.partPuts, have)
	}
	if len(notices) == 0 || !strings.Contains(notices[0], "resuming upload U") {
		t.Errorf("notices %q", notices)
	}
}

func TestRunResumeByIDChecksPartSize(t *testing.T) {
	f := &fakeVault{partSize: 2 * MiB, parts: map[int64][]byte{}}
	_, err := Run(context.Background(), f, Source{R: bytes.NewReader(random(MiB)), Size: MiB},
		Options{Vault: "v", PartSize: MiB, ResumeID: "U"})
	if err == nil || !strings.Contains(err.Error(), "uses parts of 2.00 MiB") {
		t.Fatalf("err = %v", err)
	}
}

func TestCountingReaderReportsOnceAcrossRewinds(t *testing.T) {
	var total int64
	r := newCountingReader(make([]byte, 1000), func(n int64) { total += n })
	if n, _ := r.Seek(0, io.SeekEnd); n != 1000 {
		t.Fatalf("Seek end = %d", n)
	}
	r.Seek(0, io.SeekStart)
	io.CopyN(io.Discard, r, 600)
	r.Seek(0, io.SeekStart) // a retry
	io.Copy(io.Discard, r)
	if total != 1000 {
		t.Errorf("reported %d bytes, want 1000", total)
	}
}

package stream

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/internal/treehash"
)

// fakeOutput serves data as GetJobOutput does, honouring "bytes=FIRST-LAST";
// cut, if set, says after how many bytes the n-th response breaks off.
type fakeOutput struct {
	data   []byte
	ranges []string
	cut    func(n int) int
}

func (f *fakeOutput) GetJobOutput(_ context.Context, in *glacier.GetJobOutputInput, _ ...func(*glacier.Options)) (*glacier.GetJobOutputOutput, error) {
	f.ranges = append(f.ranges, aws.ToString(in.Range))
	var first, last int
	body := f.data
	if in.Range != nil {
		if _, err := fmt.Sscanf(*in.Range, "bytes=%d-%d", &first, &last); err != nil {
			return nil, err
		}
		body = f.data[first : last+1]
	}
	var r io.Reader = bytes.NewReader(body)
	if f.cut != nil {
		if n := f.cut(len(f.ranges)); n >= 0 {
			r = io.MultiReader(io.LimitReader(r, int64(n)), &failing{})
		}
	}
	return &glacier.GetJobOutputOutput{Body: io.NopCloser(r)}, nil
}

type failing struct{}

func (*failing) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func treeHex(b []byte) string {
	h := treehash.Sum(b)
	return hex.EncodeToString(h[:])
}

func TestCopyContinuesBrokenResponses(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 300_000)
	api := &fakeOutput{data: data, cut: func(n int) int {
		if n <= 2 {
			return 1_000_000
		}
		return -1
	}}
	var out bytes.Buffer
	var progress int64
	res, err := Copy(context.Background(), api, &out, Options{JobID: "j", Size: int64(len(data)), TreeHash: treeHex(data),
		Progress: func(n int64) { progress += n }})
	if err != nil || !res.Verified || !bytes.Equal(out.Bytes(), data) || progress != int64(len(data)) {
		t.Fatalf("Copy = %+v, %v; %d bytes written, progress %d", res, err, out.Len(), progress)
	}
	want := []string{"", "bytes=1000000-2999999", "bytes=2000000-2999999"}
	if fmt.Sprint(api.ranges) != fmt.Sprint(want) {
		t.Errorf("requests %q, want %q", api.ranges, want)
	}
}

func TestCopyGivesUp(t *testing.T) {
	data := []byte("some archive bytes")
	api := &fakeOutput{data: data, cut: func(int) int { return 0 }}
	_, err := Copy(context.Background(), api, io.Discard, Options{Size: int64(len(data)), Attempts: 3})
	if !errors.Is(err, io.ErrUnexpectedEOF) || len(api.ranges) != 3 {
		t.Fatalf("err %v after %d requests, want ErrUnexpectedEOF after 3", err, len(api.ranges))
	}
}

type brokenPipe struct{}

func (brokenPipe) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestCopyDoesNotRetryWriteErrors(t *testing.T) {
	api := &fakeOutput{data: []byte("data")}
	_, err := Copy(context.Background(), api, brokenPipe{}, Options{Size: 4})
	if err == nil || err.Error() != "broken pipe" || len(api.ranges) != 1 {
		t.Fatalf("err %v after %d requests", err, len(api.ranges))
	}
}

func TestCopyDetectsCorruptionAndUnverifiable(t *testing.T) {
	data := []byte("the real bytes")
	_, err := Copy(context.Background(), &fakeOutput{data: data}, io.Discard, Options{Size: int64(len(data)), TreeHash: treeHex([]byte("other bytes"))})
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Got != treeHex(data) {
		t.Fatalf("want a CorruptError, got %v", err)
	}
	res, err := Copy(context.Background(), &fakeOutput{data: data}, io.Discard, Options{Size: int64(len(data))})
	if err != nil || res.Verified || res.TreeHash != treeHex(data) {
		t.Fatalf("without a job tree hash: %+v, %v", res, err)
	}
}

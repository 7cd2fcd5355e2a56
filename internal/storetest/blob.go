package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/glacierd/glacierd/internal/glacier"
)

// blobTest is one conformance subtest of the BlobStore suite.
type blobTest struct {
	name string
	fn   func(t *testing.T, s glacier.BlobStore)
}

// Blob runs the glacier.BlobStore conformance suite: one t.Run subtest per
// promise of the contract, each given a fresh store by open. open must return
// an empty store that no other subtest uses and arrange for its cleanup. The
// subtests do not run in parallel; they write up to about 30 MiB.
func Blob(t *testing.T, open func(t *testing.T) glacier.BlobStore) {
	tests := []blobTest{
		{"RoundTrip", testBlobRoundTrip},
		{"UnknownSize", testBlobUnknownSize},
		{"Empty", testBlobEmpty},
		{"Ranges", testBlobRanges},
		{"RangeOutsideFails", testBlobRangeOutside},
		{"SizeMismatchLeavesNothing", testBlobSizeMismatch},
		{"ReaderErrorLeavesNothing", testBlobReaderError},
		{"CancelledContextLeavesNothing", testBlobCancelled},
		{"NothingVisibleBeforeEOF", testBlobNothingBeforeEOF},
		{"OpenMissingNotFound", testBlobOpenMissing},
		{"DeleteIdempotent", testBlobDelete},
		{"Large", testBlobLarge},
		{"ConcurrentPuts", testBlobConcurrentPuts},
		{"KeysWithSlashes", testBlobSlashes},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

// randomBytes returns n random bytes.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails
	return b
}

func put(t *testing.T, s glacier.BlobStore, key string, data []byte) {
	t.Helper()
	if err := s.Put(t.Context(), key, bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatalf("Put(%s): %v", key, err)
	}
}

// read opens key at (off, n) and reads it all; the error is Open's or the
// read's.
func read(ctx context.Context, s glacier.BlobStore, key string, off, n int64) ([]byte, error) {
	rc, err := s.Open(ctx, key, off, n)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(rc)
	if cerr := rc.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("Close: %w", cerr)
	}
	return b, err
}

// wantBlob checks that key holds exactly data.
func wantBlob(t *testing.T, s glacier.BlobStore, key string, data []byte) {
	t.Helper()
	got, err := read(t.Context(), s, key, 0, -1)
	if err != nil {
		t.Fatalf("reading %s: %v", key, err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("%s holds %d bytes that differ from the %d put", key, len(got), len(data))
	}
}

// wantNoBlob checks that Open(key) fails with KindNotFound.
func wantNoBlob(t *testing.T, s glacier.BlobStore, key string) {
	t.Helper()
	rc, err := s.Open(t.Context(), key, 0, -1)
	if err == nil {
		rc.Close()
		t.Fatalf("Open(%s) succeeded, want KindNotFound", key)
	}
	if !glacier.IsKind(err, glacier.KindNotFound) {
		t.Fatalf("Open(%s) = %v (kind %v), want KindNotFound", key, err, glacier.KindOf(err))
	}
}

func testBlobRoundTrip(t *testing.T, s glacier.BlobStore) {
	data := randomBytes(100_000)
	put(t, s, "blob-1", data)
	wantBlob(t, s, "blob-1", data)
	wantBlob(t, s, "blob-1", data) // a blob can be read more than once
}

func testBlobUnknownSize(t *testing.T, s glacier.BlobStore) {
	data := randomBytes(3<<20 + 17)
	// io.MultiReader hides the size and returns short reads.
	r := io.MultiReader(bytes.NewReader(data[:5]), bytes.NewReader(data[5:1<<20]), bytes.NewReader(data[1<<20:]))
	if err := s.Put(t.Context(), "unknown", r, -1); err != nil {
		t.Fatalf("Put(size -1): %v", err)
	}
	wantBlob(t, s, "unknown", data)
}

func testBlobEmpty(t *testing.T, s glacier.BlobStore) {
	put(t, s, "empty", nil)
	wantBlob(t, s, "empty", nil)
	if err := s.Put(t.Context(), "empty-unknown", bytes.NewReader(nil), -1); err != nil {
		t.Fatalf("Put(empty, size -1): %v", err)
	}
	wantBlob(t, s, "empty-unknown", nil)
}

func testBlobRanges(t *testing.T, s glacier.BlobStore) {
	data := randomBytes(1000)
	put(t, s, "r", data)
	cases := []struct{ off, n, from, to int64 }{
		{0, -1, 0, 1000},
		{0, 1000, 0, 1000},
		{0, 0, 0, 0},
		{10, 5, 10, 15},
		{500, -1, 500, 1000},
		{999, 1, 999, 1000},
		{999, -1, 999, 1000},
		{1000, -1, 1000, 1000},
		{1000, 0, 1000, 1000},
	}
	for _, c := range cases {
		got, err := read(t.Context(), s, "r", c.off, c.n)
		if err != nil {
			t.Errorf("range (%d, %d): %v", c.off, c.n, err)
			continue
		}
		if !bytes.Equal(got, data[c.from:c.to]) {
			t.Errorf("range (%d, %d): got %d bytes, want bytes [%d, %d)", c.off, c.n, len(got), c.from, c.to)
		}
	}
}

func testBlobRangeOutside(t *testing.T, s glacier.BlobStore) {
	put(t, s, "r", randomBytes(1000))
	for _, c := range []struct{ off, n int64 }{{1001, -1}, {1001, 0}, {990, 11}, {0, 1001}, {-1, 5}} {
		if got, err := read(t.Context(), s, "r", c.off, c.n); err == nil {
			t.Errorf("range (%d, %d) of a 1000-byte blob read %d bytes without error", c.off, c.n, len(got))
		}
	}
}

func testBlobSizeMismatch(t *testing.T, s glacier.BlobStore) {
	data := randomBytes(3 << 20)
	for _, declared := range []int64{int64(len(data)) + 1, int64(len(data)) - 1, 0} {
		key := fmt.Sprint("mismatch-", declared)
		if err := s.Put(t.Context(), key, bytes.NewReader(data), declared); err == nil {
			t.Errorf("Put of %d bytes declared as %d succeeded", len(data), declared)
		}
		wantNoBlob(t, s, key)
	}
}

// failingReader yields n bytes of data and then fails with err.
type failingReader struct {
	data []byte
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func testBlobReaderError(t *testing.T, s glacier.BlobStore) {
	data := randomBytes(5 << 20)
	// net/http reports a truncated request body as io.ErrUnexpectedEOF.
	for i, broken := range []error{errors.New("connection reset by client"), io.ErrUnexpectedEOF} {
		for _, size := range []int64{int64(len(data)), -1} {
			key := fmt.Sprintf("broken-%d-%d", i, size)
			r := &failingReader{data: data[:3<<20+1], err: broken}
			if err := s.Put(t.Context(), key, r, size); !errors.Is(err, broken) {
				t.Errorf("Put(size %d) from a reader failing with %q returned %v, want that error", size, broken, err)
			}
			wantNoBlob(t, s, key)
		}
	}
}

// cancellingReader yields data and calls cancel once after bytes have been read.
type cancellingReader struct {
	data   []byte
	after  int
	read   int
	cancel context.CancelFunc
}

func (r *cancellingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.data[:min(len(r.data), 64<<10)])
	r.data = r.data[n:]
	r.read += n
	if r.read >= r.after {
		r.cancel()
	}
	return n, nil
}

func testBlobCancelled(t *testing.T, s glacier.BlobStore) {
	data := randomBytes(8 << 20)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.Put(ctx, "cancelled-before", bytes.NewReader(data), int64(len(data))); err == nil {
		t.Errorf("Put with a cancelled context succeeded")
	}
	wantNoBlob(t, s, "cancelled-before")

	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	r := &cancellingReader{data: data, after: 2 << 20, cancel: cancel}
	if err := s.Put(ctx, "cancelled-during", r, int64(len(data))); err == nil {
		t.Errorf("Put whose context ended while reading succeeded")
	}
	wantNoBlob(t, s, "cancelled-during")
}

func testBlobOpenMissing(t *testing.T, s glacier.BlobStore) {
	wantNoBlob(t, s, "missing")
	put(t, s, "present", []byte("x"))
	wantNoBlob(t, s, "missing/child")
	wantNoBlob(t, s, "present/child")
}

func testBlobDelete(t *testing.T, s glacier.BlobStore) {
	put(t, s, "d/1", []byte("one"))
	put(t, s, "d/2", []byte("two"))
	for range 2 {
		if err := s.Delete(t.Context(), "d/1"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
	}
	if err := s.Delete(t.Context(), "never/existed"); err != nil {
		t.Fatalf("Delete(missing): %v", err)
	}
	wantNoBlob(t, s, "d/1")
	wantBlob(t, s, "d/2", []byte("two"))
}

func testBlobLarge(t *testing.T, s glacier.BlobStore) {
	data := randomBytes(20 << 20)
	put(t, s, "large/blob", data)
	wantBlob(t, s, "large/blob", data)
	off, n := int64(7<<20+3), int64(5<<20+11)
	got, err := read(t.Context(), s, "large/blob", off, n)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data[off:off+n]) {
		t.Fatalf("range of a large blob differs")
	}
}

func testBlobConcurrentPuts(t *testing.T, s glacier.BlobStore) {
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	data := make([][]byte, n)
	for i := range n {
		data[i] = randomBytes(256<<10 + i)
		wg.Go(func() {
			errs[i] = s.Put(t.Context(), fmt.Sprintf("concurrent/%d/blob", i), bytes.NewReader(data[i]), int64(len(data[i])))
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Put #%d: %v", i, err)
		}
		wantBlob(t, s, fmt.Sprintf("concurrent/%d/blob", i), data[i])
	}
}

func testBlobSlashes(t *testing.T, s glacier.BlobStore) {
	keys := []string{"x", "x/y", "x/y/z", "deep/a/b/c/d/e/f", "A-b_C/0-9/Z_z"}
	for i, k := range keys {
		put(t, s, k, []byte(fmt.Sprint("blob ", i)))
	}
	for i, k := range keys {
		wantBlob(t, s, k, []byte(fmt.Sprint("blob ", i)))
	}
	if err := s.Delete(t.Context(), "x/y"); err != nil {
		t.Fatal(err)
	}
	wantNoBlob(t, s, "x/y")
	wantBlob(t, s, "x", []byte("blob 0"))
	wantBlob(t, s, "x/y/z", []byte("blob 2"))
}

// eofProbe yields data and, in place of its io.EOF, calls atEOF and returns
// its error, or io.EOF when that is nil.
type eofProbe struct {
	r     io.Reader
	atEOF func() error
}

func (p *eofProbe) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if err == io.EOF {
		if aerr := p.atEOF(); aerr != nil {
			return n, aerr
		}
	}
	return n, err
}

// testBlobNothingBeforeEOF checks the promise the service's crash safety
// rests on: until the reader has returned io.EOF the key shows nothing, and
// an error returned in place of io.EOF leaves nothing.
func testBlobNothingBeforeEOF(t *testing.T, s glacier.BlobStore) {
	data := randomBytes(3<<20 + 5)
	veto := errors.New("vetoed at the end")
	for _, c := range []struct {
		fail bool
		size int64
	}{{false, int64(len(data))}, {true, int64(len(data))}, {false, -1}, {true, -1}} {
		fail := c.fail
		key := fmt.Sprintf("gated/%v/%d", fail, c.size+1)
		var seen error
		probe := &eofProbe{r: bytes.NewReader(data), atEOF: func() error {
			if _, err := read(t.Context(), s, key, 0, -1); !glacier.IsKind(err, glacier.KindNotFound) {
				seen = fmt.Errorf("before io.EOF, Open(%s) = %v, want KindNotFound", key, err)
			}
			if fail {
				return veto
			}
			return nil
		}}
		err := s.Put(t.Context(), key, probe, c.size)
		if seen != nil {
			t.Fatal(seen)
		}
		if fail {
			if !errors.Is(err, veto) {
				t.Fatalf("Put with a vetoing reader = %v, want the reader's error", err)
			}
			wantNoBlob(t, s, key)
		} else {
			if err != nil {
				t.Fatalf("Put: %v", err)
			}
			wantBlob(t, s, key, data)
		}
	}
}

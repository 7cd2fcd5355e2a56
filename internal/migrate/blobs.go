package migrate

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/glacierd/glacierd/internal/blobref"
	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/treehash"
)

// badBytes describes source bytes that are missing or fail verification.
type badBytes struct{ msg string }

// Error returns the description.
func (b *badBytes) Error() string { return b.msg }

// badf returns a *badBytes with a formatted description.
func badf(format string, args ...any) *badBytes { return &badBytes{fmt.Sprintf(format, args...)} }

// exactReader passes r through and fails, with a badBytes error, when r
// yields more or fewer than left bytes.
type exactReader struct {
	r    io.Reader
	key  string
	want int64
	left int64
	bad  *badBytes
}

// Read reads from r, failing once the count of bytes is known to be wrong.
func (e *exactReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	e.left -= int64(n)
	switch {
	case e.left < 0:
		e.bad = badf("blob %s holds more than the %d bytes recorded", e.key, e.want)
		return n, e.bad
	case err == io.EOF && e.left > 0:
		e.bad = badf("blob %s holds %d bytes, not the %d recorded", e.key, e.want-e.left, e.want)
		return n, e.bad
	}
	return n, err
}

// intend records keys as garbage in the destination before their blobs are
// written, so that blobs of an abandoned run are collected by the server.
func (m *migrator) intend(ctx context.Context, keys ...string) error {
	return blobref.Intend(ctx, m.dst.Meta, m.intentUntil, keys...)
}

// discard deletes blobs this run wrote for a record it will not commit (see
// blobref.Discard).
func (m *migrator) discard(keys []string) {
	blobref.Discard(m.dst.Meta, m.dst.Blobs, time.Now(), m.log, keys...)
}

// copySegments copies the blobs of segs (size bytes in all), checks the
// tree hash of the bytes copied against want (lowercase hex), and then
// writes each segment's sidecar of leaf hashes, computed from its bytes. It
// returns a *badBytes, and leaves nothing behind, when the bytes are missing
// or wrong; err is any other failure. A sidecar missing or different in the
// source is counted as repaired.
func (m *migrator) copySegments(ctx context.Context, segs []glacier.Segment, size int64, want string) (bad *badBytes, err error) {
	keys := blobref.SegmentKeys(segs...)
	if err := m.intend(ctx, keys...); err != nil {
		return nil, fmt.Errorf("destination: %w", err)
	}
	defer func() {
		if bad != nil || err != nil {
			m.discard(keys)
		}
	}()
	sums := make([][]byte, len(segs))
	var leaves []byte
	var total int64
	for i, s := range segs {
		l := treehash.NewLeaves()
		if bad, err := m.copyExact(ctx, s.Key, s.Size, l); bad != nil || err != nil {
			return bad, err
		}
		sums[i] = l.Sums()
		leaves = append(leaves, sums[i]...)
		total += s.Size
	}
	if total != size {
		return badf("its segments hold %d bytes, not the %d recorded", total, size), nil
	}
	if got := treehash.Combine(treehash.Split(leaves)); hex.EncodeToString(got[:]) != want {
		return badf("the tree hash of its bytes is %x, not the %s recorded", got, want), nil
	}
	repaired := 0
	for i, s := range segs {
		old, err := m.readSmall(ctx, blobref.LeavesKey(s.Key), int64(len(sums[i]))+1)
		switch {
		case err == nil && bytes.Equal(old, sums[i]):
		case err == nil || glacier.IsKind(err, glacier.KindNotFound):
			m.log.Warn("a segment's leaf hashes were missing or wrong in the source; writing ones computed from its bytes", "key", s.Key)
			repaired++
		default:
			return nil, fmt.Errorf("source: %w", err)
		}
		if err := m.dst.Blobs.Put(ctx, blobref.LeavesKey(s.Key), bytes.NewReader(sums[i]), int64(len(sums[i]))); err != nil {
			return nil, fmt.Errorf("destination: %w", err)
		}
	}
	m.add(func(r *Report) {
		r.Blobs += 2 * len(segs)
		r.Bytes += size
		r.RepairedSidecars += repaired
	})
	return nil, nil
}

// copyBlob copies one blob of size bytes that has no sidecar (a job's
// output), recording its key as garbage first.
func (m *migrator) copyBlob(ctx context.Context, key string, size int64) (*badBytes, error) {
	if err := m.intend(ctx, key); err != nil {
		return nil, fmt.Errorf("destination: %w", err)
	}
	bad, err := m.copyExact(ctx, key, size, io.Discard)
	if bad != nil || err != nil {
		m.discard([]string{key})
		return bad, err
	}
	m.add(func(r *Report) { r.Blobs++; r.Bytes += size })
	return nil, nil
}

// copyExact streams blob key from the source to the destination, checking
// that it holds exactly size bytes, and writes the bytes to tee as well.
func (m *migrator) copyExact(ctx context.Context, key string, size int64, tee io.Writer) (*badBytes, error) {
	rc, err := m.src.Blobs.Open(ctx, key, 0, -1)
	if glacier.IsKind(err, glacier.KindNotFound) {
		return badf("blob %s is missing", key), nil
	}
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	defer rc.Close()
	er := &exactReader{r: rc, key: key, want: size, left: size}
	err = m.dst.Blobs.Put(ctx, key, io.TeeReader(er, tee), size)
	if er.bad != nil {
		return er.bad, nil
	}
	if err != nil {
		return nil, fmt.Errorf("copy blob %s: %w", key, err)
	}
	return nil, nil
}

// readSmall reads a whole source blob of at most limit bytes (more is
// cut off).
func (m *migrator) readSmall(ctx context.Context, key string, limit int64) ([]byte, error) {
	rc, err := m.src.Blobs.Open(ctx, key, 0, -1)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit))
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b, nil
}

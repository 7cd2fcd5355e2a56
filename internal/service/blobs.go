package service

import (
	"bytes"
	"context"
	"errors"
	"io"

	"github.com/glacierd/glacierd/internal/blobref"
	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/treehash"
)

// writeSegment stores size bytes of body under a fresh key with the given
// prefix (and their leaf hashes beside it), checks their tree hash against
// want, and returns the key.
//
// Both keys are recorded as garbage (due after OrphanGrace) before either
// blob can become visible, so a crash at any point leaves nothing that the
// collector will not remove. The record is written while the body streams
// in, and the body's reader only reports its end once the record is durable
// and the tree hash matched: a BlobStore makes nothing visible before that.
// The caller commits metadata referencing the key and, in the same
// transaction, calls blobref.ClaimSegment; until then the blobs are orphans. On any
// error, writeSegment has already discarded them.
func (s *Service) writeSegment(ctx context.Context, prefix string, body io.Reader, size int64, want claimedHash) (string, error) {
	key := newBlobKey(prefix)
	keys := []string{key, blobref.LeavesKey(key)}
	intended := make(chan error, 1)
	go func() { intended <- s.intend(ctx, keys...) }()
	l := treehash.NewLeaves()
	gb := &gatedBody{r: io.TeeReader(body, l), atEOF: func() error {
		if err := <-intended; err != nil {
			return err
		}
		return want.check(l.Root())
	}}
	err := s.blobs.Put(ctx, key, gb, size)
	if !gb.ended {
		// Put stopped before the body's end: the record may still be on its
		// way, and discardBlobs must see it.
		if ierr := <-intended; err == nil {
			err = ierr
		}
	}
	if err == nil {
		sums := l.Sums()
		err = s.blobs.Put(ctx, blobref.LeavesKey(key), bytes.NewReader(sums), int64(len(sums)))
	}
	if err != nil {
		s.discardBlobs(keys...)
		return "", bodyError(err)
	}
	return key, nil
}

// gatedBody passes r on, but replaces its io.EOF with atEOF's error, if any.
type gatedBody struct {
	r     io.Reader
	atEOF func() error
	ended bool  // atEOF was called
	err   error // its result
}

func (g *gatedBody) Read(p []byte) (int, error) {
	if g.ended {
		return 0, g.endErr()
	}
	n, err := g.r.Read(p)
	if err == io.EOF {
		g.ended = true
		if g.err = g.atEOF(); g.err != nil {
			return n, g.err
		}
	}
	return n, err
}

func (g *gatedBody) endErr() error {
	if g.err != nil {
		return g.err
	}
	return io.EOF
}

// intend records keys as garbage due after OrphanGrace, before their blobs
// are written.
func (s *Service) intend(ctx context.Context, keys ...string) error {
	return blobref.Intend(ctx, s.meta, s.now().Add(s.orphanGrace), keys...)
}

// discardBlobs deletes blobs that a failed request wrote, unless committed
// metadata references them (see blobref.Discard).
func (s *Service) discardBlobs(keys ...string) {
	blobref.Discard(s.meta, s.blobs, s.now(), s.log, keys...)
}

// bodyError classifies an error met while reading a request body: errors
// that already carry a Kind (checksum or signature failures raised by the
// reader) pass through; a body cut short is the client's fault.
func bodyError(err error) error {
	if _, ok := errors.AsType[*glacier.Error](err); ok {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return glacier.Wrap(glacier.KindInvalidParameter, err, "The request body ended before Content-Length bytes arrived")
	}
	return err
}

// openArchive returns a reader of n bytes of archive a from byte off. It
// opens the first segment at once, so that a store that fails fails the
// request before its response begins, and each further segment only when
// the read reaches it.
func (s *Service) openArchive(ctx context.Context, a glacier.Archive, off, n int64) (io.ReadCloser, error) {
	r := &segmentReader{ctx: ctx, blobs: s.blobs, segs: a.Segments, off: off, left: n}
	if n > 0 {
		if err := r.next(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

type segmentReader struct {
	ctx   context.Context
	blobs glacier.BlobStore
	segs  []glacier.Segment
	off   int64 // offset within segs[0] of the next byte
	left  int64 // bytes still to read
	cur   io.ReadCloser
}

// next opens the segment holding the next byte, if none is open.
func (r *segmentReader) next() error {
	if r.cur != nil {
		return nil
	}
	for len(r.segs) > 0 && r.off >= r.segs[0].Size {
		r.off -= r.segs[0].Size
		r.segs = r.segs[1:]
	}
	if len(r.segs) == 0 {
		return io.ErrUnexpectedEOF
	}
	n := min(r.left, r.segs[0].Size-r.off)
	rc, err := r.blobs.Open(r.ctx, r.segs[0].Key, r.off, n)
	if err != nil {
		return err
	}
	r.cur, r.off = rc, r.off+n
	return nil
}

// done closes the current segment after it was read to its end.
func (r *segmentReader) done() error {
	err := r.cur.Close()
	r.cur = nil
	return err
}

func (r *segmentReader) Read(p []byte) (int, error) {
	for {
		if r.left <= 0 {
			return 0, io.EOF
		}
		if err := r.next(); err != nil {
			return 0, err
		}
		if int64(len(p)) > r.left {
			p = p[:r.left]
		}
		n, err := r.cur.Read(p)
		r.left -= int64(n)
		if err == io.EOF {
			if err = r.done(); n > 0 || err != nil {
				return n, err
			}
			continue
		}
		return n, err
	}
}

// WriteTo copies the rest to w segment by segment, so that each segment's
// own WriteTo (a file's: sendfile(2) onto a network connection) is used.
func (r *segmentReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for r.left > 0 {
		if err := r.next(); err != nil {
			return total, err
		}
		n, err := io.Copy(w, r.cur)
		total += n
		r.left -= n
		if err != nil {
			return total, err
		}
		if err := r.done(); err != nil {
			return total, err
		}
	}
	return total, nil
}

func (r *segmentReader) Close() error {
	if r.cur != nil {
		return r.cur.Close()
	}
	return nil
}

// rangeTreeHash returns the tree hash of the aligned inclusive range
// [start, end] of archive a, combined from its segments' leaf hashes.
func (s *Service) rangeTreeHash(ctx context.Context, a glacier.Archive, start, end int64) ([32]byte, error) {
	first, last := start/treehash.LeafSize, end/treehash.LeafSize // leaf indexes
	var leaves []byte
	var segStart int64 // leaf index of the segment's first leaf
	for _, seg := range a.Segments {
		segLeaves := (seg.Size + treehash.LeafSize - 1) / treehash.LeafSize
		lo, hi := max(first, segStart), min(last, segStart+segLeaves-1)
		if lo <= hi {
			rc, err := s.blobs.Open(ctx, blobref.LeavesKey(seg.Key), (lo-segStart)*treehash.Size, (hi-lo+1)*treehash.Size)
			if err != nil {
				return [32]byte{}, err
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return [32]byte{}, err
			}
			leaves = append(leaves, b...)
		}
		segStart += segLeaves
	}
	if int64(len(leaves)) != (last-first+1)*treehash.Size {
		return [32]byte{}, glacier.Errorf(glacier.KindInternal, "archive %s: leaf hashes cover %d bytes, want %d", a.ID, len(leaves), (last-first+1)*treehash.Size)
	}
	return treehash.Combine(treehash.Split(leaves)), nil
}

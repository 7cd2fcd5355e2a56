package upload

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"golang.org/x/sync/errgroup"

	"github.com/glacierd/glacierd/cmd/glacier/internal/client"
	"github.com/glacierd/glacierd/internal/treehash"
)

// pipeline reads parts sequentially from one reader into a bounded set of
// buffers (Concurrency+2 of partSize bytes), hashes each as it is read, and
// has Concurrency workers send them: the next part is read and hashed while
// the workers wait for the vault's answers. After run, hashes holds every
// part's tree hash in order.
type pipeline struct {
	api      API
	o        Options
	uploadID string
	partSize int64
	remote   map[int64]RemotePart // parts already in the vault (resume)

	mu      sync.Mutex
	hashes  [][treehash.Size]byte
	total   int64
	sent    int
	skipped int
}

// chunk is a part read into a buffer, with its hashes.
type chunk struct {
	part Part
	data []byte
	tree [treehash.Size]byte
	sum  *[sha256.Size]byte // nil when the vault may hold the part already
}

func (p *pipeline) run(ctx context.Context, r io.Reader) error {
	g, ctx := errgroup.WithContext(ctx)
	work := make(chan chunk)
	nbuf := p.o.Concurrency + 2
	free := make(chan []byte, nbuf)
	g.Go(func() error {
		defer close(work)
		return p.produce(ctx, r, work, free, nbuf)
	})
	for range p.o.Concurrency {
		g.Go(func() error {
			for c := range work {
				if err := p.handle(ctx, c); err != nil {
					return err
				}
				free <- c.data[:cap(c.data)]
			}
			return nil
		})
	}
	return g.Wait()
}

// produce reads the input part by part into buffers, hashes them and queues
// them.
func (p *pipeline) produce(ctx context.Context, r io.Reader, work chan<- chunk, free chan []byte, nbuf int) error {
	allocated := 0
	var start int64
	for idx := 0; ; idx++ {
		var buf []byte
		select {
		case buf = <-free:
		default:
			if allocated < nbuf {
				buf = make([]byte, p.partSize)
				allocated++
				break
			}
			select {
			case buf = <-free:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		n, err := io.ReadFull(r, buf)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("read input: %w", err)
		}
		if n == 0 {
			p.setTotal(start, idx)
			return nil
		}
		if idx >= MaxParts {
			return fmt.Errorf("the input is larger than %d parts of %d bytes: use a larger --part-size", MaxParts, p.partSize)
		}
		c := chunk{part: Part{Index: idx, Start: start, Size: int64(n)}, data: buf[:n]}
		c.tree, c.sum = p.hash(c)
		select {
		case work <- c:
		case <-ctx.Done():
			return ctx.Err()
		}
		start += int64(n)
		if int64(n) < p.partSize {
			p.setTotal(start, idx+1)
			return nil
		}
	}
}

func (p *pipeline) setTotal(total int64, parts int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total = total
	if len(p.hashes) < parts {
		p.hashes = append(p.hashes, make([][treehash.Size]byte, parts-len(p.hashes))...)
	}
}

// handle sends one part unless the vault already holds it.
func (p *pipeline) handle(ctx context.Context, c chunk) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	tree, sum := c.tree, c.sum
	if !NeedsUpload(p.remote, c.part, tree) {
		p.record(c.part.Index, tree, false)
		p.o.Progress(c.part.Size)
		return nil
	}
	if sum == nil {
		s := sha256.Sum256(c.data)
		sum = &s
	}
	want := hex.EncodeToString(tree[:])
	out, err := p.api.UploadMultipartPart(ctx, &glacier.UploadMultipartPartInput{
		AccountId: aws.String(p.o.AccountID),
		VaultName: aws.String(p.o.Vault),
		UploadId:  aws.String(p.uploadID),
		Range:     aws.String(c.part.ContentRange()),
		Checksum:  aws.String(want),
		Body:      newCountingReader(c.data, p.o.Progress),
	}, client.WithContentSHA256(*sum))
	if err != nil {
		return fmt.Errorf("upload part %d (bytes %d-%d): %w", c.part.Index+1, c.part.Start, c.part.End(), err)
	}
	if got := aws.ToString(out.Checksum); got != want {
		return fmt.Errorf("part %d (bytes %d-%d): the vault reports tree hash %s, the data hashes to %s",
			c.part.Index+1, c.part.Start, c.part.End(), got, want)
	}
	p.record(c.part.Index, tree, true)
	return nil
}

// hash returns the part's tree hash and, unless the vault may hold the part
// already (resume), its SHA-256, computed at the same time, on two cores
// when there are two: the part waits for both before any byte is sent.
func (p *pipeline) hash(c chunk) ([treehash.Size]byte, *[sha256.Size]byte) {
	if _, maybeSent := p.remote[c.part.Start]; maybeSent {
		return treehash.Sum(c.data), nil
	}
	linear := make(chan [sha256.Size]byte, 1)
	go func() { linear <- sha256.Sum256(c.data) }()
	tree := treehash.Sum(c.data)
	sum := <-linear
	return tree, &sum
}

func (p *pipeline) record(idx int, h [treehash.Size]byte, sent bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if idx >= len(p.hashes) {
		p.hashes = append(p.hashes, make([][treehash.Size]byte, idx+1-len(p.hashes))...)
	}
	p.hashes[idx] = h
	if sent {
		p.sent++
	} else {
		p.skipped++
	}
}

// countingReader is a request body over a byte slice that reports read
// progress. Bytes re-read after a rewind (an SDK retry) are not reported
// twice. It is safe for the HTTP transport's concurrent use.
type countingReader struct {
	mu       sync.Mutex
	data     []byte
	pos      int64
	reported int64
	progress func(int64)
}

func newCountingReader(data []byte, progress func(int64)) *countingReader {
	if progress == nil {
		progress = func(int64) {}
	}
	return &countingReader{data: data, progress: progress}
}

// Read implements io.Reader.
func (r *countingReader) Read(b []byte) (int, error) {
	r.mu.Lock()
	if r.pos >= int64(len(r.data)) {
		r.mu.Unlock()
		return 0, io.EOF
	}
	n := copy(b, r.data[r.pos:])
	r.pos += int64(n)
	var delta int64
	if r.pos > r.reported {
		delta, r.reported = r.pos-r.reported, r.pos
	}
	r.mu.Unlock()
	r.progress(delta)
	return n, nil
}

// Seek implements io.Seeker, which lets the SDK size and rewind the body.
func (r *countingReader) Seek(offset int64, whence int) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = r.pos + offset
	case io.SeekEnd:
		abs = int64(len(r.data)) + offset
	default:
		return 0, errors.New("countingReader.Seek: invalid whence")
	}
	if abs < 0 {
		return 0, errors.New("countingReader.Seek: negative position")
	}
	r.pos = abs
	return abs, nil
}

package engine

import (
	"errors"
	"fmt"
	"math/bits"
	"time"

	"github.com/glacierd/glacierd/cmd/glacier/internal/download"

	"github.com/glacierd/glacierd/internal/units"
)

// Options control a run.
type Options struct {
	Account, Vault string
	Bucket         string
	Tier           string // Bulk, Standard or Expedited
	BytesPerDay    int64  // retrieval budget over any 24 hours; 0: none
	Concurrency    int    // archives copied at once; 0: 4
	// PartSize is the smallest range and S3 part size: 1 MiB times a power
	// of two, at least 8 MiB (S3 wants 5 MiB but the last part). A bigger
	// one is used for archives that would need more than 10,000 parts.
	// 0: 16 MiB. It must not change between runs of one journal.
	PartSize          int64
	StorageClass      string // S3 storage class; "": the bucket's default
	DeleteAfterVerify bool
	// Poll is the longest wait between two rounds that made no progress
	// (the wait starts at MinPoll and doubles); 0: 15 minutes.
	Poll time.Duration
	// RenewBefore: a job whose output stops being available within this
	// time is requested again; 0: 2 hours.
	RenewBefore time.Duration
	// Now and After are the clock; nil: the real one.
	Now   func() time.Time
	After func(time.Duration) <-chan time.Time
	// Note, if set, receives one line per event worth telling the user.
	Note func(format string, args ...any)
}

// MinPoll is the first wait after a round that made no progress.
const MinPoll = time.Second

// DefaultPartSize is the part size when Options.PartSize is 0.
const DefaultPartSize = 16 * units.MiB

const (
	maxParts  = 10000
	jobWindow = 24 * time.Hour // how long Glacier keeps a completed job's output
)

func (o Options) withDefaults() (Options, error) {
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.PartSize == 0 {
		o.PartSize = DefaultPartSize
	}
	if o.PartSize < 8*units.MiB || o.PartSize%units.MiB != 0 || bits.OnesCount64(uint64(o.PartSize/units.MiB)) != 1 {
		return o, fmt.Errorf("part size %d: want 1 MiB times a power of two, at least 8 MiB", o.PartSize)
	}
	if o.Poll <= 0 {
		o.Poll = 15 * time.Minute
	}
	if o.RenewBefore <= 0 {
		o.RenewBefore = 2 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.After == nil {
		o.After = time.After
	}
	if o.Note == nil {
		o.Note = func(string, ...any) {}
	}
	if o.Account == "" || o.Vault == "" || o.Bucket == "" {
		return o, errors.New("engine: account, vault and bucket are required")
	}
	return o, nil
}

// RangesOf returns the ranges (S3 parts) of an archive of size bytes.
func RangesOf(size, partSize int64) []download.Range {
	return download.Plan(size, RangeSize(size, partSize))
}

// RangeSize returns the range (and S3 part) size for an archive of size
// bytes: partSize, doubled until the archive fits in 10,000 parts.
func RangeSize(size, partSize int64) int64 {
	r := partSize
	for size > r*maxParts {
		r *= 2
	}
	return r
}

// Package upload sends a file or a stream to a Glacier vault: a single
// UploadArchive for small inputs, a parallel multipart upload for large
// ones, with tree hashes computed while reading and resumption of an
// interrupted multipart upload that re-sends only the parts the vault does
// not already hold intact.
package upload

import (
	"fmt"
	"math/bits"

	"github.com/glacierd/glacierd/internal/units"
)

// Glacier's multipart limits and the command's defaults.
const (
	MinPartSize      = units.MiB      // smallest part Glacier accepts
	MaxPartSize      = 4 * units.GiB  // largest part Glacier accepts
	MaxParts         = 10000          // most parts in one upload
	DefaultThreshold = 64 * units.MiB // inputs this large or larger go multipart
	// FastPartSize is the part size automatic planning aims for on large
	// inputs: big enough that per-request overhead is negligible, small
	// enough that parts spread over the workers and a retry is cheap.
	FastPartSize = 16 * units.MiB
	// StreamPartSize is the automatic part size for input of unknown size
	// (standard input), which caps such an archive at MaxParts times it
	// (156 GiB); pass a larger --part-size for more.
	StreamPartSize = FastPartSize
)

// CheckPartSize reports whether n is a valid Glacier part size: a power of
// two number of MiB from 1 MiB to 4 GiB.
func CheckPartSize(n int64) error {
	if n < MinPartSize || n > MaxPartSize || n%MinPartSize != 0 || bits.OnesCount64(uint64(n/MinPartSize)) != 1 {
		return fmt.Errorf("invalid part size %d: it must be 1 MiB times a power of two, from 1 MiB to 4 GiB", n)
	}
	return nil
}

// ceilPow2MiB returns the smallest power-of-two number of MiB that is at
// least n bytes (and at least 1 MiB).
func ceilPow2MiB(n int64) int64 {
	mib := (n + MinPartSize - 1) / MinPartSize
	if mib <= 1 {
		return MinPartSize
	}
	return MinPartSize << bits.Len64(uint64(mib-1))
}

// AutoPartSize chooses the part size for an archive of size bytes sent by
// concurrency workers: the smallest power-of-two MiB that keeps the upload
// within MaxParts parts, but no smaller than what gives every worker a part
// of its own, up to FastPartSize. So a 50 MiB file with 4 workers gets
// 16 MiB parts (4 parts), 10 GiB gets 16 MiB (640 parts), and 1 TiB gets
// 128 MiB (8192 parts). A negative size (unknown) gets StreamPartSize.
func AutoPartSize(size int64, concurrency int) (int64, error) {
	if size < 0 {
		return StreamPartSize, nil
	}
	fit := ceilPow2MiB((size + MaxParts - 1) / MaxParts)
	if fit > MaxPartSize {
		return 0, fmt.Errorf("%s is too large for one Glacier archive (at most %d parts of 4 GiB)", units.Format(size), MaxParts)
	}
	spread := min(FastPartSize, ceilPow2MiB((size+int64(max(concurrency, 1))-1)/int64(max(concurrency, 1))))
	return max(fit, spread), nil
}

// Part is one part of a multipart upload: bytes [Start, Start+Size) of the
// archive.
type Part struct {
	Index int
	Start int64
	Size  int64
}

// End returns the part's last byte offset (inclusive).
func (p Part) End() int64 { return p.Start + p.Size - 1 }

// ContentRange returns the part's UploadMultipartPart Content-Range.
func (p Part) ContentRange() string { return fmt.Sprintf("bytes %d-%d/*", p.Start, p.End()) }

// Plan cuts an archive of size bytes into parts of partSize (the last one
// shorter). It fails if the part size is invalid or more than MaxParts parts
// would be needed.
func Plan(size, partSize int64) ([]Part, error) {
	if err := CheckPartSize(partSize); err != nil {
		return nil, err
	}
	if size <= 0 {
		return nil, fmt.Errorf("nothing to upload: the input is empty")
	}
	n := (size + partSize - 1) / partSize
	if n > MaxParts {
		return nil, fmt.Errorf("%s in parts of %s needs %d parts, more than Glacier's %d: use a larger --part-size",
			units.Format(size), units.Format(partSize), n, MaxParts)
	}
	parts := make([]Part, n)
	for i := range parts {
		start := int64(i) * partSize
		parts[i] = Part{Index: i, Start: start, Size: min(partSize, size-start)}
	}
	return parts, nil
}

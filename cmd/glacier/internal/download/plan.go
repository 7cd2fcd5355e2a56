// Package download fetches the output of a completed archive-retrieval job
// into a file: in parallel byte ranges written in place, each range checked
// against the tree hash Glacier sends with it, the whole file checked against
// the job's tree hash, and interrupted downloads resumed from a small state
// file kept next to the output.
package download

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/internal/units"
)

// DefaultRangeSize is the largest range fetched by one GetJobOutput request
// when the range size is chosen automatically.
const DefaultRangeSize = 64 * units.MiB

// Job is what a download needs to know about a completed retrieval job.
type Job struct {
	AccountID string
	Vault     string
	JobID     string
	ArchiveID string
	// RetrievalByteRange is the part of the archive the job retrieved, as
	// "first-last".
	RetrievalByteRange string
	Size               int64  // bytes of job output
	TreeHash           string // the output's tree hash; "" when Glacier gives none
}

// JobFromDescription builds a Job from a DescribeJob answer. It fails for a
// job that is not a completed, successful archive retrieval.
func JobFromDescription(account, vault string, d *glacier.DescribeJobOutput) (Job, error) {
	id := aws.ToString(d.JobId)
	switch {
	case d.Action != types.ActionCodeArchiveRetrieval:
		return Job{}, fmt.Errorf("job %s is an %s job, not an archive retrieval", id, d.Action)
	case d.StatusCode != types.StatusCodeSucceeded:
		return Job{}, fmt.Errorf("job %s is %s, not Succeeded: %s", id, d.StatusCode, aws.ToString(d.StatusMessage))
	}
	j := Job{
		AccountID: account, Vault: vault, JobID: id, ArchiveID: aws.ToString(d.ArchiveId),
		RetrievalByteRange: aws.ToString(d.RetrievalByteRange), Size: aws.ToInt64(d.ArchiveSizeInBytes),
		TreeHash: aws.ToString(d.SHA256TreeHash),
	}
	if j.RetrievalByteRange != "" {
		first, last, err := ParseByteRange(j.RetrievalByteRange)
		if err != nil {
			return Job{}, fmt.Errorf("job %s: %w", id, err)
		}
		j.Size = last - first + 1
	}
	return j, nil
}

// ParseByteRange parses an inclusive "first-last" byte range.
func ParseByteRange(s string) (first, last int64, err error) {
	a, b, ok := strings.Cut(s, "-")
	first, err1 := strconv.ParseInt(a, 10, 64)
	last, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || first < 0 || last < first {
		return 0, 0, fmt.Errorf("invalid byte range %q: want first-last, e.g. 0-1048575", s)
	}
	return first, last, nil
}

// CheckRangeSize reports whether n is a usable range size: 1 MiB times a
// power of two, so that every range but the last is a whole node of the
// output's tree hash and the range hashes combine into the whole one.
func CheckRangeSize(n int64) error {
	if n < units.MiB || n%units.MiB != 0 || bits.OnesCount64(uint64(n/units.MiB)) != 1 {
		return fmt.Errorf("invalid range size %d: it must be 1 MiB times a power of two", n)
	}
	return nil
}

// AutoRangeSize picks the range size for size bytes fetched by concurrency
// workers: DefaultRangeSize, or less for small outputs so that every worker
// gets a range, but at least 1 MiB. It is always a valid range size.
func AutoRangeSize(size int64, concurrency int) int64 {
	per := (size + int64(max(concurrency, 1)) - 1) / int64(max(concurrency, 1))
	r := units.MiB
	for r < per && r < DefaultRangeSize {
		r <<= 1
	}
	return r
}

// Range is an inclusive byte range of the job output.
type Range struct {
	Start, End int64
}

// Size returns the range's length in bytes.
func (r Range) Size() int64 { return r.End - r.Start + 1 }

// Header returns the range as an HTTP Range header value.
func (r Range) Header() string { return fmt.Sprintf("bytes=%d-%d", r.Start, r.End) }

// String renders the range for messages: "bytes first-last".
func (r Range) String() string { return fmt.Sprintf("bytes %d-%d", r.Start, r.End) }

// Plan cuts size bytes into ranges of rangeSize (the last one shorter).
func Plan(size, rangeSize int64) []Range {
	var out []Range
	for s := int64(0); s < size; s += rangeSize {
		out = append(out, Range{Start: s, End: min(s+rangeSize, size) - 1})
	}
	return out
}

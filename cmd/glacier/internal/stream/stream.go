// Package stream copies an archive-retrieval job's output to a writer (such
// as standard output) in order, one request at a time, continuing from the
// last byte written when a response breaks off, and checks the whole against
// the job's tree hash at the end. Unlike a download into a file it cannot
// take back bytes already written, so a failed check can only be reported.
package stream

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/internal/treehash"
)

// API is the part of the Glacier client Copy uses.
type API interface {
	GetJobOutput(ctx context.Context, in *glacier.GetJobOutputInput, optFns ...func(*glacier.Options)) (*glacier.GetJobOutputOutput, error)
}

// Options say which job to copy.
type Options struct {
	AccountID, Vault, JobID string
	Size                    int64  // bytes of output
	TreeHash                string // the job's SHA256TreeHash; "" when it has none (unverifiable)
	Attempts                int    // responses to try when one breaks off; 0: 5
	Progress                func(n int64)
}

// Result describes what was written.
type Result struct {
	Size     int64
	TreeHash string
	Verified bool // the tree hash matched the job's
}

// CorruptError is output whose tree hash differs from the job's.
type CorruptError struct{ Got, Want string }

func (e *CorruptError) Error() string {
	return fmt.Sprintf("corrupted output: the data written has tree hash %s, but the job's is %s", e.Got, e.Want)
}

// writeError marks a failure of the destination, which retrying cannot fix.
type writeError struct{ err error }

func (e writeError) Error() string { return e.err.Error() }
func (e writeError) Unwrap() error { return e.err }

type dest struct {
	w        io.Writer
	h        *treehash.Hasher
	n        int64
	progress func(int64)
}

func (d *dest) Write(p []byte) (int, error) {
	n, err := d.w.Write(p)
	d.h.Write(p[:n])
	d.n += int64(n)
	if d.progress != nil {
		d.progress(int64(n))
	}
	if err != nil {
		return n, writeError{err}
	}
	return n, nil
}

// Copy writes the job's output to w.
func Copy(ctx context.Context, api API, w io.Writer, o Options) (Result, error) {
	attempts := o.Attempts
	if attempts <= 0 {
		attempts = 5
	}
	d := &dest{w: w, h: treehash.New(), progress: o.Progress}
	for attempt := 1; d.n < o.Size; attempt++ {
		err := fetch(ctx, api, d, o)
		if err == nil && d.n < o.Size {
			err = fmt.Errorf("the output ended after %d of %d bytes", d.n, o.Size)
		}
		if err == nil {
			break
		}
		if _, ok := errors.AsType[writeError](err); ok || ctx.Err() != nil || attempt >= attempts {
			return Result{Size: d.n}, err
		}
	}
	res := Result{Size: d.n, TreeHash: hex.EncodeToString(d.h.Sum(nil))}
	if o.TreeHash != "" {
		if res.TreeHash != o.TreeHash {
			return res, &CorruptError{Got: res.TreeHash, Want: o.TreeHash}
		}
		res.Verified = true
	}
	return res, nil
}

// fetch requests the output from the first byte not yet written and copies
// it to d.
func fetch(ctx context.Context, api API, d *dest, o Options) error {
	in := &glacier.GetJobOutputInput{AccountId: aws.String(o.AccountID), VaultName: aws.String(o.Vault), JobId: aws.String(o.JobID)}
	if d.n > 0 {
		in.Range = aws.String(fmt.Sprintf("bytes=%d-%d", d.n, o.Size-1))
	}
	out, err := api.GetJobOutput(ctx, in)
	if err != nil {
		return err
	}
	defer out.Body.Close()
	_, err = io.Copy(d, io.LimitReader(out.Body, o.Size-d.n))
	return err
}

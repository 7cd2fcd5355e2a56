package engine

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/minio/minio-go/v7"
	"golang.org/x/sync/errgroup"

	"github.com/glacierd/glacierd/cmd/glacier/internal/download"
	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/journal"
	"github.com/glacierd/glacierd/internal/treehash"
)

// copyReady copies every downloading or uploading archive, Concurrency at
// a time. An archive's error fails that archive; only the context's error
// stops the others.
func (e *Engine) copyReady(ctx context.Context) (bool, error) {
	recs, err := e.j.Archives(ctx)
	if err != nil {
		return false, err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(e.o.Concurrency)
	moved := false
	for _, r := range recs {
		if r.State != journal.Downloading && r.State != journal.Uploading || e.isFailed(r.ID) {
			continue
		}
		moved = true
		g.Go(func() error {
			err := e.copyArchive(gctx, r.ID)
			if err != nil && gctx.Err() == nil {
				e.fail(r, err)
				return nil
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return moved, err
	}
	return moved, ctx.Err()
}

// copyArchive copies one archive whose job output is available into its S3
// object, range by range, and verifies the object.
func (e *Engine) copyArchive(ctx context.Context, id string) error {
	r, err := e.j.Archive(ctx, id)
	if err != nil {
		return err
	}
	resumed := r.UploadID != "" // S3 may hold parts the journal does not
	if !resumed {
		if r.UploadID, resumed, err = e.startUpload(ctx, r); err != nil {
			return err
		}
	}
	if r.State == journal.Downloading {
		if err := e.j.Uploading(ctx, id, r.UploadID); err != nil {
			return err
		}
	}
	if err := e.copyRanges(ctx, r, resumed); err != nil {
		return err
	}
	if r, err = e.j.Archive(ctx, id); err != nil {
		return err
	}
	if err := e.complete(ctx, r); err != nil {
		return err
	}
	if err := e.j.Verified(ctx, id); err != nil {
		return err
	}
	e.mu.Lock()
	e.res.Copied++
	e.mu.Unlock()
	e.o.Note("copied %s (%d bytes)", r.Key, r.Size)
	return nil
}

// startUpload returns the S3 multipart upload of the archive's key that a
// run killed before recording it started (adopted), or starts one.
func (e *Engine) startUpload(ctx context.Context, r journal.Record) (id string, adopted bool, err error) {
	res, err := e.s3.ListMultipartUploads(ctx, e.o.Bucket, r.Key, "", "", "", 1000)
	if err != nil {
		return "", false, fmt.Errorf("s3 list multipart uploads of %s: %w", r.Key, err)
	}
	for _, u := range res.Uploads {
		if u.Key == r.Key {
			return u.UploadID, true, nil
		}
	}
	id, err = e.s3.NewMultipartUpload(ctx, e.o.Bucket, r.Key, minio.PutObjectOptions{
		UserMetadata: Metadata(r.Archive), StorageClass: e.o.StorageClass, ContentType: "application/octet-stream",
	})
	if err != nil {
		return "", false, fmt.Errorf("s3 new multipart upload of %s: %w", r.Key, err)
	}
	return id, false, nil
}

// copyRanges fetches and uploads the ranges the journal does not hold;
// resumed: the upload existed before, so S3 may hold some of them.
func (e *Engine) copyRanges(ctx context.Context, r journal.Record, resumed bool) error {
	size := RangeSize(r.Size, e.o.PartSize)
	plan := download.Plan(r.Size, size)
	for _, p := range r.Parts {
		if p.Number < len(plan) && p.Size != size {
			return fmt.Errorf("part %d of %s is %d bytes, this run uses %d: the part size must not change between runs", p.Number, r.Key, p.Size, size)
		}
	}
	missing := 0
	for k := range plan {
		if !done(r, k) {
			missing++
		}
	}
	if missing == 0 {
		return nil // perhaps even completed, by a run killed before recording it
	}
	var listed map[int]minio.ObjectPart
	if resumed {
		// Parts sent before a crash but not journaled are adopted, not sent again.
		var err error
		if listed, err = e.listParts(ctx, r); err != nil {
			return err
		}
	}
	buf := make([]byte, size)
	for k, rg := range plan {
		if done(r, k) {
			continue
		}
		b := buf[:rg.Size()]
		hash, err := e.fetchRetrying(ctx, r, rg, b)
		if err != nil {
			return err
		}
		part, err := e.putPart(ctx, r, k+1, b, listed)
		if err != nil {
			return err
		}
		if err := e.j.PartUploaded(ctx, r.ID, r.UploadID, k, hash, part); err != nil {
			return err
		}
	}
	return nil
}

// done reports whether the journal holds range k and its part.
func done(r journal.Record, k int) bool {
	return slices.Contains(r.Ranges, k) && slices.ContainsFunc(r.Parts, func(p journal.Part) bool { return p.Number == k+1 })
}

// listParts returns the parts S3 holds for the archive's upload.
func (e *Engine) listParts(ctx context.Context, r journal.Record) (map[int]minio.ObjectPart, error) {
	out := map[int]minio.ObjectPart{}
	marker := 0
	for {
		res, err := e.s3.ListObjectParts(ctx, e.o.Bucket, r.Key, r.UploadID, marker, 1000)
		if err != nil {
			return nil, fmt.Errorf("s3 list parts of %s: %w", r.Key, err)
		}
		for _, p := range res.ObjectParts {
			out[p.PartNumber] = p
		}
		if !res.IsTruncated {
			return out, nil
		}
		marker = res.NextPartNumberMarker
	}
}

// fetchRetrying fetches a range, again when its response body breaks off
// (the SDK retries failed requests, not a body that fails midway); a range
// whose bytes do not match its tree hash is not fetched again.
func (e *Engine) fetchRetrying(ctx context.Context, r journal.Record, rg download.Range, b []byte) (string, error) {
	const attempts = 3
	var err error
	for range attempts {
		var hash string
		hash, err = e.fetch(ctx, r, rg, b)
		if _, corrupt := errors.AsType[*download.RangeError](err); err == nil || corrupt || ctx.Err() != nil {
			return hash, err
		}
	}
	return "", err
}

// fetch reads one range of the job output into b and checks it against
// the range's tree hash; it returns that hash.
func (e *Engine) fetch(ctx context.Context, r journal.Record, rg download.Range, b []byte) (string, error) {
	out, err := e.gl.GetJobOutput(ctx, &glacier.GetJobOutputInput{
		AccountId: aws.String(e.o.Account), VaultName: aws.String(e.o.Vault), JobId: aws.String(r.JobID),
		Range: aws.String(rg.Header()),
	})
	if err != nil {
		return "", fmt.Errorf("get job output (%s): %w", rg, err)
	}
	defer out.Body.Close()
	n, err := io.ReadFull(out.Body, b)
	if err != nil {
		return "", fmt.Errorf("get job output (%s): %d of %d bytes: %w", rg, n, len(b), err)
	}
	if extra, _ := out.Body.Read(make([]byte, 1)); extra > 0 {
		return "", fmt.Errorf("get job output (%s): more bytes than requested", rg)
	}
	root := treehash.Sum(b)
	got := hex.EncodeToString(root[:])
	if want := aws.ToString(out.Checksum); want != "" && want != got {
		return "", &download.RangeError{Range: rg, Got: got, Want: want}
	}
	return got, nil
}

// putPart uploads b as part n, unless S3 already holds it (listed with the
// same MD5 ETag and size).
func (e *Engine) putPart(ctx context.Context, r journal.Record, n int, b []byte, listed map[int]minio.ObjectPart) (journal.Part, error) {
	sum := md5.Sum(b)
	if p, ok := listed[n]; ok && p.Size == int64(len(b)) && trimETag(p.ETag) == hex.EncodeToString(sum[:]) {
		e.mu.Lock()
		e.res.PartsAdopted++
		e.mu.Unlock()
		return journal.Part{Number: n, ETag: trimETag(p.ETag), Size: p.Size}, nil
	}
	p, err := e.s3.PutObjectPart(ctx, e.o.Bucket, r.Key, r.UploadID, n, bytes.NewReader(b), int64(len(b)), minio.PutObjectPartOptions{})
	if err != nil {
		return journal.Part{}, fmt.Errorf("s3 upload part %d of %s: %w", n, r.Key, err)
	}
	e.mu.Lock()
	e.res.PartsUploaded++
	e.res.BytesCopied += int64(len(b))
	e.mu.Unlock()
	return journal.Part{Number: n, ETag: trimETag(p.ETag), Size: int64(len(b))}, nil
}

func trimETag(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

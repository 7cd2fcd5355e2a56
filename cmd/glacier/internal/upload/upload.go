package upload

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/cmd/glacier/internal/client"
	"github.com/glacierd/glacierd/internal/treehash"
	"github.com/glacierd/glacierd/internal/units"
)

// Options control an upload.
type Options struct {
	AccountID   string
	Vault       string
	Description string
	PartSize    int64 // 0: AutoPartSize (or, when resuming by ID, the upload's)
	// Threshold is the input size from which a multipart upload is used;
	// 0 always uses one. With PartSize set, inputs larger than a part also
	// go multipart.
	Threshold   int64
	Concurrency int // parts in flight at once; 0: 1

	ResumeID   string // resume this multipart upload
	ResumeAuto bool   // resume the newest upload with the same description and part size, if any

	// Progress, if set, is called (concurrently) with the number of bytes
	// newly sent or found already uploaded.
	Progress func(n int64)
	// Notice, if set, receives messages for the user (resumption decisions).
	Notice func(format string, args ...any)
}

// Source is the data to upload: a reader and its size, or -1 when the size
// is not known in advance (a pipe).
type Source struct {
	R    io.Reader
	Size int64
}

// Result describes a stored archive.
type Result struct {
	ArchiveID    string `json:"ArchiveId"`
	Location     string `json:"Location,omitempty"`
	Size         int64  `json:"Size"`
	TreeHash     string `json:"SHA256TreeHash"`
	UploadID     string `json:"UploadId,omitempty"` // multipart only
	PartSize     int64  `json:"PartSizeInBytes,omitempty"`
	Parts        int    `json:"Parts,omitempty"`
	PartsSent    int    `json:"PartsSent,omitempty"`
	PartsSkipped int    `json:"PartsSkipped,omitempty"` // already in the vault when resuming
	Resumed      bool   `json:"Resumed,omitempty"`
}

// InterruptedError is a multipart upload that failed after it was initiated;
// its parts stay in the vault and UploadID can resume it.
type InterruptedError struct {
	Vault    string
	UploadID string
	Err      error
}

// Error returns the underlying error's message.
func (e *InterruptedError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *InterruptedError) Unwrap() error { return e.Err }

// Run uploads src to the vault and returns the archive it created.
func Run(ctx context.Context, api API, src Source, o Options) (Result, error) {
	o.Concurrency = max(o.Concurrency, 1)
	if o.Progress == nil {
		o.Progress = func(int64) {}
	}
	if o.Notice == nil {
		o.Notice = func(string, ...any) {}
	}
	if o.PartSize != 0 {
		if err := CheckPartSize(o.PartSize); err != nil {
			return Result{}, err
		}
	}
	resuming := o.ResumeID != "" || o.ResumeAuto
	if o.PartSize > 0 && o.Threshold > o.PartSize {
		// An explicit part size asks for multipart whenever it splits the input.
		o.Threshold = o.PartSize + 1
	}
	r := src.R
	switch {
	case src.Size >= 0 && src.Size < o.Threshold && !resuming:
		buf := make([]byte, src.Size)
		if _, err := io.ReadFull(r, buf); err != nil {
			return Result{}, fmt.Errorf("read input: %w", err)
		}
		return single(ctx, api, buf, o)
	case src.Size < 0 && o.Threshold > 0:
		// Read up to the threshold to learn whether the stream is small.
		head, err := io.ReadAll(io.LimitReader(r, o.Threshold))
		if err != nil {
			return Result{}, fmt.Errorf("read input: %w", err)
		}
		if int64(len(head)) < o.Threshold && !resuming {
			return single(ctx, api, head, o)
		}
		r = io.MultiReader(bytes.NewReader(head), r)
	}
	return multipart(ctx, api, Source{R: r, Size: src.Size}, o)
}

// single stores data with one UploadArchive request.
func single(ctx context.Context, api API, data []byte, o Options) (Result, error) {
	tree := treehash.Sum(data)
	want := hex.EncodeToString(tree[:])
	out, err := api.UploadArchive(ctx, &glacier.UploadArchiveInput{
		AccountId:          aws.String(o.AccountID),
		VaultName:          aws.String(o.Vault),
		ArchiveDescription: optional(o.Description),
		Checksum:           aws.String(want),
		Body:               newCountingReader(data, o.Progress),
	}, client.WithContentSHA256(sha256.Sum256(data)))
	if err != nil {
		return Result{}, err
	}
	if got := aws.ToString(out.Checksum); got != want {
		return Result{}, fmt.Errorf("the vault reports tree hash %s for the archive, but its data hashes to %s", got, want)
	}
	return Result{ArchiveID: aws.ToString(out.ArchiveId), Location: aws.ToString(out.Location), Size: int64(len(data)), TreeHash: want}, nil
}

// optional returns nil for "" (an absent header) and a pointer otherwise.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

// multipart runs (or resumes) a multipart upload of src.
func multipart(ctx context.Context, api API, src Source, o Options) (Result, error) {
	res := Result{}
	t, err := chooseUpload(ctx, api, src, o)
	if err != nil {
		return res, err
	}
	if t.uploadID == "" {
		if t.uploadID, err = initiate(ctx, api, o, t.partSize); err != nil {
			return res, err
		}
	} else {
		o.Notice("resuming upload %s: the vault holds %d part(s) of %s", t.uploadID, len(t.remote), units.Format(t.partSize))
	}
	res.UploadID, res.PartSize, res.Resumed = t.uploadID, t.partSize, t.resumed
	interrupted := func(err error) error { return &InterruptedError{Vault: o.Vault, UploadID: t.uploadID, Err: err} }
	p := &pipeline{api: api, o: o, uploadID: t.uploadID, partSize: t.partSize, remote: t.remote}
	if err := p.run(ctx, src.R); err != nil {
		return res, interrupted(err)
	}
	if err := checkInputRead(src, p.total, t); err != nil {
		return res, interrupted(err)
	}
	tree := treehash.Combine(p.hashes)
	want := hex.EncodeToString(tree[:])
	out, err := api.CompleteMultipartUpload(ctx, &glacier.CompleteMultipartUploadInput{
		AccountId: aws.String(o.AccountID), VaultName: aws.String(o.Vault), UploadId: aws.String(t.uploadID),
		ArchiveSize: aws.String(fmt.Sprint(p.total)), Checksum: aws.String(want),
	})
	if err != nil {
		return res, interrupted(fmt.Errorf("complete multipart upload: %w", err))
	}
	if got := aws.ToString(out.Checksum); got != want {
		return res, fmt.Errorf("the vault reports tree hash %s for the archive, but its data hashes to %s", got, want)
	}
	res.ArchiveID, res.Location, res.Size, res.TreeHash = aws.ToString(out.ArchiveId), aws.ToString(out.Location), p.total, want
	res.Parts, res.PartsSent, res.PartsSkipped = len(p.hashes), p.sent, p.skipped
	return res, nil
}

// target is the multipart upload to send parts to: one to resume (uploadID
// set, remote its parts), or a new one of partSize.
type target struct {
	uploadID string
	partSize int64
	remote   map[int64]RemotePart
	resumed  bool
}

// chooseUpload picks the upload to resume (--resume, or --resume-auto's
// match) and the part size, checking that the input fits in its parts.
func chooseUpload(ctx context.Context, api API, src Source, o Options) (target, error) {
	t := target{partSize: o.PartSize}
	switch {
	case o.ResumeID != "":
		ps, desc, parts, err := listParts(ctx, api, o.AccountID, o.Vault, o.ResumeID)
		if err != nil {
			return t, err
		}
		if t.partSize != 0 && t.partSize != ps {
			return t, fmt.Errorf("upload %s uses parts of %s, not the --part-size %s", o.ResumeID, units.Format(ps), units.Format(t.partSize))
		}
		if desc != o.Description {
			o.Notice("upload %s has description %q; the archive will keep it", o.ResumeID, desc)
		}
		t = target{uploadID: o.ResumeID, partSize: ps, remote: parts, resumed: true}
	case t.partSize == 0:
		ps, err := AutoPartSize(src.Size, o.Concurrency)
		if err != nil {
			return t, err
		}
		t.partSize = ps
	}
	if src.Size >= 0 {
		if _, err := Plan(src.Size, t.partSize); err != nil {
			return t, err
		}
	}
	if o.ResumeAuto && t.uploadID == "" {
		return findResumable(ctx, api, o, t.partSize)
	}
	return t, nil
}

// findResumable returns the newest in-progress upload with the same
// description and part size, or a new target if there is none.
func findResumable(ctx context.Context, api API, o Options, partSize int64) (target, error) {
	t := target{partSize: partSize}
	uploads, err := listUploads(ctx, api, o.AccountID, o.Vault)
	if err != nil {
		return t, err
	}
	u, n := PickUpload(uploads, o.Description, partSize)
	if n == 0 {
		o.Notice("no in-progress upload with this description and part size %s; starting a new one", units.Format(partSize))
		return t, nil
	}
	id := aws.ToString(u.MultipartUploadId)
	if n > 1 {
		o.Notice("%d in-progress uploads match; resuming the newest, %s", n, id)
	}
	if _, _, t.remote, err = listParts(ctx, api, o.AccountID, o.Vault, id); err != nil {
		return t, err
	}
	t.uploadID, t.resumed = id, true
	return t, nil
}

// initiate starts a new multipart upload and returns its ID.
func initiate(ctx context.Context, api API, o Options, partSize int64) (string, error) {
	out, err := api.InitiateMultipartUpload(ctx, &glacier.InitiateMultipartUploadInput{
		AccountId: aws.String(o.AccountID), VaultName: aws.String(o.Vault),
		ArchiveDescription: optional(o.Description), PartSize: aws.String(fmt.Sprint(partSize)),
	})
	if err != nil {
		return "", fmt.Errorf("initiate multipart upload: %w", err)
	}
	return aws.ToString(out.UploadId), nil
}

// checkInputRead checks that the input read, total bytes, is what the
// upload can be completed with.
func checkInputRead(src Source, total int64, t target) error {
	switch {
	case src.Size >= 0 && total != src.Size:
		return fmt.Errorf("the input changed size while being read: %d bytes expected, %d read", src.Size, total)
	case total == 0:
		return errors.New("nothing to upload: the input is empty")
	}
	if extra := Beyond(t.remote, total); len(extra) > 0 {
		return fmt.Errorf("upload %s holds a part at byte %d, past the end of the %d-byte input: it was made from different data", t.uploadID, extra[0].Start, total)
	}
	return nil
}

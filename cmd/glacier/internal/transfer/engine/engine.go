package engine

import (
	"context"
	"io"
	"net/http"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/minio/minio-go/v7"

	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/journal"
)

// Glacier is the part of the Glacier client a run uses.
type Glacier interface {
	glacier.ListJobsAPIClient
	InitiateJob(ctx context.Context, in *glacier.InitiateJobInput, optFns ...func(*glacier.Options)) (*glacier.InitiateJobOutput, error)
	GetJobOutput(ctx context.Context, in *glacier.GetJobOutputInput, optFns ...func(*glacier.Options)) (*glacier.GetJobOutputOutput, error)
	DeleteArchive(ctx context.Context, in *glacier.DeleteArchiveInput, optFns ...func(*glacier.Options)) (*glacier.DeleteArchiveOutput, error)
	GetDataRetrievalPolicy(ctx context.Context, in *glacier.GetDataRetrievalPolicyInput, optFns ...func(*glacier.Options)) (*glacier.GetDataRetrievalPolicyOutput, error)
}

// S3 is the part of minio-go's Core a run uses.
type S3 interface {
	NewMultipartUpload(ctx context.Context, bucket, object string, opts minio.PutObjectOptions) (string, error)
	PutObjectPart(ctx context.Context, bucket, object, uploadID string, partID int, data io.Reader, size int64, opts minio.PutObjectPartOptions) (minio.ObjectPart, error)
	ListMultipartUploads(ctx context.Context, bucket, prefix, keyMarker, uploadIDMarker, delimiter string, maxUploads int) (minio.ListMultipartUploadsResult, error)
	ListObjectParts(ctx context.Context, bucket, object, uploadID string, partNumberMarker, maxParts int) (minio.ListObjectPartsResult, error)
	CompleteMultipartUpload(ctx context.Context, bucket, object, uploadID string, parts []minio.CompletePart, opts minio.PutObjectOptions) (minio.UploadInfo, error)
	StatObject(ctx context.Context, bucket, object string, opts minio.StatObjectOptions) (minio.ObjectInfo, error)
	GetObject(ctx context.Context, bucket, object string, opts minio.GetObjectOptions) (io.ReadCloser, minio.ObjectInfo, http.Header, error)
}

// Failure is an archive that could not be moved in this run.
type Failure struct {
	ArchiveID string `json:"archiveId"`
	Key       string `json:"key"`
	Error     string `json:"error"`
}

// Result is what a run did.
type Result struct {
	JobsRequested int       `json:"jobsRequested"`
	JobsAdopted   int       `json:"jobsAdopted"` // existing jobs recorded instead of new ones
	JobsRenewed   int       `json:"jobsRenewed"`
	PartsUploaded int       `json:"partsUploaded"`
	PartsAdopted  int       `json:"partsAdopted"` // parts found in S3 (uploaded before a crash), not sent again
	BytesCopied   int64     `json:"bytesCopied"`
	Copied        int       `json:"copied"`  // archives verified in this run
	Deleted       int       `json:"deleted"` // archives deleted from the vault in this run
	Failed        []Failure `json:"failed,omitempty"`
}

// Engine runs one transfer over a journal.
type Engine struct {
	gl Glacier
	s3 S3
	j  *journal.Journal
	o  Options

	policyPerDay int64 // from a BytesPerHour retrieval policy; 0: none
	waiting      bool  // this round left archives waiting for budget

	mu     sync.Mutex
	res    Result
	failed map[string]error // archives given up in this run
}

// New returns an engine; it does nothing until Run.
func New(gl Glacier, s3 S3, j *journal.Journal, o Options) (*Engine, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Engine{gl: gl, s3: s3, j: j, o: o, failed: map[string]error{}}, nil
}

// fail gives up on an archive for this run.
func (e *Engine) fail(r journal.Record, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.failed[r.ID] != nil {
		return
	}
	e.failed[r.ID] = err
	e.res.Failed = append(e.res.Failed, Failure{ArchiveID: r.ID, Key: r.Key, Error: err.Error()})
	e.o.Note("FAILED %s: %v", r.Key, err)
}

func (e *Engine) isFailed(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.failed[id] != nil
}

// Run moves archives until every one is done or has failed, or ctx ends.
// Its error is a reason to stop the whole run (the context's, the
// journal's, or Glacier's on listing jobs); archives that fail alone are in
// Result.Failed.
func (e *Engine) Run(ctx context.Context) (Result, error) {
	if err := e.retrievalPolicy(ctx); err != nil {
		return e.result(), err
	}
	wait := MinPoll
	for {
		recs, err := e.j.Archives(ctx)
		if err != nil {
			return e.result(), err
		}
		if e.finished(recs) {
			return e.result(), nil
		}
		moved, err := e.round(ctx, recs)
		if err != nil {
			return e.result(), err
		}
		if moved {
			wait = MinPoll
			continue
		}
		if e.waiting && wait == MinPoll {
			e.o.Note("the retrieval budget is spent for now; waiting for it")
		}
		select {
		case <-ctx.Done():
			return e.result(), ctx.Err()
		case <-e.o.After(wait):
		}
		wait = min(2*wait, e.o.Poll)
	}
}

func (e *Engine) result() Result {
	e.mu.Lock()
	defer e.mu.Unlock()
	r := e.res
	r.Failed = append([]Failure(nil), r.Failed...)
	return r
}

// finished reports whether every archive is done or failed.
func (e *Engine) finished(recs []journal.Record) bool {
	for _, r := range recs {
		done := r.State == journal.Deleted || r.State == journal.Verified && !e.o.DeleteAfterVerify
		if !done && !e.isFailed(r.ID) {
			return false
		}
	}
	return true
}

// round does one pass of every step and reports whether anything moved.
func (e *Engine) round(ctx context.Context, recs []journal.Record) (bool, error) {
	js, err := e.listJobs(ctx)
	if err != nil {
		return false, err
	}
	e.waiting = false
	moved := false
	for _, step := range []func() (bool, error){
		func() (bool, error) { return e.advance(ctx, recs, js) },
		func() (bool, error) { return e.adopt(ctx, recs, js) },
		func() (bool, error) { return e.renew(ctx, js) },
		func() (bool, error) { return e.requestFresh(ctx) },
		func() (bool, error) { return e.copyReady(ctx) },
		func() (bool, error) { return e.deleteVerified(ctx) },
	} {
		m, err := step()
		if err != nil {
			return moved, err
		}
		moved = moved || m
	}
	return moved, nil
}

// requestFresh requests jobs over an up-to-date view of the journal.
func (e *Engine) requestFresh(ctx context.Context) (bool, error) {
	recs, err := e.j.Archives(ctx)
	if err != nil {
		return false, err
	}
	return e.request(ctx, recs)
}

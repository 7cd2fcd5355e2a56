package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/glacierselect"
)

// selectSplitSize is the size past which a select job's results go on in a
// new object (between records): most jobs have one result object.
const selectSplitSize = 1 << 30

// runSelect runs a due select job: its query over the archive, the results
// under results/ and result_manifest.txt; on a record the query cannot read
// or evaluate, errors/error-00001.txt and error_manifest.txt. It returns the
// job as it is to be finalized: Failed, with a StatusMessage, when the data
// or S3 refuse; an error (the job is left for a later try) when the archive
// cannot be read or ctx ends.
func (s *Service) runSelect(ctx context.Context, j glacier.Job) (glacier.Job, error) {
	if s.selectOut == nil {
		return failed(j, "This server has no S3 endpoint for select output"), nil
	}
	q, err := s.compileSelect(j.Select)
	if err != nil {
		return failed(j, glacier.MessageOf(err)), nil
	}
	a, err := s.archiveRecord(ctx, j.ArchiveID)
	if err != nil {
		return j, err
	}
	body, err := s.openArchive(ctx, a, 0, a.Size)
	if err != nil {
		return j, err
	}
	defer body.Close()
	w := &resultWriter{split: s.selectSplit, put: func(name string, r io.Reader) error {
		return s.putOutput(ctx, j, name, r, -1)
	}}
	_, runErr := q.Run(ctx, body, w, s.clock.Now())
	writeErr := w.finish()
	if ctx.Err() != nil {
		return j, ctx.Err()
	}
	var rec *glacierselect.RecordError
	if runErr != nil && !errors.As(runErr, &rec) && writeErr == nil {
		return j, runErr // reading the archive failed: try again later
	}
	done := j
	for _, k := range w.keys {
		done.ResultKeys = append(done.ResultKeys, j.OutputPath+k)
	}
	if writeErr == nil {
		writeErr = s.putText(ctx, j, "result_manifest.txt", manifest(done.ResultKeys))
	}
	if writeErr != nil {
		return failed(done, "Could not write the select output to S3: "+errorMessage(writeErr)), nil
	}
	if rec == nil {
		return done, nil
	}
	const errKey = "errors/error-00001.txt"
	done.ErrorKeys = []string{j.OutputPath + errKey}
	writeErr = s.putText(ctx, j, errKey, rec.Error()+"\n")
	if writeErr == nil {
		writeErr = s.putText(ctx, j, "error_manifest.txt", manifest(done.ErrorKeys))
	}
	if writeErr != nil {
		return failed(done, "Could not write the select output to S3: "+errorMessage(writeErr)), nil
	}
	return failed(done, rec.Error()), nil
}

// putText writes a small object of text under j's output path.
func (s *Service) putText(ctx context.Context, j glacier.Job, name, text string) error {
	return s.putOutput(ctx, j, name, strings.NewReader(text), int64(len(text)))
}

// failed returns j marked Failed with msg.
func failed(j glacier.Job, msg string) glacier.Job {
	j.Status, j.StatusMsg = glacier.StatusFailed, msg
	return j
}

// errorMessage is err's client-visible message, or its text.
func errorMessage(err error) string {
	if m := glacier.MessageOf(err); m != "" {
		return m
	}
	return err.Error()
}

// manifest is a manifest object's text: one key a line.
func manifest(keys []string) string {
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte('\n')
	}
	return b.String()
}

// resultWriter is the query's output: results/part-NNNNN.csv objects, each
// streamed to S3 through a pipe as it is written (so memory stays flat), a
// new one after each Split. It is an io.Writer and a glacierselect.Splitter.
type resultWriter struct {
	split int64
	put   func(name string, r io.Reader) error
	keys  []string // names written, relative to the output path
	pw    *io.PipeWriter
	done  chan error
}

// Write writes to the current object, starting one if none is open.
func (w *resultWriter) Write(p []byte) (int, error) {
	if w.pw == nil {
		name := fmt.Sprintf("results/part-%05d.csv", len(w.keys)+1)
		pr, pw := io.Pipe()
		w.pw, w.done = pw, make(chan error, 1)
		w.keys = append(w.keys, name)
		go func() {
			err := w.put(name, pr)
			if err == nil {
				err = io.ErrClosedPipe
			}
			pr.CloseWithError(err)
			w.done <- err
		}()
	}
	return w.pw.Write(p)
}

// SplitSize implements glacierselect.Splitter.
func (w *resultWriter) SplitSize() int64 { return w.split }

// Split implements glacierselect.Splitter: it ends the current object.
func (w *resultWriter) Split() error { return w.finish() }

// finish ends the current object, if any, and waits for its upload.
func (w *resultWriter) finish() error {
	if w.pw == nil {
		return nil
	}
	_ = w.pw.Close() // always nil
	err := <-w.done
	w.pw = nil
	if errors.Is(err, io.ErrClosedPipe) {
		return nil
	}
	return err
}

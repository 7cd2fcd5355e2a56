package main

import (
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/cmd/glacier/internal/download"
	"github.com/glacierd/glacierd/cmd/glacier/internal/stream"
)

// streamJob writes a completed retrieval job's output to standard output
// (-o -), in order, and checks its tree hash at the end. Results and
// messages go to standard error, which is not the data.
func (a *app) streamJob(gl *glacier.Client, job download.Job) error {
	bar := a.bar(job.Size, "download")
	res, err := stream.Copy(a.ctx, gl, a.env.stdout, stream.Options{
		AccountID: job.AccountID, Vault: job.Vault, JobID: job.JobID,
		Size: job.Size, TreeHash: job.TreeHash, Progress: bar.Add,
	})
	if err != nil {
		bar.Abandon()
		if _, corrupt := errors.AsType[*stream.CorruptError](err); corrupt {
			fmt.Fprintf(a.env.stderr, "glacier: %v\nthe data already written to standard output is damaged; retrieve it into a file instead\n", err)
			return exitCode(exitCorrupt)
		}
		return err
	}
	bar.Finish()
	if !res.Verified {
		a.notice("wrote %d bytes; not verified: the job has no tree hash", res.Size)
		return nil
	}
	a.notice("wrote %d bytes, tree hash %s (verified)", res.Size, res.TreeHash)
	return nil
}

package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"github.com/aws/smithy-go"

	"github.com/glacierd/glacierd/cmd/glacier/internal/download"
	"github.com/glacierd/glacierd/cmd/glacier/internal/jobwait"
	"github.com/glacierd/glacierd/internal/units"
)

// transferFlags are the flags of commands that download job output.
type transferFlags struct {
	Out         string      `short:"o" name:"out" help:"File to write (the data goes to FILE.partial until it is complete and verified); - streams to standard output, verified only at the end." placeholder:"FILE"`
	Concurrency int         `short:"c" default:"4" help:"Ranges downloaded in parallel."`
	RangeSize   units.Bytes `name:"range-size" help:"Bytes per request, 1MiB times a power of two (default: 64MiB, less for small outputs)." placeholder:"SIZE"`
	Force       bool        `help:"Overwrite FILE if it exists."`
}

func (t *transferFlags) validate(needOut bool) error {
	switch {
	case needOut && t.Out == "":
		return errors.New("missing flag -o/--out FILE")
	case t.Concurrency < 1 || t.Concurrency > 64:
		return errors.New("--concurrency must be from 1 to 64")
	case t.RangeSize != 0:
		if err := download.CheckRangeSize(int64(t.RangeSize)); err != nil {
			return fmt.Errorf("--range-size: %w", err)
		}
	}
	return nil
}

type retrieveCmd struct {
	Vault          string `arg:"" help:"Vault name."`
	ArchiveID      string `arg:"" name:"archive" help:"Archive ID, or the file name or description of a catalogued archive."`
	Tier           string `enum:"Expedited,Standard,Bulk" default:"Standard" help:"Retrieval tier: Expedited (minutes), Standard (hours) or Bulk."`
	Range          string `help:"Retrieve only archive bytes FIRST-LAST (FIRST a multiple of 1 MiB, LAST+1 too or the archive's end)." placeholder:"FIRST-LAST"`
	JobDescription string `name:"job-description" help:"Description of the retrieval job." placeholder:"TEXT"`
	NoWait         bool   `name:"no-wait" help:"Start the job, print its ID and exit; fetch the data later with glacier download (or, with -o, by running the same retrieve again)."`
	waitFlags      `embed:""`
	transferFlags  `embed:""`
}

// Validate checks the flags before a job is started.
func (c *retrieveCmd) Validate() error {
	if c.Range != "" {
		if _, _, err := download.ParseByteRange(c.Range); err != nil {
			return fmt.Errorf("--range: %w", err)
		}
	}
	return c.transferFlags.validate(!c.NoWait)
}

// Run starts (or reuses) a retrieval job, waits for it and downloads its output.
func (c *retrieveCmd) Run(a *app) error {
	gl, err := a.client(c.Concurrency)
	if err != nil {
		return err
	}
	if c.ArchiveID, err = a.resolveArchive(gl, c.Vault, c.ArchiveID); err != nil {
		return err
	}
	jobID := ""
	if c.Out != "" && c.Out != "-" {
		if jobID, err = c.resumableJob(a, gl); err != nil {
			return err
		}
	}
	if jobID == "" {
		out, err := gl.InitiateJob(a.ctx, &glacier.InitiateJobInput{AccountId: a.account(), VaultName: &c.Vault,
			JobParameters: &types.JobParameters{
				Type: aws.String("archive-retrieval"), ArchiveId: &c.ArchiveID, Tier: &c.Tier,
				RetrievalByteRange: optional(c.Range), Description: optional(c.JobDescription),
			}})
		if err != nil {
			return err
		}
		jobID = aws.ToString(out.JobId)
		a.notice("started %s retrieval job %s", c.Tier, jobID)
		if c.Out != "" && c.Out != "-" {
			// Recorded now, not when downloading begins: a rerun after an
			// interrupted wait must not start (and pay for) a second job.
			// A stream to standard output has no file to resume beside.
			if err := download.RecordJob(c.Out+download.StateSuffix, c.Vault, c.ArchiveID, c.Range, jobID); err != nil {
				return fmt.Errorf("record job %s: %w", jobID, err)
			}
		}
	}
	if c.NoWait {
		if a.jsonOut() {
			return a.printJSON(map[string]string{"JobId": jobID})
		}
		a.printf("%s\n", jobID)
		a.notice("when it completes, download it with: glacier download %s %s -o FILE", c.Vault, jobID)
		return nil
	}
	d, err := a.waitJob(gl, c.Vault, jobID, c.waitFlags)
	if err != nil {
		_, failed := errors.AsType[*jobwait.FailedError](err)
		_, expired := errors.AsType[*jobwait.ExpiredError](err)
		switch {
		case failed || expired:
		case c.Out == "-":
			a.notice("job %s keeps running; stream its output later with: glacier download %s %s -o -", jobID, c.Vault, jobID)
		default:
			a.notice("job %s keeps running; run the same command again to wait for it and download its output", jobID)
		}
		return err
	}
	return a.downloadJob(gl, c.Vault, d, c.transferFlags)
}

// resumableJob returns the job of an interrupted download into the same
// file, if its state file names one that still exists and retrieves the same
// bytes; or "" (start a new job) otherwise. A file in the way of a new
// download is an error now rather than after a job of hours.
func (c *retrieveCmd) resumableJob(a *app, gl *glacier.Client) (string, error) {
	st, err := download.LoadState(c.Out + download.StateSuffix)
	if err != nil {
		return "", err
	}
	if st == nil || st.Vault != c.Vault || st.ArchiveID != c.ArchiveID {
		if _, err := os.Stat(c.Out); err == nil && !c.Force {
			return "", fmt.Errorf("%s already exists (use --force to overwrite it)", c.Out)
		}
		return "", nil
	}
	for _, id := range []string{st.NewJobID, st.JobID} {
		if id == "" {
			continue
		}
		ok, err := c.jobStillServes(a, gl, id)
		if err != nil {
			return "", err
		}
		if ok {
			a.notice("continuing with retrieval job %s from %s", id, c.Out+download.StateSuffix)
			return id, nil
		}
	}
	return "", nil // expired: a new job; the downloaded ranges are still reused if the bytes match
}

// jobStillServes reports whether the recorded job still exists, has not
// failed and retrieves the range asked for.
func (c *retrieveCmd) jobStillServes(a *app, gl *glacier.Client, jobID string) (bool, error) {
	d, err := gl.DescribeJob(a.ctx, &glacier.DescribeJobInput{AccountId: a.account(), VaultName: &c.Vault, JobId: &jobID})
	if ae, ok := errors.AsType[smithy.APIError](err); ok && ae.ErrorCode() == "ResourceNotFoundException" {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	want := c.Range
	if want == "" {
		want = fmt.Sprintf("0-%d", aws.ToInt64(d.ArchiveSizeInBytes)-1)
	}
	return d.StatusCode != types.StatusCodeFailed && aws.ToString(d.RetrievalByteRange) == want, nil
}

// optional returns nil for "" and a pointer otherwise.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type downloadCmd struct {
	Vault         string `arg:"" help:"Vault name."`
	JobID         string `arg:"" name:"job-id" help:"ID of an archive-retrieval job (waited for if still in progress)."`
	waitFlags     `embed:""`
	transferFlags `embed:""`
}

// Validate checks the flags.
func (c *downloadCmd) Validate() error { return c.transferFlags.validate(true) }

// Run waits for a retrieval job if needed and downloads its output.
func (c *downloadCmd) Run(a *app) error {
	gl, err := a.client(c.Concurrency)
	if err != nil {
		return err
	}
	d, err := a.waitJob(gl, c.Vault, c.JobID, c.waitFlags)
	if err != nil {
		return err
	}
	return a.downloadJob(gl, c.Vault, d, c.transferFlags)
}

// downloadJob downloads a completed retrieval job's output into t.Out.
func (a *app) downloadJob(gl *glacier.Client, vault string, d *glacier.DescribeJobOutput, t transferFlags) error {
	job, err := download.JobFromDescription(a.cli.AccountID, vault, d)
	if err != nil {
		return err
	}
	if t.Out == "-" {
		return a.streamJob(gl, job)
	}
	bar := a.bar(job.Size, "download")
	res, err := download.Run(a.ctx, gl, job, download.Options{
		Output: t.Out, Concurrency: t.Concurrency, RangeSize: int64(t.RangeSize), Force: t.Force,
		Progress: bar.Add, Notice: a.notice,
	})
	if err != nil {
		bar.Abandon()
		_, corrupt := errors.AsType[*download.CorruptError](err)
		_, noSpace := errors.AsType[*download.SpaceError](err)
		if !corrupt && !noSpace {
			if _, serr := os.Stat(t.Out + download.PartialSuffix); serr == nil {
				a.notice("the ranges downloaded so far are kept in %s; run the same command again to resume", t.Out+download.PartialSuffix)
			}
		}
		return err
	}
	bar.Finish()
	if a.jsonOut() {
		return a.printJSON(res)
	}
	verified := "verified"
	if !res.Verified {
		verified = "not verified: the job has no tree hash"
	}
	tw := a.table()
	fmt.Fprintf(tw, "Wrote:\t%s\n", res.Path)
	fmt.Fprintf(tw, "Size:\t%d bytes (%s)\n", res.Size, units.Format(res.Size))
	fmt.Fprintf(tw, "Tree hash:\t%s (%s)\n", res.TreeHash, verified)
	return tw.Flush()
}

package main

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/internal/units"
)

// jobsCmd groups the job commands.
type jobsCmd struct {
	List     jobsListCmd     `cmd:"" help:"List a vault's jobs (all pages)."`
	Describe jobsDescribeCmd `cmd:"" help:"Show one job."`
}

// jobJSON is a job as --output json prints it, with Glacier's names.
type jobJSON struct {
	JobId                string // Glacier's spelling, kept for JSON
	Action               string
	StatusCode           string
	StatusMessage        string `json:",omitempty"`
	Completed            bool
	Tier                 string `json:",omitempty"`
	CreationDate         string
	CompletionDate       string `json:",omitempty"`
	JobDescription       string `json:",omitempty"`
	ArchiveId            string `json:",omitempty"`
	ArchiveSizeInBytes   *int64 `json:",omitempty"`
	RetrievalByteRange   string `json:",omitempty"`
	SHA256TreeHash       string `json:",omitempty"`
	InventorySizeInBytes *int64 `json:",omitempty"`
}

func toJobJSON(j *types.GlacierJobDescription) jobJSON {
	return jobJSON{
		JobId: aws.ToString(j.JobId), Action: string(j.Action), StatusCode: string(j.StatusCode),
		StatusMessage: aws.ToString(j.StatusMessage), Completed: j.Completed, Tier: aws.ToString(j.Tier),
		CreationDate: aws.ToString(j.CreationDate), CompletionDate: aws.ToString(j.CompletionDate),
		JobDescription: aws.ToString(j.JobDescription), ArchiveId: aws.ToString(j.ArchiveId),
		ArchiveSizeInBytes: j.ArchiveSizeInBytes, RetrievalByteRange: aws.ToString(j.RetrievalByteRange),
		SHA256TreeHash: aws.ToString(j.SHA256TreeHash), InventorySizeInBytes: j.InventorySizeInBytes,
	}
}

type jobsListCmd struct {
	Vault     string `arg:"" help:"Vault name."`
	Status    string `placeholder:"STATUS" help:"Only jobs with this status: InProgress, Succeeded or Failed."`
	Completed *bool  `negatable:"" help:"Only completed jobs (--no-completed: only those in progress)."`
}

// Validate checks --status, in any case.
func (c *jobsListCmd) Validate() error {
	if c.Status == "" {
		return nil
	}
	v, err := canonicalEnum([]string{"InProgress", "Succeeded", "Failed"}, c.Status)
	if err != nil {
		return fmt.Errorf("--status: %w", err)
	}
	c.Status = v
	return nil
}

// Run lists the vault's jobs, following all pages.
func (c *jobsListCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	in := &glacier.ListJobsInput{AccountId: a.account(), VaultName: &c.Vault, Statuscode: optional(c.Status)}
	if c.Completed != nil {
		in.Completed = aws.String(fmt.Sprint(*c.Completed))
	}
	list := []jobJSON{}
	p := glacier.NewListJobsPaginator(gl, in)
	for p.HasMorePages() {
		page, err := p.NextPage(a.ctx)
		if err != nil {
			return err
		}
		for i := range page.JobList {
			list = append(list, toJobJSON(&page.JobList[i]))
		}
	}
	if a.jsonOut() {
		return a.printJSON(list)
	}
	t := a.table()
	fmt.Fprintln(t, "CREATED\tACTION\tSTATUS\tTIER\tSIZE\tJOB ID")
	for _, j := range list {
		size := "-"
		switch {
		case j.RetrievalByteRange != "":
			size = rangeSize(j.RetrievalByteRange)
		case j.InventorySizeInBytes != nil:
			size = units.Format(*j.InventorySizeInBytes)
		}
		fmt.Fprintf(t, "%s\t%s\t%s\t%s\t%s\t%s\n", j.CreationDate, j.Action, j.StatusCode, orDash(j.Tier), size, j.JobId)
	}
	return t.Flush()
}

// rangeSize formats the length of a "first-last" range.
func rangeSize(r string) string {
	var first, last int64
	if _, err := fmt.Sscanf(r, "%d-%d", &first, &last); err != nil {
		return "-"
	}
	return units.Format(last - first + 1)
}

type jobsDescribeCmd struct {
	Vault string `arg:"" help:"Vault name."`
	JobID string `arg:"" name:"job-id" help:"Job ID."`
}

// Run shows the job.
func (c *jobsDescribeCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	out, err := gl.DescribeJob(a.ctx, &glacier.DescribeJobInput{AccountId: a.account(), VaultName: &c.Vault, JobId: &c.JobID})
	if err != nil {
		return err
	}
	j := toJobJSON(describedJob(out))
	if a.jsonOut() {
		return a.printJSON(j)
	}
	t := a.table()
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(t, "%s:\t%s\n", k, v)
		}
	}
	row("Job ID", j.JobId)
	row("Action", j.Action)
	row("Status", j.StatusCode)
	row("Message", j.StatusMessage)
	row("Tier", j.Tier)
	row("Created", j.CreationDate)
	row("Completed", j.CompletionDate)
	row("Description", j.JobDescription)
	row("Archive ID", j.ArchiveId)
	if j.ArchiveSizeInBytes != nil {
		row("Archive size", fmt.Sprintf("%d bytes (%s)", *j.ArchiveSizeInBytes, units.Format(*j.ArchiveSizeInBytes)))
	}
	row("Range", j.RetrievalByteRange)
	row("Tree hash", j.SHA256TreeHash)
	if j.InventorySizeInBytes != nil {
		row("Inventory size", units.Format(*j.InventorySizeInBytes))
	}
	return t.Flush()
}

// describedJob converts a DescribeJob answer into the list entry shape.
func describedJob(o *glacier.DescribeJobOutput) *types.GlacierJobDescription {
	return &types.GlacierJobDescription{
		JobId: o.JobId, Action: o.Action, StatusCode: o.StatusCode, StatusMessage: o.StatusMessage,
		Completed: o.Completed, Tier: o.Tier, CreationDate: o.CreationDate, CompletionDate: o.CompletionDate,
		JobDescription: o.JobDescription, ArchiveId: o.ArchiveId, ArchiveSizeInBytes: o.ArchiveSizeInBytes,
		RetrievalByteRange: o.RetrievalByteRange, SHA256TreeHash: o.SHA256TreeHash, InventorySizeInBytes: o.InventorySizeInBytes,
	}
}

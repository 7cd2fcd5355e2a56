// Package invjob finds an inventory-retrieval job of a vault that can be
// reused instead of starting another: inventory jobs take hours on AWS and
// their output stays available for about a day after they complete.
package invjob

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
)

// API is the part of the Glacier client Find uses.
type API interface {
	ListJobs(ctx context.Context, in *glacier.ListJobsInput, optFns ...func(*glacier.Options)) (*glacier.ListJobsOutput, error)
}

// Job is a reusable inventory job.
type Job struct {
	JobID     string
	Running   bool      // still in progress: wait for it
	Created   time.Time // when it was initiated
	Completed time.Time // when it succeeded; zero while running
}

// Find lists the vault's jobs (Glacier lists only jobs still within their
// retention) and returns the best reusable inventory job, or nil if there is
// none; see Pick.
func Find(ctx context.Context, api API, account, vault string) (*Job, error) {
	var all []types.GlacierJobDescription
	p := glacier.NewListJobsPaginator(api, &glacier.ListJobsInput{AccountId: aws.String(account), VaultName: aws.String(vault)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list jobs: %w", err)
		}
		all = append(all, page.JobList...)
	}
	return Pick(all), nil
}

// Pick chooses among a vault's jobs the inventory-retrieval job of the
// whole vault (no date range, limit or marker) that succeeded last; failing
// that, the newest one still in progress; failing that, nil.
func Pick(jobs []types.GlacierJobDescription) *Job {
	var done, running *Job
	for _, j := range jobs {
		if j.Action != types.ActionCodeInventoryRetrieval || !whole(j.InventoryRetrievalParameters) {
			continue
		}
		c := &Job{JobID: aws.ToString(j.JobId), Created: parseTime(j.CreationDate)}
		switch j.StatusCode {
		case types.StatusCodeSucceeded:
			c.Completed = parseTime(j.CompletionDate)
			if done == nil || c.Completed.After(done.Completed) {
				done = c
			}
		case types.StatusCodeInProgress:
			c.Running = true
			if running == nil || c.Created.After(running.Created) {
				running = c
			}
		}
	}
	if done != nil {
		return done
	}
	return running
}

// whole reports whether inventory parameters ask for the whole vault.
func whole(p *types.InventoryRetrievalJobDescription) bool {
	return p == nil || aws.ToString(p.StartDate) == "" && aws.ToString(p.EndDate) == "" &&
		aws.ToString(p.Limit) == "" && aws.ToString(p.Marker) == ""
}

// parseTime parses a Glacier ISO 8601 date; a bad one is the zero time.
func parseTime(s *string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, aws.ToString(s))
	if err != nil {
		return time.Time{}
	}
	return t
}

// Age renders how long ago t was, for messages: "45s", "12m", "3h05m".
func Age(now, t time.Time) string {
	d := max(now.Sub(t), 0)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	default:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
}

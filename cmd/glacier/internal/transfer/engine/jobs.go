package engine

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"github.com/aws/smithy-go"

	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/journal"
)

// jobs is one ListJobs snapshot of the vault's archive-retrieval jobs.
type jobs struct {
	byID      map[string]types.GlacierJobDescription
	byArchive map[string][]types.GlacierJobDescription
}

// listJobs lists every job of the vault (all pages).
func (e *Engine) listJobs(ctx context.Context) (jobs, error) {
	js := jobs{byID: map[string]types.GlacierJobDescription{}, byArchive: map[string][]types.GlacierJobDescription{}}
	p := glacier.NewListJobsPaginator(e.gl, &glacier.ListJobsInput{AccountId: aws.String(e.o.Account), VaultName: aws.String(e.o.Vault)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return js, fmt.Errorf("list jobs: %w", err)
		}
		for _, j := range page.JobList {
			if j.Action != types.ActionCodeArchiveRetrieval {
				continue
			}
			js.byID[aws.ToString(j.JobId)] = j
			js.byArchive[aws.ToString(j.ArchiveId)] = append(js.byArchive[aws.ToString(j.ArchiveId)], j)
		}
	}
	return js, nil
}

func parseTime(s *string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, aws.ToString(s))
	if err != nil {
		return time.Time{}
	}
	return t
}

// expiry returns when a succeeded job's output stops being available.
func expiry(j types.GlacierJobDescription) time.Time {
	return parseTime(j.CompletionDate).Add(jobWindow)
}

// wholeArchive reports whether job j retrieves all size bytes.
func wholeArchive(j types.GlacierJobDescription, size int64) bool {
	r := aws.ToString(j.RetrievalByteRange)
	return r == "" || r == "0-"+strconv.FormatInt(size-1, 10)
}

// advance moves requested archives whose job succeeded to downloading,
// and fails those whose job failed. It reports whether anything moved.
func (e *Engine) advance(ctx context.Context, recs []journal.Record, js jobs) (bool, error) {
	moved := false
	for _, r := range recs {
		if r.State != journal.Requested || e.isFailed(r.ID) {
			continue
		}
		j, ok := js.byID[r.JobID]
		switch {
		case !ok || j.StatusCode == types.StatusCodeInProgress:
			continue
		case j.StatusCode == types.StatusCodeFailed:
			e.fail(r, fmt.Errorf("retrieval job %s failed: %s", r.JobID, aws.ToString(j.StatusMessage)))
			continue
		}
		if err := e.j.Completed(ctx, r.ID, r.JobID, expiry(j)); err != nil {
			return moved, err
		}
		moved = true
	}
	return moved, nil
}

// usable returns an archive-retrieval job of the whole archive that is
// in progress, or succeeded and not about to expire.
func (e *Engine) usable(js jobs, r journal.Record) (types.GlacierJobDescription, bool) {
	for _, j := range js.byArchive[r.ID] {
		if !wholeArchive(j, r.Size) {
			continue
		}
		if j.StatusCode == types.StatusCodeInProgress ||
			j.StatusCode == types.StatusCodeSucceeded && expiry(j).After(e.o.Now().Add(e.o.RenewBefore)) {
			return j, true
		}
	}
	return types.GlacierJobDescription{}, false
}

// adopt records, for pending archives, a retrieval job that already
// exists, instead of requesting another.
func (e *Engine) adopt(ctx context.Context, recs []journal.Record, js jobs) (bool, error) {
	moved := false
	for _, r := range recs {
		if r.State != journal.Pending {
			continue
		}
		j, ok := e.usable(js, r)
		if !ok {
			continue
		}
		created := parseTime(j.CreationDate)
		if created.IsZero() {
			created = e.o.Now()
		}
		if err := e.j.Requested(ctx, r.ID, aws.ToString(j.JobId), created, created.Add(jobWindow)); err != nil {
			return moved, err
		}
		e.res.JobsAdopted++
		e.o.Note("adopted retrieval job %s for %s", aws.ToString(j.JobId), r.Key)
		moved = true
	}
	return moved, nil
}

// budget returns the bytes that may still be requested now: the smaller of
// the day's budget and the policy's, minus used, what was requested in the
// last 24 hours; left is -1 when there is no limit.
func (e *Engine) budget(recs []journal.Record) (left, used int64) {
	limit := e.o.BytesPerDay
	if e.policyPerDay > 0 && (limit == 0 || e.policyPerDay < limit) {
		limit = e.policyPerDay
	}
	since := e.o.Now().Add(-jobWindow)
	for _, r := range recs {
		if !r.RequestedAt.IsZero() && r.RequestedAt.After(since) {
			used += r.Size
		}
	}
	if limit == 0 {
		return -1, used
	}
	return max(0, limit-used), used
}

// request initiates retrieval jobs for pending archives, oldest first,
// while the budget allows (an archive bigger than the whole budget goes
// alone when nothing else was requested that day).
func (e *Engine) request(ctx context.Context, recs []journal.Record) (bool, error) {
	left, used := e.budget(recs)
	moved := false
	for _, r := range recs {
		if r.State != journal.Pending || e.isFailed(r.ID) {
			continue
		}
		if left >= 0 && r.Size > left && (used > 0 || moved) {
			e.waiting = true
			return moved, nil
		}
		jobID, err := e.initiate(ctx, r)
		if ae, ok := errors.AsType[smithy.APIError](err); ok && ae.ErrorCode() == "PolicyEnforcedException" {
			e.o.Note("the data retrieval policy refuses more retrievals for now: %s", ae.ErrorMessage())
			e.waiting = true
			return moved, nil
		}
		if err != nil {
			if ae, ok := errors.AsType[smithy.APIError](err); ok && ae.ErrorCode() == "ResourceNotFoundException" {
				e.fail(r, err)
				continue
			}
			return moved, err
		}
		now := e.o.Now()
		if err := e.j.Requested(ctx, r.ID, jobID, now, now.Add(jobWindow)); err != nil {
			return moved, err
		}
		e.res.JobsRequested++
		moved = true
		if left >= 0 {
			left = max(0, left-r.Size)
		}
	}
	return moved, nil
}

// initiate starts a retrieval job of the whole archive.
func (e *Engine) initiate(ctx context.Context, r journal.Record) (string, error) {
	out, err := e.gl.InitiateJob(ctx, &glacier.InitiateJobInput{
		AccountId: aws.String(e.o.Account), VaultName: aws.String(e.o.Vault),
		JobParameters: &types.JobParameters{
			Type: aws.String("archive-retrieval"), ArchiveId: aws.String(r.ID), Tier: aws.String(e.o.Tier),
			Description: aws.String("glacier transfer"),
		},
	})
	if err != nil {
		return "", fmt.Errorf("initiate retrieval of %s: %w", r.ID, err)
	}
	return aws.ToString(out.JobId), nil
}

// renew requests again the archives whose job output stops being available
// within RenewBefore, or whose job is gone; a requested archive whose job
// is still in progress is left alone (its window starts at completion).
func (e *Engine) renew(ctx context.Context, js jobs) (bool, error) {
	soon, err := e.j.Expiring(ctx, e.o.Now().Add(e.o.RenewBefore))
	if err != nil {
		return false, err
	}
	recs, err := e.j.Archives(ctx)
	if err != nil {
		return false, err
	}
	for _, r := range recs {
		if r.State == journal.Downloading || r.State == journal.Uploading || r.State == journal.Requested {
			if _, listed := js.byID[r.JobID]; !listed {
				soon = append(soon, r)
			}
		}
	}
	moved := false
	seen := map[string]bool{}
	for _, r := range soon {
		if seen[r.ID] || e.isFailed(r.ID) {
			continue
		}
		seen[r.ID] = true
		if j, ok := js.byID[r.JobID]; ok && j.StatusCode == types.StatusCodeInProgress {
			continue
		}
		jobID, err := e.initiate(ctx, r)
		if err != nil {
			if ctx.Err() != nil {
				return moved, ctx.Err()
			}
			e.fail(r, err)
			continue
		}
		now := e.o.Now()
		if err := e.j.Renewed(ctx, r.ID, r.JobID, jobID, now, now.Add(jobWindow)); err != nil {
			return moved, err
		}
		e.res.JobsRenewed++
		e.o.Note("renewed the retrieval of %s (job %s ends soon)", r.Key, r.JobID)
		moved = true
	}
	return moved, nil
}

// retrievalPolicy reads the account's data retrieval policy: a BytesPerHour
// rule limits Standard retrievals to 24 times that a day.
func (e *Engine) retrievalPolicy(ctx context.Context) error {
	out, err := e.gl.GetDataRetrievalPolicy(ctx, &glacier.GetDataRetrievalPolicyInput{AccountId: aws.String(e.o.Account)})
	if err != nil {
		return fmt.Errorf("get data retrieval policy: %w", err)
	}
	if out.Policy == nil || e.o.Tier != "Standard" {
		return nil
	}
	for _, r := range out.Policy.Rules {
		if aws.ToString(r.Strategy) == "BytesPerHour" && aws.ToInt64(r.BytesPerHour) > 0 {
			e.policyPerDay = aws.ToInt64(r.BytesPerHour) * 24
		}
	}
	return nil
}

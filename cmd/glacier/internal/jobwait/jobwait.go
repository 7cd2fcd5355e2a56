// Package jobwait waits for a Glacier job to complete by polling
// DescribeJob.
package jobwait

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"github.com/aws/smithy-go"
)

// API is the part of the Glacier client Wait uses.
type API interface {
	DescribeJob(ctx context.Context, in *glacier.DescribeJobInput, optFns ...func(*glacier.Options)) (*glacier.DescribeJobOutput, error)
}

// FailedError reports a job that completed with status Failed.
type FailedError struct {
	JobID   string
	Message string
}

// Error describes the failure with Glacier's status message.
func (e *FailedError) Error() string {
	return fmt.Sprintf("job %s failed: %s", e.JobID, e.Message)
}

// ExpiredError reports a job that existed when waiting began and then
// vanished: Glacier keeps a completed job, and its output, for 24 hours (a
// glacierd with --time-scale S for 24h/S), and it was not seen completed
// within that time.
type ExpiredError struct{ JobID string }

// Error explains what happened and what to do.
func (e *ExpiredError) Error() string {
	return fmt.Sprintf("job %s no longer exists: it completed and its output expired before it was fetched "+
		"(Glacier keeps it 24 hours; a glacierd with --time-scale S keeps it 24h/S); start a new job", e.JobID)
}

// MinPoll is the shortest interval between two DescribeJob calls.
const MinPoll = time.Second

// Interval returns how long to wait before the next poll of a job that has
// been in progress for age: the poll interval, but never more than half the
// job's age (and at least MinPoll). A job that completes at age T is then
// seen by age 1.5T, well within its retention whatever the server's time
// scale: Glacier keeps a job 24 hours after completion, and its slowest tier
// (Bulk) takes at most 12.
func Interval(poll, age time.Duration) time.Duration {
	return max(MinPoll, min(poll, age/2))
}

// Options control Wait. The zero value polls at most every 30 seconds
// forever.
type Options struct {
	Poll    time.Duration // longest interval between DescribeJob calls (see Interval); 0: 30s
	Timeout time.Duration // give up after this long; 0: never
	// Status, if set, is called after every poll with the job's description,
	// the time waited so far and the time of the next poll (zero when the job
	// has completed).
	Status func(job *glacier.DescribeJobOutput, waited time.Duration, next time.Time)
	// Now and After replace the clock (tests); nil means the real one.
	Now   func() time.Time
	After func(time.Duration) <-chan time.Time
}

// Wait polls the job until it completes. It returns the final description
// of a Succeeded job, a *FailedError for a Failed one, or the context's or
// the API's error.
func Wait(ctx context.Context, api API, account, vault, jobID string, o Options) (*glacier.DescribeJobOutput, error) {
	now, after := o.Now, o.After
	if now == nil {
		now = time.Now
	}
	if after == nil {
		after = time.After
	}
	poll := o.Poll
	if poll <= 0 {
		poll = 30 * time.Second
	}
	start := now()
	for seen := false; ; seen = true {
		out, err := api.DescribeJob(ctx, &glacier.DescribeJobInput{
			AccountId: aws.String(account), VaultName: aws.String(vault), JobId: aws.String(jobID),
		})
		if ae, ok := errors.AsType[smithy.APIError](err); ok && seen && ae.ErrorCode() == "ResourceNotFoundException" {
			return nil, &ExpiredError{JobID: jobID}
		}
		if err != nil {
			return nil, err
		}
		waited := now().Sub(start)
		if out.Completed || out.StatusCode != types.StatusCodeInProgress {
			if o.Status != nil {
				o.Status(out, waited, time.Time{})
			}
			if out.StatusCode == types.StatusCodeFailed {
				return out, &FailedError{JobID: jobID, Message: aws.ToString(out.StatusMessage)}
			}
			return out, nil
		}
		wait := Interval(poll, jobAge(out, now(), waited))
		if o.Timeout > 0 {
			left := o.Timeout - waited
			if left <= 0 {
				return out, fmt.Errorf("job %s is still %s after %s (--wait-timeout); it keeps running: fetch it later with its job ID",
					jobID, out.StatusCode, waited.Round(time.Second))
			}
			wait = min(wait, left)
		}
		if o.Status != nil {
			o.Status(out, waited, now().Add(wait))
		}
		select {
		case <-ctx.Done():
			return out, ctx.Err()
		case <-after(wait):
		}
	}
}

// jobAge returns how long the job has existed: since its CreationDate, or
// at least the time waited (the server's clock may differ from ours).
func jobAge(j *glacier.DescribeJobOutput, now time.Time, waited time.Duration) time.Duration {
	created, err := time.Parse(time.RFC3339Nano, aws.ToString(j.CreationDate))
	if err != nil {
		return waited
	}
	return max(waited, now.Sub(created))
}

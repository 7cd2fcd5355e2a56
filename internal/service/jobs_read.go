package service

import (
	"context"
	"io"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/jobdoc"
	"github.com/glacierd/glacierd/internal/treehash"
)

// JobInfo is a job as DescribeJob reports it at one moment.
type JobInfo = jobdoc.Info

func (s *Service) jobInfo(j glacier.Job, now time.Time) JobInfo {
	ji := JobInfo{Job: j, VaultARN: s.VaultARN(glacier.VaultRef{Account: j.Account, Name: j.Vault})}
	ji.StatusCode = j.StatusAt(now)
	if ji.StatusCode == glacier.StatusInProgress {
		ji.Message = "Operation in progress."
		ji.Job.RangeTreeHash = "" // a range's hash is known once the data is prepared
		if j.RangeStart == 0 && j.RangeEnd == j.ArchiveSize-1 {
			ji.Job.RangeTreeHash = j.ArchiveTreeHash
		}
		ji.Job.NextMarker = ""
		return ji
	}
	ji.Completed, ji.Finished, ji.Message = true, j.CompleteAt, j.StatusMsg
	return ji
}

func jobNotFound(id string) error {
	return glacier.Errorf(glacier.KindNotFound, "%s%s", jobNotFoundMessage, id)
}

// job loads job id of vault ref as of now. Jobs past their retention are
// gone. It only reads: a job that has just completed may still lack its
// output (see completeIfDue).
func (s *Service) job(ctx context.Context, c glacier.Caller, action string, ref glacier.VaultRef, id string) (glacier.Job, time.Time, error) {
	var j glacier.Job
	now := s.now()
	err := s.meta.View(ctx, func(tx glacier.Tx) error {
		if _, err := s.vault(tx, c, action, ref); err != nil {
			return err
		}
		var err error
		j, err = tx.Job(id)
		if glacier.IsKind(err, glacier.KindNotFound) || err == nil && (j.Account != ref.Account || j.Vault != ref.Name || s.expired(j, now)) {
			return jobNotFound(id)
		}
		return err
	})
	return j, now, err
}

// expired reports whether j completed longer than the job retention ago.
func (s *Service) expired(j glacier.Job, now time.Time) bool {
	return j.CompleteAt.Add(s.jobRetention).Before(now)
}

// DescribeJob returns the job's description.
func (s *Service) DescribeJob(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, id string) (JobInfo, error) {
	j, now, err := s.job(ctx, c, "DescribeJob", ref, id)
	if err == nil {
		j, err = s.completeIfDue(ctx, j, now)
	}
	if err != nil {
		return JobInfo{}, err
	}
	return s.jobInfo(j, now), nil
}

// JobFilter narrows ListJobs.
type JobFilter struct {
	StatusCode string // "" or InProgress, Succeeded, Failed
	Completed  *bool
}

// ListJobs returns up to limit of the vault's jobs in initiation order after
// marker, and the marker of the next page ("" at the end).
func (s *Service) ListJobs(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, f JobFilter, marker string, limit int) ([]JobInfo, string, error) {
	switch f.StatusCode {
	case "", glacier.StatusInProgress, glacier.StatusSucceeded, glacier.StatusFailed:
	default:
		return nil, "", glacier.Errorf(glacier.KindInvalidParameter, "The job status code is not valid: %s", f.StatusCode)
	}
	now := s.now()
	q := glacier.JobQuery{Account: ref.Account, Vault: ref.Name, Now: now, Status: f.StatusCode,
		Completed: f.Completed, MinCompleteAt: now.Add(-s.jobRetention), Limit: limit + 1}
	if marker != "" {
		t, id, err := decodeCursor(marker)
		if err != nil {
			return nil, "", glacier.Errorf(glacier.KindInvalidParameter, "Invalid marker: %s", marker)
		}
		q.AfterCreated, q.AfterID = t, id
	}
	var jobs []glacier.Job
	err := s.meta.View(ctx, func(tx glacier.Tx) error {
		if _, err := s.vault(tx, c, "ListJobs", ref); err != nil {
			return err
		}
		var err error
		jobs, err = tx.Jobs(q)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(jobs) > limit {
		jobs = jobs[:limit]
		next = encodeCursor(jobs[limit-1].CreatedAt, jobs[limit-1].ID)
	}
	out := make([]JobInfo, 0, len(jobs))
	for _, j := range jobs {
		if j, err = s.completeIfDue(ctx, j, now); err != nil {
			return nil, "", err
		}
		ji := s.jobInfo(j, now)
		// A select job's final status is known once it has run: one the
		// store listed as Succeeded may have just failed.
		if f.StatusCode != "" && ji.StatusCode != f.StatusCode {
			continue
		}
		out = append(out, ji)
	}
	return out, next, nil
}

// JobOutput is the (possibly partial) output of a completed job.
type JobOutput struct {
	Body        io.ReadCloser
	Start, End  int64 // the inclusive byte range of the output being sent
	Size        int64 // the whole output's size
	Partial     bool  // a range was requested
	ContentType string
	TreeHash    string // "" when the range is not tree-hash aligned, and for inventories
	Description string // the archive's description (archive jobs)
}

// GetJobOutput opens the output of a completed job. rng, when not nil, is an
// inclusive byte range of the output (a clamped Range: bytes=s-e request).
func (s *Service) GetJobOutput(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, id string, rng *[2]int64) (JobOutput, error) {
	j, now, err := s.job(ctx, c, "GetJobOutput", ref, id)
	if err == nil && j.Action == glacier.ActionSelect {
		return JobOutput{}, glacier.Errorf(glacier.KindInvalidParameter,
			"The output of a select job is not available for download; it is written to S3 at s3://%s/%s", j.OutputLocation.BucketName, j.OutputPath)
	}
	if err == nil {
		j, err = s.completeIfDue(ctx, j, now)
	}
	if err != nil {
		return JobOutput{}, err
	}
	if j.StatusAt(now) != glacier.StatusSucceeded {
		return JobOutput{}, glacier.Errorf(glacier.KindInvalidParameter, "The job is not currently available for download: %s", id)
	}
	out := JobOutput{ContentType: "application/octet-stream", Size: j.RangeSize()}
	if j.Action == glacier.ActionInventoryRetrieval {
		out.Size, out.ContentType = j.OutputSize, "application/json"
		if j.Format == "CSV" {
			out.ContentType = "text/csv"
		}
	}
	out.Start, out.End = 0, out.Size-1
	if rng != nil {
		if rng[0] > rng[1] || rng[0] >= out.Size {
			return JobOutput{}, glacier.Errorf(glacier.KindInvalidParameter,
				"Invalid range: bytes=%d-%d. The job output has %d bytes", rng[0], rng[1], out.Size)
		}
		out.Start, out.End, out.Partial = rng[0], min(rng[1], out.Size-1), true
	}
	if j.Action == glacier.ActionInventoryRetrieval {
		out.Body, err = s.blobs.Open(ctx, j.OutputKey, out.Start, out.End-out.Start+1)
		return out, err
	}
	a, err := s.archiveRecord(ctx, j.ArchiveID)
	if err != nil {
		return JobOutput{}, err
	}
	out.Description = a.Description
	from, to := j.RangeStart+out.Start, j.RangeStart+out.End
	switch {
	case j.RangeTreeHash == "":
	case !out.Partial:
		out.TreeHash = j.RangeTreeHash
	case treehash.Aligned(from, to, a.Size):
		h, err := s.rangeTreeHash(ctx, a, from, to)
		if err != nil {
			return JobOutput{}, err
		}
		out.TreeHash = hexString(h)
	}
	if out.Body, err = s.openArchive(ctx, a, from, to-from+1); err != nil {
		return JobOutput{}, err
	}
	return out, nil
}

// archiveRecord loads an archive record (deleted or not) by ID.
func (s *Service) archiveRecord(ctx context.Context, id string) (glacier.Archive, error) {
	var a glacier.Archive
	err := s.meta.View(ctx, func(tx glacier.Tx) (err error) {
		a, err = tx.Archive(id)
		return err
	})
	return a, err
}

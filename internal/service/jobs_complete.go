package service

import (
	"context"
	"time"

	"github.com/glacierd/glacierd/internal/blobref"
	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/treehash"
)

// The write path of a job's completion. A job's status is a pure function
// of its times (glacier.Job.StatusAt), but its output — an inventory
// document, the tree hash of a ranged retrieval — and its notifications are
// written once, when it completes: by the background tick (Tick →
// completeDue) or, if a client asks first, by completeIfDue in the read
// operations.

// completeIfDue writes the completion of job j if its time has come (as of
// now) and no one has written it yet, and returns the job as stored; else it
// returns j unchanged. DescribeJob, ListJobs and GetJobOutput call it before
// they answer, so that a job is reported Succeeded exactly when its output
// can be read, even if the background tick (completeDue) has not reached it.
func (s *Service) completeIfDue(ctx context.Context, j glacier.Job, now time.Time) (glacier.Job, error) {
	if j.Finalized || now.Before(j.CompleteAt) {
		return j, nil
	}
	return s.complete(ctx, j)
}

// complete writes a completed job's output — the tree hash of an aligned
// archive range, or an inventory document — marks the job finalized and
// queues its notifications, in one transaction. Several processes may
// complete the same job at once; the first to commit wins and the others
// discard their work.
func (s *Service) complete(ctx context.Context, j glacier.Job) (glacier.Job, error) {
	done := j
	outKey := ""
	switch j.Action {
	case glacier.ActionArchiveRetrieval:
		if j.RangeTreeHash == "" && treehash.Aligned(j.RangeStart, j.RangeEnd, j.ArchiveSize) {
			a, err := s.archiveRecord(ctx, j.ArchiveID)
			if err != nil {
				return j, err
			}
			h, err := s.rangeTreeHash(ctx, a, j.RangeStart, j.RangeEnd)
			if err != nil {
				return j, err
			}
			done.RangeTreeHash = hexString(h)
		}
	case glacier.ActionInventoryRetrieval:
		var err error
		outKey, done.OutputSize, done.NextMarker, err = s.writeInventory(ctx, j)
		if err != nil {
			return j, err
		}
		done.OutputKey = outKey
	case glacier.ActionSelect:
		var err error
		if done, err = s.runSelect(ctx, j); err != nil {
			return j, err
		}
	}
	done.Finalized = true
	err := s.meta.Update(ctx, func(tx glacier.Tx) error {
		cur, err := tx.Job(j.ID)
		if err != nil {
			return err
		}
		if cur.Finalized {
			done = cur
			return nil
		}
		if outKey != "" {
			if err := blobref.Claim(tx, outKey); err != nil {
				return err
			}
		}
		if err := tx.PutJob(done); err != nil {
			return err
		}
		return s.enqueueNotifications(tx, done)
	})
	if err != nil || (outKey != "" && done.OutputKey != outKey) {
		if outKey != "" {
			s.discardBlobs(outKey)
		}
	}
	return done, err
}

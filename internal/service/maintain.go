package service

import (
	"context"
	"errors"
	"strings"

	"github.com/glacierd/glacierd/internal/blobref"
	"github.com/glacierd/glacierd/internal/glacier"
)

// batch is how many records one maintenance step handles per transaction.
const batch = 100

// Tick does the frequent background work: it prepares the output of jobs
// that have just completed (queuing their notifications) and delivers due
// notifications. Run it every second or so; it is cheap when idle and safe
// to run from several processes sharing the stores.
func (s *Service) Tick(ctx context.Context) (int, error) {
	n1, err1 := s.completeDue(ctx)
	n2, err2 := s.deliverNotifications(ctx)
	return n1 + n2, errors.Join(err1, err2)
}

// Maintain runs one pass of the slower background upkeep: it takes due
// vault inventories, forgets expired jobs, multipart uploads and
// deleted-archive records, and deletes blobs whose garbage records are due.
// It is safe to run concurrently from several processes sharing the stores.
// It returns the number of items handled.
func (s *Service) Maintain(ctx context.Context) (int, error) {
	total := 0
	var errs []error
	for _, step := range []func(context.Context) (int, error){
		s.takeInventories, s.expireJobs, s.expireUploads, s.purgeArchives, s.collectGarbage,
	} {
		n, err := step(ctx)
		total += n
		errs = append(errs, err)
	}
	return total, errors.Join(errs...)
}

// completeDue writes the completion (see complete) of every job whose time
// has come.
func (s *Service) completeDue(ctx context.Context) (int, error) {
	total := 0
	for {
		var jobs []glacier.Job
		if err := s.meta.View(ctx, func(tx glacier.Tx) (err error) {
			jobs, err = tx.UnfinalizedJobs(s.now(), batch)
			return err
		}); err != nil {
			return total, err
		}
		for _, j := range jobs {
			if _, err := s.complete(ctx, j); err != nil {
				return total, err
			}
			total++
		}
		if len(jobs) < batch {
			return total, nil
		}
	}
}

// takeInventories snapshots the figures of vaults whose inventory is due.
func (s *Service) takeInventories(ctx context.Context) (int, error) {
	if s.inventoryEvery == 0 {
		return 0, nil
	}
	return s.repeat(ctx, func(tx glacier.Tx) (int, error) {
		now := s.now()
		vs, err := tx.DueInventories(now.Add(-s.inventoryEvery), batch)
		for _, v := range vs {
			if err != nil {
				break
			}
			v.InventoryAt, v.InventoryArchives, v.InventoryBytes = now, v.Archives, v.Bytes
			err = tx.PutVault(v)
		}
		return len(vs), err
	})
}

// expireJobs forgets jobs past their retention and queues their outputs
// for deletion.
func (s *Service) expireJobs(ctx context.Context) (int, error) {
	return s.repeat(ctx, func(tx glacier.Tx) (int, error) {
		now := s.now()
		jobs, err := tx.DeleteJobs(now.Add(-s.jobRetention), batch)
		for _, j := range jobs {
			if err == nil && j.OutputKey != "" {
				err = tx.PutGarbage(j.OutputKey, now)
			}
		}
		return len(jobs), err
	})
}

// expireUploads forgets finished uploads after UploadRetention and aborts
// active ones idle for as long.
func (s *Service) expireUploads(ctx context.Context) (int, error) {
	return s.repeat(ctx, func(tx glacier.Tx) (int, error) {
		now := s.now()
		cutoff := now.Add(-s.uploadRetention)
		us, err := tx.StaleUploads(cutoff, cutoff, batch)
		for _, u := range us {
			if err == nil && u.State == glacier.UploadActive {
				err = s.discardParts(tx, u.ID, now)
			}
			if err == nil {
				err = tx.DeleteUpload(u.ID)
			}
		}
		return len(us), err
	})
}

// purgeArchives forgets deleted archives that no inventory can report any
// more: those deleted before the oldest snapshot a job may still use.
func (s *Service) purgeArchives(ctx context.Context) (int, error) {
	horizon := s.inventoryEvery + s.scale.job(jobSpan(glacier.ActionInventoryRetrieval, "", 0).max) + s.jobRetention
	return s.repeat(ctx, func(tx glacier.Tx) (int, error) {
		return tx.PurgeArchives(s.now().Add(-2*horizon), batch)
	})
}

// repeat runs step in its own transaction until it handles fewer than a
// batch, and returns the total handled.
func (s *Service) repeat(ctx context.Context, step func(glacier.Tx) (int, error)) (int, error) {
	total := 0
	for {
		n := 0
		err := s.meta.Update(ctx, func(tx glacier.Tx) (err error) {
			n, err = step(tx)
			return err
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < batch {
			return total, nil
		}
	}
}

// collectGarbage deletes the blobs whose garbage records are due.
//
// A due record K is first replaced, in one transaction, by a record
// "collecting/K": from then on an upload that outlived OrphanGrace can no
// longer claim K (its claim fails rather than commit a reference to a blob
// being deleted). Then the blob is deleted, then the collecting record. A
// crash in between leaves the collecting record, which comes due again after
// blobref.CollectLease and has the blob deleted again: nothing is lost, nothing leaks.
func (s *Service) collectGarbage(ctx context.Context) (int, error) {
	total := 0
	for {
		var keys []string // collecting records
		if err := s.meta.Update(ctx, func(tx glacier.Tx) error {
			now := s.now()
			due, err := tx.DueGarbage(now, batch)
			if err != nil {
				return err
			}
			keys = keys[:0]
			for _, k := range due {
				if !strings.HasPrefix(k, blobref.CollectingPrefix) {
					if _, err := tx.DeleteGarbage(k); err != nil {
						return err
					}
					k = blobref.CollectingPrefix + k
				}
				// A retried collection waits a lease before it is due again.
				if err := tx.PutGarbage(k, now.Add(blobref.CollectLease)); err != nil {
					return err
				}
				keys = append(keys, k)
			}
			return nil
		}); err != nil {
			return total, err
		}
		var gone []string
		var derr error
		for _, k := range keys {
			if derr = s.blobs.Delete(ctx, strings.TrimPrefix(k, blobref.CollectingPrefix)); derr != nil {
				break // its collecting record stays; a later pass retries
			}
			gone = append(gone, k)
		}
		if err := s.meta.Update(ctx, func(tx glacier.Tx) error {
			for _, k := range gone {
				if _, err := tx.DeleteGarbage(k); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return total, err
		}
		total += len(gone)
		if derr != nil {
			return total, derr
		}
		if len(keys) < batch {
			return total, nil
		}
	}
}

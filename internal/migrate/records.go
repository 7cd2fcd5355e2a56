package migrate

import (
	"context"
	"fmt"
	"time"

	"github.com/glacierd/glacierd/internal/blobref"
	"github.com/glacierd/glacierd/internal/glacier"
)

// copyActiveUploads copies the vault's multipart uploads in progress and
// their parts, each part verified against its tree hash.
func (m *migrator) copyActiveUploads(ctx context.Context, v glacier.Vault) error {
	for after := ""; ; {
		var us []glacier.Upload
		if err := m.src.Meta.View(ctx, func(tx glacier.Tx) (err error) {
			us, err = tx.Uploads(v.Account, v.Name, after, migratePage)
			return err
		}); err != nil {
			return fmt.Errorf("source: uploads of %s/%s: %w", v.Account, v.Name, err)
		}
		for _, u := range us {
			if err := m.copyUpload(ctx, u); err != nil {
				return err
			}
		}
		if len(us) < migratePage {
			return nil
		}
		after = us[len(us)-1].ID
	}
}

// copyUpload copies an active upload's record, then each part's bytes and
// record.
func (m *migrator) copyUpload(ctx context.Context, u glacier.Upload) error {
	var parts []glacier.Part
	if err := m.src.Meta.View(ctx, func(tx glacier.Tx) (err error) {
		parts, err = tx.Parts(u.ID, -1, 0)
		return err
	}); err != nil {
		return fmt.Errorf("source: parts of upload %s: %w", u.ID, err)
	}
	if err := m.dst.Meta.Update(ctx, func(tx glacier.Tx) error { return tx.PutUpload(u) }); err != nil {
		return fmt.Errorf("destination: upload %s: %w", u.ID, err)
	}
	m.add(func(r *Report) { r.ActiveUploads++ })
	for _, p := range parts {
		if err := m.copyPart(ctx, u, p); err != nil {
			return err
		}
	}
	return nil
}

// copyPart copies one part of an upload in progress.
func (m *migrator) copyPart(ctx context.Context, u glacier.Upload, p glacier.Part) error {
	if m.resume {
		var old glacier.Part
		err := m.dst.Meta.View(ctx, func(tx glacier.Tx) (err error) {
			old, err = tx.Part(p.UploadID, p.Start)
			return err
		})
		if err == nil && old.Key == p.Key && old.TreeHash == p.TreeHash {
			m.add(func(r *Report) { r.Parts++ })
			return nil
		}
		if err != nil && !glacier.IsKind(err, glacier.KindNotFound) {
			return fmt.Errorf("destination: part %d of upload %s: %w", p.Start, u.ID, err)
		}
	}
	seg := []glacier.Segment{{Key: p.Key, Size: p.Size}}
	bad, err := m.copySegments(ctx, seg, p.Size, p.TreeHash)
	switch {
	case err != nil:
		return fmt.Errorf("part at byte %d of upload %s (vault %s/%s): %w", p.Start, u.ID, u.Account, u.Vault, err)
	case bad != nil:
		m.fail(fmt.Sprintf("part at byte %d of multipart upload %s of vault %s/%s: %v", p.Start, u.ID, u.Account, u.Vault, bad))
		return nil
	}
	if err := m.dst.Meta.Update(ctx, func(tx glacier.Tx) error {
		for _, k := range blobref.SegmentKeys(seg...) {
			if _, err := tx.DeleteGarbage(k); err != nil {
				return err
			}
		}
		return tx.PutPart(p)
	}); err != nil {
		return fmt.Errorf("destination: part %d of upload %s: %w", p.Start, u.ID, err)
	}
	m.add(func(r *Report) { r.Parts++ })
	return nil
}

// copyFinishedUploads copies the records of completed and aborted uploads,
// which answer a repeated Complete or Abort; they have no parts.
func (m *migrator) copyFinishedUploads(ctx context.Context) error {
	var us []glacier.Upload
	if err := m.src.Meta.View(ctx, func(tx glacier.Tx) (err error) {
		us, err = tx.StaleUploads(farFuture(), time.Time{}, 0)
		return err
	}); err != nil {
		return fmt.Errorf("source: finished uploads: %w", err)
	}
	n := 0
	err := m.dst.Meta.Update(ctx, func(tx glacier.Tx) error {
		n = 0
		for _, u := range us {
			if u.State == glacier.UploadActive {
				continue
			}
			if err := tx.PutUpload(u); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("destination: finished uploads: %w", err)
	}
	m.add(func(r *Report) { r.FinishedUploads += n })
	return nil
}

// copyJobs copies the vault's jobs and the outputs of finalized inventory
// jobs.
func (m *migrator) copyJobs(ctx context.Context, v glacier.Vault) error {
	q := glacier.JobQuery{Account: v.Account, Vault: v.Name, Limit: migratePage}
	for {
		var jobs []glacier.Job
		if err := m.src.Meta.View(ctx, func(tx glacier.Tx) (err error) {
			jobs, err = tx.Jobs(q)
			return err
		}); err != nil {
			return fmt.Errorf("source: jobs of %s/%s: %w", v.Account, v.Name, err)
		}
		for _, j := range jobs {
			if err := m.copyJob(ctx, j); err != nil {
				return err
			}
		}
		if len(jobs) < migratePage {
			return nil
		}
		q.AfterCreated, q.AfterID = jobs[len(jobs)-1].CreatedAt, jobs[len(jobs)-1].ID
	}
}

// copyJob copies a job and its output blob, if it has one.
func (m *migrator) copyJob(ctx context.Context, j glacier.Job) error {
	if j.OutputKey != "" && !m.jobPresent(ctx, j) {
		bad, err := m.copyBlob(ctx, j.OutputKey, j.OutputSize)
		switch {
		case err != nil:
			return fmt.Errorf("output of job %s (vault %s/%s): %w", j.ID, j.Account, j.Vault, err)
		case bad != nil:
			m.fail(fmt.Sprintf("output of %s job %s of vault %s/%s: %v", j.Action, j.ID, j.Account, j.Vault, bad))
			return nil
		}
	}
	if err := m.dst.Meta.Update(ctx, func(tx glacier.Tx) error {
		if j.OutputKey != "" {
			if _, err := tx.DeleteGarbage(j.OutputKey); err != nil {
				return err
			}
		}
		return tx.PutJob(j)
	}); err != nil {
		return fmt.Errorf("destination: job %s: %w", j.ID, err)
	}
	m.add(func(r *Report) { r.Jobs++ })
	return nil
}

// jobPresent reports whether a resumed migration already copied the job
// with its output.
func (m *migrator) jobPresent(ctx context.Context, j glacier.Job) bool {
	if !m.resume {
		return false
	}
	var old glacier.Job
	err := m.dst.Meta.View(ctx, func(tx glacier.Tx) (err error) {
		old, err = tx.Job(j.ID)
		return err
	})
	return err == nil && old.OutputKey == j.OutputKey
}

// copyNotifications copies the outbox: notifications not yet delivered.
func (m *migrator) copyNotifications(ctx context.Context) error {
	var ns []glacier.Notification
	if err := m.src.Meta.View(ctx, func(tx glacier.Tx) (err error) {
		ns, err = tx.DueNotifications(farFuture(), 0)
		return err
	}); err != nil {
		return fmt.Errorf("source: notifications: %w", err)
	}
	if err := m.dst.Meta.Update(ctx, func(tx glacier.Tx) error {
		for _, n := range ns {
			if err := tx.PutNotification(n); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("destination: notifications: %w", err)
	}
	m.add(func(r *Report) { r.Notifications += len(ns) })
	return nil
}

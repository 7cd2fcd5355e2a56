package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// current is what a transition checks before it writes.
type current struct {
	state    State
	jobID    string
	uploadID string
}

// transition runs fn in a transaction if archive id is in one of the
// states from, and stamps updated_at.
func (j *Journal) transition(ctx context.Context, id, what string, from []State, fn func(tx *sql.Tx, c current) error) error {
	now := j.now().UnixMilli()
	err := j.update(ctx, func(tx *sql.Tx) error {
		var c current
		err := tx.QueryRowContext(ctx, "SELECT state, job_id, upload_id FROM archives WHERE archive_id = ?", id).
			Scan(&c.state, &c.jobID, &c.uploadID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if !slices.Contains(from, c.state) {
			return fmt.Errorf("%w: archive is %s", ErrIllegal, c.state)
		}
		if err := fn(tx, c); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE archives SET updated_at = ? WHERE archive_id = ?", now, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("journal: %s %s: %w", what, id, err)
	}
	return nil
}

// Requested records a retrieval job for a pending archive.
func (j *Journal) Requested(ctx context.Context, id, jobID string, at, expires time.Time) error {
	return j.transition(ctx, id, "request", []State{Pending}, func(tx *sql.Tx, _ current) error {
		return setJob(ctx, tx, id, jobID, at, expires)
	})
}

// Renewed replaces the retrieval job of an archive whose job expired or is
// about to, whether it was requested, downloading or uploading. oldJobID
// must be the job the journal holds (so two renewals cannot both win). The
// archive goes back to requested; its ranges, upload ID and parts are kept.
func (j *Journal) Renewed(ctx context.Context, id, oldJobID, newJobID string, at, expires time.Time) error {
	return j.transition(ctx, id, "renew", []State{Requested, Downloading, Uploading}, func(tx *sql.Tx, c current) error {
		if c.jobID != oldJobID {
			return fmt.Errorf("%w: job is %s, not %s", ErrIllegal, c.jobID, oldJobID)
		}
		return setJob(ctx, tx, id, newJobID, at, expires)
	})
}

func setJob(ctx context.Context, tx *sql.Tx, id, jobID string, at, expires time.Time) error {
	if jobID == "" || !expires.After(at) {
		return fmt.Errorf("%w: job ID %q, requested %v, expires %v", ErrIllegal, jobID, at, expires)
	}
	_, err := tx.ExecContext(ctx, "UPDATE archives SET state = ?, job_id = ?, requested_at = ?, expires_at = ? WHERE archive_id = ?",
		Requested, jobID, at.UnixMilli(), expires.UnixMilli(), id)
	return err
}

// Downloading records that job jobID has completed and its output is
// being fetched.
func (j *Journal) Downloading(ctx context.Context, id, jobID string) error {
	return j.transition(ctx, id, "download", []State{Requested}, func(tx *sql.Tx, c current) error {
		if c.jobID != jobID {
			return fmt.Errorf("%w: job is %s, not %s", ErrIllegal, c.jobID, jobID)
		}
		_, err := tx.ExecContext(ctx, "UPDATE archives SET state = ? WHERE archive_id = ?", Downloading, id)
		return err
	})
}

// RangeDone records that range k of the job output was fetched and its tree
// hash checked. Recording a range again is harmless.
func (j *Journal) RangeDone(ctx context.Context, id string, k int) error {
	return j.transition(ctx, id, "range done", []State{Downloading, Uploading}, func(tx *sql.Tx, _ current) error {
		if k < 0 {
			return fmt.Errorf("%w: range %d", ErrIllegal, k)
		}
		_, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO ranges (archive_id, idx) VALUES (?, ?)", id, k)
		return err
	})
}

// Uploading records the S3 multipart upload of a downloading archive. An
// archive that had an upload before a renewal must continue that one.
func (j *Journal) Uploading(ctx context.Context, id, uploadID string) error {
	return j.transition(ctx, id, "upload", []State{Downloading}, func(tx *sql.Tx, c current) error {
		if uploadID == "" || c.uploadID != "" && c.uploadID != uploadID {
			return fmt.Errorf("%w: upload is %q, not %q", ErrIllegal, c.uploadID, uploadID)
		}
		_, err := tx.ExecContext(ctx, "UPDATE archives SET state = ?, upload_id = ? WHERE archive_id = ?", Uploading, uploadID, id)
		return err
	})
}

// PartDone records an uploaded S3 part. The same part with the same ETag
// again is harmless; with another ETag or size it is refused, because it
// would mean the part was uploaded twice.
func (j *Journal) PartDone(ctx context.Context, id, uploadID string, p Part) error {
	return j.transition(ctx, id, "part done", []State{Uploading}, func(tx *sql.Tx, c current) error {
		if c.uploadID != uploadID {
			return fmt.Errorf("%w: upload is %s, not %s", ErrIllegal, c.uploadID, uploadID)
		}
		return insertPart(ctx, tx, id, p)
	})
}

// insertPart records part p of archive id unless the same part is there.
func insertPart(ctx context.Context, tx *sql.Tx, id string, p Part) error {
	if p.Number < 1 || p.Number > 10000 || p.ETag == "" {
		return fmt.Errorf("%w: part %d etag %q", ErrIllegal, p.Number, p.ETag)
	}
	var etag string
	var size int64
	err := tx.QueryRowContext(ctx, "SELECT etag, size FROM parts WHERE archive_id = ? AND part_number = ?", id, p.Number).Scan(&etag, &size)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, "INSERT INTO parts (archive_id, part_number, etag, size) VALUES (?, ?, ?, ?)", id, p.Number, p.ETag, p.Size)
		return err
	case err != nil:
		return err
	case etag != p.ETag || size != p.Size:
		return fmt.Errorf("%w: part %d already uploaded (etag %s, %d bytes)", ErrIllegal, p.Number, etag, size)
	}
	return nil
}

// Verified records that the archive's S3 object was completed, read back
// and matched its tree hash.
func (j *Journal) Verified(ctx context.Context, id string) error {
	return j.transition(ctx, id, "verify", []State{Uploading}, func(tx *sql.Tx, _ current) error {
		_, err := tx.ExecContext(ctx, "UPDATE archives SET state = ? WHERE archive_id = ?", Verified, id)
		return err
	})
}

// Deleted records that a verified archive was deleted from the vault.
func (j *Journal) Deleted(ctx context.Context, id string) error {
	return j.transition(ctx, id, "delete", []State{Verified}, func(tx *sql.Tx, _ current) error {
		_, err := tx.ExecContext(ctx, "UPDATE archives SET state = ? WHERE archive_id = ?", Deleted, id)
		return err
	})
}

// Completed records that job jobID of a requested archive has completed
// and its output stays available until expires (Glacier: 24 hours after
// completion); the archive is then downloading.
func (j *Journal) Completed(ctx context.Context, id, jobID string, expires time.Time) error {
	return j.transition(ctx, id, "complete", []State{Requested}, func(tx *sql.Tx, c current) error {
		if c.jobID != jobID {
			return fmt.Errorf("%w: job is %s, not %s", ErrIllegal, c.jobID, jobID)
		}
		_, err := tx.ExecContext(ctx, "UPDATE archives SET state = ?, expires_at = ? WHERE archive_id = ?", Downloading, expires.UnixMilli(), id)
		return err
	})
}

// PartUploaded records, in one transaction, that range k of an uploading
// archive was fetched with tree hash rangeHash and sent as S3 part p of
// upload uploadID. A range and part recorded again with the same values is
// harmless; other values are refused as PartDone refuses them.
func (j *Journal) PartUploaded(ctx context.Context, id, uploadID string, k int, rangeHash string, p Part) error {
	return j.transition(ctx, id, "part uploaded", []State{Uploading}, func(tx *sql.Tx, c current) error {
		if c.uploadID != uploadID {
			return fmt.Errorf("%w: upload is %s, not %s", ErrIllegal, c.uploadID, uploadID)
		}
		if k < 0 || rangeHash == "" {
			return fmt.Errorf("%w: range %d hash %q", ErrIllegal, k, rangeHash)
		}
		if err := insertPart(ctx, tx, id, p); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO ranges (archive_id, idx, tree_hash) VALUES (?, ?, ?)
			ON CONFLICT (archive_id, idx) DO UPDATE SET tree_hash = excluded.tree_hash`, id, k, rangeHash)
		return err
	})
}

package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// State is where an archive is in the transfer.
type State string

// The states, in order.
const (
	Pending     State = "pending"
	Requested   State = "requested"   // a retrieval job exists: JobID, RequestedAt, ExpiresAt
	Downloading State = "downloading" // the job's output is being fetched: Ranges
	Uploading   State = "uploading"   // an S3 multipart upload exists: UploadID, Parts
	Verified    State = "verified"    // the S3 object was read back and matched
	Deleted     State = "deleted"     // the archive was deleted from the vault
)

// Archive is an inventory entry and the S3 key chosen for it.
type Archive struct {
	ID          string
	Size        int64
	TreeHash    string
	Created     time.Time
	Description string
	Key         string
}

// Part is one S3 part uploaded.
type Part struct {
	Number int
	ETag   string
	Size   int64
}

// Record is an archive and its progress.
type Record struct {
	Archive
	State       State
	JobID       string
	RequestedAt time.Time // zero if never requested
	ExpiresAt   time.Time // when the job's output stops being available
	UploadID    string
	Ranges      []int    // indexes of ranges fetched and checked, ascending
	RangeHashes []string // the tree hash of each of Ranges ("" if not recorded)
	Parts       []Part   // ascending by number
	UpdatedAt   time.Time
}

// AddArchives records inventory entries in one transaction. An archive
// already present must have the same size and tree hash; its key is
// replaced while it is pending and must stay the same afterwards (its S3
// object may already be partly written).
func (j *Journal) AddArchives(ctx context.Context, as []Archive) error {
	now := j.now().UnixMilli()
	return j.update(ctx, func(tx *sql.Tx) error {
		for _, a := range as {
			var size int64
			var hash, key string
			var st State
			err := tx.QueryRowContext(ctx, "SELECT size, tree_hash, COALESCE(key, ''), state FROM archives WHERE archive_id = ?", a.ID).
				Scan(&size, &hash, &key, &st)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				_, err = tx.ExecContext(ctx, `INSERT INTO archives (archive_id, size, tree_hash, created_at, description, key, updated_at)
					VALUES (?, ?, ?, ?, ?, NULLIF(?, ''), ?)`, a.ID, a.Size, a.TreeHash, a.Created.UnixMilli(), a.Description, a.Key, now)
			case err != nil:
			case size != a.Size || hash != a.TreeHash:
				err = fmt.Errorf("%w: archive %s: size/tree hash %d/%s in the journal, %d/%s now", ErrIllegal, a.ID, size, hash, a.Size, a.TreeHash)
			case key == a.Key:
			case st != Pending:
				err = fmt.Errorf("%w: archive %s is %s under key %q; it cannot move to %q", ErrIllegal, a.ID, st, key, a.Key)
			default:
				_, err = tx.ExecContext(ctx, "UPDATE archives SET key = NULLIF(?, ''), updated_at = ? WHERE archive_id = ?", a.Key, now, a.ID)
			}
			if err != nil {
				return fmt.Errorf("journal: add %s: %w", a.ID, err)
			}
		}
		return nil
	})
}

const recordCols = `archive_id, size, tree_hash, created_at, description, COALESCE(key, ''), state,
	job_id, requested_at, expires_at, upload_id, updated_at`

func scanRecord(s interface{ Scan(...any) error }) (Record, error) {
	var r Record
	var created, req, exp, upd int64
	err := s.Scan(&r.ID, &r.Size, &r.TreeHash, &created, &r.Description, &r.Key, &r.State,
		&r.JobID, &req, &exp, &r.UploadID, &upd)
	r.Created = time.UnixMilli(created).UTC()
	r.RequestedAt = msTime(req)
	r.ExpiresAt = msTime(exp)
	r.UpdatedAt = time.UnixMilli(upd).UTC()
	return r, err
}

func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// Archive returns one archive's record with its ranges and parts.
func (j *Journal) Archive(ctx context.Context, id string) (Record, error) {
	r, err := scanRecord(j.db.QueryRowContext(ctx, "SELECT "+recordCols+" FROM archives WHERE archive_id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, fmt.Errorf("journal: %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Record{}, err
	}
	rows, err := j.db.QueryContext(ctx, "SELECT idx, tree_hash FROM ranges WHERE archive_id = ? ORDER BY idx", id)
	if err != nil {
		return Record{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var k int
		var h string
		if err := rows.Scan(&k, &h); err != nil {
			return Record{}, err
		}
		r.Ranges = append(r.Ranges, k)
		r.RangeHashes = append(r.RangeHashes, h)
	}
	if err := rows.Err(); err != nil {
		return Record{}, err
	}
	prows, err := j.db.QueryContext(ctx, "SELECT part_number, etag, size FROM parts WHERE archive_id = ? ORDER BY part_number", id)
	if err != nil {
		return Record{}, err
	}
	defer prows.Close()
	for prows.Next() {
		var p Part
		if err := prows.Scan(&p.Number, &p.ETag, &p.Size); err != nil {
			return Record{}, err
		}
		r.Parts = append(r.Parts, p)
	}
	return r, prows.Err()
}

// Archives returns every archive in creation order (then by ID), without
// Ranges and Parts (see Archive).
func (j *Journal) Archives(ctx context.Context) ([]Record, error) {
	return j.records(ctx, "ORDER BY created_at, archive_id")
}

// records returns the archives a WHERE/ORDER BY tail selects.
func (j *Journal) records(ctx context.Context, tail string, args ...any) ([]Record, error) {
	rows, err := j.db.QueryContext(ctx, "SELECT "+recordCols+" FROM archives "+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Counts returns how many archives are in each state (absent: none).
func (j *Journal) Counts(ctx context.Context) (map[State]int, error) {
	rows, err := j.db.QueryContext(ctx, "SELECT state, COUNT(*) FROM archives GROUP BY state")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[State]int{}
	for rows.Next() {
		var s State
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// Expiring returns the archives whose retrieval job stops being available
// before t (requested, downloading or uploading), in creation order,
// without Ranges and Parts: the ones to renew with Renewed before going on.
func (j *Journal) Expiring(ctx context.Context, t time.Time) ([]Record, error) {
	return j.records(ctx, "WHERE state IN (?, ?, ?) AND expires_at < ? ORDER BY created_at, archive_id",
		Requested, Downloading, Uploading, t.UnixMilli())
}

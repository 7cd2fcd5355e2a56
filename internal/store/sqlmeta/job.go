package sqlmeta

import (
	"fmt"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

const jobCols = "id, account, vault, action, tier, description, sns_topic, created_at, complete_at, " +
	"status, status_msg, archive_id, archive_size, archive_tree_hash, range_start, range_end, " +
	"range_tree_hash, format, inventory_at, inventory_start, inventory_end, inventory_limit, " +
	"inventory_marker, finalized, output_key, output_size, next_marker, select_job"

func scanJob(j *glacier.Job) func(Scanner) error {
	return func(s Scanner) error {
		var invLimit int64
		var sel string
		if err := s.Scan(&j.ID, &j.Account, &j.Vault, &j.Action, &j.Tier, &j.Description, &j.SNSTopic,
			timeDest{&j.CreatedAt}, timeDest{&j.CompleteAt}, &j.Status, &j.StatusMsg,
			&j.ArchiveID, &j.ArchiveSize, &j.ArchiveTreeHash, &j.RangeStart, &j.RangeEnd,
			&j.RangeTreeHash, &j.Format, timeDest{&j.InventoryAt}, timeDest{&j.InventoryStart},
			timeDest{&j.InventoryEnd}, &invLimit, &j.InventoryMarker, &j.Finalized,
			&j.OutputKey, &j.OutputSize, &j.NextMarker, &sel); err != nil {
			return err
		}
		j.InventoryLimit = int(invLimit)
		return decSelect(sel, j)
	}
}

// Job returns the job, or an error of KindNotFound.
func (t *Tx) Job(id string) (glacier.Job, error) {
	return get(t, "job", fmt.Sprintf("job %s not found", id), scanJob,
		"SELECT "+jobCols+" FROM jobs WHERE id = ?", id)
}

// PutJob inserts or replaces the job.
func (t *Tx) PutJob(j glacier.Job) error {
	sel, err := encSelect(j)
	if err != nil {
		return glacier.Errorf(glacier.KindInternal, "put job: %v", err)
	}
	_, err = t.exec("put job", upsert("jobs", "id", jobCols),
		j.ID, j.Account, j.Vault, j.Action, j.Tier, j.Description, j.SNSTopic,
		enc(j.CreatedAt), enc(j.CompleteAt), j.Status, j.StatusMsg,
		j.ArchiveID, j.ArchiveSize, j.ArchiveTreeHash, j.RangeStart, j.RangeEnd,
		j.RangeTreeHash, j.Format, enc(j.InventoryAt), enc(j.InventoryStart),
		enc(j.InventoryEnd), int64(j.InventoryLimit), j.InventoryMarker, j.Finalized,
		j.OutputKey, j.OutputSize, j.NextMarker, sel)
	return err
}

// Jobs returns the jobs matching q in (CreatedAt, ID) order.
func (t *Tx) Jobs(q glacier.JobQuery) ([]glacier.Job, error) {
	var w where
	now := enc(q.Now)
	w.add("account = ? AND vault = ?", q.Account, q.Vault)
	if q.ArchiveID != "" {
		w.add("action IN (?, ?) AND archive_id = ?", glacier.ActionArchiveRetrieval, glacier.ActionSelect, q.ArchiveID)
	}
	switch q.Status {
	case "":
	case glacier.StatusInProgress:
		w.add("complete_at > ?", now)
	default:
		w.add("complete_at <= ? AND status = ?", now, q.Status)
	}
	if q.Completed != nil {
		if *q.Completed {
			w.add("complete_at <= ?", now)
		} else {
			w.add("complete_at > ?", now)
		}
	}
	if !q.MinCompleteAt.IsZero() {
		w.add("complete_at >= ?", enc(q.MinCompleteAt))
	}
	if q.AfterID != "" {
		w.add("(created_at, id) > (?, ?)", enc(q.AfterCreated), q.AfterID)
	}
	return collect(t, "jobs", scanJob, "SELECT "+jobCols+" FROM jobs WHERE "+w.String()+
		" ORDER BY created_at, id LIMIT ?", append(w.args, t.limit(q.Limit))...)
}

// UnfinalizedJobs returns up to n jobs complete at now and not finalized, in
// (CompleteAt, ID) order.
func (t *Tx) UnfinalizedJobs(now time.Time, n int) ([]glacier.Job, error) {
	return collect(t, "unfinalized jobs", scanJob, "SELECT "+jobCols+" FROM jobs"+
		" WHERE "+t.d.Unfinalized+" AND complete_at <= ? ORDER BY complete_at, id LIMIT ?", enc(now), t.limit(n))
}

// RetrievalStats counts the account's archive retrievals and select jobs
// (which read a whole archive) of the tier created
// at or after since and sums their range sizes.
func (t *Tx) RetrievalStats(account, tier string, since time.Time) (int, int64, error) {
	var n int
	var bytes int64
	// The cast is for PostgreSQL, whose sum of BIGINT is NUMERIC; in SQLite
	// the sum of integers is an integer already.
	err := t.queryRow("retrieval stats", "", func(s Scanner) error { return s.Scan(&n, &bytes) },
		"SELECT count(*), CAST(coalesce(sum(range_end - range_start + 1), 0) AS BIGINT) FROM jobs"+
			" WHERE action IN ('"+glacier.ActionArchiveRetrieval+"', '"+glacier.ActionSelect+"') AND account = ? AND tier = ? AND created_at >= ?",
		account, tier, enc(since))
	return n, bytes, err
}

// DeleteJobs deletes up to n jobs complete before completedBefore and returns
// them in (CompleteAt, ID) order.
func (t *Tx) DeleteJobs(completedBefore time.Time, n int) ([]glacier.Job, error) {
	const op = "delete jobs"
	if err := t.writable(op); err != nil {
		return nil, err
	}
	if t.d.DeleteInWith {
		return collect(t, op, scanJob, "WITH deleted AS (DELETE FROM jobs WHERE id IN"+
			" (SELECT id FROM jobs WHERE complete_at < ? ORDER BY complete_at, id LIMIT ?)"+
			" RETURNING "+jobCols+") SELECT "+jobCols+" FROM deleted ORDER BY complete_at, id",
			enc(completedBefore), t.limit(n))
	}
	js, err := collect(t, op, scanJob, "SELECT "+jobCols+" FROM jobs"+
		" WHERE complete_at < ? ORDER BY complete_at, id LIMIT ?", enc(completedBefore), t.limit(n))
	if err != nil {
		return nil, err
	}
	for _, j := range js {
		if _, err := t.exec(op, "DELETE FROM jobs WHERE id = ?", j.ID); err != nil {
			return nil, err
		}
	}
	return js, nil
}

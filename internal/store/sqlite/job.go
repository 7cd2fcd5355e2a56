package sqlite

import (
	"fmt"
	"strings"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

const jobCols = "id, account, vault, action, tier, description, sns_topic, created_at, complete_at, " +
	"status, status_msg, archive_id, archive_size, archive_tree_hash, range_start, range_end, " +
	"range_tree_hash, format, inventory_at, inventory_start, inventory_end, inventory_limit, " +
	"inventory_marker, finalized, output_key, output_size, next_marker"

func scanJob(j *glacier.Job) func(scanner) error {
	return func(s scanner) error {
		return s.Scan(&j.ID, &j.Account, &j.Vault, &j.Action, &j.Tier, &j.Description, &j.SNSTopic,
			timeDest{&j.CreatedAt}, timeDest{&j.CompleteAt}, &j.Status, &j.StatusMsg,
			&j.ArchiveID, &j.ArchiveSize, &j.ArchiveTreeHash, &j.RangeStart, &j.RangeEnd,
			&j.RangeTreeHash, &j.Format, timeDest{&j.InventoryAt}, timeDest{&j.InventoryStart},
			timeDest{&j.InventoryEnd}, &j.InventoryLimit, &j.InventoryMarker, &j.Finalized,
			&j.OutputKey, &j.OutputSize, &j.NextMarker)
	}
}

func (t *tx) jobs(op, query string, args ...any) ([]glacier.Job, error) {
	var js []glacier.Job
	err := t.queryRows(op, func(s scanner) error {
		var j glacier.Job
		if err := scanJob(&j)(s); err != nil {
			return err
		}
		js = append(js, j)
		return nil
	}, query, args...)
	return js, err
}

// Job returns the job, or an error of KindNotFound.
func (t *tx) Job(id string) (glacier.Job, error) {
	var j glacier.Job
	err := t.queryRow("job", fmt.Sprintf("job %s not found", id), scanJob(&j),
		"SELECT "+jobCols+" FROM jobs WHERE id = ?", id)
	return j, err
}

// PutJob inserts or replaces the job.
func (t *tx) PutJob(j glacier.Job) error {
	_, err := t.exec("put job", upsert("jobs", "id", jobCols),
		j.ID, j.Account, j.Vault, j.Action, j.Tier, j.Description, j.SNSTopic,
		enc(j.CreatedAt), enc(j.CompleteAt), j.Status, j.StatusMsg,
		j.ArchiveID, j.ArchiveSize, j.ArchiveTreeHash, j.RangeStart, j.RangeEnd,
		j.RangeTreeHash, j.Format, enc(j.InventoryAt), enc(j.InventoryStart),
		enc(j.InventoryEnd), j.InventoryLimit, j.InventoryMarker, j.Finalized,
		j.OutputKey, j.OutputSize, j.NextMarker)
	return err
}

// Jobs returns the jobs matching q in (CreatedAt, ID) order.
func (t *tx) Jobs(q glacier.JobQuery) ([]glacier.Job, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	now := enc(q.Now)
	add("account = ? AND vault = ?", q.Account, q.Vault)
	if q.ArchiveID != "" {
		add("action = ? AND archive_id = ?", glacier.ActionArchiveRetrieval, q.ArchiveID)
	}
	switch q.Status {
	case "":
	case glacier.StatusInProgress:
		add("complete_at > ?", now)
	default:
		add("complete_at <= ? AND status = ?", now, q.Status)
	}
	if q.Completed != nil {
		if *q.Completed {
			add("complete_at <= ?", now)
		} else {
			add("complete_at > ?", now)
		}
	}
	if !q.MinCompleteAt.IsZero() {
		add("complete_at >= ?", enc(q.MinCompleteAt))
	}
	if q.AfterID != "" {
		add("(created_at, id) > (?, ?)", enc(q.AfterCreated), q.AfterID)
	}
	args = append(args, limit(q.Limit))
	return t.jobs("jobs", "SELECT "+jobCols+" FROM jobs WHERE "+strings.Join(where, " AND ")+
		" ORDER BY created_at, id LIMIT ?", args...)
}

// UnfinalizedJobs returns up to n jobs complete at now and not finalized, in
// (CompleteAt, ID) order.
func (t *tx) UnfinalizedJobs(now time.Time, n int) ([]glacier.Job, error) {
	return t.jobs("unfinalized jobs", "SELECT "+jobCols+" FROM jobs"+
		" WHERE finalized = 0 AND complete_at <= ? ORDER BY complete_at, id LIMIT ?", enc(now), limit(n))
}

// RetrievalStats counts the account's archive retrievals of the tier created
// at or after since and sums their range sizes.
func (t *tx) RetrievalStats(account, tier string, since time.Time) (int, int64, error) {
	var n int
	var bytes int64
	err := t.queryRow("retrieval stats", "", func(s scanner) error { return s.Scan(&n, &bytes) },
		"SELECT count(*), coalesce(sum(range_end - range_start + 1), 0) FROM jobs"+
			" WHERE action = '"+glacier.ActionArchiveRetrieval+"' AND account = ? AND tier = ? AND created_at >= ?",
		account, tier, enc(since))
	return n, bytes, err
}

// DeleteJobs deletes up to n jobs complete before completedBefore and returns
// them in (CompleteAt, ID) order.
func (t *tx) DeleteJobs(completedBefore time.Time, n int) ([]glacier.Job, error) {
	js, err := t.jobs("delete jobs", "SELECT "+jobCols+" FROM jobs"+
		" WHERE complete_at < ? ORDER BY complete_at, id LIMIT ?", enc(completedBefore), limit(n))
	if err != nil {
		return nil, err
	}
	for _, j := range js {
		if _, err := t.exec("delete jobs", "DELETE FROM jobs WHERE id = ?", j.ID); err != nil {
			return nil, err
		}
	}
	return js, nil
}

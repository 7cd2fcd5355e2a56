package postgres

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
		var invLimit int64
		if err := s.Scan(&j.ID, &j.Account, &j.Vault, &j.Action, &j.Tier, &j.Description, &j.SNSTopic,
			timeDest{&j.CreatedAt}, timeDest{&j.CompleteAt}, &j.Status, &j.StatusMsg,
			&j.ArchiveID, &j.ArchiveSize, &j.ArchiveTreeHash, &j.RangeStart, &j.RangeEnd,
			&j.RangeTreeHash, &j.Format, timeDest{&j.InventoryAt}, timeDest{&j.InventoryStart},
			timeDest{&j.InventoryEnd}, &invLimit, &j.InventoryMarker, &j.Finalized,
			&j.OutputKey, &j.OutputSize, &j.NextMarker); err != nil {
			return err
		}
		j.InventoryLimit = int(invLimit)
		return nil
	}
}

// Job returns the job, or an error of KindNotFound.
func (t *tx) Job(id string) (glacier.Job, error) {
	var j glacier.Job
	err := t.queryRow("job", fmt.Sprintf("job %s not found", id), scanJob(&j),
		"SELECT "+jobCols+" FROM jobs WHERE id = $1", id)
	return j, err
}

// PutJob inserts or replaces the job.
func (t *tx) PutJob(j glacier.Job) error {
	_, err := t.exec("put job", upsert("jobs", "id", jobCols),
		j.ID, j.Account, j.Vault, j.Action, j.Tier, j.Description, j.SNSTopic,
		enc(j.CreatedAt), enc(j.CompleteAt), j.Status, j.StatusMsg,
		j.ArchiveID, j.ArchiveSize, j.ArchiveTreeHash, j.RangeStart, j.RangeEnd,
		j.RangeTreeHash, j.Format, enc(j.InventoryAt), enc(j.InventoryStart),
		enc(j.InventoryEnd), int64(j.InventoryLimit), j.InventoryMarker, j.Finalized,
		j.OutputKey, j.OutputSize, j.NextMarker)
	return err
}

// Jobs returns the jobs matching q in (CreatedAt, ID) order.
func (t *tx) Jobs(q glacier.JobQuery) ([]glacier.Job, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) {
		for _, v := range a {
			args = append(args, v)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where = append(where, cond)
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
	return collect(t, "jobs", scanJob, "SELECT "+jobCols+" FROM jobs WHERE "+strings.Join(where, " AND ")+
		fmt.Sprintf(" ORDER BY created_at, id LIMIT $%d", len(args)), args...)
}

// UnfinalizedJobs returns up to n jobs complete at now and not finalized, in
// (CompleteAt, ID) order.
func (t *tx) UnfinalizedJobs(now time.Time, n int) ([]glacier.Job, error) {
	return collect(t, "unfinalized jobs", scanJob, "SELECT "+jobCols+" FROM jobs"+
		" WHERE NOT finalized AND complete_at <= $1 ORDER BY complete_at, id LIMIT $2", enc(now), limit(n))
}

// RetrievalStats counts the account's archive retrievals of the tier created
// at or after since and sums their range sizes.
func (t *tx) RetrievalStats(account, tier string, since time.Time) (int, int64, error) {
	var n int
	var bytes int64
	err := t.queryRow("retrieval stats", "", func(s scanner) error { return s.Scan(&n, &bytes) },
		"SELECT count(*), coalesce(sum(range_end - range_start + 1), 0)::bigint FROM jobs"+
			" WHERE action = '"+glacier.ActionArchiveRetrieval+"' AND account = $1 AND tier = $2 AND created_at >= $3",
		account, tier, enc(since))
	return n, bytes, err
}

// DeleteJobs deletes up to n jobs complete before completedBefore and returns
// them in (CompleteAt, ID) order.
func (t *tx) DeleteJobs(completedBefore time.Time, n int) ([]glacier.Job, error) {
	if err := t.writable("delete jobs"); err != nil {
		return nil, err
	}
	return collect(t, "delete jobs", scanJob, "WITH deleted AS (DELETE FROM jobs WHERE id IN"+
		" (SELECT id FROM jobs WHERE complete_at < $1 ORDER BY complete_at, id LIMIT $2)"+
		" RETURNING "+jobCols+") SELECT "+jobCols+" FROM deleted ORDER BY complete_at, id",
		enc(completedBefore), limit(n))
}

package postgres

import (
	"fmt"
	"strings"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

const archiveCols = "id, account, vault, description, size, tree_hash, created_at, deleted_at, segments"

// scanBatch is how many archives ScanArchives reads per query. It reads in
// batches, and calls fn with no query open, so that fn may use the
// transaction, and so that memory stays bounded on large vaults.
const scanBatch = 1000

func scanArchive(a *glacier.Archive) func(scanner) error {
	return func(s scanner) error {
		var segs []byte
		if err := s.Scan(&a.ID, &a.Account, &a.Vault, &a.Description, &a.Size, &a.TreeHash,
			timeDest{&a.CreatedAt}, timeDest{&a.DeletedAt}, &segs); err != nil {
			return err
		}
		var err error
		a.Segments, err = decSegments(segs)
		return err
	}
}

// Archive returns the archive, deleted or not, or an error of KindNotFound.
func (t *tx) Archive(id string) (glacier.Archive, error) {
	var a glacier.Archive
	err := t.queryRow("archive", fmt.Sprintf("archive %s not found", id), scanArchive(&a),
		"SELECT "+archiveCols+" FROM archives WHERE id = $1", id)
	return a, err
}

// PutArchive inserts or replaces the archive.
func (t *tx) PutArchive(a glacier.Archive) error {
	segs, err := encSegments(a.Segments)
	if err != nil {
		return fmt.Errorf("postgres: put archive: %w", err)
	}
	_, err = t.exec("put archive", upsert("archives", "id", archiveCols),
		a.ID, a.Account, a.Vault, a.Description, a.Size, a.TreeHash,
		enc(a.CreatedAt), enc(a.DeletedAt), segs)
	return err
}

// ScanArchives calls fn for each archive matching q in (CreatedAt, ID) order
// and returns fn's first error.
func (t *tx) ScanArchives(q glacier.ArchiveQuery, fn func(glacier.Archive) error) error {
	var where []string
	var args []any
	add := func(cond string, a ...any) {
		for _, v := range a {
			args = append(args, v)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		where = append(where, cond)
	}
	add("account = ? AND vault = ?", q.Account, q.Vault)
	if !q.AsOf.IsZero() {
		asOf := enc(q.AsOf)
		add("created_at <= ? AND (deleted_at = 0 OR deleted_at > ?)", asOf, asOf)
	}
	if !q.CreatedFrom.IsZero() {
		add("created_at >= ?", enc(q.CreatedFrom))
	}
	if !q.CreatedBefore.IsZero() {
		add("created_at < ?", enc(q.CreatedBefore))
	}
	base := "SELECT " + archiveCols + " FROM archives WHERE " + strings.Join(where, " AND ")
	cursor := fmt.Sprintf(" AND (created_at, id) > ($%d, $%d)", len(args)+1, len(args)+2)
	afterCreated, afterID := q.AfterCreated, q.AfterID
	remaining := q.Limit
	for {
		n := scanBatch
		if q.Limit > 0 {
			n = min(n, remaining)
		}
		query, qargs := base, args
		if afterID != "" {
			query += cursor
			qargs = append(qargs[:len(qargs):len(qargs)], enc(afterCreated), afterID)
		}
		query += fmt.Sprintf(" ORDER BY created_at, id LIMIT $%d", len(qargs)+1)
		qargs = append(qargs[:len(qargs):len(qargs)], n)
		batch, err := collect(t, "scan archives", scanArchive, query, qargs...)
		if err != nil {
			return err
		}
		for _, a := range batch {
			if err := fn(a); err != nil {
				return err
			}
		}
		remaining -= len(batch)
		if len(batch) < n || (q.Limit > 0 && remaining <= 0) {
			return nil
		}
		last := batch[len(batch)-1]
		afterCreated, afterID = last.CreatedAt, last.ID
	}
}

// PurgeArchives deletes up to n archives, of any vault, deleted before
// deletedBefore and returns how many it deleted.
func (t *tx) PurgeArchives(deletedBefore time.Time, n int) (int, error) {
	tag, err := t.exec("purge archives", "DELETE FROM archives WHERE id IN (SELECT id FROM archives"+
		" WHERE deleted_at <> 0 AND deleted_at < $1 ORDER BY deleted_at LIMIT $2)",
		enc(deletedBefore), limit(n))
	return int(tag.RowsAffected()), err
}

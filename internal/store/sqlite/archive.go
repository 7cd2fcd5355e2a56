package sqlite

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
		var segs string
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
		"SELECT "+archiveCols+" FROM archives WHERE id = ?", id)
	return a, err
}

// PutArchive inserts or replaces the archive.
func (t *tx) PutArchive(a glacier.Archive) error {
	segs, err := encSegments(a.Segments)
	if err != nil {
		return fmt.Errorf("sqlite: put archive: %w", err)
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
		where = append(where, cond)
		args = append(args, a...)
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
	afterCreated, afterID := q.AfterCreated, q.AfterID
	remaining := q.Limit
	for {
		n := scanBatch
		if q.Limit > 0 {
			n = min(n, remaining)
		}
		query, qargs := base, args
		if afterID != "" {
			query += " AND (created_at, id) > (?, ?)"
			qargs = append(qargs[:len(qargs):len(qargs)], enc(afterCreated), afterID)
		}
		query += " ORDER BY created_at, id LIMIT ?"
		qargs = append(qargs[:len(qargs):len(qargs)], n)
		batch, err := t.archives(query, qargs...)
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

func (t *tx) archives(query string, args ...any) ([]glacier.Archive, error) {
	var as []glacier.Archive
	err := t.queryRows("scan archives", func(s scanner) error {
		var a glacier.Archive
		if err := scanArchive(&a)(s); err != nil {
			return err
		}
		as = append(as, a)
		return nil
	}, query, args...)
	return as, err
}

// PurgeArchives deletes up to n archives, of any vault, deleted before
// deletedBefore and returns how many it deleted.
func (t *tx) PurgeArchives(deletedBefore time.Time, n int) (int, error) {
	res, err := t.exec("purge archives", "DELETE FROM archives WHERE id IN (SELECT id FROM archives"+
		" WHERE deleted_at <> 0 AND deleted_at < ? ORDER BY deleted_at LIMIT ?)",
		enc(deletedBefore), limit(n))
	if err != nil {
		return 0, err
	}
	deleted, err := res.RowsAffected()
	return int(deleted), dbErr("purge archives", err)
}

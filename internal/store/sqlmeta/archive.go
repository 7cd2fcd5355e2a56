package sqlmeta

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

func scanArchive(a *glacier.Archive) func(Scanner) error {
	return func(s Scanner) error {
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
func (t *Tx) Archive(id string) (glacier.Archive, error) {
	return get(t, "archive", fmt.Sprintf("archive %s not found", id), scanArchive,
		"SELECT "+archiveCols+" FROM archives WHERE id = ?", id)
}

// PutArchive inserts or replaces the archive.
func (t *Tx) PutArchive(a glacier.Archive) error {
	segs, err := encSegments(a.Segments)
	if err != nil {
		return fmt.Errorf("%s: put archive: %w", t.d.Name, err)
	}
	_, err = t.exec("put archive", upsert("archives", "id", archiveCols),
		a.ID, a.Account, a.Vault, a.Description, a.Size, a.TreeHash,
		enc(a.CreatedAt), enc(a.DeletedAt), segs)
	return err
}

// ScanArchives calls fn for each archive matching q in (CreatedAt, ID) order
// and returns fn's first error.
func (t *Tx) ScanArchives(q glacier.ArchiveQuery, fn func(glacier.Archive) error) error {
	var w where
	w.add("account = ? AND vault = ?", q.Account, q.Vault)
	if !q.AsOf.IsZero() {
		asOf := enc(q.AsOf)
		w.add("created_at <= ? AND (deleted_at = 0 OR deleted_at > ?)", asOf, asOf)
	}
	if !q.CreatedFrom.IsZero() {
		w.add("created_at >= ?", enc(q.CreatedFrom))
	}
	if !q.CreatedBefore.IsZero() {
		w.add("created_at < ?", enc(q.CreatedBefore))
	}
	base := "SELECT " + archiveCols + " FROM archives WHERE " + w.String()
	afterCreated, afterID := q.AfterCreated, q.AfterID
	remaining := q.Limit
	for {
		n := scanBatch
		if q.Limit > 0 {
			n = min(n, remaining)
		}
		query, args := base, w.args
		if afterID != "" {
			query += " AND (created_at, id) > (?, ?)"
			args = append(args[:len(args):len(args)], enc(afterCreated), afterID)
		}
		query += " ORDER BY created_at, id LIMIT ?"
		args = append(args[:len(args):len(args)], n)
		batch, err := collect(t, "scan archives", scanArchive, query, args...)
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
func (t *Tx) PurgeArchives(deletedBefore time.Time, n int) (int, error) {
	deleted, err := t.exec("purge archives", "DELETE FROM archives WHERE id IN (SELECT id FROM archives"+
		" WHERE deleted_at <> 0 AND deleted_at < ? ORDER BY deleted_at LIMIT ?)",
		enc(deletedBefore), t.limit(n))
	if err != nil {
		return 0, err
	}
	return int(deleted), nil
}

// where is the WHERE clause of a query with a variable set of conditions,
// and their arguments.
type where struct {
	conds []string
	args  []any
}

// add appends a condition, with one argument for each of its placeholders.
func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// String returns the conditions joined by AND.
func (w *where) String() string {
	return strings.Join(w.conds, " AND ")
}

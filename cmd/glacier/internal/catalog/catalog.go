// Package catalog is the glacier command's local record of the archives it
// uploaded: file, description, size, tree hash, archive ID, vault and time,
// kept per endpoint, region and account so that the same vault name on AWS
// and on a local glacierd never mix. It lets a person find an archive again
// without an inventory job (which takes hours on AWS).
//
// The catalog is a SQLite database in WAL mode; several glacier processes
// may read and write it at once.
package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// Scope says which service and account archives belong to.
type Scope struct {
	Endpoint string // the service's base URL, or "aws" for AWS's own endpoints
	Region   string
	Account  string // an account ID, or "-": any account (on lookups)
}

// Entry is one catalogued archive, with the API's member names.
type Entry struct {
	Endpoint           string
	Region             string
	AccountId          string // Glacier's spelling, kept for JSON
	VaultName          string
	ArchiveId          string // Glacier's spelling, kept for JSON
	ArchiveDescription string
	File               string `json:",omitempty"` // absolute path of the uploaded file; "" for standard input
	Size               int64
	SHA256TreeHash     string
	CreationDate       time.Time  // when the upload completed
	DeletionDate       *time.Time `json:",omitempty"` // when glacier deleted it, if it did
}

// Catalog is an open catalog database. It is safe for concurrent use.
type Catalog struct {
	db  *sql.DB
	now func() time.Time
}

// DefaultPath returns where the catalog lives unless told otherwise:
// $GLACIER_CATALOG, else $XDG_STATE_HOME/glacier/catalog.db, else
// ~/.local/state/glacier/catalog.db. It returns "" when none of these can be
// determined.
func DefaultPath(getenv func(string) string) string {
	if p := getenv("GLACIER_CATALOG"); p != "" {
		return p
	}
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "glacier", "catalog.db")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "state", "glacier", "catalog.db")
	}
	return ""
}

const schema = `
CREATE TABLE IF NOT EXISTS archives (
	endpoint    TEXT NOT NULL,
	region      TEXT NOT NULL,
	account     TEXT NOT NULL,
	vault       TEXT NOT NULL,
	archive_id  TEXT NOT NULL,
	description TEXT NOT NULL,
	file        TEXT NOT NULL,
	size        INTEGER NOT NULL,
	tree_hash   TEXT NOT NULL,
	created_at  INTEGER NOT NULL, -- Unix milliseconds
	deleted_at  INTEGER,          -- Unix milliseconds; NULL while the archive exists
	PRIMARY KEY (endpoint, region, account, vault, archive_id)
);
CREATE INDEX IF NOT EXISTS archives_hash ON archives (endpoint, region, vault, tree_hash);
`

// Open opens the catalog at path, creating it and its directory (mode 0700)
// if needed. now stamps new entries.
func Open(ctx context.Context, path string, now func() time.Time) (*Catalog, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: abs}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	db.SetMaxOpenConns(4)
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("catalog %s: %w", path, err)
	}
	return &Catalog{db: db, now: now}, nil
}

// Close closes the database.
func (c *Catalog) Close() error { return c.db.Close() }

// Add records an uploaded archive, stamped with the current time; adding an
// archive again replaces its entry.
func (c *Catalog) Add(ctx context.Context, s Scope, e Entry) error {
	_, err := c.db.ExecContext(ctx, `INSERT OR REPLACE INTO archives
		(endpoint, region, account, vault, archive_id, description, file, size, tree_hash, created_at, deleted_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
		s.Endpoint, s.Region, s.Account, e.VaultName, e.ArchiveId, e.ArchiveDescription, e.File, e.Size, e.SHA256TreeHash,
		c.now().UnixMilli())
	if err != nil {
		return fmt.Errorf("catalog: add: %w", err)
	}
	return nil
}

// MarkDeleted records that an archive was deleted. An archive the catalog
// does not hold gets an entry that says only that, so that an interrupted
// "vault empty" knows what it has done.
func (c *Catalog) MarkDeleted(ctx context.Context, s Scope, vault, archiveID string) error {
	now := c.now().UnixMilli()
	res, err := c.db.ExecContext(ctx, `UPDATE archives SET deleted_at = ?
		WHERE endpoint = ? AND region = ? AND (account = ? OR ? = '-') AND vault = ? AND archive_id = ? AND deleted_at IS NULL`,
		now, s.Endpoint, s.Region, s.Account, s.Account, vault, archiveID)
	if err != nil {
		return fmt.Errorf("catalog: mark deleted: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	_, err = c.db.ExecContext(ctx, `INSERT OR IGNORE INTO archives
		(endpoint, region, account, vault, archive_id, description, file, size, tree_hash, created_at, deleted_at)
		VALUES (?, ?, ?, ?, ?, '', '', 0, '', ?, ?)`,
		s.Endpoint, s.Region, s.Account, vault, archiveID, now, now)
	if err != nil {
		return fmt.Errorf("catalog: mark deleted: %w", err)
	}
	return nil
}

// Query selects entries. Empty fields match everything.
type Query struct {
	Vault          string
	Ref            string // an archive ID, a file (path or base name) or a description
	TreeHash       string
	Size           int64 // > 0: only archives of this size
	IncludeDeleted bool
}

// Find returns the entries of scope s that match q, newest first.
func (c *Catalog) Find(ctx context.Context, s Scope, q Query) ([]Entry, error) {
	where := []string{"endpoint = ?", "region = ?", "(account = ? OR ? = '-')"}
	args := []any{s.Endpoint, s.Region, s.Account, s.Account}
	if q.Vault != "" {
		where = append(where, "vault = ?")
		args = append(args, q.Vault)
	}
	if q.Ref != "" {
		abs, err := filepath.Abs(q.Ref)
		if err != nil {
			abs = q.Ref
		}
		where = append(where, `(archive_id = ? OR description = ? OR file = ? OR
			(file <> '' AND file LIKE '%/' || ? ESCAPE '\'))`)
		args = append(args, q.Ref, q.Ref, abs, likeEscape(q.Ref))
	}
	if q.TreeHash != "" {
		where = append(where, "tree_hash = ?")
		args = append(args, q.TreeHash)
	}
	if q.Size > 0 {
		where = append(where, "size = ?")
		args = append(args, q.Size)
	}
	if !q.IncludeDeleted {
		where = append(where, "deleted_at IS NULL")
	}
	rows, err := c.db.QueryContext(ctx, `SELECT endpoint, region, account, vault, archive_id, description, file, size,
		tree_hash, created_at, deleted_at FROM archives WHERE `+strings.Join(where, " AND ")+
		` ORDER BY created_at DESC, archive_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("catalog: find: %w", err)
	}
	defer rows.Close()
	list := []Entry{}
	for rows.Next() {
		var e Entry
		var created int64
		var deleted sql.NullInt64
		if err := rows.Scan(&e.Endpoint, &e.Region, &e.AccountId, &e.VaultName, &e.ArchiveId, &e.ArchiveDescription,
			&e.File, &e.Size, &e.SHA256TreeHash, &created, &deleted); err != nil {
			return nil, fmt.Errorf("catalog: find: %w", err)
		}
		e.CreationDate = time.UnixMilli(created).UTC()
		if deleted.Valid {
			t := time.UnixMilli(deleted.Int64).UTC()
			e.DeletionDate = &t
		}
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: find: %w", err)
	}
	return list, nil
}

// likeEscape escapes the LIKE wildcards of s (with backslash as the escape).
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// ErrNotFound is returned by Resolve when no entry matches.
var ErrNotFound = errors.New("not in the catalog")

// AmbiguousError is returned by Resolve when a name matches archives of
// different contents.
type AmbiguousError struct {
	Ref     string
	Matches []Entry
}

func (e *AmbiguousError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q matches %d archives with different contents; give the archive ID:", e.Ref, len(e.Matches))
	for _, m := range e.Matches {
		fmt.Fprintf(&b, "\n  %s  %s  %d bytes  %s", m.CreationDate.Format(time.RFC3339), m.ArchiveId, m.Size, m.ArchiveDescription)
	}
	return b.String()
}

// Resolve returns the archive of vault that ref names: the archive with
// that ID, or the archive uploaded from that file (a path, or a base name) or
// with that description. When several archives match and all hold the same
// bytes (the same tree hash), the newest is returned; when their contents
// differ, the error is an *AmbiguousError. Deleted archives are not
// considered.
func (c *Catalog) Resolve(ctx context.Context, s Scope, vault, ref string) (Entry, error) {
	list, err := c.Find(ctx, s, Query{Vault: vault, Ref: ref})
	if err != nil {
		return Entry{}, err
	}
	if len(list) == 0 {
		return Entry{}, ErrNotFound
	}
	for _, e := range list {
		if e.ArchiveId == ref {
			return e, nil
		}
	}
	for _, e := range list[1:] {
		if e.SHA256TreeHash != list[0].SHA256TreeHash {
			return Entry{}, &AmbiguousError{Ref: ref, Matches: list}
		}
	}
	return list[0], nil
}

// Package journal is the durable record of one `glacier transfer` run: the
// run's parameters, the vault inventory with each archive's S3 key, and
// each archive's progress through the states
//
//	pending → requested → downloading → uploading → verified → deleted
//
// It lives in one SQLite file (WAL, synchronous=FULL), and every change is
// one transaction, so a process killed at any moment leaves a journal that
// a new process reopens and resumes from: it knows which retrieval jobs are
// still valid (job ID and expiry), which ranges were fetched and which S3
// parts were uploaded, with their ETags. Illegal transitions are refused
// with ErrIllegal; the journal never records a part twice.
package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrIllegal is returned (wrapped) for a transition the state machine does
// not allow, or that contradicts what the journal holds.
var ErrIllegal = errors.New("illegal transition")

// ErrNotFound is returned (wrapped) for an archive the journal does not hold.
var ErrNotFound = errors.New("archive not in journal")

const schemaVersion = 2

const schema = `
CREATE TABLE run (
	id            INTEGER PRIMARY KEY CHECK (id = 1),
	vault         TEXT NOT NULL,
	target        TEXT NOT NULL,
	tier          TEXT NOT NULL,
	bytes_per_day INTEGER NOT NULL,
	started_at    INTEGER NOT NULL
);
CREATE TABLE archives (
	archive_id   TEXT PRIMARY KEY,
	size         INTEGER NOT NULL,
	tree_hash    TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	description  TEXT NOT NULL,
	key          TEXT UNIQUE,
	state        TEXT NOT NULL DEFAULT 'pending',
	job_id       TEXT NOT NULL DEFAULT '',
	requested_at INTEGER NOT NULL DEFAULT 0,
	expires_at   INTEGER NOT NULL DEFAULT 0,
	upload_id    TEXT NOT NULL DEFAULT '',
	updated_at   INTEGER NOT NULL
);
CREATE INDEX archives_order ON archives (created_at, archive_id);
CREATE TABLE ranges (
	archive_id TEXT NOT NULL REFERENCES archives,
	idx        INTEGER NOT NULL,
	PRIMARY KEY (archive_id, idx)
);
CREATE TABLE parts (
	archive_id  TEXT NOT NULL REFERENCES archives,
	part_number INTEGER NOT NULL,
	etag        TEXT NOT NULL,
	size        INTEGER NOT NULL,
	PRIMARY KEY (archive_id, part_number)
);
PRAGMA user_version = 1;
`

// migrations[v] brings a journal of schema v+1 up to v+2.
var migrations = []string{
	// 2: each fetched range keeps its tree hash, so that a rerun composes
	// the archive's tree hash without fetching the range again.
	`ALTER TABLE ranges ADD COLUMN tree_hash TEXT NOT NULL DEFAULT ''; PRAGMA user_version = 2;`,
}

// Journal is an open journal file. Its methods are safe for concurrent use;
// writes are serialised.
type Journal struct {
	db  *sql.DB
	now func() time.Time
}

// Open opens the journal at path, creating it if needed. now stamps
// updated_at on every change.
func Open(ctx context.Context, path string, now func() time.Time) (*Journal, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: abs}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	// One connection: writers queue in Go instead of meeting SQLITE_BUSY.
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	j := &Journal{db: db, now: now}
	if err := j.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	return j, nil
}

func (j *Journal) migrate(ctx context.Context) error {
	var mode string
	var sync, v int
	if err := j.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if err := j.db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		return err
	}
	if mode != "wal" || sync != 2 {
		return fmt.Errorf("journal_mode=%s synchronous=%d, want wal and 2 (FULL)", mode, sync)
	}
	if err := j.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	if v > schemaVersion {
		return fmt.Errorf("written by a newer glacier (schema %d, this one knows %d)", v, schemaVersion)
	}
	return j.update(ctx, func(tx *sql.Tx) error {
		if v == 0 {
			if _, err := tx.ExecContext(ctx, schema); err != nil {
				return err
			}
			v = 1
		}
		for _, m := range migrations[v-1:] {
			if _, err := tx.ExecContext(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
}

// Close closes the journal.
func (j *Journal) Close() error { return j.db.Close() }

// update runs fn in one write transaction, committed if fn returns nil.
func (j *Journal) update(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Run is what a transfer was started with.
type Run struct {
	Vault       string
	Target      string // s3://bucket/prefix
	Tier        string
	BytesPerDay int64 // 0: no budget
	StartedAt   time.Time
}

// SetRun records the run. A journal belongs to one vault and one target:
// a different vault or target is refused; the tier and budget may change
// between invocations (StartedAt is kept from the first).
func (j *Journal) SetRun(ctx context.Context, r Run) error {
	return j.update(ctx, func(tx *sql.Tx) error {
		var vault, target string
		err := tx.QueryRowContext(ctx, "SELECT vault, target FROM run").Scan(&vault, &target)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO run (id, vault, target, tier, bytes_per_day, started_at) VALUES (1, ?, ?, ?, ?, ?)`,
				r.Vault, r.Target, r.Tier, r.BytesPerDay, r.StartedAt.UnixMilli())
			return err
		case err != nil:
			return err
		case vault != r.Vault || target != r.Target:
			return fmt.Errorf("%w: the journal is for %s → %s, not %s → %s", ErrIllegal, vault, target, r.Vault, r.Target)
		}
		_, err = tx.ExecContext(ctx, "UPDATE run SET tier = ?, bytes_per_day = ?", r.Tier, r.BytesPerDay)
		return err
	})
}

// Run returns the recorded run; ok is false if none was recorded yet.
func (j *Journal) Run(ctx context.Context) (r Run, ok bool, err error) {
	var started int64
	err = j.db.QueryRowContext(ctx, "SELECT vault, target, tier, bytes_per_day, started_at FROM run").
		Scan(&r.Vault, &r.Target, &r.Tier, &r.BytesPerDay, &started)
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, false, nil
	}
	if err != nil {
		return Run{}, false, err
	}
	r.StartedAt = time.UnixMilli(started).UTC()
	return r, true, nil
}

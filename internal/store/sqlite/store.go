package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/glacierd/glacierd/internal/glacier"
)

// busyTimeout is how long a statement waits for a lock held by another
// connection (another process, or a checkpoint) before failing with
// SQLITE_BUSY, which Store reports as glacier.KindUnavailable.
const busyTimeout = 5 * time.Second

// Store is a glacier.MetaStore backed by one SQLite database file. It is safe
// for concurrent use. Close it when done.
type Store struct {
	w *sql.DB // the single writer connection; every transaction is BEGIN IMMEDIATE
	r *sql.DB // read-only connections for View
}

var _ glacier.MetaStore = (*Store)(nil)

// Open opens, creating it if needed, the SQLite database at path and brings
// its schema up to date. It fails if the database was written by a newer
// version of glacierd. The directory of path must exist.
func Open(ctx context.Context, path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	// A file: URI, so that any character may appear in the path.
	uri := "file:" + (&url.URL{Path: abs}).EscapedPath()
	busy := fmt.Sprint(busyTimeout.Milliseconds())
	w, err := sql.Open("sqlite", dsn(uri,
		"_busy_timeout", busy,
		"_foreign_keys", "1",
		"_journal_mode", "WAL",
		"_synchronous", synchronous,
		"_txlock", "immediate",
	))
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{w: w}
	if err := s.checkWriter(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, err
	}

	r, err := sql.Open("sqlite", dsn(uri,
		"_busy_timeout", busy,
		"_query_only", "1",
	))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s.r = r
	if err := r.PingContext(ctx); err != nil {
		_ = s.Close()
		return nil, dbErr("open", err)
	}
	return s, nil
}

// dsn returns uri with the driver parameters given as key, value pairs.
func dsn(uri string, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return uri + "?" + q.Encode()
}

// checkWriter verifies that the writer connection got the settings the
// store's guarantees rest on.
func (s *Store) checkWriter(ctx context.Context) error {
	var mode string
	if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return dbErr("open", err)
	}
	var sync, fk int
	if err := s.w.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		return dbErr("open", err)
	}
	if err := s.w.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		return dbErr("open", err)
	}
	if mode != "wal" || sync != syncLevel || fk != 1 {
		return fmt.Errorf("sqlite: open: journal_mode=%s synchronous=%d foreign_keys=%d, want wal, %d (%s), 1", mode, sync, fk, syncLevel, synchronous)
	}
	return nil
}

// Close closes the database. Transactions must not be running.
func (s *Store) Close() error {
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	errs = append(errs, s.w.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: close: %w", err)
	}
	return nil
}

// Update runs fn in a write transaction (BEGIN IMMEDIATE on the single writer
// connection) and commits it durably if fn returns nil. It returns fn's error
// unchanged; it never runs fn more than once. It waits for other Updates of
// this Store (bounded by ctx) and, for up to the busy timeout, for writers in
// other processes; failing that it returns an error of KindUnavailable.
func (s *Store) Update(ctx context.Context, fn func(glacier.Tx) error) error {
	stx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return dbErr("begin", err)
	}
	done := false
	defer func() {
		if !done {
			_ = stx.Rollback()
		}
	}()
	if err := fn(newTx(ctx, stx)); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	done = true
	if err := stx.Commit(); err != nil {
		return dbErr("commit", err)
	}
	return nil
}

// View runs fn in a read-only transaction on one consistent snapshot, taken
// at fn's first read. It does not wait for running Updates. It returns fn's
// error unchanged.
func (s *Store) View(ctx context.Context, fn func(glacier.Tx) error) error {
	stx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return dbErr("begin", err)
	}
	defer func() { _ = stx.Rollback() }()
	return fn(newTx(ctx, stx))
}

// dbErr wraps a database error: lock contention and an unreachable or full
// database are KindUnavailable, anything else is internal.
func dbErr(op string, err error) error {
	if err == nil {
		return nil
	}
	err = fmt.Errorf("sqlite: %s: %w", op, err)
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_FULL:
			return glacier.Wrap(glacier.KindUnavailable, err, "metadata store unavailable")
		}
	}
	return err
}

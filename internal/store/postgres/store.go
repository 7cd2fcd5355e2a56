package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/store/sqlmeta"
)

// Retry policy of Update and View.
const (
	// maxConflicts is how many times Update runs a closure whose
	// transaction PostgreSQL aborts with a serialization failure or a
	// deadlock before it gives up with an error of KindUnavailable.
	maxConflicts = 40
	// maxConnRetries is how many times a transaction that lost its
	// connection before COMMIT was sent runs again on a fresh connection.
	// It rides over the dead pooled connections a server restart leaves.
	maxConnRetries = 2
	// backoffBase and backoffCap bound the jittered exponential backoff
	// between attempts: attempt n waits a random time below
	// min(backoffCap, backoffBase*2^n).
	backoffBase = 2 * time.Millisecond
	backoffCap  = 250 * time.Millisecond
	// cleanupTimeout bounds a ROLLBACK sent after the caller's context ended.
	cleanupTimeout = 5 * time.Second
	// defaultConnectTimeout bounds a connection attempt when the URL sets no
	// connect_timeout, so that an unreachable server is reported promptly.
	defaultConnectTimeout = 5 * time.Second
)

// Store is a glacier.MetaStore backed by a PostgreSQL database. It is safe
// for concurrent use, and several Stores, in this process or in others, may
// share one database. Close it when done.
type Store struct {
	pool *pgxpool.Pool
}

var _ glacier.MetaStore = (*Store)(nil)

// Open connects to the database at url, a postgres:// URL (or a key=value
// connection string) as pgx accepts it, and brings its schema up to date. It
// fails if the server cannot be reached (an error of KindUnavailable) or if
// the database was written by a newer version of glacierd. The tables live
// in the first schema of the search_path, which the URL may set
// (search_path=name). Unless the URL sets connect_timeout, a connection
// attempt gives up after 5 seconds; pool_max_conns sizes the connection pool
// (by default the larger of 4 and the number of CPUs).
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = defaultConnectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, dbErr("open", err)
	}
	s := &Store{pool: pool}
	if err := s.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Close closes every connection of the pool, waiting for connections in use
// to be released. Transactions must not be running. It always returns nil.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Ping checks that the database answers, for a health check. An unreachable
// server is an error of KindUnavailable.
func (s *Store) Ping(ctx context.Context) error {
	return dbErr("ping", s.pool.Ping(ctx))
}

// Update runs fn in a SERIALIZABLE read-write transaction and commits it if
// fn returns nil; it returns fn's error unchanged. When PostgreSQL aborts the
// transaction with a serialization failure or a deadlock, or the connection
// is lost before COMMIT is sent, Update rolls back and runs fn again, after a
// short jittered backoff, a bounded number of times; once they are used up it
// returns an error of KindUnavailable. A connection lost while COMMIT is
// outstanding is not retried: Update returns an error of KindUnavailable and
// the transaction may or may not have committed. If ctx ends first, the
// transaction rolls back and Update returns an error.
func (s *Store) Update(ctx context.Context, fn func(glacier.Tx) error) error {
	return s.run(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable, AccessMode: pgx.ReadWrite}, false, fn)
}

// View runs fn in a REPEATABLE READ READ ONLY transaction: fn sees the one
// snapshot taken at its first statement, and never waits for an Update. Every
// write method fails inside View. It returns fn's error unchanged. Like
// Update, it runs fn again when the connection is lost under it.
func (s *Store) View(ctx context.Context, fn func(glacier.Tx) error) error {
	return s.run(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, true, fn)
}

// run runs fn in a transaction of opts until an attempt is final.
func (s *Store) run(ctx context.Context, opts pgx.TxOptions, readOnly bool, fn func(glacier.Tx) error) error {
	conflicts, connRetries := 0, 0
	for attempt := 1; ; attempt++ {
		err, cause := s.attempt(ctx, opts, readOnly, fn)
		switch {
		case cause == nil || ctx.Err() != nil:
			return err
		case isConflict(cause):
			conflicts++
			if conflicts >= maxConflicts {
				return glacier.Wrap(glacier.KindUnavailable, fmt.Errorf("postgres: %d attempts: %w", attempt, cause),
					"the metadata database (PostgreSQL) is too busy; retry the request")
			}
		case isUnavailable(cause):
			connRetries++
			if connRetries > maxConnRetries {
				return err
			}
		default:
			return err
		}
		if err := sleep(ctx, backoff(attempt)); err != nil {
			return fmt.Errorf("postgres: transaction: %w", err)
		}
	}
}

// attempt runs fn once in a transaction of opts and commits it unless
// readOnly. It returns the error for the caller and, when the attempt failed
// because of the database (not because of fn), the database's error, which
// decides whether to try again.
func (s *Store) attempt(ctx context.Context, opts pgx.TxOptions, readOnly bool, fn func(glacier.Tx) error) (err, cause error) {
	ptx, err := s.pool.BeginTx(ctx, opts)
	if err != nil {
		return dbErr("begin", err), err
	}
	defer rollback(ctx, ptx)
	e := &executor{ctx: ctx, tx: ptx}
	// In View, writes are refused before they reach the server, which would
	// abort the transaction.
	ferr := fn(sqlmeta.New(e, dialect(), readOnly))
	if e.err != nil && (isConflict(e.err) || isUnavailable(e.err)) {
		// Whatever fn made of it, the transaction is lost and retryable.
		return dbErr("transaction", e.err), e.err
	}
	if ferr != nil {
		return ferr, nil
	}
	if e.err != nil {
		// fn ignored a failed statement; PostgreSQL has aborted the transaction.
		return dbErr("transaction", e.err), nil
	}
	if readOnly {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("postgres: commit: %w", err), nil
	}
	if err := ptx.Commit(ctx); err != nil {
		if isConflict(err) {
			return dbErr("commit", err), err
		}
		return dbErr("commit", err), nil // the outcome of an unanswered COMMIT is unknown
	}
	return nil, nil
}

// rollback rolls tx back; after Commit it does nothing. The ROLLBACK is sent
// even when ctx has ended, so that the connection can return to the pool.
func rollback(ctx context.Context, tx pgx.Tx) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	_ = tx.Rollback(rctx)
}

// backoff returns a random wait before attempt+1: full jitter below an
// exponentially growing, capped bound.
func backoff(attempt int) time.Duration {
	bound := backoffCap
	if attempt < 20 {
		bound = min(backoffCap, backoffBase<<attempt)
	}
	return rand.N(bound) + time.Microsecond
}

// sleep waits for d or until ctx ends, whichever comes first, and returns
// ctx's error in the second case.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

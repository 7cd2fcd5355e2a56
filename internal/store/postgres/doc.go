// Package postgres implements glacier.MetaStore on PostgreSQL, with
// github.com/jackc/pgx/v5 (a pgxpool connection pool) and plain SQL.
//
// Several glacierd processes may share one database: every guarantee of the
// MetaStore contract comes from the database, none from process-local
// locks. Update runs its closure in a SERIALIZABLE read-write transaction;
// when PostgreSQL aborts it with a serialization failure (SQLSTATE 40001) or
// a deadlock (40P01), the transaction is rolled back and the closure runs
// again, up to a bounded number of attempts with a jittered exponential
// backoff (the contract allows a closure to run more than once). View runs
// in a REPEATABLE READ READ ONLY transaction: one snapshot, taken at its
// first statement, that never waits for writers. That snapshot holds every
// Update committed before it and none after; unlike a SERIALIZABLE READ ONLY
// DEFERRABLE one, which may wait, it can show a state that no serial order of
// the Updates running at that moment passes through (PostgreSQL's read-only
// anomaly), so a decision that must be serializable belongs in an Update.
//
// An unreachable or restarting server (connection refused or reset, SQLSTATE
// class 08, 57P01..57P03, a deadline while connecting) is reported as an
// error of glacier.KindUnavailable; the pool reconnects by itself once the
// server is back. An Update whose COMMIT was sent but not answered returns
// such an error although it may have committed: PostgreSQL cannot tell.
//
// The records are read and written by internal/store/sqlmeta, which
// implements glacier.Tx for both SQL stores; this package provides its
// transactions and their retries, maps PostgreSQL's errors, numbers the
// shared statements' placeholders, runs PostgreSQL's migrations and says how
// PostgreSQL spells what the shared statements leave open.
//
// The schema is created and upgraded by forward-only migrations embedded in
// the binary (migrations/NNNN_name.sql), applied by Open in one transaction
// under a transaction-level advisory lock, so that processes starting
// together migrate exactly once, and recorded in the schema_migrations
// table. A database written by a newer binary is refused. The tables live in
// the first schema of the connection's search_path, which a URL may set
// (…?search_path=glacierd).
//
// Times are stored as BIGINT microseconds since the Unix epoch, UTC, with 0
// for the zero time (the instant 1970-01-01T00:00:00Z reads back as the zero
// time; glacierd never stores it). Keys and ordering columns are
// COLLATE "C", so lists are in bytewise order whatever the database locale.
// Text is PostgreSQL text: it cannot hold NUL bytes, and the database's
// encoding (UTF8) refuses invalid UTF-8; glacierd validates its strings to
// printable ASCII before they reach the store.
package postgres

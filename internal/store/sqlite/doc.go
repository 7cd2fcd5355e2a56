// Package sqlite implements glacier.MetaStore on an SQLite database file,
// using the pure-Go driver modernc.org/sqlite (no cgo).
//
// The database runs in WAL mode with synchronous=FULL, so a commit that
// Update acknowledged survives a crash or power loss. One connection writes:
// every Update starts with BEGIN IMMEDIATE, so writers, in this process or in
// other processes sharing the file, are serialized by SQLite's write lock and
// never need to be retried. Views run on a separate pool of read-only
// (query_only) connections and read a WAL snapshot without waiting for the
// writer.
//
// The records are read and written by internal/store/sqlmeta, which
// implements glacier.Tx for both SQL stores; this package provides its
// connections and transactions, maps SQLite's errors, runs SQLite's
// migrations and says how SQLite spells what the shared statements leave
// open.
//
// The schema is created and upgraded by forward-only migrations embedded in
// the binary (migrations/NNNN_name.sql), applied by Open and recorded in the
// schema_migrations table. A database written by a newer binary is refused.
//
// Times are stored as INTEGER microseconds since the Unix epoch, UTC, with 0
// for the zero time; as a consequence the instant 1970-01-01T00:00:00Z reads
// back as the zero time and times before it do not order correctly against
// unset ones. glacierd never stores such times.
package sqlite

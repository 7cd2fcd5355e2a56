// Package sqlmeta implements glacier.Tx once, in SQL, for the two SQL
// metadata stores: internal/store/sqlite and internal/store/postgres.
//
// The stores keep the same records in tables of the same shape and read and
// write them with the same statements. What differs between them is how a
// transaction is begun, retried and committed (BEGIN IMMEDIATE on a single
// writer against SERIALIZABLE with retries), how a driver error maps to a
// glacier error kind, the migrations, the placeholder syntax (? against $n)
// and a handful of spellings. Hence this shape:
//
//   - A store adapts its driver transaction to an Executor: Exec, QueryRow
//     and Query, with rows read through Scanner, which *sql.Row, *sql.Rows,
//     pgx.Row and pgx.Rows all are. The store maps errors there, and an
//     Executor for a database that numbers its parameters rewrites the ?
//     placeholders the statements here are written with.
//   - A Dialect names the few things the SQL itself must say differently.
//   - Tx implements every glacier.Tx method on those two; a store's Update
//     and View wrap their driver transaction in an Executor and pass New's
//     Tx to the closure.
//
// The alternative, a transaction type per store calling shared codecs and
// query builders, would still keep every glacier.Tx method twice, each pair
// the same statement with the same arguments, free to drift apart; here they
// exist once, and each store keeps only what is truly its own.
//
// The stored form of a record is fixed by the stores' migrations and is the
// same in both. Times are 64-bit integers, microseconds since the Unix epoch
// in UTC, with 0 for the zero time, so the instant 1970-01-01T00:00:00Z reads
// back as the zero time (glacierd never stores it). Archive segments, vault
// tags and notification events are JSON text: TEXT in SQLite, jsonb in
// PostgreSQL, passed to and read from both drivers as Go strings. Upload
// states are small integers, job finalization the driver's boolean (INTEGER 0
// or 1 in SQLite, BOOLEAN in PostgreSQL).
package sqlmeta

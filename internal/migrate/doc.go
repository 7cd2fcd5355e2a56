// Package migrate is `glacierd migrate`: it copies every record and blob of
// one pair of stores (usually a data directory's SQLite database and archive
// files) into another (usually PostgreSQL and S3), verifying each archive's
// and part's tree hash against the bytes it copies, and reports what it
// copied. It opens stores through internal/storeset and writes blobs by the
// same garbage protocol as the server (internal/blobref); it knows nothing
// of HTTP or of the service's semantics.
package migrate

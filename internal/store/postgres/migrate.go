package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/glacierd/glacierd/internal/store/sqlmeta"
)

// migrations holds the schema migrations, migrations/NNNN_name.sql, applied
// in version order. They are forward-only: a released file is never edited;
// a change is a new file.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrateLockClass is the first key of the advisory lock that serializes
// migrations ("glac"); the second is a hash of the schema migrated.
const migrateLockClass = 0x676c6163

// migrate applies the embedded migrations that the database has not
// recorded in schema_migrations, all in one transaction that first takes a
// transaction-level advisory lock for the current schema: processes opening
// the database at once wait for each other, and the later ones find the
// work done. It refuses a database that records a version this binary does
// not know.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := sqlmeta.Migrations(migrations, "postgres")
	if err != nil {
		return err
	}
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return dbErr("migrate", err)
	}
	defer rollback(ctx, tx)
	// Read committed: each statement after the lock sees what a process that
	// held the lock before committed.
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '')))",
		int32(migrateLockClass)); err != nil {
		return dbErr("migrate: lock", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER NOT NULL PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
	)`); err != nil {
		return dbErr("migrate", err)
	}
	rows, err := tx.Query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return dbErr("migrate", err)
	}
	applied, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return dbErr("migrate", err)
	}
	if latest, known := slices.Max(append(applied, 0)), ms[len(ms)-1].Version; int(latest) > known {
		return fmt.Errorf("postgres: database schema version %d is newer than this binary's %d", latest, known)
	}
	for _, m := range ms {
		if slices.Contains(applied, int32(m.Version)) {
			continue
		}
		body, err := fs.ReadFile(migrations, m.Name)
		if err != nil {
			return err
		}
		// Without arguments, Exec uses the simple protocol, which runs a
		// script of several statements.
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return dbErr("migrate "+path.Base(m.Name), err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
			m.Version, path.Base(m.Name)); err != nil {
			return dbErr("migrate", err)
		}
	}
	return dbErr("migrate: commit", tx.Commit(ctx))
}

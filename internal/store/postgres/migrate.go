package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
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

// migration is one embedded schema migration.
type migration struct {
	version int
	name    string // path in migrations
}

// listMigrations returns the embedded migrations in version order.
func listMigrations() ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := path.Base(name)
		prefix, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(prefix)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("postgres: migration %s: name must start with a positive version number", base)
		}
		ms = append(ms, migration{version: v, name: name})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(ms); i++ {
		if ms[i-1].version == ms[i].version {
			return nil, fmt.Errorf("postgres: migrations %s and %s share a version", ms[i-1].name, ms[i].name)
		}
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("postgres: no migrations embedded")
	}
	return ms, nil
}

// migrate applies the embedded migrations that the database has not
// recorded in schema_migrations, all in one transaction that first takes a
// transaction-level advisory lock for the current schema: processes opening
// the database at once wait for each other, and the later ones find the
// work done. It refuses a database that records a version this binary does
// not know.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := listMigrations()
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
	if latest, known := slices.Max(append(applied, 0)), ms[len(ms)-1].version; int(latest) > known {
		return fmt.Errorf("postgres: database schema version %d is newer than this binary's %d", latest, known)
	}
	for _, m := range ms {
		if slices.Contains(applied, int32(m.version)) {
			continue
		}
		body, err := fs.ReadFile(migrations, m.name)
		if err != nil {
			return err
		}
		// Without arguments, Exec uses the simple protocol, which runs a
		// script of several statements.
		if _, err := tx.Exec(ctx, string(body)); err != nil {
			return dbErr("migrate "+path.Base(m.name), err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
			m.version, path.Base(m.name)); err != nil {
			return dbErr("migrate", err)
		}
	}
	return dbErr("migrate: commit", tx.Commit(ctx))
}

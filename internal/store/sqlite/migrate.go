package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"

	"github.com/glacierd/glacierd/internal/store/sqlmeta"
)

// migrations holds the schema migrations, migrations/NNNN_name.sql, applied
// in version order. They are forward-only: a released file is never edited;
// a change is a new file.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrate applies, each in its own write transaction, the embedded migrations
// that the database has not recorded in schema_migrations. It refuses a
// database that records a version this binary does not know.
func migrate(ctx context.Context, db *sql.DB) error {
	ms, err := sqlmeta.Migrations(migrations, "sqlite")
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER NOT NULL PRIMARY KEY,
		name    TEXT    NOT NULL
	) STRICT`); err != nil {
		return dbErr("migrate", err)
	}
	var latest int
	if err := db.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&latest); err != nil {
		return dbErr("migrate", err)
	}
	if known := ms[len(ms)-1].Version; latest > known {
		return fmt.Errorf("sqlite: database schema version %d is newer than this binary's %d", latest, known)
	}
	for _, m := range ms {
		if err := applyMigration(ctx, db, m); err != nil {
			return err
		}
	}
	return nil
}

// applyMigration applies m unless the database records it already.
func applyMigration(ctx context.Context, db *sql.DB, m sqlmeta.Migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return dbErr("migrate", err)
	}
	defer func() { _ = tx.Rollback() }()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", m.Version).Scan(&n); err != nil {
		return dbErr("migrate", err)
	}
	if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(migrations, m.Name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return dbErr("migrate "+path.Base(m.Name), err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
		m.Version, path.Base(m.Name)); err != nil {
		return dbErr("migrate", err)
	}
	return dbErr("migrate", tx.Commit())
}

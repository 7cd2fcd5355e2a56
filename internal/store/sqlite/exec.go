package sqlite

import (
	"context"
	"database/sql"

	"github.com/glacierd/glacierd/internal/store/sqlmeta"
)

// dialect is how SQLite spells what sqlmeta's statements leave open.
func dialect() sqlmeta.Dialect {
	return sqlmeta.Dialect{
		Name:        "sqlite",
		NoLimit:     -1,
		Greatest:    "max",
		Unfinalized: "finalized = 0",
	}
}

// newTx returns the glacier.Tx of one database/sql transaction.
func newTx(ctx context.Context, stx *sql.Tx) *sqlmeta.Tx {
	// Writes inside View reach SQLite, whose query_only connections refuse them.
	return sqlmeta.New(executor{ctx: ctx, tx: stx}, dialect(), false)
}

// executor runs sqlmeta's statements on one database/sql transaction and
// maps their errors with dbErr. SQLite takes the ? placeholders as they are.
type executor struct {
	ctx context.Context
	tx  *sql.Tx
}

// Exec runs a statement that returns no rows.
func (e executor) Exec(op, query string, args ...any) (int64, error) {
	res, err := e.tx.ExecContext(e.ctx, query, args...)
	if err != nil {
		return 0, dbErr(op, err)
	}
	n, err := res.RowsAffected()
	return n, dbErr(op, err)
}

// QueryRow runs a query of one row and scans it with scan; no row is false.
func (e executor) QueryRow(op string, scan func(sqlmeta.Scanner) error, query string, args ...any) (bool, error) {
	err := scan(e.tx.QueryRowContext(e.ctx, query, args...))
	if err == sql.ErrNoRows {
		return false, nil
	}
	return true, dbErr(op, err)
}

// Query runs a query and calls scan for each row.
func (e executor) Query(op string, scan func(sqlmeta.Scanner) error, query string, args ...any) error {
	rows, err := e.tx.QueryContext(e.ctx, query, args...)
	if err != nil {
		return dbErr(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return dbErr(op, err)
		}
	}
	return dbErr(op, rows.Err())
}

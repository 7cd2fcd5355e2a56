package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/glacierd/glacierd/internal/store/sqlmeta"
)

// dialect is how PostgreSQL spells what sqlmeta's statements leave open.
func dialect() sqlmeta.Dialect {
	return sqlmeta.Dialect{
		Name:         "postgres",
		NoLimit:      nil, // LIMIT NULL
		Greatest:     "greatest",
		Unfinalized:  "NOT finalized",
		DeleteInWith: true,
	}
}

// executor runs sqlmeta's statements on one pgx transaction, with their ?
// placeholders numbered, and keeps the first statement error: PostgreSQL
// aborts the transaction on it.
type executor struct {
	ctx context.Context
	tx  pgx.Tx
	err error // the first statement error
}

// fail records err, the error of a statement, as the transaction's first
// error if it is one, and returns it wrapped for the caller.
func (e *executor) fail(op string, err error) error {
	if err == nil {
		return nil
	}
	if e.err == nil {
		e.err = err
	}
	return dbErr(op, err)
}

// Exec runs a statement that returns no rows.
func (e *executor) Exec(op, query string, args ...any) (int64, error) {
	tag, err := e.tx.Exec(e.ctx, numbered(query), args...)
	return tag.RowsAffected(), e.fail(op, err)
}

// QueryRow runs a query of one row and scans it with scan; no row is false.
func (e *executor) QueryRow(op string, scan func(sqlmeta.Scanner) error, query string, args ...any) (bool, error) {
	err := scan(e.tx.QueryRow(e.ctx, numbered(query), args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return true, e.fail(op, err)
}

// Query runs a query and calls scan for each row.
func (e *executor) Query(op string, scan func(sqlmeta.Scanner) error, query string, args ...any) error {
	rows, err := e.tx.Query(e.ctx, numbered(query), args...)
	if err != nil {
		return e.fail(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return e.fail(op, err)
		}
	}
	return e.fail(op, rows.Err())
}

// numbered rewrites the ? placeholders of query as PostgreSQL's $1, $2, …
// in order. A ? inside a string literal is left alone; sqlmeta's statements
// use no other construct in which ? could stand.
func numbered(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n, quoted := 0, false
	for i := range len(query) {
		switch c := query[i]; {
		case c == '\'':
			quoted = !quoted
			b.WriteByte(c)
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

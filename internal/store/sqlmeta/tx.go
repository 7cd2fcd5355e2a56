package sqlmeta

import (
	"fmt"

	"github.com/glacierd/glacierd/internal/glacier"
)

// Scanner reads the columns of one result row: *sql.Row, *sql.Rows,
// pgx.Row and pgx.Rows are Scanners.
type Scanner interface {
	Scan(dest ...any) error
}

// Executor runs the statements of one transaction of a store. Statements
// are written with ? placeholders; an Executor for a database that numbers
// its parameters rewrites them. op names the operation for error messages.
// Every error an Executor returns is already mapped by its store (message
// prefix, glacier error kind).
type Executor interface {
	// Exec runs a statement that returns no rows and returns how many rows
	// it changed.
	Exec(op, query string, args ...any) (int64, error)
	// QueryRow runs a query of one row and scans it with scan. It returns
	// false and a nil error when the query returns no row.
	QueryRow(op string, scan func(Scanner) error, query string, args ...any) (bool, error)
	// Query runs a query and calls scan for each row; it stops at, and
	// returns, scan's first error.
	Query(op string, scan func(Scanner) error, query string, args ...any) error
}

// Tx implements glacier.Tx on an Executor. Like every glacier.Tx, it is only
// valid inside the closure it was passed to.
type Tx struct {
	x            Executor
	d            Dialect
	refuseWrites bool
}

var _ glacier.Tx = (*Tx)(nil)

// New returns a Tx that runs its statements with x and spells them in d.
// With refuseWrites, every write method fails before anything is sent to the
// database: a store whose database aborts a transaction at its first failed
// statement (PostgreSQL) sets it in View, so that a refused write leaves the
// transaction usable. A store whose read-only transactions refuse writes
// themselves (SQLite's query_only connections) leaves it false.
func New(x Executor, d Dialect, refuseWrites bool) *Tx {
	return &Tx{x: x, d: d, refuseWrites: refuseWrites}
}

// writable fails when the Tx refuses writes.
func (t *Tx) writable(op string) error {
	if t.refuseWrites {
		return fmt.Errorf("%s: %s: a write inside a read-only transaction (View)", t.d.Name, op)
	}
	return nil
}

// exec runs a write statement that returns no rows and returns how many rows
// it changed.
func (t *Tx) exec(op, query string, args ...any) (int64, error) {
	if err := t.writable(op); err != nil {
		return 0, err
	}
	return t.x.Exec(op, query, args...)
}

// queryRow runs a query of one row and scans it with scan; no row is an error
// of KindNotFound with message notFound.
func (t *Tx) queryRow(op, notFound string, scan func(Scanner) error, query string, args ...any) error {
	found, err := t.x.QueryRow(op, scan, query, args...)
	if err == nil && !found {
		return glacier.Errorf(glacier.KindNotFound, "%s", notFound)
	}
	return err
}

// get runs a query of one row and returns it scanned by scan; no row is an
// error of KindNotFound with message notFound.
func get[T any](t *Tx, op, notFound string, scan func(*T) func(Scanner) error, query string, args ...any) (T, error) {
	var v T
	err := t.queryRow(op, notFound, scan(&v), query, args...)
	return v, err
}

// collect runs a query and returns its rows, each scanned by scan into a
// fresh T.
func collect[T any](t *Tx, op string, scan func(*T) func(Scanner) error, query string, args ...any) ([]T, error) {
	var out []T
	err := t.x.Query(op, func(s Scanner) error {
		var v T
		if err := scan(&v)(s); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	}, query, args...)
	return out, err
}

// scanString scans a row of one text column into s.
func scanString(s *string) func(Scanner) error {
	return func(sc Scanner) error { return sc.Scan(s) }
}

// limit converts a "<= 0 means no limit" count to a LIMIT argument.
func (t *Tx) limit(n int) any {
	if n <= 0 {
		return t.d.NoLimit
	}
	return int64(n)
}

package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/glacierd/glacierd/internal/glacier"
)

// tx implements glacier.Tx on one pgx transaction.
type tx struct {
	ctx      context.Context
	tx       pgx.Tx
	readOnly bool
	err      error // the first statement error; PostgreSQL aborts the transaction on it
}

var _ glacier.Tx = (*tx)(nil)

// scanner is pgx.Row or pgx.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// fail records err, the error of a statement, as the transaction's first
// error if it is one, and returns it wrapped for the caller.
func (t *tx) fail(op string, err error) error {
	if err == nil {
		return nil
	}
	if t.err == nil {
		t.err = err
	}
	return dbErr(op, err)
}

// writable fails inside View, before anything is sent to the server.
func (t *tx) writable(op string) error {
	if t.readOnly {
		return fmt.Errorf("postgres: %s: a write inside a read-only transaction (View)", op)
	}
	return nil
}

// exec runs a write statement that returns no rows.
func (t *tx) exec(op, query string, args ...any) (pgconn.CommandTag, error) {
	if err := t.writable(op); err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := t.tx.Exec(t.ctx, query, args...)
	return tag, t.fail(op, err)
}

// queryRow runs a query of one row and scans it with scan; no row is an error
// of KindNotFound with message notFound.
func (t *tx) queryRow(op, notFound string, scan func(scanner) error, query string, args ...any) error {
	err := scan(t.tx.QueryRow(t.ctx, query, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return glacier.Errorf(glacier.KindNotFound, "%s", notFound)
	}
	return t.fail(op, err)
}

// queryRows runs a query and calls scan for each row.
func (t *tx) queryRows(op string, scan func(scanner) error, query string, args ...any) error {
	rows, err := t.tx.Query(t.ctx, query, args...)
	if err != nil {
		return t.fail(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return t.fail(op, err)
		}
	}
	return t.fail(op, rows.Err())
}

// collect runs a query and returns its rows, each scanned by scan into a
// fresh T.
func collect[T any](t *tx, op string, scan func(*T) func(scanner) error, query string, args ...any) ([]T, error) {
	var out []T
	err := t.queryRows(op, func(s scanner) error {
		var v T
		if err := scan(&v)(s); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	}, query, args...)
	return out, err
}

// enc encodes a time as microseconds since the epoch; the zero time is 0.
func enc(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// dec decodes a time encoded by enc, in UTC.
func dec(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// timeDest is a scan destination for a BIGINT time encoded by enc.
type timeDest struct{ t *time.Time }

// ScanInt64 implements pgtype.Int64Scanner.
func (d timeDest) ScanInt64(v pgtype.Int8) error {
	if !v.Valid {
		return errors.New("time column is NULL")
	}
	*d.t = dec(v.Int64)
	return nil
}

// limit converts a "<= 0 means no limit" count to a LIMIT parameter: NULL
// (nil) is no limit.
func limit(n int) any {
	if n <= 0 {
		return nil
	}
	return int64(n)
}

// upsert returns an INSERT of cols into table that replaces, column by
// column, the row with the same key columns. Unlike a DELETE and INSERT it
// keeps the row, so foreign keys do not cascade.
func upsert(table, key, cols string) string {
	names := strings.Split(cols, ",")
	keys := map[string]bool{}
	for k := range strings.SplitSeq(key, ",") {
		keys[strings.TrimSpace(k)] = true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES (", table, cols)
	for i := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", i+1)
	}
	fmt.Fprintf(&b, ") ON CONFLICT (%s) DO UPDATE SET ", key)
	sep := ""
	for _, n := range names {
		n = strings.TrimSpace(n)
		if !keys[n] {
			fmt.Fprintf(&b, "%s%s = EXCLUDED.%s", sep, n, n)
			sep = ", "
		}
	}
	return b.String()
}

// segmentJSON is the stored form of a glacier.Segment.
type segmentJSON struct {
	Key  string `json:"key"`
	Size int64  `json:"size"`
}

// encSegments returns the jsonb value of segs, an array (never null).
func encSegments(segs []glacier.Segment) ([]byte, error) {
	js := make([]segmentJSON, len(segs))
	for i, s := range segs {
		js[i] = segmentJSON(s)
	}
	return json.Marshal(js)
}

func decSegments(b []byte) ([]glacier.Segment, error) {
	var js []segmentJSON
	if err := json.Unmarshal(b, &js); err != nil {
		return nil, fmt.Errorf("segments: %w", err)
	}
	if len(js) == 0 {
		return nil, nil
	}
	segs := make([]glacier.Segment, len(js))
	for i, j := range js {
		segs[i] = glacier.Segment(j)
	}
	return segs, nil
}

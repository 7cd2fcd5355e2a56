package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

// tx implements glacier.Tx on one database/sql transaction.
type tx struct {
	ctx context.Context
	tx  *sql.Tx
}

var _ glacier.Tx = (*tx)(nil)

// exec runs a statement that returns no rows.
func (t *tx) exec(op, query string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(t.ctx, query, args...)
	return res, dbErr(op, err)
}

// queryRow runs a query of one row and scans it with scan; no row is an error
// of KindNotFound with message notFound.
func (t *tx) queryRow(op, notFound string, scan func(scanner) error, query string, args ...any) error {
	err := scan(t.tx.QueryRowContext(t.ctx, query, args...))
	if err == sql.ErrNoRows {
		return glacier.Errorf(glacier.KindNotFound, "%s", notFound)
	}
	return dbErr(op, err)
}

// queryRows runs a query and calls scan for each row.
func (t *tx) queryRows(op string, scan func(scanner) error, query string, args ...any) error {
	rows, err := t.tx.QueryContext(t.ctx, query, args...)
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

// scanner is *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
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

// timeDest is a scan destination for a time encoded by enc.
type timeDest struct{ t *time.Time }

// Scan implements sql.Scanner.
func (d timeDest) Scan(src any) error {
	us, ok := src.(int64)
	if !ok {
		return fmt.Errorf("time column holds %T, want INTEGER", src)
	}
	*d.t = dec(us)
	return nil
}

// limit converts a "<= 0 means no limit" count to an SQLite LIMIT value.
func limit(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

// upsert returns an INSERT of cols into table that replaces, column by
// column, the row with the same key columns. Unlike INSERT OR REPLACE it does
// not delete the old row, so foreign keys do not cascade.
func upsert(table, key, cols string) string {
	names := strings.Split(cols, ",")
	keys := map[string]bool{}
	for k := range strings.SplitSeq(key, ",") {
		keys[strings.TrimSpace(k)] = true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES (?%s) ON CONFLICT (%s) DO UPDATE SET ",
		table, cols, strings.Repeat(", ?", len(names)-1), key)
	sep := ""
	for _, n := range names {
		n = strings.TrimSpace(n)
		if !keys[n] {
			fmt.Fprintf(&b, "%s%s = excluded.%s", sep, n, n)
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

func encSegments(segs []glacier.Segment) (string, error) {
	js := make([]segmentJSON, len(segs))
	for i, s := range segs {
		js[i] = segmentJSON(s)
	}
	b, err := json.Marshal(js)
	return string(b), err
}

func decSegments(s string) ([]glacier.Segment, error) {
	var js []segmentJSON
	if err := json.Unmarshal([]byte(s), &js); err != nil {
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

package sqlmeta

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

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

// timeDest is a scan destination for a time encoded by enc. It is an
// sql.Scanner, which database/sql and pgx both call with an int64 for an
// integer column.
type timeDest struct{ t *time.Time }

// Scan implements sql.Scanner.
func (d timeDest) Scan(src any) error {
	us, ok := src.(int64)
	if !ok {
		return fmt.Errorf("time column holds %T, want a 64-bit integer", src)
	}
	*d.t = dec(us)
	return nil
}

// upsert returns an INSERT of cols into table that replaces, column by
// column, the row with the same key columns. Unlike a DELETE and INSERT (or
// SQLite's INSERT OR REPLACE) it keeps the row, so foreign keys do not
// cascade.
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

// encSegments returns the JSON text of segs, an array (never null).
func encSegments(segs []glacier.Segment) (string, error) {
	js := make([]segmentJSON, len(segs))
	for i, s := range segs {
		js[i] = segmentJSON(s)
	}
	b, err := json.Marshal(js)
	return string(b), err
}

// decSegments decodes the JSON text of segments; no segments is nil.
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

// selectJSON is the stored form of a select job's fields (column
// select_job). Other jobs store "".
type selectJSON struct {
	Params     *glacier.SelectParameters `json:"params,omitempty"`
	Location   *glacier.S3Location       `json:"location,omitempty"`
	OutputPath string                    `json:"outputPath,omitempty"`
	ResultKeys []string                  `json:"resultKeys,omitempty"`
	ErrorKeys  []string                  `json:"errorKeys,omitempty"`
}

// encSelect returns the JSON text of j's select fields, "" when it has none.
func encSelect(j glacier.Job) (string, error) {
	s := selectJSON{j.Select, j.OutputLocation, j.OutputPath, j.ResultKeys, j.ErrorKeys}
	if s.Params == nil && s.Location == nil && s.OutputPath == "" && len(s.ResultKeys) == 0 && len(s.ErrorKeys) == 0 {
		return "", nil
	}
	b, err := json.Marshal(s)
	return string(b), err
}

// decSelect decodes the text encSelect made into j.
func decSelect(text string, j *glacier.Job) error {
	if text == "" {
		return nil
	}
	var s selectJSON
	if err := json.Unmarshal([]byte(text), &s); err != nil {
		return fmt.Errorf("select job: %w", err)
	}
	j.Select, j.OutputLocation, j.OutputPath, j.ResultKeys, j.ErrorKeys = s.Params, s.Location, s.OutputPath, s.ResultKeys, s.ErrorKeys
	return nil
}

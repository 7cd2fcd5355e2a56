package glacierselect

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary text to the parser and checker: it must answer
// a query or an *InvalidError, never panic; an accepted query must run.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"SELECT * FROM ARCHIVE",
		"SELECT s._1, s.\"x\" AS y FROM OBJECT s WHERE s._2 LIKE 'a%' ESCAPE '!' AND NOT _3 IS NULL",
		"SELECT CAST(_1 AS INT) * -2 / 3 % 4 FROM ARCHIVE WHERE _1 BETWEEN 1 AND 9 OR _2 IN ('a', 'b')",
		"SELECT CASE _1 WHEN 'a' THEN 1 ELSE 2 END, COALESCE(_1, NULLIF(_2, '')) FROM ARCHIVE",
		"SELECT SUBSTRING(_1 FROM 2 FOR 3), TRIM(LEADING 'x' FROM _1), EXTRACT(YEAR FROM `2010T`) FROM ARCHIVE",
		"SELECT DATE_ADD(day, 1, UTCNOW()), DATE_DIFF(hour, `2010T`, TO_TIMESTAMP(_1)), TO_STRING(UTCNOW(), 'y') FROM ARCHIVE",
		"SELECT COUNT(*) FROM ARCHIVE LIMIT 1",
		"select _1 || 'x' from archive where _1 <> 'y' -- end",
	} {
		f.Add(s)
	}
	ps := NewParser()
	f.Fuzz(func(t *testing.T, sql string) {
		if len(sql) > 4096 {
			return
		}
		q, err := ps.Compile(Params{ExpressionType: "SQL", Expression: sql})
		if err != nil {
			var ie *InvalidError
			if !errors.As(err, &ie) {
				t.Fatalf("%q: error %v is not an *InvalidError", sql, err)
			}
			return
		}
		_, err = q.Run(context.Background(), strings.NewReader("1,a,2010T\n,\"b,c\",x\n"), io.Discard, testNow())
		var re *RecordError
		if err != nil && !errors.As(err, &re) {
			t.Fatalf("%q: run error %v is not a *RecordError", sql, err)
		}
	})
}

// FuzzCSVReader reads arbitrary bytes in a few dialects: no panic, and what
// the writer writes the reader reads back.
func FuzzCSVReader(f *testing.F) {
	f.Add([]byte("a,b\n\"c,\"\"d\"\n"), uint8(0))
	f.Add([]byte("#x\n'a|b'|c;\\'"), uint8(1))
	f.Add([]byte("a::b\r\n\"open"), uint8(2))
	dialects := []CSVInput{
		{},
		{FieldDelimiter: "|", RecordDelimiter: ";", QuoteCharacter: "'", QuoteEscapeCharacter: `\`, Comments: "#"},
		{FieldDelimiter: "::", RecordDelimiter: "\r\n"},
	}
	f.Fuzz(func(t *testing.T, data []byte, d uint8) {
		in := Params{Input: dialects[int(d)%len(dialects)]}.Normalized().Input
		r := newCSVReader(bytes.NewReader(data), in)
		var recs [][]string
		for {
			rec, err := r.next()
			if err != nil {
				break
			}
			var fs []string
			for _, f := range rec {
				fs = append(fs, string(f))
			}
			recs = append(recs, fs)
		}
		var b bytes.Buffer
		w := newCSVWriter(&b, CSVOutput{QuoteFields: QuoteAlways, FieldDelimiter: in.FieldDelimiter,
			RecordDelimiter: in.RecordDelimiter, QuoteCharacter: in.QuoteCharacter, QuoteEscapeCharacter: in.QuoteEscapeCharacter})
		for _, rec := range recs {
			for _, f := range rec {
				w.writeField(f)
			}
			w.endRecord()
		}
		if err := w.flush(); err != nil {
			t.Fatal(err)
		}
		in.Comments = ""
		r2 := newCSVReader(bytes.NewReader(b.Bytes()), in)
		for i, want := range recs {
			rec, err := r2.next()
			if err != nil {
				t.Fatalf("record %d: %v", i, err)
			}
			if len(rec) != len(want) {
				t.Fatalf("record %d: %d fields, want %d", i, len(rec), len(want))
			}
			for j := range rec {
				if string(rec[j]) != want[j] {
					t.Fatalf("record %d field %d: %q, want %q", i, j, rec[j], want[j])
				}
			}
		}
	})
}

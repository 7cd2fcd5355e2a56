package glacierselect

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/alecthomas/participle/v2"
)

// Parser parses Glacier Select SQL. Building one costs some reflection, so a
// caller that compiles many expressions (a fuzz target, a busy service) keeps
// one; it is safe for concurrent use.
type Parser struct {
	p *participle.Parser[statement]
}

// NewParser builds a Parser.
func NewParser() *Parser { return &Parser{p: newSQLParser()} }

// Query is a compiled, checked select job: run it over any number of
// archives, concurrently if need be.
type Query struct {
	params Params // normalized
	prog   *program
}

// program is the compiled SQL.
type program struct {
	star     bool
	proj     []expr
	where    expr // nil: every record
	names    []nameRef
	ordinals bool
}

// Compile validates p, parses and checks its expression, and returns the
// query to run. Every refusal is an *InvalidError.
func Compile(p Params) (*Query, error) { return NewParser().Compile(p) }

// Compile is the package-level Compile with this parser.
func (ps *Parser) Compile(p Params) (*Query, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	n := p.Normalized()
	prog, err := ps.check(n.Expression)
	if err != nil {
		return nil, err
	}
	if len(prog.names) > 0 && n.Input.FileHeaderInfo != HeaderUse {
		return nil, sqlErr("the column name %s can be used only with InputSerialization.csv.FileHeaderInfo USE; use its position (_1, _2, …) instead",
			prog.names[0].name)
	}
	if len(prog.names) > 0 && prog.ordinals {
		return nil, sqlErr("column positions (_1, _2, …) and header names cannot be mixed in one query")
	}
	return &Query{params: n, prog: prog}, nil
}

// Check parses and checks sql alone: what Compile refuses in the
// expression, whatever the serialization.
func (ps *Parser) Check(sql string) error {
	_, err := ps.check(sql)
	return err
}

func (ps *Parser) check(sql string) (*program, error) {
	st, err := parseSQL(ps.p, sql)
	if err != nil {
		return nil, err
	}
	return compileStatement(st)
}

// Params returns the query's parameters with the defaults filled in.
func (q *Query) Params() Params { return q.params }

// Stats counts one run's work.
type Stats struct {
	BytesScanned    int64 // input bytes read
	BytesReturned   int64 // output bytes written
	RecordsScanned  int64 // data records read (header and comments not counted)
	RecordsReturned int64 // records written
}

// Splitter is an optional interface of Run's out, for output stored as
// several objects (results/ of a select job). Once a record has ended and at
// least SplitSize bytes were written since the last split, Run flushes and
// calls Split: a record never straddles two objects. What follows the last
// Split (possibly nothing) is the last object; the caller closes it.
type Splitter interface {
	SplitSize() int64
	Split() error
}

// Run evaluates the query over the CSV read from in and writes the selected
// records to out, holding one record at a time. now is UTCNOW's answer. A
// record that cannot be read or evaluated stops the run with a
// *RecordError; out then holds the records before it. If out is a Splitter,
// it is split between records.
func (q *Query) Run(ctx context.Context, in io.Reader, out io.Writer, now time.Time) (Stats, error) {
	rd := newCSVReader(in, q.params.Input)
	wr := newCSVWriter(out, q.params.Output)
	if sp, ok := out.(Splitter); ok && sp.SplitSize() > 0 {
		wr.splitter = sp
	}
	var st Stats
	err := q.run(ctx, rd, wr, now, &st)
	if ferr := wr.flush(); err == nil {
		err = ferr
	}
	st.BytesScanned, st.BytesReturned = rd.bytes, wr.n
	return st, err
}

func (q *Query) run(ctx context.Context, rd *csvReader, wr *csvWriter, now time.Time, st *Stats) error {
	r := &row{now: now.UTC()}
	if h := q.params.Input.FileHeaderInfo; h != HeaderNone {
		header, err := rd.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if h == HeaderUse {
			if r.bind, err = q.bind(header); err != nil {
				return &RecordError{Record: rd.n, Message: err.Error()}
			}
		}
	}
	vals := make([]string, len(q.prog.proj))
	for {
		rec, err := rd.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		st.RecordsScanned++
		if st.RecordsScanned%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if wr.err != nil {
				return wr.err
			}
		}
		r.fields = rec
		ok, err := q.emit(r, wr, vals)
		if err != nil {
			return &RecordError{Record: rd.n, Message: err.Error()}
		}
		if ok {
			st.RecordsReturned++
			if err := wr.maybeSplit(); err != nil {
				return err
			}
		}
	}
}

// emit writes r if it passes WHERE; ok reports whether it did.
func (q *Query) emit(r *row, wr *csvWriter, vals []string) (bool, error) {
	if q.prog.where != nil {
		v, err := q.prog.where.eval(r)
		if err != nil || v.truth() != 1 {
			return false, err
		}
	}
	if q.prog.star {
		for _, f := range r.fields {
			wr.writeBytes(f)
		}
		wr.endRecord()
		return true, nil
	}
	size := 0
	for i, e := range q.prog.proj {
		v, err := e.eval(r)
		if err != nil {
			return false, err
		}
		vals[i] = v.format()
		size += len(vals[i])
	}
	if size > maxRecordBytes {
		return false, errors.New("the output record is longer than 1 MB")
	}
	for _, s := range vals {
		wr.writeField(s)
	}
	wr.endRecord()
	return true, nil
}

// bind maps the query's header names to their columns in header.
func (q *Query) bind(header [][]byte) ([]int, error) {
	bind := make([]int, len(q.prog.names))
	for i, ref := range q.prog.names {
		bind[i] = -1
		for j, h := range header {
			if ref.quoted && string(h) == ref.name || !ref.quoted && strings.EqualFold(string(h), ref.name) {
				bind[i] = j
				break
			}
		}
		if bind[i] < 0 {
			return nil, errors.New("the header has no column named " + ref.name)
		}
	}
	return bind, nil
}

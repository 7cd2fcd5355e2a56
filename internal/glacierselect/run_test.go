package glacierselect

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

func TestFileHeaderInfoModes(t *testing.T) {
	input := "name,n\nx,1\ny,2\n"
	cases := []struct {
		mode FileHeaderInfo
		sql  string
		want string
	}{
		{HeaderUse, "SELECT * FROM ARCHIVE", "x,1\ny,2\n"},
		{HeaderUse, "SELECT n, name FROM ARCHIVE WHERE name = 'y'", "2,y\n"},
		{HeaderUse, "SELECT \"n\" FROM ARCHIVE", "1\n2\n"},
		{HeaderUse, "SELECT NAME FROM ARCHIVE", "x\ny\n"},
		{HeaderUse, "SELECT _2 FROM ARCHIVE", "1\n2\n"},
		{HeaderIgnore, "SELECT * FROM ARCHIVE", "x,1\ny,2\n"},
		{HeaderIgnore, "SELECT _1 FROM ARCHIVE WHERE _2 = 2", "y\n"},
		{HeaderNone, "SELECT * FROM ARCHIVE", "name,n\nx,1\ny,2\n"},
		{HeaderNone, "SELECT _2 FROM ARCHIVE", "n\n1\n2\n"},
		{"", "SELECT _1 FROM ARCHIVE WHERE _1 = 'name'", "name\n"},
	}
	for _, c := range cases {
		got, err := runSQL(t, c.sql, CSVInput{FileHeaderInfo: c.mode}, CSVOutput{}, input)
		if err != nil {
			t.Errorf("%s %s: %v", c.mode, c.sql, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s %s: got %q, want %q", c.mode, c.sql, got, c.want)
		}
	}
}

func TestKeywordHeaderNamesQuoted(t *testing.T) {
	in := CSVInput{FileHeaderInfo: HeaderUse}
	got, err := runSQL(t, `SELECT "end", "Select" FROM ARCHIVE a WHERE a."from" = 'x'`, in, CSVOutput{}, "end,Select,from\n1,2,x\n3,4,y\n")
	if err != nil || got != "1,2\n" {
		t.Fatalf("got %q, %v", got, err)
	}
	_, err = runSQL(t, "SELECT end FROM ARCHIVE", in, CSVOutput{}, "end\n1\n")
	wantInvalid(t, err, "syntax error")
}

func TestCustomDialectEndToEnd(t *testing.T) {
	in := CSVInput{FileHeaderInfo: HeaderUse, FieldDelimiter: "|", RecordDelimiter: ";", QuoteCharacter: "'",
		QuoteEscapeCharacter: `\`, Comments: "%"}
	input := "id|note;%a comment;1|'it\\'s|here';2|plain;"
	out := CSVOutput{FieldDelimiter: "\t", RecordDelimiter: "\r\n", QuoteCharacter: "'", QuoteEscapeCharacter: "'", QuoteFields: QuoteAlways}
	got, err := runSQL(t, "SELECT note, id FROM ARCHIVE", in, out, input)
	if err != nil {
		t.Fatal(err)
	}
	if want := "'it''s|here'\t'1'\r\n'plain'\t'2'\r\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	got, err = runSQL(t, "SELECT * FROM ARCHIVE", in, CSVOutput{QuoteEscapeCharacter: `\`}, input)
	if err != nil {
		t.Fatal(err)
	}
	if want := "1,it's|here\n2,plain\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestRunErrors(t *testing.T) {
	cases := []struct {
		sql, input string
		record     int64
		want       string
	}{
		{"SELECT nope FROM ARCHIVE", "a,b\n1,2\n", 1, "no column named nope"},
		{"SELECT \"A\" FROM ARCHIVE", "a,b\n1,2\n", 1, "no column named A"},
		{"SELECT CAST(b AS INT) FROM ARCHIVE", "a,b\n1,2\n3,x\n", 3, `cannot cast "x" to INT`},
		{"SELECT CAST(b AS INT) / 0 FROM ARCHIVE", "a,b\n1,2\n", 2, "division by zero"},
		{"SELECT TO_STRING(`2020T`, 'QQ') FROM ARCHIVE", "a\n1\n", 2, "pattern letter"},
		{"SELECT SUBSTRING(a, 'x') FROM ARCHIVE", "a\n1\n", 2, "must be an integer"},
		{"SELECT * FROM ARCHIVE", "a\n\"1\n", 2, "not closed"},
	}
	for _, c := range cases {
		_, err := runSQL(t, c.sql, CSVInput{FileHeaderInfo: HeaderUse}, CSVOutput{}, c.input)
		var re *RecordError
		if !errors.As(err, &re) || re.Record != c.record || !strings.Contains(re.Message, c.want) {
			t.Errorf("%s: err = %v, want record %d %q", c.sql, err, c.record, c.want)
		}
	}
}

func TestLenientComparisons(t *testing.T) {
	// A field that is not a number compares as NULL: the record is not
	// selected and the job goes on.
	got, err := runSQL(t, "SELECT _1 FROM ARCHIVE WHERE _2 > 1 OR _2 + 1 = 2", CSVInput{}, CSVOutput{}, "a,5\nb,x\nc,\nd,1\ne\n")
	if err != nil {
		t.Fatal(err)
	}
	if got != "a\nd\n" {
		t.Fatalf("got %q", got)
	}
}

func TestRunStatsAndEmptyInput(t *testing.T) {
	q, err := Compile(Params{ExpressionType: "SQL", Expression: "SELECT _1 FROM ARCHIVE WHERE _2 = 'y'", Input: CSVInput{FileHeaderInfo: HeaderIgnore}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	st, err := q.Run(context.Background(), strings.NewReader("h\na,y\nb,n\n"), &b, testNow())
	if err != nil {
		t.Fatal(err)
	}
	if want := (Stats{BytesScanned: 10, BytesReturned: 2, RecordsScanned: 2, RecordsReturned: 1}); st != want {
		t.Fatalf("stats %+v, want %+v", st, want)
	}
	for _, mode := range []FileHeaderInfo{HeaderUse, HeaderIgnore, HeaderNone} {
		got, err := runSQL(t, "SELECT * FROM ARCHIVE", CSVInput{FileHeaderInfo: mode}, CSVOutput{}, "")
		if err != nil || got != "" {
			t.Errorf("%s over nothing: %q, %v", mode, got, err)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRunStopsOnWriteErrorAndCancel(t *testing.T) {
	q, err := Compile(Params{ExpressionType: "SQL", Expression: "SELECT * FROM ARCHIVE"})
	if err != nil {
		t.Fatal(err)
	}
	input := strings.Repeat("some,record,data\n", 20000)
	if _, err := q.Run(context.Background(), strings.NewReader(input), failingWriter{}, testNow()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("write error: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := q.Run(ctx, strings.NewReader(input), io.Discard, testNow()); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled: %v", err)
	}
}

// patternReader yields n bytes of a repeated CSV record.
type patternReader struct {
	rec    []byte
	off    int
	n      int64
	onRead func() // nil: nothing
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.onRead != nil {
		p.onRead()
	}
	if p.n <= 0 {
		return 0, io.EOF
	}
	i := 0
	for i < len(b) && p.n > 0 {
		c := copy(b[i:], p.rec[p.off:])
		if int64(c) > p.n {
			c = int(p.n)
		}
		i += c
		p.n -= int64(c)
		p.off = (p.off + c) % len(p.rec)
	}
	return i, nil
}

// TestMemoryFlat runs a query over 8 MiB while sampling the live heap,
// with the collector set to run often: a run that kept records would hold
// more than the bound.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 8 MiB")
	}
	q, err := Compile(Params{ExpressionType: "SQL", Expression: "SELECT _2, _1 FROM ARCHIVE WHERE _3 LIKE '%7%'"})
	if err != nil {
		t.Fatal(err)
	}
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	rec := []byte("12345,\"quoted, text\",777\n")
	size := int64(8<<20) / int64(len(rec)) * int64(len(rec))
	reads := 0
	in := &patternReader{rec: rec, n: size, onRead: func() {
		if reads++; reads%16 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}}
	st, err := q.Run(context.Background(), in, io.Discard, testNow())
	if err != nil {
		t.Fatal(err)
	}
	if st.BytesScanned != size || st.RecordsReturned != st.RecordsScanned {
		t.Fatalf("stats %+v", st)
	}
	grow := peak - base
	t.Logf("live heap peak %d KiB above the start over %d KiB of input", grow>>10, size>>10)
	if grow > 3<<20 {
		t.Fatalf("live heap grew by %d bytes over an 8 MiB input", grow)
	}
}

// parts is a Splitter that keeps each part.
type parts struct {
	size int64
	done []string
	cur  bytes.Buffer
}

func (p *parts) Write(b []byte) (int, error) { return p.cur.Write(b) }
func (p *parts) SplitSize() int64            { return p.size }
func (p *parts) Split() error {
	p.done = append(p.done, p.cur.String())
	p.cur.Reset()
	return nil
}

func TestRunSplitsBetweenRecords(t *testing.T) {
	q, err := Compile(Params{ExpressionType: "SQL", Expression: "SELECT _1, _2 FROM ARCHIVE",
		Output: CSVOutput{RecordDelimiter: ";"}})
	if err != nil {
		t.Fatal(err)
	}
	var input strings.Builder
	for i := range 1000 {
		input.WriteString(strings.Repeat("x", i%37) + ",\"a\nb\"\n")
	}
	p := &parts{size: 1000}
	if _, err := q.Run(context.Background(), strings.NewReader(input.String()), p, testNow()); err != nil {
		t.Fatal(err)
	}
	all := append(p.done, p.cur.String())
	if len(all) < 10 {
		t.Fatalf("%d parts, want at least 10", len(all))
	}
	var whole bytes.Buffer
	for i, part := range all {
		if part != "" && !strings.HasSuffix(part, ";") {
			t.Fatalf("part %d does not end a record: %q", i, part[max(0, len(part)-20):])
		}
		if i < len(all)-1 && (len(part) < 1000 || len(part) > 1000+40) {
			t.Fatalf("part %d is %d bytes, want 1000 plus at most a record", i, len(part))
		}
		whole.WriteString(part)
	}
	want, err := runSQL(t, "SELECT _1, _2 FROM ARCHIVE", CSVInput{}, CSVOutput{RecordDelimiter: ";"}, input.String())
	if err != nil {
		t.Fatal(err)
	}
	if whole.String() != want {
		t.Fatal("the parts together differ from an unsplit run")
	}
}

// TestConcurrentUse shares one Parser and one Query between goroutines (run
// with -race).
func TestConcurrentUse(t *testing.T) {
	ps := NewParser()
	q, err := ps.Compile(Params{ExpressionType: "SQL", Expression: "SELECT _2 FROM ARCHIVE WHERE _1 LIKE 'a%'"})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			if _, err := ps.Compile(Params{ExpressionType: "SQL", Expression: "SELECT _1 FROM OBJECT WHERE _2 = 'x'"}); err != nil {
				errs <- err
				return
			}
			var b bytes.Buffer
			if _, err := q.Run(context.Background(), strings.NewReader("ab,1\nb,2\naa,3\n"), &b, testNow()); err != nil {
				errs <- err
				return
			}
			if b.String() != "1\n3\n" {
				errs <- errors.New("goroutine " + strconv.Itoa(i) + " got " + b.String())
				return
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

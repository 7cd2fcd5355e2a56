package glacierselect

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readAll(t *testing.T, in CSVInput, input string) ([][]string, error) {
	t.Helper()
	in = Params{Input: in}.Normalized().Input
	r := newCSVReader(strings.NewReader(input), in)
	var out [][]string
	for {
		rec, err := r.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		var fs []string
		for _, f := range rec {
			fs = append(fs, string(f))
		}
		out = append(out, fs)
	}
}

func TestCSVReaderDialects(t *testing.T) {
	cases := []struct {
		name  string
		in    CSVInput
		input string
		want  [][]string
	}{
		{"plain", CSVInput{}, "a,b,c\n1,2,3\n", [][]string{{"a", "b", "c"}, {"1", "2", "3"}}},
		{"no final delimiter", CSVInput{}, "a,b\n1,2", [][]string{{"a", "b"}, {"1", "2"}}},
		{"crlf with default", CSVInput{}, "a,b\r\n1,2\r\n", [][]string{{"a", "b"}, {"1", "2"}}},
		{"empty fields", CSVInput{}, ",a,\n", [][]string{{"", "a", ""}}},
		{"blank lines skipped", CSVInput{}, "a\n\n\nb\n", [][]string{{"a"}, {"b"}}},
		{"quoted delimiters", CSVInput{}, "\"a,b\",\"c\nd\"\n", [][]string{{"a,b", "c\nd"}}},
		{"doubled quote", CSVInput{}, `"say ""hi""",x` + "\n", [][]string{{`say "hi"`, "x"}}},
		{"quoted empty", CSVInput{}, `""` + "\n", [][]string{{""}}},
		{"quote mid-field is data", CSVInput{}, `ab"c,d` + "\n", [][]string{{`ab"c`, "d"}}},
		{"text after closing quote kept", CSVInput{}, `"ab"c,d` + "\n", [][]string{{"abc", "d"}}},
		{"backslash escape", CSVInput{QuoteEscapeCharacter: `\`}, `"a\"b\\c\d",e` + "\n", [][]string{{`a"b\c\d`, "e"}}},
		{"single quote", CSVInput{QuoteCharacter: "'"}, "'a,b','it''s'\n", [][]string{{"a,b", "it's"}}},
		{"pipe and semicolon", CSVInput{FieldDelimiter: "|", RecordDelimiter: ";"}, "a|b;c|\"d;e\";", [][]string{{"a", "b"}, {"c", "d;e"}}},
		{"two-char delimiters", CSVInput{FieldDelimiter: "::", RecordDelimiter: "\r\n"}, "a::b:c\r\nd\ne::f\r\n", [][]string{{"a", "b:c"}, {"d\ne", "f"}}},
		{"tab", CSVInput{FieldDelimiter: "\t"}, "a\tb,c\n", [][]string{{"a", "b,c"}}},
		{"multibyte delimiter", CSVInput{FieldDelimiter: "¦"}, "a¦b¦\"c¦d\"\n", [][]string{{"a", "b", "c¦d"}}},
		{"comments", CSVInput{Comments: "#"}, "#skip, this\na,#b\n#\n c\n", [][]string{{"a", "#b"}, {" c"}}},
		{"comment last without newline", CSVInput{Comments: "%"}, "a\n%end", [][]string{{"a"}}},
		{"no comments by default", CSVInput{}, "#a\n", [][]string{{"#a"}}},
		{"empty input", CSVInput{}, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := readAll(t, c.in, c.input)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c.want, got); d != "" {
				t.Fatalf("records (-want +got):\n%s", d)
			}
		})
	}
}

func TestCSVReaderErrors(t *testing.T) {
	_, err := readAll(t, CSVInput{}, "a\n\"open,b\n")
	var re *RecordError
	if !errors.As(err, &re) || re.Record != 2 || !strings.Contains(re.Message, "not closed") {
		t.Fatalf("unterminated quote: err = %v", err)
	}
	big := strings.Repeat("x", maxRecordBytes+1)
	if _, err := readAll(t, CSVInput{}, "a\n"+big+"\n"); !errors.As(err, &re) || !strings.Contains(re.Message, "longer than") {
		t.Fatalf("long record: err = %v", err)
	}
}

func TestCSVWriterQuoting(t *testing.T) {
	fields := []string{"plain", "a,b", `say "hi"`, "two\nlines", "", `back\slash`}
	cases := []struct {
		name string
		out  CSVOutput
		want string
	}{
		{"as needed", CSVOutput{}, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,back\\slash\n"},
		{"always", CSVOutput{QuoteFields: QuoteAlways}, "\"plain\",\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"\",\"back\\slash\"\n"},
		{"escape char", CSVOutput{QuoteEscapeCharacter: `\`}, "plain,\"a,b\",\"say \\\"hi\\\"\",\"two\nlines\",,\"back\\\\slash\"\n"},
		{"custom dialect", CSVOutput{FieldDelimiter: "|", RecordDelimiter: "\r\n", QuoteCharacter: "'"}, "plain|a,b|say \"hi\"|'two\nlines'||back\\slash\r\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			w := newCSVWriter(&b, Params{Output: c.out}.Normalized().Output)
			for _, f := range fields {
				w.writeField(f)
			}
			w.endRecord()
			if err := w.flush(); err != nil {
				t.Fatal(err)
			}
			if b.String() != c.want {
				t.Fatalf("got  %q\nwant %q", b.String(), c.want)
			}
		})
	}
}

// TestCSVRoundTrip writes records in a dialect and reads them back in the
// same dialect.
func TestCSVRoundTrip(t *testing.T) {
	recs := [][]string{{"a", "b,c", `"q"`, `\e`, "x\ny"}, {"", "'", "|", "\r\n", "é¦"}}
	for _, d := range []struct{ field, record, quote, escape string }{
		{",", "\n", `"`, `"`}, {"|", "\r\n", "'", `\`}, {"¦", ";", `"`, `\`}, {"\t", "\n", "'", "'"},
	} {
		for _, always := range []bool{false, true} {
			qf := QuoteAsNeeded
			if always {
				qf = QuoteAlways
			}
			var b bytes.Buffer
			w := newCSVWriter(&b, CSVOutput{QuoteFields: qf, FieldDelimiter: d.field, RecordDelimiter: d.record, QuoteCharacter: d.quote, QuoteEscapeCharacter: d.escape})
			for _, r := range recs {
				for _, f := range r {
					w.writeField(f)
				}
				w.endRecord()
			}
			if err := w.flush(); err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, CSVInput{FieldDelimiter: d.field, RecordDelimiter: d.record, QuoteCharacter: d.quote, QuoteEscapeCharacter: d.escape}, b.String())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(recs, got); diff != "" {
				t.Errorf("dialect %+v always=%v: %q (-want +got):\n%s", d, always, b.String(), diff)
			}
		}
	}
}

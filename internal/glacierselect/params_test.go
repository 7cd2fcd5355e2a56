package glacierselect

import (
	"strings"
	"testing"
)

func TestValidateRefuses(t *testing.T) {
	ok := Params{ExpressionType: "SQL", Expression: "SELECT * FROM ARCHIVE"}
	cases := []struct {
		name string
		edit func(p *Params)
		want string
	}{
		{"no expression", func(p *Params) { p.Expression = "" }, "Expression is required"},
		{"long expression", func(p *Params) { p.Expression = "SELECT * FROM ARCHIVE " + strings.Repeat(" ", MaxExpressionLength) }, "longer than 128000"},
		{"expression type", func(p *Params) { p.ExpressionType = "JSON" }, "ExpressionType"},
		{"no expression type", func(p *Params) { p.ExpressionType = "" }, "ExpressionType"},
		{"header info", func(p *Params) { p.Input.FileHeaderInfo = "first" }, `FileHeaderInfo: "first"`},
		{"quote fields", func(p *Params) { p.Output.QuoteFields = "NEVER" }, "QuoteFields"},
		{"two-char comment", func(p *Params) { p.Input.Comments = "//" }, "Comments"},
		{"two-char quote", func(p *Params) { p.Input.QuoteCharacter = "''" }, "InputSerialization.csv.QuoteCharacter"},
		{"two-char escape", func(p *Params) { p.Output.QuoteEscapeCharacter = `\\` }, "OutputSerialization.csv.QuoteEscapeCharacter"},
		{"long field delimiter", func(p *Params) { p.Input.FieldDelimiter = ":::" }, "FieldDelimiter"},
		{"long record delimiter", func(p *Params) { p.Output.RecordDelimiter = "\r\n\r\n" }, "RecordDelimiter"},
		{"same delimiters", func(p *Params) { p.Input.FieldDelimiter = "\n" }, "must differ"},
		{"prefix delimiters", func(p *Params) { p.Input.FieldDelimiter = "\r"; p.Input.RecordDelimiter = "\r\n" }, "must differ"},
		{"quote in delimiter", func(p *Params) { p.Input.QuoteCharacter = "," }, "QuoteCharacter"},
		{"escape in delimiter", func(p *Params) { p.Output.QuoteEscapeCharacter = "," }, "QuoteEscapeCharacter"},
		{"comment begins delimiter", func(p *Params) { p.Input.Comments = "," }, "Comments"},
		{"comment is quote", func(p *Params) { p.Input.Comments = `"` }, "also the QuoteCharacter"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := ok
			c.edit(&p)
			wantInvalid(t, p.Validate(), c.want)
			_, err := Compile(p)
			wantInvalid(t, err, c.want)
		})
	}
}

func TestValidateAccepts(t *testing.T) {
	for _, p := range []Params{
		{ExpressionType: "SQL", Expression: "SELECT * FROM ARCHIVE"},
		{ExpressionType: "sql", Expression: "SELECT * FROM OBJECT", Input: CSVInput{FileHeaderInfo: "Use"}},
		{ExpressionType: "SQL", Expression: "SELECT * FROM ARCHIVE", Input: CSVInput{
			FileHeaderInfo: "ignore", Comments: "#", QuoteEscapeCharacter: `\`, RecordDelimiter: "\r\n",
			FieldDelimiter: "|", QuoteCharacter: "'"},
			Output: CSVOutput{QuoteFields: "always", QuoteEscapeCharacter: `\`, RecordDelimiter: ";", FieldDelimiter: "\t", QuoteCharacter: "'"}},
		{ExpressionType: "SQL", Expression: "SELECT * FROM ARCHIVE", Input: CSVInput{FieldDelimiter: "¦"}},
	} {
		if err := p.Validate(); err != nil {
			t.Errorf("%+v: %v", p, err)
		}
	}
}

func TestNormalizedDefaults(t *testing.T) {
	n := Params{ExpressionType: "sql", Expression: "x", Input: CSVInput{FileHeaderInfo: "use", QuoteCharacter: "'"}}.Normalized()
	want := Params{ExpressionType: "SQL", Expression: "x",
		Input:  CSVInput{FileHeaderInfo: HeaderUse, QuoteEscapeCharacter: "'", RecordDelimiter: "\n", FieldDelimiter: ",", QuoteCharacter: "'"},
		Output: CSVOutput{QuoteFields: QuoteAsNeeded, QuoteEscapeCharacter: `"`, RecordDelimiter: "\n", FieldDelimiter: ",", QuoteCharacter: `"`}}
	if n != want {
		t.Fatalf("Normalized = %+v\nwant %+v", n, want)
	}
}

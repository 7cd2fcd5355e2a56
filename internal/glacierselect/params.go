package glacierselect

import (
	"strings"
	"unicode/utf8"
)

// FileHeaderInfo says what the first record of the input is.
type FileHeaderInfo string

// The FileHeaderInfo values of the API.
const (
	HeaderUse    FileHeaderInfo = "USE"    // a header whose names the SQL may use
	HeaderIgnore FileHeaderInfo = "IGNORE" // a header that is skipped
	HeaderNone   FileHeaderInfo = "NONE"   // data
)

// QuoteFields says which output fields are quoted.
type QuoteFields string

// The QuoteFields values of the API.
const (
	QuoteAlways   QuoteFields = "ALWAYS"
	QuoteAsNeeded QuoteFields = "ASNEEDED"
)

// CSVInput is InputSerialization.csv. Empty strings mean "not given".
type CSVInput struct {
	FileHeaderInfo       FileHeaderInfo
	Comments             string
	QuoteEscapeCharacter string
	RecordDelimiter      string
	FieldDelimiter       string
	QuoteCharacter       string
}

// CSVOutput is OutputSerialization.csv. Empty strings mean "not given".
type CSVOutput struct {
	QuoteFields          QuoteFields
	QuoteEscapeCharacter string
	RecordDelimiter      string
	FieldDelimiter       string
	QuoteCharacter       string
}

// Params is SelectParameters with CSV serialization, the only kind Glacier
// Select has.
type Params struct {
	ExpressionType string
	Expression     string
	Input          CSVInput
	Output         CSVOutput
}

// MaxExpressionLength is the API's limit on Expression, in characters.
const MaxExpressionLength = 128000

// maxDelimiter bounds record and field delimiters: one character, or two
// (so that "\r\n" can be given).
const maxDelimiter = 2

// Normalized returns p with the defaults filled in and the enum values in
// their canonical (upper) case: what DescribeJob should show is the caller's
// choice; what the engine runs is this.
func (p Params) Normalized() Params {
	in, out := &p.Input, &p.Output
	in.FileHeaderInfo = FileHeaderInfo(strings.ToUpper(string(in.FileHeaderInfo)))
	if in.FileHeaderInfo == "" {
		in.FileHeaderInfo = HeaderNone
	}
	in.RecordDelimiter = orDefault(in.RecordDelimiter, "\n")
	in.FieldDelimiter = orDefault(in.FieldDelimiter, ",")
	in.QuoteCharacter = orDefault(in.QuoteCharacter, `"`)
	in.QuoteEscapeCharacter = orDefault(in.QuoteEscapeCharacter, in.QuoteCharacter)
	out.QuoteFields = QuoteFields(strings.ToUpper(string(out.QuoteFields)))
	if out.QuoteFields == "" {
		out.QuoteFields = QuoteAsNeeded
	}
	out.RecordDelimiter = orDefault(out.RecordDelimiter, "\n")
	out.FieldDelimiter = orDefault(out.FieldDelimiter, ",")
	out.QuoteCharacter = orDefault(out.QuoteCharacter, `"`)
	out.QuoteEscapeCharacter = orDefault(out.QuoteEscapeCharacter, out.QuoteCharacter)
	p.ExpressionType = strings.ToUpper(p.ExpressionType)
	return p
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Validate checks the parameters (not the SQL: Compile does both) and
// returns an *InvalidError naming the first bad field.
func (p Params) Validate() error {
	if p.Expression == "" {
		return invalidf("SelectParameters.Expression is required")
	}
	if utf8.RuneCountInString(p.Expression) > MaxExpressionLength {
		return invalidf("SelectParameters.Expression is longer than %d characters", MaxExpressionLength)
	}
	n := p.Normalized()
	if n.ExpressionType != "SQL" {
		return invalidf("Invalid SelectParameters.ExpressionType: %q. Valid values are: SQL", p.ExpressionType)
	}
	if err := n.Input.validate(p.Input.FileHeaderInfo); err != nil {
		return err
	}
	return n.Output.validate(p.Output.QuoteFields)
}

// validate checks normalized input serialization; given is FileHeaderInfo
// as the caller wrote it, for the message.
func (in CSVInput) validate(given FileHeaderInfo) error {
	const at = "SelectParameters.InputSerialization.csv."
	switch in.FileHeaderInfo {
	case HeaderUse, HeaderIgnore, HeaderNone:
	default:
		return invalidf("Invalid %sFileHeaderInfo: %q. Valid values are: USE, IGNORE, NONE", at, given)
	}
	if in.Comments != "" && utf8.RuneCountInString(in.Comments) != 1 {
		return invalidf("Invalid %sComments: %q. It must be a single character", at, in.Comments)
	}
	return validateDialect(at, dialect{
		field: in.FieldDelimiter, record: in.RecordDelimiter,
		quote: in.QuoteCharacter, escape: in.QuoteEscapeCharacter, comment: in.Comments,
	})
}

// validate checks normalized output serialization; given is QuoteFields as
// the caller wrote it, for the message.
func (out CSVOutput) validate(given QuoteFields) error {
	const at = "SelectParameters.OutputSerialization.csv."
	switch out.QuoteFields {
	case QuoteAlways, QuoteAsNeeded:
	default:
		return invalidf("Invalid %sQuoteFields: %q. Valid values are: ALWAYS, ASNEEDED", at, given)
	}
	return validateDialect(at, dialect{
		field: out.FieldDelimiter, record: out.RecordDelimiter,
		quote: out.QuoteCharacter, escape: out.QuoteEscapeCharacter,
	})
}

// dialect is one side's CSV syntax after defaults.
type dialect struct {
	field, record, quote, escape, comment string
}

func validateDialect(at string, d dialect) error {
	for _, c := range []struct{ name, v string }{{"QuoteCharacter", d.quote}, {"QuoteEscapeCharacter", d.escape}} {
		if utf8.RuneCountInString(c.v) != 1 {
			return invalidf("Invalid %s%s: %q. It must be a single character", at, c.name, c.v)
		}
	}
	for _, c := range []struct{ name, v string }{{"FieldDelimiter", d.field}, {"RecordDelimiter", d.record}} {
		if n := utf8.RuneCountInString(c.v); n < 1 || n > maxDelimiter {
			return invalidf("Invalid %s%s: %q. It must be one or two characters", at, c.name, c.v)
		}
	}
	if strings.HasPrefix(d.field, d.record) || strings.HasPrefix(d.record, d.field) {
		return invalidf("Invalid %sFieldDelimiter and RecordDelimiter: %q and %q must differ and neither may begin the other",
			at, d.field, d.record)
	}
	if d.comment != "" && d.comment == d.quote {
		return invalidf("Invalid %sComments: %q is also the QuoteCharacter", at, d.comment)
	}
	for _, s := range []string{d.field, d.record} {
		if strings.Contains(s, d.quote) {
			return invalidf("Invalid %sQuoteCharacter: %q also appears in a delimiter", at, d.quote)
		}
		if d.escape != d.quote && strings.Contains(s, d.escape) {
			return invalidf("Invalid %sQuoteEscapeCharacter: %q also appears in a delimiter", at, d.escape)
		}
		if d.comment != "" && strings.HasPrefix(s, d.comment) {
			return invalidf("Invalid %sComments: %q also begins a delimiter", at, d.comment)
		}
	}
	return nil
}

package glacierselect

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// maxRecordBytes is Glacier Select's limit on one input or output record.
const maxRecordBytes = 1 << 20

// csvReader reads records in an input dialect that encoding/csv cannot
// express: delimiters of one or two characters (any bytes), any quote and
// quote-escape character, comment lines. Memory is one record (at most
// maxRecordBytes) plus the bufio buffer, whatever the input's size.
//
// The rules: a field that begins with the quote character is quoted up to
// the next unescaped quote; inside it delimiters are data, and the escape
// character followed by a quote (or by itself) stands for that character
// (when escape and quote are the same character, a doubled quote is one
// quote). Bytes after a closing quote up to the next delimiter are kept. A
// record that begins with the comment character is skipped, and so is an
// empty record. With the default record delimiter "\n", "\r\n" also ends a
// record.
type csvReader struct {
	br                                    *bufio.Reader
	field, record, quote, escape, comment []byte
	crlf                                  bool
	sameEscape                            bool // escape and quote are one character

	// plain and inQuote mark the bytes that may begin something special
	// outside and inside quotes; runs of other bytes are copied in bulk.
	plain, inQuote [256]bool

	buf    []byte   // the current record's field bytes, unescaped
	ends   []int    // end offset of each field in buf
	fields [][]byte // slices of buf, handed out by next
	n      int64    // physical records read, comments and blanks included
	bytes  int64    // input bytes consumed
}

func newCSVReader(r io.Reader, in CSVInput) *csvReader {
	cr := &csvReader{
		br:         bufio.NewReaderSize(r, 64<<10),
		field:      []byte(in.FieldDelimiter),
		record:     []byte(in.RecordDelimiter),
		quote:      []byte(in.QuoteCharacter),
		escape:     []byte(in.QuoteEscapeCharacter),
		comment:    []byte(in.Comments),
		crlf:       in.RecordDelimiter == "\n",
		sameEscape: in.QuoteEscapeCharacter == in.QuoteCharacter,
	}
	cr.plain['\r'] = cr.crlf
	cr.plain[cr.field[0]], cr.plain[cr.record[0]] = true, true
	cr.inQuote[cr.quote[0]], cr.inQuote[cr.escape[0]] = true, true
	return cr
}

// next returns the next data record's fields, valid until the following
// call, or io.EOF after the last one.
func (r *csvReader) next() ([][]byte, error) {
	for {
		if len(r.comment) > 0 && r.peekIs(r.comment) {
			r.n++
			if err := r.skipRecord(); err != nil {
				return nil, err
			}
			continue
		}
		if _, err := r.br.Peek(1); err != nil {
			if errors.Is(err, io.EOF) {
				return nil, io.EOF
			}
			return nil, err
		}
		r.n++
		raw, err := r.readRecord()
		if err != nil {
			return nil, err
		}
		if raw == 0 {
			continue // an empty line
		}
		r.fields = r.fields[:0]
		start := 0
		for _, end := range r.ends {
			r.fields = append(r.fields, r.buf[start:end:end])
			start = end
		}
		return r.fields, nil
	}
}

// readRecord reads one record into buf/ends and returns how many bytes came
// before its record delimiter (0 for an empty line).
func (r *csvReader) readRecord() (int, error) {
	r.buf, r.ends = r.buf[:0], r.ends[:0]
	raw, fieldStart, inQuote := 0, true, false
	for {
		switch {
		case inQuote:
			raw += r.copyRun(&r.inQuote)
		case !fieldStart:
			raw += r.copyRun(&r.plain)
		}
		if len(r.buf) > maxRecordBytes {
			return 0, r.errorf("the record is longer than %d bytes", maxRecordBytes)
		}
		b, err := r.br.ReadByte()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return 0, err
			}
			if inQuote {
				return 0, r.errorf("a quoted field is not closed before the end of the archive")
			}
			r.ends = append(r.ends, len(r.buf))
			return raw, nil
		}
		r.bytes++
		if !inQuote {
			if r.isToken(b, r.field) {
				r.endField()
				raw++
				fieldStart = true
				continue
			}
			if r.isToken(b, r.record) || r.crlf && b == '\r' && r.consumeIf([]byte("\n")) {
				r.ends = append(r.ends, len(r.buf))
				return raw, nil
			}
		}
		raw++
		if fieldStart {
			fieldStart = false
			if r.isToken(b, r.quote) {
				inQuote = true
				continue
			}
		}
		if inQuote {
			inQuote = r.quoted(b)
		} else {
			r.buf = append(r.buf, b)
		}
	}
}

// copyRun appends the buffered bytes up to the first one special marks
// and returns how many it copied.
func (r *csvReader) copyRun(special *[256]bool) int {
	n := r.br.Buffered()
	if n == 0 {
		if _, err := r.br.Peek(1); err != nil {
			return 0
		}
		n = r.br.Buffered()
	}
	p, _ := r.br.Peek(n)
	i := 0
	for i < len(p) && !special[p[i]] {
		i++
	}
	r.buf = append(r.buf, p[:i]...)
	_, _ = r.br.Discard(i)
	r.bytes += int64(i)
	return i
}

// quoted handles byte b inside a quoted field and reports whether the field
// is still quoted after it.
func (r *csvReader) quoted(b byte) bool {
	if !r.sameEscape && r.isToken(b, r.escape) {
		switch {
		case r.consumeIf(r.quote):
			r.buf = append(r.buf, r.quote...)
		case r.consumeIf(r.escape):
			r.buf = append(r.buf, r.escape...)
		default:
			r.buf = append(r.buf, r.escape...)
		}
		return true
	}
	if r.isToken(b, r.quote) {
		if r.sameEscape && r.consumeIf(r.quote) {
			r.buf = append(r.buf, r.quote...)
			return true
		}
		return false
	}
	r.buf = append(r.buf, b)
	return true
}

func (r *csvReader) endField() {
	r.ends = append(r.ends, len(r.buf))
}

// isToken reports whether b, just read, begins tok there; if so the rest of
// tok is consumed.
func (r *csvReader) isToken(b byte, tok []byte) bool {
	if b != tok[0] {
		return false
	}
	return len(tok) == 1 || r.consumeIf(tok[1:])
}

// consumeIf consumes tok if the input continues with it.
func (r *csvReader) consumeIf(tok []byte) bool {
	if !r.peekIs(tok) {
		return false
	}
	n, _ := r.br.Discard(len(tok))
	r.bytes += int64(n)
	return true
}

func (r *csvReader) peekIs(tok []byte) bool {
	p, _ := r.br.Peek(len(tok))
	return bytes.Equal(p, tok)
}

// skipRecord consumes a comment line up to and including its delimiter.
func (r *csvReader) skipRecord() error {
	for n := 0; ; n++ {
		b, err := r.br.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		r.bytes++
		if r.isToken(b, r.record) || r.crlf && b == '\r' && r.consumeIf([]byte("\n")) {
			return nil
		}
		if n > maxRecordBytes {
			return r.errorf("the record is longer than %d bytes", maxRecordBytes)
		}
	}
}

func (r *csvReader) errorf(format string, args ...any) error {
	return &RecordError{Record: r.n, Message: fmt.Sprintf(format, args...)}
}

package glacierselect

import (
	"bufio"
	"io"
	"strings"
)

// csvWriter writes records in the output dialect. With QuoteFields ASNEEDED a
// field is quoted when it contains the field or record delimiter, the quote
// or escape character, CR or LF; with ALWAYS every field is. Inside quotes
// the quote character, and the escape character when it differs, are
// preceded by the escape character.
type csvWriter struct {
	bw                           *bufio.Writer
	field, record, quote, escape string
	always                       bool
	started                      bool      // a field of the current record is written
	n                            int64     // bytes written
	err                          error     // the first write error
	special                      [256]bool // bytes that may begin something needing quotes
	splitter                     Splitter  // nil: one output
	lastSplit                    int64     // n at the last split
}

func newCSVWriter(w io.Writer, out CSVOutput) *csvWriter {
	cw := &csvWriter{
		bw:     bufio.NewWriterSize(w, 64<<10),
		field:  out.FieldDelimiter,
		record: out.RecordDelimiter,
		quote:  out.QuoteCharacter,
		escape: out.QuoteEscapeCharacter,
		always: out.QuoteFields == QuoteAlways,
	}
	for _, s := range []string{cw.field, cw.record, cw.quote, cw.escape, "\r", "\n"} {
		cw.special[s[0]] = true
	}
	return cw
}

// writeBytes is writeField for a field read from the input; a field that
// needs no quotes is copied without conversion.
func (w *csvWriter) writeBytes(b []byte) {
	if w.always || w.bytesMayNeedQuotes(b) {
		w.writeField(string(b))
		return
	}
	if w.started {
		w.put(w.field)
	}
	w.started = true
	n, err := w.bw.Write(b)
	w.n += int64(n)
	if err != nil && w.err == nil {
		w.err = err
	}
}

func (w *csvWriter) bytesMayNeedQuotes(b []byte) bool {
	for _, c := range b {
		if w.special[c] {
			return true
		}
	}
	return false
}

// writeField appends one field to the current record.
func (w *csvWriter) writeField(s string) {
	if w.started {
		w.put(w.field)
	}
	w.started = true
	if !w.always && !w.needsQuotes(s) {
		w.put(s)
		return
	}
	w.put(w.quote)
	for len(s) > 0 {
		i := w.nextSpecial(s)
		if i < 0 {
			w.put(s)
			break
		}
		w.put(s[:i])
		w.put(w.escape)
		s = s[i:]
		n := len(w.quote)
		if !strings.HasPrefix(s, w.quote) {
			n = len(w.escape)
		}
		w.put(s[:n])
		s = s[n:]
	}
	w.put(w.quote)
}

// nextSpecial is the index of the first quote (or distinct escape) in s.
func (w *csvWriter) nextSpecial(s string) int {
	i := strings.Index(s, w.quote)
	if w.escape != w.quote {
		if j := strings.Index(s, w.escape); j >= 0 && (i < 0 || j < i) {
			i = j
		}
	}
	return i
}

func (w *csvWriter) needsQuotes(s string) bool {
	i := 0
	for i < len(s) && !w.special[s[i]] {
		i++
	}
	if i == len(s) {
		return false
	}
	s = s[i:]
	return strings.Contains(s, w.field) || strings.Contains(s, w.record) ||
		strings.Contains(s, w.quote) || strings.Contains(s, w.escape) ||
		strings.ContainsAny(s, "\r\n")
}

// endRecord ends the current record.
func (w *csvWriter) endRecord() {
	w.put(w.record)
	w.started = false
}

func (w *csvWriter) put(s string) {
	n, err := w.bw.WriteString(s)
	w.n += int64(n)
	if err != nil && w.err == nil {
		w.err = err
	}
}

func (w *csvWriter) flush() error {
	if w.err != nil {
		return w.err
	}
	return w.bw.Flush()
}

// maybeSplit splits the output if it is a Splitter and the part is full;
// call it only between records.
func (w *csvWriter) maybeSplit() error {
	if w.splitter == nil || w.n-w.lastSplit < w.splitter.SplitSize() {
		return nil
	}
	if err := w.flush(); err != nil {
		return err
	}
	w.lastSplit = w.n
	return w.splitter.Split()
}

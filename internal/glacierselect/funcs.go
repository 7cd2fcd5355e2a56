package glacierselect

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// scalarFunc is one function of the reference callable as NAME(args): its
// arity and its body. The body sees NULL arguments unless nullIn is set, in
// which case any NULL argument makes the result NULL without calling it.
type scalarFunc struct {
	min, max int // max < 0: variadic
	nullIn   bool
	body     func(args []Value) (Value, error)
}

// lookupFunc returns the function NAME calls; ok is false for names the
// reference does not list. Aggregates are answered by isAggregate.
func lookupFunc(name string) (scalarFunc, bool) {
	switch name {
	case "CHAR_LENGTH", "CHARACTER_LENGTH":
		return scalarFunc{1, 1, true, func(a []Value) (Value, error) {
			return intValue(int64(utf8.RuneCountInString(a[0].format()))), nil
		}}, true
	case "LOWER":
		return scalarFunc{1, 1, true, func(a []Value) (Value, error) {
			return strValue(strings.ToLower(a[0].format())), nil
		}}, true
	case "UPPER":
		return scalarFunc{1, 1, true, func(a []Value) (Value, error) {
			return strValue(strings.ToUpper(a[0].format())), nil
		}}, true
	case "COALESCE":
		return scalarFunc{1, -1, false, coalesce}, true
	case "NULLIF":
		return scalarFunc{2, 2, false, nullIf}, true
	case "TO_TIMESTAMP":
		return scalarFunc{1, 1, true, func(a []Value) (Value, error) { return castTo(a[0], "TIMESTAMP") }}, true
	case "TO_STRING":
		return scalarFunc{2, 2, true, toStringFunc}, true
	}
	return scalarFunc{}, false
}

func isAggregate(name string) bool {
	switch name {
	case "AVG", "COUNT", "MAX", "MIN", "SUM":
		return true
	}
	return false
}

func coalesce(a []Value) (Value, error) {
	for _, v := range a {
		if !v.isNull() {
			return v, nil
		}
	}
	return nullValue(), nil
}

func nullIf(a []Value) (Value, error) {
	if c, ok := compareValues(a[0], a[1]); ok && c == 0 {
		return nullValue(), nil
	}
	return a[0], nil
}

func toStringFunc(a []Value) (Value, error) {
	t, ok := a[0].timestamp()
	if !ok {
		return Value{}, fmt.Errorf("TO_STRING needs a timestamp, not %q", a[0].format())
	}
	s, err := toString(t, a[1].format())
	if err != nil {
		return Value{}, err
	}
	return strValue(s), nil
}

func (f scalarFunc) call(args []Value) (Value, error) {
	if f.nullIn {
		for _, a := range args {
			if a.isNull() {
				return nullValue(), nil
			}
		}
	}
	return f.body(args)
}

// castTypes are the reference's type names, each with the kind it makes.
func castKind(name string) (string, bool) {
	switch name {
	case "BOOL", "BOOLEAN":
		return "BOOL", true
	case "INT", "INTEGER":
		return "INT", true
	case "STRING":
		return "STRING", true
	case "FLOAT", "DECIMAL", "NUMERIC":
		return "FLOAT", true
	case "TIMESTAMP":
		return "TIMESTAMP", true
	}
	return "", false
}

// castTo converts v to one of castKind's kinds; a value that does not
// convert is an error (the job fails), NULL stays NULL.
func castTo(v Value, to string) (Value, error) {
	if v.isNull() {
		return nullValue(), nil
	}
	fail := func() (Value, error) {
		return Value{}, fmt.Errorf("cannot cast %q to %s", v.format(), to)
	}
	switch to {
	case "STRING":
		return strValue(v.format()), nil
	case "BOOL":
		if v.k == kInt || v.k == kFloat {
			return boolValue(v.float() != 0), nil
		}
		b, ok := v.boolean()
		if !ok {
			return fail()
		}
		return boolValue(b), nil
	case "TIMESTAMP":
		t, ok := v.timestamp()
		if !ok {
			return fail()
		}
		return tsValue(t), nil
	}
	if v.k == kBool {
		var n int64
		if v.b {
			n = 1
		}
		v = intValue(n)
	}
	n, ok := v.number()
	if !ok {
		return fail()
	}
	if to == "FLOAT" {
		return floatValue(n.float()), nil
	}
	if n.k == kFloat {
		if n.f >= 9.223372036854775807e18 || n.f < -9.223372036854775808e18 {
			return fail()
		}
		return intValue(int64(n.f)), nil
	}
	return n, nil
}

// substring is SUBSTRING(s FROM start [FOR length]) with 1-based start;
// positions before 1 count against length, as the reference describes.
func substring(a []Value) (Value, error) {
	for _, v := range a {
		if v.isNull() {
			return nullValue(), nil
		}
	}
	rs := []rune(a[0].format())
	start, err := intArg(a[1], "SUBSTRING start")
	if err != nil {
		return Value{}, err
	}
	end := int64(len(rs)) + 1
	if len(a) == 3 {
		n, err := intArg(a[2], "SUBSTRING length")
		if err != nil {
			return Value{}, err
		}
		if n < 0 {
			return Value{}, fmt.Errorf("SUBSTRING length %d is negative", n)
		}
		end = min(end, start+n)
	}
	start = max(start, 1)
	if end <= start {
		return strValue(""), nil
	}
	return strValue(string(rs[start-1 : end-1])), nil
}

func intArg(v Value, what string) (int64, error) {
	n, ok := v.number()
	if !ok || n.k != kInt {
		return 0, fmt.Errorf("%s must be an integer, not %q", what, v.format())
	}
	return n.i, nil
}

// trimFunc is TRIM([LEADING|TRAILING|BOTH [chars] FROM] s); a[0] is s, a[1]
// the characters to remove.
func trimFunc(where string) func(a []Value) (Value, error) {
	return func(a []Value) (Value, error) {
		if a[0].isNull() || a[1].isNull() {
			return nullValue(), nil
		}
		s, cut := a[0].format(), a[1].format()
		switch where {
		case "LEADING":
			return strValue(strings.TrimLeft(s, cut)), nil
		case "TRAILING":
			return strValue(strings.TrimRight(s, cut)), nil
		}
		return strValue(strings.Trim(s, cut)), nil
	}
}

// dateFunc builds DATE_ADD / DATE_DIFF / EXTRACT over a fixed date part.
func dateFunc(name, part string) func(a []Value) (Value, error) {
	return func(a []Value) (Value, error) {
		for _, v := range a {
			if v.isNull() {
				return nullValue(), nil
			}
		}
		last := a[len(a)-1]
		t, ok := last.timestamp()
		if !ok {
			return Value{}, fmt.Errorf("%s needs a timestamp, not %q", name, last.format())
		}
		switch name {
		case "EXTRACT":
			return intValue(extractPart(part, t)), nil
		case "DATE_DIFF":
			t0, ok := a[0].timestamp()
			if !ok {
				return Value{}, fmt.Errorf("DATE_DIFF needs a timestamp, not %q", a[0].format())
			}
			return intValue(dateDiff(part, t0, t)), nil
		}
		n, err := intArg(a[0], "DATE_ADD quantity")
		if err != nil {
			return Value{}, err
		}
		return tsValue(dateAdd(part, n, t)), nil
	}
}

func parseNumberLiteral(s string) (Value, error) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return intValue(i), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return Value{}, invalidf("Invalid SQL expression: bad number %s", s)
	}
	return floatValue(f), nil
}

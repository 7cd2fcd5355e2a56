package glacierselect

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// kind is the dynamic type of a Value. CSV fields are strings until an
// expression casts or compares them.
type kind uint8

const (
	kMissing kind = iota // a column past the end of its record
	kNull
	kBool
	kInt
	kFloat // float, and decimal/numeric (held as float64)
	kString
	kTimestamp
)

// Value is one SQL value. Only the field its kind names is meaningful.
type Value struct {
	k kind
	b bool
	i int64
	f float64
	s string
	t time.Time
}

func nullValue() Value    { return Value{k: kNull} }
func missingValue() Value { return Value{k: kMissing} }

func boolValue(b bool) Value     { return Value{k: kBool, b: b} }
func intValue(i int64) Value     { return Value{k: kInt, i: i} }
func floatValue(f float64) Value { return Value{k: kFloat, f: f} }
func strValue(s string) Value    { return Value{k: kString, s: s} }
func tsValue(t time.Time) Value  { return Value{k: kTimestamp, t: t} }

func (v Value) isNull() bool { return v.k == kNull || v.k == kMissing }

// number returns v as a number, converting a string that spells one. ok is
// false for anything else, which the caller treats as NULL (a comparison or
// arithmetic on a field that is not a number selects nothing).
func (v Value) number() (Value, bool) {
	switch v.k {
	case kInt, kFloat:
		return v, true
	case kString:
		s := strings.TrimSpace(v.s)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return intValue(i), true
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return floatValue(f), true
		}
	}
	return Value{}, false
}

func (v Value) float() float64 {
	if v.k == kInt {
		return float64(v.i)
	}
	return v.f
}

// format renders v as an output CSV field: NULL and MISSING are empty.
func (v Value) format() string {
	switch v.k {
	case kBool:
		return strconv.FormatBool(v.b)
	case kInt:
		return strconv.FormatInt(v.i, 10)
	case kFloat:
		return formatFloat(v.f)
	case kString:
		return v.s
	case kTimestamp:
		return formatTimestamp(v.t)
	}
	return ""
}

func formatFloat(f float64) string {
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		return strconv.FormatFloat(f, 'e', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// compareValues orders a and b: -1, 0 or 1. ok is false when they cannot be
// compared (NULL, or types with no common order), and the comparison is then
// NULL. A string meets a number or a timestamp by conversion.
func compareValues(a, b Value) (int, bool) {
	if a.isNull() || b.isNull() {
		return 0, false
	}
	switch {
	case a.k == kString && b.k == kString:
		return strings.Compare(a.s, b.s), true
	case a.k == kBool && b.k == kBool:
		return boolCmp(a.b, b.b), true
	case a.k == kTimestamp || b.k == kTimestamp:
		ta, oka := a.timestamp()
		tb, okb := b.timestamp()
		if !oka || !okb {
			return 0, false
		}
		return ta.Compare(tb), true
	case a.k == kBool || b.k == kBool:
		ba, oka := a.boolean()
		bb, okb := b.boolean()
		if !oka || !okb {
			return 0, false
		}
		return boolCmp(ba, bb), true
	}
	na, oka := a.number()
	nb, okb := b.number()
	if !oka || !okb {
		return 0, false
	}
	if na.k == kInt && nb.k == kInt {
		return cmpOrdered(na.i, nb.i), true
	}
	return cmpOrdered(na.float(), nb.float()), true
}

func cmpOrdered[T int64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

func (v Value) timestamp() (time.Time, bool) {
	switch v.k {
	case kTimestamp:
		return v.t, true
	case kString:
		t, err := parseTimestamp(strings.TrimSpace(v.s))
		return t, err == nil
	}
	return time.Time{}, false
}

func (v Value) boolean() (bool, bool) {
	switch v.k {
	case kBool:
		return v.b, true
	case kString:
		switch strings.ToLower(strings.TrimSpace(v.s)) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// truth is SQL's three-valued logic: 1 true, 0 false, -1 unknown.
func (v Value) truth() int {
	if b, ok := v.boolean(); ok {
		if b {
			return 1
		}
		return 0
	}
	return -1
}

package policy

import (
	"cmp"
	"strconv"
	"strings"
	"time"
)

// holds reports whether the condition is true for the request in e.
//
// Missing keys follow the IAM documentation
// (reference_policies_elements_condition_operators.html, "Important"): "If
// the key that you specify in a policy condition is not present in the
// request context, the values do not match and the condition is false. If
// the policy condition requires that the key is not matched, such as
// StringNotLike or ArnNotLike, and the right key is not present, the
// condition is true. This logic applies to all condition operators except
// ...IfExists and Null check." So an absent key makes StringNotEquals,
// StringNotEqualsIgnoreCase, StringNotLike, NumericNotEquals and
// DateNotEquals true and every other operator false; any ...IfExists
// operator is true; Null tests presence itself. With a set qualifier
// (reference_policies_condition-single-vs-multi-valued-context-keys.html)
// ForAllValues: is true and ForAnyValue: false for an absent key, unless
// IfExists makes it true.
//
// For a present key, the policy values are ORed for a positive operator and
// NORed for a negated one (reference_policies_multi-value-conditions.html);
// that is, a request value satisfies a negated operator when it is
// well-formed and matches none of the policy values. Without a qualifier a
// key with several request values behaves like ForAnyValue: for a positive
// operator and ForAllValues: for a negated one, so that a negated operator
// is always the exact complement of its positive form. A request value
// that is not a valid number, date or boolean for a Numeric, Date or Bool
// operator satisfies neither the operator nor its negation.
func (c *condition) holds(e *evalCtx) bool {
	vals, present := e.values(c.key)
	if c.op.fam == famNull {
		// "Null": "true" holds when the key is absent, "false" when present.
		for _, wantAbsent := range c.bools {
			if wantAbsent != present {
				return true
			}
		}
		return false
	}
	if !present {
		switch {
		case c.op.ifExists:
			return true
		case c.op.set == setAll:
			return true
		case c.op.set == setAny:
			return false
		default:
			return c.op.negated
		}
	}
	if c.op.set == setAny || (c.op.set == setNone && !c.op.negated) {
		for _, v := range vals {
			if c.valueHolds(e, v) {
				return true
			}
		}
		return false
	}
	for _, v := range vals {
		if !c.valueHolds(e, v) {
			return false
		}
	}
	return true
}

// valueHolds reports whether the single request value v satisfies the
// operator: for a positive operator it matches some policy value, for a
// negated one it is well-formed and matches none.
func (c *condition) valueHolds(e *evalCtx, v string) bool {
	matched, ok := c.matchAny(e, v)
	return ok && matched != c.op.negated
}

// matchAny reports whether request value v matches any of the condition's
// policy values under the operator's positive comparison, and whether v is
// a well-formed value of the operator's type. A policy value whose
// variables do not resolve matches nothing.
func (c *condition) matchAny(e *evalCtx, v string) (matched, ok bool) {
	switch c.op.fam {
	case famString:
		for i := range c.strs {
			t := &c.strs[i]
			if c.op.cmp == cmpLike {
				if t.matches(e, v, false) {
					return true, true
				}
				continue
			}
			s, ok := t.text(e)
			if ok && (s == v || (c.op.cmp == cmpEqFold && strings.EqualFold(s, v))) {
				return true, true
			}
		}
		return false, true
	case famNumeric:
		n, ok := parseNumber(v)
		if !ok {
			return false, false
		}
		for _, p := range c.nums {
			if compareHolds(c.op.cmp, compareNumbers(n, p)) {
				return true, true
			}
		}
		return false, true
	case famDate:
		d, ok := parseDate(v)
		if !ok {
			return false, false
		}
		for _, p := range c.dates {
			if compareHolds(c.op.cmp, d.Compare(p)) {
				return true, true
			}
		}
		return false, true
	case famBool:
		b, ok := parseBool(v)
		if !ok {
			return false, false
		}
		for _, p := range c.bools {
			if b == p {
				return true, true
			}
		}
		return false, true
	}
	return false, false
}

// compareHolds reports whether r, the three-way comparison of the request
// value with the policy value, satisfies comparison k.
func compareHolds(k comparison, r int) bool {
	switch k {
	case cmpEq:
		return r == 0
	case cmpLT:
		return r < 0
	case cmpLE:
		return r <= 0
	case cmpGT:
		return r > 0
	case cmpGE:
		return r >= 0
	}
	return false
}

// number is a parsed numeric condition value. Integers that fit in int64
// compare exactly; anything else compares as float64.
type number struct {
	f     float64
	i     int64
	isInt bool
}

// compareNumbers compares a with b.
func compareNumbers(a, b number) int {
	if a.isInt && b.isInt {
		return cmp.Compare(a.i, b.i)
	}
	return cmp.Compare(a.f, b.f)
}

// parseNumber parses a decimal number: an optional sign, digits, an
// optional fraction and an optional exponent. Infinite and out-of-range
// values are refused.
func parseNumber(s string) (number, bool) {
	if !numberSyntax(s) {
		return number{}, false
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return number{f: float64(i), i: i, isInt: true}, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return number{}, false
	}
	return number{f: f}, true
}

// numberSyntax reports whether s is [+-]digits[.digits][(e|E)[+-]digits].
func numberSyntax(s string) bool {
	i := 0
	digits := func() bool {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > start
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if !digits() {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	return i == len(s)
}

// parseDate parses an ISO 8601 date or date-time (a missing zone meaning
// UTC, fractional seconds allowed) or a whole number of seconds since the
// Unix epoch.
func parseDate(s string) (time.Time, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && s[0] != '+' {
		return time.Unix(n, 0).UTC(), true
	}
	layouts := [...]string{
		time.RFC3339,               // 2026-11-25T10:00:00Z, 2026-11-25T10:00:00.5+01:00
		"2006-01-02T15:04:05Z0700", // 2026-11-25T10:00:00+0100
		"2006-01-02T15:04:05",      // 2026-11-25T10:00:00 (UTC)
		"2006-01-02T15:04Z07:00",   // 2026-11-25T10:00Z
		"2006-01-02T15:04",         // 2026-11-25T10:00 (UTC)
		"2006-01-02",               // 2026-11-25 (midnight UTC)
		"20060102T150405Z0700",     // 20261125T100000Z
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseBool parses "true" or "false", ignoring case.
func parseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

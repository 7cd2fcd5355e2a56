package policy

import (
	"strings"
	"time"
)

// family is the value type a condition operator compares.
type family uint8

const (
	famString family = iota
	famNumeric
	famDate
	famBool
	famNull
)

// comparison is how a request value is compared with a policy value.
type comparison uint8

const (
	cmpEq     comparison = iota // equal (string: case-sensitive)
	cmpEqFold                   // equal ignoring case (strings only)
	cmpLike                     // glob match (strings only)
	cmpLT                       // request value < policy value
	cmpLE                       // request value <= policy value
	cmpGT                       // request value > policy value
	cmpGE                       // request value >= policy value
)

// setOp is a condition's set qualifier.
type setOp uint8

const (
	setNone setOp = iota // no qualifier
	setAny               // ForAnyValue:
	setAll               // ForAllValues:
)

// operator is a parsed condition operator name.
type operator struct {
	fam      family
	cmp      comparison
	negated  bool // StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike, NumericNotEquals, DateNotEquals
	ifExists bool
	set      setOp
}

// condition is one key of one operator block.
type condition struct {
	op    operator
	key   string
	strs  []template  // famString
	nums  []number    // famNumeric
	dates []time.Time // famDate
	bools []bool      // famBool, famNull
}

// baseOperator looks up an operator name without qualifier or IfExists.
func baseOperator(name string) (operator, bool) {
	type o = operator
	switch name {
	case "StringEquals":
		return o{fam: famString, cmp: cmpEq}, true
	case "StringNotEquals":
		return o{fam: famString, cmp: cmpEq, negated: true}, true
	case "StringEqualsIgnoreCase":
		return o{fam: famString, cmp: cmpEqFold}, true
	case "StringNotEqualsIgnoreCase":
		return o{fam: famString, cmp: cmpEqFold, negated: true}, true
	case "StringLike":
		return o{fam: famString, cmp: cmpLike}, true
	case "StringNotLike":
		return o{fam: famString, cmp: cmpLike, negated: true}, true
	case "NumericEquals":
		return o{fam: famNumeric, cmp: cmpEq}, true
	case "NumericNotEquals":
		return o{fam: famNumeric, cmp: cmpEq, negated: true}, true
	case "NumericLessThan":
		return o{fam: famNumeric, cmp: cmpLT}, true
	case "NumericLessThanEquals":
		return o{fam: famNumeric, cmp: cmpLE}, true
	case "NumericGreaterThan":
		return o{fam: famNumeric, cmp: cmpGT}, true
	case "NumericGreaterThanEquals":
		return o{fam: famNumeric, cmp: cmpGE}, true
	case "DateEquals":
		return o{fam: famDate, cmp: cmpEq}, true
	case "DateNotEquals":
		return o{fam: famDate, cmp: cmpEq, negated: true}, true
	case "DateLessThan":
		return o{fam: famDate, cmp: cmpLT}, true
	case "DateLessThanEquals":
		return o{fam: famDate, cmp: cmpLE}, true
	case "DateGreaterThan":
		return o{fam: famDate, cmp: cmpGT}, true
	case "DateGreaterThanEquals":
		return o{fam: famDate, cmp: cmpGE}, true
	case "Bool":
		return o{fam: famBool, cmp: cmpEq}, true
	case "Null":
		return o{fam: famNull, cmp: cmpEq}, true
	}
	return operator{}, false
}

// parseOperator parses a full operator name such as
// "ForAnyValue:StringLikeIfExists".
func parseOperator(path, name string) (operator, error) {
	rest := name
	set := setNone
	if r, ok := strings.CutPrefix(rest, "ForAnyValue:"); ok {
		set, rest = setAny, r
	} else if r, ok := strings.CutPrefix(rest, "ForAllValues:"); ok {
		set, rest = setAll, r
	}
	rest, ifExists := strings.CutSuffix(rest, "IfExists")
	op, ok := baseOperator(rest)
	if !ok {
		return operator{}, errorf("%s has unknown condition operator %q", path, name)
	}
	if op.fam == famNull && (ifExists || set != setNone) {
		return operator{}, errorf("%s: condition operator %q is not allowed: Null takes neither IfExists nor ForAnyValue:/ForAllValues:", path, name)
	}
	op.ifExists, op.set = ifExists, set
	return op, nil
}

// parseConditions parses a Condition element: an object of operator blocks,
// each an object mapping condition keys to a value or a non-empty list of
// values (strings, numbers or booleans).
func parseConditions(path string, v jvalue, vars bool) ([]condition, error) {
	if v.kind != jObject {
		return nil, errorf("%s must be an object, not %s", path, v.typeName())
	}
	var out []condition
	for _, blk := range v.obj {
		bpath := path + "." + blk.key
		op, err := parseOperator(path, blk.key)
		if err != nil {
			return nil, err
		}
		if blk.val.kind != jObject {
			return nil, errorf("%s must be an object mapping condition keys to values, not %s", bpath, blk.val.typeName())
		}
		for _, kv := range blk.val.obj {
			c, err := parseCondition(bpath+"."+kv.key, op, kv.key, kv.val, vars)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// parseCondition parses the values of one condition key.
func parseCondition(path string, op operator, key string, v jvalue, vars bool) (condition, error) {
	c := condition{op: op, key: key}
	if prefix, name, ok := strings.Cut(key, ":"); !ok || prefix == "" || name == "" {
		return c, errorf(`%s: condition key %q must have the form "prefix:name", for example "glacier:ArchiveAgeInDays"`, path, key)
	}
	raw, err := scalarList(path, v)
	if err != nil {
		return c, err
	}
	for i, s := range raw {
		vpath := elemPath(path, v, i)
		switch op.fam {
		case famString:
			t, err := parseTemplate(vpath, s, vars, op.cmp == cmpLike)
			if err != nil {
				return c, err
			}
			c.strs = append(c.strs, t)
		case famNumeric:
			n, ok := parseNumber(s)
			if !ok {
				return c, errorf("%s %q is not a number", vpath, s)
			}
			c.nums = append(c.nums, n)
		case famDate:
			d, ok := parseDate(s)
			if !ok {
				return c, errorf("%s %q is not a date (want ISO 8601 such as 2026-11-25T10:00:00Z, or epoch seconds)", vpath, s)
			}
			c.dates = append(c.dates, d)
		case famBool, famNull:
			b, ok := parseBool(s)
			if !ok {
				return c, errorf("%s %q must be true or false", vpath, s)
			}
			c.bools = append(c.bools, b)
		}
	}
	return c, nil
}

// scalarList reads a condition value: a string, number or boolean, or a
// non-empty list of them. Numbers keep their literal text; booleans become
// "true" or "false".
func scalarList(path string, v jvalue) ([]string, error) {
	one := func(p string, e jvalue) (string, error) {
		switch e.kind {
		case jString, jNumber:
			return e.str, nil
		case jBool:
			if e.b {
				return "true", nil
			}
			return "false", nil
		}
		return "", errorf("%s must be a string, number or boolean, not %s", p, e.typeName())
	}
	if v.kind != jArray {
		s, err := one(path, v)
		if err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
	if len(v.arr) == 0 {
		return nil, errorf("%s must not be an empty list", path)
	}
	out := make([]string, len(v.arr))
	for i, e := range v.arr {
		s, err := one(elemPath(path, v, i), e)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

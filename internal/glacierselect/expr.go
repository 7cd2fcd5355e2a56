package glacierselect

import (
	"errors"
	"math"
	"time"
	"unicode/utf8"
)

// row is the record an expression is evaluated against. bind maps a header
// name's slot to its column index (-1 when the header lacks it).
type row struct {
	fields [][]byte
	bind   []int
	now    time.Time // UTCNOW's answer, fixed for one run
}

func (r *row) column(i int) Value {
	if i < 0 || i >= len(r.fields) {
		return missingValue()
	}
	return strValue(string(r.fields[i]))
}

// expr is a compiled scalar expression. eval fails only where SQL has no
// NULL answer: an explicit CAST that cannot convert, division by zero, a bad
// TO_STRING pattern.
type expr interface {
	eval(r *row) (Value, error)
}

type literal struct{ v Value }

func (e literal) eval(*row) (Value, error) { return e.v, nil }

// column is _N (ordinal ≥ 0) or a header name (slot into row.bind).
type column struct {
	ordinal int
	slot    int
}

func (e column) eval(r *row) (Value, error) {
	if e.ordinal >= 0 {
		return r.column(e.ordinal), nil
	}
	return r.column(r.bind[e.slot]), nil
}

type negate struct{ e expr }

func (e negate) eval(r *row) (Value, error) {
	v, err := e.e.eval(r)
	if err != nil || v.isNull() {
		return nullIfNull(v), err
	}
	n, ok := v.number()
	switch {
	case !ok:
		return nullValue(), nil
	case n.k == kInt:
		return intValue(-n.i), nil
	}
	return floatValue(-n.f), nil
}

func nullIfNull(v Value) Value {
	if v.isNull() {
		return nullValue()
	}
	return v
}

var errDivZero = errors.New("division by zero")

type arith struct {
	op   byte
	l, r expr
}

func (e arith) eval(r *row) (Value, error) {
	a, b, err := eval2(r, e.l, e.r)
	if err != nil {
		return Value{}, err
	}
	na, oka := a.number()
	nb, okb := b.number()
	if !oka || !okb {
		return nullValue(), nil
	}
	if na.k == kInt && nb.k == kInt {
		return intArith(e.op, na.i, nb.i)
	}
	x, y := na.float(), nb.float()
	switch e.op {
	case '+':
		return floatValue(x + y), nil
	case '-':
		return floatValue(x - y), nil
	case '*':
		return floatValue(x * y), nil
	}
	if y == 0 {
		return Value{}, errDivZero
	}
	if e.op == '/' {
		return floatValue(x / y), nil
	}
	return floatValue(math.Mod(x, y)), nil
}

func intArith(op byte, x, y int64) (Value, error) {
	switch op {
	case '+':
		return intValue(x + y), nil
	case '-':
		return intValue(x - y), nil
	case '*':
		return intValue(x * y), nil
	}
	if y == 0 {
		return Value{}, errDivZero
	}
	if op == '/' {
		return intValue(x / y), nil
	}
	return intValue(x % y), nil
}

func eval2(r *row, l, rr expr) (Value, Value, error) {
	a, err := l.eval(r)
	if err != nil {
		return Value{}, Value{}, err
	}
	b, err := rr.eval(r)
	return a, b, err
}

type concat struct{ l, r expr }

func (e concat) eval(r *row) (Value, error) {
	a, b, err := eval2(r, e.l, e.r)
	if err != nil || a.isNull() || b.isNull() {
		return nullValue(), err
	}
	return strValue(a.format() + b.format()), nil
}

type comparison struct {
	op   string
	l, r expr
}

func (e comparison) eval(r *row) (Value, error) {
	a, b, err := eval2(r, e.l, e.r)
	if err != nil {
		return Value{}, err
	}
	c, ok := compareValues(a, b)
	if !ok {
		return nullValue(), nil
	}
	return boolValue(cmpHolds(e.op, c)), nil
}

func cmpHolds(op string, c int) bool {
	switch op {
	case "=":
		return c == 0
	case "!=", "<>":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

type logic struct {
	and  bool
	l, r expr
}

func (e logic) eval(r *row) (Value, error) {
	a, err := e.l.eval(r)
	if err != nil {
		return Value{}, err
	}
	ta := a.truth()
	if e.and && ta == 0 || !e.and && ta == 1 {
		return boolValue(ta == 1), nil
	}
	b, err := e.r.eval(r)
	if err != nil {
		return Value{}, err
	}
	tb := b.truth()
	switch {
	case e.and && tb == 0:
		return boolValue(false), nil
	case !e.and && tb == 1:
		return boolValue(true), nil
	case ta < 0 || tb < 0:
		return nullValue(), nil
	}
	return boolValue(e.and), nil
}

type not struct{ e expr }

func (e not) eval(r *row) (Value, error) {
	v, err := e.e.eval(r)
	if err != nil {
		return Value{}, err
	}
	t := v.truth()
	if t < 0 {
		return nullValue(), nil
	}
	return boolValue(t == 0), nil
}

// isNull is IS [NOT] NULL (MISSING counts as NULL) and IS [NOT] MISSING.
type isNull struct {
	e           expr
	negate      bool
	missingOnly bool
}

func (e isNull) eval(r *row) (Value, error) {
	v, err := e.e.eval(r)
	if err != nil {
		return Value{}, err
	}
	is := v.isNull()
	if e.missingOnly {
		is = v.k == kMissing
	}
	return boolValue(is != e.negate), nil
}

type between struct {
	e, lo, hi expr
	negate    bool
}

func (e between) eval(r *row) (Value, error) {
	v, lo, err := eval2(r, e.e, e.lo)
	if err != nil {
		return Value{}, err
	}
	hi, err := e.hi.eval(r)
	if err != nil {
		return Value{}, err
	}
	c1, ok1 := compareValues(v, lo)
	c2, ok2 := compareValues(v, hi)
	if !ok1 || !ok2 {
		return nullValue(), nil
	}
	return boolValue((c1 >= 0 && c2 <= 0) != e.negate), nil
}

type inList struct {
	e      expr
	items  []expr
	negate bool
}

func (e inList) eval(r *row) (Value, error) {
	v, err := e.e.eval(r)
	if err != nil {
		return Value{}, err
	}
	unknown := false
	for _, it := range e.items {
		w, err := it.eval(r)
		if err != nil {
			return Value{}, err
		}
		c, ok := compareValues(v, w)
		if !ok {
			unknown = true
			continue
		}
		if c == 0 {
			return boolValue(!e.negate), nil
		}
	}
	if unknown {
		return nullValue(), nil
	}
	return boolValue(e.negate), nil
}

type caseWhen struct {
	operand expr // nil for the searched form
	whens   []expr
	thens   []expr
	orElse  expr // nil: NULL
}

func (e caseWhen) eval(r *row) (Value, error) {
	var op Value
	if e.operand != nil {
		var err error
		if op, err = e.operand.eval(r); err != nil {
			return Value{}, err
		}
	}
	for i, w := range e.whens {
		v, err := w.eval(r)
		if err != nil {
			return Value{}, err
		}
		var hit bool
		if e.operand != nil {
			c, ok := compareValues(op, v)
			hit = ok && c == 0
		} else {
			hit = v.truth() == 1
		}
		if hit {
			return e.thens[i].eval(r)
		}
	}
	if e.orElse == nil {
		return nullValue(), nil
	}
	return e.orElse.eval(r)
}

// call is a scalar function over evaluated arguments.
type call struct {
	fn   func(args []Value) (Value, error)
	args []expr
}

func (e call) eval(r *row) (Value, error) {
	vs := make([]Value, len(e.args))
	for i, a := range e.args {
		v, err := a.eval(r)
		if err != nil {
			return Value{}, err
		}
		vs[i] = v
	}
	return e.fn(vs)
}

type like struct {
	e, pattern, escape expr      // escape may be nil
	pre                []likeTok // the pattern, compiled once when it and escape are literals
}

// likeTok is one pattern character; any is % or _ when not escaped.
type likeTok struct {
	r       rune
	literal bool
}

func (e like) eval(r *row) (Value, error) {
	v, err := e.e.eval(r)
	if err != nil {
		return Value{}, err
	}
	if e.pre != nil {
		if v.isNull() {
			return nullValue(), nil
		}
		return boolValue(likeMatch(v.format(), e.pre)), nil
	}
	p, err := e.pattern.eval(r)
	if err != nil {
		return Value{}, err
	}
	esc := Value{k: kString}
	if e.escape != nil {
		if esc, err = e.escape.eval(r); err != nil {
			return Value{}, err
		}
	}
	if v.isNull() || p.isNull() || esc.isNull() {
		return nullValue(), nil
	}
	toks, err := compileLike(p.format(), esc.format())
	if err != nil {
		return Value{}, err
	}
	return boolValue(likeMatch(v.format(), toks)), nil
}

// compileLike splits a LIKE pattern into tokens: % any run, _ one
// character, esc makes the next pattern character literal.
func compileLike(pattern, esc string) ([]likeTok, error) {
	escR := []rune(esc)
	if len(escR) > 1 {
		return nil, errors.New("LIKE ESCAPE needs a single character")
	}
	pr := []rune(pattern)
	toks := make([]likeTok, 0, len(pr)+1)
	for i := 0; i < len(pr); i++ {
		if len(escR) == 1 && pr[i] == escR[0] && i+1 < len(pr) {
			i++
			toks = append(toks, likeTok{pr[i], true})
			continue
		}
		toks = append(toks, likeTok{pr[i], pr[i] != '%' && pr[i] != '_'})
	}
	return toks, nil
}

// likeMatch matches s against compiled tokens, backtracking to the last %.
func likeMatch(s string, pt []likeTok) bool {
	si, pi, star, mark := 0, 0, -1, 0
	for si < len(s) {
		c, size := utf8.DecodeRuneInString(s[si:])
		switch {
		case pi < len(pt) && !pt[pi].literal && pt[pi].r == '%':
			star, mark = pi, si
			pi++
		case pi < len(pt) && (pt[pi].literal && pt[pi].r == c || !pt[pi].literal && pt[pi].r == '_'):
			si += size
			pi++
		case star >= 0:
			pi = star + 1
			_, msize := utf8.DecodeRuneInString(s[mark:])
			mark += msize
			si = mark
		default:
			return false
		}
	}
	for pi < len(pt) && !pt[pi].literal && pt[pi].r == '%' {
		pi++
	}
	return pi == len(pt)
}

type utcNow struct{}

func (utcNow) eval(r *row) (Value, error) { return tsValue(r.now), nil }

package glacierselect

import (
	"strconv"
	"strings"
)

// compiler checks a parsed statement against Glacier Select's rules and
// turns it into expr trees. Header names are collected into names; a Run
// binds them to column indexes once it has read the header.
type compiler struct {
	qualifier string // the alias, or the table name when there is none
	names     []nameRef
	slots     map[nameRef]int
	firstName string // for error messages
	ordinals  bool
}

// nameRef is a header name as written: unquoted names match case-insensitively,
// double-quoted ones exactly.
type nameRef struct {
	name   string
	quoted bool
}

// maxColumns is Glacier Select's column limit.
const maxColumns = 1048576

func sqlErr(format string, args ...any) *InvalidError {
	return invalidf("Invalid SQL expression: "+format, args...)
}

// compileStatement checks st and compiles its SELECT list and WHERE clause.
func compileStatement(st *statement) (*program, error) {
	table := strings.ToUpper(st.Table)
	if table != "ARCHIVE" && table != "OBJECT" {
		return nil, sqlErr("unknown table %s: Glacier Select queries FROM ARCHIVE or FROM OBJECT", st.Table)
	}
	if st.Limit != nil {
		return nil, sqlErr("Glacier Select does not support the LIMIT clause")
	}
	c := &compiler{qualifier: table, slots: map[nameRef]int{}}
	if st.Alias != nil {
		if isReserved(*st.Alias) {
			return nil, sqlErr("%s is a reserved keyword and cannot be an alias", *st.Alias)
		}
		c.qualifier = strings.ToUpper(*st.Alias)
	}
	p := &program{star: st.Star}
	for _, it := range st.Items {
		if it.Alias != nil && isReserved(*it.Alias) {
			return nil, sqlErr("%s is a reserved keyword: double-quote it to use it as an alias", *it.Alias)
		}
		e, err := c.or(it.Expr)
		if err != nil {
			return nil, err
		}
		p.proj = append(p.proj, e)
	}
	if st.Where != nil {
		e, err := c.or(st.Where)
		if err != nil {
			return nil, err
		}
		p.where = e
	}
	p.names, p.ordinals = c.names, c.ordinals
	return p, nil
}

func (c *compiler) or(o *orExpr) (expr, error) {
	e, err := c.and(o.Left)
	for _, r := range o.Right {
		if err != nil {
			break
		}
		var re expr
		re, err = c.and(r)
		e = logic{and: false, l: e, r: re}
	}
	return e, err
}

func (c *compiler) and(a *andExpr) (expr, error) {
	e, err := c.not(a.Left)
	for _, r := range a.Right {
		if err != nil {
			break
		}
		var re expr
		re, err = c.not(r)
		e = logic{and: true, l: e, r: re}
	}
	return e, err
}

func (c *compiler) not(n *notExpr) (expr, error) {
	if n.Not != nil {
		e, err := c.not(n.Not)
		return not{e}, err
	}
	return c.predicate(n.Pred)
}

func (c *compiler) predicate(p *predicate) (expr, error) {
	left, err := c.additive(p.Left)
	if err != nil || p.Tail == nil {
		return left, err
	}
	t := p.Tail
	switch {
	case t.Compare != nil:
		r, err := c.additive(t.Compare.Right)
		return comparison{op: t.Compare.Op, l: left, r: r}, err
	case t.Is != nil:
		return isNull{e: left, negate: t.Is.Not, missingOnly: strings.EqualFold(t.Is.What, "MISSING")}, nil
	case t.Like != nil:
		return c.like(left, t.Like, t.Neg)
	case t.Between != nil:
		lo, err := c.additive(t.Between.Low)
		if err != nil {
			return nil, err
		}
		hi, err := c.additive(t.Between.High)
		return between{e: left, lo: lo, hi: hi, negate: t.Neg}, err
	}
	in := inList{e: left, negate: t.Neg}
	for _, it := range t.In.Items {
		e, err := c.or(it)
		if err != nil {
			return nil, err
		}
		in.items = append(in.items, e)
	}
	return in, nil
}

func (c *compiler) like(left expr, l *likeTail, neg bool) (expr, error) {
	pat, err := c.additive(l.Pattern)
	if err != nil {
		return nil, err
	}
	lk := like{e: left, pattern: pat}
	if l.Escape != nil {
		if lk.escape, err = c.additive(l.Escape); err != nil {
			return nil, err
		}
	}
	if lk.pre, err = precompileLike(lk); err != nil {
		return nil, err
	}
	var e expr = lk
	if neg {
		e = not{e}
	}
	return e, nil
}

// precompileLike compiles a LIKE whose pattern and escape are non-NULL
// literals; nil otherwise.
func precompileLike(lk like) ([]likeTok, error) {
	p, ok := lk.pattern.(literal)
	if !ok || p.v.isNull() {
		return nil, nil
	}
	esc := ""
	if lk.escape != nil {
		e, ok := lk.escape.(literal)
		if !ok || e.v.isNull() {
			return nil, nil
		}
		esc = e.v.format()
	}
	toks, err := compileLike(p.v.format(), esc)
	if err != nil {
		return nil, sqlErr("%v", err)
	}
	return toks, nil
}

func (c *compiler) additive(a *additive) (expr, error) {
	e, err := c.multiplicative(a.Left)
	for _, r := range a.Right {
		if err != nil {
			break
		}
		var re expr
		re, err = c.multiplicative(r.Right)
		if r.Op == "||" {
			e = concat{e, re}
		} else {
			e = arith{op: r.Op[0], l: e, r: re}
		}
	}
	return e, err
}

func (c *compiler) multiplicative(m *multiplicative) (expr, error) {
	e, err := c.unary(m.Left)
	for _, r := range m.Right {
		if err != nil {
			break
		}
		var re expr
		re, err = c.unary(r.Right)
		e = arith{op: r.Op[0], l: e, r: re}
	}
	return e, err
}

func (c *compiler) unary(u *unary) (expr, error) {
	switch {
	case u.Neg != nil:
		e, err := c.unary(u.Neg)
		return negate{e}, err
	case u.Plus != nil:
		return c.unary(u.Plus)
	}
	return c.primary(u.Primary)
}

func (c *compiler) primary(p *primary) (expr, error) {
	switch {
	case p.Number != nil:
		v, err := parseNumberLiteral(*p.Number)
		return literal{v}, err
	case p.String != nil:
		return literal{strValue(unquote(*p.String, '\''))}, nil
	case p.Timestamp != nil:
		s := strings.Trim(*p.Timestamp, "`")
		t, err := parseTimestamp(s)
		if err != nil {
			return nil, sqlErr("invalid timestamp literal `%s`", s)
		}
		return literal{tsValue(t)}, nil
	case p.Bool != nil:
		return literal{boolValue(strings.EqualFold(*p.Bool, "TRUE"))}, nil
	case p.Null:
		return literal{nullValue()}, nil
	case p.Column != nil:
		return c.column(p.Column)
	case p.Paren != nil:
		return c.or(p.Paren)
	}
	return c.special(p)
}

func (c *compiler) column(r *columnRef) (expr, error) {
	id := r.First
	if r.Second != nil {
		q := id.text()
		if id.Plain != nil {
			q = strings.ToUpper(q)
		}
		if q != c.qualifier {
			return nil, sqlErr("unknown qualifier %s in %s.%s", id.text(), id.text(), r.Second.text())
		}
		id = *r.Second
	}
	if id.Plain != nil && isOrdinal(*id.Plain) {
		n, err := strconv.Atoi((*id.Plain)[1:])
		if err != nil || n > maxColumns {
			return nil, sqlErr("column %s is past Glacier Select's %d columns", *id.Plain, maxColumns)
		}
		c.ordinals = true
		return column{ordinal: n - 1}, nil
	}
	if id.Plain != nil && isReserved(*id.Plain) {
		return nil, sqlErr("%s is a reserved keyword: double-quote it (\"%s\") to use it as a column name", *id.Plain, *id.Plain)
	}
	ref := nameRef{name: id.text(), quoted: id.Quoted != nil}
	if c.firstName == "" {
		c.firstName = ref.name
	}
	slot, ok := c.slots[ref]
	if !ok {
		slot = len(c.names)
		c.slots[ref] = slot
		c.names = append(c.names, ref)
	}
	return column{ordinal: -1, slot: slot}, nil
}

func (id ident) text() string {
	if id.Quoted != nil {
		return unquote(*id.Quoted, '"')
	}
	return *id.Plain
}

// unquote strips s's quotes q and undoubles the inner ones.
func unquote(s string, q byte) string {
	s = s[1 : len(s)-1]
	return strings.ReplaceAll(s, string([]byte{q, q}), string(q))
}

package glacierselect

import (
	"strings"
)

// special compiles the primaries with their own syntax (CAST, CASE,
// SUBSTRING, TRIM, EXTRACT) and function calls.
func (c *compiler) special(p *primary) (expr, error) {
	switch {
	case p.Cast != nil:
		to, ok := castKind(strings.ToUpper(p.Cast.Type))
		if !ok {
			return nil, sqlErr("unknown type %s in CAST", p.Cast.Type)
		}
		e, err := c.or(p.Cast.Expr)
		return call{fn: func(a []Value) (Value, error) { return castTo(a[0], to) }, args: []expr{e}}, err
	case p.Case != nil:
		return c.caseExpr(p.Case)
	case p.Substring != nil:
		args, err := c.list(p.Substring.Str, p.Substring.Start, p.Substring.Length)
		return call{fn: substring, args: args}, err
	case p.Trim != nil:
		return c.trim(p.Trim)
	case p.Extract != nil:
		part := strings.ToUpper(p.Extract.Part)
		if !validDatePart(part, true) {
			return nil, sqlErr("unknown date part %s in EXTRACT", p.Extract.Part)
		}
		args, err := c.list(p.Extract.From)
		return call{fn: dateFunc("EXTRACT", part), args: args}, err
	}
	return c.call(p.Call)
}

// list compiles the non-nil expressions of os, in order.
func (c *compiler) list(os ...*orExpr) ([]expr, error) {
	var out []expr
	for _, o := range os {
		if o == nil {
			continue
		}
		e, err := c.or(o)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (c *compiler) caseExpr(k *caseExpr) (expr, error) {
	var out caseWhen
	var err error
	if k.Operand != nil {
		if out.operand, err = c.or(k.Operand); err != nil {
			return nil, err
		}
	}
	for _, w := range k.Whens {
		args, err := c.list(w.When, w.Then)
		if err != nil {
			return nil, err
		}
		out.whens = append(out.whens, args[0])
		out.thens = append(out.thens, args[1])
	}
	if k.Else != nil {
		if out.orElse, err = c.or(k.Else); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (c *compiler) trim(t *trimExpr) (expr, error) {
	str, err := c.or(t.Str)
	if err != nil {
		return nil, err
	}
	var chars expr = literal{strValue(" ")}
	if t.Chars != nil {
		if chars, err = c.or(t.Chars); err != nil {
			return nil, err
		}
	}
	where := strings.ToUpper(t.Where)
	return call{fn: trimFunc(where), args: []expr{str, chars}}, nil
}

func (c *compiler) call(k *callExpr) (expr, error) {
	name := strings.ToUpper(k.Name)
	if isAggregate(name) {
		return nil, sqlErr("Glacier Select does not support aggregate functions (%s)", name)
	}
	if k.Star {
		return nil, sqlErr("%s(*) is not a function call Glacier Select knows", name)
	}
	switch name {
	case "UTCNOW":
		if len(k.Args) != 0 {
			return nil, sqlErr("UTCNOW takes no arguments")
		}
		return utcNow{}, nil
	case "DATE_ADD", "DATE_DIFF":
		return c.dateCall(name, k.Args)
	}
	f, ok := lookupFunc(name)
	if !ok {
		return nil, sqlErr("unknown function %s", k.Name)
	}
	if len(k.Args) < f.min || f.max >= 0 && len(k.Args) > f.max {
		return nil, sqlErr("wrong number of arguments to %s: %d", name, len(k.Args))
	}
	args, err := c.list(k.Args...)
	return call{fn: f.call, args: args}, err
}

// dateCall compiles DATE_ADD(part, n, ts) and DATE_DIFF(part, ts1, ts2),
// whose first argument is a bare date-part keyword.
func (c *compiler) dateCall(name string, in []*orExpr) (expr, error) {
	if len(in) != 3 {
		return nil, sqlErr("wrong number of arguments to %s: %d", name, len(in))
	}
	part, ok := bareIdent(in[0])
	if !ok || !validDatePart(strings.ToUpper(part), false) {
		return nil, sqlErr("%s needs a date part (year, month, day, hour, minute, second) first", name)
	}
	args, err := c.list(in[1:]...)
	return call{fn: dateFunc(name, strings.ToUpper(part)), args: args}, err
}

// bareIdent returns the unquoted, unqualified identifier that o consists of.
func bareIdent(o *orExpr) (string, bool) {
	if len(o.Right) > 0 || len(o.Left.Right) > 0 || o.Left.Left.Pred == nil {
		return "", false
	}
	p := o.Left.Left.Pred
	if p.Tail != nil || len(p.Left.Right) > 0 || len(p.Left.Left.Right) > 0 {
		return "", false
	}
	u := p.Left.Left.Left
	if u.Primary == nil || u.Primary.Column == nil {
		return "", false
	}
	col := u.Primary.Column
	if col.Second != nil || col.First.Plain == nil {
		return "", false
	}
	return *col.First.Plain, true
}

// isOrdinal reports whether an unquoted identifier is a column position _N.
func isOrdinal(s string) bool {
	if len(s) < 2 || s[0] != '_' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

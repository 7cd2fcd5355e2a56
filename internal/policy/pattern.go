package policy

import (
	"strings"
	"unicode"
)

// Wildcards in a compiled glob. Literal characters are Unicode code points
// (never negative), so negative values are free to mark wildcards.
const (
	wildStar rune = -1 // '*': any run of characters, including none
	wildOne  rune = -2 // '?': exactly one character
)

// globMatch reports whether s matches the compiled glob p. With fold,
// literal characters compare under Unicode simple case folding, as
// strings.EqualFold does. It runs in O(len(p)·len(s)) time at worst and
// does not recurse.
func globMatch(p []rune, s string, fold bool) bool {
	r := []rune(s)
	pi, si := 0, 0
	star, mark := -1, 0 // last '*' seen in p, and the position in r it was tried at
	for si < len(r) {
		if pi < len(p) {
			switch c := p[pi]; {
			case c == wildStar:
				star, mark = pi, si
				pi++
				continue
			case c == wildOne || runeEq(c, r[si], fold):
				pi++
				si++
				continue
			}
		}
		if star < 0 {
			return false
		}
		// Let the last '*' swallow one more character and retry.
		mark++
		pi, si = star+1, mark
	}
	for pi < len(p) && p[pi] == wildStar {
		pi++
	}
	return pi == len(p)
}

// runeEq compares two characters, under simple case folding if fold.
func runeEq(a, b rune, fold bool) bool {
	if a == b {
		return true
	}
	if !fold {
		return false
	}
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
		}
	}
	return false
}

// compileGlob turns s into a glob, '*' and '?' being wildcards.
func compileGlob(s string) []rune {
	p := []rune(s)
	for i, c := range p {
		switch c {
		case '*':
			p[i] = wildStar
		case '?':
			p[i] = wildOne
		}
	}
	return p
}

// ActionMatches reports whether action (for example "glacier:DeleteArchive")
// matches pattern (for example "glacier:Delete*") the way IAM matches the
// Action element: case-insensitively, '*' matching any run of characters and
// '?' any single character, over the whole string.
func ActionMatches(pattern, action string) bool {
	return globMatch(compileGlob(pattern), action, true)
}

// ResourceMatches reports whether resource matches pattern the way IAM
// matches the Resource element: case-sensitively, with '*' and '?' as
// wildcards, over the whole string. Policy variables are not expanded.
func ResourceMatches(pattern, resource string) bool {
	return globMatch(compileGlob(pattern), resource, false)
}

// segKind is the kind of one piece of a template.
type segKind uint8

const (
	segLit  segKind = iota // literal text
	segStar                // '*' wildcard
	segOne                 // '?' wildcard
	segVar                 // policy variable ${key} or ${key, 'default'}
)

// segment is one piece of a template.
type segment struct {
	kind   segKind
	text   string // segLit: the text; segVar: the condition key
	def    string // segVar: the default value
	hasDef bool   // segVar: whether a default was given
}

// template is a policy string that may hold wildcards (Resource, StringLike
// values) and, in a 2012-10-17 document, policy variables. A template
// without variables is compiled once at parse time.
type template struct {
	segs    []segment
	hasVars bool
	lit     string // !hasVars: the text, wildcards kept as written
	glob    []rune // !hasVars: the compiled glob
}

// parseTemplate parses s. With vars, "${...}" is a policy variable (or one
// of the escapes ${*}, ${?}, ${$}); with wild, '*' and '?' are wildcards.
// what names the element for error messages.
func parseTemplate(what, s string, vars, wild bool) (template, error) {
	var t template
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t.segs = append(t.segs, segment{kind: segLit, text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case vars && strings.HasPrefix(s[i:], "${"):
			seg, n, ok := parseVariable(s[i:])
			if !ok {
				return template{}, errorf("%s has a malformed policy variable in %q (want ${key} or ${key, 'default'})", what, s)
			}
			if seg.kind == segLit {
				lit.WriteString(seg.text)
			} else {
				flush()
				t.segs = append(t.segs, seg)
				t.hasVars = true
			}
			i += n
		case wild && c == '*':
			flush()
			t.segs = append(t.segs, segment{kind: segStar})
			i++
		case wild && c == '?':
			flush()
			t.segs = append(t.segs, segment{kind: segOne})
			i++
		default:
			lit.WriteByte(c)
			i++
		}
	}
	flush()
	if !t.hasVars {
		t.lit, _ = t.buildText(nil)
		t.glob, _ = t.buildPattern(nil)
	}
	return t, nil
}

// parseVariable parses the policy variable at the start of s, which begins
// with "${", and returns it with its length. The escapes ${*}, ${?} and
// ${$} come back as literal segments. Inside a default, two single quotes
// stand for one. Spaces around the key and the default are ignored.
func parseVariable(s string) (segment, int, bool) {
	for _, esc := range []string{"*", "?", "$"} {
		if strings.HasPrefix(s[2:], esc+"}") {
			return segment{kind: segLit, text: esc}, 4, true
		}
	}
	i := 2
	skip := func() {
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	skip()
	start := i
	for i < len(s) && !strings.ContainsRune(" \t\r\n,}'${", rune(s[i])) {
		i++
	}
	seg := segment{kind: segVar, text: s[start:i]}
	if seg.text == "" {
		return segment{}, 0, false
	}
	skip()
	if i < len(s) && s[i] == ',' {
		i++
		skip()
		if i >= len(s) || s[i] != '\'' {
			return segment{}, 0, false
		}
		i++
		var def strings.Builder
		for {
			if i >= len(s) {
				return segment{}, 0, false
			}
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					def.WriteByte('\'')
					i += 2
					continue
				}
				i++
				break
			}
			def.WriteByte(s[i])
			i++
		}
		seg.def, seg.hasDef = def.String(), true
		skip()
	}
	if i >= len(s) || s[i] != '}' {
		return segment{}, 0, false
	}
	return seg, i + 1, true
}

// resolve returns the value of variable seg, or false when its key is
// absent (or multivalued) and it has no default.
func (seg *segment) resolve(e *evalCtx) (string, bool) {
	if v, ok := e.single(seg.text); ok {
		return v, true
	}
	return seg.def, seg.hasDef
}

// text returns the template as plain text with variables substituted and
// wildcards kept as written, or false if a variable does not resolve.
func (t *template) text(e *evalCtx) (string, bool) {
	if !t.hasVars {
		return t.lit, true
	}
	return t.buildText(e)
}

// buildText does the work of text; e may be nil when t has no variables.
func (t *template) buildText(e *evalCtx) (string, bool) {
	var b strings.Builder
	for i := range t.segs {
		seg := &t.segs[i]
		switch seg.kind {
		case segLit:
			b.WriteString(seg.text)
		case segStar:
			b.WriteByte('*')
		case segOne:
			b.WriteByte('?')
		case segVar:
			v, ok := seg.resolve(e)
			if !ok {
				return "", false
			}
			b.WriteString(v)
		}
	}
	return b.String(), true
}

// pattern returns the template compiled to a glob with variables
// substituted (their values are literal text, never wildcards), or false if
// a variable does not resolve.
func (t *template) pattern(e *evalCtx) ([]rune, bool) {
	if !t.hasVars {
		return t.glob, true
	}
	return t.buildPattern(e)
}

// buildPattern does the work of pattern; e may be nil when t has no
// variables.
func (t *template) buildPattern(e *evalCtx) ([]rune, bool) {
	var p []rune
	for i := range t.segs {
		seg := &t.segs[i]
		switch seg.kind {
		case segLit:
			p = append(p, []rune(seg.text)...)
		case segStar:
			p = append(p, wildStar)
		case segOne:
			p = append(p, wildOne)
		case segVar:
			v, ok := seg.resolve(e)
			if !ok {
				return nil, false
			}
			p = append(p, []rune(v)...)
		}
	}
	return p, true
}

// matches reports whether s matches the template as a glob; a template
// whose variables do not resolve matches nothing.
func (t *template) matches(e *evalCtx, s string, fold bool) bool {
	p, ok := t.pattern(e)
	return ok && globMatch(p, s, fold)
}

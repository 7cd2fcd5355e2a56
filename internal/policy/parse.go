package policy

import (
	"fmt"
	"strconv"
	"strings"
)

// Policy language versions.
const (
	version2012 = "2012-10-17" // policy variables are expanded
	version2008 = "2008-10-17" // "${" is plain text
)

// statement is one parsed element of Statement.
type statement struct {
	sid          string
	effect       Decision // Allow or Deny
	principals   principalSet
	notPrincipal bool
	actionElem   string // "Action" or "NotAction", for error messages
	actions      []action
	notAction    bool
	resources    []template
	notResource  bool
	conds        []condition
}

// action is one entry of Action or NotAction.
type action struct {
	path string // where it is in the document
	raw  string // as written
	glob []rune
}

// Parse parses an IAM resource-based policy document in the subset Amazon
// Glacier vault access policies and vault lock policies use (see the
// package documentation). It is strict: unknown elements, values of the
// wrong JSON type, unknown condition operators, malformed ARNs, principals,
// numbers, dates and policy variables, duplicate JSON members and duplicate
// Sids are all rejected. Every error is a *ParseError. Parse does not limit
// the document's size; the caller does (AWS allows 20 KB).
func Parse(doc string) (*Policy, error) {
	root, err := decodeJSON(doc)
	if err != nil {
		return nil, err
	}
	if root.kind != jObject {
		return nil, errorf("policy document must be a JSON object, not %s", root.typeName())
	}
	p := &Policy{}
	var stmts *jvalue
	for i := range root.obj {
		m := &root.obj[i]
		switch m.key {
		case "Version":
			if m.val.kind != jString || (m.val.str != version2012 && m.val.str != version2008) {
				return nil, errorf(`Version must be %q or %q`, version2012, version2008)
			}
			p.version = m.val.str
		case "Id":
			if m.val.kind != jString {
				return nil, errorf("Id must be a string, not %s", m.val.typeName())
			}
		case "Statement":
			stmts = &m.val
		default:
			return nil, errorf("policy document has unknown element %q (want Version, Id and Statement)", m.key)
		}
	}
	vars := p.version == version2012
	switch {
	case stmts == nil:
		return nil, errorf("Statement is required")
	case stmts.kind == jObject:
		st, err := parseStatement("Statement", *stmts, vars)
		if err != nil {
			return nil, err
		}
		p.statements = []statement{st}
	case stmts.kind == jArray:
		if len(stmts.arr) == 0 {
			return nil, errorf("Statement must not be empty")
		}
		sids := make(map[string]int)
		for i, sv := range stmts.arr {
			path := "Statement[" + strconv.Itoa(i) + "]"
			st, err := parseStatement(path, sv, vars)
			if err != nil {
				return nil, err
			}
			if st.sid != "" {
				if j, dup := sids[st.sid]; dup {
					return nil, errorf("%s.Sid %q repeats Statement[%d].Sid; Sids must be unique", path, st.sid, j)
				}
				sids[st.sid] = i
			}
			p.statements = append(p.statements, st)
		}
	default:
		return nil, errorf("Statement must be an object or a list of objects, not %s", stmts.typeName())
	}
	return p, nil
}

// parseStatement parses the statement v found at path.
func parseStatement(path string, v jvalue, vars bool) (statement, error) {
	var st statement
	if v.kind != jObject {
		return st, errorf("%s must be an object, not %s", path, v.typeName())
	}
	have := make(map[string]bool)
	for _, m := range v.obj {
		fpath := path + "." + m.key
		var err error
		switch m.key {
		case "Sid":
			if m.val.kind != jString {
				return st, errorf("%s must be a string, not %s", fpath, m.val.typeName())
			}
			st.sid = m.val.str
		case "Effect":
			switch {
			case m.val.kind == jString && m.val.str == "Allow":
				st.effect = Allow
			case m.val.kind == jString && m.val.str == "Deny":
				st.effect = Deny
			default:
				return st, errorf("%s must be Allow or Deny", fpath)
			}
		case "Principal", "NotPrincipal":
			st.principals, err = parsePrincipal(fpath, m.val)
			st.notPrincipal = m.key == "NotPrincipal"
		case "Action", "NotAction":
			st.actions, err = parseActions(fpath, m.val)
			st.notAction = m.key == "NotAction"
			st.actionElem = m.key
		case "Resource", "NotResource":
			st.resources, err = parseResources(fpath, m.val, vars)
			st.notResource = m.key == "NotResource"
		case "Condition":
			st.conds, err = parseConditions(fpath, m.val, vars)
		default:
			return st, errorf("%s has unknown element %q (want Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource or Condition)", path, m.key)
		}
		if err != nil {
			return st, err
		}
		have[m.key] = true
	}
	if !have["Effect"] {
		return st, errorf("%s.Effect is required (Allow or Deny)", path)
	}
	for _, pair := range [][2]string{{"Principal", "NotPrincipal"}, {"Action", "NotAction"}, {"Resource", "NotResource"}} {
		switch {
		case have[pair[0]] && have[pair[1]]:
			return st, errorf("%s must not have both %s and %s", path, pair[0], pair[1])
		case !have[pair[0]] && !have[pair[1]]:
			return st, errorf("%s must have %s or %s", path, pair[0], pair[1])
		}
	}
	return st, nil
}

// stringList reads an element that is a string or a non-empty list of
// strings.
func stringList(path string, v jvalue) ([]string, error) {
	switch v.kind {
	case jString:
		return []string{v.str}, nil
	case jArray:
		if len(v.arr) == 0 {
			return nil, errorf("%s must not be an empty list", path)
		}
		out := make([]string, len(v.arr))
		for i, e := range v.arr {
			if e.kind != jString {
				return nil, errorf("%s[%d] must be a string, not %s", path, i, e.typeName())
			}
			out[i] = e.str
		}
		return out, nil
	}
	return nil, errorf("%s must be a string or a list of strings, not %s", path, v.typeName())
}

// elemPath names element i of the value v found at path: path[i] when v
// is a list, path itself when v is a single string.
func elemPath(path string, v jvalue, i int) string {
	if v.kind == jArray {
		return fmt.Sprintf("%s[%d]", path, i)
	}
	return path
}

// parseActions parses Action or NotAction: "*" or "service:Name" entries,
// Name possibly holding '*' and '?'. Matching is case-insensitive.
func parseActions(path string, v jvalue) ([]action, error) {
	vals, err := stringList(path, v)
	if err != nil {
		return nil, err
	}
	out := make([]action, len(vals))
	for i, a := range vals {
		apath := elemPath(path, v, i)
		if !validAction(a) {
			return nil, errorf(`%s %q is not a valid action (want "*" or "service:ActionName", for example "glacier:DeleteArchive")`, apath, a)
		}
		out[i] = action{path: apath, raw: a, glob: compileGlob(a)}
	}
	return out, nil
}

// validAction reports whether a is "*" or service:name with a service of
// letters, digits and '-' and a name of letters, digits and wildcards.
func validAction(a string) bool {
	if a == "*" {
		return true
	}
	svc, name, ok := strings.Cut(a, ":")
	return ok && svc != "" && name != "" &&
		onlyChars(svc, "-") && onlyChars(name, "*?")
}

// onlyChars reports whether s holds only ASCII letters, digits and bytes
// from extra.
func onlyChars(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') &&
			strings.IndexByte(extra, c) < 0 {
			return false
		}
	}
	return true
}

// parseResources parses Resource or NotResource: "*" or ARNs with
// wildcards and, in a 2012-10-17 document, policy variables. Matching is
// case-sensitive.
func parseResources(path string, v jvalue, vars bool) ([]template, error) {
	vals, err := stringList(path, v)
	if err != nil {
		return nil, err
	}
	out := make([]template, len(vals))
	for i, r := range vals {
		rpath := elemPath(path, v, i)
		if parts := strings.SplitN(r, ":", 6); r != "*" && (len(parts) != 6 || parts[0] != "arn") {
			return nil, errorf(`%s %q is not "*" or an ARN such as arn:aws:glacier:us-east-1:111122223333:vaults/photos`, rpath, r)
		}
		out[i], err = parseTemplate(rpath, r, vars, true)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// applies reports whether the statement applies to the request in e.
func (st *statement) applies(e *evalCtx) bool {
	if st.principals.matches(e.r.Principal) == st.notPrincipal {
		return false
	}
	if st.matchesAction(e.r.Action) == st.notAction {
		return false
	}
	if st.matchesResource(e) == st.notResource {
		return false
	}
	for i := range st.conds {
		if !st.conds[i].holds(e) {
			return false
		}
	}
	return true
}

// matchesAction reports whether any Action/NotAction entry matches a.
func (st *statement) matchesAction(a string) bool {
	for i := range st.actions {
		if globMatch(st.actions[i].glob, a, true) {
			return true
		}
	}
	return false
}

// matchesResource reports whether any Resource/NotResource entry matches
// the request's resource. An entry whose policy variables do not resolve
// matches nothing (IAM: the element does not match).
func (st *statement) matchesResource(e *evalCtx) bool {
	for i := range st.resources {
		if st.resources[i].matches(e, e.r.Resource, false) {
			return true
		}
	}
	return false
}

// name returns the statement's Sid, or Statement[i] when it has none.
func (st *statement) name(i int) string {
	if st.sid != "" {
		return st.sid
	}
	return "Statement[" + strconv.Itoa(i) + "]"
}

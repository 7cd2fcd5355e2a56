package policy

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseError is the only error type Parse, ParseGlacierPolicy and
// ValidateGlacierPolicy return. Msg names the offending element by its path
// in the document, statements numbered from 0 (for example
// "Statement[1].Effect must be Allow or Deny"), and never quotes more of the
// document than the offending value.
type ParseError struct {
	// Msg is a human-readable description of the problem, suitable for an
	// InvalidParameterValueException message.
	Msg string
}

// Error returns Msg.
func (e *ParseError) Error() string { return e.Msg }

// errorf returns a *ParseError with a formatted message.
func errorf(format string, args ...any) *ParseError {
	return &ParseError{Msg: fmt.Sprintf(format, args...)}
}

// Decision is the outcome of evaluating a policy against a request. The zero
// value is NoMatch.
type Decision int

const (
	// NoMatch means no statement applies to the request: the policy neither
	// allows nor denies it (an implicit deny, unless something else allows).
	NoMatch Decision = iota
	// Allow means at least one Allow statement applies and no Deny does.
	Allow
	// Deny means at least one Deny statement applies (an explicit deny,
	// which nothing can override).
	Deny
)

// String returns "NoMatch", "Allow" or "Deny", or "Decision(n)" for any
// other value.
func (d Decision) String() string {
	switch d {
	case NoMatch:
		return "NoMatch"
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return "Decision(" + strconv.Itoa(int(d)) + ")"
}

// Principal identifies who makes a request. The zero value is the anonymous
// principal, which only a "*" principal in a policy matches.
type Principal struct {
	// Account is the caller's 12-digit AWS account ID.
	Account string
	// User is the IAM user name; "" means the account's root user. IAM user
	// paths are not modelled: a policy's user ARN matches when everything
	// after "user/" equals User exactly.
	User string
}

// ARN returns the principal's IAM ARN, arn:aws:iam::ACCOUNT:root or
// arn:aws:iam::ACCOUNT:user/USER, or "" for the anonymous principal.
func (p Principal) ARN() string {
	switch {
	case p.Account == "":
		return ""
	case p.User == "":
		return "arn:aws:iam::" + p.Account + ":root"
	default:
		return "arn:aws:iam::" + p.Account + ":user/" + p.User
	}
}

// Request is what a policy is evaluated against.
type Request struct {
	// Principal is who asks.
	Principal Principal
	// Action is the IAM action, for example "glacier:DeleteArchive".
	// It is matched case-insensitively.
	Action string
	// Resource is the ARN acted on, for example
	// "arn:aws:glacier:us-east-1:111122223333:vaults/photos". It is
	// matched case-sensitively.
	Resource string
	// Context maps condition keys to their values in this request, for
	// example "glacier:ArchiveAgeInDays" -> {"12"} or "aws:CurrentTime" ->
	// {"2026-11-25T10:00:00Z"}. Key lookup is case-insensitive (an exact
	// match wins; among keys differing only in case the smallest wins); a
	// key with no values counts as absent. When the map has no entry for them,
	// aws:PrincipalAccount, aws:PrincipalArn and (for a named user)
	// aws:username are derived from Principal. Nothing else is derived: in
	// particular the caller supplies aws:CurrentTime and
	// aws:SecureTransport. Evaluate never modifies the map.
	Context map[string][]string
}

// Policy is a parsed access policy. It is immutable after Parse and safe
// for concurrent use by multiple goroutines.
type Policy struct {
	version    string
	statements []statement
}

// Version returns the document's Version element as written ("2012-10-17",
// "2008-10-17"), or "" when the document has none, which is evaluated as
// "2008-10-17" (no policy variables).
func (p *Policy) Version() string {
	if p == nil {
		return ""
	}
	return p.version
}

// Evaluate decides r against the policy: Deny if any statement with Effect
// Deny applies, otherwise Allow if any statement with Effect Allow applies,
// otherwise NoMatch. A statement applies when its principal, action and
// resource elements all match and every condition holds. A nil *Policy
// returns NoMatch. Evaluate never panics and never modifies r.
func (p *Policy) Evaluate(r Request) Decision {
	d, _ := p.Explain(r)
	return d
}

// Explain is Evaluate that also names the deciding statement: its Sid, or
// "Statement[i]" (numbered from 0) when it has none. For Deny this is the
// first applying Deny statement, for Allow the first applying Allow
// statement; for NoMatch the name is "".
func (p *Policy) Explain(r Request) (Decision, string) {
	if p == nil {
		return NoMatch, ""
	}
	e := evalCtx{r: &r}
	allowed := -1
	for i := range p.statements {
		st := &p.statements[i]
		if st.effect == Allow && allowed >= 0 {
			continue // an earlier Allow already applies; only a Deny can change the outcome
		}
		if !st.applies(&e) {
			continue
		}
		if st.effect == Deny {
			return Deny, st.name(i)
		}
		allowed = i
	}
	if allowed >= 0 {
		return Allow, p.statements[allowed].name(allowed)
	}
	return NoMatch, ""
}

// evalCtx is the request being evaluated plus lookup helpers.
type evalCtx struct {
	r *Request
}

// values returns the request's values for condition key, looked up
// case-insensitively, and whether the key is present (has at least one
// value).
func (e *evalCtx) values(key string) ([]string, bool) {
	if vs, ok := e.r.Context[key]; ok {
		return vs, len(vs) > 0
	}
	// Keys differing only in case: take the smallest, so that the outcome
	// does not depend on map iteration order.
	found, best := false, ""
	for k := range e.r.Context {
		if strings.EqualFold(k, key) && (!found || k < best) {
			found, best = true, k
		}
	}
	if found {
		vs := e.r.Context[best]
		return vs, len(vs) > 0
	}
	p := e.r.Principal
	switch {
	case p.Account == "":
		return nil, false
	case strings.EqualFold(key, "aws:PrincipalAccount"):
		return []string{p.Account}, true
	case strings.EqualFold(key, "aws:PrincipalArn"):
		return []string{p.ARN()}, true
	case strings.EqualFold(key, "aws:username") && p.User != "":
		return []string{p.User}, true
	}
	return nil, false
}

// single returns the value of key for a policy variable: it resolves only
// when the key has exactly one value, since IAM does not substitute
// multivalued keys.
func (e *evalCtx) single(key string) (string, bool) {
	vs, ok := e.values(key)
	if !ok || len(vs) != 1 {
		return "", false
	}
	return vs[0], true
}

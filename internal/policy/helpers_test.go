package policy

import (
	"strings"
	"testing"
)

const (
	acct     = "111122223333"
	otherAcc = "444455556666"
	vault    = "arn:aws:glacier:us-east-1:111122223333:vaults/photos"
	vaultB   = "arn:aws:glacier:us-east-1:111122223333:vaults/backups"
	otherV   = "arn:aws:glacier:us-east-1:444455556666:vaults/photos"
)

var (
	root   = Principal{Account: acct}
	alice  = Principal{Account: acct, User: "alice"}
	bob    = Principal{Account: acct, User: "bob"}
	outsdr = Principal{Account: otherAcc, User: "mallory"}
	anon   = Principal{}
)

// doc wraps statements in a 2012-10-17 policy document.
func doc(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

// stmt builds a statement. principal, action and resource are whole JSON
// members such as `"Principal":"*"` or `"NotAction":["glacier:Describe*"]`;
// cond is the Condition object or "".
func stmt(sid, effect, principal, action, resource, cond string) string {
	s := `{"Sid":"` + sid + `","Effect":"` + effect + `",` + principal + `,` + action + `,` + resource
	if cond != "" {
		s += `,"Condition":` + cond
	}
	return s + "}"
}

// Common statement elements.
const (
	pAny      = `"Principal":"*"`
	aAll      = `"Action":"glacier:*"`
	aDelete   = `"Action":"glacier:DeleteArchive"`
	rVault    = `"Resource":"` + vault + `"`
	rAllVault = `"Resource":"arn:aws:glacier:us-east-1:111122223333:vaults/*"`
)

// req builds a request; kv alternates context keys and single values.
func req(p Principal, action, resource string, kv ...string) Request {
	r := Request{Principal: p, Action: action, Resource: resource}
	if len(kv) > 0 {
		r.Context = make(map[string][]string)
		for i := 0; i+1 < len(kv); i += 2 {
			r.Context[kv[i]] = append(r.Context[kv[i]], kv[i+1])
		}
	}
	return r
}

// mustParse parses doc or fails the test.
func mustParse(t testing.TB, doc string) *Policy {
	t.Helper()
	p, err := Parse(doc)
	if err != nil {
		t.Fatalf("Parse(%s): %v", doc, err)
	}
	return p
}

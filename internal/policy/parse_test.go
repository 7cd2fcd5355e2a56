package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseErrors(t *testing.T) {
	ok := stmt("s", "Allow", pAny, aAll, rVault, "")
	// withCond returns a one-statement policy with condition block c.
	withCond := func(c string) string { return doc(stmt("s", "Allow", pAny, aAll, rVault, c)) }
	tests := []struct {
		name string
		doc  string
		want string // the exact message
	}{
		{"empty", "", "policy document is empty"},
		{"blank", "  \n", "policy document is empty"},
		{"not JSON", "{Version:1}", "policy document is not valid JSON: invalid character 'V'"},
		{"truncated", `{"Statement":[`, "policy document is not valid JSON: unexpected EOF"},
		{"trailing data", doc(ok) + "{}", "policy document has data after the top-level JSON value"},
		{"array at top", "[]", "policy document must be a JSON object, not a list"},
		{"duplicate member", `{"Statement":[],"Statement":[]}`, `policy document has duplicate JSON member "Statement"`},
		{"too deep", strings.Repeat("[", 100) + strings.Repeat("]", 100), "policy document is nested too deeply"},
		{"unknown top-level", `{"Version":"2012-10-17","Statment":[]}`, `policy document has unknown element "Statment" (want Version, Id and Statement)`},
		{"bad version", `{"Version":"2012-10-18","Statement":[` + ok + `]}`, `Version must be "2012-10-17" or "2008-10-17"`},
		{"numeric version", `{"Version":2012,"Statement":[` + ok + `]}`, `Version must be "2012-10-17" or "2008-10-17"`},
		{"numeric Id", `{"Id":5,"Statement":[` + ok + `]}`, "Id must be a string, not a number"},
		{"no Statement", `{"Version":"2012-10-17"}`, "Statement is required"},
		{"empty Statement", `{"Statement":[]}`, "Statement must not be empty"},
		{"string Statement", `{"Statement":"x"}`, "Statement must be an object or a list of objects, not a string"},
		{"statement not object", `{"Statement":[` + ok + `,3]}`, "Statement[1] must be an object, not a number"},
		{"unknown statement element", doc(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Actions":"*"}`),
			`Statement[0] has unknown element "Actions" (want Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource or Condition)`},
		{"missing Effect", doc(`{"Principal":"*","Action":"*","Resource":"*"}`), "Statement[0].Effect is required (Allow or Deny)"},
		{"lower-case Effect", doc(ok, stmt("t", "allow", pAny, aAll, rVault, "")), "Statement[1].Effect must be Allow or Deny"},
		{"numeric Effect", doc(`{"Effect":1,"Principal":"*","Action":"*","Resource":"*"}`), "Statement[0].Effect must be Allow or Deny"},
		{"numeric Sid", doc(`{"Sid":1,"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}`), "Statement[0].Sid must be a string, not a number"},
		{"duplicate Sid", doc(ok, ok), `Statement[1].Sid "s" repeats Statement[0].Sid; Sids must be unique`},
		{"Action and NotAction", doc(`{"Effect":"Allow","Principal":"*","Action":"*","NotAction":"*","Resource":"*"}`), "Statement[0] must not have both Action and NotAction"},
		{"no Action", doc(`{"Effect":"Allow","Principal":"*","Resource":"*"}`), "Statement[0] must have Action or NotAction"},
		{"Resource and NotResource", doc(`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","NotResource":"*"}`), "Statement[0] must not have both Resource and NotResource"},
		{"no Resource", doc(`{"Effect":"Allow","Principal":"*","Action":"*"}`), "Statement[0] must have Resource or NotResource"},
		{"no Principal", doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`), "Statement[0] must have Principal or NotPrincipal"},
		{"Principal and NotPrincipal", doc(`{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"*","Resource":"*"}`), "Statement[0] must not have both Principal and NotPrincipal"},
		{"Principal bare account", doc(stmt("s", "Allow", `"Principal":"`+acct+`"`, aAll, rVault, "")),
			`Statement[0].Principal must be "*" or an object such as {"AWS": "123456789012"}, not the string "111122223333"`},
		{"Principal list", doc(stmt("s", "Allow", `"Principal":["*"]`, aAll, rVault, "")),
			`Statement[0].Principal must be "*" or an object such as {"AWS": "123456789012"}, not a list`},
		{"Principal empty object", doc(stmt("s", "Allow", `"Principal":{}`, aAll, rVault, "")), "Statement[0].Principal must name at least one principal"},
		{"Principal unknown type", doc(stmt("s", "Allow", `"Principal":{"User":"x"}`, aAll, rVault, "")),
			`Statement[0].Principal has unknown principal type "User" (want AWS, Service, Federated or CanonicalUser)`},
		{"Principal short account", doc(stmt("s", "Allow", `"Principal":{"AWS":["`+acct+`","12345"]}`, aAll, rVault, "")),
			`Statement[0].Principal.AWS[1] "12345" is not "*", a 12-digit account ID or an IAM ARN such as arn:aws:iam::123456789012:user/name`},
		{"Principal wildcard ARN", doc(stmt("s", "Allow", `"Principal":{"AWS":"arn:aws:iam::`+acct+`:user/*"}`, aAll, rVault, "")),
			`Statement[0].Principal.AWS "arn:aws:iam::111122223333:user/*": wildcards are not allowed in a principal except "*" on its own`},
		{"Principal empty user", doc(stmt("s", "Allow", `"Principal":{"AWS":"arn:aws:iam::`+acct+`:user/"}`, aAll, rVault, "")),
			`Statement[0].Principal.AWS "arn:aws:iam::111122223333:user/" has an empty user name`},
		{"Principal AWS number", doc(stmt("s", "Allow", `"Principal":{"AWS":111122223333}`, aAll, rVault, "")),
			"Statement[0].Principal.AWS must be a string or a list of strings, not a number"},
		{"Action empty list", doc(stmt("s", "Allow", pAny, `"Action":[]`, rVault, "")), "Statement[0].Action must not be an empty list"},
		{"Action number", doc(stmt("s", "Allow", pAny, `"Action":["glacier:ListVaults",7]`, rVault, "")), "Statement[0].Action[1] must be a string, not a number"},
		{"Action without service", doc(stmt("s", "Allow", pAny, `"Action":"DeleteArchive"`, rVault, "")),
			`Statement[0].Action "DeleteArchive" is not a valid action (want "*" or "service:ActionName", for example "glacier:DeleteArchive")`},
		{"Action bad character", doc(stmt("s", "Allow", pAny, `"NotAction":["glacier:Delete Archive"]`, rVault, "")),
			`Statement[0].NotAction[0] "glacier:Delete Archive" is not a valid action (want "*" or "service:ActionName", for example "glacier:DeleteArchive")`},
		{"Resource not ARN", doc(stmt("s", "Allow", pAny, aAll, `"Resource":"vaults/photos"`, "")),
			`Statement[0].Resource "vaults/photos" is not "*" or an ARN such as arn:aws:glacier:us-east-1:111122223333:vaults/photos`},
		{"Resource object", doc(stmt("s", "Allow", pAny, aAll, `"Resource":{}`, "")), "Statement[0].Resource must be a string or a list of strings, not an object"},
		{"Condition list", withCond(`[]`), "Statement[0].Condition must be an object, not a list"},
		{"unknown operator", withCond(`{"StringEqualz":{"aws:username":"a"}}`), `Statement[0].Condition has unknown condition operator "StringEqualz"`},
		{"IpAddress unsupported", withCond(`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`), `Statement[0].Condition has unknown condition operator "IpAddress"`},
		{"operator case", withCond(`{"stringequals":{"aws:username":"a"}}`), `Statement[0].Condition has unknown condition operator "stringequals"`},
		{"double IfExists", withCond(`{"StringEqualsIfExistsIfExists":{"aws:username":"a"}}`), `Statement[0].Condition has unknown condition operator "StringEqualsIfExistsIfExists"`},
		{"NullIfExists", withCond(`{"NullIfExists":{"aws:username":"true"}}`),
			`Statement[0].Condition: condition operator "NullIfExists" is not allowed: Null takes neither IfExists nor ForAnyValue:/ForAllValues:`},
		{"ForAnyValue:Null", withCond(`{"ForAnyValue:Null":{"aws:username":"true"}}`),
			`Statement[0].Condition: condition operator "ForAnyValue:Null" is not allowed: Null takes neither IfExists nor ForAnyValue:/ForAllValues:`},
		{"operator block not object", withCond(`{"StringEquals":"a"}`),
			"Statement[0].Condition.StringEquals must be an object mapping condition keys to values, not a string"},
		{"condition key without prefix", withCond(`{"StringEquals":{"username":"a"}}`),
			`Statement[0].Condition.StringEquals.username: condition key "username" must have the form "prefix:name", for example "glacier:ArchiveAgeInDays"`},
		{"null value", withCond(`{"StringEquals":{"aws:username":null}}`), "Statement[0].Condition.StringEquals.aws:username must be a string, number or boolean, not null"},
		{"nested list value", withCond(`{"StringEquals":{"aws:username":["a",["b"]]}}`),
			"Statement[0].Condition.StringEquals.aws:username[1] must be a string, number or boolean, not a list"},
		{"empty value list", withCond(`{"StringEquals":{"aws:username":[]}}`), "Statement[0].Condition.StringEquals.aws:username must not be an empty list"},
		{"bad number", withCond(`{"NumericLessThan":{"glacier:ArchiveAgeInDays":"a year"}}`),
			`Statement[0].Condition.NumericLessThan.glacier:ArchiveAgeInDays "a year" is not a number`},
		{"bad date", withCond(`{"DateLessThan":{"aws:CurrentTime":["2026-01-01","soon"]}}`),
			`Statement[0].Condition.DateLessThan.aws:CurrentTime[1] "soon" is not a date (want ISO 8601 such as 2026-11-25T10:00:00Z, or epoch seconds)`},
		{"bad bool", withCond(`{"Bool":{"aws:SecureTransport":"yes"}}`), `Statement[0].Condition.Bool.aws:SecureTransport "yes" must be true or false`},
		{"bad Null", withCond(`{"Null":{"aws:SecureTransport":1}}`), `Statement[0].Condition.Null.aws:SecureTransport "1" must be true or false`},
		{"unterminated variable", doc(stmt("s", "Allow", pAny, aAll, `"Resource":"arn:aws:glacier:*:*:vaults/${aws:username"`, "")),
			`Statement[0].Resource has a malformed policy variable in "arn:aws:glacier:*:*:vaults/${aws:username" (want ${key} or ${key, 'default'})`},
		{"empty variable", withCond(`{"StringEquals":{"aws:username":"${}"}}`),
			`Statement[0].Condition.StringEquals.aws:username has a malformed policy variable in "${}" (want ${key} or ${key, 'default'})`},
		{"unquoted default", withCond(`{"StringLike":{"aws:username":"${aws:username, bob}"}}`),
			`Statement[0].Condition.StringLike.aws:username has a malformed policy variable in "${aws:username, bob}" (want ${key} or ${key, 'default'})`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(tt.doc)
			if p != nil {
				t.Errorf("Parse returned a policy with error %v", err)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error = %#v, want *ParseError", err)
			}
			if diff := cmp.Diff(tt.want, pe.Msg); diff != "" {
				t.Errorf("message mismatch (-want +got):\n%s", diff)
			}
			if pe.Error() != pe.Msg {
				t.Errorf("Error() = %q, want Msg", pe.Error())
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	docs := []string{
		// The vault lock example from the Glacier developer guide.
		`{
		  "Version":"2012-10-17",
		  "Statement":[{
		    "Sid": "deny-based-on-archive-age",
		    "Principal": "*",
		    "Effect": "Deny",
		    "Action": "glacier:DeleteArchive",
		    "Resource": ["arn:aws:glacier:us-west-2:123456789012:vaults/examplevault"],
		    "Condition": {"NumericLessThan": {"glacier:ArchiveAgeInDays": "365"}}
		  }]
		}`,
		// A cross-account access policy with Id and several principal kinds.
		`{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"cross-account-upload","Principal":{"AWS":["arn:aws:iam::123456789012:root","arn:aws:sts::123456789012:assumed-role/r/s","999999999999"],"Service":"glacier.amazonaws.com"},"Effect":"Allow","Action":["glacier:UploadArchive","glacier:InitiateMultipartUpload"],"Resource":"arn:aws:glacier:us-west-2:999999999999:vaults/examplevault"}]}`,
		// Version 2008 with variable-looking text, and numbers/booleans as values.
		`{"Version":"2008-10-17","Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"NotAction":"*","NotResource":"arn:aws:glacier:*:*:vaults/${x","Condition":{"NumericEquals":{"a:b":[1,"2.5"]},"StringEquals":{"a:c":[true,3]},"Bool":{"a:d":false},"Null":{"a:e":true}}}}`,
		// Empty condition and operator blocks, variable escapes and default with quotes.
		`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"arn:aws:glacier:*:*:vaults/${*}${?}${$}${ aws:username , 'it''s' }","Condition":{"StringEquals":{}}},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{}}]}`,
	}
	for i, d := range docs {
		if _, err := Parse(d); err != nil {
			t.Errorf("doc %d: %v", i, err)
		}
	}
	p := mustParse(t, docs[0])
	if got := p.Version(); got != "2012-10-17" {
		t.Errorf("Version() = %q", got)
	}
	// The default with a doubled quote and the escapes resolve literally.
	p = mustParse(t, docs[3])
	r := req(root, "glacier:ListVaults", "arn:aws:glacier:us-east-1:"+acct+":vaults/*?$it's")
	if d, by := p.Explain(r); d != Deny || by != "Statement[0]" {
		t.Errorf("escapes/default: got %v by %q, want Deny by Statement[0]", d, by)
	}
	r.Resource = "arn:aws:glacier:us-east-1:" + acct + ":vaults/a?$it's"
	if d, by := p.Explain(r); d != Deny || by != "Statement[1]" {
		t.Errorf("${*} must not be a wildcard: got %v by %q, want Deny by Statement[1]", d, by)
	}
}

func TestValidateGlacierPolicy(t *testing.T) {
	tests := []struct {
		action string
		want   string // "" for success
	}{
		{`"glacier:*"`, ""},
		{`"*"`, ""},
		{`["glacier:DeleteArchive","GLACIER:uploadarchive"]`, ""},
		{`"glacier:Initiate*"`, ""},
		{`"glacier:?etVaultLock"`, ""},
		{`"s3:GetObject"`, `Statement[0].Action "s3:GetObject" is not an Amazon Glacier action (want "glacier:..." or "*")`},
		{`["glacier:ListVaults","glacier:Nope"]`, `Statement[0].Action[1] "glacier:Nope" matches no Amazon Glacier action`},
		{`"glacier:Foo*"`, `Statement[0].Action "glacier:Foo*" matches no Amazon Glacier action`},
	}
	for _, tt := range tests {
		err := ValidateGlacierPolicy(doc(stmt("s", "Allow", pAny, `"Action":`+tt.action, rVault, "")))
		got := ""
		if err != nil {
			got = err.Error()
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("%s: error %T is not a *ParseError", tt.action, err)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.action, diff)
		}
	}
	if err := ValidateGlacierPolicy(`{"Statement":5}`); err == nil {
		t.Error("ValidateGlacierPolicy accepted an invalid document")
	}
	na := doc(stmt("s", "Deny", pAny, `"NotAction":"glacier:Describe*"`, rVault, ""))
	if _, err := ParseGlacierPolicy(na); err != nil {
		t.Errorf("NotAction: %v", err)
	}
	// Every listed action is a valid glacier action and matches itself.
	for _, a := range GlacierActions() {
		if err := ValidateGlacierPolicy(doc(stmt("s", "Allow", pAny, `"Action":"`+a+`"`, rVault, ""))); err != nil {
			t.Errorf("%s: %v", a, err)
		}
	}
	acts := GlacierActions()
	acts[0] = "mutated"
	if GlacierActions()[0] == "mutated" {
		t.Error("GlacierActions shares its slice")
	}
}

func TestHelpers(t *testing.T) {
	matches := []struct {
		pattern, s string
		action     bool // ActionMatches, else ResourceMatches
		want       bool
	}{
		{"glacier:*", "glacier:ListVaults", true, true},
		{"GLACIER:list*", "glacier:ListVaults", true, true},
		{"glacier:List?aults", "glacier:ListVaults", true, true},
		{"glacier:List", "glacier:ListVaults", true, false},
		{"*", "", true, true},
		{"", "", true, true},
		{"a*b*c", "aXbYbZc", true, true},
		{"a*b*c", "aXbYbZ", true, false},
		{"ǅ*", "ǆx", true, true}, // Unicode simple folding
		{"arn:aws:glacier:*:*:vaults/p*", vault, false, true},
		{"arn:aws:glacier:*:*:vaults/P*", vault, false, false},
		{"arn:aws:glacier:*:*:vaults/${aws:username}", "arn:aws:glacier:x:y:vaults/${aws:username}", false, true},
	}
	for _, m := range matches {
		var got bool
		if m.action {
			got = ActionMatches(m.pattern, m.s)
		} else {
			got = ResourceMatches(m.pattern, m.s)
		}
		if got != m.want {
			t.Errorf("match(%q, %q) = %v, want %v", m.pattern, m.s, got, m.want)
		}
	}
	names := []string{NoMatch.String(), Allow.String(), Deny.String(), Decision(7).String()}
	if diff := cmp.Diff([]string{"NoMatch", "Allow", "Deny", "Decision(7)"}, names); diff != "" {
		t.Errorf("Decision.String (-want +got):\n%s", diff)
	}
	arns := []string{anon.ARN(), root.ARN(), alice.ARN()}
	want := []string{"", "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/alice"}
	if diff := cmp.Diff(want, arns); diff != "" {
		t.Errorf("Principal.ARN (-want +got):\n%s", diff)
	}
}

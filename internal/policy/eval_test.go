package policy

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Policies shared by several cases.
var (
	// The classic Glacier vault lock retention policy, plus an Allow for
	// the owner so that "not denied" shows as Allow.
	lockPolicy = doc(
		stmt("deny-based-on-archive-age", "Deny", pAny, aDelete, rVault,
			`{"NumericLessThan":{"glacier:ArchiveAgeInDays":"365"}}`),
		stmt("owner", "Allow", `"Principal":{"AWS":"arn:aws:iam::`+acct+`:root"}`, aAll, rVault, ""),
	)
	denyBeatsAllow = doc(
		stmt("AllowAll", "Allow", pAny, aAll, rAllVault, ""),
		stmt("NoDelete", "Deny", pAny, aDelete, rAllVault, ""),
	)
	insecureDeny = doc(
		stmt("DenyInsecure", "Deny", pAny, `"Action":"*"`, `"Resource":"*"`, `{"Bool":{"aws:SecureTransport":"false"}}`),
		stmt("Allow", "Allow", pAny, aAll, rVault, ""),
	)
	userVaults = doc(stmt("own", "Allow", pAny, aAll,
		`"Resource":"arn:aws:glacier:us-east-1:111122223333:vaults/${aws:username}"`, ""))
)

// cond returns a policy whose one statement, "c", allows everything on
// vault under condition block c.
func cond(c string) string { return doc(stmt("c", "Allow", pAny, aAll, rVault, c)) }

type outcome struct {
	Decision Decision
	By       string
}

func TestEvaluate(t *testing.T) {
	up, del := "glacier:UploadArchive", "glacier:DeleteArchive"
	tests := []struct {
		name   string
		policy string
		req    Request
		want   outcome
	}{
		// Basics.
		{"allow", doc(stmt("a", "Allow", pAny, `"Action":"glacier:UploadArchive"`, rVault, "")),
			req(alice, up, vault), outcome{Allow, "a"}},
		{"no match: other action", doc(stmt("a", "Allow", pAny, `"Action":"glacier:UploadArchive"`, rVault, "")),
			req(alice, del, vault), outcome{NoMatch, ""}},
		{"no match: other resource", doc(stmt("a", "Allow", pAny, aAll, rVault, "")),
			req(alice, up, vaultB), outcome{NoMatch, ""}},
		{"deny", doc(stmt("d", "Deny", pAny, aDelete, rVault, "")),
			req(alice, del, vault), outcome{Deny, "d"}},
		{"explicit deny beats allow", denyBeatsAllow, req(root, del, vault), outcome{Deny, "NoDelete"}},
		{"deny does not reach other actions", denyBeatsAllow, req(root, up, vault), outcome{Allow, "AllowAll"}},
		{"single statement object, no Version, no Sid",
			`{"Statement":{"Effect":"Allow","Principal":"*","Action":"glacier:*","Resource":"*"}}`,
			req(alice, up, vault), outcome{Allow, "Statement[0]"}},

		// Action wildcards and case.
		{"action glacier:*", doc(stmt("a", "Allow", pAny, aAll, rVault, "")), req(alice, "glacier:ListParts", vault), outcome{Allow, "a"}},
		{"action *", doc(stmt("a", "Allow", pAny, `"Action":"*"`, rVault, "")), req(alice, "glacier:ListParts", vault), outcome{Allow, "a"}},
		{"action glacier:Delete* matches", doc(stmt("a", "Allow", pAny, `"Action":"glacier:Delete*"`, rVault, "")),
			req(alice, "glacier:DeleteVaultNotifications", vault), outcome{Allow, "a"}},
		{"action glacier:Delete* does not match Upload", doc(stmt("a", "Allow", pAny, `"Action":"glacier:Delete*"`, rVault, "")),
			req(alice, up, vault), outcome{NoMatch, ""}},
		{"action ? matches one character", doc(stmt("a", "Allow", pAny, `"Action":"glacier:?eleteArchive"`, rVault, "")),
			req(alice, del, vault), outcome{Allow, "a"}},
		{"action ? needs exactly one character", doc(stmt("a", "Allow", pAny, `"Action":"glacier:?DeleteArchive"`, rVault, "")),
			req(alice, del, vault), outcome{NoMatch, ""}},
		{"action match is case-insensitive", doc(stmt("a", "Allow", pAny, `"Action":"GLACIER:deletearchive"`, rVault, "")),
			req(alice, del, vault), outcome{Allow, "a"}},
		{"action list", doc(stmt("a", "Allow", pAny, `"Action":["glacier:ListJobs","glacier:DeleteArchive"]`, rVault, "")),
			req(alice, del, vault), outcome{Allow, "a"}},

		// Resource wildcards and case.
		{"resource vaults/*", doc(stmt("a", "Allow", pAny, aAll, rAllVault, "")), req(alice, up, vaultB), outcome{Allow, "a"}},
		{"resource vaults/* is per account", doc(stmt("a", "Allow", pAny, aAll, rAllVault, "")), req(alice, up, otherV), outcome{NoMatch, ""}},
		{"resource ?", doc(stmt("a", "Allow", pAny, aAll, `"Resource":"arn:aws:glacier:*:111122223333:vaults/photo?"`, "")),
			req(alice, up, vault), outcome{Allow, "a"}},
		{"resource match is case-sensitive", doc(stmt("a", "Allow", pAny, aAll, `"Resource":"arn:aws:glacier:us-east-1:111122223333:vaults/Photos"`, "")),
			req(alice, up, vault), outcome{NoMatch, ""}},
		{"resource *", doc(stmt("a", "Allow", pAny, aAll, `"Resource":"*"`, "")), req(alice, up, otherV), outcome{Allow, "a"}},

		// NotAction, NotResource, NotPrincipal.
		{"NotAction matches others", doc(stmt("d", "Deny", pAny, `"NotAction":"glacier:Describe*"`, rVault, "")),
			req(alice, up, vault), outcome{Deny, "d"}},
		{"NotAction excludes listed", doc(stmt("d", "Deny", pAny, `"NotAction":"glacier:Describe*"`, rVault, "")),
			req(alice, "glacier:DescribeVault", vault), outcome{NoMatch, ""}},
		{"NotResource matches others", doc(stmt("a", "Allow", pAny, aAll, `"NotResource":"arn:aws:glacier:us-east-1:111122223333:vaults/back*"`, "")),
			req(alice, up, vault), outcome{Allow, "a"}},
		{"NotResource excludes listed", doc(stmt("a", "Allow", pAny, aAll, `"NotResource":"arn:aws:glacier:us-east-1:111122223333:vaults/back*"`, "")),
			req(alice, up, vaultB), outcome{NoMatch, ""}},
		{"NotPrincipal matches outsiders", doc(stmt("d", "Deny", `"NotPrincipal":{"AWS":"`+acct+`"}`, aAll, `"Resource":"*"`, "")),
			req(outsdr, up, vault), outcome{Deny, "d"}},
		{"NotPrincipal excludes the account's users", doc(stmt("d", "Deny", `"NotPrincipal":{"AWS":"`+acct+`"}`, aAll, `"Resource":"*"`, "")),
			req(bob, up, vault), outcome{NoMatch, ""}},
		{"NotPrincipal user ARN excludes only that user", doc(stmt("d", "Deny", `"NotPrincipal":{"AWS":"arn:aws:iam::`+acct+`:user/alice"}`, aAll, `"Resource":"*"`, "")),
			req(root, up, vault), outcome{Deny, "d"}},

		// Principal forms.
		{"principal * matches anonymous", doc(stmt("a", "Allow", pAny, aAll, rVault, "")), req(anon, up, vault), outcome{Allow, "a"}},
		{"principal AWS * matches other account", doc(stmt("a", "Allow", `"Principal":{"AWS":"*"}`, aAll, rVault, "")),
			req(outsdr, up, vault), outcome{Allow, "a"}},
		{"principal account ID matches root", doc(stmt("a", "Allow", `"Principal":{"AWS":"`+acct+`"}`, aAll, rVault, "")),
			req(root, up, vault), outcome{Allow, "a"}},
		{"principal account ID matches its users", doc(stmt("a", "Allow", `"Principal":{"AWS":"`+acct+`"}`, aAll, rVault, "")),
			req(alice, up, vault), outcome{Allow, "a"}},
		{"principal account ID does not match other account", doc(stmt("a", "Allow", `"Principal":{"AWS":"`+acct+`"}`, aAll, rVault, "")),
			req(outsdr, up, vault), outcome{NoMatch, ""}},
		{"principal account ID does not match anonymous", doc(stmt("a", "Allow", `"Principal":{"AWS":"`+acct+`"}`, aAll, rVault, "")),
			req(anon, up, vault), outcome{NoMatch, ""}},
		{"principal root ARN matches its users", doc(stmt("a", "Allow", `"Principal":{"AWS":"arn:aws:iam::`+acct+`:root"}`, aAll, rVault, "")),
			req(bob, up, vault), outcome{Allow, "a"}},
		{"principal user ARN matches the user", doc(stmt("a", "Allow", `"Principal":{"AWS":"arn:aws:iam::`+acct+`:user/alice"}`, aAll, rVault, "")),
			req(alice, up, vault), outcome{Allow, "a"}},
		{"principal user ARN does not match another user", doc(stmt("a", "Allow", `"Principal":{"AWS":"arn:aws:iam::`+acct+`:user/alice"}`, aAll, rVault, "")),
			req(bob, up, vault), outcome{NoMatch, ""}},
		{"principal user ARN does not match root", doc(stmt("a", "Allow", `"Principal":{"AWS":"arn:aws:iam::`+acct+`:user/alice"}`, aAll, rVault, "")),
			req(root, up, vault), outcome{NoMatch, ""}},
		{"principal list", doc(stmt("a", "Allow", `"Principal":{"AWS":["999988887777","arn:aws:iam::`+otherAcc+`:user/mallory"]}`, aAll, rVault, "")),
			req(outsdr, up, vault), outcome{Allow, "a"}},
		{"principal role ARN matches nobody", doc(stmt("a", "Allow", `"Principal":{"AWS":"arn:aws:iam::`+acct+`:role/r"}`, aAll, rVault, "")),
			req(root, up, vault), outcome{NoMatch, ""}},

		// The Glacier retention lock.
		{"lock: young archive denied", lockPolicy, req(root, del, vault, "glacier:ArchiveAgeInDays", "12"), outcome{Deny, "deny-based-on-archive-age"}},
		{"lock: old archive allowed", lockPolicy, req(root, del, vault, "glacier:ArchiveAgeInDays", "400"), outcome{Allow, "owner"}},
		{"lock: 365 days is old enough", lockPolicy, req(root, del, vault, "glacier:ArchiveAgeInDays", "365"), outcome{Allow, "owner"}},
		{"lock: other actions untouched", lockPolicy, req(root, up, vault, "glacier:ArchiveAgeInDays", "1"), outcome{Allow, "owner"}},
		{"lock: key lookup is case-insensitive", lockPolicy, req(root, del, vault, "GLACIER:archiveageindays", "0"), outcome{Deny, "deny-based-on-archive-age"}},
		{"lock: missing age does not deny", lockPolicy, req(root, del, vault), outcome{Allow, "owner"}},

		// Tags, transport, time.
		{"tag condition matches", cond(`{"StringEquals":{"glacier:ResourceTag/Team":"data"}}`),
			req(alice, up, vault, "glacier:ResourceTag/Team", "data"), outcome{Allow, "c"}},
		{"tag condition mismatch", cond(`{"StringEquals":{"glacier:ResourceTag/Team":"data"}}`),
			req(alice, up, vault, "glacier:ResourceTag/Team", "Data"), outcome{NoMatch, ""}},
		{"tag condition missing tag", cond(`{"StringEquals":{"glacier:ResourceTag/Team":"data"}}`),
			req(alice, up, vault), outcome{NoMatch, ""}},
		{"insecure transport denied", insecureDeny, req(alice, up, vault, "aws:SecureTransport", "false"), outcome{Deny, "DenyInsecure"}},
		{"secure transport allowed", insecureDeny, req(alice, up, vault, "aws:SecureTransport", "true"), outcome{Allow, "Allow"}},
		{"after cut-off denied", doc(stmt("late", "Deny", pAny, aAll, rVault, `{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}`)),
			req(alice, up, vault, "aws:CurrentTime", "2026-11-25T10:00:00Z"), outcome{Deny, "late"}},
		{"before cut-off not denied", doc(stmt("late", "Deny", pAny, aAll, rVault, `{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}`)),
			req(alice, up, vault, "aws:CurrentTime", "2025-12-31T23:59:59Z"), outcome{NoMatch, ""}},

		// Combination rules.
		{"keys in one operator AND: both hold", cond(`{"StringEquals":{"aws:username":"alice","glacier:ResourceTag/Team":"data"}}`),
			req(alice, up, vault, "glacier:ResourceTag/Team", "data"), outcome{Allow, "c"}},
		{"keys in one operator AND: one fails", cond(`{"StringEquals":{"aws:username":"alice","glacier:ResourceTag/Team":"data"}}`),
			req(bob, up, vault, "glacier:ResourceTag/Team", "data"), outcome{NoMatch, ""}},
		{"operators AND", cond(`{"StringEquals":{"aws:username":"alice"},"Bool":{"aws:SecureTransport":true}}`),
			req(alice, up, vault, "aws:SecureTransport", "false"), outcome{NoMatch, ""}},
		{"values OR", cond(`{"StringEquals":{"aws:username":["bob","alice"]}}`), req(alice, up, vault), outcome{Allow, "c"}},
		{"negated values NOR: listed", cond(`{"StringNotEquals":{"aws:username":["bob","alice"]}}`), req(alice, up, vault), outcome{NoMatch, ""}},
		{"negated values NOR: unlisted", cond(`{"StringNotEquals":{"aws:username":["bob","carol"]}}`), req(alice, up, vault), outcome{Allow, "c"}},
		{"negated operator with missing key is true", cond(`{"StringNotEquals":{"aws:username":"bob"}}`), req(root, up, vault), outcome{Allow, "c"}},
		{"Null true with key absent", cond(`{"Null":{"glacier:ResourceTag/Team":"true"}}`), req(alice, up, vault), outcome{Allow, "c"}},
		{"Null true with key present", cond(`{"Null":{"glacier:ResourceTag/Team":true}}`),
			req(alice, up, vault, "glacier:ResourceTag/Team", "x"), outcome{NoMatch, ""}},
		{"Null false with key present", cond(`{"Null":{"glacier:ResourceTag/Team":"false"}}`),
			req(alice, up, vault, "glacier:ResourceTag/Team", "x"), outcome{Allow, "c"}},
		{"empty value list counts as absent", cond(`{"Null":{"glacier:ResourceTag/Team":"true"}}`),
			Request{Principal: alice, Action: up, Resource: vault, Context: map[string][]string{"glacier:ResourceTag/Team": {}}}, outcome{Allow, "c"}},

		// Set operators on a multivalued key.
		{"ForAnyValue: one matches", cond(`{"ForAnyValue:StringEquals":{"aws:TagKeys":["Team","Owner"]}}`),
			Request{Principal: alice, Action: up, Resource: vault, Context: map[string][]string{"aws:TagKeys": {"Cost", "Owner"}}}, outcome{Allow, "c"}},
		{"ForAnyValue: none matches", cond(`{"ForAnyValue:StringEquals":{"aws:TagKeys":["Team","Owner"]}}`),
			Request{Principal: alice, Action: up, Resource: vault, Context: map[string][]string{"aws:TagKeys": {"Cost"}}}, outcome{NoMatch, ""}},
		{"ForAnyValue: absent key is false", cond(`{"ForAnyValue:StringEquals":{"aws:TagKeys":"Team"}}`),
			req(alice, up, vault), outcome{NoMatch, ""}},
		{"ForAnyValue negated: some value unlisted", cond(`{"ForAnyValue:StringNotEquals":{"aws:TagKeys":"Team"}}`),
			Request{Principal: alice, Action: up, Resource: vault, Context: map[string][]string{"aws:TagKeys": {"Team", "Cost"}}}, outcome{Allow, "c"}},
		{"ForAllValues: all match", cond(`{"ForAllValues:StringLike":{"aws:TagKeys":["Team","Own*"]}}`),
			Request{Principal: alice, Action: up, Resource: vault, Context: map[string][]string{"aws:TagKeys": {"Team", "Owner"}}}, outcome{Allow, "c"}},
		{"ForAllValues: one does not", cond(`{"ForAllValues:StringLike":{"aws:TagKeys":["Team","Own*"]}}`),
			Request{Principal: alice, Action: up, Resource: vault, Context: map[string][]string{"aws:TagKeys": {"Team", "Cost"}}}, outcome{NoMatch, ""}},
		{"ForAllValues: absent key is true", cond(`{"ForAllValues:StringLike":{"aws:TagKeys":"Team"}}`),
			req(alice, up, vault), outcome{Allow, "c"}},
		{"ForAllValues:StringNotLike (IAM example): key1 only", cond(`{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}`),
			Request{Principal: alice, Action: up, Resource: vault, Context: map[string][]string{"aws:TagKeys": {"key1:hr", "key1:personnel"}}}, outcome{NoMatch, ""}},
		{"ForAllValues:StringNotLike (IAM example): key2", cond(`{"ForAllValues:StringNotLike":{"aws:TagKeys":"key1*"}}`),
			req(alice, up, vault, "aws:TagKeys", "key2:audit"), outcome{Allow, "c"}},
		{"ForAnyValue IfExists with absent key", cond(`{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":"Team"}}`),
			req(alice, up, vault), outcome{Allow, "c"}},

		// Policy variables.
		{"variable in resource: own vault", userVaults, req(alice, up, "arn:aws:glacier:us-east-1:111122223333:vaults/alice"), outcome{Allow, "own"}},
		{"variable in resource: other's vault", userVaults, req(alice, up, "arn:aws:glacier:us-east-1:111122223333:vaults/bob"), outcome{NoMatch, ""}},
		{"variable in resource: root has no username", userVaults, req(root, up, "arn:aws:glacier:us-east-1:111122223333:vaults/"), outcome{NoMatch, ""}},
		{"variable value is literal, not a wildcard", userVaults,
			req(alice, up, "arn:aws:glacier:us-east-1:111122223333:vaults/abc", "aws:username", "a*"), outcome{NoMatch, ""}},
		{"variable value with wildcard chars matches literally", userVaults,
			req(alice, up, "arn:aws:glacier:us-east-1:111122223333:vaults/a*", "aws:username", "a*"), outcome{Allow, "own"}},
		{"variable default", doc(stmt("d", "Allow", pAny, aAll, `"Resource":"arn:aws:glacier:*:*:vaults/${aws:username, 'shared'}"`, "")),
			req(root, up, "arn:aws:glacier:us-east-1:111122223333:vaults/shared"), outcome{Allow, "d"}},
		{"variable in condition", cond(`{"StringLike":{"glacier:ResourceTag/Owner":"${aws:username}-*"}}`),
			req(alice, up, vault, "glacier:ResourceTag/Owner", "alice-team"), outcome{Allow, "c"}},
		{"variable from principal account", cond(`{"StringEquals":{"glacier:ResourceTag/Account":"${aws:PrincipalAccount}"}}`),
			req(alice, up, vault, "glacier:ResourceTag/Account", acct), outcome{Allow, "c"}},
		{"escape ${*} is a literal star", cond(`{"StringLike":{"glacier:ResourceTag/Team":"a${*}"}}`),
			req(alice, up, vault, "glacier:ResourceTag/Team", "ab"), outcome{NoMatch, ""}},
		{"2008 version: ${ is plain text", `{"Version":"2008-10-17","Statement":[` +
			stmt("v", "Allow", pAny, aAll, `"Resource":"arn:aws:glacier:us-east-1:111122223333:vaults/${aws:username}"`, "") + `]}`,
			req(alice, up, "arn:aws:glacier:us-east-1:111122223333:vaults/${aws:username}"), outcome{Allow, "v"}},
		{"derived aws:PrincipalAccount", cond(`{"StringEquals":{"aws:PrincipalAccount":"` + acct + `"}}`), req(bob, up, vault), outcome{Allow, "c"}},
		{"derived aws:PrincipalArn", cond(`{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::` + acct + `:user/bob"}}`), req(bob, up, vault), outcome{Allow, "c"}},
		{"context overrides derived key", cond(`{"StringEquals":{"aws:username":"bob"}}`), req(bob, up, vault, "aws:username", "robert"), outcome{NoMatch, ""}},
	}
	if len(tests) < 40 {
		t.Fatalf("only %d cases", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, tt.policy)
			d, by := p.Explain(tt.req)
			if diff := cmp.Diff(tt.want, outcome{d, by}); diff != "" {
				t.Errorf("Explain mismatch (-want +got):\n%s\npolicy: %s", diff, tt.policy)
			}
			if got := p.Evaluate(tt.req); got != tt.want.Decision {
				t.Errorf("Evaluate = %v, want %v", got, tt.want.Decision)
			}
		})
	}
}

func TestEvaluateNilPolicy(t *testing.T) {
	var p *Policy
	if d := p.Evaluate(req(root, "glacier:ListVaults", vault)); d != NoMatch {
		t.Errorf("nil policy Evaluate = %v, want NoMatch", d)
	}
	if v := p.Version(); v != "" {
		t.Errorf("nil policy Version = %q", v)
	}
}

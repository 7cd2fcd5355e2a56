package policy

import (
	"errors"
	"sync"
	"testing"
)

// fuzzRequests are evaluated against every policy the fuzzer gets parsed.
var fuzzRequests = []Request{
	{},
	req(anon, "glacier:ListVaults", "*"),
	req(root, "glacier:DeleteArchive", vault, "glacier:ArchiveAgeInDays", "12", "aws:SecureTransport", "false"),
	req(alice, "glacier:UploadArchive", "arn:aws:glacier:us-east-1:111122223333:vaults/alice",
		"aws:CurrentTime", "2026-11-25T10:00:00Z", "glacier:ResourceTag/Team", "data", "aws:MultiFactorAuthPresent", "true"),
	{Principal: outsdr, Action: "GLACIER:*", Resource: "arn:*", Context: map[string][]string{
		"aws:TagKeys": {"a", "b", "${aws:username}"}, "a:b": {"1e3", "x", ""}, "A:B": {"-7"},
		"aws:username": {"*", "?"}, "aws:CurrentTime": {"1767225600"}, "empty:key": {},
	}},
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		lockPolicy, denyBeatsAllow, insecureDeny, userVaults,
		cond(`{"ForAllValues:StringNotLike":{"aws:TagKeys":["key1*","${aws:username, 'x''y'}"]}}`),
		cond(`{"ForAnyValue:NumericLessThanIfExists":{"a:b":[1,"2.5e3"]},"DateNotEquals":{"aws:CurrentTime":1767225600}}`),
		cond(`{"Null":{"a:b":true},"BoolIfExists":{"aws:SecureTransport":false},"StringEqualsIgnoreCase":{"aws:username":"ALICE"}}`),
		`{"Version":"2008-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["111122223333","arn:aws:iam::111122223333:user/alice"]},"NotAction":"glacier:?et*","NotResource":"arn:aws:glacier:*:*:vaults/${x"}}`,
		`{"Statement":[{"Effect":"Allow","Principal":{"Service":"x"},"Action":"*","Resource":"*","Condition":{"StringLike":{"a:b":"${*}${?}${$}"}}}]}`,
		`{"Statement":[`, `{"Version":1}`, `[]`, `{"Statement":{"Effect":"Allow"}}`, `"x"`, ``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := Parse(doc)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Msg == "" {
				t.Fatalf("Parse error %#v is not a *ParseError with a message", err)
			}
			if p != nil {
				t.Fatal("Parse returned both a policy and an error")
			}
			if ValidateGlacierPolicy(doc) == nil {
				t.Fatal("ValidateGlacierPolicy accepted a document Parse rejects")
			}
			return
		}
		for _, r := range fuzzRequests {
			d := p.Evaluate(r)
			d2, by := p.Explain(r)
			if d != d2 || d < NoMatch || d > Deny || (d == NoMatch) != (by == "") {
				t.Fatalf("Evaluate = %v, Explain = %v %q", d, d2, by)
			}
		}
		if gp, err := ParseGlacierPolicy(doc); err == nil && gp == nil {
			t.Fatal("ParseGlacierPolicy returned neither policy nor error")
		}
	})
}

// TestConcurrentEvaluate shares one Policy between goroutines; run it with
// -race.
func TestConcurrentEvaluate(t *testing.T) {
	p := mustParse(t, doc(
		stmt("lock", "Deny", pAny, aDelete, rAllVault, `{"NumericLessThan":{"glacier:ArchiveAgeInDays":365}}`),
		stmt("own", "Allow", pAny, aAll, `"Resource":"arn:aws:glacier:*:*:vaults/${aws:username}"`, ""),
	))
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 200 {
				r := req(alice, "glacier:DeleteArchive", "arn:aws:glacier:us-east-1:111122223333:vaults/alice",
					"glacier:ArchiveAgeInDays", "400")
				want := Allow
				if (g+i)%2 == 0 {
					r.Context["glacier:ArchiveAgeInDays"] = []string{"3"}
					want = Deny
				}
				if got := p.Evaluate(r); got != want {
					t.Errorf("goroutine %d iteration %d: got %v, want %v", g, i, got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

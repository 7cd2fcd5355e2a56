package policy

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOperatorMatrix runs every condition operator, alone, with IfExists,
// and under ForAnyValue:/ForAllValues:, against a request value that
// satisfies it, one that does not, an absent key and (for typed operators)
// a malformed request value.
func TestOperatorMatrix(t *testing.T) {
	const day = `"2026-01-01T00:00:00Z"`
	ops := []struct {
		op      string
		value   string // policy value, as JSON
		sat     string // request value that satisfies the operator
		fail    string // request value that does not
		negated bool
		typed   bool // Numeric, Date or Bool: a malformed request value satisfies nothing
	}{
		{"StringEquals", `"abc"`, "abc", "ABC", false, false},
		{"StringNotEquals", `"abc"`, "abd", "abc", true, false},
		{"StringEqualsIgnoreCase", `"abc"`, "ABC", "abd", false, false},
		{"StringNotEqualsIgnoreCase", `"abc"`, "abd", "AbC", true, false},
		{"StringLike", `"a*c?"`, "abbcd", "abd", false, false},
		{"StringNotLike", `"a*c?"`, "abd", "abbcd", true, false},
		{"NumericEquals", `10`, "10", "11", false, true},
		{"NumericNotEquals", `"10"`, "11", "10.0", true, true},
		{"NumericLessThan", `10`, "9.5", "10", false, true},
		{"NumericLessThanEquals", `"1e1"`, "10", "11", false, true},
		{"NumericGreaterThan", `10`, "11", "10", false, true},
		{"NumericGreaterThanEquals", `10`, "10", "-9", false, true},
		{"DateEquals", day, "1767225600", "2026-01-01T00:00:01Z", false, true},
		{"DateNotEquals", day, "2026-01-02", "2026-01-01T01:00:00+01:00", true, true},
		{"DateLessThan", day, "2025-12-31T23:59:59Z", "2026-01-01T00:00:00Z", false, true},
		{"DateLessThanEquals", `1767225600`, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00.5Z", false, true},
		{"DateGreaterThan", day, "2026-01-01T00:00:01Z", "2026-01-01", false, true},
		{"DateGreaterThanEquals", day, "2026-01-01", "2025-12-31T23:59:59Z", false, true},
		{"Bool", `true`, "TRUE", "false", false, true},
	}
	const key = "glacier:TestKey"
	n := 0
	for _, o := range ops {
		for _, set := range []string{"", "ForAnyValue:", "ForAllValues:"} {
			for _, ifExists := range []bool{false, true} {
				name := set + o.op
				if ifExists {
					name += "IfExists"
				}
				p := mustParse(t, cond(fmt.Sprintf(`{%q:{%q:%s}}`, name, key, o.value)))
				absent := NoMatch
				switch {
				case ifExists, set == "ForAllValues:":
					absent = Allow
				case set == "" && o.negated:
					absent = Allow
				}
				cases := []struct {
					what string
					r    Request
					want Decision
				}{
					{"satisfied", req(alice, "glacier:UploadArchive", vault, key, o.sat), Allow},
					{"not satisfied", req(alice, "glacier:UploadArchive", vault, key, o.fail), NoMatch},
					{"absent", req(alice, "glacier:UploadArchive", vault), absent},
				}
				if o.typed {
					cases = append(cases, struct {
						what string
						r    Request
						want Decision
					}{"malformed", req(alice, "glacier:UploadArchive", vault, key, "not-a-value"), NoMatch})
				}
				for _, c := range cases {
					n++
					if got := p.Evaluate(c.r); got != c.want {
						t.Errorf("%s, %s (%q): got %v, want %v", name, c.what, c.r.Context[key], got, c.want)
					}
				}
			}
		}
	}
	t.Logf("%d operator cases", n)
}

// TestNullOperator covers Null with each value and with a list of both.
func TestNullOperator(t *testing.T) {
	tests := []struct {
		value   string
		present bool
		want    Decision
	}{
		{`"true"`, false, Allow},
		{`"true"`, true, NoMatch},
		{`false`, true, Allow},
		{`"FALSE"`, false, NoMatch},
		{`["true","false"]`, false, Allow},
		{`["true","false"]`, true, Allow},
	}
	for _, tt := range tests {
		p := mustParse(t, cond(`{"Null":{"aws:MultiFactorAuthPresent":`+tt.value+`}}`))
		r := req(alice, "glacier:ListVaults", vault)
		if tt.present {
			r = req(alice, "glacier:ListVaults", vault, "aws:MultiFactorAuthPresent", "true")
		}
		if diff := cmp.Diff(tt.want, p.Evaluate(r)); diff != "" {
			t.Errorf("Null %s, present=%v (-want +got):\n%s", tt.value, tt.present, diff)
		}
	}
}

// TestNumberAndDateParsing checks the accepted syntaxes of numeric and date
// values.
func TestNumberAndDateParsing(t *testing.T) {
	numbers := map[string]bool{
		"0": true, "-12": true, "+3": true, "1.5": true, "1e3": true, "2.5E-2": true,
		"9223372036854775807": true, "99999999999999999999": true,
		"": false, "1.": false, ".5": false, "0x10": false, "1e": false, " 1": false,
		"NaN": false, "Inf": false, "1e999": false, "1_000": false,
	}
	for s, want := range numbers {
		if _, ok := parseNumber(s); ok != want {
			t.Errorf("parseNumber(%q) ok = %v, want %v", s, ok, want)
		}
	}
	a, _ := parseNumber("9007199254740993")
	b, _ := parseNumber("9007199254740992")
	if compareNumbers(a, b) != 1 {
		t.Errorf("large integers do not compare exactly")
	}
	dates := map[string]bool{
		"2026-11-25T10:00:00Z": true, "2026-11-25T10:00:00.123Z": true, "2026-11-25T10:00:00+01:00": true,
		"2026-11-25T10:00:00+0100": true, "2026-11-25T10:00:00": true, "2026-11-25T10:00Z": true,
		"2026-11-25T10:00": true, "2026-11-25": true, "20261125T100000Z": true, "1767225600": true, "-1": true,
		"": false, "yesterday": false, "2026-13-01": false, "+5": false, "2026/11/25": false,
	}
	for s, want := range dates {
		if _, ok := parseDate(s); ok != want {
			t.Errorf("parseDate(%q) ok = %v, want %v", s, ok, want)
		}
	}
	x, _ := parseDate("2026-11-25T11:00:00+01:00")
	y, _ := parseDate("2026-11-25T10:00:00Z")
	if !x.Equal(y) {
		t.Errorf("zones not honoured: %v vs %v", x, y)
	}
}

package glacierselect

import (
	"testing"
	"time"
)

func TestLikeMatch(t *testing.T) {
	cases := []struct {
		s, pattern, esc string
		want            bool
	}{
		{"", "", "", true},
		{"", "%", "", true},
		{"a", "", "", false},
		{"abc", "a%", "", true},
		{"abc", "%c", "", true},
		{"abc", "%b%", "", true},
		{"abc", "a_c", "", true},
		{"abc", "a_", "", false},
		{"aXbXc", "a%b%c", "", true},
		{"mississippi", "%iss%ppi", "", true},
		{"mississippi", "%iss%ppx", "", false},
		{"éé", "_é", "", true},
		{"100%", "100!%", "!", true},
		{"1000", "100!%", "!", false},
		{"a_b", "a\\_b", "\\", true},
		{"axb", "a\\_b", "\\", false},
		{"a!", "a!", "!", true}, // a trailing escape is itself
	}
	for _, c := range cases {
		toks, err := compileLike(c.pattern, c.esc)
		if err != nil {
			t.Fatal(err)
		}
		if got := likeMatch(c.s, toks); got != c.want {
			t.Errorf("%q LIKE %q ESCAPE %q = %v, want %v", c.s, c.pattern, c.esc, got, c.want)
		}
	}
	if _, err := Compile(Params{ExpressionType: "SQL", Expression: "SELECT * FROM ARCHIVE WHERE _1 LIKE 'a' ESCAPE '!!'"}); err == nil {
		t.Error("a two-character ESCAPE compiled")
	}
}

func TestParseTimestamp(t *testing.T) {
	for s, want := range map[string]time.Time{
		"2007T":                     time.Date(2007, 1, 1, 0, 0, 0, 0, time.UTC),
		"2007-04T":                  time.Date(2007, 4, 1, 0, 0, 0, 0, time.UTC),
		"2007-04-05":                time.Date(2007, 4, 5, 0, 0, 0, 0, time.UTC),
		"2007-04-05T":               time.Date(2007, 4, 5, 0, 0, 0, 0, time.UTC),
		"2007-04-05T14:30Z":         time.Date(2007, 4, 5, 14, 30, 0, 0, time.UTC),
		"2007-04-05T14:30:15.25Z":   time.Date(2007, 4, 5, 14, 30, 15, 250e6, time.UTC),
		"2007-04-05T14:30:15+01:00": time.Date(2007, 4, 5, 13, 30, 15, 0, time.UTC),
	} {
		got, err := parseTimestamp(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseTimestamp(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "2007", "2007-04-05T14:30", "yesterday", "2007-13T"} {
		if _, err := parseTimestamp(s); err == nil {
			t.Errorf("parseTimestamp(%q) succeeded", s)
		}
	}
}

func TestToStringPatterns(t *testing.T) {
	ts := time.Date(1969, 7, 20, 20, 18, 53, 123456789, time.FixedZone("", -(7*3600+30*60)))
	for pattern, want := range map[string]string{
		"MMMM d, y":           "July 20, 1969",
		"MMM d, yyyy":         "Jul 20, 1969",
		"M-d-yy":              "7-20-69",
		"MM-dd-yyyy":          "07-20-1969",
		"MMMMM":               "J",
		"h:m a":               "8:18 PM",
		"HH:mm:ss.SSS":        "20:18:53.123",
		"y-MM-dd'T'H:m:ssX":   "1969-07-20T20:18:53-0730",
		"y-MM-dd'T'H:m:ssXXX": "1969-07-20T20:18:53-07:30",
		"y-MM-dd'T'H:m:ssxx":  "1969-07-20T20:18:53-0730",
		"n":                   "123456789",
		"'at' HH 'o''clock'":  "at 20 oclock",
	} {
		got, err := toString(ts, pattern)
		if err != nil || got != want {
			t.Errorf("TO_STRING(%q) = %q, %v; want %q", pattern, got, err, want)
		}
	}
	if got, _ := toString(ts.UTC(), "X"); got != "Z" {
		t.Errorf("X of UTC = %q, want Z", got)
	}
}

func TestCastTo(t *testing.T) {
	cases := []struct {
		v    Value
		to   string
		want string
		fail bool
	}{
		{strValue(" 42 "), "INT", "42", false},
		{strValue("4.9"), "INT", "4", false},
		{strValue("4.5"), "FLOAT", "4.5", false},
		{strValue("1e3"), "FLOAT", "1000", false},
		{strValue("x"), "INT", "", true},
		{strValue(""), "FLOAT", "", true},
		{strValue("TRUE"), "BOOL", "true", false},
		{intValue(0), "BOOL", "false", false},
		{strValue("maybe"), "BOOL", "", true},
		{boolValue(true), "INT", "1", false},
		{intValue(7), "STRING", "7", false},
		{strValue("2020-02-29T"), "TIMESTAMP", "2020-02-29T00:00:00Z", false},
		{strValue("2020-02-30T"), "TIMESTAMP", "", true},
		{strValue("1e300"), "INT", "", true},
		{nullValue(), "INT", "", false},
	}
	for _, c := range cases {
		got, err := castTo(c.v, c.to)
		if (err != nil) != c.fail || err == nil && got.format() != c.want {
			t.Errorf("CAST(%q AS %s) = %q, %v; want %q (fail %v)", c.v.format(), c.to, got.format(), err, c.want, c.fail)
		}
	}
}

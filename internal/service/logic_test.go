package service

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/treehash"
)

func TestJobSpan(t *testing.T) {
	cases := []struct {
		action, tier string
		size         int64
		want         span
	}{
		{glacier.ActionArchiveRetrieval, glacier.TierExpedited, 1, span{time.Minute, 5 * time.Minute}},
		{glacier.ActionArchiveRetrieval, glacier.TierExpedited, 250_000_000, span{time.Minute, 5 * time.Minute}},
		{glacier.ActionArchiveRetrieval, glacier.TierExpedited, 250_000_001, span{2 * time.Minute, 10 * time.Minute}},
		{glacier.ActionArchiveRetrieval, glacier.TierStandard, 1 << 40, span{3 * time.Hour, 5 * time.Hour}},
		{glacier.ActionArchiveRetrieval, glacier.TierBulk, 1, span{5 * time.Hour, 12 * time.Hour}},
		{glacier.ActionInventoryRetrieval, glacier.TierExpedited, 0, span{2 * time.Hour, 4 * time.Hour}},
	}
	for _, c := range cases {
		got := jobSpan(c.action, c.tier, c.size)
		if got != c.want {
			t.Errorf("jobSpan(%s, %s, %d) = %v, want %v", c.action, c.tier, c.size, got, c.want)
		}
		for range 100 {
			if d := got.draw(uniformDuration); d < got.min || d > got.max {
				t.Fatalf("draw %v outside %v", d, got)
			}
		}
	}
}

func TestDrawUsesThePickWithinTheSpan(t *testing.T) {
	sp := span{time.Minute, 5 * time.Minute}
	for _, c := range []struct{ pick, want time.Duration }{
		{3 * time.Minute, 3 * time.Minute}, {0, time.Minute}, {time.Hour, 5 * time.Minute},
	} {
		if got := sp.draw(func(lo, hi time.Duration) time.Duration { return c.pick }); got != c.want {
			t.Errorf("draw with a pick of %v = %v, want %v", c.pick, got, c.want)
		}
	}
}

func TestScale(t *testing.T) {
	cases := []struct {
		factor              float64
		job, period, ageOf1 time.Duration
	}{
		{1, 4 * time.Hour, 24 * time.Hour, time.Hour},
		{3600, 4 * time.Second, 24 * time.Second, 3600 * time.Hour},
		{0, 0, 24 * time.Hour, time.Hour},
		{0.5, 8 * time.Hour, 48 * time.Hour, 30 * time.Minute},
	}
	for _, c := range cases {
		s := scale{c.factor}
		if got := s.job(4 * time.Hour); got != c.job {
			t.Errorf("scale %v: job(4h) = %v, want %v", c.factor, got, c.job)
		}
		if got := s.period(24 * time.Hour); got != c.period {
			t.Errorf("scale %v: period(24h) = %v, want %v", c.factor, got, c.period)
		}
		if got := s.age(time.Hour); got != c.ageOf1 {
			t.Errorf("scale %v: age(1h) = %v, want %v", c.factor, got, c.ageOf1)
		}
	}
}

func TestAddMonth(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2026-01-15T10:20:30.123Z", "2026-02-15T10:20:30Z"},
		{"2026-01-31T00:00:00Z", "2026-02-28T00:00:00Z"},
		{"2028-01-31T00:00:00Z", "2028-02-29T00:00:00Z"},
		{"2026-03-31T23:59:59Z", "2026-04-30T23:59:59Z"},
		{"2026-12-31T12:00:00Z", "2027-01-31T12:00:00Z"},
	} {
		in, _ := time.Parse(time.RFC3339Nano, c.in)
		if got := addMonth(in).Format(time.RFC3339); got != c.want {
			t.Errorf("addMonth(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 25, 8, 0, 0, 123456000, time.UTC)
	id := strings.Repeat("a-_Z", 34) + "xy"
	gotT, gotID, err := decodeCursor(encodeCursor(at, id))
	if err != nil || !gotT.Equal(at) || gotID != id {
		t.Errorf("round trip: %v %q %v", gotT, gotID, err)
	}
	for _, bad := range []string{"", "!!!", "bm90LWEtY3Vyc29y", encodeCursor(at, "")} {
		if _, _, err := decodeCursor(bad); err == nil {
			t.Errorf("decodeCursor(%q) accepted", bad)
		}
	}
}

func TestSetRange(t *testing.T) {
	const mib = treehash.LeafSize
	a := glacier.Archive{Size: 5*mib + 100, TreeHash: "whole"}
	cases := []struct {
		rng     string
		ok      bool
		treeKey string // "whole" when the job carries the archive hash at once, "" when computed later
	}{
		{"0-5242979", true, "whole"},
		{"0-1048575", true, ""},
		{"1048576-3145727", true, ""},
		{"4194304-5242979", true, ""},
		{"1-1048576", false, ""},
		{"0-1048574", false, ""},
		{"0-5242980", false, ""},
		{"1048576-1048575", false, ""},
	}
	for _, c := range cases {
		r, err := parseByteRange(c.rng)
		if err == nil {
			j := glacier.Job{}
			err = setRange(&j, a, &r)
			if err == nil && j.RangeTreeHash != c.treeKey {
				t.Errorf("%s: RangeTreeHash %q, want %q", c.rng, j.RangeTreeHash, c.treeKey)
			}
		}
		if (err == nil) != c.ok {
			t.Errorf("%s: err %v, want ok=%v", c.rng, err, c.ok)
		}
	}
}

func TestCSVField(t *testing.T) {
	for in, want := range map[string]string{
		"plain":             "plain",
		"a,b":               `"a,b"`,
		`say "hi"`:          `"say \"hi\""`,
		`back\slash`:        `back\slash`,
		`mixed, "q" \ end`:  `"mixed, \"q\" \ end"`,
		"":                  "",
		"spaces are fine  ": "spaces are fine  ",
	} {
		if got := csvField(in); got != want {
			t.Errorf("csvField(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNamesAndSizes(t *testing.T) {
	for name, want := range map[string]bool{
		"a": true, strings.Repeat("x", 255): true, strings.Repeat("x", 256): false, "": false,
		"my.vault-1_X": true, ".": false, "..": false, "...": true, "a b": false, "a/b": false, "ü": false,
	} {
		if got := validVaultName(name); got != want {
			t.Errorf("validVaultName(%q) = %v, want %v", name, got, want)
		}
	}
	for n, want := range map[int64]bool{
		1 << 20: true, 2 << 20: true, 4 << 30: true, 8 << 30: false, 3 << 20: false, 1 << 19: false, 0: false, -1 << 20: false,
	} {
		if got := validPartSize(n); got != want {
			t.Errorf("validPartSize(%d) = %v, want %v", n, got, want)
		}
	}
	for d, ok := range map[string]bool{
		"": true, strings.Repeat("~", 1024): true, strings.Repeat("~", 1025): false, "tab\t": false, "é": false,
	} {
		if err := checkDescription(d); (err == nil) != ok {
			t.Errorf("checkDescription(%.20q): %v, want ok=%v", d, err, ok)
		}
	}
	if got := trimDescription("   x  "); got != "x  " {
		t.Errorf("trimDescription = %q", got)
	}
}

func TestCheckTag(t *testing.T) {
	for _, c := range []struct {
		k, v string
		ok   bool
	}{
		{"Team", "blue", true},
		{"cost center", "a/b=c+d-e@f:g_h.i", true},
		{"ключ", "значение", true},
		{"k", "", true},
		{strings.Repeat("k", 128), strings.Repeat("v", 256), true},
		{strings.Repeat("k", 129), "v", false},
		{"k", strings.Repeat("v", 257), false},
		{"", "v", false},
		{"aws:thing", "v", false},
		{"AWS:thing", "v", false},
		{"semi;colon", "v", false},
		{"k", "new\nline", false},
	} {
		if err := checkTag(c.k, c.v); (err == nil) != c.ok {
			t.Errorf("checkTag(%.20q, %.20q): %v, want ok=%v", c.k, c.v, err, c.ok)
		}
	}
}

func TestCheckParts(t *testing.T) {
	const mib = treehash.LeafSize
	data := make([]byte, 5*mib+7)
	for i := range data {
		data[i] = byte(i * 7)
	}
	u := glacier.Upload{PartSize: 2 * mib}
	var parts []glacier.Part
	for s := int64(0); s < int64(len(data)); s += u.PartSize {
		e := min(s+u.PartSize, int64(len(data)))
		parts = append(parts, glacier.Part{Start: s, Size: e - s, TreeHash: hexString(treehash.Sum(data[s:e]))})
	}
	want := treehash.Sum(data)
	if err := checkParts(u, parts, int64(len(data)), exact(want)); err != nil {
		t.Fatalf("complete parts: %v", err)
	}
	cases := map[string]func() ([]glacier.Part, int64, [32]byte){
		"missing middle part": func() ([]glacier.Part, int64, [32]byte) {
			return []glacier.Part{parts[0], parts[2]}, int64(len(data)), want
		},
		"size too small": func() ([]glacier.Part, int64, [32]byte) { return parts, int64(len(data)) - 1, want },
		"size too large": func() ([]glacier.Part, int64, [32]byte) { return parts, int64(len(data)) + 1, want },
		"short middle part": func() ([]glacier.Part, int64, [32]byte) {
			p := append([]glacier.Part(nil), parts...)
			p[1].Size--
			return p, int64(len(data)), want
		},
		"wrong hash": func() ([]glacier.Part, int64, [32]byte) { return parts, int64(len(data)), treehash.Sum(nil) },
	}
	for name, c := range cases {
		p, size, h := c()
		err := checkParts(u, p, size, exact(h))
		if !glacier.IsKind(err, glacier.KindInvalidParameter) {
			t.Errorf("%s: %v, want InvalidParameter", name, err)
		}
	}
}

func exact(sum [treehash.Size]byte) claimedHash {
	return claimedHash{raw: hexString(sum), sum: sum, exact: true}
}

// TestClaimedTreeHash pins AWS's rule (the JavaScript SDKs' feature tests):
// only a value that is not hex is "Invalid"; any hex value is compared with
// the computed hash, so a short one is a checksum mismatch.
func TestClaimedTreeHash(t *testing.T) {
	data := []byte("tree hash claims")
	sum := treehash.Sum(data)
	for _, c := range []struct {
		header, wantErr string // wantErr: the error's start when parsing fails
		wantMatch       bool
	}{
		{header: "", wantErr: "Required parameter missing: x-amz-sha256-tree-hash"},
		{header: "000", wantErr: "Invalid x-amz-sha256-tree-hash: 000"},
		{header: "zz", wantErr: "Invalid x-amz-sha256-tree-hash: zz"},
		{header: strings.Repeat("0", 32)},
		{header: strings.Repeat("0", 64)},
		{header: strings.Repeat("0", 66)},
		{header: hexString(sum), wantMatch: true},
		{header: strings.ToUpper(hexString(sum)), wantMatch: true},
	} {
		claim, err := parseTreeHash(c.header)
		if c.wantErr != "" {
			if err == nil || !strings.HasPrefix(err.Error(), c.wantErr) {
				t.Errorf("parseTreeHash(%q): %v, want %q", c.header, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseTreeHash(%q): %v", c.header, err)
			continue
		}
		err = claim.check(sum)
		switch {
		case c.wantMatch && err != nil:
			t.Errorf("check(%q): %v, want a match", c.header, err)
		case !c.wantMatch && (!glacier.IsKind(err, glacier.KindInvalidParameter) ||
			!strings.HasPrefix(glacier.MessageOf(err), "Checksum mismatch: expected "+c.header+", computed "+hexString(sum))):
			t.Errorf("check(%q): %v, want Checksum mismatch", c.header, err)
		}
	}
}

func TestValidTopicARN(t *testing.T) {
	got := map[string]bool{}
	for _, a := range []string{"arn:aws:sns:us-east-1:123456789012:t", "arn:aws-cn:sns:cn-north-1:123456789012:t", "arn:aws:sqs:us-east-1:1:t", "topic", "arn:aws:sns:us-east-1::t"} {
		got[a] = validTopicARN(a)
	}
	want := map[string]bool{"arn:aws:sns:us-east-1:123456789012:t": true, "arn:aws-cn:sns:cn-north-1:123456789012:t": true,
		"arn:aws:sqs:us-east-1:1:t": false, "topic": false, "arn:aws:sns:us-east-1::t": false}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("validTopicARN (-want +got):\n%s", d)
	}
}

package engine

import (
	"testing"
	"time"

	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/journal"
	"github.com/glacierd/glacierd/internal/units"
)

func TestRangeSize(t *testing.T) {
	for _, c := range []struct{ size, part, want int64 }{
		{1, 8 * units.MiB, 8 * units.MiB},
		{80000 * units.MiB, 8 * units.MiB, 8 * units.MiB},
		{80000*units.MiB + 1, 8 * units.MiB, 16 * units.MiB},
		{40 * units.GiB * 10, 16 * units.MiB, 64 * units.MiB},
	} {
		if got := RangeSize(c.size, c.part); got != c.want {
			t.Errorf("RangeSize(%d, %d) = %d, want %d", c.size, c.part, got, c.want)
		}
		if n := len(RangesOf(c.size, c.part)); n > maxParts {
			t.Errorf("%d bytes: %d parts", c.size, n)
		}
	}
}

func TestPartSizeMustBeAligned(t *testing.T) {
	for _, ps := range []int64{5 * units.MiB, 12 * units.MiB, 4 * units.MiB, 8*units.MiB + 1} {
		if _, err := (Options{Account: "-", Vault: "v", Bucket: "b", PartSize: ps}).withDefaults(); err == nil {
			t.Errorf("part size %d accepted", ps)
		}
	}
}

func TestDescriptionRoundTrips(t *testing.T) {
	for _, d := range []string{"", "plain/path.txt", "café/été.jpg", " leading", "trailing ", "=?UTF-8?b?x?=", "bad \xff\xfe utf-8", "tab\there", "日本語の説明"} {
		enc := EncodeDescription(d)
		for i := range len(enc) {
			if enc[i] < 0x20 || enc[i] >= 0x7f {
				t.Fatalf("%q encodes to %q, not printable ASCII", d, enc)
			}
		}
		got, err := DecodeDescription(enc)
		if err != nil || got != d {
			t.Errorf("%q → %q → %q, %v", d, enc, got, err)
		}
	}
	if EncodeDescription("plain/path.txt") != "plain/path.txt" {
		t.Error("a plain description is encoded")
	}
}

func TestBudget(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	e := &Engine{o: Options{BytesPerDay: 100, Now: func() time.Time { return now }}}
	recs := []journal.Record{
		{Archive: journal.Archive{Size: 30}, RequestedAt: now.Add(-time.Hour)},
		{Archive: journal.Archive{Size: 50}, RequestedAt: now.Add(-25 * time.Hour)}, // outside the window
		{Archive: journal.Archive{Size: 7}},                                         // never requested
	}
	if left, used := e.budget(recs); left != 70 || used != 30 {
		t.Errorf("budget: left %d used %d, want 70 and 30", left, used)
	}
	e.policyPerDay = 40
	if left, _ := e.budget(recs); left != 10 {
		t.Errorf("with a 40-byte policy: left %d, want 10", left)
	}
	e.o.BytesPerDay, e.policyPerDay = 0, 0
	if left, _ := e.budget(recs); left != -1 {
		t.Errorf("no limit: left %d, want -1", left)
	}
}

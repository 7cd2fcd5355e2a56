package upload

import (
	"testing"

	"github.com/glacierd/glacierd/internal/units"
)

const MiB = units.MiB

func TestCheckPartSize(t *testing.T) {
	for _, n := range []int64{MiB, 2 * MiB, 16 * MiB, 4 * units.GiB} {
		if err := CheckPartSize(n); err != nil {
			t.Errorf("CheckPartSize(%d) = %v", n, err)
		}
	}
	for _, n := range []int64{0, MiB - 1, 3 * MiB, MiB + 1, 8 * units.GiB} {
		if CheckPartSize(n) == nil {
			t.Errorf("CheckPartSize(%d) accepted", n)
		}
	}
}

func TestAutoPartSize(t *testing.T) {
	cases := []struct {
		size int64
		conc int
		want int64
	}{
		{1, 4, MiB},
		{50 * MiB, 4, 16 * MiB},       // 4 parts, one per worker
		{20 * MiB, 4, 8 * MiB},        // small input: still spread over the workers
		{20 * MiB, 1, 16 * MiB},       // one worker: fewer, larger parts
		{10 * units.GiB, 4, 16 * MiB}, // large: the fast floor
		{units.TiB, 4, 128 * MiB},     // 1 TiB / 10000 = 105 MiB → 128 MiB
		{10000 * 16 * MiB, 4, 16 * MiB},
		{10000*16*MiB + 1, 4, 32 * MiB}, // one byte more needs the next size up
		{-1, 4, StreamPartSize},
		{39 * units.TiB, 8, 4 * units.GiB},
	}
	for _, c := range cases {
		got, err := AutoPartSize(c.size, c.conc)
		if err != nil || got != c.want {
			t.Errorf("AutoPartSize(%d, %d) = %d, %v; want %d", c.size, c.conc, got, err, c.want)
		}
		if c.size > 0 {
			if _, err := Plan(c.size, got); err != nil {
				t.Errorf("Plan(%d, %d): %v", c.size, got, err)
			}
		}
	}
	if _, err := AutoPartSize(41*units.TiB, 4); err == nil {
		t.Error("AutoPartSize accepted 41 TiB")
	}
}

func TestPlan(t *testing.T) {
	parts, err := Plan(50*MiB, 16*MiB)
	if err != nil {
		t.Fatal(err)
	}
	want := []Part{{0, 0, 16 * MiB}, {1, 16 * MiB, 16 * MiB}, {2, 32 * MiB, 16 * MiB}, {3, 48 * MiB, 2 * MiB}}
	if len(parts) != len(want) {
		t.Fatalf("got %d parts, want %d", len(parts), len(want))
	}
	for i := range want {
		if parts[i] != want[i] {
			t.Errorf("part %d = %+v, want %+v", i, parts[i], want[i])
		}
	}
	if got := parts[3].ContentRange(); got != "bytes 50331648-52428799/*" {
		t.Errorf("ContentRange = %q", got)
	}
	if _, err := Plan(0, MiB); err == nil {
		t.Error("Plan accepted an empty input")
	}
	if _, err := Plan(10001*MiB, MiB); err == nil {
		t.Error("Plan accepted 10001 parts")
	}
	if _, err := Plan(MiB, 3*MiB); err == nil {
		t.Error("Plan accepted a 3 MiB part size")
	}
}

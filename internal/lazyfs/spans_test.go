package lazyfs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSpansAdd(t *testing.T) {
	for _, tc := range []struct {
		name string
		add  [][2]int64
		want spans
	}{
		{"empty range ignored", [][2]int64{{5, 5}}, nil},
		{"disjoint, sorted", [][2]int64{{10, 20}, {0, 5}}, spans{{0, 5}, {10, 20}}},
		{"touching merge", [][2]int64{{0, 5}, {5, 9}}, spans{{0, 9}}},
		{"overlap merge", [][2]int64{{0, 10}, {3, 4}, {8, 12}}, spans{{0, 12}}},
		{"bridge", [][2]int64{{0, 2}, {6, 8}, {1, 7}}, spans{{0, 8}}},
		{"to end", [][2]int64{{0, 2}, {4, toEnd}, {100, 200}}, spans{{0, 2}, {4, toEnd}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s spans
			for _, r := range tc.add {
				s = s.add(r[0], r[1])
			}
			if diff := cmp.Diff(tc.want, s, cmp.AllowUnexported(span{})); diff != "" {
				t.Errorf("spans (-want +got):\n%s", diff)
			}
		})
	}
}

package names

import (
	"fmt"
	"slices"
	"strings"
)

// Summary says in one line how the names were found, e.g.
// "3 fastglacier, 1 plain, 1 empty; 1 renamed to resolve collisions".
func Summary(ns []Name) string {
	count := map[Format]int{}
	renamed := 0
	for _, n := range ns {
		count[n.Format]++
		if n.Renamed {
			renamed++
		}
	}
	formats := make([]Format, 0, len(count))
	for f := range count {
		formats = append(formats, f)
	}
	slices.SortFunc(formats, func(a, b Format) int {
		if c := count[b] - count[a]; c != 0 {
			return c
		}
		return strings.Compare(string(a), string(b))
	})
	parts := make([]string, len(formats))
	for i, f := range formats {
		parts[i] = fmt.Sprintf("%d %s", count[f], f)
	}
	s := strings.Join(parts, ", ")
	if s == "" {
		s = "no archives"
	}
	if renamed > 0 {
		s += fmt.Sprintf("; %d renamed to resolve collisions", renamed)
	}
	return s
}

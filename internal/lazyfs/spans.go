package lazyfs

import (
	"math"
	"sort"
)

// span is the byte range [off, end) of a file.
type span struct{ off, end int64 }

// toEnd is the end of a span that reaches the end of the file, whatever
// its size.
const toEnd = math.MaxInt64

// spans is a set of byte ranges, sorted and with no two overlapping or
// touching.
type spans []span

// add returns s with [off, end) added.
func (s spans) add(off, end int64) spans {
	if end <= off {
		return s
	}
	s = append(s, span{off, end})
	sort.Slice(s, func(i, j int) bool { return s[i].off < s[j].off })
	out := s[:1]
	for _, x := range s[1:] {
		last := &out[len(out)-1]
		if x.off <= last.end {
			last.end = max(last.end, x.end)
			continue
		}
		out = append(out, x)
	}
	return out
}

package glacierselect

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Timestamps follow the W3C note on date and time formats, as the reference
// says: a year or month alone ends in T (`2007T`, `2007-04T`), a date may
// (`2007-04-05`, `2007-04-05T`), and a time needs an offset (Z or ±hh:mm).

var errBadTimestamp = errors.New("not a timestamp")

func parseTimestamp(s string) (time.Time, error) {
	layouts := [...]string{
		"2006T", "2006-01T", "2006-01-02", "2006-01-02T",
		"2006-01-02T15:04Z07:00", "2006-01-02T15:04:05Z07:00",
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errBadTimestamp
}

func formatTimestamp(t time.Time) string {
	return t.Format("2006-01-02T15:04:05.999999999Z07:00")
}

// dateParts are the parts DATE_ADD, DATE_DIFF and EXTRACT accept.
func validDatePart(part string, extract bool) bool {
	switch part {
	case "YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND":
		return true
	case "TIMEZONE_HOUR", "TIMEZONE_MINUTE":
		return extract
	}
	return false
}

func dateAdd(part string, n int64, t time.Time) time.Time {
	switch part {
	case "YEAR":
		return t.AddDate(int(n), 0, 0)
	case "MONTH":
		return t.AddDate(0, int(n), 0)
	case "DAY":
		return t.AddDate(0, 0, int(n))
	case "HOUR":
		return t.Add(time.Duration(n) * time.Hour)
	case "MINUTE":
		return t.Add(time.Duration(n) * time.Minute)
	}
	return t.Add(time.Duration(n) * time.Second)
}

// dateDiff counts whole parts from a to b, negative when b is earlier.
func dateDiff(part string, a, b time.Time) int64 {
	switch part {
	case "YEAR", "MONTH":
		months := wholeMonths(a, b)
		if part == "YEAR" {
			return months / 12
		}
		return months
	case "DAY":
		return int64(b.Sub(a) / (24 * time.Hour))
	case "HOUR":
		return int64(b.Sub(a) / time.Hour)
	case "MINUTE":
		return int64(b.Sub(a) / time.Minute)
	}
	return int64(b.Sub(a) / time.Second)
}

func wholeMonths(a, b time.Time) int64 {
	if b.Before(a) {
		return -wholeMonths(b, a)
	}
	b = b.In(a.Location())
	m := int64(b.Year()-a.Year())*12 + int64(b.Month()-a.Month())
	if m > 0 && a.AddDate(0, int(m), 0).After(b) {
		m--
	}
	return m
}

func extractPart(part string, t time.Time) int64 {
	_, off := t.Zone()
	switch part {
	case "YEAR":
		return int64(t.Year())
	case "MONTH":
		return int64(t.Month())
	case "DAY":
		return int64(t.Day())
	case "HOUR":
		return int64(t.Hour())
	case "MINUTE":
		return int64(t.Minute())
	case "SECOND":
		return int64(t.Second())
	case "TIMEZONE_HOUR":
		return int64(off / 3600)
	}
	return int64(off % 3600 / 60)
}

// toString formats t with TO_STRING's pattern letters (y M d a h H m s S n
// X x, 'quoted text'); other characters are copied.
func toString(t time.Time, pattern string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(pattern); {
		c := pattern[i]
		if c == '\'' {
			j := strings.IndexByte(pattern[i+1:], '\'')
			if j < 0 {
				return "", fmt.Errorf("unterminated quote in TO_STRING pattern %q", pattern)
			}
			b.WriteString(pattern[i+1 : i+1+j])
			i += j + 2
			continue
		}
		n := 1
		for i+n < len(pattern) && pattern[i+n] == c {
			n++
		}
		if err := formatField(&b, t, c, n); err != nil {
			return "", err
		}
		i += n
	}
	return b.String(), nil
}

func formatField(b *strings.Builder, t time.Time, c byte, n int) error {
	pad := func(v int) { fmt.Fprintf(b, "%0*d", n, v) }
	switch c {
	case 'y':
		if n == 2 {
			fmt.Fprintf(b, "%02d", t.Year()%100)
		} else {
			pad(t.Year())
		}
	case 'M':
		switch {
		case n <= 2:
			pad(int(t.Month()))
		case n == 3:
			b.WriteString(t.Month().String()[:3])
		case n == 4:
			b.WriteString(t.Month().String())
		default:
			b.WriteString(t.Month().String()[:1])
		}
	case 'd':
		pad(t.Day())
	case 'a':
		b.WriteString(t.Format("PM"))
	case 'h':
		pad((t.Hour()+11)%12 + 1)
	case 'H':
		pad(t.Hour())
	case 'm':
		pad(t.Minute())
	case 's':
		pad(t.Second())
	case 'S':
		frac := fmt.Sprintf("%09d", t.Nanosecond())
		for len(frac) < n {
			frac += "0"
		}
		b.WriteString(frac[:n])
	case 'n':
		b.WriteString(strconv.Itoa(t.Nanosecond()))
	case 'X', 'x':
		writeOffset(b, t, c == 'X', n)
	default:
		if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') {
			return fmt.Errorf("unsupported TO_STRING pattern letter %q", c)
		}
		b.WriteString(strings.Repeat(string(c), n))
	}
	return nil
}

func writeOffset(b *strings.Builder, t time.Time, zForUTC bool, n int) {
	_, off := t.Zone()
	if off == 0 && zForUTC {
		b.WriteByte('Z')
		return
	}
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	b.WriteByte(sign)
	fmt.Fprintf(b, "%02d", off/3600)
	switch n {
	case 1:
		if m := off % 3600 / 60; m != 0 {
			fmt.Fprintf(b, "%02d", m)
		}
	case 2, 4:
		fmt.Fprintf(b, "%02d", off%3600/60)
	default:
		fmt.Fprintf(b, ":%02d", off%3600/60)
	}
}

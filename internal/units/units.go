// Package units parses and formats byte sizes for people: the sizes the
// glacier command line takes and prints, and the figures glacierd migrate
// reports.
package units

import (
	"fmt"
	"strconv"
	"strings"
)

// Binary multiples.
const (
	KiB int64 = 1 << 10
	MiB int64 = 1 << 20
	GiB int64 = 1 << 30
	TiB int64 = 1 << 40
)

// multiplier returns the multiplier of a lower-case size suffix.
// Decimal-looking suffixes (M, MB) are binary too, as in the AWS CLI's
// chunk-size settings: nobody means 16,000,000 bytes by a "16MB" part size.
func multiplier(suffix string) (int64, bool) {
	switch suffix {
	case "", "b":
		return 1, true
	case "k", "kb", "kib":
		return KiB, true
	case "m", "mb", "mib":
		return MiB, true
	case "g", "gb", "gib":
		return GiB, true
	case "t", "tb", "tib":
		return TiB, true
	}
	return 0, false
}

// Parse reads a byte count such as "1048576", "16MiB", "16M", "1.5GiB" or
// "4 GiB". Suffixes are case-insensitive and always binary.
func Parse(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := len(t)
	for i > 0 && (t[i-1] < '0' || t[i-1] > '9') {
		i--
	}
	num, suf := strings.TrimSpace(t[:i]), strings.ToLower(strings.TrimSpace(t[i:]))
	mult, ok := multiplier(suf)
	if num == "" || !ok {
		return 0, fmt.Errorf("invalid size %q (want a number of bytes, optionally with KiB, MiB, GiB or TiB)", s)
	}
	if n, err := strconv.ParseInt(num, 10, 64); err == nil {
		if n < 0 || (n > 0 && mult > (1<<63-1)/n) {
			return 0, fmt.Errorf("invalid size %q: out of range", s)
		}
		return n * mult, nil
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 || f*float64(mult) >= 1<<63 {
		return 0, fmt.Errorf("invalid size %q", s)
	}
	return int64(f * float64(mult)), nil
}

// Format renders n bytes for people: "512 B", "50.0 MiB", "1.00 GiB".
func Format(n int64) string {
	if n < KiB && n > -KiB {
		return strconv.FormatInt(n, 10) + " B"
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	f := float64(n) / 1024
	u := 0
	for (f >= 1024 || f <= -1024) && u < len(units)-1 {
		f /= 1024
		u++
	}
	switch {
	case f >= 100 || f <= -100:
		return fmt.Sprintf("%.0f %s", f, units[u])
	case f >= 10 || f <= -10:
		return fmt.Sprintf("%.1f %s", f, units[u])
	}
	return fmt.Sprintf("%.2f %s", f, units[u])
}

// Bytes is a byte count usable as a command-line flag: it parses with Parse
// and prints with Format.
type Bytes int64

// UnmarshalText implements encoding.TextUnmarshaler.
func (b *Bytes) UnmarshalText(text []byte) error {
	n, err := Parse(string(text))
	if err != nil {
		return err
	}
	*b = Bytes(n)
	return nil
}

// String implements fmt.Stringer.
func (b Bytes) String() string { return Format(int64(b)) }

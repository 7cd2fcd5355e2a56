package names

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxKeyBytes is S3's limit on the length of an object key, in UTF-8 bytes.
const MaxKeyBytes = 1024

// Sanitize makes a decoded path a relative S3 key that S3-compatible
// servers store as it is: backslashes become slashes (FastGlacier and
// CloudBerry write Windows paths), a drive letter "C:" becomes "C", empty,
// "." and ".." segments are dropped (never resolved, so a key cannot climb
// out of the destination prefix), control characters and U+FFFD become
// "_". It returns "" when nothing is left or path is not UTF-8. It does not
// check the length; see Valid.
func Sanitize(path string) string {
	if !utf8.ValidString(path) {
		return ""
	}
	path = strings.ReplaceAll(path, `\`, "/")
	segs := strings.Split(path, "/")
	out := segs[:0]
	for _, s := range segs {
		if len(out) == 0 && len(s) == 2 && s[1] == ':' && isASCIILetter(s[0]) {
			s = s[:1]
		}
		if s == "" || s == "." || s == ".." {
			continue
		}
		out = append(out, strings.Map(cleanRune, s))
	}
	return strings.Join(out, "/")
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func cleanRune(r rune) rune {
	if unicode.IsControl(r) || r == utf8.RuneError || unicode.Is(unicode.Cf, r) && r != '\u200d' {
		return '_'
	}
	return r
}

// Valid reports whether key is a key Sanitize leaves as it is and fits S3's
// length limit.
func Valid(key string) bool {
	return key != "" && len(key) <= MaxKeyBytes && Sanitize(key) == key
}

// join puts a relative key under prefix (which has no leading or trailing
// slash, or is empty).
func join(prefix, rel string) string {
	if prefix == "" {
		return rel
	}
	return prefix + "/" + rel
}

package names

import (
	"strings"
	"unicode/utf16"
)

// utf7Alphabet is the modified-base64 alphabet of RFC 2152 (no padding).
const utf7Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// decodeUTF7 decodes RFC 2152 UTF-7 as .NET's UTF7Encoding writes it:
// "+" starts a base64 run of UTF-16BE code units, ended by "-" (consumed)
// or by any non-base64 character; "+-" is a literal "+". ok is false for a
// malformed run (non-zero leftover bits, an odd byte count or a lone
// surrogate).
func decodeUTF7(s string) (string, bool) {
	if !strings.Contains(s, "+") {
		return s, true
	}
	var out strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c != '+' {
			out.WriteByte(c)
			i++
			continue
		}
		i++
		if i < len(s) && s[i] == '-' {
			out.WriteByte('+')
			i++
			continue
		}
		var bits, nbits uint32
		var units []uint16
		var b []byte
		for i < len(s) {
			v := strings.IndexByte(utf7Alphabet, s[i])
			if v < 0 {
				break
			}
			bits = bits<<6 | uint32(v)
			nbits += 6
			if nbits >= 8 {
				nbits -= 8
				b = append(b, byte(bits>>nbits))
				bits &= 1<<nbits - 1
			}
			i++
		}
		if bits != 0 || len(b)%2 != 0 || len(b) == 0 {
			return "", false
		}
		for j := 0; j < len(b); j += 2 {
			units = append(units, uint16(b[j])<<8|uint16(b[j+1]))
		}
		for _, r := range utf16.Decode(units) {
			if r == '\uFFFD' {
				return "", false
			}
			out.WriteRune(r)
		}
		if i < len(s) && s[i] == '-' {
			i++
		}
	}
	return out.String(), true
}

package names

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeSanitize checks that any description decodes without panicking
// and that Sanitize always yields "" or a valid, stable key.
func FuzzDecodeSanitize(f *testing.F) {
	for _, s := range []string{"", "photos/a.jpg", "/C:/x", `\\srv\share`, "a/../b", "mt2 e30", "mt1 e30",
		"<m><v>4</v><p>cGhvdG9zL2EuanBn</p></m>", `{"Path":"+AF8-"}`, "0KTQvtGC0L4vYS5qcGc=", "+2D0-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, desc string) {
		p, _, ok := Decode(desc)
		if ok && !utf8.ValidString(p) {
			t.Fatalf("Decode(%q) = %q: not UTF-8", desc, p)
		}
		for _, in := range []string{desc, p} {
			k := Sanitize(in)
			if k == "" {
				continue
			}
			if Sanitize(k) != k || strings.HasPrefix(k, "/") || strings.Contains(k, "//") {
				t.Fatalf("Sanitize(%q) = %q is not stable or has empty segments", in, k)
			}
			for _, seg := range strings.Split(k, "/") {
				if seg == "." || seg == ".." {
					t.Fatalf("Sanitize(%q) = %q keeps a dot segment", in, k)
				}
			}
		}
	})
}

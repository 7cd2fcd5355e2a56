package names

import "testing"

func TestDecode(t *testing.T) {
	tests := []struct {
		name, desc string
		want       string
		format     Format
		ok         bool
	}{
		{"fastglacier v4 cyrillic",
			"<m><v>4</v><p>0KTQvtGC0L4vMjAxOS/QvtGC0L/Rg9GB0LouanBn</p><lm>20190309T140000Z</lm><ce>0:0:9e107d9d372bb6826bd81d3542a419d6:48213</ce></m>",
			"Фото/2019/отпуск.jpg", FastGlacier, true},
		{"fastglacier v2 windows path",
			"<m><v>2</v><p>QzpcVXNlcnNcQW5uYVxEb2N1bWVudHNcdGF4IDIwMTkucGRm</p><lm>20120925T081011Z</lm></m>",
			`C:\Users\Anna\Documents\tax 2019.pdf`, FastGlacier, true},
		{"fastglacier v1", "<ArchiveMetadata><Path>ZGlyL2ZpbGUudHh0</Path></ArchiveMetadata>",
			"dir/file.txt", FastGlacier, true},
		{"fastglacier corrupt base64", "<m><v>4</v><p>!!notbase64</p><lm>20190309T140000Z</lm></m>",
			"", Undecodable, false},
		{"fastglacier without path", "<m><v>4</v><lm>20190309T140000Z</lm></m>", "", Undecodable, false},
		{"cloudberry utf7", `{"Path":"D:\\backup\\c01+AF8-s00.vmdk","UTCDateModified":"20150112T093012Z","Flags":0}`,
			`D:\backup\c01_s00.vmdk`, CloudBerry, true},
		{"cloudberry cyrillic utf7", `{"Path":"/home/+BCQEPgRCBD4-/a.png","UTCDateModified":"20150112T093012Z","Flags":3}`,
			"/home/Фото/a.png", CloudBerry, true},
		{"cloudberry literal plus", `{"Path":"C+-+-/notes.txt","Flags":0}`, "C++/notes.txt", CloudBerry, true},
		{"json path not utf7 kept raw", `{"Path":"a+b.txt"}`, "a+b.txt", CloudBerry, true},
		{"json without path", `{"Flags":1}`, "", Undecodable, false},
		{"broken json", `{"Path":"x"`, "", Undecodable, false},
		{"mt2", "mt2 eyJtdGltZSI6ICIyMDE5MDMwOVQxNDAwMDBaIiwgImZpbGVuYW1lIjogInBob3Rvcy_DqXTDqS9JTUdfMDAwMS5KUEcifQ",
			"photos/été/IMG_0001.JPG", MtGlacier, true},
		{"mt1 double-encoded", "mt1 eyJmaWxlbmFtZSI6ICLDg8KpdMODwqkudHh0IiwgIm10aW1lIjogIjIwMTMwMTAxVDAwMDAwMFoifQ",
			"été.txt", MtGlacier, true},
		{"mt2 corrupt", "mt2 ***", "", Undecodable, false},
		{"base64 utf8", "0KTQvtGC0L4vMjAxOS/QvtGC0L/Rg9GB0LouanBn", "Фото/2019/отпуск.jpg", Base64, true},
		{"base64 ascii path", "ZGlyL2ZpbGUudHh0", "dir/file.txt", Base64, true},
		{"word that is valid base64 stays plain", "backups1", "backups1", Plain, true},
		{"plain path", "photos/2019/IMG_0001.JPG", "photos/2019/IMG_0001.JPG", Plain, true},
		{"aws cli style plain", "my archive 2019-03-09", "my archive 2019-03-09", Plain, true},
		{"raw utf8", "Fotos/Überlingen.jpg", "Fotos/Überlingen.jpg", Plain, true},
		{"empty", "", "", Empty, false},
		{"spaces only", "   ", "", Empty, false},
		{"invalid utf8", "a\xffb", "", Undecodable, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, f, ok := Decode(tt.desc)
			if got != tt.want || f != tt.format || ok != tt.ok {
				t.Errorf("Decode(%q) = %q, %s, %v; want %q, %s, %v", tt.desc, got, f, ok, tt.want, tt.format, tt.ok)
			}
		})
	}
}

func TestDecodeUTF7Malformed(t *testing.T) {
	for _, s := range []string{"+A-", "+AF-", "+2D0-"} { // leftover bits, odd byte count, lone surrogate
		if got, ok := decodeUTF7(s); ok {
			t.Errorf("decodeUTF7(%q) = %q, ok; want failure", s, got)
		}
	}
}

func TestSanitize(t *testing.T) {
	tests := map[string]string{
		"/etc/passwd":                "etc/passwd",
		`C:\Users\Anna\tax 2019.pdf`: "C/Users/Anna/tax 2019.pdf",
		`\\server\share\x.doc`:       "server/share/x.doc",
		"a/../../b":                  "a/b",
		"./a//b/./c":                 "a/b/c",
		"tab\there\x00nul\x7f":       "tab_here_nul_",
		"..":                         "",
		"/":                          "",
		"a\u200bzero-width":          "a_zero-width",
		"a\xffb":                     "",
		"Фото/отпуск.jpg":            "Фото/отпуск.jpg",
		"trailing/":                  "trailing",
		"..hidden/...dots/file..":    "..hidden/...dots/file..",
		"c:relative":                 "c:relative",
		"D:":                         "D",
		"/C:/x":                      "C/x",
	}
	for in, want := range tests {
		if got := Sanitize(in); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
		if want != "" && !Valid(want) {
			t.Errorf("Valid(%q) = false for a sanitized key", want)
		}
	}
}

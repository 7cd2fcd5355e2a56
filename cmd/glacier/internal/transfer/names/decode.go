package names

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Format says how a description was decoded.
type Format string

// The formats Decode recognises.
const (
	FastGlacier Format = "fastglacier"    // <m><v>…</v><p>BASE64</p>…</m> or v1 <ArchiveMetadata><Path>
	CloudBerry  Format = "cloudberry"     // {"Path":"UTF-7 path",…}
	MtGlacier   Format = "mt-aws-glacier" // "mt2 " + base64url JSON
	Base64      Format = "base64"         // the whole description is base64 of a UTF-8 path
	Plain       Format = "plain"          // the description is the path
	Empty       Format = "empty"          // no description
	Undecodable Format = "undecodable"    // a known format whose payload is corrupt, or no text
	Override    Format = "override"       // the key came from the user's override file
)

var (
	fgPath   = regexp.MustCompile(`^<m>.*<p>([^<]*)</p>.*</m>$`)
	fgV1Path = regexp.MustCompile(`^<ArchiveMetadata>.*<Path>([^<]*)</Path>.*</ArchiveMetadata>$`)
	b64Alpha = regexp.MustCompile(`^[A-Za-z0-9+/]+={0,2}$`)
)

// Decode returns the path a description holds and the format it was found
// in. ok is false when the description is empty, or is in a recognised
// format whose payload does not decode to UTF-8 text.
func Decode(desc string) (path string, f Format, ok bool) {
	d := strings.TrimSpace(desc)
	switch {
	case d == "":
		return "", Empty, false
	case strings.HasPrefix(d, "<m>"):
		return decodeXML(fgPath, d)
	case strings.HasPrefix(d, "<ArchiveMetadata>"):
		return decodeXML(fgV1Path, d)
	case strings.HasPrefix(d, "mt2 "), strings.HasPrefix(d, "mt1 "):
		return decodeMt(d)
	case strings.HasPrefix(d, "{"):
		return decodeCloudBerry(d)
	}
	if p, ok := decodeBase64(d); ok {
		return p, Base64, true
	}
	if !utf8.ValidString(desc) {
		return "", Undecodable, false
	}
	return desc, Plain, true
}

func decodeXML(re *regexp.Regexp, d string) (string, Format, bool) {
	m := re.FindStringSubmatch(d)
	if m == nil {
		return "", Undecodable, false
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(m[1]))
	if err != nil || len(b) == 0 || !utf8.Valid(b) {
		return "", Undecodable, false
	}
	return string(b), FastGlacier, true
}

// decodeMt reads mt-aws-glacier's "mt2 " + base64url(JSON) description.
// The 0.80–0.84 betas wrote "mt1 ", whose JSON strings hold UTF-8 bytes
// encoded a second time as if they were Latin-1 code points.
func decodeMt(d string) (string, Format, bool) {
	payload := strings.TrimRight(d[4:], "=")
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return "", Undecodable, false
	}
	var meta struct {
		Filename *string `json:"filename"`
	}
	if err := json.Unmarshal(b, &meta); err != nil || meta.Filename == nil || *meta.Filename == "" {
		return "", Undecodable, false
	}
	name := *meta.Filename
	if strings.HasPrefix(d, "mt1 ") {
		raw := make([]byte, 0, len(name))
		for _, r := range name {
			if r > 0xff {
				return "", Undecodable, false
			}
			raw = append(raw, byte(r))
		}
		if !utf8.Valid(raw) {
			return "", Undecodable, false
		}
		name = string(raw)
	}
	return name, MtGlacier, true
}

// decodeCloudBerry reads a JSON description with a "Path" field, as
// CloudBerry (MSP360) writes it, with the path in UTF-7. A path that is not
// valid UTF-7 is taken as it is (another tool's JSON).
func decodeCloudBerry(d string) (string, Format, bool) {
	var meta map[string]any
	if err := json.Unmarshal([]byte(d), &meta); err != nil {
		return "", Undecodable, false
	}
	var p string
	for _, k := range []string{"Path", "path", "FilePath", "filename"} {
		if s, ok := meta[k].(string); ok && s != "" {
			p = s
			break
		}
	}
	if p == "" {
		return "", Undecodable, false
	}
	if u, ok := decodeUTF7(p); ok {
		p = u
	}
	return p, CloudBerry, true
}

// decodeBase64 accepts a description that is standard base64 of a UTF-8
// path. Ordinary words are often valid base64 too, so the decoded text must
// be printable and look like a name: it contains a '.', a path separator or
// a non-ASCII letter, and is not just the description with noise.
func decodeBase64(d string) (string, bool) {
	if len(d) < 8 || len(d)%4 != 0 || !b64Alpha.MatchString(d) {
		return "", false
	}
	b, err := base64.StdEncoding.DecodeString(d)
	if err != nil || !utf8.Valid(b) {
		return "", false
	}
	s := string(b)
	nameLike := false
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return "", false
		}
		if r == '.' || r == '/' || r == '\\' || (r > unicode.MaxASCII && unicode.IsLetter(r)) {
			nameLike = true
		}
	}
	return s, nameLike
}

package service

import (
	"strings"

	"github.com/glacierd/glacierd/internal/glacier"
)

// Limits from the Glacier developer guide (glacier-facts §2).
const (
	maxVaultsPerAccount = 1000
	maxVaultNameLen     = 255
	maxDescriptionLen   = 1024
	maxArchiveSize      = 4 << 30 // single-request upload
	minPartSize         = 1 << 20
	maxPartSize         = 4 << 30
	maxParts            = 10000
)

// validVaultName reports whether name satisfies Glacier's vault naming rule:
// 1–255 characters from [A-Za-z0-9_.-]. The names "." and ".." are refused
// too: as URL path segments they are rewritten by clients and servers alike,
// so no request could name them reliably.
func validVaultName(name string) bool {
	if len(name) == 0 || len(name) > maxVaultNameLen || name == "." || name == ".." {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// checkDescription validates an archive or job description: at most 1,024
// characters of printable ASCII (0x20–0x7E).
func checkDescription(d string) error {
	if len(d) > maxDescriptionLen {
		return glacier.Errorf(glacier.KindInvalidParameter,
			"Invalid description: the description must be at most %d characters long, but was %d", maxDescriptionLen, len(d))
	}
	for i := 0; i < len(d); i++ {
		if d[i] < 0x20 || d[i] > 0x7e {
			return glacier.Errorf(glacier.KindInvalidParameter,
				"Invalid description: the description may contain only printable ASCII characters (0x20-0x7E)")
		}
	}
	return nil
}

// trimDescription applies the multipart rule that leading spaces are removed.
func trimDescription(d string) string { return strings.TrimLeft(d, " ") }

// validPartSize reports whether n is 1 MiB × 2^k with 1 MiB ≤ n ≤ 4 GiB.
func validPartSize(n int64) bool {
	return n >= minPartSize && n <= maxPartSize && n&(n-1) == 0
}

// Limits the HTTP layer needs to refuse a request from its headers alone,
// before reading a body the service would refuse anyway.
const (
	MaxArchiveSize  = maxArchiveSize  // the largest UploadArchive body
	MaxPartSize     = maxPartSize     // the largest UploadMultipartPart body
	MaxPolicyLength = maxPolicyLength // the largest access or vault lock policy, in bytes
)

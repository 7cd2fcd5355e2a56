package app

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/httpapi"
)

// LoadCredentials reads a credentials file: one credential per line, as
// whitespace-separated fields
//
//	ACCESS_KEY  SECRET_KEY  ACCOUNT_ID  [USER]
//
// where ACCOUNT_ID is 12 digits and USER, when given, names an IAM-style
// user of that account (without it the key acts as the account's root).
// Blank lines and lines starting with # are ignored. An access key may
// appear only once.
func LoadCredentials(path string) (httpapi.Keyring, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	k, err := parseCredentials(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

func parseCredentials(r io.Reader) (httpapi.Keyring, error) {
	k := httpapi.Keyring{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 3 || len(f) > 4 {
			return nil, fmt.Errorf("line %d: want ACCESS_KEY SECRET_KEY ACCOUNT_ID [USER], got %d fields", n, len(f))
		}
		if !glacier.IsAccountID(f[2]) {
			return nil, fmt.Errorf("line %d: account ID %q is not 12 digits", n, f[2])
		}
		if _, dup := k[f[0]]; dup {
			return nil, fmt.Errorf("line %d: access key %s appears twice", n, f[0])
		}
		c := httpapi.Credential{AccessKey: f[0], Secret: f[1], Caller: glacier.Caller{Account: f[2], AccessKey: f[0]}}
		if len(f) == 4 {
			c.Caller.User = f[3]
		}
		k[f[0]] = c
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(k) == 0 {
		return nil, fmt.Errorf("no credentials")
	}
	return k, nil
}

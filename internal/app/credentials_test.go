package app

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/httpapi"
)

func TestParseCredentials(t *testing.T) {
	k, err := parseCredentials(strings.NewReader(`
# team accounts
AKIDALICE   alice-secret  111111111111  alice
AKIDROOT    root/secret+x 111111111111
	AKIDBOB bob 222222222222 bob
`))
	if err != nil {
		t.Fatal(err)
	}
	want := httpapi.Keyring{
		"AKIDALICE": {AccessKey: "AKIDALICE", Secret: "alice-secret", Caller: glacier.Caller{Account: "111111111111", User: "alice", AccessKey: "AKIDALICE"}},
		"AKIDROOT":  {AccessKey: "AKIDROOT", Secret: "root/secret+x", Caller: glacier.Caller{Account: "111111111111", AccessKey: "AKIDROOT"}},
		"AKIDBOB":   {AccessKey: "AKIDBOB", Secret: "bob", Caller: glacier.Caller{Account: "222222222222", User: "bob", AccessKey: "AKIDBOB"}},
	}
	if d := cmp.Diff(want, k); d != "" {
		t.Errorf("keyring (-want +got):\n%s", d)
	}
	for _, bad := range []string{
		"",
		"# only comments\n",
		"AKID secret\n",
		"AKID secret 12345 user\n",
		"AKID secret 111111111111 user extra\n",
		"AKID a 111111111111\nAKID b 222222222222\n",
	} {
		if _, err := parseCredentials(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

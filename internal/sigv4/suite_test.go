package sigv4

import (
	"bufio"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// suiteEnv names the directory holding the AWS SigV4 test suite
// (aws4_testsuite, as distributed with botocore under
// tests/unit/auth/aws4_testsuite). The suite is not vendored here; the test
// is skipped unless the variable is set.
const suiteEnv = "SIGV4_TESTSUITE_DIR"

// suiteBadSreq lists vectors whose .sreq is inconsistent in the suite
// itself: get-vanilla-with-session-token's .sreq carries get-vanilla's
// signature instead of the one in its .authz. Only its .authz is checked.
var suiteBadSreq = map[string]bool{"get-vanilla-with-session-token": true}

// TestAWSTestSuite checks the canonical request (.creq), string to sign
// (.sts) and signatures (.sreq, .authz) of every vector of the AWS SigV4 test
// suite.
func TestAWSTestSuite(t *testing.T) {
	dir := os.Getenv(suiteEnv)
	if dir == "" {
		t.Skipf("set %s to the aws4_testsuite directory to run the AWS SigV4 test-suite vectors", suiteEnv)
	}
	var sreqs []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".sreq") {
			sreqs = append(sreqs, path)
		}
		return err
	})
	if err != nil || len(sreqs) == 0 {
		t.Fatalf("no .sreq files under %s: %v", dir, err)
	}
	for _, sreq := range sreqs {
		base := strings.TrimSuffix(sreq, ".sreq")
		name := filepath.Base(base)
		t.Run(name, func(t *testing.T) {
			r, body := readSuiteRequest(t, sreq)
			wantCreq, wantSts := readFile(t, base+".creq"), readFile(t, base+".sts")
			a, err := Parse(r)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			payloadHash := HashHex(body)
			query := canonicalQuery(parseQuery(r.URL.RawQuery), a.Presigned)
			headers := canonicalHeaders(r, a.SignedHeaders)
			raw, norm := canonicalURIs(r)
			var creqs []string
			for _, uri := range []string{raw, norm} {
				creqs = append(creqs, canonicalRequest(r.Method, uri, query, headers, a.SignedHeaders, payloadHash))
			}
			i := slices.Index(creqs, wantCreq)
			if i < 0 {
				t.Fatalf("canonical request not among the candidates\nwant:\n%s\ngot:\n%s", wantCreq, strings.Join(creqs, "\n--- or ---\n"))
			}
			scope := a.CredentialDate + "/" + a.Region + "/" + a.Service + "/aws4_request"
			if sts := stringToSign(a.Date.Format(TimeFormat), scope, creqs[i]); sts != wantSts {
				t.Errorf("string to sign:\n%s\nwant:\n%s", sts, wantSts)
			}
			if err := a.Verify(r, testSecret, payloadHash, a.Date, 0); err != nil && !suiteBadSreq[name] {
				t.Errorf("Verify .sreq: %v", err)
			}
			r.Header.Set("Authorization", readFile(t, base+".authz"))
			if a, err = Parse(r); err != nil {
				t.Fatalf("Parse .authz: %v", err)
			}
			if err := a.Verify(r, testSecret, payloadHash, a.Date, 0); err != nil {
				t.Errorf("Verify .authz: %v", err)
			}
			if err := a.Verify(r, testSecret+"x", payloadHash, a.Date, 0); err == nil {
				t.Errorf("Verify accepted a wrong secret")
			}
		})
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// readSuiteRequest parses a test-suite request file by hand: its request
// lines are not always valid HTTP (raw spaces and UTF-8 in the target), so
// the target is kept verbatim as RequestURI, as a lenient server would.
func readSuiteRequest(t *testing.T, path string) (*http.Request, []byte) {
	t.Helper()
	text := readFile(t, path)
	head, body, _ := strings.Cut(text, "\n\n")
	line, headerText, _ := strings.Cut(head, "\n")
	method, rest, _ := strings.Cut(line, " ")
	target := rest[:strings.LastIndex(rest, " ")]
	hdr, err := textproto.NewReader(bufio.NewReader(strings.NewReader(headerText + "\n\n"))).ReadMIMEHeader()
	if err != nil {
		t.Fatalf("headers of %s: %v", path, err)
	}
	r := &http.Request{Method: method, RequestURI: target, Header: http.Header(hdr), URL: &url.URL{}}
	_, r.URL.RawQuery, _ = strings.Cut(target, "?")
	r.Host = r.Header.Get("Host")
	r.Header.Del("Host")
	return r, []byte(body)
}

package selectout

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/glacierd/glacierd/internal/glacier"
)

// fake is an in-process gofakes3 (over HTTPS: over HTTP minio-go's
// aws-chunked parts are stored verbatim) that records the headers of the
// requests that create objects.
type fake struct {
	be      *s3mem.Backend
	w       *Writer
	mu      sync.Mutex
	headers []http.Header
}

func newFake(t *testing.T) *fake {
	f := &fake{be: s3mem.New()}
	if err := f.be.CreateBucket("out"); err != nil {
		t.Fatal(err)
	}
	h := gofakes3.New(f.be, gofakes3.WithLogger(gofakes3.DiscardLog())).Server()
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && r.URL.Query().Get("partNumber") == "" ||
			r.Method == http.MethodPost && r.URL.Query().Has("uploads") {
			f.mu.Lock()
			f.headers = append(f.headers, r.Header.Clone())
			f.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	}))
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	t.Cleanup(ts.Close)
	w, err := New(Config{Endpoint: strings.TrimPrefix(ts.URL, "https://"), Secure: true,
		AccessKey: "k", SecretKey: "s", Transport: ts.Client().Transport})
	if err != nil {
		t.Fatal(err)
	}
	f.w = w
	return f
}

func (f *fake) get(t *testing.T, key string) string {
	t.Helper()
	o, err := f.be.GetObject("out", key, nil)
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer o.Contents.Close()
	b, err := io.ReadAll(o.Contents)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPutSendsTheLocationsSettings(t *testing.T) {
	f := newFake(t)
	loc := glacier.S3Location{
		BucketName: "out", Prefix: "p", CannedACL: "bucket-owner-read", StorageClass: "STANDARD_IA",
		Encryption: &glacier.S3Encryption{EncryptionType: "AES256"},
		AccessControlList: []glacier.S3Grant{
			{Grantee: glacier.S3Grantee{Type: "CanonicalUser", ID: "abc"}, Permission: "READ"},
			{Grantee: glacier.S3Grantee{Type: "Group", URI: "http://acs/g"}, Permission: "READ"},
			{Grantee: glacier.S3Grantee{Type: "AmazonCustomerByEmail", EmailAddress: "a@b.c"}, Permission: "FULL_CONTROL"},
		},
		Tagging:      map[string]string{"team": "x"},
		UserMetadata: map[string]string{"owner": "me", "x-amz-acl": "public-read"},
	}
	big := bytes.Repeat([]byte("0123456789abcdef"), (6<<20)/16) // over one 5 MiB part
	for _, c := range []struct {
		key  string
		body []byte
		size int64
	}{{"p/small", []byte("hello\n"), 6}, {"p/unknown", []byte("a,b\n"), -1}, {"p/big", big, -1}} {
		f.headers = nil
		if err := f.w.Put(t.Context(), loc, c.key, bytes.NewReader(c.body), c.size); err != nil {
			t.Fatalf("Put %s: %v", c.key, err)
		}
		if got := f.get(t, c.key); got != string(c.body) {
			t.Errorf("%s holds %d bytes, want %d", c.key, len(got), len(c.body))
		}
		if len(f.headers) != 1 {
			t.Fatalf("%s: %d creating requests, want 1", c.key, len(f.headers))
		}
		h := f.headers[0]
		for name, want := range map[string]string{
			"X-Amz-Acl":                    "bucket-owner-read",
			"X-Amz-Grant-Read":             `id="abc", uri="http://acs/g"`,
			"X-Amz-Grant-Full-Control":     `emailAddress="a@b.c"`,
			"X-Amz-Meta-Owner":             "me",
			"X-Amz-Meta-X-Amz-Acl":         "public-read",
			"X-Amz-Tagging":                "team=x",
			"X-Amz-Storage-Class":          "STANDARD_IA",
			"X-Amz-Server-Side-Encryption": "AES256",
		} {
			if got := h.Get(name); got != want {
				t.Errorf("%s: header %s = %q, want %q", c.key, name, got, want)
			}
		}
	}
}

func TestPutToAMissingBucketIsInvalidParameter(t *testing.T) {
	f := newFake(t)
	err := f.w.Put(t.Context(), glacier.S3Location{BucketName: "nope"}, "k", strings.NewReader("x"), 1)
	if !glacier.IsKind(err, glacier.KindInvalidParameter) || !strings.Contains(glacier.MessageOf(err), "NoSuchBucket") {
		t.Errorf("Put to a missing bucket: %v (kind %v), want InvalidParameter naming NoSuchBucket", err, glacier.KindOf(err))
	}
}

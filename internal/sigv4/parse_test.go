package sigv4

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const (
	goodCred   = "AKIDEXAMPLE/20150830/us-east-1/glacier/aws4_request"
	goodAuthz  = "AWS4-HMAC-SHA256 Credential=" + goodCred + ", SignedHeaders=host;x-amz-date, Signature=abc123"
	goodAmzDay = "20150830T123600Z"
)

// newReq builds a server-side request by hand.
func newReq(rawQuery string, header map[string]string) *http.Request {
	r := &http.Request{
		Method:     "GET",
		URL:        &url.URL{Path: "/", RawQuery: rawQuery},
		Header:     http.Header{},
		Host:       "glacier.us-east-1.amazonaws.com",
		RequestURI: "/",
	}
	if rawQuery != "" {
		r.RequestURI += "?" + rawQuery
	}
	for k, v := range header {
		r.Header.Add(k, v)
	}
	return r
}

func TestParse(t *testing.T) {
	date := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	presignQuery := "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + url.QueryEscape(goodCred) +
		"&X-Amz-Date=" + goodAmzDay + "&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=abc&X-Amz-Security-Token=tok%2B"
	tests := []struct {
		name     string
		query    string
		header   map[string]string
		want     *Auth
		wantErr  error
		contains []string // substrings of the error message
	}{
		{name: "header", header: map[string]string{"Authorization": goodAuthz, "X-Amz-Date": goodAmzDay, "X-Amz-Security-Token": "tok"},
			want: &Auth{AccessKey: "AKIDEXAMPLE", CredentialDate: "20150830", Region: "us-east-1", Service: "glacier", Date: date,
				SignedHeaders: []string{"host", "x-amz-date"}, Signature: "abc123", SecurityToken: "tok"}},
		{name: "header loose spacing and case", header: map[string]string{
			"Authorization": "  AWS4-HMAC-SHA256   Credential = " + goodCred + " ,SignedHeaders=Host;X-Amz-Date,  Signature=abc123,",
			"X-Amz-Date":    goodAmzDay},
			want: &Auth{AccessKey: "AKIDEXAMPLE", CredentialDate: "20150830", Region: "us-east-1", Service: "glacier", Date: date,
				SignedHeaders: []string{"host", "x-amz-date"}, Signature: "abc123"}},
		{name: "access key with slash", header: map[string]string{
			"Authorization": strings.Replace(goodAuthz, "AKIDEXAMPLE", "AK/ID", 1), "X-Amz-Date": goodAmzDay},
			want: &Auth{AccessKey: "AK/ID", CredentialDate: "20150830", Region: "us-east-1", Service: "glacier", Date: date,
				SignedHeaders: []string{"host", "x-amz-date"}, Signature: "abc123"}},
		{name: "date header basic", header: map[string]string{"Authorization": goodAuthz, "Date": goodAmzDay},
			want: &Auth{AccessKey: "AKIDEXAMPLE", CredentialDate: "20150830", Region: "us-east-1", Service: "glacier", Date: date,
				SignedHeaders: []string{"host", "x-amz-date"}, Signature: "abc123"}},
		{name: "date header RFC1123", header: map[string]string{"Authorization": goodAuthz, "Date": "Sun, 30 Aug 2015 12:36:00 GMT"},
			want: &Auth{AccessKey: "AKIDEXAMPLE", CredentialDate: "20150830", Region: "us-east-1", Service: "glacier", Date: date,
				SignedHeaders: []string{"host", "x-amz-date"}, Signature: "abc123"}},
		{name: "x-amz-date wins over date", header: map[string]string{"Authorization": goodAuthz, "X-Amz-Date": goodAmzDay,
			"Date": "Mon, 31 Aug 2015 12:36:00 GMT"},
			want: &Auth{AccessKey: "AKIDEXAMPLE", CredentialDate: "20150830", Region: "us-east-1", Service: "glacier", Date: date,
				SignedHeaders: []string{"host", "x-amz-date"}, Signature: "abc123"}},
		{name: "presigned", query: presignQuery,
			want: &Auth{AccessKey: "AKIDEXAMPLE", CredentialDate: "20150830", Region: "us-east-1", Service: "glacier", Date: date,
				SignedHeaders: []string{"host"}, Signature: "abc", Presigned: true, Expires: 5 * time.Minute, SecurityToken: "tok+"}},

		{name: "nothing", wantErr: ErrMissing, contains: []string{"Missing Authentication Token"}},
		{name: "blank authorization", header: map[string]string{"Authorization": "  "}, wantErr: ErrMissing},
		{name: "unrelated query", query: "operation=add", wantErr: ErrMissing},
		{name: "sigv2", header: map[string]string{"Authorization": "AWS AKID:c2ln", "X-Amz-Date": goodAmzDay},
			wantErr: ErrMalformed, contains: []string{"Unsupported Authorization Type", "AWS4-HMAC-SHA256"}},
		{name: "sigv4a", header: map[string]string{"Authorization": strings.Replace(goodAuthz, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1)},
			wantErr: ErrMalformed, contains: []string{"Unsupported"}},
		{name: "algorithm only", header: map[string]string{"Authorization": "AWS4-HMAC-SHA256"},
			wantErr: ErrMalformed, contains: []string{
				"Authorization header requires 'Credential' parameter.",
				"Authorization header requires 'Signature' parameter.",
				"Authorization header requires 'SignedHeaders' parameter.",
				"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
				"Authorization=AWS4-HMAC-SHA256"}},
		{name: "no signature", header: map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=" + goodCred + ", SignedHeaders=host, Signature=",
			"X-Amz-Date": goodAmzDay}, wantErr: ErrMalformed, contains: []string{"requires 'Signature' parameter"}},
		{name: "no date", header: map[string]string{"Authorization": goodAuthz}, wantErr: ErrMalformed,
			contains: []string{"'X-Amz-Date' or a 'Date' header"}},
		{name: "bad x-amz-date", header: map[string]string{"Authorization": goodAuthz, "X-Amz-Date": "2015-08-30T12:36:00Z"},
			wantErr: ErrMalformed, contains: []string{"ISO-8601 'basic format'", "2015-08-30T12:36:00Z"}},
		{name: "bad date header", header: map[string]string{"Authorization": goodAuthz, "Date": "yesterday"},
			wantErr: ErrMalformed, contains: []string{"yesterday"}},
		{name: "missing equal sign", header: map[string]string{"Authorization": goodAuthz + ", Bogus", "X-Amz-Date": goodAmzDay},
			wantErr: ErrMalformed, contains: []string{"'Bogus' not a valid key=value pair (missing equal-sign)"}},
		{name: "duplicate parameter", header: map[string]string{"Authorization": goodAuthz + ", Signature=x", "X-Amz-Date": goodAmzDay},
			wantErr: ErrMalformed, contains: []string{"'Signature' more than once"}},
		{name: "short credential", header: map[string]string{"Authorization": strings.Replace(goodAuthz, "/glacier", "", 1), "X-Amz-Date": goodAmzDay},
			wantErr: ErrMalformed, contains: []string{"<access key>/<YYYYMMDD>/<region>/<service>/aws4_request"}},
		{name: "empty access key", header: map[string]string{"Authorization": strings.Replace(goodAuthz, "AKIDEXAMPLE", "", 1), "X-Amz-Date": goodAmzDay},
			wantErr: ErrMalformed},
		{name: "bad terminator", header: map[string]string{"Authorization": strings.Replace(goodAuthz, "aws4_request", "aws4_reqest", 1), "X-Amz-Date": goodAmzDay},
			wantErr: ErrMalformed, contains: []string{"valid terminator: 'aws4_request', not 'aws4_reqest'"}},
		{name: "bad credential date", header: map[string]string{"Authorization": strings.Replace(goodAuthz, "20150830", "20151330", 1), "X-Amz-Date": goodAmzDay},
			wantErr: ErrMalformed, contains: []string{"Invalid credential date '20151330'"}},
		{name: "empty region", header: map[string]string{"Authorization": strings.Replace(goodAuthz, "us-east-1", "", 1), "X-Amz-Date": goodAmzDay},
			wantErr: ErrMalformed, contains: []string{"valid region"}},
		{name: "host not signed", header: map[string]string{"Authorization": strings.Replace(goodAuthz, "host;", "", 1), "X-Amz-Date": goodAmzDay},
			wantErr: ErrMalformed, contains: []string{"'Host' or ':authority' must be a 'SignedHeader'"}},
		{name: "empty signed header name", header: map[string]string{"Authorization": strings.Replace(goodAuthz, "host;", "host;;", 1), "X-Amz-Date": goodAmzDay},
			wantErr: ErrMalformed, contains: []string{"empty header name"}},
		{name: "both forms", query: presignQuery, header: map[string]string{"Authorization": goodAuthz, "X-Amz-Date": goodAmzDay},
			wantErr: ErrMalformed, contains: []string{"Only one auth mechanism allowed"}},
		{name: "presigned missing date", query: strings.Replace(presignQuery, "X-Amz-Date", "X-Amz-Datum", 1),
			wantErr: ErrMalformed, contains: []string{"must include 'X-Amz-Algorithm', 'X-Amz-Credential'"}},
		{name: "presigned only signature", query: "X-Amz-Signature=abc", wantErr: ErrMalformed},
		{name: "presigned wrong algorithm", query: strings.Replace(presignQuery, "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1", 1),
			wantErr: ErrMalformed, contains: []string{"X-Amz-Algorithm only supports"}},
		{name: "presigned bad date", query: strings.Replace(presignQuery, goodAmzDay, "20150830", 1),
			wantErr: ErrMalformed, contains: []string{"X-Amz-Date must be in ISO-8601"}},
		{name: "presigned expires not a number", query: strings.Replace(presignQuery, "X-Amz-Expires=300", "X-Amz-Expires=5m", 1),
			wantErr: ErrMalformed, contains: []string{"X-Amz-Expires should be a number"}},
		{name: "presigned expires negative", query: strings.Replace(presignQuery, "X-Amz-Expires=300", "X-Amz-Expires=-1", 1),
			wantErr: ErrMalformed, contains: []string{"at least 1 second"}},
		{name: "presigned expires zero", query: strings.Replace(presignQuery, "X-Amz-Expires=300", "X-Amz-Expires=0", 1),
			wantErr: ErrMalformed},
		{name: "presigned expires huge", query: strings.Replace(presignQuery, "X-Amz-Expires=300", "X-Amz-Expires=99999999999999999999", 1),
			wantErr: ErrMalformed},
		{name: "presigned duplicate", query: presignQuery + "&X-Amz-Signature=def",
			wantErr: ErrMalformed, contains: []string{"'X-Amz-Signature' may appear only once"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(newReq(tt.query, tt.header))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Parse error = %v (%s), want %v", err, kindOf(err), tt.wantErr)
				}
				var e *Error
				if !errors.As(err, &e) || e.Msg != err.Error() {
					t.Fatalf("error %v is not an *Error with Msg", err)
				}
				for _, s := range tt.contains {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("message %q does not contain %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseTwoAuthorizationHeaders(t *testing.T) {
	r := newReq("", map[string]string{"X-Amz-Date": goodAmzDay})
	r.Header.Add("Authorization", goodAuthz)
	r.Header.Add("Authorization", goodAuthz)
	if _, err := Parse(r); !errors.Is(err, ErrMalformed) {
		t.Fatalf("got %v, want ErrMalformed", err)
	}
	if _, err := Parse(&http.Request{}); !errors.Is(err, ErrMalformed) {
		t.Fatalf("request without URL: got %v, want ErrMalformed", err)
	}
}

func TestParseLongInputIsClipped(t *testing.T) {
	long := strings.Repeat("A", 10000)
	_, err := Parse(newReq("", map[string]string{"Authorization": long}))
	if !errors.Is(err, ErrMalformed) || len(err.Error()) > 2*maxEcho+200 {
		t.Fatalf("got %d-byte message %.80q", len(err.Error()), err)
	}
}

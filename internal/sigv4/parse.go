package sigv4

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Protocol constants.
const (
	// Algorithm is the only signing algorithm accepted.
	Algorithm = "AWS4-HMAC-SHA256"

	// TimeFormat is the ISO 8601 basic format of X-Amz-Date.
	TimeFormat = "20060102T150405Z"

	// EmptyPayloadHash is the hex SHA-256 of an empty payload.
	EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

	// UnsignedPayload is the payload hash a client signs when it does not
	// sign the body.
	UnsignedPayload = "UNSIGNED-PAYLOAD"

	// DefaultMaxSkew is the clock skew AWS tolerates between a request's date
	// and the server's clock, used when no other is given.
	DefaultMaxSkew = 15 * time.Minute

	// MaxPresignExpires is the longest X-Amz-Expires a presigned request may
	// ask for.
	MaxPresignExpires = 7 * 24 * time.Hour

	scopeTerminator = "aws4_request"
	shortDate       = "20060102"
	maxEcho         = 512 // longest client-supplied text echoed in a message
)

// Auth is what a request claims about its signature, as read by [Parse]
// without any secret. Nothing in it is trusted until a Verify method accepts
// the request.
type Auth struct {
	// AccessKey is the access key ID from the credential.
	AccessKey string
	// CredentialDate is the YYYYMMDD date of the credential scope.
	CredentialDate string
	// Region and Service are the credential scope's region and service.
	Region, Service string
	// Date is the request's signing time, in UTC: X-Amz-Date (header or, when
	// presigned, query), else the Date header.
	Date time.Time
	// SignedHeaders lists the signed header names, lower-cased, in the order
	// the client gave them. It always contains "host".
	SignedHeaders []string
	// Signature is the hex signature the client sent.
	Signature string
	// Presigned is true when the authentication came from the query string.
	Presigned bool
	// Expires is X-Amz-Expires of a presigned request, or 0 when absent (the
	// request is then valid within the clock skew of Date, like a header-signed
	// one).
	Expires time.Duration
	// SecurityToken is X-Amz-Security-Token (header, or query when
	// presigned), empty if absent.
	SecurityToken string
}

// Parse reads the SigV4 authentication a request claims, from its
// Authorization header or, failing that, from the presigned query parameters
// X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
// X-Amz-SignedHeaders, X-Amz-Signature and X-Amz-Security-Token.
//
// It returns an error wrapping ErrMissing when the request has neither, and
// ErrMalformed when what it has cannot be parsed, is incomplete, uses another
// algorithm, does not sign host, or when both forms are present. It checks
// nothing that needs a secret or a clock. The returned Auth is the caller's.
func Parse(r *http.Request) (*Auth, error) {
	if r == nil || r.URL == nil {
		return nil, newError(ErrMalformed, "request has no URL")
	}
	authz := r.Header.Values("Authorization")
	if len(authz) == 1 && strings.TrimSpace(authz[0]) == "" {
		authz = nil
	}
	params := parseQuery(r.URL.RawQuery)
	presigned := false
	for _, p := range params {
		switch p.key {
		case "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature":
			presigned = true
		}
	}
	switch {
	case len(authz) > 0 && presigned:
		return nil, newError(ErrMalformed, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "+
			"Signature query string parameter or the Authorization header should be specified")
	case len(authz) > 1:
		return nil, newError(ErrMalformed, "Only one Authorization header is allowed.")
	case len(authz) == 1:
		return parseHeader(r, authz[0])
	case presigned:
		return parsePresigned(params)
	}
	return nil, newError(ErrMissing, "Missing Authentication Token")
}

// parseHeader parses the Authorization header form.
func parseHeader(r *http.Request, value string) (*Auth, error) {
	value = strings.TrimSpace(value)
	echo := "Authorization=" + clip(value)
	alg, rest, _ := strings.Cut(value, " ")
	if alg != Algorithm {
		return nil, newError(ErrMalformed, fmt.Sprintf(
			"Unsupported Authorization Type: %q; only %s is supported. %s", clip(alg), Algorithm, echo))
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, newError(ErrMalformed, fmt.Sprintf(
				"'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", clip(part), clip(value)))
		}
		k = strings.TrimSpace(k)
		if _, dup := fields[k]; dup {
			return nil, newError(ErrMalformed, fmt.Sprintf(
				"Authorization header has parameter '%s' more than once. %s", clip(k), echo))
		}
		fields[k] = strings.TrimSpace(v)
	}

	var problems []string
	for _, k := range []string{"Credential", "Signature", "SignedHeaders"} {
		if fields[k] == "" {
			problems = append(problems, "Authorization header requires '"+k+"' parameter.")
		}
	}
	date, dateProblem := headerDate(r)
	if dateProblem != "" {
		problems = append(problems, dateProblem)
	}
	if len(problems) > 0 {
		return nil, newError(ErrMalformed, strings.Join(problems, " ")+" "+echo)
	}

	a := &Auth{Date: date, Signature: fields["Signature"], SecurityToken: r.Header.Get("X-Amz-Security-Token")}
	if err := a.setCredential(fields["Credential"]); err != nil {
		return nil, err
	}
	if err := a.setSignedHeaders(fields["SignedHeaders"]); err != nil {
		return nil, err
	}
	return a, nil
}

// headerDate returns the request date of a header-signed request, or the
// problem that prevents it.
func headerDate(r *http.Request) (time.Time, string) {
	if v := r.Header.Get("X-Amz-Date"); v != "" {
		t, err := time.Parse(TimeFormat, v)
		if err != nil {
			return time.Time{}, fmt.Sprintf("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", clip(v))
		}
		return t, ""
	}
	if v := r.Header.Get("Date"); v != "" {
		if t, err := time.Parse(TimeFormat, v); err == nil {
			return t, ""
		}
		if t, err := http.ParseTime(v); err == nil {
			return t.UTC(), ""
		}
		return time.Time{}, fmt.Sprintf("Date header '%s' is neither in ISO-8601 'basic format' (20060102T150405Z) nor an HTTP date (RFC 1123).", clip(v))
	}
	return time.Time{}, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
}

// parsePresigned parses the query-string form.
func parsePresigned(params []param) (*Auth, error) {
	get := map[string]string{}
	for _, p := range params {
		if !strings.HasPrefix(p.key, "X-Amz-") {
			continue
		}
		if _, dup := get[p.key]; dup {
			return nil, newError(ErrMalformed, fmt.Sprintf("Query-string parameter '%s' may appear only once.", clip(p.key)))
		}
		get[p.key] = p.value
	}
	for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders"} {
		if get[k] == "" {
			return nil, newError(ErrMalformed, "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', "+
				"'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.")
		}
	}
	if alg := get["X-Amz-Algorithm"]; alg != Algorithm {
		return nil, newError(ErrMalformed, fmt.Sprintf("X-Amz-Algorithm only supports \"%s\", not \"%s\".", Algorithm, clip(alg)))
	}
	date, err := time.Parse(TimeFormat, get["X-Amz-Date"])
	if err != nil {
		return nil, newError(ErrMalformed, fmt.Sprintf(
			"X-Amz-Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", clip(get["X-Amz-Date"])))
	}
	a := &Auth{
		Date:          date,
		Signature:     get["X-Amz-Signature"],
		Presigned:     true,
		SecurityToken: get["X-Amz-Security-Token"],
	}
	if v, ok := get["X-Amz-Expires"]; ok {
		secs, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err != nil || secs > int64(1<<62)/int64(time.Second):
			return nil, newError(ErrMalformed, fmt.Sprintf("X-Amz-Expires should be a number of seconds, not '%s'.", clip(v)))
		case secs < 1:
			return nil, newError(ErrMalformed, fmt.Sprintf("X-Amz-Expires must be at least 1 second, not %d.", secs))
		}
		a.Expires = time.Duration(secs) * time.Second
	}
	if err := a.setCredential(get["X-Amz-Credential"]); err != nil {
		return nil, err
	}
	if err := a.setSignedHeaders(get["X-Amz-SignedHeaders"]); err != nil {
		return nil, err
	}
	return a, nil
}

// setCredential parses <access key>/<YYYYMMDD>/<region>/<service>/aws4_request.
// The access key is everything before the last four slashes.
func (a *Auth) setCredential(cred string) error {
	parts := strings.Split(cred, "/")
	n := len(parts)
	if n < 5 || parts[0] == "" {
		return newError(ErrMalformed, fmt.Sprintf(
			"Credential '%s' is not of the form <access key>/<YYYYMMDD>/<region>/<service>/aws4_request.", clip(cred)))
	}
	date, region, service, term := parts[n-4], parts[n-3], parts[n-2], parts[n-1]
	switch {
	case term != scopeTerminator:
		return newError(ErrMalformed, fmt.Sprintf("Credential should be scoped with a valid terminator: 'aws4_request', not '%s'.", clip(term)))
	case !validShortDate(date):
		return newError(ErrMalformed, fmt.Sprintf("Invalid credential date '%s'. Date is not the required format: yyyyMMdd.", clip(date)))
	case region == "":
		return newError(ErrMalformed, "Credential should be scoped to a valid region, not ''.")
	case service == "":
		return newError(ErrMalformed, "Credential should be scoped to a valid service, not ''.")
	}
	a.AccessKey = strings.Join(parts[:n-4], "/")
	a.CredentialDate, a.Region, a.Service = date, region, service
	return nil
}

// validShortDate reports whether s is a valid YYYYMMDD date.
func validShortDate(s string) bool {
	if len(s) != len(shortDate) {
		return false
	}
	_, err := time.Parse(shortDate, s)
	return err == nil
}

// setSignedHeaders parses the ';'-separated list, which must name host.
func (a *Auth) setSignedHeaders(list string) error {
	names := strings.Split(list, ";")
	host := false
	for i, name := range names {
		if name == "" {
			return newError(ErrMalformed, fmt.Sprintf("SignedHeaders '%s' contains an empty header name.", clip(list)))
		}
		names[i] = strings.ToLower(name)
		host = host || names[i] == "host"
	}
	if !host {
		return newError(ErrMalformed, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	a.SignedHeaders = names
	return nil
}

// clip shortens client-supplied text echoed in a message.
func clip(s string) string {
	if len(s) > maxEcho {
		return s[:maxEcho] + "..."
	}
	return s
}

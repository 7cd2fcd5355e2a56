// Package sigv4 verifies AWS Signature Version 4 (SigV4) on requests a server
// receives, in both the Authorization-header form and the presigned
// query-string form, the way the Amazon Glacier service does.
//
// Verification is two steps. [Parse] reads what a request claims (access key,
// credential scope, signed headers, signature, date) without any secret, so
// the caller can look up the secret for Auth.AccessKey. [Auth.Verify], or
// [Verifier.Verify] which adds a cache of derived signing keys and checks of
// the credential scope's region and service, then recomputes the signature
// over the request and compares it in constant time.
//
// The canonical request is built as the SigV4 specification prescribes for
// services other than Amazon S3, and as aws-sdk-go-v2 and botocore build it
// for Glacier:
//
//   - the canonical URI is the request path exactly as sent on the wire
//     (r.RequestURI, which is already percent-encoded), URI-encoded once more
//     with '/' kept; a request whose signer also removed "." and ".." segments
//     and empty segments (botocore, the AWS test suite) is accepted too;
//   - the canonical query string holds every query parameter (for a presigned
//     request all but X-Amz-Signature), each name and value decoded and
//     re-encoded with the RFC 3986 unreserved set, sorted by encoded name then
//     encoded value;
//   - each signed header is lower-cased; its values are trimmed, inner runs of
//     spaces collapsed to one, and joined with ','; host comes from r.Host;
//   - the payload hash is whatever the caller passes: the
//     X-Amz-Content-Sha256 header when the client sent one, otherwise the hex
//     SHA-256 of the body ([HashHex]), or [UnsignedPayload].
//
// Failures are reported as *[Error] values wrapping one of the sentinels
// [ErrMissing], [ErrMalformed], [ErrMismatch] or [ErrExpired], with a message
// worded like the one AWS returns, so that an HTTP layer can map them to
// MissingAuthenticationTokenException, IncompleteSignatureException,
// InvalidSignatureException and so on.
//
// Non-test code imports only the standard library, and the package holds no
// package-level mutable state.
package sigv4

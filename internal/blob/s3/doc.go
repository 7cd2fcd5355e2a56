// Package s3 implements glacier.BlobStore on an S3-compatible object store
// (AWS S3, MinIO, versitygw, …) with github.com/minio/minio-go/v7, using
// path-style requests.
//
// Each blob is one object of the configured bucket, named
// Prefix + key + ".blob". The suffix, which no key segment can contain, lets
// blob "a" and blob "a/b" coexist on stores that keep objects as files and
// folders (a file "a" could not also be a folder).
//
// Put never holds a whole blob in memory. A blob of known size up to
// PartSize (16 MiB) is streamed in one PUT, which S3 applies atomically. A
// larger or unknown-size blob is read a part at a time into one pooled
// 16 MiB buffer: if it ends within the first part it is one PUT, else a
// multipart upload, completed only after the whole blob was read and aborted
// on any failure. So a failed or cancelled Put leaves no object (and no
// incomplete upload). The store checks the declared size itself, before the
// last byte is sent, and keeps the error of the caller's reader (an
// io.ErrUnexpectedEOF included) rather than taking it for the end of the
// blob. Over plain HTTP, minio-go signs each chunk of the payload; over HTTPS
// it relies on TLS.
//
// Open sends one ranged GET and checks the Content-Range the server answers,
// so a missing key is reported by Open and a range outside the blob is an
// error, never a short read.
//
// An unreachable endpoint (refused or reset connections, timeouts) and
// server-side unavailability (HTTP 500, 502, 503, 504) are errors of
// glacier.KindUnavailable; the client retries a few times first.
package s3

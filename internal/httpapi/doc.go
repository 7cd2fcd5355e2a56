// Package httpapi is glacierd's wire layer: the Glacier REST routes
// (API version 2012-06-01, rest-json), SigV4 authentication, the JSON wire
// structs and x-amz-* headers, request IDs, access logs and HTTP metrics.
//
// errors.go holds the one table that maps domain error kinds to Glacier wire
// errors; no other package knows status codes or error codes.
package httpapi

// Package e2e holds glacierd's end-to-end tests: each starts the real server
// in-process on a free port (the same app.Main that cmd/glacierd runs) and
// drives it with the unmodified aws-sdk-go-v2 Glacier client, which signs
// requests and computes tree hashes itself.
package e2e

package service

import (
	"crypto/rand"
	"encoding/hex"
)

// The lengths of AWS's opaque identifiers (glacier-facts §2 item 7).
const (
	archiveIDLen = 138
	uploadIDLen  = 92
	jobIDLen     = 92
	shortIDLen   = 24 // vault lock and capacity IDs
)

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// newID returns n random characters of the URL-safe base64 alphabet, each
// carrying 6 bits from crypto/rand.
func newID(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand.Read panics rather than return an error)
	for i := range b {
		b[i] = idAlphabet[b[i]&63]
	}
	return string(b)
}

// newShortID returns an ID shaped like AWS's capacity and vault lock IDs (24
// upper-case letters and digits).
func newShortID() string {
	const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, shortIDLen)
	rand.Read(b)
	for i := range b {
		b[i] = upper[int(b[i])%len(upper)]
	}
	return string(b)
}

// wellFormedID reports whether s looks like an ID of length n that this
// server could have issued.
func wellFormedID(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// newBlobKey returns a fresh blob key under prefix, spread over 256 folders.
func newBlobKey(prefix string) string {
	var b [16]byte
	rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return prefix + "/" + h[:2] + "/" + h
}

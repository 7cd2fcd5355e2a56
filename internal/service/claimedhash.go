package service

import (
	"encoding/hex"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/treehash"
)

// claimedHash is an x-amz-sha256-tree-hash header as the client sent it.
//
// AWS compares any value that decodes as hexadecimal with the hash it
// computes, so a hex value of the wrong length is a checksum mismatch, not a
// malformed header; only a value that is not hex at all is "Invalid" (the
// JavaScript SDKs' feature tests, written against AWS: "000" is Invalid,
// thirty-two zeros is "Checksum mismatch:").
type claimedHash struct {
	raw   string
	sum   [treehash.Size]byte
	exact bool // raw is 64 hex digits and sum holds them
}

// parseTreeHash reads an x-amz-sha256-tree-hash header value.
func parseTreeHash(h string) (claimedHash, error) {
	if h == "" {
		return claimedHash{}, glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: x-amz-sha256-tree-hash")
	}
	if _, err := hex.DecodeString(h); err != nil {
		return claimedHash{}, glacier.Errorf(glacier.KindInvalidParameter, "Invalid x-amz-sha256-tree-hash: %s", h)
	}
	c := claimedHash{raw: h}
	if sum, err := treehash.ParseHex(h); err == nil {
		c.sum, c.exact = sum, true
	}
	return c, nil
}

// matches reports whether the claim is the tree hash got.
func (c claimedHash) matches(got [treehash.Size]byte) bool { return c.exact && c.sum == got }

// check returns AWS's checksum-mismatch error unless the claim is got.
func (c claimedHash) check(got [treehash.Size]byte) error {
	if c.matches(got) {
		return nil
	}
	return glacier.Errorf(glacier.KindInvalidParameter, "Checksum mismatch: expected %s, computed %x", c.raw, got)
}

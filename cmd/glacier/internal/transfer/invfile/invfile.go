// Package invfile reads the archives to transfer from an inventory file the
// user already has — Glacier's JSON or CSV inventory, as InitiateJob's
// inventory-retrieval output or `glacier inventory --format json|csv` writes
// it — and names them for S3.
package invfile

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/glacierd/glacierd/cmd/glacier/internal/inventory"
	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/journal"
	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/names"
)

// Read parses a JSON or CSV inventory (told apart by its first non-space
// byte) into journal archives without keys. Every entry must have an ID, a
// positive size, a SHA-256 tree hash and an ISO-8601 creation date (with
// or without fractional seconds).
func Read(r io.Reader) ([]journal.Archive, error) {
	br := bufio.NewReader(r)
	var inv inventory.Inventory
	var err error
	if first, _ := peekNonSpace(br); first == '{' {
		inv, err = inventory.Parse(br)
	} else {
		inv, err = inventory.ParseCSV(br)
	}
	if err != nil {
		return nil, err
	}
	return FromInventory(inv)
}

// FromInventory turns a parsed inventory into journal archives without
// keys, with the checks of Read.
func FromInventory(inv inventory.Inventory) ([]journal.Archive, error) {
	out := make([]journal.Archive, 0, len(inv.ArchiveList))
	for i, a := range inv.ArchiveList {
		created, err := time.Parse(time.RFC3339Nano, a.CreationDate)
		h, herr := hex.DecodeString(a.SHA256TreeHash)
		switch {
		case a.ArchiveId == "":
			return nil, fmt.Errorf("inventory entry %d: no ArchiveId", i+1)
		case err != nil:
			return nil, fmt.Errorf("inventory entry %d (%s): CreationDate %q: %w", i+1, a.ArchiveId, a.CreationDate, err)
		case a.Size <= 0:
			return nil, fmt.Errorf("inventory entry %d (%s): Size %d", i+1, a.ArchiveId, a.Size)
		case herr != nil || len(h) != 32:
			return nil, fmt.Errorf("inventory entry %d (%s): SHA256TreeHash %q is not 64 hex digits", i+1, a.ArchiveId, a.SHA256TreeHash)
		}
		out = append(out, journal.Archive{ID: a.ArchiveId, Size: a.Size, TreeHash: a.SHA256TreeHash,
			Created: created.UTC(), Description: a.ArchiveDescription})
	}
	return out, nil
}

// peekNonSpace returns the first byte that is not ASCII white space,
// without consuming anything.
func peekNonSpace(br *bufio.Reader) (byte, error) {
	for n := 1; ; n++ {
		b, err := br.Peek(n)
		if len(b) < n {
			return 0, err
		}
		if c := b[n-1]; c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return c, nil
		}
	}
}

// Name sets every archive's Key with names.Assign and returns the names
// too (for reports: format, decoded path, renames).
func Name(as []journal.Archive, o names.Options) ([]journal.Archive, []names.Name, error) {
	in := make([]names.Archive, len(as))
	for i, a := range as {
		in[i] = names.Archive{ID: a.ID, Created: a.Created, Description: a.Description}
	}
	ns, err := names.Assign(in, o)
	if err != nil {
		return nil, nil, err
	}
	key := make(map[string]string, len(ns))
	for _, n := range ns {
		key[n.ArchiveID] = n.Key
	}
	out := make([]journal.Archive, len(as))
	for i, a := range as {
		a.Key = key[a.ID]
		out[i] = a
	}
	return out, ns, nil
}

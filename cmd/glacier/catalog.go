package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/cmd/glacier/internal/catalog"
	"github.com/glacierd/glacierd/cmd/glacier/internal/upload"
	"github.com/glacierd/glacierd/internal/units"
)

// catalogOff as --catalog or GLACIER_CATALOG turns the catalog off.
const catalogOff = "off"

// catalogState is the app's lazily opened catalog.
type catalogState struct {
	mu     sync.Mutex // guards the fields below; commands call catalog from several goroutines
	cat    *catalog.Catalog
	opened bool
	err    error
}

// now returns the current time (the environment's clock in tests).
func (a *app) now() time.Time {
	if a.env.now != nil {
		return a.env.now()
	}
	return time.Now()
}

// catalogPath returns the catalog's file, or "" when it is turned off or
// there is nowhere to keep it.
func (a *app) catalogPath() string {
	p := a.cli.CatalogPath
	if p == "" {
		getenv := a.env.getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		p = catalog.DefaultPath(getenv)
	}
	if p == catalogOff {
		return ""
	}
	return p
}

// catalog opens the catalog on first use; it returns nil, nil when the
// catalog is turned off.
func (a *app) catalog() (*catalog.Catalog, error) {
	a.cat.mu.Lock()
	defer a.cat.mu.Unlock()
	if !a.cat.opened {
		a.cat.opened = true
		if p := a.catalogPath(); p != "" {
			a.cat.cat, a.cat.err = catalog.Open(a.ctx, p, a.now)
		}
	}
	return a.cat.cat, a.cat.err
}

// closeCatalog closes the catalog if it was opened.
func (a *app) closeCatalog() {
	a.cat.mu.Lock()
	defer a.cat.mu.Unlock()
	if a.cat.cat != nil {
		_ = a.cat.cat.Close() // read-mostly; a failed close loses nothing already committed
	}
}

// scope is the endpoint, region and account the client talks to, as the
// catalog keys them. An upload's Location names the real account, which
// replaces "-" when it is known.
func (a *app) scope(gl *glacier.Client, location string) catalog.Scope {
	o := gl.Options()
	s := catalog.Scope{Endpoint: "aws", Region: o.Region, Account: a.cli.AccountID}
	if e := aws.ToString(o.BaseEndpoint); e != "" {
		s.Endpoint = strings.TrimRight(e, "/")
	}
	// Location: /ACCOUNT/vaults/VAULT/archives/ID
	if parts := strings.Split(location, "/"); len(parts) > 2 && parts[0] == "" && parts[1] != "" && parts[1] != "-" {
		s.Account = parts[1]
	}
	return s
}

// record adds an uploaded archive to the catalog. A failure is a warning:
// the archive is stored, and its ID is printed anyway.
func (a *app) record(gl *glacier.Client, vault, file, desc string, res upload.Result) {
	cat, err := a.catalog()
	if err == nil && cat != nil {
		if file != "" && file != "-" {
			if abs, aerr := filepath.Abs(file); aerr == nil {
				file = abs
			}
		} else {
			file = ""
		}
		err = cat.Add(a.ctx, a.scope(gl, res.Location), catalog.Entry{VaultName: vault, ArchiveId: res.ArchiveID,
			ArchiveDescription: desc, File: file, Size: res.Size, SHA256TreeHash: res.TreeHash})
	}
	if err != nil {
		fmt.Fprintf(a.env.stderr, "glacier: warning: archive %s is stored but not catalogued: %v\n", res.ArchiveID, err)
	}
}

// looksLikeArchiveID reports whether ref has the shape of a Glacier ID
// (long, URL-safe base64) rather than of a file name or description.
func looksLikeArchiveID(ref string) bool {
	if len(ref) < 40 {
		return false
	}
	for _, c := range ref {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// resolveArchive turns what the user gave for an archive (an ID, or a
// catalogued file name, path or description) into an archive ID.
func (a *app) resolveArchive(gl *glacier.Client, vault, ref string) (string, error) {
	cat, err := a.catalog()
	if err != nil || cat == nil {
		if looksLikeArchiveID(ref) {
			return ref, nil
		}
		if err == nil {
			err = errors.New("the catalog is turned off")
		}
		return "", fmt.Errorf("%q is not an archive ID, and it cannot be looked up: %w", ref, err)
	}
	e, err := cat.Resolve(a.ctx, a.scope(gl, ""), vault, ref)
	switch {
	case errors.Is(err, catalog.ErrNotFound) && looksLikeArchiveID(ref):
		return ref, nil
	case errors.Is(err, catalog.ErrNotFound):
		return "", fmt.Errorf("%q is not an archive ID, nor a file or description in the catalog of vault %s (glacier catalog list %s)", ref, vault, vault)
	case err != nil:
		return "", err
	}
	if e.ArchiveId != ref {
		a.notice("%s: archive %s (%s, uploaded %s)", ref, short(e.ArchiveId), units.Format(e.Size), e.CreationDate.Local().Format("2006-01-02 15:04"))
	}
	return e.ArchiveId, nil
}

// catalogCmd groups the catalog commands.
type catalogCmd struct {
	List catalogListCmd `cmd:"" help:"List the archives this machine uploaded (to the current endpoint, region and account)."`
	Path catalogPathCmd `cmd:"" help:"Print where the catalog is kept."`
}

type catalogListCmd struct {
	Vault   string `arg:"" optional:"" help:"Only this vault's archives."`
	Find    string `placeholder:"NAME" help:"Only archives with this archive ID, file (path or base name) or description."`
	Deleted bool   `help:"Include archives deleted with glacier."`
}

// Run prints the catalogued archives.
func (c *catalogListCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	cat, err := a.catalog()
	if err != nil {
		return err
	}
	list := []catalog.Entry{}
	if cat != nil {
		if list, err = cat.Find(a.ctx, a.scope(gl, ""), catalog.Query{Vault: c.Vault, Ref: c.Find, IncludeDeleted: c.Deleted}); err != nil {
			return err
		}
	}
	if a.jsonOut() {
		return a.printJSON(list)
	}
	t := a.table()
	fmt.Fprintln(t, "UPLOADED\tVAULT\tSIZE\tDESCRIPTION\tFILE\tARCHIVE ID")
	for _, e := range list {
		when := e.CreationDate.Local().Format("2006-01-02 15:04")
		if e.DeletionDate != nil {
			when += " (deleted)"
		}
		fmt.Fprintf(t, "%s\t%s\t%s\t%s\t%s\t%s\n", when, e.VaultName, units.Format(e.Size), orDash(e.ArchiveDescription), orDash(e.File), e.ArchiveId)
	}
	return t.Flush()
}

type catalogPathCmd struct{}

// Run prints the catalog's path.
func (c *catalogPathCmd) Run(a *app) error {
	p := a.catalogPath()
	if p == "" {
		return errors.New("the catalog is turned off (--catalog off, GLACIER_CATALOG=off, or no HOME)")
	}
	if a.jsonOut() {
		return a.printJSON(map[string]string{"Path": p})
	}
	a.printf("%s\n", p)
	return nil
}

// markDeleted records a deleted archive in the catalog; a failure is a
// warning.
func (a *app) markDeleted(gl *glacier.Client, vault, archiveID string) {
	cat, err := a.catalog()
	if err == nil && cat != nil {
		err = cat.MarkDeleted(a.ctx, a.scope(gl, ""), vault, archiveID)
	}
	if err != nil {
		fmt.Fprintf(a.env.stderr, "glacier: warning: the catalog does not know that archive %s is deleted: %v\n", archiveID, err)
	}
}

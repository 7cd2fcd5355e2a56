package catalog

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func open(t *testing.T, path string) *Catalog {
	t.Helper()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var mu sync.Mutex
	c, err := Open(context.Background(), path, func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

var (
	local = Scope{Endpoint: "http://127.0.0.1:8080", Region: "us-east-1", Account: "123456789012"}
	aws   = Scope{Endpoint: "aws", Region: "us-east-1", Account: "123456789012"}
)

func TestResolveByIDPathBaseNameAndDescription(t *testing.T) {
	ctx := context.Background()
	c := open(t, filepath.Join(t.TempDir(), "sub", "catalog.db"))
	file := filepath.Join(t.TempDir(), "photo_1%.jpg")
	if err := c.Add(ctx, local, Entry{VaultName: "v", ArchiveId: "ID1", ArchiveDescription: "holiday", File: file, Size: 3, SHA256TreeHash: "h1"}); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"ID1", "holiday", file, "photo_1%.jpg"} {
		e, err := c.Resolve(ctx, local, "v", ref)
		if err != nil || e.ArchiveId != "ID1" || e.Size != 3 || e.File != file {
			t.Errorf("Resolve(%q) = %+v, %v", ref, e, err)
		}
		if _, err := c.Resolve(ctx, Scope{Endpoint: local.Endpoint, Region: local.Region, Account: "-"}, "v", ref); err != nil {
			t.Errorf("Resolve(%q) with account -: %v", ref, err)
		}
	}
	for _, ref := range []string{"photo_1", "photo_1x.jpg", "hol%", "1%.jpg"} {
		if _, err := c.Resolve(ctx, local, "v", ref); !errors.Is(err, ErrNotFound) {
			t.Errorf("Resolve(%q) = %v, want ErrNotFound", ref, err)
		}
	}
	// Another endpoint, account or vault does not see it.
	for _, s := range []Scope{aws, {Endpoint: local.Endpoint, Region: local.Region, Account: "999999999999"}, {Endpoint: local.Endpoint, Region: "eu-west-1", Account: local.Account}} {
		if _, err := c.Resolve(ctx, s, "v", "holiday"); !errors.Is(err, ErrNotFound) {
			t.Errorf("scope %+v: %v, want ErrNotFound", s, err)
		}
	}
	if _, err := c.Resolve(ctx, local, "other", "holiday"); !errors.Is(err, ErrNotFound) {
		t.Errorf("other vault: %v", err)
	}
}

func TestResolveSeveralMatches(t *testing.T) {
	ctx := context.Background()
	c := open(t, filepath.Join(t.TempDir(), "catalog.db"))
	add := func(id, hash string) {
		t.Helper()
		if err := c.Add(ctx, local, Entry{VaultName: "v", ArchiveId: id, ArchiveDescription: "backup", Size: 1, SHA256TreeHash: hash}); err != nil {
			t.Fatal(err)
		}
	}
	add("A", "same")
	add("B", "same")
	if e, err := c.Resolve(ctx, local, "v", "backup"); err != nil || e.ArchiveId != "B" {
		t.Fatalf("same contents: %+v, %v; want the newest, B", e, err)
	}
	add("C", "other")
	_, err := c.Resolve(ctx, local, "v", "backup")
	var ae *AmbiguousError
	if !errors.As(err, &ae) || len(ae.Matches) != 3 {
		t.Fatalf("different contents: %v", err)
	}
	if err := c.MarkDeleted(ctx, local, "v", "C"); err != nil {
		t.Fatal(err)
	}
	if e, err := c.Resolve(ctx, local, "v", "backup"); err != nil || e.ArchiveId != "B" {
		t.Fatalf("after deleting C: %+v, %v", e, err)
	}
	all, err := c.Find(ctx, local, Query{Vault: "v", IncludeDeleted: true})
	if err != nil || len(all) != 3 || all[0].ArchiveId != "C" || all[0].DeletionDate == nil || all[1].DeletionDate != nil {
		t.Fatalf("Find with deleted: %+v, %v", all, err)
	}
	// Deleting an archive the catalog never held records the deletion.
	if err := c.MarkDeleted(ctx, local, "v", "X"); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Find(ctx, local, Query{Vault: "v", Ref: "X", IncludeDeleted: true}); len(got) != 1 || got[0].DeletionDate == nil {
		t.Fatalf("unknown deleted archive: %+v", got)
	}
	if got, _ := c.Find(ctx, local, Query{Vault: "v", Size: 2}); len(got) != 0 {
		t.Fatalf("by size: %+v", got)
	}
	if got, _ := c.Find(ctx, local, Query{Vault: "v", TreeHash: "same", Size: 1}); len(got) != 2 {
		t.Fatalf("by tree hash: %+v", got)
	}
}

// Two processes' worth of handles write at once without "database is locked".
func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "catalog.db")
	cats := []*Catalog{open(t, path), open(t, path)}
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 200 {
		wg.Go(func() {
			errs <- cats[i%2].Add(ctx, local, Entry{VaultName: "v", ArchiveId: fmt.Sprint("id", i), SHA256TreeHash: "h"})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := cats[0].Find(ctx, local, Query{Vault: "v"})
	if err != nil || len(got) != 200 {
		t.Fatalf("%d entries, %v", len(got), err)
	}
	var mode string
	if err := cats[1].db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q, %v", mode, err)
	}
}

func TestDefaultPath(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"GLACIER_CATALOG": "/x/c.db", "XDG_STATE_HOME": "/s", "HOME": "/h"}, "/x/c.db"},
		{map[string]string{"XDG_STATE_HOME": "/s", "HOME": "/h"}, "/s/glacier/catalog.db"},
		{map[string]string{"XDG_STATE_HOME": "relative", "HOME": "/h"}, "/h/.local/state/glacier/catalog.db"},
		{map[string]string{}, ""},
	} {
		if got := DefaultPath(env(tc.env)); got != tc.want {
			t.Errorf("DefaultPath(%v) = %q, want %q", tc.env, got, tc.want)
		}
	}
}

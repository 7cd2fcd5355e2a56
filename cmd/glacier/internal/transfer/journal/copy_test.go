package journal

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestCompletedAndPartUploaded follows an archive through the transitions
// the copy engine uses, and checks what a reopened journal returns.
func TestCompletedAndPartUploaded(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "j.db")
	j := open(t, path)
	if err := j.AddArchives(ctx, []Archive{archive("a", t0)}); err != nil {
		t.Fatal(err)
	}
	exp := t0.Add(48 * time.Hour)
	steps := []error{
		j.Requested(ctx, "a", "job", t0, t0.Add(24*time.Hour)),
		j.Completed(ctx, "a", "job", exp),
		j.Uploading(ctx, "a", "up"),
		j.PartUploaded(ctx, "a", "up", 0, "h0", Part{1, "e1", 8 << 20}),
		j.PartUploaded(ctx, "a", "up", 0, "h0", Part{1, "e1", 8 << 20}), // the same again: harmless
		j.PartUploaded(ctx, "a", "up", 1, "h1", Part{2, "e2", 5}),
	}
	if err := errors.Join(steps...); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"another etag":   j.PartUploaded(ctx, "a", "up", 1, "h1", Part{2, "eX", 5}),
		"another upload": j.PartUploaded(ctx, "a", "up2", 2, "h2", Part{3, "e3", 5}),
		"no hash":        j.PartUploaded(ctx, "a", "up", 2, "", Part{3, "e3", 5}),
		"complete again": j.Completed(ctx, "a", "job", exp),
	} {
		if !errors.Is(err, ErrIllegal) {
			t.Errorf("%s: %v, want ErrIllegal", name, err)
		}
	}
	j.Close()
	r := mustState(t, open(t, path), "a", Uploading)
	if !r.ExpiresAt.Equal(exp) {
		t.Errorf("expires %v, want %v", r.ExpiresAt, exp)
	}
	if d := cmp.Diff([]string{"h0", "h1"}, r.RangeHashes); d != "" || len(r.Ranges) != 2 || len(r.Parts) != 2 {
		t.Errorf("ranges %v %v parts %v (-want +got):\n%s", r.Ranges, r.RangeHashes, r.Parts, d)
	}
}

// TestMigratesSchema1 opens a journal written with schema 1 (no range
// hashes) and finds its ranges with empty hashes.
func TestMigratesSchema1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA journal_mode=WAL; " + schema +
		"INSERT INTO archives (archive_id, size, tree_hash, created_at, description, key, state, updated_at) VALUES ('a', 1, 'h', 0, '', 'k', 'downloading', 0);" +
		"INSERT INTO ranges (archive_id, idx) VALUES ('a', 0);"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	r := mustState(t, open(t, path), "a", Downloading)
	if d := cmp.Diff([]string{""}, r.RangeHashes); d != "" {
		t.Errorf("range hashes (-want +got):\n%s", d)
	}
	var v int
	j := open(t, path)
	if err := j.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil || v != schemaVersion {
		t.Errorf("user_version %d (%v), want %d", v, err, schemaVersion)
	}
}

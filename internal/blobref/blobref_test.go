package blobref_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/blob/fs"
	"github.com/glacierd/glacierd/internal/blobref"
	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/store/sqlite"
)

// dying is a blob store whose Delete stands for the process dying at that
// instant: it panics with errDied before anything is deleted.
type dying struct{ glacier.BlobStore }

var errDied = errors.New("the process died here")

func (dying) Delete(context.Context, string) error { panic(errDied) }

// openStores opens the embedded stores in a temporary directory, closed
// when the test ends.
func openStores(t *testing.T) (*sqlite.Store, *fs.Store) {
	t.Helper()
	dir := t.TempDir()
	meta, err := sqlite.Open(context.Background(), filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { meta.Close() })
	blobs, err := fs.Open(filepath.Join(dir, "archives"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	return meta, blobs
}

// TestDiscardLeavesNoOrphanOnCrash: a process that dies inside Discard,
// after its garbage records are updated and before the blob is deleted,
// leaves a record the collector will act on; the blob never becomes an
// orphan that no record names (it did when Discard deleted the records
// first).
func TestDiscardLeavesNoOrphanOnCrash(t *testing.T) {
	ctx := context.Background()
	meta, blobs := openStores(t)
	var err error

	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	const key = "inventory/71/712a87a14e1057b1c12e34432fe868d0"
	if err := blobref.Intend(ctx, meta, now.Add(time.Hour), key); err != nil {
		t.Fatal(err)
	}
	if err := blobs.Put(ctx, key, strings.NewReader("output"), 6); err != nil {
		t.Fatal(err)
	}

	func() {
		defer func() {
			if r := recover(); r != errDied {
				t.Fatalf("Discard did not reach the delete: %v", r)
			}
		}()
		blobref.Discard(meta, dying{blobs}, now, slog.New(slog.DiscardHandler), key)
	}()

	// The blob is still there; some garbage record must name it, due
	// once the lease has passed, so that the collector deletes it.
	var due []string
	if err := meta.View(ctx, func(tx glacier.Tx) error {
		due, err = tx.DueGarbage(now.Add(blobref.CollectLease), 10)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(due, blobref.CollectingPrefix+key) {
		t.Fatalf("after a crash inside Discard the garbage list is %q: blob %s would leak", due, key)
	}
}

// TestDiscardKeepsClaimedBlobs: a blob whose record was claimed (its
// metadata committed) is kept; an unclaimed one is deleted with its record.
func TestDiscardKeepsClaimedBlobs(t *testing.T) {
	ctx := context.Background()
	meta, blobs := openStores(t)
	var err error

	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	claimed, unclaimed := "seg/00/claimed", "seg/00/unclaimed"
	if err := blobref.Intend(ctx, meta, now.Add(time.Hour), claimed, unclaimed); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{claimed, unclaimed} {
		if err := blobs.Put(ctx, k, strings.NewReader("bytes"), 5); err != nil {
			t.Fatal(err)
		}
	}
	if err := meta.Update(ctx, func(tx glacier.Tx) error { return blobref.Claim(tx, claimed) }); err != nil {
		t.Fatal(err)
	}

	blobref.Discard(meta, blobs, now, slog.New(slog.DiscardHandler), claimed, unclaimed)

	if rc, err := blobs.Open(ctx, claimed, 0, -1); err != nil {
		t.Errorf("the claimed blob was deleted: %v", err)
	} else {
		rc.Close()
	}
	if rc, err := blobs.Open(ctx, unclaimed, 0, -1); err == nil {
		rc.Close()
		t.Errorf("the unclaimed blob is still there")
	}
	var due []string
	if err := meta.View(ctx, func(tx glacier.Tx) error {
		due, err = tx.DueGarbage(now.Add(24*time.Hour), 10)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(due) != 0 {
		t.Errorf("garbage records left after a finished discard: %q", due)
	}
}

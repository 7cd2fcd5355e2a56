// Package blobref keeps blobs and the metadata that references them in
// step. It names the blobs of a stored segment (its bytes and, beside them,
// the sidecar of its 1 MiB leaf hashes) and carries every blob through the
// garbage protocol that makes a crash at any instant leave either committed
// metadata with all its blobs or blobs the collector will remove:
//
//   - Intend records the keys as garbage, due later, before the blobs are
//     written;
//   - Claim takes them off the list inside the transaction that commits the
//     metadata referencing them;
//   - Discard deletes the blobs of a write that will not be committed;
//   - Trash queues the blobs of a released segment for the collector.
//
// The service (every upload, part, inventory and job output) and `glacierd
// migrate` (every blob it copies) both follow it through this package.
package blobref

import (
	"context"
	"log/slog"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

// LeavesKey is the key of the sidecar blob holding the leaf hashes of the
// segment stored under key, so that the tree hash of any aligned range can
// be answered without reading the range.
func LeavesKey(key string) string { return key + "-leaves" }

// SegmentKeys returns the blob keys of segs: each segment's and its
// sidecar's.
func SegmentKeys(segs ...glacier.Segment) []string {
	keys := make([]string, 0, 2*len(segs))
	for _, s := range segs {
		keys = append(keys, s.Key, LeavesKey(s.Key))
	}
	return keys
}

// Intend records keys as garbage due at due, in one transaction, before
// their blobs are written.
func Intend(ctx context.Context, meta glacier.MetaStore, due time.Time, keys ...string) error {
	return meta.Update(ctx, func(tx glacier.Tx) error {
		for _, k := range keys {
			if err := tx.PutGarbage(k, due); err != nil {
				return err
			}
		}
		return nil
	})
}

// Claim takes keys off the garbage list inside tx, the transaction that
// commits the metadata referencing them. It fails with KindRequestTimeout
// if the collector already took one (the write outlived its grace).
func Claim(tx glacier.Tx, keys ...string) error {
	for _, k := range keys {
		ok, err := tx.DeleteGarbage(k)
		if err != nil {
			return err
		}
		if !ok {
			return glacier.Errorf(glacier.KindRequestTimeout, "The request took too long to complete; please retry")
		}
	}
	return nil
}

// ClaimSegment claims a segment's blobs (its bytes and sidecar) inside tx.
func ClaimSegment(tx glacier.Tx, key string) error {
	return Claim(tx, key, LeavesKey(key))
}

// TrashSegment queues a segment's blobs for deletion at t, inside tx.
func TrashSegment(tx glacier.Tx, key string, t time.Time) error {
	if err := tx.PutGarbage(key, t); err != nil {
		return err
	}
	return tx.PutGarbage(LeavesKey(key), t)
}

// CollectingPrefix marks the garbage record of a blob being deleted: a
// record "collecting/K" says blob K is going away. It can no longer be
// claimed, and if a crash stops the deletion, the record comes due again
// after CollectLease and the collector deletes the blob.
const CollectingPrefix = "collecting/"

// CollectLease is how long a collecting record waits before it comes due
// again, should its deletion not finish.
const CollectLease = time.Minute

// Discard deletes blobs that a failed write stored, unless committed
// metadata references them. In one transaction it replaces each key's
// garbage record by a collecting record: a record that is gone was claimed
// by a transaction that did commit (its outcome unknown to the caller, say,
// after the connection to the database dropped during COMMIT), so its blob
// is kept. Then it deletes the blobs, then the collecting records. A crash
// or a failed delete in between leaves the collecting record, and the
// collector finishes the deletion: nothing committed is lost and nothing
// leaks. If the first transaction fails, the records stay for the collector.
// It does not depend on the caller's context, so a cancelled request still
// cleans up.
func Discard(meta glacier.MetaStore, blobs glacier.BlobStore, now time.Time, log *slog.Logger, keys ...string) {
	ctx := context.Background()
	var mine []string
	if err := meta.Update(ctx, func(tx glacier.Tx) error {
		mine = mine[:0]
		for _, k := range keys {
			ok, err := tx.DeleteGarbage(k)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if err := tx.PutGarbage(CollectingPrefix+k, now.Add(CollectLease)); err != nil {
				return err
			}
			mine = append(mine, k)
		}
		return nil
	}); err != nil {
		log.Warn("discard blobs: leaving them to the collector", "keys", keys, "err", err)
		return
	}
	var gone []string
	for _, k := range mine {
		if err := blobs.Delete(ctx, k); err != nil {
			log.Warn("discard blob: leaving it to the collector", "key", k, "err", err)
			break
		}
		gone = append(gone, CollectingPrefix+k)
	}
	if err := meta.Update(ctx, func(tx glacier.Tx) error {
		for _, k := range gone {
			if _, err := tx.DeleteGarbage(k); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		log.Warn("discard blob records: the collector will remove them", "keys", gone, "err", err)
	}
}

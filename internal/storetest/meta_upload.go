package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

func uploadTests() []metaTest {
	return []metaTest{
		{"Upload/RoundTrip", testUploadRoundTrip},
		{"Upload/NotFound", testUploadNotFound},
		{"Upload/PutReplaces", testUploadPutReplaces},
		{"Upload/ListOnlyActiveOfThatVault", testUploadListOnlyActive},
		{"Upload/ListPaging", testUploadListPaging},
		{"Upload/Stale", testUploadStale},
		{"Upload/StaleLimit", testUploadStaleLimit},
		{"Upload/DeleteRemovesParts", testUploadDelete},
	}
}

// newUpload returns an active upload with every field an active upload has.
func newUpload(id, account, vault string) glacier.Upload {
	return glacier.Upload{
		ID:          id,
		Account:     account,
		Vault:       vault,
		Description: "upload " + id,
		PartSize:    4 << 30,
		CreatedAt:   at(-time.Hour),
		UpdatedAt:   at(-time.Minute),
	}
}

// completed returns u completed at finished.
func completed(u glacier.Upload, finished time.Time) glacier.Upload {
	u.State = glacier.UploadCompleted
	u.FinishedAt = finished
	u.ArchiveID = "archive-of-" + u.ID
	u.ArchiveSize = 9<<30 + 1
	u.TreeHash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	return u
}

// aborted returns u aborted at finished.
func aborted(u glacier.Upload, finished time.Time) glacier.Upload {
	u.State = glacier.UploadAborted
	u.FinishedAt = finished
	return u
}

func putUploads(t *testing.T, s glacier.MetaStore, us ...glacier.Upload) {
	t.Helper()
	update(t, s, func(tx glacier.Tx) error {
		for _, u := range us {
			if err := tx.PutUpload(u); err != nil {
				return err
			}
		}
		return nil
	})
}

func uploadIDs(us []glacier.Upload) []string {
	var ids []string
	for _, u := range us {
		ids = append(ids, u.ID)
	}
	return ids
}

func testUploadRoundTrip(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	active := newUpload("u-active", acctA, "v")
	done := completed(newUpload("u-done", acctA, "v"), at(time.Second))
	gone := aborted(newUpload("u-gone", acctA, "v"), at(2*time.Second))
	putUploads(t, s, active, done, gone)
	view(t, s, func(tx glacier.Tx) error {
		for _, want := range []glacier.Upload{active, done, gone} {
			got, err := tx.Upload(want.ID)
			if err != nil {
				return err
			}
			if d := diff(want, got); d != "" {
				t.Errorf("Upload(%s) (-want +got):\n%s", want.ID, d)
			}
			wantUTC(t, "Upload", got.CreatedAt, got.UpdatedAt, got.FinishedAt)
		}
		got, err := tx.Upload(active.ID)
		if err != nil {
			return err
		}
		wantZero(t, "active Upload.FinishedAt", got.FinishedAt)
		list, err := tx.Uploads(acctA, "v", "", 0)
		if err != nil {
			return err
		}
		if d := diff([]glacier.Upload{active}, list); d != "" {
			t.Errorf("Uploads (-want +got):\n%s", d)
		}
		return nil
	})
}

func testUploadNotFound(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	putUploads(t, s, newUpload("u1", acctA, "v"))
	view(t, s, func(tx glacier.Tx) error {
		_, err := tx.Upload("u2")
		return errNotFound("Upload(missing)", err)
	})
}

func testUploadPutReplaces(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	u := newUpload("u1", acctA, "v")
	putUploads(t, s, u)
	u.UpdatedAt = at(time.Minute)
	putUploads(t, s, u)
	done := completed(u, at(2*time.Minute))
	putUploads(t, s, done)
	view(t, s, func(tx glacier.Tx) error {
		got, err := tx.Upload("u1")
		if err != nil {
			return err
		}
		if d := diff(done, got); d != "" {
			t.Errorf("Upload after replace (-want +got):\n%s", d)
		}
		list, err := tx.Uploads(acctA, "v", "", 0)
		if err != nil {
			return err
		}
		if len(list) != 0 {
			t.Errorf("Uploads lists completed upload: %v", uploadIDs(list))
		}
		return nil
	})
}

func testUploadListOnlyActive(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"), newVault(acctA, "w"), newVault(acctB, "v"))
	u1, u3 := newUpload("u1", acctA, "v"), newUpload("u3", acctA, "v")
	putUploads(t, s,
		u3,
		completed(newUpload("u2", acctA, "v"), t0()),
		aborted(newUpload("u4", acctA, "v"), t0()),
		newUpload("w1", acctA, "w"),
		newUpload("b1", acctB, "v"),
		u1,
	)
	view(t, s, func(tx glacier.Tx) error {
		got, err := tx.Uploads(acctA, "v", "", 0)
		if err != nil {
			return err
		}
		if d := diff([]glacier.Upload{u1, u3}, got); d != "" {
			t.Errorf("Uploads(A, v) (-want +got):\n%s", d)
		}
		got, err = tx.Uploads(acctB, "w", "", 0)
		if err != nil {
			return err
		}
		if len(got) != 0 {
			t.Errorf("Uploads(B, w) = %v, want none", uploadIDs(got))
		}
		return nil
	})
}

func testUploadListPaging(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	ids := []string{"A9", "Z", "a", "a-1", "a_1", "b", "b0"}
	for _, i := range []int{3, 0, 6, 2, 5, 1, 4} {
		putUploads(t, s, newUpload(ids[i], acctA, "v"))
	}
	view(t, s, func(tx glacier.Tx) error {
		var got []string
		after := ""
		for range 10 {
			page, err := tx.Uploads(acctA, "v", after, 3)
			if err != nil {
				return err
			}
			if len(page) > 3 {
				t.Fatalf("Uploads(limit 3) returned %d", len(page))
			}
			if len(page) == 0 {
				break
			}
			got = append(got, uploadIDs(page)...)
			after = page[len(page)-1].ID
		}
		if d := diff(ids, got); d != "" {
			t.Errorf("paged Uploads (-want +got):\n%s", d)
		}
		page, err := tx.Uploads(acctA, "v", "a", -1)
		if err != nil {
			return err
		}
		if d := diff(ids[3:], uploadIDs(page)); d != "" {
			t.Errorf("Uploads(after a, no limit) (-want +got):\n%s", d)
		}
		page, err = tx.Uploads(acctA, "v", "a0", 1)
		if err != nil {
			return err
		}
		if d := diff([]string{"a_1"}, uploadIDs(page)); d != "" {
			t.Errorf("Uploads(after a0, limit 1) (-want +got):\n%s", d)
		}
		return nil
	})
}

// staleFixture puts uploads around the bounds finishedBefore = at(5s) and
// activeBefore = at(3s) and returns the IDs of the stale ones, sorted.
func staleFixture(t *testing.T, s glacier.MetaStore) []string {
	t.Helper()
	putVaults(t, s, newVault(acctA, "v"), newVault(acctA, "w"), newVault(acctB, "v"))
	active := func(id, account, vault string, updated time.Duration) glacier.Upload {
		u := newUpload(id, account, vault)
		u.CreatedAt = at(0)
		u.UpdatedAt = at(updated)
		return u
	}
	putUploads(t, s,
		completed(active("fin-old", acctA, "v", 0), at(time.Second)),
		aborted(active("fin-old-w", acctA, "w", 0), at(4*time.Second)),
		aborted(active("fin-at", acctA, "v", 0), at(5*time.Second)),
		completed(active("fin-new", acctA, "v", 0), at(6*time.Second)),
		active("act-old", acctA, "v", time.Second),
		active("act-old-b", acctB, "v", 2*time.Second),
		active("act-at", acctA, "v", 3*time.Second),
		active("act-new", acctA, "v", 4*time.Second),
	)
	return []string{"act-old", "act-old-b", "fin-old", "fin-old-w"}
}

func testUploadStale(t *testing.T, s glacier.MetaStore) {
	want := staleFixture(t, s)
	view(t, s, func(tx glacier.Tx) error {
		got, err := tx.StaleUploads(at(5*time.Second), at(3*time.Second), 0)
		if err != nil {
			return err
		}
		ids := uploadIDs(got)
		slices.Sort(ids)
		if d := diff(want, ids); d != "" {
			t.Errorf("StaleUploads IDs (-want +got):\n%s", d)
		}
		for _, u := range got {
			full, err := tx.Upload(u.ID)
			if err != nil {
				return err
			}
			if d := diff(full, u); d != "" {
				t.Errorf("StaleUploads record %s (-Upload +StaleUploads):\n%s", u.ID, d)
			}
		}
		return nil
	})
}

func testUploadStaleLimit(t *testing.T, s glacier.MetaStore) {
	want := staleFixture(t, s)
	var seen []string
	for range 10 {
		var page []glacier.Upload
		view(t, s, func(tx glacier.Tx) error {
			var err error
			page, err = tx.StaleUploads(at(5*time.Second), at(3*time.Second), 3)
			return err
		})
		if len(page) > 3 {
			t.Fatalf("StaleUploads(limit 3) returned %d", len(page))
		}
		if len(page) == 0 {
			break
		}
		update(t, s, func(tx glacier.Tx) error {
			for _, u := range page {
				if err := tx.DeleteUpload(u.ID); err != nil {
					return err
				}
			}
			return nil
		})
		seen = append(seen, uploadIDs(page)...)
	}
	slices.Sort(seen)
	if d := diff(want, seen); d != "" {
		t.Errorf("StaleUploads paged by deletion (-want +got):\n%s", d)
	}
}

func testUploadDelete(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	putUploads(t, s, newUpload("u1", acctA, "v"), newUpload("u2", acctA, "v"))
	putParts(t, s, newPart("u1", 0), newPart("u1", 1<<20), newPart("u2", 0))
	update(t, s, func(tx glacier.Tx) error {
		if err := tx.DeleteUpload("u1"); err != nil {
			return err
		}
		if err := tx.DeleteUpload("u1"); err != nil {
			return err
		}
		return tx.DeleteUpload("never")
	})
	view(t, s, func(tx glacier.Tx) error {
		_, err := tx.Upload("u1")
		if err := errNotFound("Upload after DeleteUpload", err); err != nil {
			return err
		}
		_, err = tx.Part("u1", 0)
		if err := errNotFound("Part of deleted upload", err); err != nil {
			return err
		}
		parts, err := tx.Parts("u1", -1, 0)
		if err != nil {
			return err
		}
		if len(parts) != 0 {
			t.Errorf("Parts of deleted upload: %d", len(parts))
		}
		if _, err := tx.Upload("u2"); err != nil {
			t.Errorf("other upload: %v", err)
		}
		if _, err := tx.Part("u2", 0); err != nil {
			t.Errorf("part of other upload: %v", err)
		}
		return nil
	})
}

package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

func archiveTests() []metaTest {
	return []metaTest{
		{"Archive/RoundTrip", testArchiveRoundTrip},
		{"Archive/NotFound", testArchiveNotFound},
		{"Archive/PutReplaces", testArchivePutReplaces},
		{"Archive/ScanOrder", testArchiveScanOrder},
		{"Archive/ScanOnlyThatVault", testArchiveScanOnlyThatVault},
		{"Archive/ScanAsOf", testArchiveScanAsOf},
		{"Archive/ScanCreatedRange", testArchiveScanCreatedRange},
		{"Archive/ScanCursorAndLimit", testArchiveScanCursorAndLimit},
		{"Archive/ScanFnErrorStops", testArchiveScanFnErrorStops},
		{"Archive/ScanMany", testArchiveScanMany},
		{"Archive/Purge", testArchivePurge},
	}
}

// newArchive returns a live archive with every other field set.
func newArchive(id, account, vault string, created time.Time) glacier.Archive {
	return glacier.Archive{
		ID:          id,
		Account:     account,
		Vault:       vault,
		Description: "desc of " + id + " \u00e9\u65e5 \"quoted\"",
		Size:        3<<20 + 5,
		TreeHash:    "9d4f8c6f1e2b3a49d4f8c6f1e2b3a49d4f8c6f1e2b3a49d4f8c6f1e2b3a4abcd",
		CreatedAt:   created,
		Segments: []glacier.Segment{
			{Key: "seg/" + id + "/0", Size: 2 << 20},
			{Key: "seg/" + id + "/1", Size: 1<<20 + 5},
		},
	}
}

func putArchives(t *testing.T, s glacier.MetaStore, as ...glacier.Archive) {
	t.Helper()
	update(t, s, func(tx glacier.Tx) error {
		for _, a := range as {
			if err := tx.PutArchive(a); err != nil {
				return err
			}
		}
		return nil
	})
}

// scan runs ScanArchives to completion and returns the archives seen.
func scan(tx glacier.Tx, q glacier.ArchiveQuery) ([]glacier.Archive, error) {
	var got []glacier.Archive
	err := tx.ScanArchives(q, func(a glacier.Archive) error {
		got = append(got, a)
		return nil
	})
	return got, err
}

func archiveIDs(as []glacier.Archive) []string {
	var ids []string
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	return ids
}

// scanIDs checks that ScanArchives(q) yields the archives with IDs want, in order.
func scanIDs(t *testing.T, s glacier.MetaStore, what string, q glacier.ArchiveQuery, want ...string) {
	t.Helper()
	view(t, s, func(tx glacier.Tx) error {
		got, err := scan(tx, q)
		if err != nil {
			return err
		}
		if d := diff(want, archiveIDs(got)); d != "" {
			t.Errorf("%s: ScanArchives IDs (-want +got):\n%s", what, d)
		}
		return nil
	})
}

func testArchiveRoundTrip(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	live := newArchive("live", acctA, "v", at(-time.Hour))
	dead := newArchive("dead", acctA, "v", at(-2*time.Hour))
	dead.DeletedAt = at(-time.Minute)
	empty := glacier.Archive{ID: "empty", Account: acctA, Vault: "v", CreatedAt: at(-3 * time.Hour),
		TreeHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}
	putArchives(t, s, live, dead, empty)
	view(t, s, func(tx glacier.Tx) error {
		for _, want := range []glacier.Archive{live, dead, empty} {
			got, err := tx.Archive(want.ID)
			if err != nil {
				return err
			}
			if d := diff(want, got); d != "" {
				t.Errorf("Archive(%s) (-want +got):\n%s", want.ID, d)
			}
			wantUTC(t, "Archive", got.CreatedAt, got.DeletedAt)
		}
		got, err := tx.Archive("live")
		if err != nil {
			return err
		}
		wantZero(t, "Archive(live).DeletedAt", got.DeletedAt)
		all, err := scan(tx, glacier.ArchiveQuery{Account: acctA, Vault: "v"})
		if err != nil {
			return err
		}
		if d := diff([]glacier.Archive{empty, dead, live}, all); d != "" {
			t.Errorf("ScanArchives (-want +got):\n%s", d)
		}
		return nil
	})
}

func testArchiveNotFound(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	putArchives(t, s, newArchive("x", acctA, "v", t0()))
	view(t, s, func(tx glacier.Tx) error {
		_, err := tx.Archive("y")
		return errNotFound("Archive(missing)", err)
	})
}

func testArchivePutReplaces(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	a := newArchive("x", acctA, "v", t0())
	putArchives(t, s, a)
	a.DeletedAt = at(time.Hour)
	a.Segments = a.Segments[:1]
	putArchives(t, s, a)
	view(t, s, func(tx glacier.Tx) error {
		got, err := tx.Archive("x")
		if err != nil {
			return err
		}
		if d := diff(a, got); d != "" {
			t.Errorf("Archive after replace (-want +got):\n%s", d)
		}
		all, err := scan(tx, glacier.ArchiveQuery{Account: acctA, Vault: "v"})
		if err != nil {
			return err
		}
		if len(all) != 1 {
			t.Errorf("ScanArchives after replace: %d archives, want 1", len(all))
		}
		return nil
	})
}

// orderFixture puts archives whose (CreatedAt, ID) order differs from both
// their insertion order and their ID order, with ties in CreatedAt, and
// returns their IDs in (CreatedAt, ID) order.
func orderFixture(t *testing.T, s glacier.MetaStore) []string {
	t.Helper()
	putVaults(t, s, newVault(acctA, "v"))
	putArchives(t, s,
		newArchive("m", acctA, "v", at(2*time.Second)),
		newArchive("z", acctA, "v", at(time.Second)),
		newArchive("b", acctA, "v", at(2*time.Second)),
		newArchive("a", acctA, "v", at(3*time.Second)),
		newArchive("y", acctA, "v", at(time.Microsecond)),
		newArchive("B", acctA, "v", at(2*time.Second)),
		newArchive("c", acctA, "v", at(2*time.Second+time.Microsecond)),
	)
	return []string{"y", "z", "B", "b", "m", "c", "a"}
}

func testArchiveScanOrder(t *testing.T, s glacier.MetaStore) {
	want := orderFixture(t, s)
	scanIDs(t, s, "all", glacier.ArchiveQuery{Account: acctA, Vault: "v"}, want...)
}

func testArchiveScanOnlyThatVault(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"), newVault(acctA, "w"), newVault(acctB, "v"))
	putArchives(t, s,
		newArchive("av1", acctA, "v", at(time.Second)),
		newArchive("aw1", acctA, "w", at(time.Second)),
		newArchive("bv1", acctB, "v", at(time.Second)),
		newArchive("av2", acctA, "v", at(2*time.Second)),
	)
	scanIDs(t, s, "A/v", glacier.ArchiveQuery{Account: acctA, Vault: "v"}, "av1", "av2")
	scanIDs(t, s, "A/w", glacier.ArchiveQuery{Account: acctA, Vault: "w"}, "aw1")
	scanIDs(t, s, "B/v", glacier.ArchiveQuery{Account: acctB, Vault: "v"}, "bv1")
	scanIDs(t, s, "B/w", glacier.ArchiveQuery{Account: acctB, Vault: "w"})
}

func testArchiveScanAsOf(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	asOf := at(10 * time.Second)
	mk := func(id string, created, deleted time.Duration) glacier.Archive {
		a := newArchive(id, acctA, "v", at(created))
		if deleted != 0 {
			a.DeletedAt = at(deleted)
		}
		return a
	}
	putArchives(t, s,
		mk("1-live", time.Second, 0),
		mk("2-created-at-asof", 10*time.Second, 0),
		mk("3-created-after", 10*time.Second+time.Microsecond, 0),
		mk("4-deleted-before", 2*time.Second, 9*time.Second),
		mk("5-deleted-at-asof", 3*time.Second, 10*time.Second),
		mk("6-deleted-after", 4*time.Second, 10*time.Second+time.Microsecond),
		mk("7-created-and-deleted-after", 11*time.Second, 12*time.Second),
	)
	scanIDs(t, s, "AsOf", glacier.ArchiveQuery{Account: acctA, Vault: "v", AsOf: asOf},
		"1-live", "6-deleted-after", "2-created-at-asof")
	scanIDs(t, s, "AsOf later", glacier.ArchiveQuery{Account: acctA, Vault: "v", AsOf: at(time.Minute)},
		"1-live", "2-created-at-asof", "3-created-after")
	scanIDs(t, s, "zero AsOf", glacier.ArchiveQuery{Account: acctA, Vault: "v"},
		"1-live", "4-deleted-before", "5-deleted-at-asof", "6-deleted-after",
		"2-created-at-asof", "3-created-after", "7-created-and-deleted-after")
}

func testArchiveScanCreatedRange(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	for i := range 6 {
		putArchives(t, s, newArchive(fmt.Sprint("a", i), acctA, "v", at(time.Duration(i)*time.Second)))
	}
	q := glacier.ArchiveQuery{Account: acctA, Vault: "v", CreatedFrom: at(2 * time.Second)}
	scanIDs(t, s, "CreatedFrom inclusive", q, "a2", "a3", "a4", "a5")
	q = glacier.ArchiveQuery{Account: acctA, Vault: "v", CreatedBefore: at(2 * time.Second)}
	scanIDs(t, s, "CreatedBefore exclusive", q, "a0", "a1")
	q.CreatedFrom = at(time.Second)
	q.CreatedBefore = at(4 * time.Second)
	scanIDs(t, s, "both", q, "a1", "a2", "a3")
	q.CreatedBefore = at(4*time.Second + time.Microsecond)
	scanIDs(t, s, "before one microsecond later", q, "a1", "a2", "a3", "a4")
	q.AsOf = at(time.Hour)
	scanIDs(t, s, "with AsOf", q, "a1", "a2", "a3", "a4")
}

func testArchiveScanCursorAndLimit(t *testing.T, s glacier.MetaStore) {
	want := orderFixture(t, s)
	for _, limit := range []int{1, 2, 3, 7} {
		var got []string
		q := glacier.ArchiveQuery{Account: acctA, Vault: "v", Limit: limit}
		for range 20 {
			var page []glacier.Archive
			view(t, s, func(tx glacier.Tx) error {
				var err error
				page, err = scan(tx, q)
				return err
			})
			if len(page) > limit {
				t.Fatalf("limit %d: page of %d", limit, len(page))
			}
			if len(page) == 0 {
				break
			}
			got = append(got, archiveIDs(page)...)
			last := page[len(page)-1]
			q.AfterCreated, q.AfterID = last.CreatedAt, last.ID
		}
		if d := diff(want, got); d != "" {
			t.Errorf("paging with limit %d (-want +got):\n%s", limit, d)
		}
	}
	// A cursor need not name an existing archive.
	q := glacier.ArchiveQuery{Account: acctA, Vault: "v", AfterCreated: at(2 * time.Second), AfterID: "a"}
	scanIDs(t, s, "cursor between", q, "b", "m", "c", "a")
	q.Limit = 2
	scanIDs(t, s, "cursor between, limit", q, "b", "m")
	q = glacier.ArchiveQuery{Account: acctA, Vault: "v", Limit: -1}
	scanIDs(t, s, "negative limit", q, want...)
}

func testArchiveScanFnErrorStops(t *testing.T, s glacier.MetaStore) {
	orderFixture(t, s)
	stop := errors.New("stop here")
	var seen []string
	err := s.View(t.Context(), func(tx glacier.Tx) error {
		err := tx.ScanArchives(glacier.ArchiveQuery{Account: acctA, Vault: "v"}, func(a glacier.Archive) error {
			seen = append(seen, a.ID)
			if len(seen) == 2 {
				return fmt.Errorf("wrapped: %w", stop)
			}
			return nil
		})
		if !errors.Is(err, stop) {
			t.Errorf("ScanArchives returned %v, want the error of fn", err)
		}
		return err
	})
	if !errors.Is(err, stop) {
		t.Errorf("View returned %v, want the error of fn", err)
	}
	if d := diff([]string{"y", "z"}, seen); d != "" {
		t.Errorf("archives seen (-want +got):\n%s", d)
	}
}

// testArchiveScanMany scans more archives than a store is likely to read in
// one batch, with ties in CreatedAt across batch boundaries.
func testArchiveScanMany(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	const n = 1500
	var want []string
	update(t, s, func(tx glacier.Tx) error {
		for i := range n {
			id := fmt.Sprintf("a%05d", i)
			want = append(want, id)
			a := glacier.Archive{ID: id, Account: acctA, Vault: "v", CreatedAt: at(time.Duration(i/7) * time.Second)}
			if err := tx.PutArchive(a); err != nil {
				return err
			}
		}
		return nil
	})
	scanIDs(t, s, "all", glacier.ArchiveQuery{Account: acctA, Vault: "v"}, want...)
	scanIDs(t, s, "limit", glacier.ArchiveQuery{Account: acctA, Vault: "v", Limit: 1201}, want[:1201]...)
	q := glacier.ArchiveQuery{Account: acctA, Vault: "v", AfterCreated: at(100 * time.Second), AfterID: want[703]}
	scanIDs(t, s, "cursor", q, want[704:]...)
	// fn may use the transaction while the scan runs.
	view(t, s, func(tx glacier.Tx) error {
		count := 0
		err := tx.ScanArchives(glacier.ArchiveQuery{Account: acctA, Vault: "v"}, func(a glacier.Archive) error {
			count++
			_, err := tx.Vault(acctA, "v")
			return err
		})
		if count != n {
			t.Errorf("scan with reads in fn saw %d archives, want %d", count, n)
		}
		return err
	})
}

func testArchivePurge(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"), newVault(acctA, "w"), newVault(acctB, "v"))
	mk := func(id, account, vault string, deleted time.Duration) glacier.Archive {
		a := newArchive(id, account, vault, t0())
		if deleted != 0 {
			a.DeletedAt = at(deleted)
		}
		return a
	}
	putArchives(t, s,
		mk("v-old1", acctA, "v", time.Second),
		mk("v-old2", acctA, "v", 2*time.Second),
		mk("w-old", acctA, "w", time.Second),
		mk("b-old", acctB, "v", 5*time.Second-time.Microsecond),
		mk("v-at", acctA, "v", 5*time.Second),
		mk("v-new", acctA, "v", 6*time.Second),
		mk("v-live", acctA, "v", 0),
	)
	purge := func(before time.Time, limit, want int) {
		t.Helper()
		update(t, s, func(tx glacier.Tx) error {
			n, err := tx.PurgeArchives(before, limit)
			if err != nil {
				return err
			}
			if n != want {
				t.Errorf("PurgeArchives(limit %d) = %d, want %d", limit, n, want)
			}
			return nil
		})
	}
	purge(at(5*time.Second), 3, 3)
	purge(at(5*time.Second), 3, 1)
	purge(at(5*time.Second), 0, 0)
	wantArchives := func(gone, kept []string) {
		t.Helper()
		view(t, s, func(tx glacier.Tx) error {
			for _, id := range gone {
				_, err := tx.Archive(id)
				if err := errNotFound("purged Archive("+id+")", err); err != nil {
					t.Error(err)
				}
			}
			for _, id := range kept {
				if _, err := tx.Archive(id); err != nil {
					t.Errorf("Archive(%s) after purge: %v", id, err)
				}
			}
			return nil
		})
	}
	wantArchives([]string{"v-old1", "v-old2", "w-old", "b-old"}, []string{"v-at", "v-new", "v-live"})
	purge(at(time.Hour), -1, 2)
	wantArchives([]string{"v-at", "v-new"}, []string{"v-live"})
	scanIDs(t, s, "after purges", glacier.ArchiveQuery{Account: acctA, Vault: "v"}, "v-live")
}

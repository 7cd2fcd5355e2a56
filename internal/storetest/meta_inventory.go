package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

// inventoryFixture puts vaults around the bound t = at(0) of DueInventories
// and returns the due ones, sorted by (Account, Name).
func inventoryFixture(t *testing.T, s glacier.MetaStore) []glacier.Vault {
	t.Helper()
	mk := func(account, name string, created, inventory, write time.Duration) glacier.Vault {
		v := newVault(account, name)
		v.CreatedAt = at(created)
		v.InventoryAt, v.LastWriteAt = time.Time{}, time.Time{}
		if inventory != 0 {
			v.InventoryAt = at(inventory)
		}
		if write != 0 {
			v.LastWriteAt = at(write)
		}
		return v
	}
	due := []glacier.Vault{
		mk(acctA, "new-written", -time.Hour, 0, -30*time.Minute),
		mk(acctA, "new-created-at-t", 0, 0, time.Second),
		mk(acctA, "inv-old-written", -3*time.Hour, -2*time.Hour, -time.Hour),
		mk(acctA, "inv-at-t-written", -3*time.Hour, 0, time.Second),
		mk(acctB, "inv-old-written", -3*time.Hour, -2*time.Hour, -time.Microsecond),
	}
	// inventory 0 means none; an inventory exactly at t needs a non-zero offset.
	due[3].InventoryAt = at(0)
	notDue := []glacier.Vault{
		mk(acctA, "never-written", -time.Hour, 0, 0),
		mk(acctA, "new-created-after-t", time.Microsecond, 0, time.Second),
		mk(acctA, "inv-after-t-written", -3*time.Hour, time.Microsecond, time.Second),
		mk(acctA, "inv-old-clean", -3*time.Hour, -2*time.Hour, -3*time.Hour),
		mk(acctA, "inv-old-at-write", -3*time.Hour, -2*time.Hour, -2*time.Hour),
	}
	putVaults(t, s, append(slices.Clone(notDue), due...)...)
	slices.SortFunc(due, compareVaults)
	return due
}

func compareVaults(a, b glacier.Vault) int {
	if c := strings.Compare(a.Account, b.Account); c != 0 {
		return c
	}
	return strings.Compare(a.Name, b.Name)
}

func testVaultDueInventories(t *testing.T, s glacier.MetaStore) {
	want := inventoryFixture(t, s)
	view(t, s, func(tx glacier.Tx) error {
		got, err := tx.DueInventories(at(0), 0)
		if err != nil {
			return err
		}
		slices.SortFunc(got, compareVaults)
		if d := diff(want, got); d != "" {
			t.Errorf("DueInventories (-want +got):\n%s", d)
		}
		return nil
	})
}

func testVaultDueInventoriesLimit(t *testing.T, s glacier.MetaStore) {
	want := inventoryFixture(t, s)
	var seen []glacier.Vault
	for range 10 {
		var page []glacier.Vault
		view(t, s, func(tx glacier.Tx) error {
			var err error
			page, err = tx.DueInventories(at(0), 2)
			return err
		})
		if len(page) > 2 {
			t.Fatalf("DueInventories(limit 2) returned %d", len(page))
		}
		if len(page) == 0 {
			break
		}
		seen = append(seen, page...)
		// Taking the inventory makes a vault not due.
		for i := range page {
			page[i].InventoryAt = at(time.Hour)
		}
		putVaults(t, s, page...)
	}
	slices.SortFunc(seen, compareVaults)
	if d := diff(want, seen); d != "" {
		t.Errorf("DueInventories paged by taking inventories (-want +got):\n%s", d)
	}
}

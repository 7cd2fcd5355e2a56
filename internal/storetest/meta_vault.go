package storetest

import (
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

func vaultTests() []metaTest {
	return []metaTest{
		{"Vault/RoundTrip", testVaultRoundTrip},
		{"Vault/ZeroTimes", testVaultZeroTimes},
		{"Vault/NotFound", testVaultNotFound},
		{"Vault/PutReplaces", testVaultPutReplaces},
		{"Vault/AccountsIsolated", testVaultAccountsIsolated},
		{"Vault/BytewiseOrder", testVaultBytewiseOrder},
		{"Vault/Paging", testVaultPaging},
		{"Vault/Count", testVaultCount},
		{"Vault/DeleteMissing", testVaultDeleteMissing},
		{"Vault/DeleteCascades", testVaultDeleteCascades},
		{"Vault/DueInventories", testVaultDueInventories},
		{"Vault/DueInventoriesLimit", testVaultDueInventoriesLimit},
	}
}

func testVaultRoundTrip(t *testing.T, s glacier.MetaStore) {
	want := newVault(acctA, "photos")
	// A time in another zone must come back as the same instant, in UTC.
	want.CreatedAt = want.CreatedAt.In(time.FixedZone("X", -7*3600))
	putVaults(t, s, want)
	view(t, s, func(tx glacier.Tx) error {
		got, err := tx.Vault(acctA, "photos")
		if err != nil {
			return err
		}
		if d := diff(want, got); d != "" {
			t.Errorf("Vault (-want +got):\n%s", d)
		}
		wantUTC(t, "Vault", got.CreatedAt, got.LastWriteAt, got.InventoryAt)
		list, err := tx.Vaults(acctA, "", 0)
		if err != nil {
			return err
		}
		if d := diff([]glacier.Vault{want}, list); d != "" {
			t.Errorf("Vaults (-want +got):\n%s", d)
		}
		return nil
	})
}

func testVaultZeroTimes(t *testing.T, s glacier.MetaStore) {
	want := glacier.Vault{Account: acctA, Name: "new", CreatedAt: t0()}
	putVaults(t, s, want)
	view(t, s, func(tx glacier.Tx) error {
		got, err := tx.Vault(acctA, "new")
		if err != nil {
			return err
		}
		if d := diff(want, got); d != "" {
			t.Errorf("Vault (-want +got):\n%s", d)
		}
		wantZero(t, "Vault", got.LastWriteAt, got.InventoryAt)
		return nil
	})
}

func testVaultNotFound(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "a"))
	view(t, s, func(tx glacier.Tx) error {
		_, err := tx.Vault(acctA, "b")
		if err := errNotFound("Vault(missing name)", err); err != nil {
			return err
		}
		_, err = tx.Vault(acctB, "a")
		return errNotFound("Vault(other account)", err)
	})
}

func testVaultPutReplaces(t *testing.T, s glacier.MetaStore) {
	v := newVault(acctA, "a")
	putVaults(t, s, v)
	v.Archives, v.Bytes = 0, 0
	v.LastWriteAt = time.Time{}
	v.InventoryAt = at(time.Hour)
	putVaults(t, s, v)
	view(t, s, func(tx glacier.Tx) error {
		got, err := tx.Vault(acctA, "a")
		if err != nil {
			return err
		}
		if d := diff(v, got); d != "" {
			t.Errorf("Vault after replace (-want +got):\n%s", d)
		}
		n, err := tx.CountVaults(acctA)
		if err != nil {
			return err
		}
		if n != 1 {
			t.Errorf("CountVaults = %d, want 1", n)
		}
		return nil
	})
}

func testVaultAccountsIsolated(t *testing.T, s glacier.MetaStore) {
	a, b := newVault(acctA, "same"), newVault(acctB, "same")
	b.Archives = 99
	putVaults(t, s, a, b, newVault(acctB, "other"))
	update(t, s, func(tx glacier.Tx) error { return tx.DeleteVault(acctB, "other") })
	view(t, s, func(tx glacier.Tx) error {
		for _, want := range []glacier.Vault{a, b} {
			got, err := tx.Vault(want.Account, want.Name)
			if err != nil {
				return err
			}
			if d := diff(want, got); d != "" {
				t.Errorf("Vault(%s) (-want +got):\n%s", want.Account, d)
			}
			list, err := tx.Vaults(want.Account, "", 0)
			if err != nil {
				return err
			}
			if d := diff([]glacier.Vault{want}, list); d != "" {
				t.Errorf("Vaults(%s) (-want +got):\n%s", want.Account, d)
			}
		}
		return nil
	})
}

// bytewiseNames is sorted bytewise: '-' < '.' < digits < upper < '_' < lower.
func bytewiseNames() []string {
	return []string{"B", "Z", "a", "a-b", "a.b", "a0", "aB", "a_b", "ab", "b"}
}

func testVaultBytewiseOrder(t *testing.T, s glacier.MetaStore) {
	names := bytewiseNames()
	update(t, s, func(tx glacier.Tx) error {
		for _, i := range []int{4, 9, 0, 7, 2, 5, 1, 8, 3, 6} {
			if err := tx.PutVault(newVault(acctA, names[i])); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx glacier.Tx) error {
		got, err := tx.Vaults(acctA, "", 0)
		if err != nil {
			return err
		}
		if d := diff(names, vaultNames(got)); d != "" {
			t.Errorf("Vaults order (-want +got):\n%s", d)
		}
		return nil
	})
}

func testVaultPaging(t *testing.T, s glacier.MetaStore) {
	names := bytewiseNames()
	for _, n := range names {
		putVaults(t, s, newVault(acctA, n))
	}
	putVaults(t, s, newVault(acctB, "a1"))
	view(t, s, func(tx glacier.Tx) error {
		var got []string
		after := ""
		for range 10 {
			page, err := tx.Vaults(acctA, after, 3)
			if err != nil {
				return err
			}
			if len(page) > 3 {
				t.Fatalf("Vaults(limit 3) returned %d", len(page))
			}
			if len(page) == 0 {
				break
			}
			got = append(got, vaultNames(page)...)
			after = page[len(page)-1].Name
		}
		if d := diff(names, got); d != "" {
			t.Errorf("paged Vaults (-want +got):\n%s", d)
		}
		cases := []struct {
			after string
			limit int
			want  []string
		}{
			{"a", 2, []string{"a-b", "a.b"}},
			{"a.a", 1, []string{"a.b"}},      // after need not exist
			{"a_b", -1, []string{"ab", "b"}}, // negative limit: no limit
			{"b", 5, nil},
			{"zzz", 0, nil},
		}
		for _, c := range cases {
			page, err := tx.Vaults(acctA, c.after, c.limit)
			if err != nil {
				return err
			}
			if d := diff(c.want, vaultNames(page)); d != "" {
				t.Errorf("Vaults(after %q, limit %d) (-want +got):\n%s", c.after, c.limit, d)
			}
		}
		return nil
	})
}

func vaultNames(vs []glacier.Vault) []string {
	var names []string
	for _, v := range vs {
		names = append(names, v.Name)
	}
	return names
}

func testVaultCount(t *testing.T, s glacier.MetaStore) {
	view(t, s, func(tx glacier.Tx) error {
		n, err := tx.CountVaults(acctA)
		if err != nil {
			return err
		}
		if n != 0 {
			t.Errorf("CountVaults of empty store = %d, want 0", n)
		}
		return nil
	})
	putVaults(t, s, newVault(acctA, "a"), newVault(acctA, "b"), newVault(acctA, "c"), newVault(acctB, "a"))
	update(t, s, func(tx glacier.Tx) error { return tx.DeleteVault(acctA, "b") })
	view(t, s, func(tx glacier.Tx) error {
		for acct, want := range map[string]int{acctA: 2, acctB: 1, "999999999999": 0} {
			n, err := tx.CountVaults(acct)
			if err != nil {
				return err
			}
			if n != want {
				t.Errorf("CountVaults(%s) = %d, want %d", acct, n, want)
			}
		}
		return nil
	})
}

func testVaultDeleteMissing(t *testing.T, s glacier.MetaStore) {
	update(t, s, func(tx glacier.Tx) error {
		if err := tx.DeleteVault(acctA, "never"); err != nil {
			return err
		}
		if err := tx.PutVault(newVault(acctA, "v")); err != nil {
			return err
		}
		if err := tx.DeleteVault(acctA, "v"); err != nil {
			return err
		}
		return tx.DeleteVault(acctA, "v")
	})
	view(t, s, func(tx glacier.Tx) error {
		_, err := tx.Vault(acctA, "v")
		return errNotFound("Vault after DeleteVault", err)
	})
}

package storetest

import (
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

func accountsTests() []metaTest {
	return []metaTest{
		{"Accounts/Empty", testAccountsEmpty},
		{"Accounts/EveryKindOfOwnerOnceInBytewiseOrder", testAccountsUnion},
		{"Accounts/ExpiredCapacityCounts", testAccountsExpiredCapacity},
		{"Accounts/DeletedVaultLeaves", testAccountsDeletedVault},
		{"Accounts/SeesOwnWrites", testAccountsOwnWrites},
	}
}

func accountsOf(t *testing.T, s glacier.MetaStore) []string {
	t.Helper()
	var got []string
	view(t, s, func(tx glacier.Tx) (err error) {
		got, err = tx.Accounts()
		return err
	})
	return got
}

func testAccountsEmpty(t *testing.T, s glacier.MetaStore) {
	if got := accountsOf(t, s); len(got) != 0 {
		t.Errorf("Accounts of an empty store: %q", got)
	}
}

func testAccountsUnion(t *testing.T, s glacier.MetaStore) {
	// "B…" sorts before "a…" bytewise but after it in most locales; the
	// account with records of every kind appears once.
	const (
		vaultsOnly = "a00000000000"
		capOnly    = "B00000000000"
		policyOnly = "999999999999"
		everything = "111122223333"
	)
	putVaults(t, s, newVault(vaultsOnly, "v1"), newVault(vaultsOnly, "v2"), newVault(everything, "v"))
	putCapacities(t, s, newCapacity("c1", capOnly, 0), newCapacity("c2", everything, 0), newCapacity("c3", everything, time.Hour))
	update(t, s, func(tx glacier.Tx) error {
		if err := tx.PutRetrievalPolicy(policyOnly, glacier.RetrievalPolicy{Strategy: glacier.StrategyFreeTier}); err != nil {
			return err
		}
		return tx.PutRetrievalPolicy(everything, glacier.RetrievalPolicy{Strategy: glacier.StrategyNone})
	})
	want := []string{everything, policyOnly, capOnly, vaultsOnly}
	if d := diff(want, accountsOf(t, s)); d != "" {
		t.Errorf("Accounts (-want +got):\n%s", d)
	}
}

func testAccountsExpiredCapacity(t *testing.T, s glacier.MetaStore) {
	putCapacities(t, s, glacier.Capacity{ID: "old", Account: acctB, StartAt: at(-60 * 24 * time.Hour), ExpiresAt: at(-30 * 24 * time.Hour)})
	if d := diff([]string{acctB}, accountsOf(t, s)); d != "" {
		t.Errorf("Accounts with only an expired capacity unit (-want +got):\n%s", d)
	}
}

func testAccountsDeletedVault(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"), newVault(acctB, "v"))
	update(t, s, func(tx glacier.Tx) error { return tx.DeleteVault(acctA, "v") })
	if d := diff([]string{acctB}, accountsOf(t, s)); d != "" {
		t.Errorf("Accounts after deleting the only vault of %s (-want +got):\n%s", acctA, d)
	}
}

func testAccountsOwnWrites(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctB, "v"))
	update(t, s, func(tx glacier.Tx) error {
		if err := tx.PutVault(newVault(acctA, "v")); err != nil {
			return err
		}
		got, err := tx.Accounts()
		if err != nil {
			return err
		}
		if d := diff([]string{acctA, acctB}, got); d != "" {
			t.Errorf("Accounts inside the writing Update (-want +got):\n%s", d)
		}
		return nil
	})
}

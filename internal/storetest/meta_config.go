package storetest

import (
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

func configTests() []metaTest {
	return []metaTest{
		{"VaultConfig/RoundTrip", testConfigRoundTrip},
		{"VaultConfig/NotFound", testConfigNotFound},
		{"VaultConfig/PutReplaces", testConfigPutReplaces},
	}
}

func outboxTests() []metaTest {
	return []metaTest{
		{"Outbox/DueOrderAndLimit", testOutboxDue},
		{"Outbox/PutReplacesAndDelete", testOutboxPutDelete},
	}
}

// newVaultConfig returns a vault configuration with every field set.
func newVaultConfig(account, vault string) glacier.VaultConfig {
	return glacier.VaultConfig{
		Account:       account,
		Vault:         vault,
		Tags:          map[string]string{"team": "archive", "cost center": "42", "empty": ""},
		AccessPolicy:  `{"Version":"2012-10-17","Statement":[]}`,
		LockPolicy:    `{"Version":"2012-10-17","Statement":[{"Effect":"Deny"}]}`,
		LockID:        "AE863rKkWZU53SLW5be4DUcW",
		LockState:     glacier.LockInProgress,
		LockCreatedAt: at(-time.Hour),
		LockExpiresAt: at(23 * time.Hour),
		NotifyTopic:   "arn:aws:sns:us-east-1:" + account + ":topic",
		NotifyEvents:  []string{glacier.EventArchiveRetrievalCompleted, glacier.EventInventoryRetrievalCompleted},
	}
}

func getConfig(t *testing.T, s glacier.MetaStore, account, vault string) (glacier.VaultConfig, error) {
	t.Helper()
	var c glacier.VaultConfig
	err := s.View(t.Context(), func(tx glacier.Tx) (err error) {
		c, err = tx.VaultConfig(account, vault)
		return err
	})
	return c, err
}

func testConfigRoundTrip(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"), newVault(acctB, "v"))
	want := newVaultConfig(acctA, "v")
	update(t, s, func(tx glacier.Tx) error { return tx.PutVaultConfig(want) })
	got, err := getConfig(t, s, acctA, "v")
	if err != nil {
		t.Fatal(err)
	}
	if d := diff(want, got); d != "" {
		t.Errorf("VaultConfig (-want +got):\n%s", d)
	}
	wantUTC(t, "VaultConfig", got.LockCreatedAt, got.LockExpiresAt)
	// The zero configuration (all unset) round-trips too.
	zero := glacier.VaultConfig{Account: acctB, Vault: "v"}
	update(t, s, func(tx glacier.Tx) error { return tx.PutVaultConfig(zero) })
	got, err = getConfig(t, s, acctB, "v")
	if err != nil {
		t.Fatal(err)
	}
	if d := diff(zero, got); d != "" {
		t.Errorf("zero VaultConfig (-want +got):\n%s", d)
	}
	wantZero(t, "zero VaultConfig", got.LockCreatedAt, got.LockExpiresAt)
}

func testConfigNotFound(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	_, err := getConfig(t, s, acctA, "v")
	if err := errNotFound("VaultConfig of a vault without one", err); err != nil {
		t.Error(err)
	}
	_, err = getConfig(t, s, acctA, "missing")
	if err := errNotFound("VaultConfig of a missing vault", err); err != nil {
		t.Error(err)
	}
}

func testConfigPutReplaces(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, newVault(acctA, "v"))
	c := newVaultConfig(acctA, "v")
	update(t, s, func(tx glacier.Tx) error { return tx.PutVaultConfig(c) })
	c.Tags = map[string]string{"only": "one"}
	c.LockState, c.LockExpiresAt = glacier.LockLocked, time.Time{}
	c.NotifyTopic, c.NotifyEvents = "", nil
	update(t, s, func(tx glacier.Tx) error { return tx.PutVaultConfig(c) })
	got, err := getConfig(t, s, acctA, "v")
	if err != nil {
		t.Fatal(err)
	}
	if d := diff(c, got); d != "" {
		t.Errorf("VaultConfig after replace (-want +got):\n%s", d)
	}
}

func newNotification(id string, notBefore time.Duration) glacier.Notification {
	return glacier.Notification{
		ID: id, Topic: "arn:aws:sns:us-east-1:111122223333:t", Subject: "Notification from Amazon Glacier",
		Message: `{"JobId":"` + id + `","Completed":true}`, CreatedAt: at(-time.Hour), NotBefore: at(notBefore), Attempts: 2,
	}
}

func dueNotifications(t *testing.T, s glacier.MetaStore, now time.Time, limit int) []glacier.Notification {
	t.Helper()
	var got []glacier.Notification
	view(t, s, func(tx glacier.Tx) (err error) {
		got, err = tx.DueNotifications(now, limit)
		return err
	})
	return got
}

func testOutboxDue(t *testing.T, s glacier.MetaStore) {
	n1, n2, n3, late := newNotification("n1", -time.Hour), newNotification("n2", 0), newNotification("n0", -time.Hour), newNotification("late", time.Second)
	update(t, s, func(tx glacier.Tx) error {
		for _, n := range []glacier.Notification{n1, n2, n3, late} {
			if err := tx.PutNotification(n); err != nil {
				return err
			}
		}
		return nil
	})
	if d := diff([]glacier.Notification{n3, n1, n2}, dueNotifications(t, s, t0(), 0)); d != "" {
		t.Errorf("DueNotifications (-want +got):\n%s", d)
	}
	if d := diff([]glacier.Notification{n3}, dueNotifications(t, s, t0(), 1)); d != "" {
		t.Errorf("DueNotifications(limit 1) (-want +got):\n%s", d)
	}
	for _, n := range dueNotifications(t, s, at(time.Hour), 0) {
		wantUTC(t, "Notification", n.CreatedAt, n.NotBefore)
	}
}

func testOutboxPutDelete(t *testing.T, s glacier.MetaStore) {
	n := newNotification("n", 0)
	update(t, s, func(tx glacier.Tx) error { return tx.PutNotification(n) })
	// A delivery attempt that failed postpones the notification.
	n.NotBefore, n.Attempts = at(time.Minute), 3
	update(t, s, func(tx glacier.Tx) error { return tx.PutNotification(n) })
	if got := dueNotifications(t, s, t0(), 0); len(got) != 0 {
		t.Errorf("DueNotifications after postponing: %v", got)
	}
	if d := diff([]glacier.Notification{n}, dueNotifications(t, s, at(time.Minute), 0)); d != "" {
		t.Errorf("DueNotifications (-want +got):\n%s", d)
	}
	update(t, s, func(tx glacier.Tx) error {
		if err := tx.DeleteNotification("n"); err != nil {
			return err
		}
		return tx.DeleteNotification("never-there")
	})
	if got := dueNotifications(t, s, at(time.Hour), 0); len(got) != 0 {
		t.Errorf("DueNotifications after delete: %v", got)
	}
}

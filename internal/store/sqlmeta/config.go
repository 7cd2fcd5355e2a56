package sqlmeta

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

const vaultConfigCols = "account, vault, tags, access_policy, lock_policy, lock_id, lock_state," +
	" lock_created_at, lock_expires_at, notify_topic, notify_events"

// VaultConfig returns the vault's governance record, or an error of
// KindNotFound when none was put.
func (t *Tx) VaultConfig(account, vault string) (glacier.VaultConfig, error) {
	var c glacier.VaultConfig
	var tags, events string
	err := t.queryRow("vault config", fmt.Sprintf("no configuration for vault %s/%s", account, vault),
		func(s Scanner) error {
			return s.Scan(&c.Account, &c.Vault, &tags, &c.AccessPolicy, &c.LockPolicy, &c.LockID, &c.LockState,
				timeDest{&c.LockCreatedAt}, timeDest{&c.LockExpiresAt}, &c.NotifyTopic, &events)
		},
		"SELECT "+vaultConfigCols+" FROM vault_configs WHERE account = ? AND vault = ?", account, vault)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(tags), &c.Tags); err != nil {
		return c, fmt.Errorf("%s: vault config tags: %w", t.d.Name, err)
	}
	if err := json.Unmarshal([]byte(events), &c.NotifyEvents); err != nil {
		return c, fmt.Errorf("%s: vault config events: %w", t.d.Name, err)
	}
	if len(c.Tags) == 0 {
		c.Tags = nil
	}
	if len(c.NotifyEvents) == 0 {
		c.NotifyEvents = nil
	}
	return c, nil
}

// PutVaultConfig inserts or replaces the vault's governance record.
func (t *Tx) PutVaultConfig(c glacier.VaultConfig) error {
	tags, err := json.Marshal(c.Tags)
	if err != nil {
		return fmt.Errorf("%s: put vault config: %w", t.d.Name, err)
	}
	events, err := json.Marshal(c.NotifyEvents)
	if err != nil {
		return fmt.Errorf("%s: put vault config: %w", t.d.Name, err)
	}
	_, err = t.exec("put vault config", upsert("vault_configs", "account, vault", vaultConfigCols),
		c.Account, c.Vault, string(tags), c.AccessPolicy, c.LockPolicy, c.LockID, c.LockState,
		enc(c.LockCreatedAt), enc(c.LockExpiresAt), c.NotifyTopic, string(events))
	return err
}

const notificationCols = "id, topic, subject, message, created_at, not_before, attempts"

func scanNotification(n *glacier.Notification) func(Scanner) error {
	return func(s Scanner) error {
		var attempts int64
		if err := s.Scan(&n.ID, &n.Topic, &n.Subject, &n.Message, timeDest{&n.CreatedAt},
			timeDest{&n.NotBefore}, &attempts); err != nil {
			return err
		}
		n.Attempts = int(attempts)
		return nil
	}
}

// PutNotification inserts or replaces a notification.
func (t *Tx) PutNotification(n glacier.Notification) error {
	_, err := t.exec("put notification", upsert("notifications", "id", notificationCols),
		n.ID, n.Topic, n.Subject, n.Message, enc(n.CreatedAt), enc(n.NotBefore), int64(n.Attempts))
	return err
}

// DueNotifications returns up to n notifications due at now, in
// (NotBefore, ID) order.
func (t *Tx) DueNotifications(now time.Time, n int) ([]glacier.Notification, error) {
	return collect(t, "due notifications", scanNotification,
		"SELECT "+notificationCols+" FROM notifications WHERE not_before <= ? ORDER BY not_before, id LIMIT ?",
		enc(now), t.limit(n))
}

// DeleteNotification removes a notification.
func (t *Tx) DeleteNotification(id string) error {
	_, err := t.exec("delete notification", "DELETE FROM notifications WHERE id = ?", id)
	return err
}

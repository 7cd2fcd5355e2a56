package postgres

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
func (t *tx) VaultConfig(account, vault string) (glacier.VaultConfig, error) {
	var c glacier.VaultConfig
	var tags, events []byte
	err := t.queryRow("vault config", fmt.Sprintf("no configuration for vault %s/%s", account, vault),
		func(s scanner) error {
			return s.Scan(&c.Account, &c.Vault, &tags, &c.AccessPolicy, &c.LockPolicy, &c.LockID, &c.LockState,
				timeDest{&c.LockCreatedAt}, timeDest{&c.LockExpiresAt}, &c.NotifyTopic, &events)
		},
		"SELECT "+vaultConfigCols+" FROM vault_configs WHERE account = $1 AND vault = $2", account, vault)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(tags, &c.Tags); err != nil {
		return c, fmt.Errorf("postgres: vault config tags: %w", err)
	}
	if err := json.Unmarshal(events, &c.NotifyEvents); err != nil {
		return c, fmt.Errorf("postgres: vault config events: %w", err)
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
func (t *tx) PutVaultConfig(c glacier.VaultConfig) error {
	tags, err := json.Marshal(c.Tags)
	if err != nil {
		return fmt.Errorf("postgres: put vault config: %w", err)
	}
	events, err := json.Marshal(c.NotifyEvents)
	if err != nil {
		return fmt.Errorf("postgres: put vault config: %w", err)
	}
	_, err = t.exec("put vault config", upsert("vault_configs", "account, vault", vaultConfigCols),
		c.Account, c.Vault, tags, c.AccessPolicy, c.LockPolicy, c.LockID, c.LockState,
		enc(c.LockCreatedAt), enc(c.LockExpiresAt), c.NotifyTopic, events)
	return err
}

const notificationCols = "id, topic, subject, message, created_at, not_before, attempts"

func scanNotification(n *glacier.Notification) func(scanner) error {
	return func(s scanner) error {
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
func (t *tx) PutNotification(n glacier.Notification) error {
	_, err := t.exec("put notification", upsert("notifications", "id", notificationCols),
		n.ID, n.Topic, n.Subject, n.Message, enc(n.CreatedAt), enc(n.NotBefore), int64(n.Attempts))
	return err
}

// DueNotifications returns up to limit notifications due at now, in
// (NotBefore, ID) order.
func (t *tx) DueNotifications(now time.Time, n int) ([]glacier.Notification, error) {
	return collect(t, "due notifications", scanNotification,
		"SELECT "+notificationCols+" FROM notifications WHERE not_before <= $1 ORDER BY not_before, id LIMIT $2",
		enc(now), limit(n))
}

// DeleteNotification removes a notification.
func (t *tx) DeleteNotification(id string) error {
	_, err := t.exec("delete notification", "DELETE FROM notifications WHERE id = $1", id)
	return err
}

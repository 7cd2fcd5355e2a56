package sqlite

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
	var tags, events string
	err := t.queryRow("vault config", fmt.Sprintf("no configuration for vault %s/%s", account, vault),
		func(s scanner) error {
			return s.Scan(&c.Account, &c.Vault, &tags, &c.AccessPolicy, &c.LockPolicy, &c.LockID, &c.LockState,
				timeDest{&c.LockCreatedAt}, timeDest{&c.LockExpiresAt}, &c.NotifyTopic, &events)
		},
		"SELECT "+vaultConfigCols+" FROM vault_configs WHERE account = ? AND vault = ?", account, vault)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(tags), &c.Tags); err != nil {
		return c, fmt.Errorf("sqlite: vault config tags: %w", err)
	}
	if err := json.Unmarshal([]byte(events), &c.NotifyEvents); err != nil {
		return c, fmt.Errorf("sqlite: vault config events: %w", err)
	}
	if len(c.Tags) == 0 {
		c.Tags = nil
	}
	return c, nil
}

// PutVaultConfig inserts or replaces the vault's governance record.
func (t *tx) PutVaultConfig(c glacier.VaultConfig) error {
	tags, err := json.Marshal(c.Tags)
	if err != nil {
		return err
	}
	events, err := json.Marshal(c.NotifyEvents)
	if err != nil {
		return err
	}
	_, err = t.exec("put vault config", upsert("vault_configs", "account, vault", vaultConfigCols),
		c.Account, c.Vault, string(tags), c.AccessPolicy, c.LockPolicy, c.LockID, c.LockState,
		enc(c.LockCreatedAt), enc(c.LockExpiresAt), c.NotifyTopic, string(events))
	return err
}

const notificationCols = "id, topic, subject, message, created_at, not_before, attempts"

// PutNotification inserts or replaces a notification.
func (t *tx) PutNotification(n glacier.Notification) error {
	_, err := t.exec("put notification", upsert("notifications", "id", notificationCols),
		n.ID, n.Topic, n.Subject, n.Message, enc(n.CreatedAt), enc(n.NotBefore), n.Attempts)
	return err
}

// DueNotifications returns up to limit notifications due at now, in
// (NotBefore, ID) order.
func (t *tx) DueNotifications(now time.Time, n int) ([]glacier.Notification, error) {
	var out []glacier.Notification
	err := t.queryRows("due notifications", func(s scanner) error {
		var m glacier.Notification
		if err := s.Scan(&m.ID, &m.Topic, &m.Subject, &m.Message, timeDest{&m.CreatedAt}, timeDest{&m.NotBefore}, &m.Attempts); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	}, "SELECT "+notificationCols+" FROM notifications WHERE not_before <= ? ORDER BY not_before, id LIMIT ?", enc(now), limit(n))
	return out, err
}

// DeleteNotification removes a notification.
func (t *tx) DeleteNotification(id string) error {
	_, err := t.exec("delete notification", "DELETE FROM notifications WHERE id = ?", id)
	return err
}

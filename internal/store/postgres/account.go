package postgres

import (
	"fmt"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

func scanCapacity(c *glacier.Capacity) func(scanner) error {
	return func(s scanner) error {
		return s.Scan(&c.ID, &c.Account, timeDest{&c.StartAt}, timeDest{&c.ExpiresAt})
	}
}

// Capacities returns the account's capacity units expiring after now, in
// (StartAt, ID) order.
func (t *tx) Capacities(account string, now time.Time) ([]glacier.Capacity, error) {
	return collect(t, "capacities", scanCapacity, "SELECT id, account, start_at, expires_at FROM capacities"+
		" WHERE account = $1 AND expires_at > $2 ORDER BY start_at, id", account, enc(now))
}

// PutCapacity inserts or replaces the capacity unit.
func (t *tx) PutCapacity(c glacier.Capacity) error {
	_, err := t.exec("put capacity", upsert("capacities", "id", "id, account, start_at, expires_at"),
		c.ID, c.Account, enc(c.StartAt), enc(c.ExpiresAt))
	return err
}

// RetrievalPolicy returns the account's policy, or an error of KindNotFound
// when none was put.
func (t *tx) RetrievalPolicy(account string) (glacier.RetrievalPolicy, error) {
	var p glacier.RetrievalPolicy
	err := t.queryRow("retrieval policy", fmt.Sprintf("no retrieval policy for account %s", account),
		func(s scanner) error { return s.Scan(&p.Strategy, &p.BytesPerHour) },
		"SELECT strategy, bytes_per_hour FROM retrieval_policies WHERE account = $1", account)
	return p, err
}

// PutRetrievalPolicy sets the account's policy.
func (t *tx) PutRetrievalPolicy(account string, p glacier.RetrievalPolicy) error {
	_, err := t.exec("put retrieval policy",
		upsert("retrieval_policies", "account", "account, strategy, bytes_per_hour"),
		account, p.Strategy, p.BytesPerHour)
	return err
}

// PutGarbage records key due at notBefore; of two times for one key, the
// later stands.
func (t *tx) PutGarbage(key string, notBefore time.Time) error {
	_, err := t.exec("put garbage", "INSERT INTO garbage (key, not_before) VALUES ($1, $2)"+
		" ON CONFLICT (key) DO UPDATE SET not_before = greatest(garbage.not_before, EXCLUDED.not_before)",
		key, enc(notBefore))
	return err
}

// DeleteGarbage removes key and reports whether it was recorded.
func (t *tx) DeleteGarbage(key string) (bool, error) {
	tag, err := t.exec("delete garbage", "DELETE FROM garbage WHERE key = $1", key)
	return err == nil && tag.RowsAffected() > 0, err
}

// DueGarbage returns up to n keys due at now, in (notBefore, key) order.
func (t *tx) DueGarbage(now time.Time, n int) ([]string, error) {
	return collect(t, "due garbage", func(k *string) func(scanner) error {
		return func(s scanner) error { return s.Scan(k) }
	}, "SELECT key FROM garbage WHERE not_before <= $1 ORDER BY not_before, key LIMIT $2", enc(now), limit(n))
}

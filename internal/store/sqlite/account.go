package sqlite

import (
	"fmt"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

// Capacities returns the account's capacity units expiring after now, in
// (StartAt, ID) order.
func (t *tx) Capacities(account string, now time.Time) ([]glacier.Capacity, error) {
	var cs []glacier.Capacity
	err := t.queryRows("capacities", func(s scanner) error {
		var c glacier.Capacity
		if err := s.Scan(&c.ID, &c.Account, timeDest{&c.StartAt}, timeDest{&c.ExpiresAt}); err != nil {
			return err
		}
		cs = append(cs, c)
		return nil
	}, "SELECT id, account, start_at, expires_at FROM capacities"+
		" WHERE account = ? AND expires_at > ? ORDER BY start_at, id", account, enc(now))
	return cs, err
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
		"SELECT strategy, bytes_per_hour FROM retrieval_policies WHERE account = ?", account)
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
	_, err := t.exec("put garbage", "INSERT INTO garbage (key, not_before) VALUES (?, ?)"+
		" ON CONFLICT (key) DO UPDATE SET not_before = max(not_before, excluded.not_before)", key, enc(notBefore))
	return err
}

// DeleteGarbage removes key and reports whether it was recorded.
func (t *tx) DeleteGarbage(key string) (bool, error) {
	res, err := t.exec("delete garbage", "DELETE FROM garbage WHERE key = ?", key)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, dbErr("delete garbage", err)
}

// DueGarbage returns up to n keys due at now, in (notBefore, key) order.
func (t *tx) DueGarbage(now time.Time, n int) ([]string, error) {
	var keys []string
	err := t.queryRows("due garbage", func(s scanner) error {
		var k string
		if err := s.Scan(&k); err != nil {
			return err
		}
		keys = append(keys, k)
		return nil
	}, "SELECT key FROM garbage WHERE not_before <= ? ORDER BY not_before, key LIMIT ?", enc(now), limit(n))
	return keys, err
}

package sqlmeta

import (
	"fmt"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

const capacityCols = "id, account, start_at, expires_at"

func scanCapacity(c *glacier.Capacity) func(Scanner) error {
	return func(s Scanner) error {
		return s.Scan(&c.ID, &c.Account, timeDest{&c.StartAt}, timeDest{&c.ExpiresAt})
	}
}

// Capacities returns the account's capacity units expiring after now, in
// (StartAt, ID) order.
func (t *Tx) Capacities(account string, now time.Time) ([]glacier.Capacity, error) {
	return collect(t, "capacities", scanCapacity, "SELECT "+capacityCols+" FROM capacities"+
		" WHERE account = ? AND expires_at > ? ORDER BY start_at, id", account, enc(now))
}

// PutCapacity inserts or replaces the capacity unit.
func (t *Tx) PutCapacity(c glacier.Capacity) error {
	_, err := t.exec("put capacity", upsert("capacities", "id", capacityCols),
		c.ID, c.Account, enc(c.StartAt), enc(c.ExpiresAt))
	return err
}

// RetrievalPolicy returns the account's policy, or an error of KindNotFound
// when none was put.
func (t *Tx) RetrievalPolicy(account string) (glacier.RetrievalPolicy, error) {
	var p glacier.RetrievalPolicy
	err := t.queryRow("retrieval policy", fmt.Sprintf("no retrieval policy for account %s", account),
		func(s Scanner) error { return s.Scan(&p.Strategy, &p.BytesPerHour) },
		"SELECT strategy, bytes_per_hour FROM retrieval_policies WHERE account = ?", account)
	return p, err
}

// PutRetrievalPolicy sets the account's policy.
func (t *Tx) PutRetrievalPolicy(account string, p glacier.RetrievalPolicy) error {
	_, err := t.exec("put retrieval policy",
		upsert("retrieval_policies", "account", "account, strategy, bytes_per_hour"),
		account, p.Strategy, p.BytesPerHour)
	return err
}

// PutGarbage records key due at notBefore; of two times for one key, the
// later stands.
func (t *Tx) PutGarbage(key string, notBefore time.Time) error {
	_, err := t.exec("put garbage", "INSERT INTO garbage (key, not_before) VALUES (?, ?)"+
		" ON CONFLICT (key) DO UPDATE SET not_before = "+t.d.Greatest+"(garbage.not_before, excluded.not_before)",
		key, enc(notBefore))
	return err
}

// DeleteGarbage removes key and reports whether it was recorded.
func (t *Tx) DeleteGarbage(key string) (bool, error) {
	n, err := t.exec("delete garbage", "DELETE FROM garbage WHERE key = ?", key)
	return err == nil && n > 0, err
}

// DueGarbage returns up to n keys due at now, in (notBefore, key) order.
func (t *Tx) DueGarbage(now time.Time, n int) ([]string, error) {
	return collect(t, "due garbage", scanString,
		"SELECT key FROM garbage WHERE not_before <= ? ORDER BY not_before, key LIMIT ?", enc(now), t.limit(n))
}

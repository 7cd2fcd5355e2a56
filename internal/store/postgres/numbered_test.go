package postgres

import "testing"

func TestNumbered(t *testing.T) {
	for q, want := range map[string]string{
		"SELECT 1":                              "SELECT 1",
		"DELETE FROM t WHERE a = ? AND b > ?":   "DELETE FROM t WHERE a = $1 AND b > $2",
		"SELECT '?' FROM t WHERE a = ?":         "SELECT '?' FROM t WHERE a = $1",
		"SELECT 'it''s ?', ? FROM t LIMIT ?":    "SELECT 'it''s ?', $1 FROM t LIMIT $2",
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)": "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
	} {
		if got := numbered(q); got != want {
			t.Errorf("numbered(%q) = %q, want %q", q, got, want)
		}
	}
}

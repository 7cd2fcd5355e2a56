package sqlmeta

import (
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

// recorder is an Executor that records statements and returns no rows.
type recorder struct{ stmts []string }

func (r *recorder) Exec(_, query string, _ ...any) (int64, error) {
	r.stmts = append(r.stmts, query)
	return 0, nil
}

func (r *recorder) QueryRow(_ string, _ func(Scanner) error, query string, _ ...any) (bool, error) {
	r.stmts = append(r.stmts, query)
	return false, nil
}

func (r *recorder) Query(_ string, _ func(Scanner) error, query string, _ ...any) error {
	r.stmts = append(r.stmts, query)
	return nil
}

func TestRefuseWrites(t *testing.T) {
	for _, d := range []Dialect{{Name: "a"}, {Name: "b", DeleteInWith: true}} {
		var r recorder
		tx := New(&r, d, true)
		writes := map[string]func() error{
			"PutVault":    func() error { return tx.PutVault(glacier.Vault{}) },
			"DeleteVault": func() error { return tx.DeleteVault("a", "v") },
			"PutGarbage":  func() error { return tx.PutGarbage("k", time.Now()) },
			"DeleteJobs":  func() error { _, err := tx.DeleteJobs(time.Now(), 0); return err },
			"PurgeArchives": func() error {
				_, err := tx.PurgeArchives(time.Now(), 0)
				return err
			},
		}
		for name, write := range writes {
			if err := write(); err == nil {
				t.Errorf("%s: %s in a Tx that refuses writes succeeded", d.Name, name)
			}
		}
		if len(r.stmts) != 0 {
			t.Errorf("%s: refused writes sent %q", d.Name, r.stmts)
		}
		if _, err := tx.Vaults("a", "", 0); err != nil {
			t.Errorf("%s: a read in a Tx that refuses writes: %v", d.Name, err)
		}
	}
}

func TestNotFound(t *testing.T) {
	tx := New(&recorder{}, Dialect{Name: "a"}, false)
	if _, err := tx.Archive("x"); !glacier.IsKind(err, glacier.KindNotFound) {
		t.Errorf("Archive of no row: %v, want KindNotFound", err)
	}
}

func TestLimit(t *testing.T) {
	tx := New(&recorder{}, Dialect{NoLimit: -1}, false)
	for n, want := range map[int]any{0: -1, -5: -1, 7: int64(7)} {
		if got := tx.limit(n); got != want {
			t.Errorf("limit(%d) = %#v, want %#v", n, got, want)
		}
	}
}

package sqlite_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/store/sqlite"
)

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meta.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2025, 1, 2, 3, 4, 5, 6000, time.UTC)
	v := glacier.Vault{Account: "111122223333", Name: "v", CreatedAt: created, Archives: 1, Bytes: 10, LastWriteAt: created}
	a := glacier.Archive{ID: "a", Account: v.Account, Vault: v.Name, Size: 10, CreatedAt: created,
		Segments: []glacier.Segment{{Key: "k", Size: 10}}}
	err = s.Update(t.Context(), func(tx glacier.Tx) error {
		if err := tx.PutVault(v); err != nil {
			return err
		}
		if err := tx.PutArchive(a); err != nil {
			return err
		}
		return tx.PutGarbage("g", created)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second open finds the schema up to date
		s, err = sqlite.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		err = s.View(t.Context(), func(tx glacier.Tx) error {
			got, err := tx.Archive("a")
			if err != nil {
				return err
			}
			if !got.CreatedAt.Equal(created) || len(got.Segments) != 1 {
				t.Errorf("archive after reopen: %+v", got)
			}
			if _, err := tx.Vault(v.Account, v.Name); err != nil {
				return err
			}
			keys, err := tx.DueGarbage(created, 0)
			if len(keys) != 1 {
				t.Errorf("garbage after reopen: %v", keys)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meta.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future.sql')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err := sqlite.Open(t.Context(), path); err == nil {
		s.Close()
		t.Fatal("Open of a database with a newer schema succeeded")
	}
}

func TestLockedIsUnavailable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meta.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Another process holds the write lock for longer than the busy timeout.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer db.Exec("ROLLBACK")
	err = s.Update(t.Context(), func(tx glacier.Tx) error { return tx.PutGarbage("g", time.Unix(1e9, 0)) })
	if !glacier.IsKind(err, glacier.KindUnavailable) {
		t.Fatalf("Update while another connection holds the write lock: %v (kind %v), want KindUnavailable",
			err, glacier.KindOf(err))
	}
	// Readers are not blocked by the writer.
	if err := s.View(t.Context(), func(tx glacier.Tx) error { _, err := tx.CountVaults("x"); return err }); err != nil {
		t.Fatalf("View while another connection writes: %v", err)
	}
}

// BenchmarkUpdate measures small durable commits: one archive and its
// vault's counters, as an upload does.
func BenchmarkUpdate(b *testing.B) {
	s := open(b)
	created := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	v := glacier.Vault{Account: "111122223333", Name: "v", CreatedAt: created}
	if err := s.Update(b.Context(), func(tx glacier.Tx) error { return tx.PutVault(v) }); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		err := s.Update(b.Context(), func(tx glacier.Tx) error {
			a := glacier.Archive{ID: fmt.Sprint("archive-", i), Account: v.Account, Vault: v.Name,
				Size: 1 << 20, TreeHash: "00", CreatedAt: created.Add(time.Duration(i) * time.Microsecond),
				Segments: []glacier.Segment{{Key: fmt.Sprint("blob-", i), Size: 1 << 20}}}
			if err := tx.PutArchive(a); err != nil {
				return err
			}
			v.Archives++
			v.Bytes += a.Size
			v.LastWriteAt = a.CreatedAt
			return tx.PutVault(v)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}

package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/store/postgres"
)

// schemaVersions returns the versions recorded in the schema's
// schema_migrations table, one entry per row.
func schemaVersions(t *testing.T, schema string) []int {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), serverURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.WithoutCancel(t.Context()))
	rows, err := conn.Query(t.Context(), "SELECT version FROM "+pgx.Identifier{schema, "schema_migrations"}.Sanitize()+
		" ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	vs, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// TestConcurrentOpenMigratesOnce opens several Stores at once on an empty
// schema, as glacierd processes starting together would.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	u, schema := newSchema(t)
	const n = 6
	var wg sync.WaitGroup
	stores := make([]*postgres.Store, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = postgres.Open(t.Context(), u) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open #%d: %v", i, err)
		}
		defer stores[i].Close()
	}
	vs := schemaVersions(t, schema)
	if len(vs) == 0 || vs[0] != 1 {
		t.Fatalf("schema_migrations = %v, want each version once, from 1", vs)
	}
	for i := 1; i < len(vs); i++ {
		if vs[i] == vs[i-1] {
			t.Fatalf("schema_migrations = %v: a version applied twice", vs)
		}
	}
	// Every store works.
	for i, s := range stores {
		if err := s.Update(t.Context(), func(tx glacier.Tx) error {
			return tx.PutGarbage("k", t0)
		}); err != nil {
			t.Errorf("Update on store #%d: %v", i, err)
		}
	}
}

func TestReopenKeepsData(t *testing.T) {
	u, schema := newSchema(t)
	s, err := postgres.Open(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	a := glacier.Archive{ID: "a", Account: acct, Vault: "v", Size: 10, CreatedAt: t0,
		Segments: []glacier.Segment{{Key: "k", Size: 10}}}
	err = s.Update(t.Context(), func(tx glacier.Tx) error {
		if err := tx.PutVault(glacier.Vault{Account: acct, Name: "v", CreatedAt: t0}); err != nil {
			return err
		}
		return tx.PutArchive(a)
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	before := schemaVersions(t, schema)
	s = openURL(t, u)
	view(t, s, func(tx glacier.Tx) error {
		got, err := tx.Archive("a")
		if err == nil && (!got.CreatedAt.Equal(t0) || len(got.Segments) != 1) {
			t.Errorf("archive after reopen: %+v", got)
		}
		return err
	})
	if after := schemaVersions(t, schema); len(after) != len(before) {
		t.Errorf("reopening changed schema_migrations from %v to %v", before, after)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	u, schema := newSchema(t)
	openURL(t, u).Close()
	adminExec(t, t.Context(), "INSERT INTO "+pgx.Identifier{schema, "schema_migrations"}.Sanitize()+
		" (version, name) VALUES (99999, '99999_future.sql')")
	if s, err := postgres.Open(t.Context(), u); err == nil {
		s.Close()
		t.Fatal("Open of a database migrated by a newer binary succeeded")
	}
}

// TestOrphanRefused checks that a record of a missing vault is refused and
// that the transaction then fails as a whole.
func TestOrphanRefused(t *testing.T) {
	s := open(t)
	err := s.Update(t.Context(), func(tx glacier.Tx) error {
		return tx.PutArchive(glacier.Archive{ID: "orphan", Account: acct, Vault: "missing", CreatedAt: t0})
	})
	if err == nil || glacier.IsKind(err, glacier.KindUnavailable) {
		t.Fatalf("PutArchive of an orphan: %v, want an error that is not KindUnavailable", err)
	}
	// A closure that ignores a failed statement cannot commit.
	err = s.Update(t.Context(), func(tx glacier.Tx) error {
		_ = tx.PutArchive(glacier.Archive{ID: "orphan", Account: acct, Vault: "missing", CreatedAt: t0})
		return tx.PutGarbage("g", t0)
	})
	if err == nil {
		t.Fatal("Update whose closure ignored a failed statement succeeded")
	}
	view(t, s, func(tx glacier.Tx) error {
		if keys, err := tx.DueGarbage(t0, 0); err != nil || len(keys) != 0 {
			t.Errorf("DueGarbage = %v, %v; want nothing committed", keys, err)
		}
		return nil
	})
}

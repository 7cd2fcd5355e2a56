package e2e

import (
	"database/sql"
	"encoding/json"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // read the metadata of a stopped server
)

// blobAudit compares the blob files on disk with what the metadata of a
// stopped server refers to. It reads a copy of meta.db with plain SQL (no
// glacierd package), so it depends on the schema of
// internal/store/sqlite/migrations, and on internal/blob/fs's layout: key K
// is the file archives/blobs/K.blob, and each archive segment or part key K
// has a sidecar K-leaves.
type blobAudit struct {
	files   int      // blob files on disk
	live    int      // blob keys referenced by live archives, parts and job outputs
	pending int      // blob keys with a garbage record whose file still exists
	lost    []string // referenced keys whose file is missing
	doomed  []string // referenced keys that also have a garbage record
	leaked  []string // files neither referenced nor recorded as garbage
	deleted map[string]string
}

func auditBlobs(t testing.TB, data string) blobAudit {
	t.Helper()
	// SQLite maps meta.db-shm into memory; on a lazyfs that this process
	// serves, a page fault on it can deadlock with the garbage collector,
	// so the audit reads a copy of the database and its WAL.
	abs := filepath.Join(t.TempDir(), "meta.db")
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(filepath.Join(data, "meta.db"+suffix))
		if err != nil && !(suffix != "" && errors.Is(err, fs.ErrNotExist)) {
			t.Fatalf("audit: copy the metadata: %v", err)
		}
		if err == nil {
			if err := os.WriteFile(abs+suffix, b, 0o600); err != nil {
				t.Fatalf("audit: copy the metadata: %v", err)
			}
		}
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: abs}).EscapedPath())
	if err != nil {
		t.Fatalf("audit: open metadata: %v", err)
	}
	defer db.Close()
	query := func(q string, fn func(*sql.Rows) error) {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("audit: %s: %v", q, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				t.Fatalf("audit: %s: %v", q, err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("audit: %s: %v", q, err)
		}
	}

	live := map[string]bool{}           // key → referenced
	deletedOwner := map[string]string{} // key of a deleted archive → archive ID
	segment := func(key string, m map[string]bool) { m[key], m[key+"-leaves"] = true, true }
	query("SELECT id, deleted_at, segments FROM archives", func(r *sql.Rows) error {
		var id, segs string
		var deletedAt int64
		if err := r.Scan(&id, &deletedAt, &segs); err != nil {
			return err
		}
		var ss []struct{ Key string }
		if err := json.Unmarshal([]byte(segs), &ss); err != nil {
			return err
		}
		for _, s := range ss {
			if deletedAt == 0 {
				segment(s.Key, live)
			} else {
				deletedOwner[s.Key], deletedOwner[s.Key+"-leaves"] = id, id
			}
		}
		return nil
	})
	query("SELECT key FROM parts", func(r *sql.Rows) error {
		var k string
		err := r.Scan(&k)
		segment(k, live)
		return err
	})
	query("SELECT output_key FROM jobs WHERE output_key <> ''", func(r *sql.Rows) error {
		var k string
		err := r.Scan(&k)
		live[k] = true
		return err
	})
	garbage := map[string]bool{}
	query("SELECT key FROM garbage", func(r *sql.Rows) error {
		var k string
		err := r.Scan(&k)
		garbage[strings.TrimPrefix(k, "collecting/")] = true // a blob being deleted
		return err
	})

	onDisk := map[string]bool{}
	root := filepath.Join(data, "archives", "blobs")
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		key, ok := strings.CutSuffix(filepath.ToSlash(rel), ".blob")
		if !ok {
			t.Errorf("audit: unexpected file %s in the blob directory", p)
			return nil
		}
		onDisk[key] = true
		return nil
	})
	if err != nil {
		t.Fatalf("audit: walk blobs: %v", err)
	}

	a := blobAudit{files: len(onDisk), live: len(live), deleted: map[string]string{}}
	for k := range live {
		if !onDisk[k] {
			a.lost = append(a.lost, k)
		}
		if garbage[k] {
			a.doomed = append(a.doomed, k)
		}
	}
	for k := range onDisk {
		switch {
		case garbage[k]:
			a.pending++
		case !live[k]:
			a.leaked = append(a.leaked, k)
			if id, ok := deletedOwner[k]; ok {
				a.deleted[k] = id
			}
		}
	}
	sort.Strings(a.lost)
	sort.Strings(a.doomed)
	sort.Strings(a.leaked)
	return a
}

// audit runs auditBlobs on the stopped server's data directory: lost and
// doomed blobs are errors; leaked ones are logged when first seen, and are
// errors unless crashAllowLeaks.
func (m *crashModel) audit(t testing.TB, data, when string) blobAudit {
	t.Helper()
	a := auditBlobs(t, data)
	if len(a.lost) > 0 {
		t.Errorf("%s: %d blobs referenced by the metadata are missing on disk: %v", when, len(a.lost), a.lost)
	}
	if len(a.doomed) > 0 {
		t.Errorf("%s: %d blobs referenced by the metadata are also queued for garbage collection: %v", when, len(a.doomed), a.doomed)
	}
	report := t.Errorf
	if crashAllowLeaks {
		report = t.Logf
	}
	for _, k := range a.leaked {
		if m.leaks[k] {
			continue
		}
		m.leaks[k] = true
		owner := "no metadata record: an aborted or replaced part, or a purged archive"
		if id, ok := a.deleted[k]; ok {
			owner = "a segment of deleted archive " + id[:12] + "…"
		}
		report("%s: leaked blob %s (%s): neither referenced nor queued for garbage collection", when, k, owner)
	}
	return a
}

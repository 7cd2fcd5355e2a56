package sqlmeta

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/glacierd/glacierd/internal/glacier"
)

func TestUpsert(t *testing.T) {
	got := upsert("parts", "upload_id, start", "upload_id, start, size, tree_hash, key")
	want := "INSERT INTO parts (upload_id, start, size, tree_hash, key) VALUES (?, ?, ?, ?, ?)" +
		" ON CONFLICT (upload_id, start) DO UPDATE SET size = excluded.size, tree_hash = excluded.tree_hash, key = excluded.key"
	if got != want {
		t.Errorf("upsert:\n got %s\nwant %s", got, want)
	}
}

func TestTimeEncoding(t *testing.T) {
	if enc(time.Time{}) != 0 {
		t.Errorf("enc(zero) = %d, want 0", enc(time.Time{}))
	}
	if got := dec(0); !got.IsZero() {
		t.Errorf("dec(0) = %v, want the zero time", got)
	}
	local := time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.FixedZone("X", 3600))
	var got time.Time
	if err := (timeDest{&got}).Scan(enc(local)); err != nil {
		t.Fatal(err)
	}
	if want := local.Truncate(time.Microsecond).UTC(); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("round trip of %v = %v, want %v in UTC", local, got, want)
	}
	if err := (timeDest{&got}).Scan("12"); err == nil {
		t.Error("timeDest accepted a string")
	}
}

func TestSegments(t *testing.T) {
	for _, segs := range [][]glacier.Segment{nil, {{Key: "a/b", Size: 1}, {Key: "c", Size: 1 << 40}}} {
		s, err := encSegments(segs)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decSegments(s)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(segs, got); diff != "" {
			t.Errorf("segments round trip via %s (-want +got):\n%s", s, diff)
		}
	}
	if s, _ := encSegments(nil); s != "[]" {
		t.Errorf("no segments are stored as %s, want []", s)
	}
	if s, _ := encSegments([]glacier.Segment{{Key: "k", Size: 2}}); s != `[{"key":"k","size":2}]` {
		t.Errorf("stored form %s", s)
	}
	if _, err := decSegments("{"); err == nil {
		t.Error("decSegments accepted bad JSON")
	}
}

func TestMigrations(t *testing.T) {
	fsys := fstest.MapFS{
		"migrations/0010_ten.sql":  {},
		"migrations/0002_two.sql":  {},
		"migrations/0001_init.sql": {},
		"migrations/README":        {},
	}
	ms, err := Migrations(fsys, "test")
	if err != nil {
		t.Fatal(err)
	}
	want := []Migration{{1, "migrations/0001_init.sql"}, {2, "migrations/0002_two.sql"}, {10, "migrations/0010_ten.sql"}}
	if diff := cmp.Diff(want, ms); diff != "" {
		t.Errorf("Migrations (-want +got):\n%s", diff)
	}
	for name, fsys := range map[string]fstest.MapFS{
		"none":        {},
		"unnumbered":  {"migrations/init.sql": {}},
		"zero":        {"migrations/0000_zero.sql": {}},
		"same number": {"migrations/0001_a.sql": {}, "migrations/1_b.sql": {}},
	} {
		if _, err := Migrations(fsys, "test"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

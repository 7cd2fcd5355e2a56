package storetest

import (
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

func garbageTests() []metaTest {
	return []metaTest{
		{"Garbage/Due", testGarbageDue},
		{"Garbage/LaterTimeStands", testGarbageLaterStands},
		{"Garbage/DeleteReportsExistence", testGarbageDelete},
	}
}

func dueAt(t *testing.T, s glacier.MetaStore, now time.Time, limit int) []string {
	t.Helper()
	var got []string
	view(t, s, func(tx glacier.Tx) error {
		var err error
		got, err = tx.DueGarbage(now, limit)
		return err
	})
	return got
}

func testGarbageDue(t *testing.T, s glacier.MetaStore) {
	update(t, s, func(tx glacier.Tx) error {
		for key, d := range map[string]time.Duration{
			"g/late":   time.Microsecond,
			"g/at-now": 0,
			"g/b":      -time.Hour,
			"g/a":      -time.Hour,
			"g/first":  -2 * time.Hour,
		} {
			if err := tx.PutGarbage(key, at(d)); err != nil {
				return err
			}
		}
		return nil
	})
	if d := diff([]string{"g/first", "g/a", "g/b", "g/at-now"}, dueAt(t, s, at(0), 0)); d != "" {
		t.Errorf("DueGarbage (-want +got):\n%s", d)
	}
	if d := diff([]string{"g/first", "g/a"}, dueAt(t, s, at(0), 2)); d != "" {
		t.Errorf("DueGarbage(limit 2) (-want +got):\n%s", d)
	}
	if got := dueAt(t, s, at(-3*time.Hour), 0); len(got) != 0 {
		t.Errorf("DueGarbage before everything: %v", got)
	}
}

func testGarbageLaterStands(t *testing.T, s glacier.MetaStore) {
	update(t, s, func(tx glacier.Tx) error {
		if err := tx.PutGarbage("k", at(-time.Hour)); err != nil {
			return err
		}
		return tx.PutGarbage("k", at(time.Hour))
	})
	if got := dueAt(t, s, at(0), 0); len(got) != 0 {
		t.Errorf("DueGarbage after postponing: %v", got)
	}
	// An earlier time does not bring the deletion forward.
	update(t, s, func(tx glacier.Tx) error { return tx.PutGarbage("k", at(-2*time.Hour)) })
	if got := dueAt(t, s, at(0), 0); len(got) != 0 {
		t.Errorf("DueGarbage after an earlier PutGarbage: %v", got)
	}
	if d := diff([]string{"k"}, dueAt(t, s, at(time.Hour), 0)); d != "" {
		t.Errorf("DueGarbage (-want +got):\n%s", d)
	}
}

func testGarbageDelete(t *testing.T, s glacier.MetaStore) {
	update(t, s, func(tx glacier.Tx) error {
		if err := tx.PutGarbage("k1", at(0)); err != nil {
			return err
		}
		return tx.PutGarbage("k2", at(0))
	})
	update(t, s, func(tx glacier.Tx) error {
		for i, want := range []bool{true, false} {
			ok, err := tx.DeleteGarbage("k1")
			if err != nil {
				return err
			}
			if ok != want {
				t.Errorf("DeleteGarbage(k1) #%d = %v, want %v", i+1, ok, want)
			}
		}
		ok, err := tx.DeleteGarbage("never")
		if err != nil {
			return err
		}
		if ok {
			t.Errorf("DeleteGarbage(never) = true")
		}
		return nil
	})
	if d := diff([]string{"k2"}, dueAt(t, s, at(time.Hour), 0)); d != "" {
		t.Errorf("DueGarbage after delete (-want +got):\n%s", d)
	}
}

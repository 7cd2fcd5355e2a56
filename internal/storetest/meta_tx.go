package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

func txTests() []metaTest {
	return []metaTest{
		{"Tx/UpdateRollsBackOnError", testTxRollback},
		{"Tx/UpdateRollsBackChanges", testTxRollbackChanges},
		{"Tx/UpdateKeepsErrorKind", testTxErrorKind},
		{"Tx/UpdateCancelledContext", testTxCancelled},
		{"Tx/ViewSeesCommitted", testTxViewSeesCommitted},
		{"Tx/WriteInViewFails", testTxWriteInViewFails},
		{"Tx/ConcurrentUpdatesSerializable", testTxSerializable},
		{"Tx/ViewDuringUpdateSeesOldSnapshot", testTxViewDuringUpdate},
		{"Tx/ViewSnapshotIsStable", testTxViewSnapshotStable},
	}
}

// writeEverything puts one record of every kind.
func writeEverything(tx glacier.Tx) error {
	steps := []func() error{
		func() error { return tx.PutVault(newVault(acctA, "v")) },
		func() error { return tx.PutArchive(newArchive("a", acctA, "v", t0())) },
		func() error { return tx.PutUpload(newUpload("u", acctA, "v")) },
		func() error { return tx.PutPart(newPart("u", 0)) },
		func() error { return tx.PutJob(newJob("j", acctA, "v", t0(), at(time.Hour))) },
		func() error { return tx.PutCapacity(newCapacity("c", acctA, 0)) },
		func() error {
			return tx.PutRetrievalPolicy(acctA, glacier.RetrievalPolicy{Strategy: glacier.StrategyFreeTier})
		},
		func() error { return tx.PutGarbage("g", t0()) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// wantNothing checks that none of the records of writeEverything exist.
func wantNothing(t *testing.T, s glacier.MetaStore) {
	t.Helper()
	view(t, s, func(tx glacier.Tx) error {
		var errs []error
		_, err := tx.Vault(acctA, "v")
		errs = append(errs, errNotFound("Vault", err))
		_, err = tx.Archive("a")
		errs = append(errs, errNotFound("Archive", err))
		_, err = tx.Upload("u")
		errs = append(errs, errNotFound("Upload", err))
		_, err = tx.Part("u", 0)
		errs = append(errs, errNotFound("Part", err))
		_, err = tx.Job("j")
		errs = append(errs, errNotFound("Job", err))
		_, err = tx.RetrievalPolicy(acctA)
		errs = append(errs, errNotFound("RetrievalPolicy", err))
		if cs, err := tx.Capacities(acctA, t0()); err != nil || len(cs) != 0 {
			errs = append(errs, fmt.Errorf("Capacities = %v, %v; want none", cs, err))
		}
		if keys, err := tx.DueGarbage(at(time.Hour), 0); err != nil || len(keys) != 0 {
			errs = append(errs, fmt.Errorf("DueGarbage = %v, %v; want none", keys, err))
		}
		if n, err := tx.CountVaults(acctA); err != nil || n != 0 {
			errs = append(errs, fmt.Errorf("CountVaults = %v, %v; want 0", n, err))
		}
		return errors.Join(errs...)
	})
}

func testTxRollback(t *testing.T, s glacier.MetaStore) {
	boom := errors.New("boom")
	err := s.Update(t.Context(), func(tx glacier.Tx) error {
		if err := writeEverything(tx); err != nil {
			t.Errorf("writes: %v", err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want fn's error", err)
	}
	wantNothing(t, s)
}

func testTxRollbackChanges(t *testing.T, s glacier.MetaStore) {
	update(t, s, writeEverything)
	boom := errors.New("boom")
	err := s.Update(t.Context(), func(tx glacier.Tx) error {
		v := newVault(acctA, "v")
		v.Archives = 1000
		if err := tx.PutVault(v); err != nil {
			return err
		}
		if _, err := tx.DeleteGarbage("g"); err != nil {
			return err
		}
		if err := tx.DeleteUpload("u"); err != nil {
			return err
		}
		if err := tx.DeleteVault(acctA, "v"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want fn's error", err)
	}
	view(t, s, func(tx glacier.Tx) error {
		v, err := tx.Vault(acctA, "v")
		if err != nil {
			return err
		}
		if d := diff(newVault(acctA, "v"), v); d != "" {
			t.Errorf("Vault after rolled back changes (-want +got):\n%s", d)
		}
		for _, get := range []func() error{
			func() error { _, err := tx.Archive("a"); return err },
			func() error { _, err := tx.Upload("u"); return err },
			func() error { _, err := tx.Part("u", 0); return err },
			func() error { _, err := tx.Job("j"); return err },
		} {
			if err := get(); err != nil {
				t.Errorf("record lost by a rolled back Update: %v", err)
			}
		}
		if keys, err := tx.DueGarbage(at(time.Hour), 0); err != nil || len(keys) != 1 {
			t.Errorf("DueGarbage = %v, %v; want [g]", keys, err)
		}
		return nil
	})
}

func testTxErrorKind(t *testing.T, s glacier.MetaStore) {
	err := s.Update(t.Context(), func(tx glacier.Tx) error {
		_, err := tx.Vault(acctA, "missing")
		return err
	})
	if !glacier.IsKind(err, glacier.KindNotFound) {
		t.Errorf("Update returned %v (kind %v), want fn's KindNotFound error", err, glacier.KindOf(err))
	}
	want := glacier.Errorf(glacier.KindLimitExceeded, "too many vaults")
	err = s.Update(t.Context(), func(tx glacier.Tx) error { return want })
	if !errors.Is(err, want) || glacier.MessageOf(err) != "too many vaults" {
		t.Errorf("Update returned %v, want %v", err, want)
	}
	err = s.View(t.Context(), func(tx glacier.Tx) error { return want })
	if !errors.Is(err, want) {
		t.Errorf("View returned %v, want %v", err, want)
	}
}

func testTxCancelled(t *testing.T, s glacier.MetaStore) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.Update(ctx, writeEverything); err == nil {
		t.Errorf("Update with a cancelled context succeeded")
	}
	wantNothing(t, s)

	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	err := s.Update(ctx, func(tx glacier.Tx) error {
		if err := writeEverything(tx); err != nil {
			return err
		}
		cancel()
		return nil
	})
	if err == nil {
		t.Errorf("Update whose context ended before commit succeeded")
	}
	wantNothing(t, s)
}

func testTxViewSeesCommitted(t *testing.T, s glacier.MetaStore) {
	update(t, s, writeEverything)
	view(t, s, func(tx glacier.Tx) error {
		if _, err := tx.Vault(acctA, "v"); err != nil {
			return err
		}
		if _, err := tx.Part("u", 0); err != nil {
			return err
		}
		_, err := tx.Job("j")
		return err
	})
}

func testTxWriteInViewFails(t *testing.T, s glacier.MetaStore) {
	writes := map[string]func(glacier.Tx) error{
		"PutVault":   func(tx glacier.Tx) error { return tx.PutVault(newVault(acctA, "v")) },
		"PutGarbage": func(tx glacier.Tx) error { return tx.PutGarbage("g", t0()) },
		"PutRetrievalPolicy": func(tx glacier.Tx) error {
			return tx.PutRetrievalPolicy(acctA, glacier.RetrievalPolicy{Strategy: glacier.StrategyNone})
		},
	}
	for name, write := range writes {
		_ = s.View(t.Context(), func(tx glacier.Tx) error {
			if err := write(tx); err == nil {
				t.Errorf("%s inside View succeeded", name)
			}
			return nil
		})
	}
	wantNothing(t, s)
}

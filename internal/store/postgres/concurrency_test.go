package postgres_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

const acct = "111122223333"

var t0 = time.Date(2025, 3, 14, 15, 9, 26, 535897000, time.UTC)

// twoStores opens two Stores, as two glacierd processes would, on one fresh
// schema.
func twoStores(t *testing.T) [2]*glacierStore {
	t.Helper()
	u, _ := newSchema(t)
	return [2]*glacierStore{{openURL(t, u)}, {openURL(t, u)}}
}

// glacierStore hides the concrete type so that the tests use only the
// interface, as the service does.
type glacierStore struct{ glacier.MetaStore }

// race runs fn(store, goroutine) in workers goroutines on each store and
// returns the errors.
func race(stores [2]*glacierStore, workers int, fn func(s glacier.MetaStore, w int) error) []error {
	var wg sync.WaitGroup
	errs := make([]error, 2*workers)
	for i, s := range stores {
		for w := range workers {
			wg.Go(func() { errs[i*workers+w] = fn(s, i*workers+w) })
		}
	}
	wg.Wait()
	return errs
}

// TestTwoStoresCounter races read-modify-write Updates from two Stores
// sharing the database: serializable transactions lose no increment.
func TestTwoStoresCounter(t *testing.T) {
	stores := twoStores(t)
	const workers, increments = 8, 25
	update(t, stores[0], func(tx glacier.Tx) error {
		return tx.PutVault(glacier.Vault{Account: acct, Name: "counter", CreatedAt: t0})
	})
	var runs atomic.Int64
	errs := race(stores, workers, func(s glacier.MetaStore, _ int) error {
		for range increments {
			err := s.Update(t.Context(), func(tx glacier.Tx) error {
				runs.Add(1)
				v, err := tx.Vault(acct, "counter")
				if err != nil {
					return err
				}
				v.Archives++
				v.Bytes += 10
				return tx.PutVault(v)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	const want = 2 * workers * increments
	for _, s := range stores {
		v := vault(t, s, "counter")
		if v.Archives != want || v.Bytes != 10*want {
			t.Errorf("after %d increments: Archives = %d, Bytes = %d", want, v.Archives, v.Bytes)
		}
	}
	t.Logf("%d increments took %d runs of the closure", want, runs.Load())
}

// TestWriteSkewPrevented races purchases of the last capacity units: each
// Update counts the units and adds one if fewer than max exist. Only a
// serializable store keeps the count at max (snapshot isolation lets every
// racer see room and insert).
func TestWriteSkewPrevented(t *testing.T) {
	stores := twoStores(t)
	const workers, maxUnits = 6, 2
	var bought atomic.Int64
	errLimit := glacier.Errorf(glacier.KindLimitExceeded, "no capacity left")
	errs := race(stores, workers, func(s glacier.MetaStore, w int) error {
		err := s.Update(t.Context(), func(tx glacier.Tx) error {
			cs, err := tx.Capacities(acct, t0)
			if err != nil {
				return err
			}
			if len(cs) >= maxUnits {
				return errLimit
			}
			return tx.PutCapacity(glacier.Capacity{ID: fmt.Sprint("unit-", w), Account: acct,
				StartAt: t0, ExpiresAt: t0.Add(30 * 24 * time.Hour)})
		})
		if err == nil {
			bought.Add(1)
		}
		if errors.Is(err, errLimit) {
			return nil
		}
		return err
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	var n int
	view(t, stores[1], func(tx glacier.Tx) error {
		cs, err := tx.Capacities(acct, t0)
		n = len(cs)
		return err
	})
	if n != maxUnits || bought.Load() != maxUnits {
		t.Errorf("%d units stored, %d purchases succeeded; want %d", n, bought.Load(), maxUnits)
	}
}

// TestLockInitRace races InitiateVaultLock-style Updates: each installs its
// lock unless one is there. Exactly one wins; the others see the winner's.
func TestLockInitRace(t *testing.T) {
	stores := twoStores(t)
	update(t, stores[0], func(tx glacier.Tx) error {
		return tx.PutVault(glacier.Vault{Account: acct, Name: "v", CreatedAt: t0})
	})
	const workers = 5
	errLocked := glacier.Errorf(glacier.KindInvalidParameter, "a lock is in progress")
	var winners sync.Map
	errs := race(stores, workers, func(s glacier.MetaStore, w int) error {
		id := fmt.Sprint("lock-", w)
		err := s.Update(t.Context(), func(tx glacier.Tx) error {
			c, err := tx.VaultConfig(acct, "v")
			switch {
			case glacier.IsKind(err, glacier.KindNotFound):
				c = glacier.VaultConfig{Account: acct, Vault: "v"}
			case err != nil:
				return err
			}
			if c.LockState != "" {
				return errLocked
			}
			c.LockID, c.LockState, c.LockCreatedAt = id, glacier.LockInProgress, t0
			return tx.PutVaultConfig(c)
		})
		if err == nil {
			winners.Store(id, true)
		}
		if errors.Is(err, errLocked) {
			return nil
		}
		return err
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	var ids []string
	winners.Range(func(k, _ any) bool { ids = append(ids, k.(string)); return true })
	var stored glacier.VaultConfig
	view(t, stores[1], func(tx glacier.Tx) (err error) {
		stored, err = tx.VaultConfig(acct, "v")
		return err
	})
	if len(ids) != 1 || stored.LockID != ids[0] {
		t.Errorf("winners %v, stored lock %q; want one winner whose lock is stored", ids, stored.LockID)
	}
}

// TestUpdateRerunsOnConflict makes a conflict deterministically: a second
// Update commits a write to the row the first read, before the first writes
// it. The first must run its closure again and see the second's write.
func TestUpdateRerunsOnConflict(t *testing.T) {
	s := open(t)
	update(t, s, func(tx glacier.Tx) error {
		return tx.PutVault(glacier.Vault{Account: acct, Name: "v", CreatedAt: t0})
	})
	read, written := make(chan struct{}), make(chan struct{})
	runs := 0
	done := make(chan error, 1)
	go func() {
		done <- s.Update(t.Context(), func(tx glacier.Tx) error {
			runs++
			v, err := tx.Vault(acct, "v")
			if err != nil {
				return err
			}
			if runs == 1 {
				close(read)
				<-written
			}
			v.Archives++
			return tx.PutVault(v)
		})
	}()
	<-read
	update(t, s, func(tx glacier.Tx) error {
		v, err := tx.Vault(acct, "v")
		if err != nil {
			return err
		}
		v.Archives += 10
		return tx.PutVault(v)
	})
	close(written)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if v := vault(t, s, "v"); runs != 2 || v.Archives != 11 {
		t.Errorf("closure ran %d times, Archives = %d; want 2 runs, 11", runs, v.Archives)
	}
}

func update(t *testing.T, s glacier.MetaStore, fn func(glacier.Tx) error) {
	t.Helper()
	if err := s.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, s glacier.MetaStore, fn func(glacier.Tx) error) {
	t.Helper()
	if err := s.View(t.Context(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func vault(t *testing.T, s glacier.MetaStore, name string) glacier.Vault {
	t.Helper()
	var v glacier.Vault
	view(t, s, func(tx glacier.Tx) (err error) {
		v, err = tx.Vault(acct, name)
		return err
	})
	return v
}

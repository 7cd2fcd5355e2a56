package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

func testTxSerializable(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, glacier.Vault{Account: acctA, Name: "counter", CreatedAt: t0()})
	const writers, increments, readers = 8, 25, 3
	ctx := t.Context()
	errc := make(chan error, writers+readers)
	done := make(chan struct{})
	var wg, rg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for range increments {
				err := s.Update(ctx, func(tx glacier.Tx) error {
					v, err := tx.Vault(acctA, "counter")
					if err != nil {
						return err
					}
					v.Archives++
					v.Bytes += 10
					return tx.PutVault(v)
				})
				if err != nil {
					errc <- err
					return
				}
			}
		})
	}
	for range readers {
		rg.Go(func() {
			last := int64(-1)
			for {
				select {
				case <-done:
					return
				default:
				}
				var v glacier.Vault
				err := s.View(ctx, func(tx glacier.Tx) error {
					var err error
					v, err = tx.Vault(acctA, "counter")
					return err
				})
				switch {
				case err != nil:
					errc <- err
					return
				case v.Archives < last || v.Bytes != 10*v.Archives:
					errc <- fmt.Errorf("View saw %d archives, %d bytes after %d archives", v.Archives, v.Bytes, last)
					return
				}
				last = v.Archives
				time.Sleep(time.Millisecond) // leave the CPU to the writers
			}
		})
	}
	wg.Wait()
	close(done)
	rg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	view(t, s, func(tx glacier.Tx) error {
		v, err := tx.Vault(acctA, "counter")
		if err != nil {
			return err
		}
		if v.Archives != writers*increments || v.Bytes != 10*writers*increments {
			t.Errorf("after %d increments: Archives = %d, Bytes = %d", writers*increments, v.Archives, v.Bytes)
		}
		return nil
	})
}

// waitFor waits up to a generous timeout for c, and reports whether it came.
func waitFor[T any](c <-chan T) (T, bool) {
	select {
	case v := <-c:
		return v, true
	case <-time.After(20 * time.Second):
		var zero T
		return zero, false
	}
}

func archivesOf(ctx context.Context, s glacier.MetaStore) (int64, error) {
	var v glacier.Vault
	err := s.View(ctx, func(tx glacier.Tx) error {
		var err error
		v, err = tx.Vault(acctA, "v")
		return err
	})
	return v.Archives, err
}

func testTxViewDuringUpdate(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, glacier.Vault{Account: acctA, Name: "v", CreatedAt: t0()})
	written, release, updated := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		updated <- s.Update(t.Context(), func(tx glacier.Tx) error {
			v, err := tx.Vault(acctA, "v")
			if err != nil {
				return err
			}
			v.Archives = 1
			if err := tx.PutVault(v); err != nil {
				return err
			}
			if err := tx.PutVault(newVault(acctA, "w")); err != nil {
				return err
			}
			close(written)
			<-release
			return nil
		})
	}()
	if _, ok := waitFor(written); !ok {
		t.Fatal("Update did not run")
	}
	type result struct {
		n   int64
		cnt int
		err error
	}
	viewed := make(chan result, 1)
	go func() {
		var r result
		r.err = s.View(t.Context(), func(tx glacier.Tx) error {
			v, err := tx.Vault(acctA, "v")
			if err != nil {
				return err
			}
			r.n = v.Archives
			r.cnt, err = tx.CountVaults(acctA)
			return err
		})
		viewed <- r
	}()
	r, ok := waitFor(viewed)
	close(release)
	if !ok {
		t.Fatal("View waited for a running Update")
	}
	if r.err != nil || r.n != 0 || r.cnt != 1 {
		t.Errorf("View during Update saw %d archives, %d vaults, err %v; want 0, 1, nil", r.n, r.cnt, r.err)
	}
	if err, _ := waitFor(updated); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if n, err := archivesOf(t.Context(), s); err != nil || n != 1 {
		t.Errorf("View after Update saw %d archives, err %v; want 1", n, err)
	}
}

func testTxViewSnapshotStable(t *testing.T, s glacier.MetaStore) {
	putVaults(t, s, glacier.Vault{Account: acctA, Name: "v", CreatedAt: t0()})
	updated := make(chan error, 1)
	view(t, s, func(tx glacier.Tx) error {
		v, err := tx.Vault(acctA, "v")
		if err != nil {
			return err
		}
		nv := v
		nv.Archives = 5
		go func() {
			updated <- s.Update(t.Context(), func(tx glacier.Tx) error { return tx.PutVault(nv) })
		}()
		// The contract does not promise that an Update may commit while a
		// View is open; when it does, the View must not see it.
		select {
		case err := <-updated:
			updated <- err
		case <-time.After(2 * time.Second):
			t.Log("Update did not commit while a View was open")
			return nil
		}
		again, err := tx.Vault(acctA, "v")
		if err != nil {
			return err
		}
		if again.Archives != 0 {
			t.Errorf("View saw an Update committed after its first read: %d archives", again.Archives)
		}
		return nil
	})
	if err, ok := waitFor(updated); !ok || err != nil {
		t.Fatalf("Update: %v (done %v)", err, ok)
	}
	if n, err := archivesOf(t.Context(), s); err != nil || n != 5 {
		t.Errorf("after Update: %d archives, err %v; want 5", n, err)
	}
}

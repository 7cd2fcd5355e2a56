package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/glacierd/glacierd/internal/glacier"
)

// metaTest is one conformance subtest of the MetaStore suite.
type metaTest struct {
	name string
	fn   func(t *testing.T, s glacier.MetaStore)
}

// Meta runs the glacier.MetaStore conformance suite: one t.Run subtest per
// promise of the contract, each given a fresh store by open. open must return
// an empty store that no other subtest uses and arrange for it to be closed
// (for example with t.Cleanup). The subtests do not run in parallel.
func Meta(t *testing.T, open func(t *testing.T) glacier.MetaStore) {
	var all []metaTest
	all = append(all, vaultTests()...)
	all = append(all, archiveTests()...)
	all = append(all, uploadTests()...)
	all = append(all, partTests()...)
	all = append(all, jobTests()...)
	all = append(all, accountTests()...)
	all = append(all, accountsTests()...)
	all = append(all, garbageTests()...)
	all = append(all, configTests()...)
	all = append(all, outboxTests()...)
	all = append(all, txTests()...)
	for _, tc := range all {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

// t0 is the suite's reference time: UTC, microsecond precision, with a
// non-zero sub-second part so that second or millisecond truncation shows.
func t0() time.Time { return time.Date(2025, 3, 14, 15, 9, 26, 535897000, time.UTC) }

// at returns t0 plus d, rounded down to the microsecond.
func at(d time.Duration) time.Time { return t0().Add(d).Truncate(time.Microsecond) }

// diff compares want and got. Times compare with time.Time.Equal (cmp uses
// the Equal method), and nil and empty slices are equal.
func diff(want, got any) string {
	return cmp.Diff(want, got, cmpopts.EquateEmpty())
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

// errNotFound checks that err is of KindNotFound and returns nil if so, so
// that it can end a closure.
func errNotFound(what string, err error) error {
	if !glacier.IsKind(err, glacier.KindNotFound) {
		return errors.New(what + ": want an error of KindNotFound, got " + errString(err) +
			" (kind " + glacier.KindOf(err).String() + ")")
	}
	return nil
}

func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}

// wantUTC fails t for every non-zero time not in time.UTC.
func wantUTC(t *testing.T, what string, times ...time.Time) {
	t.Helper()
	for i, tm := range times {
		if !tm.IsZero() && tm.Location() != time.UTC {
			t.Errorf("%s: time #%d %v is in %v, want UTC", what, i, tm, tm.Location())
		}
	}
}

// wantZero fails t for every time that is not zero.
func wantZero(t *testing.T, what string, times ...time.Time) {
	t.Helper()
	for i, tm := range times {
		if !tm.IsZero() {
			t.Errorf("%s: time #%d is %v, want the zero time", what, i, tm)
		}
	}
}

func putVaults(t *testing.T, s glacier.MetaStore, vs ...glacier.Vault) {
	t.Helper()
	update(t, s, func(tx glacier.Tx) error {
		for _, v := range vs {
			if err := tx.PutVault(v); err != nil {
				return err
			}
		}
		return nil
	})
}

// newVault returns a vault with every field set.
func newVault(account, name string) glacier.Vault {
	return glacier.Vault{
		Account:           account,
		Name:              name,
		CreatedAt:         at(-72 * time.Hour),
		Archives:          3,
		Bytes:             1<<40 + 7,
		LastWriteAt:       at(-time.Hour),
		InventoryAt:       at(-2 * time.Hour),
		InventoryArchives: 2,
		InventoryBytes:    1 << 33,
	}
}

// Account IDs used by the suite.
const (
	acctA = "111122223333"
	acctB = "444455556666"
)

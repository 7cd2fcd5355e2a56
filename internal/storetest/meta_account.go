package storetest

import (
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

func accountTests() []metaTest {
	return []metaTest{
		{"Capacity/RoundTripAndOrder", testCapacityRoundTrip},
		{"Capacity/OnlyUnexpired", testCapacityOnlyUnexpired},
		{"Capacity/PutReplaces", testCapacityPutReplaces},
		{"RetrievalPolicy/NotFoundThenRoundTrip", testPolicyRoundTrip},
		{"RetrievalPolicy/PutReplacesPerAccount", testPolicyPutReplaces},
	}
}

func newCapacity(id, account string, start time.Duration) glacier.Capacity {
	return glacier.Capacity{ID: id, Account: account, StartAt: at(start), ExpiresAt: at(start + 30*24*time.Hour)}
}

func putCapacities(t *testing.T, s glacier.MetaStore, cs ...glacier.Capacity) {
	t.Helper()
	update(t, s, func(tx glacier.Tx) error {
		for _, c := range cs {
			if err := tx.PutCapacity(c); err != nil {
				return err
			}
		}
		return nil
	})
}

func capacitiesAt(t *testing.T, s glacier.MetaStore, account string, now time.Time) []glacier.Capacity {
	t.Helper()
	var got []glacier.Capacity
	view(t, s, func(tx glacier.Tx) error {
		var err error
		got, err = tx.Capacities(account, now)
		return err
	})
	return got
}

func testCapacityRoundTrip(t *testing.T, s glacier.MetaStore) {
	c1, c2, c3 := newCapacity("c1", acctA, time.Hour), newCapacity("c2", acctA, 0), newCapacity("c0", acctA, time.Hour)
	other := newCapacity("c9", acctB, 0)
	putCapacities(t, s, c1, c2, other, c3)
	got := capacitiesAt(t, s, acctA, t0())
	if d := diff([]glacier.Capacity{c2, c3, c1}, got); d != "" {
		t.Errorf("Capacities (-want +got):\n%s", d)
	}
	for _, c := range got {
		wantUTC(t, "Capacity", c.StartAt, c.ExpiresAt)
	}
	if d := diff([]glacier.Capacity{other}, capacitiesAt(t, s, acctB, t0())); d != "" {
		t.Errorf("Capacities of other account (-want +got):\n%s", d)
	}
	if got := capacitiesAt(t, s, "999999999999", t0()); len(got) != 0 {
		t.Errorf("Capacities of account without any: %v", got)
	}
}

func testCapacityOnlyUnexpired(t *testing.T, s glacier.MetaStore) {
	expired := glacier.Capacity{ID: "expired", Account: acctA, StartAt: at(-48 * time.Hour), ExpiresAt: at(-time.Microsecond)}
	atNow := glacier.Capacity{ID: "at-now", Account: acctA, StartAt: at(-47 * time.Hour), ExpiresAt: at(0)}
	justAfter := glacier.Capacity{ID: "just-after", Account: acctA, StartAt: at(-46 * time.Hour), ExpiresAt: at(time.Microsecond)}
	future := newCapacity("future", acctA, time.Hour) // not started yet: still listed
	putCapacities(t, s, future, expired, justAfter, atNow)
	if d := diff([]glacier.Capacity{justAfter, future}, capacitiesAt(t, s, acctA, at(0))); d != "" {
		t.Errorf("Capacities (-want +got):\n%s", d)
	}
}

func testCapacityPutReplaces(t *testing.T, s glacier.MetaStore) {
	c := newCapacity("c1", acctA, 0)
	putCapacities(t, s, c)
	c.ExpiresAt = at(-time.Second)
	putCapacities(t, s, c)
	if got := capacitiesAt(t, s, acctA, at(0)); len(got) != 0 {
		t.Errorf("Capacities after replacing with an expired one: %v", got)
	}
	c.ExpiresAt = at(time.Hour)
	putCapacities(t, s, c)
	if d := diff([]glacier.Capacity{c}, capacitiesAt(t, s, acctA, at(0))); d != "" {
		t.Errorf("Capacities after replace (-want +got):\n%s", d)
	}
}

func testPolicyRoundTrip(t *testing.T, s glacier.MetaStore) {
	view(t, s, func(tx glacier.Tx) error {
		_, err := tx.RetrievalPolicy(acctA)
		return errNotFound("RetrievalPolicy(never put)", err)
	})
	want := glacier.RetrievalPolicy{Strategy: glacier.StrategyBytesPerHour, BytesPerHour: 10 << 40}
	update(t, s, func(tx glacier.Tx) error { return tx.PutRetrievalPolicy(acctA, want) })
	view(t, s, func(tx glacier.Tx) error {
		got, err := tx.RetrievalPolicy(acctA)
		if err != nil {
			return err
		}
		if d := diff(want, got); d != "" {
			t.Errorf("RetrievalPolicy (-want +got):\n%s", d)
		}
		_, err = tx.RetrievalPolicy(acctB)
		return errNotFound("RetrievalPolicy(other account)", err)
	})
}

func testPolicyPutReplaces(t *testing.T, s glacier.MetaStore) {
	a := glacier.RetrievalPolicy{Strategy: glacier.StrategyBytesPerHour, BytesPerHour: 1 << 30}
	b := glacier.RetrievalPolicy{Strategy: glacier.StrategyNone}
	update(t, s, func(tx glacier.Tx) error {
		if err := tx.PutRetrievalPolicy(acctA, a); err != nil {
			return err
		}
		if err := tx.PutRetrievalPolicy(acctB, b); err != nil {
			return err
		}
		return tx.PutRetrievalPolicy(acctA, glacier.RetrievalPolicy{Strategy: glacier.StrategyFreeTier})
	})
	view(t, s, func(tx glacier.Tx) error {
		for acct, want := range map[string]glacier.RetrievalPolicy{
			acctA: {Strategy: glacier.StrategyFreeTier},
			acctB: b,
		} {
			got, err := tx.RetrievalPolicy(acct)
			if err != nil {
				return err
			}
			if d := diff(want, got); d != "" {
				t.Errorf("RetrievalPolicy(%s) (-want +got):\n%s", acct, d)
			}
		}
		return nil
	})
}

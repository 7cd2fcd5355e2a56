package service

import (
	"context"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

// maxCapacityUnits is how many provisioned capacity units an account may hold.
const maxCapacityUnits = 2

// PurchaseProvisionedCapacity buys a capacity unit for the account, valid
// for one month from now.
func (s *Service) PurchaseProvisionedCapacity(ctx context.Context, c glacier.Caller, account string) (glacier.Capacity, error) {
	if err := s.authorizeAccount(c, "PurchaseProvisionedCapacity", account); err != nil {
		return glacier.Capacity{}, err
	}
	var u glacier.Capacity
	err := s.meta.Update(ctx, func(tx glacier.Tx) error {
		now := s.now()
		units, err := tx.Capacities(account, now)
		if err != nil {
			return err
		}
		if len(units) >= maxCapacityUnits {
			return glacier.Errorf(glacier.KindLimitExceeded,
				"The account already has the maximum of %d provisioned capacity units", maxCapacityUnits)
		}
		u = glacier.Capacity{ID: newShortID(), Account: account, StartAt: now, ExpiresAt: addMonth(now)}
		return tx.PutCapacity(u)
	})
	return u, err
}

// addMonth returns t one calendar month later, clamped to the last day of
// that month (a unit bought on January 31 expires on the last day of
// February), to the second.
func addMonth(t time.Time) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+1, 1, t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(y, m+1, min(d, last), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// ListProvisionedCapacity returns the account's unexpired capacity units.
func (s *Service) ListProvisionedCapacity(ctx context.Context, c glacier.Caller, account string) ([]glacier.Capacity, error) {
	if err := s.authorizeAccount(c, "ListProvisionedCapacity", account); err != nil {
		return nil, err
	}
	var units []glacier.Capacity
	err := s.meta.View(ctx, func(tx glacier.Tx) (err error) {
		units, err = tx.Capacities(account, s.now())
		return err
	})
	return units, err
}

// GetDataRetrievalPolicy returns the account's data retrieval policy
// (Strategy None until one is set).
func (s *Service) GetDataRetrievalPolicy(ctx context.Context, c glacier.Caller, account string) (glacier.RetrievalPolicy, error) {
	if err := s.authorizeAccount(c, "GetDataRetrievalPolicy", account); err != nil {
		return glacier.RetrievalPolicy{}, err
	}
	p := glacier.RetrievalPolicy{Strategy: glacier.StrategyNone}
	err := s.meta.View(ctx, func(tx glacier.Tx) error {
		got, err := tx.RetrievalPolicy(account)
		if glacier.IsKind(err, glacier.KindNotFound) {
			return nil
		}
		p = got
		return err
	})
	return p, err
}

// SetDataRetrievalPolicy replaces the account's data retrieval policy. rules
// must hold exactly one rule. Jobs already started are not affected.
func (s *Service) SetDataRetrievalPolicy(ctx context.Context, c glacier.Caller, account string, rules []glacier.RetrievalPolicy) error {
	if err := s.authorizeAccount(c, "SetDataRetrievalPolicy", account); err != nil {
		return err
	}
	if len(rules) != 1 {
		return glacier.Errorf(glacier.KindInvalidParameter,
			"The data retrieval policy must have exactly one rule, but has %d", len(rules))
	}
	p := rules[0]
	switch p.Strategy {
	case glacier.StrategyBytesPerHour:
		if p.BytesPerHour < 1 {
			return glacier.Errorf(glacier.KindInvalidParameter,
				"BytesPerHour must be between 1 and 9223372036854775807 with the BytesPerHour strategy")
		}
	case glacier.StrategyFreeTier, glacier.StrategyNone:
		if p.BytesPerHour != 0 {
			return glacier.Errorf(glacier.KindInvalidParameter,
				"BytesPerHour may only be given with the BytesPerHour strategy, not with %s", p.Strategy)
		}
	case "":
		return glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: Strategy")
	default:
		return glacier.Errorf(glacier.KindInvalidParameter,
			"Invalid strategy: %s. Valid values are: BytesPerHour, FreeTier, None", p.Strategy)
	}
	return s.meta.Update(ctx, func(tx glacier.Tx) error { return tx.PutRetrievalPolicy(account, p) })
}

package service

import (
	"context"
	"errors"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

// lockWindow is how long an initiated vault lock waits for completion.
const lockWindow = 24 * time.Hour

// LockInfo is what GetVaultLock reports.
type LockInfo struct {
	Policy    string
	State     string
	CreatedAt time.Time
	ExpiresAt time.Time // zero once locked
}

// InitiateVaultLock attaches a lock policy to the vault in the InProgress
// state for 24 hours (scaled) and returns the lock ID that completes it. A
// vault whose lock is in progress or locked cannot be locked again.
func (s *Service) InitiateVaultLock(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, doc string) (string, error) {
	if err := checkPolicy("vault lock policy", doc); err != nil {
		return "", err
	}
	id := newShortID()
	err := s.configure(ctx, c, "InitiateVaultLock", ref, func(cfg *glacier.VaultConfig) error {
		if s.lockActive(*cfg) {
			return glacier.Errorf(glacier.KindAccessDenied,
				"The vault lock of %s is %s; abort an in-progress lock before initiating another", s.VaultARN(ref), cfg.LockState)
		}
		now := s.now()
		cfg.LockPolicy, cfg.LockID, cfg.LockState = doc, id, glacier.LockInProgress
		cfg.LockCreatedAt, cfg.LockExpiresAt = now, now.Add(s.scale.period(lockWindow))
		return nil
	})
	return id, err
}

// errAlreadyLocked ends the transaction of a repeated CompleteVaultLock
// without writing anything; CompleteVaultLock turns it into success.
var errAlreadyLocked = errors.New("vault already locked with this lock ID")

// CompleteVaultLock moves an in-progress lock to Locked, after which its
// policy can never change. Once Locked, completing again with the same lock
// ID succeeds and changes nothing ("This request is always successful if the
// vault lock is in the Locked state and the provided lock ID matches"); any
// other lock ID is refused.
func (s *Service) CompleteVaultLock(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, lockID string) error {
	err := s.configure(ctx, c, "CompleteVaultLock", ref, func(cfg *glacier.VaultConfig) error {
		switch {
		case cfg.LockState == glacier.LockLocked && lockID == cfg.LockID:
			return errAlreadyLocked
		case cfg.LockState == glacier.LockLocked:
			return glacier.Errorf(glacier.KindAccessDenied, "The vault lock of %s is already Locked", s.VaultARN(ref))
		case !s.lockActive(*cfg):
			return glacier.Errorf(glacier.KindInvalidParameter, "There is no vault lock in progress for %s", s.VaultARN(ref))
		case lockID != cfg.LockID:
			return glacier.Errorf(glacier.KindInvalidParameter, "The lock ID is not valid: %s", lockID)
		}
		cfg.LockState, cfg.LockExpiresAt = glacier.LockLocked, time.Time{}
		return nil
	})
	if errors.Is(err, errAlreadyLocked) {
		return nil
	}
	return err
}

// AbortVaultLock removes an in-progress lock. It succeeds when there is no
// lock and is refused once the vault is Locked.
func (s *Service) AbortVaultLock(ctx context.Context, c glacier.Caller, ref glacier.VaultRef) error {
	return s.configure(ctx, c, "AbortVaultLock", ref, func(cfg *glacier.VaultConfig) error {
		if cfg.LockState == glacier.LockLocked {
			return glacier.Errorf(glacier.KindAccessDenied, "The vault lock of %s is Locked and cannot be aborted", s.VaultARN(ref))
		}
		clearLock(cfg)
		return nil
	})
}

func clearLock(cfg *glacier.VaultConfig) {
	cfg.LockPolicy, cfg.LockID, cfg.LockState = "", "", ""
	cfg.LockCreatedAt, cfg.LockExpiresAt = time.Time{}, time.Time{}
}

// GetVaultLock returns the vault's lock. An in-progress lock that lapsed is
// gone.
func (s *Service) GetVaultLock(ctx context.Context, c glacier.Caller, ref glacier.VaultRef) (LockInfo, error) {
	cfg, err := s.readConfig(ctx, c, "GetVaultLock", ref)
	if err != nil {
		return LockInfo{}, err
	}
	if !s.lockActive(cfg) {
		return LockInfo{}, glacier.Errorf(glacier.KindNotFound, "No vault lock policy is set for: %s", s.VaultARN(ref))
	}
	return LockInfo{Policy: cfg.LockPolicy, State: cfg.LockState, CreatedAt: cfg.LockCreatedAt, ExpiresAt: cfg.LockExpiresAt}, nil
}

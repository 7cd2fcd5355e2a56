package service

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

// Config holds what a Service needs. Meta, Blobs and Clock are required.
type Config struct {
	Region string // used in ARNs; default "us-east-1"
	Meta   glacier.MetaStore
	Blobs  glacier.BlobStore
	Clock  glacier.Clock
	Logger *slog.Logger

	// OrphanGrace is how long a blob may exist without committed metadata
	// before the garbage collector may remove it. It bounds the duration of a
	// single upload request. Default 24 h.
	OrphanGrace time.Duration
	// UploadRetention is how long completed and aborted multipart uploads are
	// remembered (so a repeated Complete returns the same archive ID), and how
	// long an idle active upload lives. Default 24 h.
	UploadRetention time.Duration
	// InventoryInterval is how often a vault's inventory snapshot is taken.
	// Zero means the inventory is always current: DescribeVault and
	// inventory jobs see the vault as it is now.
	InventoryInterval time.Duration
	// TimeScale divides Glacier's durations (jobs, job retention, lock
	// expiry, inventory cadence). 0 completes jobs at once and leaves the
	// other durations at their AWS length.
	TimeScale float64
	// ExpeditedOnDemand is how many Expedited retrievals per 5 minutes an
	// account gets without provisioned capacity. Each capacity unit adds 3.
	ExpeditedOnDemand int
}

// Service implements the Glacier API operations. It is safe for concurrent use
// and keeps no state of its own beyond its configuration: everything lives in
// the stores, so several Services may share them.
type Service struct {
	region          string
	meta            glacier.MetaStore
	blobs           glacier.BlobStore
	clock           glacier.Clock
	log             *slog.Logger
	orphanGrace     time.Duration
	uploadRetention time.Duration
	inventoryEvery  time.Duration // already scaled
	scale           scale
	// expeditedOnDemand is the Expedited retrievals per 5 minutes without
	// provisioned capacity.
	expeditedOnDemand int
	jobRetention      time.Duration // already scaled
}

// New returns a Service for cfg.
func New(cfg Config) *Service {
	s := &Service{
		region:            cfg.Region,
		meta:              cfg.Meta,
		blobs:             cfg.Blobs,
		clock:             cfg.Clock,
		log:               cfg.Logger,
		orphanGrace:       cfg.OrphanGrace,
		uploadRetention:   cfg.UploadRetention,
		scale:             scale{cfg.TimeScale},
		expeditedOnDemand: cfg.ExpeditedOnDemand,
	}
	s.inventoryEvery = s.scale.period(cfg.InventoryInterval)
	s.jobRetention = s.scale.period(24 * time.Hour)
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.clock == nil {
		s.clock = glacier.WallClock{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.orphanGrace <= 0 {
		s.orphanGrace = 24 * time.Hour
	}
	if s.uploadRetention <= 0 {
		s.uploadRetention = 24 * time.Hour
	}
	return s
}

// Region returns the region the service reports in ARNs.
func (s *Service) Region() string { return s.region }

// VaultARN returns the ARN of the vault.
func (s *Service) VaultARN(ref glacier.VaultRef) string {
	return fmt.Sprintf("arn:aws:glacier:%s:%s:vaults/%s", s.region, ref.Account, ref.Name)
}

// now returns the service clock's time at microsecond precision in UTC, the
// precision every store keeps.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) vaultNotFound(ref glacier.VaultRef) error {
	return glacier.Errorf(glacier.KindNotFound, "Vault not found for ARN: %s", s.VaultARN(ref))
}

// authorize decides whether caller may perform action on the vault ref.
// Callers act freely on their own account's vaults; a vault of another
// account is out of reach.
func (s *Service) authorize(c glacier.Caller, action string, ref glacier.VaultRef) error {
	if c.Account == ref.Account {
		return nil
	}
	return glacier.Errorf(glacier.KindAccessDenied,
		"User: %s is not authorized to perform: glacier:%s on resource: %s", callerARN(c), action, s.VaultARN(ref))
}

// authorizeAccount decides whether caller may act on account-level settings.
func (s *Service) authorizeAccount(c glacier.Caller, action, account string) error {
	if c.Account == account {
		return nil
	}
	return glacier.Errorf(glacier.KindAccessDenied,
		"User: %s is not authorized to perform: glacier:%s on resource: arn:aws:glacier:%s:%s:*", callerARN(c), action, s.region, account)
}

func callerARN(c glacier.Caller) string {
	if c.User == "" {
		return "arn:aws:iam::" + c.Account + ":root"
	}
	return "arn:aws:iam::" + c.Account + ":user/" + c.User
}

// vault loads the vault ref inside tx, after checking the vault name and the
// caller's right to perform action on it.
func (s *Service) vault(tx glacier.Tx, c glacier.Caller, action string, ref glacier.VaultRef) (glacier.Vault, error) {
	if !validVaultName(ref.Name) {
		return glacier.Vault{}, s.vaultNotFound(ref)
	}
	if err := s.authorize(c, action, ref); err != nil {
		return glacier.Vault{}, err
	}
	v, err := tx.Vault(ref.Account, ref.Name)
	if glacier.IsKind(err, glacier.KindNotFound) {
		return v, s.vaultNotFound(ref)
	}
	return v, err
}

// checkVault is vault in its own read-only transaction.
func (s *Service) checkVault(ctx context.Context, c glacier.Caller, action string, ref glacier.VaultRef) error {
	return s.meta.View(ctx, func(tx glacier.Tx) error {
		_, err := s.vault(tx, c, action, ref)
		return err
	})
}

package service

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/glacierselect"
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
	// JobDuration draws how long a job takes, at AWS's pace (before
	// TimeScale), from [min, max]. It must be safe for concurrent use. nil:
	// uniformly at random.
	JobDuration func(min, max time.Duration) time.Duration
	// Notifier delivers job-completion notifications; nil disables them.
	Notifier glacier.Notifier
	// Undeliverable reports whether a Notifier error means the message can
	// never be accepted (e.g. the topic does not exist); such messages are
	// dropped, with an error logged, instead of retried. nil: never.
	Undeliverable func(error) bool
	// SelectOutput writes select jobs' output to S3; nil refuses select
	// jobs.
	SelectOutput glacier.SelectOutput
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
	jobDuration       func(min, max time.Duration) time.Duration
	notifier          glacier.Notifier
	undeliverable     func(error) bool
	selectOut         glacier.SelectOutput
	selectParser      *glacierselect.Parser // nil when selectOut is
	selectSplit       int64                 // bytes per result object
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
		notifier:          cfg.Notifier,
		undeliverable:     cfg.Undeliverable,
		jobDuration:       cfg.JobDuration,
		selectOut:         cfg.SelectOutput,
		selectSplit:       selectSplitSize,
	}
	if s.selectOut != nil {
		s.selectParser = glacierselect.NewParser()
	}
	s.inventoryEvery = s.scale.period(cfg.InventoryInterval)
	s.jobRetention = s.scale.period(24 * time.Hour)
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.clock == nil {
		s.clock = glacier.WallClock{}
	}
	if s.jobDuration == nil {
		s.jobDuration = uniformDuration
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

// vault loads the vault ref inside tx and checks that the caller may
// perform action on it (see authorize). A vault of another account that does
// not exist is reported as access denied, not as missing, so its absence is
// not disclosed.
func (s *Service) vault(tx glacier.Tx, c glacier.Caller, action string, ref glacier.VaultRef) (glacier.Vault, error) {
	v, _, err := s.vaultAndConfig(tx, c, action, ref)
	return v, err
}

// vaultAndConfig is vault that also returns the vault's governance record,
// read once for the check and for the caller.
func (s *Service) vaultAndConfig(tx glacier.Tx, c glacier.Caller, action string, ref glacier.VaultRef) (glacier.Vault, glacier.VaultConfig, error) {
	foreign := c.Account != ref.Account
	if !validVaultName(ref.Name) {
		if foreign {
			return glacier.Vault{}, glacier.VaultConfig{}, s.denied(c, action, s.VaultARN(ref))
		}
		return glacier.Vault{}, glacier.VaultConfig{}, s.vaultNotFound(ref)
	}
	v, err := tx.Vault(ref.Account, ref.Name)
	if glacier.IsKind(err, glacier.KindNotFound) {
		if foreign {
			return v, glacier.VaultConfig{}, s.denied(c, action, s.VaultARN(ref))
		}
		return v, glacier.VaultConfig{}, s.vaultNotFound(ref)
	}
	if err != nil {
		return v, glacier.VaultConfig{}, err
	}
	cfg, err := s.vaultConfig(tx, ref)
	if err != nil {
		return v, cfg, err
	}
	return v, cfg, s.authorize(c, action, ref, cfg, nil)
}

// checkVault is vault in its own read-only transaction.
func (s *Service) checkVault(ctx context.Context, c glacier.Caller, action string, ref glacier.VaultRef) error {
	return s.meta.View(ctx, func(tx glacier.Tx) error {
		_, err := s.vault(tx, c, action, ref)
		return err
	})
}

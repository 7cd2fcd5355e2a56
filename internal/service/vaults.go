package service

import (
	"context"
	"strings"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

// VaultInfo is what DescribeVault and ListVaults report about a vault: its
// contents as of the last inventory.
type VaultInfo struct {
	Ref         glacier.VaultRef
	ARN         string
	CreatedAt   time.Time
	InventoryAt time.Time // zero: no inventory yet
	Archives    int64
	Bytes       int64
}

func (s *Service) info(v glacier.Vault) VaultInfo {
	vi := VaultInfo{Ref: v.Ref(), ARN: s.VaultARN(v.Ref()), CreatedAt: v.CreatedAt}
	if s.inventoryEvery == 0 {
		// The inventory is always current; it last changed at the last write.
		vi.InventoryAt, vi.Archives, vi.Bytes = v.LastWriteAt, v.Archives, v.Bytes
	} else {
		vi.InventoryAt, vi.Archives, vi.Bytes = v.InventoryAt, v.InventoryArchives, v.InventoryBytes
	}
	return vi
}

// CreateVault creates the vault, or does nothing if it exists.
func (s *Service) CreateVault(ctx context.Context, c glacier.Caller, ref glacier.VaultRef) error {
	if !validVaultName(ref.Name) {
		return glacier.Errorf(glacier.KindInvalidParameter,
			"Invalid vault name: vault names must be 1 to 255 characters from a-z, A-Z, 0-9, '_', '-' and '.'")
	}
	if c.Account != ref.Account {
		return s.denied(c, "CreateVault", s.VaultARN(ref))
	}
	return s.meta.Update(ctx, func(tx glacier.Tx) error {
		_, err := tx.Vault(ref.Account, ref.Name)
		if err == nil {
			return nil // idempotent
		}
		if !glacier.IsKind(err, glacier.KindNotFound) {
			return err
		}
		n, err := tx.CountVaults(ref.Account)
		if err != nil {
			return err
		}
		if n >= maxVaultsPerAccount {
			return glacier.Errorf(glacier.KindLimitExceeded,
				"The maximum number of vaults (%d) for this account has been reached", maxVaultsPerAccount)
		}
		return tx.PutVault(glacier.Vault{Account: ref.Account, Name: ref.Name, CreatedAt: s.now()})
	})
}

// DescribeVault returns the vault's inventory figures.
func (s *Service) DescribeVault(ctx context.Context, c glacier.Caller, ref glacier.VaultRef) (VaultInfo, error) {
	var vi VaultInfo
	err := s.meta.View(ctx, func(tx glacier.Tx) error {
		v, err := s.vault(tx, c, "DescribeVault", ref)
		vi = s.info(v)
		return err
	})
	return vi, err
}

// ListVaults returns up to limit vaults of the account in ASCII name order,
// starting after the vault whose ARN is marker, and the marker of the next
// page ("" when this page is the last).
func (s *Service) ListVaults(ctx context.Context, c glacier.Caller, account, marker string, limit int) ([]VaultInfo, string, error) {
	if err := s.authorizeAccount(c, "ListVaults", account); err != nil {
		return nil, "", err
	}
	after := ""
	if marker != "" {
		i := strings.LastIndex(marker, ":vaults/")
		if i < 0 || !validVaultName(marker[i+len(":vaults/"):]) {
			return nil, "", glacier.Errorf(glacier.KindInvalidParameter, "Invalid marker: %s", marker)
		}
		after = marker[i+len(":vaults/"):]
	}
	var out []VaultInfo
	next := ""
	err := s.meta.View(ctx, func(tx glacier.Tx) error {
		vs, err := tx.Vaults(account, after, limit+1)
		if err != nil {
			return err
		}
		if len(vs) > limit {
			vs = vs[:limit]
			next = s.VaultARN(vs[limit-1].Ref())
		}
		out = make([]VaultInfo, len(vs))
		for i, v := range vs {
			out[i] = s.info(v)
		}
		return nil
	})
	return out, next, err
}

// DeleteVault deletes a vault that was empty at its last inventory and has
// not been written since. Its unfinished uploads and job outputs go with it.
func (s *Service) DeleteVault(ctx context.Context, c glacier.Caller, ref glacier.VaultRef) error {
	return s.meta.Update(ctx, func(tx glacier.Tx) error {
		v, err := s.vault(tx, c, "DeleteVault", ref)
		if err != nil {
			return err
		}
		if !s.deletable(v) {
			return glacier.Errorf(glacier.KindInvalidParameter,
				"Vault not empty or recently written to: %s", s.VaultARN(ref))
		}
		now := s.now()
		uploads, err := tx.Uploads(ref.Account, ref.Name, "", 0)
		if err != nil {
			return err
		}
		for _, u := range uploads {
			if err := s.discardParts(tx, u.ID, now); err != nil {
				return err
			}
		}
		jobs, err := tx.Jobs(glacier.JobQuery{Account: ref.Account, Vault: ref.Name, Now: now})
		if err != nil {
			return err
		}
		for _, j := range jobs {
			if j.OutputKey != "" {
				if err := tx.PutGarbage(j.OutputKey, now); err != nil {
					return err
				}
			}
		}
		return tx.DeleteVault(ref.Account, ref.Name)
	})
}

// deletable reports whether the vault was empty at its last inventory with no
// writes since (with an always-current inventory: whether it is empty now).
func (s *Service) deletable(v glacier.Vault) bool {
	if s.inventoryEvery == 0 {
		return v.Archives == 0
	}
	return v.InventoryArchives == 0 && !v.LastWriteAt.After(v.InventoryAt)
}

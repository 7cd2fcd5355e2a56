package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"

	"github.com/glacierd/glacierd/cmd/glacier/internal/catalog"
	"github.com/glacierd/glacierd/cmd/glacier/internal/inventory"
)

// emptyFlags are the flags of the commands that delete every archive of a
// vault.
type emptyFlags struct {
	Yes         bool `short:"y" help:"Do not ask for confirmation."`
	New         bool `help:"Start a new inventory job even if a recent one can be reused."`
	Concurrency int  `short:"c" default:"4" help:"Archives deleted in parallel."`
	waitFlags   `embed:""`
}

type vaultEmptyCmd struct {
	Name       string `arg:"" help:"Vault name."`
	emptyFlags `embed:""`
}

// emptyResult is what vault empty and vault delete --force report.
type emptyResult struct {
	VaultName       string
	ArchivesDeleted int // deleted by this run
	ArchivesSkipped int // deleted by an earlier, interrupted run
	VaultDeleted    bool
}

// Run deletes every archive in the vault.
func (c *vaultEmptyCmd) Run(a *app) error {
	_, res, err := a.confirmAndEmpty(c.Name, c.emptyFlags, "")
	if err != nil {
		return err
	}
	return a.printEmpty(res)
}

// confirmAndEmpty checks the flags, asks the user to confirm by typing the
// vault's name (what says what else is deleted: "" or ", then the vault"),
// and deletes every archive in the vault. It returns the client it used.
func (a *app) confirmAndEmpty(name string, f emptyFlags, also string) (*glacier.Client, emptyResult, error) {
	if f.Concurrency < 1 || f.Concurrency > 64 {
		return nil, emptyResult{}, errors.New("--concurrency must be from 1 to 64")
	}
	prompt := fmt.Sprintf("This deletes every archive in vault %s%s; it cannot be undone.\nType the vault name to go on: ", name, also)
	if err := a.confirm(f.Yes, prompt, name); err != nil {
		return nil, emptyResult{}, err
	}
	gl, err := a.client(f.Concurrency)
	if err != nil {
		return nil, emptyResult{}, err
	}
	res, err := a.emptyVault(gl, name, f)
	return gl, res, err
}

func (a *app) printEmpty(res emptyResult) error {
	if a.jsonOut() {
		return a.printJSON(res)
	}
	a.printf("deleted %d archives from vault %s", res.ArchivesDeleted, res.VaultName)
	if res.ArchivesSkipped > 0 {
		a.printf(" (%d more were deleted by an earlier run)", res.ArchivesSkipped)
	}
	a.printf("\n")
	if res.VaultDeleted {
		a.printf("deleted vault %s\n", res.VaultName)
	}
	return nil
}

// emptyVault deletes every archive the vault's inventory (a reused recent
// one, or a new one) and the catalog list. Deletions are recorded in the
// catalog, so that running it again after an interruption skips them.
func (a *app) emptyVault(gl *glacier.Client, vault string, f emptyFlags) (emptyResult, error) {
	res := emptyResult{VaultName: vault}
	jobID := ""
	if !f.New {
		var err error
		if jobID, err = a.reusableInventory(gl, vault); err != nil {
			return res, err
		}
	}
	inv, err := inventory.Fetch(a.ctx, gl, inventory.Options{
		AccountID: a.cli.AccountID, Vault: vault, JobID: jobID,
		Wait: func(_ context.Context, id string) (*glacier.DescribeJobOutput, error) {
			return a.waitJob(gl, vault, id, f.waitFlags)
		},
		Started: func(id string, _ int) { a.notice("started inventory job %s (inventories take hours on AWS)", id) },
	})
	if err != nil {
		return res, err
	}
	ids, skipped, err := a.archivesToDelete(gl, vault, inv)
	if err != nil {
		return res, err
	}
	res.ArchivesSkipped = skipped
	bar := a.bar(int64(len(ids)), "delete")
	g, ctx := errgroup.WithContext(a.ctx)
	g.SetLimit(f.Concurrency)
	deleted := make(chan struct{}, len(ids))
	for _, id := range ids {
		g.Go(func() error {
			_, err := gl.DeleteArchive(ctx, &glacier.DeleteArchiveInput{AccountId: a.account(), VaultName: &vault, ArchiveId: &id})
			if ae, ok := errors.AsType[smithy.APIError](err); ok && ae.ErrorCode() == "ResourceNotFoundException" && ctx.Err() == nil {
				err = nil // already gone
			}
			if err != nil {
				return err
			}
			a.markDeleted(gl, vault, id)
			deleted <- struct{}{}
			bar.Add(1)
			return nil
		})
	}
	err = g.Wait()
	res.ArchivesDeleted = len(deleted)
	if err != nil {
		bar.Abandon()
		a.notice("deleted %d of %d archives; run the same command again to continue", res.ArchivesDeleted, len(ids))
		return res, err
	}
	bar.Finish()
	return res, nil
}

// archivesToDelete returns the IDs of the archives the inventory and the
// catalog list for the vault, less those the catalog says glacier already
// deleted, and how many it left out.
func (a *app) archivesToDelete(gl *glacier.Client, vault string, inv inventory.Inventory) ([]string, int, error) {
	done := map[string]bool{}
	var ids []string
	cat, err := a.catalog()
	if err != nil {
		return nil, 0, err
	}
	if cat != nil {
		entries, err := cat.Find(a.ctx, a.scope(gl, ""), catalog.Query{Vault: vault, IncludeDeleted: true})
		if err != nil {
			return nil, 0, err
		}
		for _, e := range entries {
			if e.DeletionDate != nil {
				done[e.ArchiveId] = true
			} else {
				ids = append(ids, e.ArchiveId) // uploaded, maybe after the inventory was taken
			}
		}
	}
	seen := map[string]bool{}
	for _, id := range ids {
		seen[id] = true
	}
	skipped := 0
	for _, arc := range inv.ArchiveList {
		switch {
		case done[arc.ArchiveId]:
			skipped++
		case !seen[arc.ArchiveId]:
			seen[arc.ArchiveId] = true
			ids = append(ids, arc.ArchiveId)
		}
	}
	return ids, skipped, nil
}

// force empties the vault, then deletes it.
func (c *vaultDeleteCmd) force(a *app) error {
	gl, res, err := a.confirmAndEmpty(c.Name, c.emptyFlags, ", then the vault")
	if err != nil {
		return err
	}
	if _, err := gl.DeleteVault(a.ctx, &glacier.DeleteVaultInput{AccountId: a.account(), VaultName: &c.Name}); err != nil {
		_ = a.printEmpty(res)
		a.notice("Glacier deletes a vault only once its inventory, which AWS updates about once a day, shows it empty;\n" +
			"run the same command again later (archives already deleted are skipped)")
		return err
	}
	res.VaultDeleted = true
	return a.printEmpty(res)
}

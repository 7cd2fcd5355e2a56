package main

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/internal/units"
)

// vaultCmd groups the vault commands.
type vaultCmd struct {
	Create   vaultCreateCmd   `cmd:"" help:"Create a vault (creating an existing one is not an error)."`
	List     vaultListCmd     `cmd:"" help:"List all vaults."`
	Describe vaultDescribeCmd `cmd:"" help:"Show a vault's archive count, size and dates."`
	Delete   vaultDeleteCmd   `cmd:"" help:"Delete an empty vault (--force: its archives first)."`
	Empty    vaultEmptyCmd    `cmd:"" help:"Delete every archive in a vault (through an inventory; resumable)."`
}

// vaultJSON is a vault as --output json prints it, with Glacier's names.
type vaultJSON struct {
	VaultName         string
	VaultARN          string
	CreationDate      string
	LastInventoryDate string `json:",omitempty"`
	NumberOfArchives  int64
	SizeInBytes       int64
}

func toVaultJSON(v *types.DescribeVaultOutput) vaultJSON {
	return vaultJSON{
		VaultName: aws.ToString(v.VaultName), VaultARN: aws.ToString(v.VaultARN), CreationDate: aws.ToString(v.CreationDate),
		LastInventoryDate: aws.ToString(v.LastInventoryDate), NumberOfArchives: v.NumberOfArchives, SizeInBytes: v.SizeInBytes,
	}
}

type vaultCreateCmd struct {
	Name string `arg:"" help:"Vault name (1-255 of a-z, A-Z, 0-9, _ - .)."`
}

// Run creates the vault.
func (c *vaultCreateCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	// CreateVault succeeds for an existing vault too; asking first tells
	// the user which it was.
	_, derr := gl.DescribeVault(a.ctx, &glacier.DescribeVaultInput{AccountId: a.account(), VaultName: &c.Name})
	out, err := gl.CreateVault(a.ctx, &glacier.CreateVaultInput{AccountId: a.account(), VaultName: &c.Name})
	if err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(map[string]any{"VaultName": c.Name, "Location": aws.ToString(out.Location), "Created": derr != nil})
	}
	if derr == nil {
		a.printf("vault %s already exists (%s)\n", c.Name, aws.ToString(out.Location))
		return nil
	}
	a.printf("created vault %s (%s)\n", c.Name, aws.ToString(out.Location))
	return nil
}

type vaultListCmd struct{}

// Run lists every vault, following all pages.
func (c *vaultListCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	var all []vaultJSON
	p := glacier.NewListVaultsPaginator(gl, &glacier.ListVaultsInput{AccountId: a.account()})
	for p.HasMorePages() {
		page, err := p.NextPage(a.ctx)
		if err != nil {
			return err
		}
		for i := range page.VaultList {
			all = append(all, toVaultJSON(&page.VaultList[i]))
		}
	}
	if a.jsonOut() {
		if all == nil {
			all = []vaultJSON{}
		}
		return a.printJSON(all)
	}
	t := a.table()
	fmt.Fprintln(t, "NAME\tARCHIVES\tSIZE\tCREATED\tLAST INVENTORY")
	for _, v := range all {
		fmt.Fprintf(t, "%s\t%d\t%s\t%s\t%s\n", v.VaultName, v.NumberOfArchives, units.Format(v.SizeInBytes), v.CreationDate, orDash(v.LastInventoryDate))
	}
	return t.Flush()
}

type vaultDescribeCmd struct {
	Name string `arg:"" help:"Vault name."`
}

// Run shows the vault.
func (c *vaultDescribeCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	out, err := gl.DescribeVault(a.ctx, &glacier.DescribeVaultInput{AccountId: a.account(), VaultName: &c.Name})
	if err != nil {
		return err
	}
	v := toVaultJSON(&types.DescribeVaultOutput{VaultName: out.VaultName, VaultARN: out.VaultARN, CreationDate: out.CreationDate,
		LastInventoryDate: out.LastInventoryDate, NumberOfArchives: out.NumberOfArchives, SizeInBytes: out.SizeInBytes})
	if a.jsonOut() {
		return a.printJSON(v)
	}
	t := a.table()
	fmt.Fprintf(t, "Name:\t%s\n", v.VaultName)
	fmt.Fprintf(t, "ARN:\t%s\n", v.VaultARN)
	fmt.Fprintf(t, "Created:\t%s\n", v.CreationDate)
	fmt.Fprintf(t, "Archives:\t%d\n", v.NumberOfArchives)
	fmt.Fprintf(t, "Size:\t%d bytes (%s)\n", v.SizeInBytes, units.Format(v.SizeInBytes))
	fmt.Fprintf(t, "Last inventory:\t%s\n", orDash(v.LastInventoryDate))
	return t.Flush()
}

type vaultDeleteCmd struct {
	Name       string `arg:"" help:"Vault name."`
	Force      bool   `help:"Delete the vault's archives first, as vault empty does."`
	emptyFlags `embed:""`
}

// Run deletes the vault.
func (c *vaultDeleteCmd) Run(a *app) error {
	if c.Force {
		return c.force(a)
	}
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	if _, err := gl.DeleteVault(a.ctx, &glacier.DeleteVaultInput{AccountId: a.account(), VaultName: &c.Name}); err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(map[string]string{"VaultName": c.Name, "Status": "deleted"})
	}
	a.printf("deleted vault %s\n", c.Name)
	return nil
}

package main

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/cmd/glacier/internal/inventory"
)

type inventoryCmd struct {
	Vault     string `arg:"" help:"Vault name."`
	Job       string `placeholder:"JOB_ID" help:"Use this completed (or running) inventory job instead of starting one."`
	New       bool   `help:"Start a new inventory job even if a recent one can be reused."`
	Limit     int    `help:"Archives per inventory job; more pages are fetched with further jobs (0: all in one)."`
	Format    string `short:"f" enum:"table,json,csv" default:"table" help:"Output format: table, json or csv."`
	waitFlags `embed:""`
}

// Validate checks the flags.
func (c *inventoryCmd) Validate() error {
	if c.Limit < 0 {
		return errors.New("--limit must not be negative")
	}
	if c.New && c.Job != "" {
		return errors.New("--new and --job exclude each other")
	}
	return nil
}

// Run retrieves the whole inventory and prints it.
func (c *inventoryCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	if c.Job == "" && !c.New && c.Limit == 0 {
		if c.Job, err = a.reusableInventory(gl, c.Vault); err != nil {
			return err
		}
	}
	inv, err := inventory.Fetch(a.ctx, gl, inventory.Options{
		AccountID: a.cli.AccountID, Vault: c.Vault, JobID: c.Job, Limit: c.Limit,
		Wait: func(_ context.Context, jobID string) (*glacier.DescribeJobOutput, error) {
			return a.waitJob(gl, c.Vault, jobID, c.waitFlags)
		},
		Started: func(jobID string, page int) {
			if page == 1 {
				a.notice("started inventory job %s (inventories take hours on AWS)", jobID)
			} else {
				a.notice("started inventory job %s for page %d", jobID, page)
			}
		},
	})
	if err != nil {
		return err
	}
	format := c.Format
	if a.jsonOut() && format == inventory.FormatTable {
		format = inventory.FormatJSON // --output json asks for JSON too
	}
	return inventory.Write(a.env.stdout, format, inv)
}

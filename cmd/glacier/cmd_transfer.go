package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/invfile"
	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/journal"
	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/names"
	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/plan"
	"github.com/glacierd/glacierd/internal/units"
)

// transferCmd moves a whole vault to S3, or with --dry-run prints the plan.
type transferCmd struct {
	Vault          string      `arg:"" help:"Vault name."`
	Target         string      `arg:"" placeholder:"s3://BUCKET[/PREFIX]" help:"Destination bucket and key prefix."`
	DryRun         bool        `name:"dry-run" help:"Print the plan (keys, bytes, cost and time per tier, daily batches) and change nothing (needs --inventory-file)."`
	InventoryFile  string      `name:"inventory-file" placeholder:"FILE" help:"A Glacier inventory you already have (JSON or CSV; - for standard input). Without it the vault's inventory is retrieved (or the journal's archives used on a rerun)."`
	Tier           string      `enum:"Bulk,Standard,Expedited" default:"Bulk" help:"Retrieval tier: Bulk (5–12 h, cheapest), Standard (3–5 h) or Expedited (minutes)."`
	BytesPerDay    units.Bytes `name:"bytes-per-day" placeholder:"SIZE" help:"Retrieval budget per day, e.g. 500GiB (default: none)."`
	Names          string      `name:"names" placeholder:"CSV" help:"Key overrides: a CSV of archive ID,key (keys relative to the prefix)."`
	FallbackPrefix string      `name:"fallback-prefix" default:"_undecodable" help:"Folder, under the prefix, for archives whose description gives no name (key: the archive ID)."`
	copyFlags      `embed:""`
}

// Validate checks the arguments.
func (c *transferCmd) Validate() error {
	if _, _, err := parseS3Target(c.Target); err != nil {
		return err
	}
	switch {
	case c.DryRun && c.InventoryFile == "":
		return errors.New("--dry-run needs --inventory-file")
	case c.Concurrency < 1:
		return errors.New("--concurrency must be at least 1")
	case c.BytesPerDay < 0:
		return errors.New("--bytes-per-day must not be negative")
	}
	return nil
}

// parseS3Target splits s3://BUCKET[/PREFIX].
func parseS3Target(s string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(s, "s3://")
	bucket, prefix, _ = strings.Cut(rest, "/")
	if !ok || bucket == "" {
		return "", "", fmt.Errorf("target %q: want s3://BUCKET[/PREFIX]", s)
	}
	return bucket, strings.Trim(prefix, "/"), nil
}

// Run copies the vault, or prints the plan.
func (c *transferCmd) Run(a *app) error {
	if !c.DryRun {
		return c.copy(a)
	}
	archives, err := c.readInventoryFile(a)
	if err != nil {
		return err
	}
	archives, ns, err := c.name(a, archives)
	if err != nil {
		return err
	}
	return c.printPlan(a, archives, ns)
}

// readInventoryFile reads --inventory-file.
func (c *transferCmd) readInventoryFile(a *app) ([]journal.Archive, error) {
	data, err := a.readInput(c.InventoryFile)
	if err != nil {
		return nil, err
	}
	archives, err := invfile.Read(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.InventoryFile, err)
	}
	return archives, nil
}

// name gives every archive its S3 key.
func (c *transferCmd) name(a *app, archives []journal.Archive) ([]journal.Archive, []names.Name, error) {
	_, prefix, _ := parseS3Target(c.Target)
	o := names.Options{Prefix: prefix, Fallback: c.FallbackPrefix}
	if c.Names != "" {
		csv, err := a.readInput(c.Names)
		if err != nil {
			return nil, nil, err
		}
		if o.Overrides, err = names.ParseOverrides(bytes.NewReader(csv)); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", c.Names, err)
		}
	}
	return invfile.Name(archives, o)
}

// printPlan prints the dry run's plan.
func (c *transferCmd) printPlan(a *app, archives []journal.Archive, ns []names.Name) error {
	items := make([]plan.Item, len(archives))
	for i, ar := range archives {
		items[i] = plan.Item{ArchiveID: ar.ID, Key: ar.Key, Size: ar.Size, Created: ar.Created}
	}
	p, err := plan.Make(items, plan.Options{Tier: plan.Tier(c.Tier), BytesPerDay: int64(c.BytesPerDay), Prices: plan.USEast1()})
	if err != nil {
		return err
	}
	if a.jsonOut() {
		return plan.WriteJSON(a.env.stdout, p)
	}
	if err := plan.WriteText(a.env.stdout, p); err != nil {
		return err
	}
	a.printf("\nNames: %s.\n", names.Summary(ns))
	return nil
}

package main

import (
	"fmt"

	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/engine"
	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/journal"
)

// transferReport is glacier transfer's final report (--output json).
type transferReport struct {
	Vault    string                `json:"vault"`
	Target   string                `json:"target"`
	Journal  string                `json:"journal"`
	Archives int                   `json:"archives"`
	States   map[journal.State]int `json:"states"` // archives in each state, over all runs
	engine.Result
}

// report prints the final report: a table of the journal's states and of
// this run's work and failures, or JSON.
func (c *transferCmd) report(a *app, path string, counts map[journal.State]int, res engine.Result) error {
	r := transferReport{Vault: c.Vault, Target: c.Target, Journal: path, States: counts, Result: res}
	for _, n := range counts {
		r.Archives += n
	}
	if a.jsonOut() {
		return a.printJSON(r)
	}
	w := a.table()
	fmt.Fprintf(w, "STATE\tARCHIVES\n")
	for _, s := range []journal.State{journal.Pending, journal.Requested, journal.Downloading, journal.Uploading, journal.Verified, journal.Deleted} {
		fmt.Fprintf(w, "%s\t%d\n", s, counts[s])
	}
	fmt.Fprintf(w, "total\t%d\n", r.Archives)
	if err := w.Flush(); err != nil {
		return err
	}
	a.printf("\nThis run: %d copied (%d bytes in %d parts, %d parts found already in S3), %d deleted from the vault; "+
		"retrieval jobs: %d requested, %d reused, %d renewed.\n",
		res.Copied, res.BytesCopied, res.PartsUploaded, res.PartsAdopted, res.Deleted, res.JobsRequested, res.JobsAdopted, res.JobsRenewed)
	if len(res.Failed) > 0 {
		a.printf("\n%d archive(s) failed:\n", len(res.Failed))
		w := a.table()
		fmt.Fprintf(w, "ARCHIVE ID\tKEY\tERROR\n")
		for _, f := range res.Failed {
			fmt.Fprintf(w, "%s\t%s\t%s\n", f.ArchiveID, f.Key, f.Error)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	a.printf("Journal: %s (run the same command again to resume).\n", path)
	return nil
}

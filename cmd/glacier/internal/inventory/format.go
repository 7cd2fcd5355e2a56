package inventory

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/glacierd/glacierd/internal/units"
)

// Formats are the output formats Write accepts.
const (
	FormatTable = "table"
	FormatJSON  = "json"
	FormatCSV   = "csv"
)

// Write writes inv to w in the given format.
func Write(w io.Writer, format string, inv Inventory) error {
	switch format {
	case FormatJSON:
		return WriteJSON(w, inv)
	case FormatCSV:
		return WriteCSV(w, inv)
	case FormatTable, "":
		return WriteTable(w, inv)
	}
	return fmt.Errorf("unknown format %q (want table, json or csv)", format)
}

// WriteJSON writes inv as an indented JSON document with Glacier's field
// names (the format of a JSON inventory job's output).
func WriteJSON(w io.Writer, inv Inventory) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(inv)
}

// WriteCSV writes inv as RFC 4180 CSV with Glacier's header row. (Fields are
// quoted as RFC 4180 requires, doubling inner quotes, so any CSV reader
// reads it back; Glacier's own CSV escapes quotes with a backslash instead.)
func WriteCSV(w io.Writer, inv Inventory) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"ArchiveId", "ArchiveDescription", "CreationDate", "Size", "SHA256TreeHash"}); err != nil {
		return err
	}
	for _, a := range inv.ArchiveList {
		if err := cw.Write([]string{a.ArchiveId, a.ArchiveDescription, a.CreationDate, strconv.FormatInt(a.Size, 10), a.SHA256TreeHash}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTable writes inv as an aligned table for people, followed by a
// summary line.
func WriteTable(w io.Writer, inv Inventory) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CREATED\tSIZE\tDESCRIPTION\tARCHIVE ID")
	var total int64
	for _, a := range inv.ArchiveList {
		total += a.Size
		desc := a.ArchiveDescription
		if desc == "" {
			desc = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.CreationDate, units.Format(a.Size), desc, a.ArchiveId)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d archive(s), %s; inventory of %s taken %s\n", len(inv.ArchiveList), units.Format(total), inv.VaultARN, inv.InventoryDate)
	return err
}

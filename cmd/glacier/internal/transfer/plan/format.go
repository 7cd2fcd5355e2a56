package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/glacierd/glacierd/internal/units"
)

// WriteText writes the plan for people: totals, the estimate per tier, the
// daily batches and every archive's key and size.
func WriteText(w io.Writer, p Plan) error {
	fmt.Fprintf(w, "Dry run: nothing was requested, uploaded or deleted.\n")
	fmt.Fprintf(w, "%d archives, %s (%d bytes), tier %s", p.Archives, units.Format(p.Bytes), p.Bytes, p.Tier)
	if p.BytesPerDay > 0 {
		fmt.Fprintf(w, ", budget %s/day", units.Format(p.BytesPerDay))
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "\nEstimated retrieval cost and time (copy time not included):")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIER\tDATA\tREQUESTS\tTOTAL\tTIME\t")
	for _, e := range p.Estimates {
		mark := ""
		if e.Tier == p.Tier {
			mark = " *"
		}
		fmt.Fprintf(tw, "%s%s\t$%.2f\t$%.2f\t$%.2f\t%s – %s\t\n", e.Tier, mark, e.RetrievalCost, e.RequestCost, e.TotalCost,
			humanDuration(e.MinDuration), humanDuration(e.MaxDuration))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nBatches (%d):\n", len(p.Batches))
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DAY\tARCHIVES\tBYTES\tNOTE\t")
	for _, b := range p.Batches {
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t\n", b.Day, b.Count, units.Format(b.Bytes), b.Note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintln(w, "\nArchives, in retrieval order:")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CREATED\tSIZE\tARCHIVE ID\tKEY\t")
	for _, it := range p.Items {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t\n", it.Created.UTC().Format(time.RFC3339), it.Size, it.ArchiveID, it.Key)
	}
	return tw.Flush()
}

// WriteJSON writes the plan as one indented JSON document.
func WriteJSON(w io.Writer, p Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

func humanDuration(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%.1f days", d.Hours()/24)
	case d >= time.Hour:
		return fmt.Sprintf("%.0f h", d.Hours())
	default:
		return fmt.Sprintf("%.0f min", d.Minutes())
	}
}

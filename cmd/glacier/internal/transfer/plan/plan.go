// Package plan computes what `glacier transfer` will do, without doing it:
// the archives in retrieval order with their keys and sizes, the totals,
// the estimated retrieval cost and time in every tier, and the daily
// batches that keep retrievals within a bytes-per-day budget. It is the
// `--dry-run` output, and the order the transfer follows.
package plan

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Item is one archive to transfer.
type Item struct {
	ArchiveID string    `json:"archiveId"`
	Key       string    `json:"key"`
	Size      int64     `json:"size"`
	Created   time.Time `json:"creationDate"`
}

// Options configure Make.
type Options struct {
	Tier        Tier
	BytesPerDay int64  // retrieval budget; 0 for none
	Prices      Prices // e.g. USEast1()
	// PolicyBytesPerHour is the account's BytesPerHour data retrieval
	// policy (0: none). It caps the daily budget at 24 times its value; as
	// the policy applies to Standard retrievals only, only for that tier.
	PolicyBytesPerHour int64
}

// Batch is the archives requested on one day.
type Batch struct {
	Day   int    `json:"day"` // 0 is the day the transfer starts
	First int    `json:"first"`
	Count int    `json:"count"` // Items[First:First+Count]
	Bytes int64  `json:"bytes"`
	Note  string `json:"note,omitempty"`
}

// Estimate is the cost and duration of the whole transfer in one tier.
type Estimate struct {
	Tier          Tier          `json:"tier"`
	RetrievalCost float64       `json:"retrievalCostUSD"`
	RequestCost   float64       `json:"requestCostUSD"`
	TotalCost     float64       `json:"totalCostUSD"`
	MinDuration   time.Duration `json:"minDurationNs"`
	MaxDuration   time.Duration `json:"maxDurationNs"`
}

// Plan is the dry-run plan.
type Plan struct {
	Tier        Tier       `json:"tier"`
	BytesPerDay int64      `json:"bytesPerDay"` // the effective budget, 0 for none
	Archives    int        `json:"archives"`
	Bytes       int64      `json:"bytes"`
	Items       []Item     `json:"items"` // in retrieval order: creation date, then archive ID
	Batches     []Batch    `json:"batches"`
	Estimates   []Estimate `json:"estimates"` // every tier, the chosen one included
}

// Make builds the plan. Items are retrieved in creation order. With a
// budget, each day's batch takes archives in that order while they fit; an
// archive larger than the budget goes alone and uses as many days of
// budget as it needs. Times count whole budget days plus one job's wait,
// not the copy itself.
func Make(items []Item, o Options) (Plan, error) {
	if _, ok := o.Prices[o.Tier]; !ok {
		return Plan{}, fmt.Errorf("plan: no price for tier %q", o.Tier)
	}
	if o.BytesPerDay < 0 || o.PolicyBytesPerHour < 0 {
		return Plan{}, fmt.Errorf("plan: negative budget")
	}
	p := Plan{Tier: o.Tier, Archives: len(items), Items: slices.Clone(items)}
	slices.SortFunc(p.Items, func(a, b Item) int {
		return cmp.Or(a.Created.Compare(b.Created), strings.Compare(a.ArchiveID, b.ArchiveID))
	})
	for _, it := range p.Items {
		if it.Size < 0 {
			return Plan{}, fmt.Errorf("plan: archive %s has size %d", it.ArchiveID, it.Size)
		}
		p.Bytes += it.Size
	}
	for _, t := range Tiers {
		price, ok := o.Prices[t]
		if !ok {
			continue
		}
		budget := effectiveBudget(t, o)
		if t == o.Tier {
			p.BytesPerDay = budget
			p.Batches = batches(p.Items, budget)
		}
		days := lastDay(batches(p.Items, budget), budget)
		e := Estimate{
			Tier:          t,
			RetrievalCost: float64(p.Bytes) / (1 << 30) * price.PerGiB,
			RequestCost:   float64(len(items)) / 1000 * price.Per1000Requests,
			MinDuration:   time.Duration(days)*24*time.Hour + price.MinWait,
			MaxDuration:   time.Duration(days)*24*time.Hour + price.MaxWait,
		}
		e.TotalCost = e.RetrievalCost + e.RequestCost
		if len(items) == 0 {
			e.MinDuration, e.MaxDuration = 0, 0
		}
		p.Estimates = append(p.Estimates, e)
	}
	return p, nil
}

func effectiveBudget(t Tier, o Options) int64 {
	b := o.BytesPerDay
	if t == Standard && o.PolicyBytesPerHour > 0 {
		perDay := o.PolicyBytesPerHour * 24
		if o.PolicyBytesPerHour > (1<<63-1)/24 {
			perDay = 1<<63 - 1
		}
		if b == 0 || perDay < b {
			b = perDay
		}
	}
	return b
}

// batches splits items (in order) into daily batches within budget.
func batches(items []Item, budget int64) []Batch {
	if len(items) == 0 {
		return nil
	}
	if budget == 0 {
		var n int64
		for _, it := range items {
			n += it.Size
		}
		return []Batch{{Day: 0, First: 0, Count: len(items), Bytes: n}}
	}
	var out []Batch
	day := 0
	cur := Batch{}
	flush := func() {
		if cur.Count > 0 {
			out = append(out, cur)
			day++
		}
	}
	for i, it := range items {
		if it.Size > budget {
			flush()
			days := int((it.Size + budget - 1) / budget)
			out = append(out, Batch{Day: day, First: i, Count: 1, Bytes: it.Size,
				Note: fmt.Sprintf("archive larger than the daily budget: %d days of budget", days)})
			day += days
			cur = Batch{Day: day, First: i + 1}
			continue
		}
		if cur.Bytes+it.Size > budget {
			flush()
			cur = Batch{Day: day, First: i}
		}
		cur.Count++
		cur.Bytes += it.Size
	}
	flush()
	return out
}

// lastDay is the last day on which bytes are requested: the day of the
// last batch, plus the extra days an oversized last archive takes.
func lastDay(bs []Batch, budget int64) int {
	if len(bs) == 0 {
		return 0
	}
	last := bs[len(bs)-1]
	if budget > 0 && last.Bytes > budget {
		return last.Day + int((last.Bytes+budget-1)/budget) - 1
	}
	return last.Day
}

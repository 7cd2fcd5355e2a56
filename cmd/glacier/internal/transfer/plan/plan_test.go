package plan

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const gib = 1 << 30

var t0 = time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)

func item(id string, size int64, hours int) Item {
	return Item{ArchiveID: id, Key: "k/" + id, Size: size, Created: t0.Add(time.Duration(hours) * time.Hour)}
}

func TestBatchesFollowCreationOrderWithinBudget(t *testing.T) {
	items := []Item{
		item("e", 1*gib, 4), item("a", 4*gib, 0), item("c", 3*gib, 2),
		item("b", 2*gib, 1), item("d", 25*gib, 3), item("f", 5*gib, 5), item("g", 5*gib, 5),
	}
	p, err := Make(items, Options{Tier: Bulk, BytesPerDay: 10 * gib, Prices: USEast1()})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, it := range p.Items {
		order = append(order, it.ArchiveID)
	}
	if d := cmp.Diff([]string{"a", "b", "c", "d", "e", "f", "g"}, order); d != "" {
		t.Errorf("retrieval order (-want +got):\n%s", d)
	}
	want := []Batch{
		{Day: 0, First: 0, Count: 3, Bytes: 9 * gib},                                                                  // a b c
		{Day: 1, First: 3, Count: 1, Bytes: 25 * gib, Note: "archive larger than the daily budget: 3 days of budget"}, // d
		{Day: 4, First: 4, Count: 2, Bytes: 6 * gib},                                                                  // e f
		{Day: 5, First: 6, Count: 1, Bytes: 5 * gib},                                                                  // g
	}
	if d := cmp.Diff(want, p.Batches); d != "" {
		t.Errorf("batches (-want +got):\n%s", d)
	}
	for _, b := range p.Batches {
		if b.Note == "" && b.Bytes > p.BytesPerDay {
			t.Errorf("batch %+v exceeds the budget", b)
		}
	}
	if p.Archives != 7 || p.Bytes != 45*gib {
		t.Errorf("totals %d archives, %d bytes", p.Archives, p.Bytes)
	}
}

func TestEstimates(t *testing.T) {
	items := make([]Item, 2000)
	for i := range items {
		items[i] = item(string(rune('a'+i%26))+strings.Repeat("x", i/26), gib/2, i)
	}
	// 1,000 GiB in 2,000 archives; budget 250 GiB a day: 4 days (0..3).
	p, err := Make(items, Options{Tier: Standard, BytesPerDay: 250 * gib, Prices: USEast1()})
	if err != nil {
		t.Fatal(err)
	}
	want := map[Tier]struct{ data, req float64 }{
		Bulk:      {2.50, 0.05},
		Standard:  {10.00, 0.10},
		Expedited: {30.00, 20.00},
	}
	if len(p.Estimates) != 3 {
		t.Fatalf("estimates: %+v", p.Estimates)
	}
	for _, e := range p.Estimates {
		w := want[e.Tier]
		if math.Abs(e.RetrievalCost-w.data) > 1e-9 || math.Abs(e.RequestCost-w.req) > 1e-9 || math.Abs(e.TotalCost-w.data-w.req) > 1e-9 {
			t.Errorf("%s: %+v, want data $%.2f requests $%.2f", e.Tier, e, w.data, w.req)
		}
		price := USEast1()[e.Tier]
		if e.MinDuration != 3*24*time.Hour+price.MinWait || e.MaxDuration != 3*24*time.Hour+price.MaxWait {
			t.Errorf("%s: durations %v – %v", e.Tier, e.MinDuration, e.MaxDuration)
		}
	}
	if len(p.Batches) != 4 {
		t.Errorf("%d batches, want 4", len(p.Batches))
	}
}

func TestNoBudgetAndPolicy(t *testing.T) {
	items := []Item{item("a", 10*gib, 0), item("b", 10*gib, 1), item("c", 10*gib, 2)}
	p, err := Make(items, Options{Tier: Bulk, Prices: USEast1(), PolicyBytesPerHour: gib / 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Batches) != 1 || p.Batches[0].Count != 3 || p.BytesPerDay != 0 {
		t.Errorf("Bulk without budget: %+v, budget %d (the policy binds Standard only)", p.Batches, p.BytesPerDay)
	}
	// The BytesPerHour policy (12 GiB/day) binds Standard: one archive a day.
	p, err = Make(items, Options{Tier: Standard, Prices: USEast1(), PolicyBytesPerHour: gib / 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Batches) != 3 || p.BytesPerDay != 12*gib || p.Batches[2].Day != 2 {
		t.Errorf("Standard under the policy: %+v, budget %d", p.Batches, p.BytesPerDay)
	}
	for _, e := range p.Estimates {
		if e.Tier == Bulk && e.MaxDuration != 12*time.Hour {
			t.Errorf("Bulk without budget takes one job's wait, got %v", e.MaxDuration)
		}
	}
}

func TestMakeErrorsAndEmpty(t *testing.T) {
	if _, err := Make(nil, Options{Tier: "Glacial", Prices: USEast1()}); err == nil {
		t.Error("unknown tier accepted")
	}
	if _, err := Make(nil, Options{Tier: Bulk, BytesPerDay: -1, Prices: USEast1()}); err == nil {
		t.Error("negative budget accepted")
	}
	p, err := Make(nil, Options{Tier: Bulk, BytesPerDay: gib, Prices: USEast1()})
	if err != nil || len(p.Batches) != 0 || p.Estimates[0].TotalCost != 0 || p.Estimates[0].MaxDuration != 0 {
		t.Errorf("empty plan: %+v, %v", p, err)
	}
	if tier, err := ParseTier("bulk"); err != nil || tier != Bulk {
		t.Errorf("ParseTier(bulk) = %v, %v", tier, err)
	}
}

func TestWrite(t *testing.T) {
	p, err := Make([]Item{item("a", 3*gib, 0), item("b", 1, 1)}, Options{Tier: Bulk, BytesPerDay: 2 * gib, Prices: USEast1()})
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if err := WriteText(&text, p); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2 archives, 3.00 GiB", "budget 2.00 GiB/day", "Bulk *", "$0.01", "k/a", "k/b", "2 days of budget"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text plan lacks %q:\n%s", want, text.String())
		}
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, p); err != nil {
		t.Fatal(err)
	}
	var back Plan
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(p, back); d != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", d)
	}
}

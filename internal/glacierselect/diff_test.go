package glacierselect

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// genRecords makes n records: _1 an integer, _2 a string with CSV's special
// characters, _3 one of a few short strings, _4 present half the time.
func genRecords(rng *rand.Rand, n int) [][]string {
	alphabet := []rune("ab, \"\nxyzé'")
	third := []string{"x", "y", "z", ""}
	recs := make([][]string, n)
	for i := range recs {
		var s strings.Builder
		for range rng.IntN(7) {
			s.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		rec := []string{strconv.Itoa(rng.IntN(101) - 50), s.String(), third[rng.IntN(len(third))]}
		if rng.IntN(2) == 0 {
			rec = append(rec, "d"+strconv.Itoa(i))
		}
		recs[i] = rec
	}
	return recs
}

// oracle is one query and the same query in plain Go: keep selects, out
// projects.
type oracle struct {
	sql  string
	keep func(r []string) bool
	out  func(r []string) []string
}

func col(r []string, i int) (string, bool) {
	if i < len(r) {
		return r[i], true
	}
	return "", false
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func oracles(rng *rand.Rand) []oracle {
	k, lo := rng.IntN(81)-40, rng.IntN(60)-30
	hi := lo + rng.IntN(40)
	v := []string{"x", "y", "z"}[rng.IntN(3)]
	all := func(r []string) []string { return r }
	return []oracle{
		{fmt.Sprintf("SELECT * FROM ARCHIVE WHERE CAST(_1 AS INT) > %d", k),
			func(r []string) bool { return atoi(r[0]) > k }, all},
		{fmt.Sprintf("SELECT s._2, s._1 FROM ARCHIVE s WHERE s._3 = '%s'", v),
			func(r []string) bool { return r[2] == v }, func(r []string) []string { return []string{r[1], r[0]} }},
		{"SELECT _2 FROM ARCHIVE WHERE _2 LIKE 'a%'",
			func(r []string) bool { return strings.HasPrefix(r[1], "a") }, func(r []string) []string { return r[1:2] }},
		{"SELECT _1, _2 FROM ARCHIVE WHERE _2 LIKE '%,_'",
			func(r []string) bool {
				rs := []rune(r[1])
				return len(rs) >= 2 && rs[len(rs)-2] == ','
			}, func(r []string) []string { return r[:2] }},
		{fmt.Sprintf("SELECT _1 FROM ARCHIVE WHERE CAST(_1 AS INT) BETWEEN %d AND %d", lo, hi),
			func(r []string) bool { n := atoi(r[0]); return n >= lo && n <= hi }, func(r []string) []string { return r[:1] }},
		{"SELECT _1, _3 FROM ARCHIVE WHERE _3 IN ('x', 'z')",
			func(r []string) bool { return r[2] == "x" || r[2] == "z" }, func(r []string) []string { return []string{r[0], r[2]} }},
		{"SELECT _1 FROM ARCHIVE WHERE _4 IS NULL",
			func(r []string) bool { _, ok := col(r, 3); return !ok }, func(r []string) []string { return r[:1] }},
		{"SELECT _4, UPPER(_2), CHAR_LENGTH(_2) FROM ARCHIVE WHERE _4 IS NOT NULL AND NOT (_3 = 'x')",
			func(r []string) bool { _, ok := col(r, 3); return ok && r[2] != "x" },
			func(r []string) []string {
				return []string{r[3], strings.ToUpper(r[1]), strconv.Itoa(utf8.RuneCountInString(r[1]))}
			}},
		{"SELECT CAST(_1 AS INT) * 3 + 1, _3 FROM ARCHIVE WHERE CAST(_1 AS INT) % 2 = 0 OR _3 = 'y'",
			func(r []string) bool { return atoi(r[0])%2 == 0 || r[2] == "y" },
			func(r []string) []string { return []string{strconv.Itoa(atoi(r[0])*3 + 1), r[2]} }},
		{"SELECT _1 || '-' || _3 FROM ARCHIVE WHERE _3 <> ''",
			func(r []string) bool { return r[2] != "" }, func(r []string) []string { return []string{r[0] + "-" + r[2]} }},
		{"SELECT _1, SUBSTRING(_2, 2, 3), LOWER(_3) FROM ARCHIVE WHERE _1 < 0",
			func(r []string) bool { return atoi(r[0]) < 0 },
			func(r []string) []string {
				rs := []rune(r[1])
				sub := ""
				if len(rs) > 1 {
					sub = string(rs[1:min(len(rs), 4)])
				}
				return []string{r[0], sub, r[2]}
			}},
		{"SELECT _1, CASE WHEN _3 = 'x' THEN 'ex' WHEN _3 = '' THEN 'none' ELSE _3 END FROM ARCHIVE",
			func([]string) bool { return true },
			func(r []string) []string {
				m := map[string]string{"x": "ex", "": "none"}
				if s, ok := m[r[2]]; ok {
					return []string{r[0], s}
				}
				return []string{r[0], r[2]}
			}},
	}
}

// TestDifferential checks each query against plain Go over generated
// records, for several seeds.
func TestDifferential(t *testing.T) {
	for seed := range uint64(8) {
		rng := rand.New(rand.NewPCG(seed, 42))
		recs := genRecords(rng, 400)
		var in bytes.Buffer
		w := csv.NewWriter(&in)
		if err := w.WriteAll(recs); err != nil {
			t.Fatal(err)
		}
		for _, o := range oracles(rng) {
			var want [][]string
			for _, r := range recs {
				if o.keep(r) {
					want = append(want, slices.Clone(o.out(r)))
				}
			}
			out, err := runSQL(t, o.sql, CSVInput{}, CSVOutput{}, in.String())
			if err != nil {
				t.Fatalf("seed %d %s: %v", seed, o.sql, err)
			}
			cr := csv.NewReader(strings.NewReader(out))
			cr.FieldsPerRecord = -1
			got, err := cr.ReadAll()
			if err != nil {
				t.Fatalf("seed %d %s: output is not CSV: %v\n%q", seed, o.sql, err, out)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Fatalf("seed %d %s (-plain Go +select):\n%s", seed, o.sql, d)
			}
		}
	}
}

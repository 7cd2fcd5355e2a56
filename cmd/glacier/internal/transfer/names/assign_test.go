package names

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2015, 3, 1, 12, 0, 0, 0, time.UTC)

func keys(names []Name) map[string]string {
	m := map[string]string{}
	for _, n := range names {
		m[n.ArchiveID] = n.Key
	}
	return m
}

func TestAssignCollisionsAndFallback(t *testing.T) {
	archives := []Archive{
		{ID: "c", Created: t0.Add(2 * time.Hour), Description: "photos/a.jpg"},
		{ID: "a", Created: t0.Add(time.Hour), Description: "<m><v>4</v><p>cGhvdG9zL2EuanBn</p><lm>20150301T120000Z</lm></m>"}, // photos/a.jpg
		{ID: "b", Created: t0.Add(time.Hour), Description: "/photos/./a.jpg"},
		{ID: "d", Created: t0, Description: "photos/a-2.jpg"}, // its own name; a suffix must not take it
		{ID: "e", Created: t0, Description: ""},
		{ID: "f", Created: t0, Description: "mt2 %%%"},
		{ID: "g", Created: t0, Description: "archive.tar.gz"},
		{ID: "h", Created: t0.Add(time.Minute), Description: "archive.tar.gz"},
		{ID: "i", Created: t0, Description: ".bashrc"},
		{ID: "j", Created: t0.Add(time.Minute), Description: ".bashrc"},
		{ID: "k", Created: t0, Description: strings.Repeat("x", 1030)},
	}
	got, err := Assign(archives, Options{Prefix: "/vault-photos/"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"a": "vault-photos/photos/a.jpg", // oldest, then lower ID
		"b": "vault-photos/photos/a-3.jpg",
		"c": "vault-photos/photos/a-4.jpg",
		"d": "vault-photos/photos/a-2.jpg",
		"e": "vault-photos/_undecodable/e",
		"f": "vault-photos/_undecodable/f",
		"g": "vault-photos/archive.tar.gz",
		"h": "vault-photos/archive.tar-2.gz",
		"i": "vault-photos/.bashrc",
		"j": "vault-photos/.bashrc-2",
		"k": "vault-photos/_undecodable/k", // too long
	}
	if d := cmp.Diff(want, keys(got)); d != "" {
		t.Errorf("keys (-want +got):\n%s", d)
	}
	formats := map[string]Format{}
	for _, n := range got {
		formats[n.ArchiveID] = n.Format
	}
	if formats["a"] != FastGlacier || formats["e"] != Empty || formats["f"] != Undecodable || formats["k"] != Undecodable {
		t.Errorf("formats = %v", formats)
	}
}

func TestAssignOverrides(t *testing.T) {
	archives := []Archive{
		{ID: "a", Created: t0, Description: "x.txt"},
		{ID: "b", Created: t0.Add(time.Hour), Description: "y.txt"},
	}
	got, err := Assign(archives, Options{Overrides: map[string]string{"b": "x.txt"}})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]string{"a": "x-2.txt", "b": "x.txt"}, keys(got)); d != "" {
		t.Errorf("override must win and push the generated key aside (-want +got):\n%s", d)
	}

	bad := []struct {
		name string
		ov   map[string]string
		want string
	}{
		{"unknown archive", map[string]string{"zz": "k"}, "unknown archive zz"},
		{"invalid key", map[string]string{"a": "../etc/passwd"}, "not a valid S3 key"},
		{"duplicate key", map[string]string{"a": "same", "b": "same"}, "given to archives a and b"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Assign(archives, Options{Overrides: tt.ov})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := Assign(append(archives, archives[0]), Options{}); err == nil {
		t.Error("a duplicated archive ID was accepted")
	}
}

func TestParseOverrides(t *testing.T) {
	in := "ArchiveId,Key\n# comment\nabc,\"photos/a, b.jpg\"\ndef,docs/x.pdf\n"
	got, err := ParseOverrides(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]string{"abc": "photos/a, b.jpg", "def": "docs/x.pdf"}, got); d != "" {
		t.Error(d)
	}
	for _, bad := range []string{"a,b\na,c\n", "a,b,c\n", "a\n"} {
		if _, err := ParseOverrides(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseOverrides(%q) accepted", bad)
		}
	}
}

// TestAssignProperties checks, over random inventories full of collisions,
// that keys are unique and valid and do not depend on the input order.
func TestAssignProperties(t *testing.T) {
	descs := []string{"", "a.jpg", "/a.jpg", "a-2.jpg", "a-3.jpg", "dir/a.jpg", "dir\\a.jpg", "..", "x",
		"ZGlyL2ZpbGUudHh0", "dir/file.txt", "mt2 !", "\x01ctl", strings.Repeat("ü", 600), "noext", "noext-2"}
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 1))
		n := 1 + r.IntN(40)
		archives := make([]Archive, n)
		ov := map[string]string{}
		for i := range archives {
			id := fmt.Sprintf("id%03d", i)
			archives[i] = Archive{ID: id, Created: t0.Add(time.Duration(r.IntN(3)) * time.Hour), Description: descs[r.IntN(len(descs))]}
			if r.IntN(10) == 0 {
				ov[id] = fmt.Sprintf("override/%d.jpg", i)
			}
		}
		o := Options{Prefix: "p", Overrides: ov}
		first, err := Assign(archives, o)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		seen := map[string]string{}
		for _, nm := range first {
			if !Valid(nm.Key) || !strings.HasPrefix(nm.Key, "p/") {
				t.Fatalf("seed %d: invalid key %q for %s", seed, nm.Key, nm.ArchiveID)
			}
			if other, dup := seen[nm.Key]; dup {
				t.Fatalf("seed %d: key %q given to %s and %s", seed, nm.Key, other, nm.ArchiveID)
			}
			seen[nm.Key] = nm.ArchiveID
		}
		if len(first) != n {
			t.Fatalf("seed %d: %d names for %d archives", seed, len(first), n)
		}
		r.Shuffle(n, func(i, j int) { archives[i], archives[j] = archives[j], archives[i] })
		again, err := Assign(archives, o)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(first, again); d != "" {
			t.Fatalf("seed %d: order-dependent (-first +shuffled):\n%s", seed, d)
		}
	}
}

func TestSummary(t *testing.T) {
	ns, err := Assign([]Archive{
		{ID: "a", Description: "x.txt"}, {ID: "b", Description: "x.txt"}, {ID: "c", Description: ""},
		{ID: "d", Description: "mt2 !"}, {ID: "e", Description: "ZGlyL2ZpbGUudHh0"},
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "2 plain, 1 base64, 1 empty, 1 undecodable; 1 renamed to resolve collisions"
	if got := Summary(ns); got != want {
		t.Errorf("Summary = %q, want %q", got, want)
	}
	if got := Summary(nil); got != "no archives" {
		t.Errorf("Summary(nil) = %q", got)
	}
}

package names

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"time"
)

// DefaultFallback is the folder, under the destination prefix, of archives
// whose description yields no usable name; their key is the archive ID.
const DefaultFallback = "_undecodable"

// Archive is what Assign needs to know of an inventory entry.
type Archive struct {
	ID          string
	Created     time.Time
	Description string
}

// Options configure Assign.
type Options struct {
	// Prefix is the destination prefix in the bucket, "" for none. Leading
	// and trailing slashes are ignored; it is sanitized like a path.
	Prefix string
	// Fallback is the folder for undecodable names (DefaultFallback if "").
	Fallback string
	// Overrides maps an archive ID to its key relative to Prefix. Each key
	// must be Valid, name a known archive and be unique; other archives
	// never receive an override's key.
	Overrides map[string]string
}

// Name is the key chosen for one archive.
type Name struct {
	ArchiveID string
	Key       string // the full S3 key, Prefix included
	Format    Format // how the description was read (Override for overrides)
	Path      string // the decoded path before sanitizing ("" if none)
	Renamed   bool   // a suffix was added to resolve a collision
}

// Assign gives every archive a unique, valid S3 key. The result is sorted
// by archive ID and is the same whatever the order of archives.
//
// Collisions are resolved by creation date, then archive ID: the oldest
// archive keeps the key, the others get "-2", "-3"… before the extension
// ("a/photo.jpg" → "a/photo-2.jpg"), skipping keys any archive already
// holds. A description that yields no name, or a key over MaxKeyBytes, puts
// the archive at Prefix/Fallback/ARCHIVE-ID. Overrides are applied last and
// win: their keys are reserved before the others are resolved.
func Assign(archives []Archive, o Options) ([]Name, error) {
	prefix := Sanitize(o.Prefix)
	fallback := cmp.Or(Sanitize(o.Fallback), DefaultFallback)
	if len(prefix)+len(fallback) > MaxKeyBytes/2 {
		return nil, fmt.Errorf("prefix and fallback folder are too long (%d bytes; at most %d)", len(prefix)+len(fallback), MaxKeyBytes/2)
	}
	byID := make(map[string]Archive, len(archives))
	for _, a := range archives {
		if _, dup := byID[a.ID]; dup {
			return nil, fmt.Errorf("archive %s appears twice in the inventory", a.ID)
		}
		if a.ID == "" || Sanitize(a.ID) != a.ID {
			return nil, fmt.Errorf("archive ID %q cannot be used in a key", a.ID)
		}
		byID[a.ID] = a
	}
	taken, err := reserveOverrides(byID, prefix, o.Overrides)
	if err != nil {
		return nil, err
	}

	names := make([]Name, 0, len(archives))
	for _, a := range archives {
		if k, ok := o.Overrides[a.ID]; ok {
			names = append(names, Name{ArchiveID: a.ID, Key: join(prefix, k), Format: Override})
			continue
		}
		names = append(names, natural(a, prefix, fallback))
	}
	// Claim in (key, created, ID) order: deterministic whatever the input order.
	slices.SortFunc(names, func(x, y Name) int {
		return cmp.Or(strings.Compare(x.Key, y.Key),
			byID[x.ArchiveID].Created.Compare(byID[y.ArchiveID].Created),
			strings.Compare(x.ArchiveID, y.ArchiveID))
	})
	// First pass: each distinct natural key goes to its first claimant, so
	// that a suffixed key never takes another archive's own name.
	var losers []int
	for i := range names {
		n := &names[i]
		if n.Format == Override {
			continue
		}
		if taken[n.Key] {
			losers = append(losers, i)
			continue
		}
		taken[n.Key] = true
	}
	for _, i := range losers {
		n := &names[i]
		n.Key = suffixed(n.Key, taken, prefix, fallback, n.ArchiveID)
		n.Renamed = true
		taken[n.Key] = true
	}
	slices.SortFunc(names, func(x, y Name) int { return strings.Compare(x.ArchiveID, y.ArchiveID) })
	return names, nil
}

// reserveOverrides checks the overrides and returns their full keys as the
// initial set of taken keys.
func reserveOverrides(byID map[string]Archive, prefix string, ov map[string]string) (map[string]bool, error) {
	taken := make(map[string]bool, len(byID))
	owner := make(map[string]string, len(ov))
	ids := slices.Sorted(maps.Keys(ov))
	var errs []error
	for _, id := range ids {
		k := ov[id]
		full := join(prefix, k)
		switch {
		case byID[id].ID == "":
			errs = append(errs, fmt.Errorf("override for unknown archive %s", id))
		case !Valid(k) || len(full) > MaxKeyBytes:
			errs = append(errs, fmt.Errorf("override key %q for archive %s is not a valid S3 key (sanitized: %q)", k, id, Sanitize(k)))
		case owner[full] != "":
			errs = append(errs, fmt.Errorf("override key %q given to archives %s and %s", k, owner[full], id))
		default:
			owner[full] = id
			taken[full] = true
		}
	}
	return taken, errors.Join(errs...)
}

// natural is the key an archive gets before collisions are resolved.
func natural(a Archive, prefix, fallback string) Name {
	p, f, ok := Decode(a.Description)
	n := Name{ArchiveID: a.ID, Format: f, Path: p}
	rel := ""
	if ok {
		rel = Sanitize(p)
	}
	if rel == "" || len(join(prefix, rel)) > MaxKeyBytes {
		n.Key = join(prefix, fallback+"/"+a.ID)
		if f != Empty {
			n.Format = Undecodable
		}
		return n
	}
	n.Key = join(prefix, rel)
	return n
}

// suffixed returns the first key of the form stem-N.ext (N ≥ 2) that is not
// taken and fits, or the archive's fallback key if none fits.
func suffixed(key string, taken map[string]bool, prefix, fallback, id string) string {
	dir, base := path.Split(key)
	ext := path.Ext(base)
	if ext == base || len(ext) > 16 { // ".bashrc", or not an extension
		ext = ""
	}
	stem := strings.TrimSuffix(base, ext)
	for n := 2; ; n++ {
		k := fmt.Sprintf("%s%s-%d%s", dir, stem, n, ext)
		if len(k) > MaxKeyBytes {
			break
		}
		if !taken[k] {
			return k
		}
	}
	fb := join(prefix, fallback+"/"+id)
	for n := 2; taken[fb]; n++ { // only if an override or a path took it
		fb = fmt.Sprintf("%s/%s/%s-%d", prefix, fallback, id, n)
	}
	return fb
}

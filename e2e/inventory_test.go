package e2e

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"github.com/google/go-cmp/cmp"

	"github.com/glacierd/glacierd/internal/app"
)

// parseCSV parses a Glacier CSV inventory: a header line, then one archive
// per line; a quoted field escapes inner quotes with a backslash.
func parseCSV(t *testing.T, b []byte) []inventoryEntry {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if lines[0] != "ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash" {
		t.Fatalf("CSV header %q", lines[0])
	}
	var out []inventoryEntry
	for _, line := range lines[1:] {
		var f []string
		for len(line) > 0 || len(f) < 5 {
			if strings.HasPrefix(line, `"`) {
				var sb strings.Builder
				i := 1
				for ; i < len(line); i++ {
					if line[i] == '\\' && i+1 < len(line) && line[i+1] == '"' {
						sb.WriteByte('"')
						i++
					} else if line[i] == '"' {
						break
					} else {
						sb.WriteByte(line[i])
					}
				}
				f = append(f, sb.String())
				line = strings.TrimPrefix(line[i+1:], ",")
				continue
			}
			v, rest, _ := strings.Cut(line, ",")
			f = append(f, v)
			line = rest
		}
		if len(f) != 5 {
			t.Fatalf("CSV line with %d fields: %q", len(f), line)
		}
		size, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			t.Fatalf("CSV size %q", f[3])
		}
		out = append(out, inventoryEntry{ArchiveId: f[0], ArchiveDescription: f[1], CreationDate: f[2], Size: size, SHA256TreeHash: f[4]})
	}
	return out
}

func TestInventoryPagingAndFormats(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	const n = 2500
	type archive struct {
		id, hash, desc string
		size           int64
	}
	uploaded := make([]archive, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			desc := fmt.Sprintf("file %d", i)
			switch i % 4 {
			case 1:
				desc = fmt.Sprintf(`photo, "summer" %d`, i)
			case 2:
				desc = fmt.Sprintf(`back\slash %d`, i)
			}
			body := fmt.Sprintf("archive %d", i)
			out, err := e.gl.UploadArchive(ctx, &glacier.UploadArchiveInput{AccountId: aws.String("-"), VaultName: aws.String("v"),
				Body: strings.NewReader(body), ArchiveDescription: aws.String(desc)})
			if err != nil {
				t.Errorf("upload %d: %v", i, err)
				return
			}
			uploaded[i] = archive{aws.ToString(out.ArchiveId), aws.ToString(out.Checksum), desc, int64(len(body))}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	want := map[string]archive{}
	for _, a := range uploaded {
		want[a.id] = a
	}

	for _, format := range []string{"JSON", "CSV"} {
		seen := map[string]int{}
		var marker *string
		pages := 0
		for {
			params := types.JobParameters{Type: aws.String("inventory-retrieval"), Format: aws.String(format),
				InventoryRetrievalParameters: &types.InventoryRetrievalJobInput{Limit: aws.String("1000"), Marker: marker}}
			job := e.initiate("v", params)
			e.clock.Advance(4*time.Hour + time.Minute)
			b, out := e.output("v", job)
			pages++
			var entries []inventoryEntry
			if format == "CSV" {
				if ct := aws.ToString(out.ContentType); ct != "text/csv" {
					t.Errorf("CSV Content-Type %q", ct)
				}
				entries = parseCSV(t, b)
			} else {
				var doc inventoryDoc
				if err := json.Unmarshal(b, &doc); err != nil {
					t.Fatalf("JSON inventory: %v", err)
				}
				if doc.VaultARN != "arn:aws:glacier:us-east-1:"+testAccount+":vaults/v" || doc.InventoryDate == "" {
					t.Errorf("inventory header: %q %q", doc.VaultARN, doc.InventoryDate)
				}
				entries = doc.ArchiveList
			}
			if len(entries) > 1000 {
				t.Fatalf("page of %d archives with Limit 1000", len(entries))
			}
			for _, en := range entries {
				seen[en.ArchiveId]++
				w, ok := want[en.ArchiveId]
				if !ok || en.SHA256TreeHash != w.hash || en.ArchiveDescription != w.desc || en.Size != w.size {
					t.Errorf("%s: entry %+v does not match the upload %+v", format, en, w)
				}
				if _, err := time.Parse(time.RFC3339, en.CreationDate); err != nil {
					t.Errorf("CreationDate %q: %v", en.CreationDate, err)
				}
			}
			d := describe(t, e, "v", job)
			if sz := aws.ToInt64(d.InventorySizeInBytes); sz != int64(len(b)) {
				t.Errorf("InventorySizeInBytes %d, output has %d bytes", sz, len(b))
			}
			marker = d.InventoryRetrievalParameters.Marker
			if marker == nil {
				break
			}
		}
		if pages != 3 {
			t.Errorf("%s: %d pages, want 3", format, pages)
		}
		if len(seen) != n {
			t.Errorf("%s: %d distinct archives, want %d", format, len(seen), n)
		}
		for id, c := range seen {
			if c != 1 {
				t.Errorf("%s: archive %.12s… listed %d times", format, id, c)
			}
		}
	}
}

func TestInventoryDateRange(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	var ids []string
	var times []time.Time
	for i := range 4 {
		times = append(times, e.clock.Now())
		id, _ := e.upload("v", []byte{byte(i)}, "")
		ids = append(ids, id)
		e.clock.Advance(time.Hour)
	}
	iso := func(t time.Time) *string { return aws.String(t.UTC().Format(time.RFC3339Nano)) }
	job := e.initiate("v", types.JobParameters{Type: aws.String("inventory-retrieval"),
		InventoryRetrievalParameters: &types.InventoryRetrievalJobInput{StartDate: iso(times[1]), EndDate: iso(times[3])}})
	e.clock.Advance(5 * time.Hour)
	b, _ := e.output("v", job)
	var doc inventoryDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range doc.ArchiveList {
		got = append(got, a.ArchiveId)
	}
	// StartDate is inclusive, EndDate exclusive.
	if diff := cmp.Diff(ids[1:3], got); diff != "" {
		t.Errorf("archives in [StartDate, EndDate) (-want +got):\n%s", diff)
	}
	d := describe(t, e, "v", job)
	if p := d.InventoryRetrievalParameters; p == nil || aws.ToString(p.StartDate) == "" || aws.ToString(p.EndDate) == "" || p.Marker != nil || aws.ToString(p.Format) != "JSON" {
		t.Errorf("InventoryRetrievalParameters: %+v", p)
	}
}

func TestInventoryCadence(t *testing.T) {
	e := start(t, func(c *app.Config) { c.InventoryInterval = 24 * time.Hour })
	e.mustCreateVault("v")
	describeVault := func() *glacier.DescribeVaultOutput {
		d, err := e.gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	id, _ := e.upload("v", []byte("twelve bytes"), "")
	maintain := func() {
		if _, err := e.m.Service.Maintain(ctx); err != nil {
			t.Fatal(err)
		}
	}
	maintain()
	if d := describeVault(); d.NumberOfArchives != 0 || d.SizeInBytes != 0 || d.LastInventoryDate != nil {
		t.Errorf("before the first inventory: %d archives, %d bytes, inventory %v", d.NumberOfArchives, d.SizeInBytes, d.LastInventoryDate)
	}
	_, err := e.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"), JobParameters: &types.JobParameters{Type: aws.String("inventory-retrieval")}})
	wantAPIError(t, err, "ResourceNotFoundException", "no inventory")

	e.clock.Advance(24*time.Hour + time.Minute)
	maintain()
	d := describeVault()
	if d.NumberOfArchives != 1 || d.SizeInBytes != 12 || d.LastInventoryDate == nil {
		t.Fatalf("after the first inventory: %d archives, %d bytes, inventory %v", d.NumberOfArchives, d.SizeInBytes, d.LastInventoryDate)
	}
	first := aws.ToString(d.LastInventoryDate)

	// An unchanged vault keeps its inventory date.
	e.clock.Advance(25 * time.Hour)
	maintain()
	if got := aws.ToString(describeVault().LastInventoryDate); got != first {
		t.Errorf("unchanged vault: inventory date moved from %s to %s", first, got)
	}
	// A deleted archive still counts until the next inventory, and the vault
	// cannot be deleted until then.
	if _, err := e.gl.DeleteArchive(ctx, &glacier.DeleteArchiveInput{AccountId: aws.String("-"), VaultName: aws.String("v"), ArchiveId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	if d := describeVault(); d.NumberOfArchives != 1 {
		t.Errorf("right after delete: %d archives, want 1 (as of the last inventory)", d.NumberOfArchives)
	}
	_, err = e.gl.DeleteVault(ctx, &glacier.DeleteVaultInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	wantAPIError(t, err, "InvalidParameterValueException", "Vault not empty or recently written to")
	// The inventory job reports the last snapshot: the archive is still there.
	if inv := e.inventory("v"); len(inv) != 1 || inv[0].ArchiveId != id {
		t.Errorf("inventory before the next snapshot: %+v", inv)
	}
	e.clock.Advance(24 * time.Hour)
	maintain()
	if d := describeVault(); d.NumberOfArchives != 0 || aws.ToString(d.LastInventoryDate) == first {
		t.Errorf("after the next inventory: %d archives, date %s", d.NumberOfArchives, aws.ToString(d.LastInventoryDate))
	}
	if inv := e.inventory("v"); len(inv) != 0 {
		t.Errorf("inventory after the snapshot: %+v", inv)
	}
	if _, err := e.gl.DeleteVault(ctx, &glacier.DeleteVaultInput{AccountId: aws.String("-"), VaultName: aws.String("v")}); err != nil {
		t.Errorf("delete vault empty at its last inventory: %v", err)
	}
}

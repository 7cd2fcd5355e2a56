package invfile

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/journal"
	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/names"
)

const hash = "0f1a2b3c4d5e6f708192a3b4c5d6e7f80f1a2b3c4d5e6f708192a3b4c5d6e7f8"

const jsonInv = `
{"VaultARN":"arn:aws:glacier:us-east-1:123456789012:vaults/photos","InventoryDate":"2015-04-07T00:26:18Z",
 "ArchiveList":[
  {"ArchiveId":"id-b","ArchiveDescription":"<m><v>4</v><p>cGhvdG9zL2EuanBn</p><lm>20150301T120000Z</lm></m>","CreationDate":"2015-03-02T10:00:00.123Z","Size":10,"SHA256TreeHash":"` + hash + `"},
  {"ArchiveId":"id-a","ArchiveDescription":"photos/a.jpg","CreationDate":"2015-03-01T10:00:00Z","Size":20,"SHA256TreeHash":"` + hash + `"},
  {"ArchiveId":"id-c","ArchiveDescription":"","CreationDate":"2015-03-03T10:00:00Z","Size":30,"SHA256TreeHash":"` + hash + `"}]}`

// Glacier's CSV: a field with a comma or quote is quoted, inner quotes as \".
const csvInv = `ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash
id-b,"<m><v>4</v><p>cGhvdG9zL2EuanBn</p><lm>20150301T120000Z</lm></m>",2015-03-02T10:00:00.123Z,10,` + hash + `
id-a,photos/a.jpg,2015-03-01T10:00:00Z,20,` + hash + `
id-c,,2015-03-03T10:00:00Z,30,` + hash + `
`

func TestReadNameAndRecord(t *testing.T) {
	want := []journal.Archive{
		{ID: "id-b", Size: 10, TreeHash: hash, Created: time.Date(2015, 3, 2, 10, 0, 0, 123e6, time.UTC),
			Description: "<m><v>4</v><p>cGhvdG9zL2EuanBn</p><lm>20150301T120000Z</lm></m>", Key: "pre/photos/a-2.jpg"},
		{ID: "id-a", Size: 20, TreeHash: hash, Created: time.Date(2015, 3, 1, 10, 0, 0, 0, time.UTC),
			Description: "photos/a.jpg", Key: "pre/photos/a.jpg"},
		{ID: "id-c", Size: 30, TreeHash: hash, Created: time.Date(2015, 3, 3, 10, 0, 0, 0, time.UTC),
			Key: "pre/_undecodable/id-c"},
	}
	for name, in := range map[string]string{"json": jsonInv, "csv": csvInv} {
		t.Run(name, func(t *testing.T) {
			as, err := Read(strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			named, _, err := Name(as, names.Options{Prefix: "pre"})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, named); d != "" {
				t.Fatalf("archives (-want +got):\n%s", d)
			}
			ctx := context.Background()
			j, err := journal.Open(ctx, filepath.Join(t.TempDir(), "j.db"), time.Now)
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			if err := j.AddArchives(ctx, named); err != nil {
				t.Fatal(err)
			}
			recs, err := j.Archives(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, r := range recs {
				keys = append(keys, r.Key)
				if r.State != journal.Pending {
					t.Errorf("%s is %s", r.ID, r.State)
				}
			}
			if d := cmp.Diff([]string{"pre/photos/a.jpg", "pre/photos/a-2.jpg", "pre/_undecodable/id-c"}, keys); d != "" {
				t.Errorf("journal keys in creation order (-want +got):\n%s", d)
			}
		})
	}
}

func TestReadRejects(t *testing.T) {
	row := func(id, date, size, h string) string {
		return "ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash\n" + id + ",d," + date + "," + size + "," + h + "\n"
	}
	bad := map[string]string{
		"no id":         row("", "2015-03-01T10:00:00Z", "1", hash),
		"bad date":      row("x", "01/03/2015", "1", hash),
		"zero size":     row("x", "2015-03-01T10:00:00Z", "0", hash),
		"short hash":    row("x", "2015-03-01T10:00:00Z", "1", "abcd"),
		"four fields":   "ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash\nx,d,2015-03-01T10:00:00Z,1\n",
		"broken json":   `{"ArchiveList":[`,
		"json bad date": `{"ArchiveList":[{"ArchiveId":"x","CreationDate":"yesterday","Size":1,"SHA256TreeHash":"` + hash + `"}]}`,
	}
	for name, in := range bad {
		if _, err := Read(strings.NewReader(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

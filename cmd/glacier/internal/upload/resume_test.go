package upload

import (
	"encoding/hex"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/internal/treehash"
)

func hashOf(b byte) [treehash.Size]byte { return treehash.Sum([]byte{b}) }

func hexOf(h [treehash.Size]byte) *string { return aws.String(hex.EncodeToString(h[:])) }

func TestParseParts(t *testing.T) {
	got, err := ParseParts([]types.PartListElement{
		{RangeInBytes: aws.String("0-1048575"), SHA256TreeHash: hexOf(hashOf(1))},
		{RangeInBytes: aws.String("2097152-2097251"), SHA256TreeHash: hexOf(hashOf(3))},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]RemotePart{
		0:       {Start: 0, Size: MiB, TreeHash: hashOf(1)},
		2 * MiB: {Start: 2 * MiB, Size: 100, TreeHash: hashOf(3)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseParts = %+v, want %+v", got, want)
	}
	for _, bad := range []types.PartListElement{
		{RangeInBytes: aws.String("10-5"), SHA256TreeHash: hexOf(hashOf(1))},
		{RangeInBytes: aws.String("nonsense"), SHA256TreeHash: hexOf(hashOf(1))},
		{RangeInBytes: aws.String("0-9"), SHA256TreeHash: aws.String("xyz")},
	} {
		if _, err := ParseParts([]types.PartListElement{bad}); err == nil {
			t.Errorf("ParseParts accepted %s / %s", aws.ToString(bad.RangeInBytes), aws.ToString(bad.SHA256TreeHash))
		}
	}
}

func TestDiff(t *testing.T) {
	plan, _ := Plan(4*MiB+10, MiB) // 5 parts, the last 10 bytes
	local := [][treehash.Size]byte{hashOf(0), hashOf(1), hashOf(2), hashOf(3), hashOf(4)}
	remote := map[int64]RemotePart{
		0:           {Start: 0, Size: MiB, TreeHash: hashOf(0)},       // intact: keep
		1 * MiB:     {Start: MiB, Size: MiB, TreeHash: hashOf(9)},     // different content: resend
		3 * MiB:     {Start: 3 * MiB, Size: 100, TreeHash: hashOf(3)}, // wrong size: resend
		4 * MiB:     {Start: 4 * MiB, Size: 10, TreeHash: hashOf(4)},  // intact last part: keep
		4*MiB + 512: {Start: 4*MiB + 512, Size: 10},                   // not at a part boundary: ignored
	}
	if got, want := Diff(plan, local, remote), []int{1, 2, 3}; !reflect.DeepEqual(got, want) {
		t.Errorf("Diff = %v, want %v", got, want)
	}
	if got := Diff(plan, local, nil); len(got) != 5 {
		t.Errorf("Diff with nothing remote = %v, want every part", got)
	}
	if got := Beyond(remote, 4*MiB+10); len(got) != 1 || got[0].Start != 4*MiB+512 {
		t.Errorf("Beyond = %+v", got)
	}
}

func TestPickUpload(t *testing.T) {
	ups := []types.UploadListElement{
		{MultipartUploadId: aws.String("old"), ArchiveDescription: aws.String("backup.tar"), PartSizeInBytes: 16 * MiB, CreationDate: aws.String("2024-01-01T00:00:00.000Z")},
		{MultipartUploadId: aws.String("new"), ArchiveDescription: aws.String("backup.tar"), PartSizeInBytes: 16 * MiB, CreationDate: aws.String("2024-02-01T00:00:00.000Z")},
		{MultipartUploadId: aws.String("size"), ArchiveDescription: aws.String("backup.tar"), PartSizeInBytes: 32 * MiB, CreationDate: aws.String("2024-03-01T00:00:00.000Z")},
		{MultipartUploadId: aws.String("desc"), ArchiveDescription: aws.String("other"), PartSizeInBytes: 16 * MiB, CreationDate: aws.String("2024-03-01T00:00:00.000Z")},
	}
	u, n := PickUpload(ups, "backup.tar", 16*MiB)
	if n != 2 || aws.ToString(u.MultipartUploadId) != "new" {
		t.Errorf("PickUpload = %s, %d; want new, 2", aws.ToString(u.MultipartUploadId), n)
	}
	if _, n := PickUpload(ups, "backup.tar", 8*MiB); n != 0 {
		t.Errorf("PickUpload matched %d uploads of another part size", n)
	}
}

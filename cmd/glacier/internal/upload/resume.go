package upload

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/internal/treehash"
)

// RemotePart is a part the vault already holds for an upload.
type RemotePart struct {
	Start, Size int64
	TreeHash    [treehash.Size]byte
}

// ParseParts converts ListParts entries ("RangeInBytes": "first-last") into
// RemoteParts keyed by start offset.
func ParseParts(parts []types.PartListElement) (map[int64]RemotePart, error) {
	out := make(map[int64]RemotePart, len(parts))
	for _, p := range parts {
		rng := aws.ToString(p.RangeInBytes)
		a, b, ok := strings.Cut(rng, "-")
		first, err1 := strconv.ParseInt(a, 10, 64)
		last, err2 := strconv.ParseInt(b, 10, 64)
		if !ok || err1 != nil || err2 != nil || first < 0 || last < first {
			return nil, fmt.Errorf("ListParts returned an invalid range %q", rng)
		}
		h, err := treehash.ParseHex(aws.ToString(p.SHA256TreeHash))
		if err != nil {
			return nil, fmt.Errorf("ListParts returned part %s with %w", rng, err)
		}
		out[first] = RemotePart{Start: first, Size: last - first + 1, TreeHash: h}
	}
	return out, nil
}

// NeedsUpload reports whether part p, whose local bytes have tree hash local,
// must be sent: the vault holds no part at its offset, or one of another size
// or content.
func NeedsUpload(remote map[int64]RemotePart, p Part, local [treehash.Size]byte) bool {
	r, ok := remote[p.Start]
	return !ok || r.Size != p.Size || r.TreeHash != local
}

// Diff returns the indexes of the planned parts that must be sent, given the
// local tree hash of each planned part and the parts the vault holds.
func Diff(plan []Part, local [][treehash.Size]byte, remote map[int64]RemotePart) []int {
	var send []int
	for i, p := range plan {
		if NeedsUpload(remote, p, local[i]) {
			send = append(send, i)
		}
	}
	return send
}

// Beyond returns the remote parts that start at or after size, which a
// completed archive of size bytes could not include: their presence means
// the upload was made from different (longer) data.
func Beyond(remote map[int64]RemotePart, size int64) []RemotePart {
	var out []RemotePart
	for _, r := range remote {
		if r.Start >= size {
			out = append(out, r)
		}
	}
	return out
}

// PickUpload returns the most recently created in-progress upload with the
// given description and part size, and how many uploads matched.
func PickUpload(uploads []types.UploadListElement, description string, partSize int64) (types.UploadListElement, int) {
	var best types.UploadListElement
	n := 0
	for _, u := range uploads {
		if aws.ToString(u.ArchiveDescription) != description || u.PartSizeInBytes != partSize {
			continue
		}
		// CreationDate is ISO 8601 UTC, so it sorts as a string.
		if n == 0 || aws.ToString(u.CreationDate) > aws.ToString(best.CreationDate) {
			best = u
		}
		n++
	}
	return best, n
}

// listUploads returns all the vault's in-progress multipart uploads.
func listUploads(ctx context.Context, api API, account, vault string) ([]types.UploadListElement, error) {
	var all []types.UploadListElement
	p := glacier.NewListMultipartUploadsPaginator(api, &glacier.ListMultipartUploadsInput{
		AccountId: aws.String(account), VaultName: aws.String(vault),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list multipart uploads: %w", err)
		}
		all = append(all, page.UploadsList...)
	}
	return all, nil
}

// listParts returns an upload's part size, description and all its parts.
func listParts(ctx context.Context, api API, account, vault, uploadID string) (int64, string, map[int64]RemotePart, error) {
	var (
		partSize int64
		desc     string
		all      []types.PartListElement
	)
	p := glacier.NewListPartsPaginator(api, &glacier.ListPartsInput{
		AccountId: aws.String(account), VaultName: aws.String(vault), UploadId: aws.String(uploadID),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return 0, "", nil, fmt.Errorf("list parts of upload %s: %w", uploadID, err)
		}
		partSize, desc = page.PartSizeInBytes, aws.ToString(page.ArchiveDescription)
		all = append(all, page.Parts...)
	}
	remote, err := ParseParts(all)
	return partSize, desc, remote, err
}

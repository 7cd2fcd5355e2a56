package e2e

import (
	"encoding/hex"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/google/go-cmp/cmp"
)

func hexOf(b [32]byte) string { return hex.EncodeToString(b[:]) }

// state is everything a client can observe of the account's stored data,
// gathered through the API: every vault's figures, every multipart upload
// with its parts, and every archive (ID, size, hash, description) from an
// inventory.
type state struct {
	Vaults map[string]vaultState
}

type vaultState struct {
	Archives, Bytes int64
	Uploads         map[string][]string // upload ID → "range hash" of each part
	Inventory       []string            // "id size hash description" per archive
}

// snapshot gathers the observable state.
func (e *env) snapshot() state {
	e.t.Helper()
	st := state{Vaults: map[string]vaultState{}}
	p := glacier.NewListVaultsPaginator(e.gl, &glacier.ListVaultsInput{AccountId: aws.String("-")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			e.t.Fatalf("snapshot: %v", err)
		}
		for _, v := range page.VaultList {
			name := aws.ToString(v.VaultName)
			vs := vaultState{Archives: v.NumberOfArchives, Bytes: v.SizeInBytes, Uploads: map[string][]string{}}
			up := glacier.NewListMultipartUploadsPaginator(e.gl, &glacier.ListMultipartUploadsInput{AccountId: aws.String("-"), VaultName: aws.String(name)})
			for up.HasMorePages() {
				upage, err := up.NextPage(ctx)
				if err != nil {
					e.t.Fatalf("snapshot uploads: %v", err)
				}
				for _, u := range upage.UploadsList {
					id := aws.ToString(u.MultipartUploadId)
					pp := glacier.NewListPartsPaginator(e.gl, &glacier.ListPartsInput{AccountId: aws.String("-"), VaultName: aws.String(name), UploadId: aws.String(id)})
					parts := []string{}
					for pp.HasMorePages() {
						ppage, err := pp.NextPage(ctx)
						if err != nil {
							e.t.Fatalf("snapshot parts: %v", err)
						}
						for _, part := range ppage.Parts {
							parts = append(parts, aws.ToString(part.RangeInBytes)+" "+aws.ToString(part.SHA256TreeHash))
						}
					}
					vs.Uploads[id] = parts
				}
			}
			for _, a := range e.inventory(name) {
				vs.Inventory = append(vs.Inventory, fmt.Sprintf("%s %d %s %q", a.ArchiveId, a.Size, a.SHA256TreeHash, a.ArchiveDescription))
			}
			sort.Strings(vs.Inventory)
			st.Vaults[name] = vs
		}
	}
	return st
}

// assertUnchanged fails the test if the observable state differs from before.
func (e *env) assertUnchanged(before state) {
	e.t.Helper()
	if diff := cmp.Diff(before, e.snapshot()); diff != "" {
		e.t.Errorf("stored state changed (-before +after):\n%s", diff)
	}
}

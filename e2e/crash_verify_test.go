package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
)

// verify checks the restarted server s against the model, after a kill, and
// settles what was in flight at the kill. It retrieves every archive the
// kill left in doubt, and sample other live ones (all if sample < 0).
func (m *crashModel) verify(ctx context.Context, t testing.TB, s *crashServer, data string, r *rand.Rand, sample int) {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	gl := s.client()
	if left := tmpEntries(t, data); len(left) > 0 {
		t.Errorf("after restart the blob store's tmp directory still holds %v", left)
	}
	m.verifyUploads(ctx, t, gl)
	doubt := m.verifyInventory(ctx, t, gl)

	var total int64
	for _, a := range m.live {
		total += a.size
	}
	d, err := gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String(crashVault)})
	if err != nil {
		t.Fatalf("describe vault: %v", err)
	}
	if d.NumberOfArchives != int64(len(m.live)) || d.SizeInBytes != total {
		t.Errorf("DescribeVault: %d archives, %d bytes; the inventory holds %d, %d", d.NumberOfArchives, d.SizeInBytes, len(m.live), total)
	}

	ids := make([]string, 0, len(m.live))
	for id := range m.live {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	if sample >= 0 && len(ids) > sample {
		ids = ids[:sample]
	}
	m.retrieveAll(ctx, t, gl, append(doubt, ids...))

	// Acknowledged deletes stay deleted: a retrieval job cannot be started.
	n := 0
	for id := range m.deleted {
		if n++; n > 3 && sample >= 0 {
			break
		}
		_, err := gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String(crashVault),
			JobParameters: &types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String("Expedited")}})
		if err == nil {
			t.Errorf("deleted archive %.12s… can be retrieved again", id)
		} else if !strings.Contains(err.Error(), "ResourceNotFoundException") {
			t.Errorf("retrieval of deleted archive %.12s…: %v, want ResourceNotFoundException", id, err)
		}
	}
}

// verifyUploads checks the active multipart uploads and their parts.
func (m *crashModel) verifyUploads(ctx context.Context, t testing.TB, gl *glacier.Client) {
	t.Helper()
	listed, err := crashUploads(ctx, gl, crashVault)
	if err != nil {
		t.Fatalf("list multipart uploads: %v", err)
	}
	for desc := range listed {
		if m.uploads[desc] == nil {
			t.Errorf("unknown multipart upload %q is listed", desc)
		}
	}
	for desc, mp := range m.uploads {
		id, ok := listed[desc]
		switch mp.state {
		case mpInitUnknown:
			mp.state, mp.id = mpGone, ""
			if ok {
				mp.state, mp.id = mpOpen, id
			}
		case mpOpen:
			if !ok {
				t.Errorf("open multipart upload %s (%.12s…) is no longer listed", desc, mp.id)
			}
		case mpCompleteUnknown, mpAbortUnknown:
			if ok {
				mp.state = mpOpen
			} else if mp.state == mpAbortUnknown {
				mp.state = mpAborted
			} // a completion is settled by the inventory
		default:
			if ok {
				t.Errorf("multipart upload %s in state %d is listed", desc, mp.state)
			}
		}
		if mp.state == mpOpen && ok {
			if id != mp.id {
				t.Errorf("multipart upload %s is listed as %.12s…, want %.12s…", desc, id, mp.id)
			}
			m.verifyParts(ctx, t, gl, mp)
		}
	}
}

// verifyParts checks every listed part's range and hash against the bytes
// the client sent, and that every acknowledged part is listed.
func (m *crashModel) verifyParts(ctx context.Context, t testing.TB, gl *glacier.Client, mp *crashMP) {
	t.Helper()
	parts, err := crashParts(ctx, gl, crashVault, mp.id)
	if err != nil {
		t.Errorf("list parts of %s: %v", mp.desc, err)
		return
	}
	seen := make([]bool, len(mp.parts))
	for _, p := range parts {
		rng := aws.ToString(p.RangeInBytes)
		a, b, _ := strings.Cut(rng, "-")
		start, err1 := strconv.ParseInt(a, 10, 64)
		end, err2 := strconv.ParseInt(b, 10, 64)
		i := int(start / crashPartSize)
		if err1 != nil || err2 != nil || i >= len(mp.parts) {
			t.Errorf("upload %s lists part %q", mp.desc, rng)
			continue
		}
		if ws, we := mp.partRange(i); start != ws || end != we {
			t.Errorf("upload %s lists part %q, want %d-%d", mp.desc, rng, ws, we)
		}
		if !mp.acked[i] && !mp.maybe[i] {
			t.Errorf("upload %s lists part %d, which was never sent", mp.desc, i)
		}
		if h := aws.ToString(p.SHA256TreeHash); h != mp.parts[i] {
			t.Errorf("upload %s part %d has hash %s, the bytes sent hash to %s", mp.desc, i, h, mp.parts[i])
		}
		seen[i] = true
	}
	for i := range mp.parts {
		if mp.acked[i] && !seen[i] {
			t.Errorf("acknowledged part %d of upload %s is not listed", i, mp.desc)
		}
		if mp.maybe[i] && seen[i] && !mp.acked[i] {
			m.stats.partsObserved++
		}
		mp.acked[i], mp.maybe[i] = seen[i], false
	}
}

// verifyInventory checks the inventory against the model, settles archives
// in doubt, and returns the IDs of those the kill left in doubt that exist.
func (m *crashModel) verifyInventory(ctx context.Context, t testing.TB, gl *glacier.Client) []string {
	t.Helper()
	list, err := crashInventory(ctx, gl, crashVault)
	if err != nil {
		t.Fatalf("inventory: %v", err)
	}
	inv := map[string]inventoryEntry{}
	for _, e := range list {
		if _, dup := inv[e.ArchiveId]; dup {
			t.Errorf("inventory lists %.12s… twice", e.ArchiveId)
		}
		inv[e.ArchiveId] = e
	}
	same := func(e inventoryEntry, a crashArchive) error {
		if e.ArchiveDescription != a.desc || e.Size != a.size || e.SHA256TreeHash != a.hash {
			return fmt.Errorf("inventory has (%q, %d bytes, %s), the client sent (%q, %d bytes, %s)",
				e.ArchiveDescription, e.Size, e.SHA256TreeHash, a.desc, a.size, a.hash)
		}
		return nil
	}
	for id, a := range m.live {
		e, ok := inv[id]
		if !ok {
			t.Errorf("acknowledged archive %.12s… (%s, %d bytes) is missing from the inventory", id, a.desc, a.size)
			continue
		}
		if err := same(e, a); err != nil {
			t.Errorf("archive %.12s…: %v", id, err)
		}
		delete(inv, id)
	}
	var doubt []string
	for id, a := range m.deleting {
		m.stats.resolvedDeletes++
		delete(m.deleting, id)
		e, ok := inv[id]
		if !ok {
			m.deleted[id] = true
			continue
		}
		if err := same(e, a); err != nil {
			t.Errorf("archive %.12s… whose delete was cut short: %v", id, err)
		}
		m.live[id] = a
		doubt = append(doubt, id)
		delete(inv, id)
	}
	for id := range m.deleted {
		if _, ok := inv[id]; ok {
			t.Errorf("deleted archive %.12s… is in the inventory again", id)
			delete(inv, id)
		}
	}
	// What is left must come from uploads the kill cut short.
	byDesc := map[string]crashArchive{}
	for d, a := range m.pending {
		byDesc[d] = a
	}
	for d, mp := range m.uploads {
		if mp.state == mpCompleteUnknown {
			byDesc[d] = crashArchive{desc: d, size: mp.size, hash: mp.hash}
		}
	}
	for id, e := range inv {
		a, ok := byDesc[e.ArchiveDescription]
		if !ok {
			t.Errorf("inventory lists archive %.12s… (%q, %d bytes) that no client uploaded", id, e.ArchiveDescription, e.Size)
			continue
		}
		if err := same(e, a); err != nil {
			t.Errorf("archive %.12s… whose upload was cut short: %v", id, err)
		}
		delete(byDesc, a.desc)
		m.live[id] = a
		doubt = append(doubt, id)
		m.stats.unackedStored++
		if mp := m.uploads[a.desc]; mp != nil {
			mp.state = mpCompleted
		}
	}
	for d := range byDesc {
		m.stats.unackedLost++
		if mp := m.uploads[d]; mp != nil {
			t.Errorf("upload %s whose Complete was cut short is neither listed nor an archive", d)
			mp.state = mpGone
		}
	}
	clear(m.pending)
	return doubt
}

// retrieveAll downloads the archives, four at a time, and checks each one's
// size and tree hash.
func (m *crashModel) retrieveAll(ctx context.Context, t testing.TB, gl *glacier.Client, ids []string) {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	work := make(chan string)
	for range 4 {
		wg.Go(func() {
			for id := range work {
				a := m.live[id]
				n, h, err := crashRetrieve(ctx, gl, crashVault, id)
				mu.Lock()
				switch {
				case err != nil:
					t.Errorf("retrieve archive %.12s… (%s): %v", id, a.desc, err)
				case n != a.size || h != a.hash:
					t.Errorf("archive %.12s… (%s) holds %d bytes hashing to %s, want %d bytes hashing to %s", id, a.desc, n, h, a.size, a.hash)
				}
				m.stats.retrieved++
				m.stats.retrievedBytes += n
				mu.Unlock()
			}
		})
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
}

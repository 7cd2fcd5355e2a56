package e2e

import (
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/glacierd/glacierd/internal/treehash"
)

// crashPartSize is the part size of the crash test's multipart uploads.
const crashPartSize = 1 << 20

// crashArchive is an archive as the client knows it.
type crashArchive struct {
	desc string
	size int64
	hash string
}

// mpState is what the client knows of a multipart upload.
type mpState int

const (
	mpInitUnknown     mpState = iota // Initiate was in flight at a kill
	mpOpen                           // initiated (acknowledged or observed), not finished
	mpCompleteUnknown                // Complete was in flight at a kill
	mpCompleted                      // Complete acknowledged (or observed)
	mpAbortUnknown                   // Abort was in flight at a kill
	mpAborted                        // Abort acknowledged (or observed)
	mpGone                           // the Initiate in flight at a kill did not take
)

// crashMP is one multipart upload of the crash test. Its bytes are
// crashBytes(seed, size); part i is bytes [i*crashPartSize, …).
type crashMP struct {
	desc  string
	seed  uint64
	size  int64
	parts []string // tree hash of each part
	hash  string   // of the whole archive
	id    string
	state mpState
	acked []bool // part acknowledged (or observed)
	maybe []bool // part upload in flight at a kill
	busy  bool   // a worker is using the upload
}

func newCrashMP(desc string, seed uint64, size int64) *crashMP {
	data := crashBytes(seed, size)
	n := (size + crashPartSize - 1) / crashPartSize
	mp := &crashMP{desc: desc, seed: seed, size: size, acked: make([]bool, n), maybe: make([]bool, n)}
	hashes := make([][32]byte, n)
	for i := range n {
		hashes[i] = treehash.Sum(data[i*crashPartSize : min(size, (i+1)*crashPartSize)])
		mp.parts = append(mp.parts, hexHash(hashes[i]))
	}
	mp.hash = hexHash(treehash.Combine(hashes))
	return mp
}

// partRange returns the inclusive byte range of part i.
func (mp *crashMP) partRange(i int) (int64, int64) {
	start := int64(i) * crashPartSize
	return start, min(mp.size, start+crashPartSize) - 1
}

// crashModel is everything the clients know about the vault's contents.
type crashModel struct {
	mu       sync.Mutex
	next     int
	live     map[string]crashArchive // acknowledged (or observed) and not deleted
	deleted  map[string]bool         // delete acknowledged (or observed)
	deleting map[string]crashArchive // delete in flight at a kill
	busy     map[string]bool         // live archives a worker is deleting
	pending  map[string]crashArchive // single uploads in flight at a kill, by description
	uploads  map[string]*crashMP     // by description
	leaks    map[string]bool         // leaked blob files already reported
	stats    crashStats
}

// crashStats are the figures the test reports.
type crashStats struct {
	rounds, midUpload, midAny                 int
	ackedSingles, ackedCompletes, ackedDelete int
	ackedParts, ackedAborts                   int
	unackedStored, unackedLost                int // single uploads and completes in flight at a kill
	resolvedDeletes, partsObserved            int
	retrieved, retrievedBytes                 int64
	cutUploads                                int
}

func newCrashModel() *crashModel {
	return &crashModel{
		live: map[string]crashArchive{}, deleted: map[string]bool{}, deleting: map[string]crashArchive{},
		busy: map[string]bool{}, pending: map[string]crashArchive{}, uploads: map[string]*crashMP{},
		leaks: map[string]bool{},
	}
}

// desc returns a fresh archive description.
func (m *crashModel) desc(kind string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.next++
	return fmt.Sprintf("crash-%s-%d", kind, m.next)
}

// beginSingle records a single upload about to be sent.
func (m *crashModel) beginSingle(a crashArchive) {
	m.mu.Lock()
	m.pending[a.desc] = a
	m.mu.Unlock()
}

// endSingle records the outcome of a single upload: acknowledged with id,
// unknown (in flight at a kill), or refused.
func (m *crashModel) endSingle(a crashArchive, id string, acked, unknown bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if unknown {
		return
	}
	delete(m.pending, a.desc)
	if acked {
		m.live[id] = a
		m.stats.ackedSingles++
	}
}

// pickDelete takes a random live archive for deletion, if there are enough.
func (m *crashModel) pickDelete(r *rand.Rand, keep int) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.live)-len(m.busy) <= keep {
		return "", false
	}
	skip := r.IntN(len(m.live))
	for id := range m.live {
		if skip--; skip < 0 && !m.busy[id] {
			m.busy[id] = true
			return id, true
		}
	}
	return "", false
}

// endDelete records the outcome of a DeleteArchive.
func (m *crashModel) endDelete(id string, acked, unknown bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.busy, id)
	switch {
	case acked:
		delete(m.live, id)
		m.deleted[id] = true
		m.stats.ackedDelete++
	case unknown:
		m.deleting[id] = m.live[id]
		delete(m.live, id)
	}
}

// addUpload registers a new multipart upload, owned by the caller.
func (m *crashModel) addUpload(mp *crashMP) {
	m.mu.Lock()
	mp.busy = true
	m.uploads[mp.desc] = mp
	m.mu.Unlock()
}

// pickOpen takes an open upload no worker is using, if any.
func (m *crashModel) pickOpen() *crashMP {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, mp := range m.uploads {
		if mp.state == mpOpen && !mp.busy {
			mp.busy = true
			return mp
		}
	}
	return nil
}

// update changes an upload under the model's lock.
func (m *crashModel) update(fn func()) {
	m.mu.Lock()
	fn()
	m.mu.Unlock()
}

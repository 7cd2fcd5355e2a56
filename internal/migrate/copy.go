package migrate

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/glacierd/glacierd/internal/blobref"
	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/storeset"
)

// Paging and timing of Run.
const (
	// migratePage is how many records one source transaction reads.
	migratePage = 200
	// intentGrace is how long a blob written by Run may stay
	// unreferenced in the destination before the server collects it: long
	// enough for an interrupted migration to be resumed.
	intentGrace = 7 * 24 * time.Hour
	// deletedKeep is how long after a deleted archive's last retrieval job
	// completes its bytes are kept in the destination (the server keeps
	// them for the job retention, 24 hours unscaled at most).
	deletedKeep = 24 * time.Hour
)

// farFuture is a time after every record's, for listing all of them.
func farFuture() time.Time { return time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC) }

// migrator is one run of Run.
type migrator struct {
	src, dst    *storeset.Set
	log         *slog.Logger
	resume      bool
	workers     int
	intentUntil time.Time // when unclaimed blobs written by this run may be collected

	mu  sync.Mutex
	rep Report
}

// add updates the report under the lock.
func (m *migrator) add(f func(*Report)) {
	m.mu.Lock()
	f(&m.rep)
	m.mu.Unlock()
}

// report returns a copy of the report so far.
func (m *migrator) report() Report {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.rep
	r.Failed = slices.Clone(r.Failed)
	return r
}

// copyAccount copies the account's settings and vaults.
func (m *migrator) copyAccount(ctx context.Context, account string) error {
	var pol glacier.RetrievalPolicy
	var hasPol bool
	var caps []glacier.Capacity
	if err := m.src.Meta.View(ctx, func(tx glacier.Tx) error {
		var err error
		pol, err = tx.RetrievalPolicy(account)
		hasPol = err == nil
		if err != nil && !glacier.IsKind(err, glacier.KindNotFound) {
			return err
		}
		caps, err = tx.Capacities(account, time.Time{}) // all, expired ones too
		return err
	}); err != nil {
		return fmt.Errorf("source: account %s: %w", account, err)
	}
	if err := m.dst.Meta.Update(ctx, func(tx glacier.Tx) error {
		if hasPol {
			if err := tx.PutRetrievalPolicy(account, pol); err != nil {
				return err
			}
		}
		for _, c := range caps {
			if err := tx.PutCapacity(c); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("destination: account %s: %w", account, err)
	}
	m.add(func(r *Report) {
		r.Capacities += len(caps)
		if hasPol {
			r.Policies++
		}
	})
	for after := ""; ; {
		var vs []glacier.Vault
		if err := m.src.Meta.View(ctx, func(tx glacier.Tx) (err error) {
			vs, err = tx.Vaults(account, after, migratePage)
			return err
		}); err != nil {
			return fmt.Errorf("source: vaults of %s: %w", account, err)
		}
		for _, v := range vs {
			if err := m.copyVault(ctx, v); err != nil {
				return err
			}
		}
		if len(vs) < migratePage {
			return nil
		}
		after = vs[len(vs)-1].Name
	}
}

// copyVault copies the vault record and configuration, then its archives,
// active uploads and jobs.
func (m *migrator) copyVault(ctx context.Context, v glacier.Vault) error {
	name := v.Account + "/" + v.Name
	var cfg glacier.VaultConfig
	hasCfg := false
	if err := m.src.Meta.View(ctx, func(tx glacier.Tx) error {
		var err error
		cfg, err = tx.VaultConfig(v.Account, v.Name)
		hasCfg = err == nil
		if glacier.IsKind(err, glacier.KindNotFound) {
			return nil
		}
		return err
	}); err != nil {
		return fmt.Errorf("source: vault %s: %w", name, err)
	}
	if err := m.dst.Meta.Update(ctx, func(tx glacier.Tx) error {
		if m.resume {
			old, err := tx.Vault(v.Account, v.Name)
			if err == nil && !old.CreatedAt.Equal(v.CreatedAt) {
				return fmt.Errorf("the destination holds a different vault %s (created %s; the source's was created %s)",
					name, old.CreatedAt.Format(time.RFC3339Nano), v.CreatedAt.Format(time.RFC3339Nano))
			}
			if err != nil && !glacier.IsKind(err, glacier.KindNotFound) {
				return err
			}
		}
		if err := tx.PutVault(v); err != nil {
			return err
		}
		if hasCfg {
			return tx.PutVaultConfig(cfg)
		}
		return nil
	}); err != nil {
		return fmt.Errorf("destination: vault %s: %w", name, err)
	}
	m.add(func(r *Report) {
		r.Vaults++
		if hasCfg {
			r.VaultConfigs++
		}
	})
	if err := m.copyArchives(ctx, v); err != nil {
		return err
	}
	if err := m.copyActiveUploads(ctx, v); err != nil {
		return err
	}
	if err := m.copyJobs(ctx, v); err != nil {
		return err
	}
	m.log.Info("vault migrated", "vault", name, "archives", v.Archives, "bytes", v.Bytes)
	return nil
}

// copyArchives copies every archive of the vault, deleted ones too, a page
// at a time, workers at once.
func (m *migrator) copyArchives(ctx context.Context, v glacier.Vault) error {
	q := glacier.ArchiveQuery{Account: v.Account, Vault: v.Name, Limit: migratePage}
	for {
		var page []glacier.Archive
		if err := m.src.Meta.View(ctx, func(tx glacier.Tx) error {
			page = page[:0]
			return tx.ScanArchives(q, func(a glacier.Archive) error {
				page = append(page, a)
				return nil
			})
		}); err != nil {
			return fmt.Errorf("source: archives of %s/%s: %w", v.Account, v.Name, err)
		}
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(m.workers)
		for _, a := range page {
			g.Go(func() error { return m.copyArchive(gctx, a) })
		}
		if err := g.Wait(); err != nil {
			return err
		}
		if len(page) < migratePage {
			return nil
		}
		last := page[len(page)-1]
		q.AfterCreated, q.AfterID = last.CreatedAt, last.ID
	}
}

// copyArchive copies one archive: its bytes, verified against its tree
// hash, then its record. A live archive whose bytes are missing or wrong is
// recorded in the report's Failed list (the run goes on, and fails at the
// end); a deleted one is copied without bytes.
func (m *migrator) copyArchive(ctx context.Context, a glacier.Archive) error {
	deleted := !a.DeletedAt.IsZero()
	keys := blobref.SegmentKeys(a.Segments...)
	present, err := m.archivePresent(ctx, a)
	if err != nil {
		return err
	}
	var keep time.Time
	if deleted {
		if keep, err = m.keepDeleted(ctx, a); err != nil {
			return err
		}
	}
	// A deleted archive's bytes that the source was about to collect
	// are not worth copying.
	withBytes := !deleted || keep.After(time.Now())
	if !present && withBytes {
		bad, err := m.copySegments(ctx, a.Segments, a.Size, a.TreeHash)
		switch {
		case err != nil:
			return fmt.Errorf("archive %s of vault %s/%s: %w", a.ID, a.Account, a.Vault, err)
		case bad != nil && deleted:
			m.log.Warn("a deleted archive's bytes are gone or damaged; copying its record without them",
				"archive", a.ID, "vault", a.Account+"/"+a.Vault, "reason", bad)
			withBytes = false
		case bad != nil:
			m.fail(fmt.Sprintf("archive %s of vault %s/%s (%d bytes, created %s): %v", a.ID, a.Account, a.Vault,
				a.Size, a.CreatedAt.Format(time.RFC3339), bad))
			return nil
		}
	}
	if err := m.dst.Meta.Update(ctx, func(tx glacier.Tx) error {
		for _, k := range keys {
			if !withBytes {
				break // the intents stay: the collector removes whatever is left
			}
			if _, err := tx.DeleteGarbage(k); err != nil {
				return err
			}
			if deleted {
				if err := tx.PutGarbage(k, keep); err != nil {
					return err
				}
			}
		}
		return tx.PutArchive(a)
	}); err != nil {
		return fmt.Errorf("destination: archive %s: %w", a.ID, err)
	}
	m.add(func(r *Report) {
		switch {
		case present:
			r.AlreadyPresent++
		case !withBytes:
			r.DeletedWithoutBytes++
		}
		if deleted {
			r.DeletedArchives++
		} else {
			r.LiveArchives++
		}
	})
	return nil
}

// archivePresent reports whether a resumed migration already copied the
// archive (its record exists in the destination with the same bytes). A
// record with the same ID and other bytes is an error.
func (m *migrator) archivePresent(ctx context.Context, a glacier.Archive) (bool, error) {
	if !m.resume {
		return false, nil
	}
	var old glacier.Archive
	err := m.dst.Meta.View(ctx, func(tx glacier.Tx) (err error) {
		old, err = tx.Archive(a.ID)
		return err
	})
	switch {
	case glacier.IsKind(err, glacier.KindNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("destination: archive %s: %w", a.ID, err)
	case old.TreeHash != a.TreeHash || old.Size != a.Size || !slices.Equal(old.Segments, a.Segments):
		return false, fmt.Errorf("the destination holds a different archive %s (tree hash %s; the source's is %s)",
			a.ID, old.TreeHash, a.TreeHash)
	}
	return true, nil
}

// keepDeleted returns until when the bytes of deleted archive a must stay:
// until the retention of the last retrieval job of it ends.
func (m *migrator) keepDeleted(ctx context.Context, a glacier.Archive) (time.Time, error) {
	keep := a.DeletedAt
	err := m.src.Meta.View(ctx, func(tx glacier.Tx) error {
		jobs, err := tx.Jobs(glacier.JobQuery{Account: a.Account, Vault: a.Vault, ArchiveID: a.ID})
		for _, j := range jobs {
			if t := j.CompleteAt.Add(deletedKeep); t.After(keep) {
				keep = t
			}
		}
		return err
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("source: jobs of archive %s: %w", a.ID, err)
	}
	return keep, nil
}

// fail records a record that failed verification.
func (m *migrator) fail(what string) {
	m.log.Error("verification failed; not migrated", "what", what)
	m.add(func(r *Report) { r.Failed = append(r.Failed, what) })
}

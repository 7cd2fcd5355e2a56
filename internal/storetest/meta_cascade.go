package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

// vaultRecords is one record of every kind that belongs to a vault.
type vaultRecords struct {
	vault   glacier.Vault
	archive glacier.Archive
	deleted glacier.Archive
	upload  glacier.Upload
	parts   []glacier.Part
	job     glacier.Job
	config  glacier.VaultConfig
}

func newVaultRecords(account, name string) vaultRecords {
	p := account + "-" + name + "-"
	r := vaultRecords{
		vault:   newVault(account, name),
		archive: newArchive(p+"archive", account, name, at(-time.Hour)),
		deleted: newArchive(p+"deleted", account, name, at(-2*time.Hour)),
		upload:  newUpload(p+"upload", account, name),
		parts:   []glacier.Part{newPart(p+"upload", 0), newPart(p+"upload", 4<<30)},
		job:     newJob(p+"job", account, name, at(-time.Hour), at(-time.Minute)),
		config:  newVaultConfig(account, name),
	}
	r.deleted.DeletedAt = at(-time.Hour)
	return r
}

func (r vaultRecords) put(tx glacier.Tx) error {
	if err := tx.PutVault(r.vault); err != nil {
		return err
	}
	if err := tx.PutArchive(r.archive); err != nil {
		return err
	}
	if err := tx.PutArchive(r.deleted); err != nil {
		return err
	}
	if err := tx.PutUpload(r.upload); err != nil {
		return err
	}
	for _, p := range r.parts {
		if err := tx.PutPart(p); err != nil {
			return err
		}
	}
	if err := tx.PutJob(r.job); err != nil {
		return err
	}
	return tx.PutVaultConfig(r.config)
}

// check verifies that every record of r is present (exist) or absent.
func (r vaultRecords) check(t *testing.T, tx glacier.Tx, exist bool) error {
	t.Helper()
	what := fmt.Sprintf("vault %s/%s", r.vault.Account, r.vault.Name)
	gets := map[string]func() (any, any, error){
		"Vault":   func() (any, any, error) { v, err := tx.Vault(r.vault.Account, r.vault.Name); return r.vault, v, err },
		"Archive": func() (any, any, error) { a, err := tx.Archive(r.archive.ID); return r.archive, a, err },
		"deleted Archive": func() (any, any, error) {
			a, err := tx.Archive(r.deleted.ID)
			return r.deleted, a, err
		},
		"Upload": func() (any, any, error) { u, err := tx.Upload(r.upload.ID); return r.upload, u, err },
		"Part": func() (any, any, error) {
			p, err := tx.Part(r.upload.ID, r.parts[1].Start)
			return r.parts[1], p, err
		},
		"Job": func() (any, any, error) { j, err := tx.Job(r.job.ID); return r.job, j, err },
		"VaultConfig": func() (any, any, error) {
			c, err := tx.VaultConfig(r.vault.Account, r.vault.Name)
			return r.config, c, err
		},
	}
	for name, get := range gets {
		want, got, err := get()
		switch {
		case !exist:
			if err := errNotFound(what+": "+name, err); err != nil {
				t.Error(err)
			}
		case err != nil:
			t.Errorf("%s: %s: %v", what, name, err)
		default:
			if d := diff(want, got); d != "" {
				t.Errorf("%s: %s (-want +got):\n%s", what, name, d)
			}
		}
	}
	archives, err := scan(tx, glacier.ArchiveQuery{Account: r.vault.Account, Vault: r.vault.Name})
	if err != nil {
		return err
	}
	uploads, err := tx.Uploads(r.vault.Account, r.vault.Name, "", 0)
	if err != nil {
		return err
	}
	parts, err := tx.Parts(r.upload.ID, -1, 0)
	if err != nil {
		return err
	}
	jobs, err := tx.Jobs(glacier.JobQuery{Account: r.vault.Account, Vault: r.vault.Name, Now: t0()})
	if err != nil {
		return err
	}
	var want struct{ archives, uploads, parts, jobs int }
	if exist {
		want.archives, want.uploads, want.parts, want.jobs = 2, 1, 2, 1
	}
	got := struct{ archives, uploads, parts, jobs int }{len(archives), len(uploads), len(parts), len(jobs)}
	if got != want {
		t.Errorf("%s: listed (archives, uploads, parts, jobs) = %v, want %v", what, got, want)
	}
	return nil
}

func testVaultDeleteCascades(t *testing.T, s glacier.MetaStore) {
	doomed := newVaultRecords(acctA, "doomed")
	kept := []vaultRecords{newVaultRecords(acctA, "kept"), newVaultRecords(acctB, "doomed")}
	update(t, s, func(tx glacier.Tx) error {
		for _, r := range append(kept, doomed) {
			if err := r.put(tx); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, s, func(tx glacier.Tx) error { return tx.DeleteVault(acctA, "doomed") })
	view(t, s, func(tx glacier.Tx) error {
		if err := doomed.check(t, tx, false); err != nil {
			return err
		}
		for _, r := range kept {
			if err := r.check(t, tx, true); err != nil {
				return err
			}
		}
		jobs, err := tx.UnfinalizedJobs(at(time.Hour), 0)
		if err != nil {
			return err
		}
		if d := diff([]string{kept[0].job.ID, kept[1].job.ID}, jobIDs(jobs)); d != "" {
			t.Errorf("UnfinalizedJobs after DeleteVault (-want +got):\n%s", d)
		}
		return nil
	})
	// A vault created again under the same name starts empty.
	putVaults(t, s, doomed.vault)
	view(t, s, func(tx glacier.Tx) error {
		archives, err := scan(tx, glacier.ArchiveQuery{Account: acctA, Vault: "doomed"})
		if err != nil {
			return err
		}
		if len(archives) != 0 {
			t.Errorf("recreated vault has archives %v", archiveIDs(archives))
		}
		return nil
	})
}

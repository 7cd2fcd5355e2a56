package service

import (
	"context"
	"encoding/hex"
	"io"
	"time"

	"github.com/glacierd/glacierd/internal/blobref"
	"github.com/glacierd/glacierd/internal/glacier"
)

// UploadArchiveInput is an UploadArchive request. Body yields exactly Size
// bytes; it may fail at EOF (e.g. a payload-hash or signature check), and then
// nothing is stored.
type UploadArchiveInput struct {
	Vault       glacier.VaultRef
	Description string
	TreeHash    string // the x-amz-sha256-tree-hash header, hex
	Size        int64
	Body        io.Reader
}

// UploadArchive stores an archive and returns its record. A 201 may be sent
// once it returns: bytes and metadata are both durable.
func (s *Service) UploadArchive(ctx context.Context, c glacier.Caller, in UploadArchiveInput) (glacier.Archive, error) {
	if err := s.checkVault(ctx, c, "UploadArchive", in.Vault); err != nil {
		return glacier.Archive{}, err
	}
	if err := checkDescription(in.Description); err != nil {
		return glacier.Archive{}, err
	}
	if in.Size <= 0 || in.Size > maxArchiveSize {
		return glacier.Archive{}, glacier.Errorf(glacier.KindInvalidParameter, "Invalid Content-Length: %d", in.Size)
	}
	want, err := parseTreeHash(in.TreeHash)
	if err != nil {
		return glacier.Archive{}, err
	}
	key, err := s.writeSegment(ctx, "archive", in.Body, in.Size, want)
	if err != nil {
		return glacier.Archive{}, err
	}
	a := glacier.Archive{
		ID:          newID(archiveIDLen),
		Account:     in.Vault.Account,
		Vault:       in.Vault.Name,
		Description: in.Description,
		Size:        in.Size,
		TreeHash:    hexString(want.sum),
		Segments:    []glacier.Segment{{Key: key, Size: in.Size}},
	}
	err = s.meta.Update(ctx, func(tx glacier.Tx) error {
		if err := blobref.ClaimSegment(tx, key); err != nil {
			return err
		}
		return s.addArchive(tx, &a)
	})
	if err != nil {
		s.discardBlobs(key, blobref.LeavesKey(key))
		return glacier.Archive{}, err
	}
	return a, nil
}

// addArchive records a new archive and counts it in its vault, inside tx.
// It stamps a.CreatedAt.
func (s *Service) addArchive(tx glacier.Tx, a *glacier.Archive) error {
	v, err := tx.Vault(a.Account, a.Vault)
	if glacier.IsKind(err, glacier.KindNotFound) {
		return s.vaultNotFound(glacier.VaultRef{Account: a.Account, Name: a.Vault})
	}
	if err != nil {
		return err
	}
	a.CreatedAt = s.now()
	v.Archives++
	v.Bytes += a.Size
	v.LastWriteAt = a.CreatedAt
	if err := tx.PutArchive(*a); err != nil {
		return err
	}
	return tx.PutVault(v)
}

// DeleteArchive deletes an archive. Deleting an archive that is already
// deleted, or an ID this server never issued, succeeds.
func (s *Service) DeleteArchive(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, id string) error {
	if !wellFormedID(id, archiveIDLen) {
		return glacier.Errorf(glacier.KindInvalidParameter, "Invalid archive ID: %s", id)
	}
	return s.meta.Update(ctx, func(tx glacier.Tx) error {
		v, cfg, err := s.vaultAndConfig(tx, c, "DeleteArchive", ref)
		if err != nil {
			return err
		}
		a, err := tx.Archive(id)
		if glacier.IsKind(err, glacier.KindNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if a.Account != ref.Account || a.Vault != ref.Name {
			return glacier.Errorf(glacier.KindInvalidParameter, "Invalid vault name: %s", s.VaultARN(ref))
		}
		if !a.DeletedAt.IsZero() {
			return nil
		}
		// Again with the archive, for conditions such as glacier:ArchiveAgeInDays.
		if err := s.authorize(c, "DeleteArchive", ref, cfg, &a); err != nil {
			return err
		}
		now := s.now()
		a.DeletedAt = now
		v.Archives--
		v.Bytes -= a.Size
		v.LastWriteAt = now
		// Jobs already started on the archive can still be downloaded.
		keep := now
		jobs, err := tx.Jobs(glacier.JobQuery{Account: a.Account, Vault: a.Vault, ArchiveID: a.ID, Now: now})
		if err != nil {
			return err
		}
		for _, j := range jobs {
			keep = maxTime(keep, j.CompleteAt.Add(s.jobRetention))
		}
		for _, seg := range a.Segments {
			if err := blobref.TrashSegment(tx, seg.Key, keep); err != nil {
				return err
			}
		}
		if err := tx.PutArchive(a); err != nil {
			return err
		}
		return tx.PutVault(v)
	})
}

func hexString(b [32]byte) string { return hex.EncodeToString(b[:]) }

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

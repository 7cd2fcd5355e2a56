package service

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/glacierd/glacierd/internal/blobref"
	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/treehash"
)

// InitiateMultipartUpload starts a multipart upload of parts of partSize
// bytes and returns it.
func (s *Service) InitiateMultipartUpload(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, partSize int64, description string) (glacier.Upload, error) {
	if err := s.checkVault(ctx, c, "InitiateMultipartUpload", ref); err != nil {
		return glacier.Upload{}, err
	}
	if !validPartSize(partSize) {
		return glacier.Upload{}, glacier.Errorf(glacier.KindInvalidParameter,
			"Invalid part size: %d. Part size must not be null, must be a power of two and be between 1048576 and 4294967296 bytes.", partSize)
	}
	if err := checkDescription(description); err != nil {
		return glacier.Upload{}, err
	}
	now := s.now()
	u := glacier.Upload{
		ID:          newID(uploadIDLen),
		Account:     ref.Account,
		Vault:       ref.Name,
		Description: trimDescription(description),
		PartSize:    partSize,
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	err := s.meta.Update(ctx, func(tx glacier.Tx) error {
		if _, err := s.vault(tx, c, "InitiateMultipartUpload", ref); err != nil {
			return err
		}
		return tx.PutUpload(u)
	})
	return u, err
}

// activeUpload loads upload id of vault ref inside tx and checks that it is
// still accepting parts.
func (s *Service) activeUpload(tx glacier.Tx, c glacier.Caller, action string, ref glacier.VaultRef, id string) (glacier.Upload, error) {
	if _, err := s.vault(tx, c, action, ref); err != nil {
		return glacier.Upload{}, err
	}
	u, err := tx.Upload(id)
	return u, active(u, err, ref, id)
}

// active checks that upload u, read as id with error err, belongs to vault
// ref and still accepts parts.
func active(u glacier.Upload, err error, ref glacier.VaultRef, id string) error {
	if err != nil && !glacier.IsKind(err, glacier.KindNotFound) {
		return err
	}
	if err != nil || u.Account != ref.Account || u.Vault != ref.Name || u.State != glacier.UploadActive {
		return uploadNotFound(id)
	}
	return nil
}

func uploadNotFound(id string) error {
	return glacier.Errorf(glacier.KindNotFound, "The upload ID was not found: %s", id)
}

// UploadPartInput is an UploadMultipartPart request for the inclusive byte
// range [Start, End] of the archive.
type UploadPartInput struct {
	Vault    glacier.VaultRef
	UploadID string
	Start    int64
	End      int64
	TreeHash string
	Body     io.Reader // yields End-Start+1 bytes
}

// UploadMultipartPart stores one part, replacing any part previously
// uploaded at the same offset, and returns its tree hash.
func (s *Service) UploadMultipartPart(ctx context.Context, c glacier.Caller, in UploadPartInput) (string, error) {
	var u glacier.Upload
	err := s.meta.View(ctx, func(tx glacier.Tx) (err error) {
		u, err = s.activeUpload(tx, c, "UploadMultipartPart", in.Vault, in.UploadID)
		return err
	})
	if err != nil {
		return "", err
	}
	want, err := parseTreeHash(in.TreeHash)
	if err != nil {
		return "", err
	}
	size := in.End - in.Start + 1
	switch {
	case in.Start < 0 || size <= 0:
		return "", glacier.Errorf(glacier.KindInvalidParameter, "Invalid Content-Range: bytes %d-%d/*", in.Start, in.End)
	case in.Start%u.PartSize != 0:
		return "", glacier.Errorf(glacier.KindInvalidParameter,
			"Content-Range: bytes %d-%d/* is not aligned to the part size %d", in.Start, in.End, u.PartSize)
	case size > u.PartSize:
		return "", glacier.Errorf(glacier.KindInvalidParameter,
			"Content-Range: bytes %d-%d/* is larger than the part size %d", in.Start, in.End, u.PartSize)
	case in.Start/u.PartSize >= maxParts:
		return "", glacier.Errorf(glacier.KindInvalidParameter,
			"Content-Range: bytes %d-%d/* is past the last of %d parts", in.Start, in.End, maxParts)
	}
	key, err := s.writeSegment(ctx, "part", in.Body, size, want)
	if err != nil {
		return "", err
	}
	err = s.meta.Update(ctx, func(tx glacier.Tx) error {
		if err := blobref.ClaimSegment(tx, key); err != nil {
			return err
		}
		u, err := s.activeUpload(tx, c, "UploadMultipartPart", in.Vault, in.UploadID)
		if err != nil {
			return err
		}
		now := s.now()
		old, err := tx.Part(u.ID, in.Start)
		switch {
		case err == nil:
			if err := blobref.TrashSegment(tx, old.Key, now); err != nil {
				return err
			}
		case !glacier.IsKind(err, glacier.KindNotFound):
			return err
		}
		u.UpdatedAt = now
		if err := tx.PutUpload(u); err != nil {
			return err
		}
		return tx.PutPart(glacier.Part{UploadID: u.ID, Start: in.Start, Size: size, TreeHash: hexString(want.sum), Key: key})
	})
	if err != nil {
		s.discardBlobs(key, blobref.LeavesKey(key))
		return "", err
	}
	return hexString(want.sum), nil
}

// CompleteMultipartUpload assembles the uploaded parts into an archive of
// size bytes whose tree hash must be treeHash. Completing an upload again
// with the same size and hash returns the same archive.
func (s *Service) CompleteMultipartUpload(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, id string, size int64, treeHash string) (glacier.Archive, error) {
	want, err := parseTreeHash(treeHash)
	if err != nil {
		return glacier.Archive{}, err
	}
	var a glacier.Archive
	err = s.meta.Update(ctx, func(tx glacier.Tx) error {
		if _, err := s.vault(tx, c, "CompleteMultipartUpload", ref); err != nil {
			return err
		}
		u, err := tx.Upload(id)
		if err == nil && u.State == glacier.UploadCompleted && u.Account == ref.Account && u.Vault == ref.Name &&
			u.ArchiveSize == size && want.exact && u.TreeHash == hexString(want.sum) {
			a, err = tx.Archive(u.ArchiveID)
			return err
		}
		if err := active(u, err, ref, id); err != nil {
			return err
		}
		parts, err := tx.Parts(id, -1, 0)
		if err != nil {
			return err
		}
		if err := checkParts(u, parts, size, want); err != nil {
			return err
		}
		a = glacier.Archive{
			ID:          newID(archiveIDLen),
			Account:     ref.Account,
			Vault:       ref.Name,
			Description: u.Description,
			Size:        size,
			TreeHash:    hexString(want.sum),
			Segments:    make([]glacier.Segment, len(parts)),
		}
		for i, p := range parts {
			a.Segments[i] = glacier.Segment{Key: p.Key, Size: p.Size}
		}
		if err := s.addArchive(tx, &a); err != nil {
			return err
		}
		if err := tx.DeleteParts(id); err != nil {
			return err
		}
		u.State, u.FinishedAt = glacier.UploadCompleted, a.CreatedAt
		u.ArchiveID, u.ArchiveSize, u.TreeHash = a.ID, size, a.TreeHash
		return tx.PutUpload(u)
	})
	return a, err
}

// checkParts verifies that parts cover [0, size) in part-size steps, with
// only the last part shorter, and that their tree hashes compose to want.
func checkParts(u glacier.Upload, parts []glacier.Part, size int64, want claimedHash) error {
	if size <= 0 {
		return glacier.Errorf(glacier.KindInvalidParameter, "Invalid archive size: %d", size)
	}
	n := (size + u.PartSize - 1) / u.PartSize
	if int64(len(parts)) != n {
		missing := int64(0)
		for i, p := range parts {
			if p.Start != int64(i)*u.PartSize {
				break
			}
			missing = int64(i+1) * u.PartSize
		}
		return glacier.Errorf(glacier.KindInvalidParameter,
			"Archive size %d does not match the uploaded parts (%d parts uploaded, %d needed; first missing range starts at byte %d)",
			size, len(parts), n, missing)
	}
	hashes := make([][32]byte, len(parts))
	for i, p := range parts {
		wantStart, wantSize := int64(i)*u.PartSize, min(u.PartSize, size-int64(i)*u.PartSize)
		if p.Start != wantStart {
			return glacier.Errorf(glacier.KindInvalidParameter, "Missing part: bytes %d-%d", wantStart, wantStart+wantSize-1)
		}
		if p.Size != wantSize {
			return glacier.Errorf(glacier.KindInvalidParameter,
				"Invalid part size: part bytes %d-%d has %d bytes; it must have %d for an archive of %d bytes",
				p.Start, p.End(), p.Size, wantSize, size)
		}
		h, err := treehash.ParseHex(p.TreeHash)
		if err != nil {
			return err
		}
		hashes[i] = h
	}
	return want.check(treehash.Combine(hashes))
}

// AbortMultipartUpload discards an upload and its parts. Aborting an upload
// that is already aborted succeeds; aborting a completed one fails.
func (s *Service) AbortMultipartUpload(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, id string) error {
	return s.meta.Update(ctx, func(tx glacier.Tx) error {
		if _, err := s.vault(tx, c, "AbortMultipartUpload", ref); err != nil {
			return err
		}
		u, err := tx.Upload(id)
		if err == nil && u.State == glacier.UploadAborted && u.Account == ref.Account && u.Vault == ref.Name {
			return nil
		}
		if err := active(u, err, ref, id); err != nil {
			return err
		}
		now := s.now()
		if err := s.discardParts(tx, id, now); err != nil {
			return err
		}
		u.State, u.FinishedAt = glacier.UploadAborted, now
		return tx.PutUpload(u)
	})
}

// discardParts queues the blobs of the upload's parts for deletion and
// removes the part records, inside tx.
func (s *Service) discardParts(tx glacier.Tx, uploadID string, now time.Time) error {
	parts, err := tx.Parts(uploadID, -1, 0)
	if err != nil {
		return err
	}
	for _, p := range parts {
		if err := blobref.TrashSegment(tx, p.Key, now); err != nil {
			return err
		}
	}
	return tx.DeleteParts(uploadID)
}

// ListMultipartUploads returns up to limit active uploads of the vault after
// marker, and the marker of the next page ("" at the end).
func (s *Service) ListMultipartUploads(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, marker string, limit int) ([]glacier.Upload, string, error) {
	if marker != "" && !wellFormedID(marker, uploadIDLen) {
		return nil, "", glacier.Errorf(glacier.KindInvalidParameter, "Invalid marker: %s", marker)
	}
	var out []glacier.Upload
	next := ""
	err := s.meta.View(ctx, func(tx glacier.Tx) error {
		if _, err := s.vault(tx, c, "ListMultipartUploads", ref); err != nil {
			return err
		}
		us, err := tx.Uploads(ref.Account, ref.Name, marker, limit+1)
		if err != nil {
			return err
		}
		if len(us) > limit {
			us = us[:limit]
			next = us[limit-1].ID
		}
		out = us
		return nil
	})
	return out, next, err
}

// ListParts returns the upload and up to limit of its parts after marker, in
// offset order, with the marker of the next page ("" at the end).
func (s *Service) ListParts(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, id, marker string, limit int) (glacier.Upload, []glacier.Part, string, error) {
	after := int64(-1)
	if marker != "" {
		n, err := strconv.ParseInt(marker, 10, 64)
		if err != nil || n < 0 {
			return glacier.Upload{}, nil, "", glacier.Errorf(glacier.KindInvalidParameter, "Invalid marker: %s", marker)
		}
		after = n
	}
	var (
		u     glacier.Upload
		parts []glacier.Part
		next  string
	)
	err := s.meta.View(ctx, func(tx glacier.Tx) (err error) {
		if u, err = s.activeUpload(tx, c, "ListParts", ref, id); err != nil {
			return err
		}
		if parts, err = tx.Parts(id, after, limit+1); err != nil {
			return err
		}
		if len(parts) > limit {
			parts = parts[:limit]
			next = strconv.FormatInt(parts[limit-1].Start, 10)
		}
		return nil
	})
	return u, parts, next, err
}

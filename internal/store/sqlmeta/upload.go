package sqlmeta

import (
	"fmt"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

const uploadCols = "id, account, vault, description, part_size, created_at, updated_at, " +
	"state, finished_at, archive_id, archive_size, tree_hash"

const partCols = "upload_id, start, size, tree_hash, key"

func scanUpload(u *glacier.Upload) func(Scanner) error {
	return func(s Scanner) error {
		var state int16
		if err := s.Scan(&u.ID, &u.Account, &u.Vault, &u.Description, &u.PartSize,
			timeDest{&u.CreatedAt}, timeDest{&u.UpdatedAt}, &state, timeDest{&u.FinishedAt},
			&u.ArchiveID, &u.ArchiveSize, &u.TreeHash); err != nil {
			return err
		}
		u.State = glacier.UploadState(state)
		return nil
	}
}

func scanPart(p *glacier.Part) func(Scanner) error {
	return func(s Scanner) error {
		return s.Scan(&p.UploadID, &p.Start, &p.Size, &p.TreeHash, &p.Key)
	}
}

// Upload returns the upload, or an error of KindNotFound.
func (t *Tx) Upload(id string) (glacier.Upload, error) {
	return get(t, "upload", fmt.Sprintf("upload %s not found", id), scanUpload,
		"SELECT "+uploadCols+" FROM uploads WHERE id = ?", id)
}

// PutUpload inserts or replaces the upload; its parts are kept.
func (t *Tx) PutUpload(u glacier.Upload) error {
	_, err := t.exec("put upload", upsert("uploads", "id", uploadCols),
		u.ID, u.Account, u.Vault, u.Description, u.PartSize,
		enc(u.CreatedAt), enc(u.UpdatedAt), int16(u.State), enc(u.FinishedAt),
		u.ArchiveID, u.ArchiveSize, u.TreeHash)
	return err
}

// Uploads returns up to n active uploads of the vault with IDs after after,
// in bytewise ID order.
func (t *Tx) Uploads(account, vault, after string, n int) ([]glacier.Upload, error) {
	return collect(t, "uploads", scanUpload, "SELECT "+uploadCols+" FROM uploads"+
		" WHERE account = ? AND vault = ? AND state = 0 AND id > ? ORDER BY id LIMIT ?",
		account, vault, after, t.limit(n))
}

// StaleUploads returns up to n uploads finished before finishedBefore or
// active and last updated before activeBefore, in no particular order.
func (t *Tx) StaleUploads(finishedBefore, activeBefore time.Time, n int) ([]glacier.Upload, error) {
	// The literal state conditions let each half use its partial index. The
	// LIMIT applies to the whole UNION ALL.
	return collect(t, "stale uploads", scanUpload,
		"SELECT "+uploadCols+" FROM uploads WHERE state <> 0 AND finished_at < ?"+
			" UNION ALL SELECT "+uploadCols+" FROM uploads WHERE state = 0 AND updated_at < ? LIMIT ?",
		enc(finishedBefore), enc(activeBefore), t.limit(n))
}

// DeleteUpload deletes the upload and its parts; a missing upload is not an
// error.
func (t *Tx) DeleteUpload(id string) error {
	if err := t.DeleteParts(id); err != nil {
		return err
	}
	_, err := t.exec("delete upload", "DELETE FROM uploads WHERE id = ?", id)
	return err
}

// Part returns the part of the upload starting at start, or an error of
// KindNotFound.
func (t *Tx) Part(uploadID string, start int64) (glacier.Part, error) {
	return get(t, "part", fmt.Sprintf("part at %d of upload %s not found", start, uploadID), scanPart,
		"SELECT "+partCols+" FROM parts WHERE upload_id = ? AND start = ?", uploadID, start)
}

// PutPart inserts or replaces the part.
func (t *Tx) PutPart(p glacier.Part) error {
	_, err := t.exec("put part", upsert("parts", "upload_id, start", partCols),
		p.UploadID, p.Start, p.Size, p.TreeHash, p.Key)
	return err
}

// Parts returns up to n parts of the upload starting after byte offset after,
// in offset order.
func (t *Tx) Parts(uploadID string, after int64, n int) ([]glacier.Part, error) {
	return collect(t, "parts", scanPart,
		"SELECT "+partCols+" FROM parts WHERE upload_id = ? AND start > ? ORDER BY start LIMIT ?",
		uploadID, after, t.limit(n))
}

// DeleteParts deletes the parts of the upload and keeps the upload.
func (t *Tx) DeleteParts(uploadID string) error {
	_, err := t.exec("delete parts", "DELETE FROM parts WHERE upload_id = ?", uploadID)
	return err
}

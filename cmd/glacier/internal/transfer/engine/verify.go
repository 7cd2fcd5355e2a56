package engine

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/minio/minio-go/v7"

	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/journal"
	"github.com/glacierd/glacierd/internal/treehash"
)

// The S3 user metadata of a transferred object (x-amz-meta-…).
const (
	MetaArchiveID   = "Glacier-Archive-Id"
	MetaTreeHash    = "Glacier-Tree-Hash"
	MetaCreation    = "Glacier-Creation-Date"
	MetaDescription = "Glacier-Description"
)

// Metadata returns the S3 user metadata for archive a. A description that
// is not printable ASCII, or would lose spaces at its ends, is RFC 2047
// encoded as one word ("=?UTF-8?b?BASE64?=", which may be longer than the
// RFC's 75 characters), as S3 itself returns such values.
func Metadata(a journal.Archive) map[string]string {
	return map[string]string{
		MetaArchiveID:   a.ID,
		MetaTreeHash:    a.TreeHash,
		MetaCreation:    a.Created.UTC().Format(time.RFC3339Nano),
		MetaDescription: EncodeDescription(a.Description),
	}
}

// EncodeDescription returns d as an HTTP header value (see Metadata).
func EncodeDescription(d string) string {
	plain := d == strings.TrimSpace(d) && !strings.Contains(d, "=?")
	for i := 0; plain && i < len(d); i++ {
		plain = d[i] >= 0x20 && d[i] < 0x7f
	}
	if plain {
		return d
	}
	return "=?UTF-8?b?" + base64.StdEncoding.EncodeToString([]byte(d)) + "?="
}

// DecodeDescription undoes EncodeDescription.
func DecodeDescription(v string) (string, error) {
	if !strings.HasPrefix(v, "=?") {
		return v, nil
	}
	dec := mime.WordDecoder{CharsetReader: func(_ string, r io.Reader) (io.Reader, error) { return r, nil }}
	return dec.Decode(v)
}

// meta looks up a user metadata value whatever the case of its key.
func meta(info minio.ObjectInfo, key string) string {
	for k, v := range info.UserMetadata {
		if strings.EqualFold(k, key) || strings.EqualFold(k, "X-Amz-Meta-"+key) {
			return v
		}
	}
	return info.Metadata.Get("X-Amz-Meta-" + key)
}

// checkInfo compares an S3 object's size and metadata with the archive.
func checkInfo(info minio.ObjectInfo, r journal.Record) error {
	if id := meta(info, MetaArchiveID); info.Size != r.Size || id != r.ID || meta(info, MetaTreeHash) != r.TreeHash {
		return fmt.Errorf("s3 object %s is %d bytes of archive %q with tree hash %q, want %d bytes of %s with %s",
			r.Key, info.Size, id, meta(info, MetaTreeHash), r.Size, r.ID, r.TreeHash)
	}
	return nil
}

// complete composes the archive's tree hash from its ranges, compares it
// with the inventory's, completes the upload and checks the object.
func (e *Engine) complete(ctx context.Context, r journal.Record) error {
	n := len(RangesOf(r.Size, e.o.PartSize))
	if len(r.Ranges) != n || len(r.Parts) != n {
		return fmt.Errorf("internal error: %s has %d ranges and %d parts, want %d", r.Key, len(r.Ranges), len(r.Parts), n)
	}
	hashes := make([][treehash.Size]byte, n)
	for i, h := range r.RangeHashes {
		var err error
		if hashes[i], err = treehash.ParseHex(h); err != nil {
			return fmt.Errorf("range %d of %s: recorded tree hash %q: %w", i, r.Key, h, err)
		}
	}
	root := treehash.Combine(hashes)
	if got := hex.EncodeToString(root[:]); got != r.TreeHash {
		return fmt.Errorf("archive %s: the ranges' tree hash is %s, the inventory's %s; the S3 upload is left incomplete", r.ID, got, r.TreeHash)
	}
	parts := make([]minio.CompletePart, n)
	for i, p := range r.Parts {
		parts[i] = minio.CompletePart{PartNumber: p.Number, ETag: p.ETag}
	}
	_, err := e.s3.CompleteMultipartUpload(ctx, e.o.Bucket, r.Key, r.UploadID, parts, minio.PutObjectOptions{})
	if err != nil && minio.ToErrorResponse(err).Code != "NoSuchUpload" {
		return fmt.Errorf("s3 complete multipart upload of %s: %w", r.Key, err)
	}
	// NoSuchUpload: completed by a run killed before it could record it;
	// the object must then be this archive's.
	info, serr := e.s3.StatObject(ctx, e.o.Bucket, r.Key, minio.StatObjectOptions{})
	if serr != nil {
		return fmt.Errorf("s3 head %s: %w (completing: %v)", r.Key, serr, err)
	}
	return checkInfo(info, r)
}

// deleteVerified deletes from the vault, with DeleteAfterVerify, each
// verified archive whose S3 object reads back whole and matching.
func (e *Engine) deleteVerified(ctx context.Context) (bool, error) {
	if !e.o.DeleteAfterVerify {
		return false, nil
	}
	recs, err := e.j.Archives(ctx)
	if err != nil {
		return false, err
	}
	moved := false
	for _, r := range recs {
		if r.State != journal.Verified || e.isFailed(r.ID) {
			continue
		}
		if err := e.readBack(ctx, r); err != nil {
			if ctx.Err() != nil {
				return moved, ctx.Err()
			}
			e.fail(r, err)
			continue
		}
		_, err := e.gl.DeleteArchive(ctx, &glacier.DeleteArchiveInput{
			AccountId: aws.String(e.o.Account), VaultName: aws.String(e.o.Vault), ArchiveId: aws.String(r.ID),
		})
		if err != nil {
			if ctx.Err() != nil {
				return moved, ctx.Err()
			}
			e.fail(r, fmt.Errorf("delete archive: %w", err))
			continue
		}
		if err := e.j.Deleted(ctx, r.ID); err != nil {
			return moved, err
		}
		e.mu.Lock()
		e.res.Deleted++
		e.mu.Unlock()
		moved = true
	}
	return moved, nil
}

// readBack reads the whole S3 object and checks its size, metadata and
// tree hash against the archive.
func (e *Engine) readBack(ctx context.Context, r journal.Record) error {
	info, err := e.s3.StatObject(ctx, e.o.Bucket, r.Key, minio.StatObjectOptions{})
	if err != nil {
		return fmt.Errorf("s3 head %s: %w", r.Key, err)
	}
	if err := checkInfo(info, r); err != nil {
		return err
	}
	body, _, _, err := e.s3.GetObject(ctx, e.o.Bucket, r.Key, minio.GetObjectOptions{})
	if err != nil {
		return fmt.Errorf("s3 get %s: %w", r.Key, err)
	}
	defer body.Close()
	h := treehash.New()
	n, err := io.CopyBuffer(h, body, make([]byte, 1<<20))
	if err != nil {
		return fmt.Errorf("s3 get %s: %w", r.Key, err)
	}
	root := h.Root()
	if got := hex.EncodeToString(root[:]); n != r.Size || got != r.TreeHash {
		return fmt.Errorf("s3 object %s reads back as %d bytes with tree hash %s, want %d bytes with %s; the archive is kept", r.Key, n, got, r.Size, r.TreeHash)
	}
	return nil
}

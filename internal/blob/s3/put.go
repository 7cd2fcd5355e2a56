package s3

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/glacierd/glacierd/internal/blob/blobio"

	"github.com/minio/minio-go/v7"
)

// objectOptions returns the options of every object Put writes.
func objectOptions() minio.PutObjectOptions {
	return minio.PutObjectOptions{ContentType: "application/octet-stream"}
}

// singleOptions returns the options of a single PUT.
func singleOptions() minio.PutObjectOptions {
	o := objectOptions()
	o.DisableMultipart = true
	return o
}

// Put stores r's bytes under key; see glacier.BlobStore. A blob of known
// size up to PartSize is streamed in one PUT; a larger one, or one of
// unknown size, goes through a buffer of PartSize bytes: one PUT if it fits,
// else a multipart upload, completed after the last byte was read and
// aborted on failure. After a failure Put also removes the object, in case
// the server kept it (unless the server is unreachable).
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("s3: put %s: %w", key, err)
	}
	body := &bodyReader{ctx: ctx, r: r, size: size}
	if size >= 0 && size <= PartSize {
		err = s.putSingle(ctx, name, body)
	} else {
		err = s.putBuffered(ctx, name, body)
	}
	if berr := body.close(); berr != nil {
		// The caller's reader failed, or its size was wrong, or ctx ended:
		// that is the cause; the client's error is a consequence.
		s.cleanup(ctx, name, err)
		return fmt.Errorf("s3: put %s: %w", key, berr)
	}
	if err != nil {
		s.cleanup(ctx, name, err)
		return s.wrap("put", key, err)
	}
	return nil
}

// cleanup removes the object name after a Put failed with err, in case the
// server committed it anyway (a failure after the last byte was sent). An
// unreachable server is not asked: the service's garbage list, which
// records a key before its blob is written, removes such a leftover later.
func (s *Store) cleanup(ctx context.Context, name string, err error) {
	if isUnavailable(err) {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	_ = s.client.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{})
}

// putSingle streams body, of known size up to PartSize, in one PUT.
func (s *Store) putSingle(ctx context.Context, name string, body *bodyReader) error {
	if body.size == 0 {
		// Check now that r is empty; then send an empty body.
		if err := body.atEnd(); err != nil {
			return err
		}
		return s.putEmpty(ctx, name)
	}
	_, err := s.client.PutObject(ctx, s.bucket, name, body, body.size, singleOptions())
	return err
}

// putEmpty writes an empty object. Its body is sent unsigned: a signed,
// aws-chunked empty body is a few bytes of framing that some servers
// (versitygw) leave unread on the connection, which then breaks the next
// request sent on it.
func (s *Store) putEmpty(ctx context.Context, name string) error {
	opts := singleOptions()
	opts.DisableContentSha256 = true
	_, err := s.client.PutObject(ctx, s.bucket, name, bytes.NewReader(nil), 0, opts)
	return err
}

// putBuffered reads body a part at a time into a buffer of PartSize bytes
// and sends it in one PUT if it ends within the first part, else as a
// multipart upload.
func (s *Store) putBuffered(ctx context.Context, name string, body *bodyReader) error {
	bp := s.bufs.Get().(*[]byte)
	defer s.bufs.Put(bp)
	buf := *bp
	n, err := blobio.Fill(body, buf)
	if err == io.EOF && n == 0 {
		return s.putEmpty(ctx, name)
	}
	if err == io.EOF {
		_, err = s.client.PutObject(ctx, s.bucket, name, bytes.NewReader(buf[:n]), int64(n), singleOptions())
		return err
	}
	if err != nil {
		return err
	}
	core := minio.Core{Client: s.client}
	id, err := core.NewMultipartUpload(ctx, s.bucket, name, objectOptions())
	if err != nil {
		return err
	}
	completed := false
	defer func() {
		if !completed {
			actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
			defer cancel()
			_ = core.AbortMultipartUpload(actx, s.bucket, name, id)
		}
	}()
	var parts []minio.CompletePart
	for eof := false; ; {
		if len(parts) == maxParts {
			return fmt.Errorf("the blob is larger than %d parts of %d bytes", maxParts, PartSize)
		}
		p, err := core.PutObjectPart(ctx, s.bucket, name, id, len(parts)+1,
			bytes.NewReader(buf[:n]), int64(n), minio.PutObjectPartOptions{})
		if err != nil {
			return err
		}
		parts = append(parts, minio.CompletePart{PartNumber: len(parts) + 1, ETag: p.ETag})
		if eof {
			break
		}
		n, err = blobio.Fill(body, buf)
		if err == io.EOF && n == 0 {
			break
		}
		if err == io.EOF {
			eof = true // send the last, partial part
		} else if err != nil {
			return err
		}
	}
	if _, err := core.CompleteMultipartUpload(ctx, s.bucket, name, id, parts, objectOptions()); err != nil {
		return err
	}
	completed = true
	return nil
}

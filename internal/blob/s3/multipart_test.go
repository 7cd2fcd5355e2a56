package s3_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/glacierd/glacierd/internal/blob/s3"
	"github.com/glacierd/glacierd/internal/glacier"
)

// zeros yields n zero bytes, then err (io.EOF for a healthy reader), and
// calls onRead, when set, after each read.
type zeros struct {
	n      int64
	err    error
	onRead func(left int64)
}

func (z *zeros) Read(p []byte) (int, error) {
	if z.n == 0 {
		return 0, z.err
	}
	m := min(int64(len(p)), z.n, 1<<20)
	clear(p[:m])
	z.n -= m
	if z.onRead != nil {
		z.onRead(z.n)
	}
	return int(m), nil
}

// TestMultipartFailureLeavesNothing fails Puts of blobs larger than a part
// after the first parts were uploaded: neither an object nor an incomplete
// multipart upload may remain.
func TestMultipartFailureLeavesNothing(t *testing.T) {
	const mib = 1 << 20
	cases := []struct {
		name    string
		size    int64 // declared
		r       func(cancel context.CancelFunc) io.Reader
		wantErr error // nil: any error
	}{
		{"ReaderFails", 40 * mib, func(context.CancelFunc) io.Reader { return &zeros{n: 20 * mib, err: errBroken} }, errBroken},
		{"ReaderFailsUnknownSize", -1, func(context.CancelFunc) io.Reader { return &zeros{n: 20 * mib, err: errBroken} }, errBroken},
		{"TruncatedBody", 40 * mib, func(context.CancelFunc) io.Reader {
			return &zeros{n: 20 * mib, err: io.ErrUnexpectedEOF}
		}, io.ErrUnexpectedEOF},
		{"Shorter", 40 * mib, func(context.CancelFunc) io.Reader { return &zeros{n: 20 * mib, err: io.EOF} }, nil},
		{"Longer", 20 * mib, func(context.CancelFunc) io.Reader { return &zeros{n: 40 * mib, err: io.EOF} }, nil},
		{"Cancelled", 40 * mib, func(cancel context.CancelFunc) io.Reader {
			return &zeros{n: 40 * mib, err: io.EOF, onRead: func(left int64) {
				if left <= 20*mib {
					cancel()
				}
			}}
		}, context.Canceled},
	}
	for _, srv := range servers(t) {
		t.Run(srv.name, func(t *testing.T) {
			cfg := srv.cfg(t)
			s := openStore(t, cfg)
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					ctx, cancel := context.WithCancel(t.Context())
					defer cancel()
					err := s.Put(ctx, "big/"+c.name, c.r(cancel), c.size)
					if err == nil || (c.wantErr != nil && !errors.Is(err, c.wantErr)) {
						t.Fatalf("Put = %v, want %v", err, c.wantErr)
					}
					wantNoUploads(t, cfg)
					if _, err := s.Open(t.Context(), "big/"+c.name, 0, -1); !glacier.IsKind(err, glacier.KindNotFound) {
						t.Errorf("Open after the failed Put = %v, want KindNotFound", err)
					}
				})
			}
			// A healthy Put of the same kind succeeds.
			if err := s.Put(t.Context(), "big/ok", &zeros{n: 2*s3.PartSize + 5, err: io.EOF}, -1); err != nil {
				t.Fatal(err)
			}
			rc, err := s.Open(t.Context(), "big/ok", s3.PartSize-1, s3.PartSize+3)
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			if n, err := io.Copy(io.Discard, rc); err != nil || n != s3.PartSize+3 {
				t.Errorf("reading a range across parts: %d bytes, %v", n, err)
			}
			wantNoUploads(t, cfg)
		})
	}
}

// wantNoUploads checks that the bucket holds no incomplete multipart upload.
func wantNoUploads(t *testing.T, cfg s3.Config) {
	t.Helper()
	for u := range rawClient(t, cfg).ListIncompleteUploads(t.Context(), cfg.Bucket, "", true) {
		if u.Err != nil {
			t.Fatalf("listing multipart uploads: %v", u.Err)
		}
		t.Errorf("incomplete multipart upload of %s left behind", u.Key)
	}
}

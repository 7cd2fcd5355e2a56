package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/glacierd/glacierd/internal/glacier"
)

const (
	// PartSize is the size of the parts of a multipart upload, and the
	// largest blob of known size that Put sends as a single PUT. A Put holds
	// at most one part in memory.
	PartSize = 16 << 20
	// objectSuffix ends every object name (see the package documentation).
	objectSuffix = ".blob"
	// maxParts is the most parts a multipart upload may have (S3's limit),
	// which bounds a blob to 10000 * PartSize (160 GiB).
	maxParts = 10000
	// maxRetries is how many times the client sends a failed request before
	// Put, Open or Delete fail (an unreachable endpoint fails within seconds).
	maxRetries = 3
	// cleanupTimeout bounds the removal of a partly written blob after a
	// failed Put, which runs even when the caller's context has ended.
	cleanupTimeout = 10 * time.Second
	// defaultRegion is used when Config.Region is empty.
	defaultRegion = "us-east-1"
)

// Config says where the blobs live.
type Config struct {
	Endpoint  string // host:port of the S3 API, without a scheme
	Bucket    string // created by Open if missing
	AccessKey string // with SecretKey, the credentials; both empty for anonymous access
	SecretKey string
	Secure    bool   // use HTTPS
	Region    string // the bucket's region; "" means us-east-1
	Prefix    string // folder for the blobs in the bucket, e.g. "glacierd"; "" for the top

	// Transport, when set, carries the requests (for custom TLS roots or
	// proxies); nil means minio-go's default transport.
	Transport http.RoundTripper
}

// Store is a glacier.BlobStore on an S3 bucket. It is safe for concurrent
// use. Several Stores, in several processes, may share a bucket and prefix.
type Store struct {
	client *minio.Client
	bucket string
	prefix string    // "" or ending in "/"
	bufs   sync.Pool // *[]byte of PartSize, the part buffers of Put
}

var _ glacier.BlobStore = (*Store)(nil)

// Open connects to the S3 endpoint of cfg and creates the bucket unless it
// exists. An unreachable endpoint is an error of KindUnavailable.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("s3: the endpoint and the bucket must be set")
	}
	if strings.Contains(cfg.Endpoint, "://") {
		return nil, fmt.Errorf("s3: endpoint %q must be host:port, without a scheme (set Secure for HTTPS)", cfg.Endpoint)
	}
	region := cfg.Region
	if region == "" {
		region = defaultRegion
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       cfg.Secure,
		Region:       region,
		BucketLookup: minio.BucketLookupPath,
		MaxRetries:   maxRetries,
		Transport:    cfg.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("s3: %w", err)
	}
	s := &Store{client: client, bucket: cfg.Bucket}
	s.bufs.New = func() any {
		b := make([]byte, PartSize)
		return &b
	}
	if p := strings.Trim(cfg.Prefix, "/"); p != "" {
		s.prefix = p + "/"
	}
	if err := s.ensureBucket(ctx, region); err != nil {
		return nil, err
	}
	return s, nil
}

// ensureBucket creates the bucket unless it exists. Another process may
// create it at the same time.
func (s *Store) ensureBucket(ctx context.Context, region string) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return s.wrap("open", "", err)
	}
	if ok {
		return nil
	}
	err = s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: region})
	if err == nil || minio.ToErrorResponse(err).Code == "BucketAlreadyOwnedByYou" {
		return nil
	}
	if ok, err2 := s.client.BucketExists(ctx, s.bucket); err2 == nil && ok {
		return nil // created by someone else meanwhile
	}
	return s.wrap("create bucket", "", err)
}

// Ping checks that the bucket can be reached, for a health check. An
// unreachable endpoint is an error of KindUnavailable.
func (s *Store) Ping(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return s.wrap("ping", "", err)
	}
	if !ok {
		return fmt.Errorf("s3: ping: bucket %s does not exist", s.bucket)
	}
	return nil
}

// object returns the object name of key, or an error if key is not a valid
// blob key.
func (s *Store) object(key string) (string, error) {
	if err := validKey(key); err != nil {
		return "", err
	}
	return s.prefix + key + objectSuffix, nil
}

// Open returns a reader of n bytes of key's blob from byte off (to the end
// when n < 0); see glacier.BlobStore.
func (s *Store) Open(ctx context.Context, key string, off, n int64) (io.ReadCloser, error) {
	name, err := s.object(key)
	if err != nil {
		return nil, err
	}
	if off < 0 {
		return nil, fmt.Errorf("s3: open %s: negative offset %d", key, off)
	}
	if n == 0 {
		// An empty range: only check that it lies within the blob.
		info, err := s.client.StatObject(ctx, s.bucket, name, minio.StatObjectOptions{})
		if err != nil {
			return nil, s.wrap("open", key, err)
		}
		if off > info.Size {
			return nil, rangeError(key, off, n, info.Size)
		}
		return io.NopCloser(strings.NewReader("")), nil
	}
	// Always a range, so that the answer's Content-Range tells the size.
	var opts minio.GetObjectOptions
	if n > 0 {
		opts.Set("Range", fmt.Sprintf("bytes=%d-%d", off, off+n-1))
	} else {
		opts.Set("Range", fmt.Sprintf("bytes=%d-", off))
	}
	rc, _, header, err := minio.Core{Client: s.client}.GetObject(ctx, s.bucket, name, opts)
	if err != nil {
		if minio.ToErrorResponse(err).StatusCode == http.StatusRequestedRangeNotSatisfiable {
			return s.openPastEnd(ctx, key, name, off, n)
		}
		return nil, s.wrap("open", key, err)
	}
	return checkRange(key, rc, header, off, n)
}

// openPastEnd answers a range the server found unsatisfiable, which starts
// at or after the end of the blob: from the end, to the end, is empty and
// valid; anything else is outside the blob.
func (s *Store) openPastEnd(ctx context.Context, key, name string, off, n int64) (io.ReadCloser, error) {
	info, err := s.client.StatObject(ctx, s.bucket, name, minio.StatObjectOptions{})
	if err != nil {
		return nil, s.wrap("open", key, err)
	}
	if off == info.Size && n < 0 {
		return io.NopCloser(strings.NewReader("")), nil
	}
	return nil, rangeError(key, off, n, info.Size)
}

// Delete removes key's blob; a missing blob is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{}); err != nil {
		if minio.ToErrorResponse(err).Code == "NoSuchKey" {
			return nil
		}
		return s.wrap("delete", key, err)
	}
	return nil
}

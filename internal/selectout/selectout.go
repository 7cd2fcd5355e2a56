// Package selectout writes select jobs' output objects (job.txt, results/,
// the manifests, errors/) to the caller's S3 bucket: a glacier.SelectOutput
// on minio-go. The bucket is the job's OutputLocation.S3.BucketName, not
// glacierd's blob bucket; the endpoint and credentials are the server's.
package selectout

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/encrypt"

	"github.com/glacierd/glacierd/internal/glacier"
)

// partSize is the size of the parts of an object of unknown length: minio-go
// holds one part in memory (its default for unknown sizes is 512 MiB).
const partSize = 5 << 20

// Config is an S3 endpoint and its credentials.
type Config struct {
	Endpoint  string // host:port, without a scheme
	Secure    bool   // HTTPS
	Region    string // "" means us-east-1
	AccessKey string // with SecretKey; both empty for anonymous access
	SecretKey string
	// Transport, when set, carries the requests; nil: minio-go's default.
	Transport http.RoundTripper
}

// Writer is a glacier.SelectOutput. It is safe for concurrent use.
type Writer struct {
	client *minio.Client
}

// New returns a Writer for the endpoint of cfg. It makes no request.
func New(cfg Config) (*Writer, error) {
	region := cfg.Region
	if region == "" {
		region = "us-east-1"
	}
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       cfg.Secure,
		Region:       region,
		BucketLookup: minio.BucketLookupPath,
		Transport:    cfg.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("select output: %w", err)
	}
	return &Writer{client: c}, nil
}

// Put implements glacier.SelectOutput. An error S3 answered with is an
// *glacier.Error of KindInvalidParameter (the location is the caller's);
// others (the endpoint cannot be reached) are returned as they are.
func (w *Writer) Put(ctx context.Context, loc glacier.S3Location, key string, r io.Reader, size int64) error {
	opts, err := options(loc)
	if err != nil {
		return err
	}
	_, err = w.client.PutObject(ctx, loc.BucketName, key, r, size, opts)
	if err == nil {
		return nil
	}
	if resp := minio.ToErrorResponse(err); resp.Code != "" {
		return &glacier.Error{Kind: glacier.KindInvalidParameter, Err: err,
			Message: fmt.Sprintf("S3 refused s3://%s/%s: %s: %s", loc.BucketName, key, resp.Code, resp.Message)}
	}
	return err
}

// options translates loc's object settings to minio-go's.
func options(loc glacier.S3Location) (minio.PutObjectOptions, error) {
	opts := minio.PutObjectOptions{
		PartSize:     partSize,
		UserTags:     loc.Tagging,
		StorageClass: loc.StorageClass,
		UserMetadata: map[string]string{},
	}
	for k, v := range loc.UserMetadata {
		opts.UserMetadata["x-amz-meta-"+k] = v
	}
	if loc.CannedACL != "" {
		opts.UserMetadata["x-amz-acl"] = loc.CannedACL
	}
	for h, v := range grantHeaders(loc.AccessControlList) {
		opts.UserMetadata[h] = v
	}
	if e := loc.Encryption; e != nil {
		switch e.EncryptionType {
		case "AES256":
			opts.ServerSideEncryption = encrypt.NewSSE()
		case "aws:kms":
			var kmsCtx any
			if e.KMSContext != "" {
				if json.Unmarshal([]byte(e.KMSContext), &kmsCtx) != nil {
					kmsCtx = e.KMSContext
				}
			}
			sse, err := encrypt.NewSSEKMS(e.KMSKeyID, kmsCtx)
			if err != nil {
				return opts, glacier.Wrap(glacier.KindInvalidParameter, err, "Invalid OutputLocation.S3.Encryption")
			}
			opts.ServerSideEncryption = sse
		}
	}
	return opts, nil
}

// grantHeaders returns the x-amz-grant-* headers of grants.
func grantHeaders(grants []glacier.S3Grant) map[string]string {
	byHeader := map[string][]string{}
	for _, g := range grants {
		h := "x-amz-grant-" + strings.ReplaceAll(strings.ToLower(g.Permission), "_", "-")
		var who string
		switch g.Grantee.Type {
		case "CanonicalUser":
			who = fmt.Sprintf("id=%q", g.Grantee.ID)
		case "Group":
			who = fmt.Sprintf("uri=%q", g.Grantee.URI)
		case "AmazonCustomerByEmail":
			who = fmt.Sprintf("emailAddress=%q", g.Grantee.EmailAddress)
		default:
			continue
		}
		byHeader[h] = append(byHeader[h], who)
	}
	out := map[string]string{}
	for h, whos := range byHeader {
		sort.Strings(whos)
		out[h] = strings.Join(whos, ", ")
	}
	return out
}

var _ glacier.SelectOutput = (*Writer)(nil)

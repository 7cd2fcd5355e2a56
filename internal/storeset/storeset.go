// Package storeset opens the pair of stores a configuration names — the
// metadata store (SQLite in a data directory, or PostgreSQL) and the blob
// store (files in a data directory, or S3) — with the data directory's lock,
// their readiness checks and their closing. It is the one package that
// imports the store implementations; the server (internal/app) and
// `glacierd migrate` (internal/migrate) both open their stores through it.
package storeset

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/glacierd/glacierd/internal/blob/fs"
	"github.com/glacierd/glacierd/internal/blob/s3"
	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/store/postgres"
	"github.com/glacierd/glacierd/internal/store/sqlite"
)

// Config names a metadata store and a blob store the way the server's
// --data, --meta, --blobs and --s3-* flags do.
type Config struct {
	Data        string // directory of the embedded stores (used by Meta "sqlite" and Blobs "fs")
	Meta        string // "" or "sqlite" (in Data), or a postgres:// URL
	Blobs       string // "" or "fs" (in Data), or s3://BUCKET[/PREFIX]?endpoint=HOST:PORT
	S3AccessKey string // for an s3:// Blobs (default: AWS_ACCESS_KEY_ID)
	S3SecretKey string // (default: AWS_SECRET_ACCESS_KEY)
}

// EmbeddedMeta reports whether c's metadata store is SQLite in Data.
func (c Config) EmbeddedMeta() bool { return c.Meta == "" || c.Meta == "sqlite" }

// EmbeddedBlobs reports whether c's blob store is files in Data.
func (c Config) EmbeddedBlobs() bool { return c.Blobs == "" || c.Blobs == "fs" }

// Embedded reports whether either of c's stores lives in Data.
func (c Config) Embedded() bool { return c.EmbeddedMeta() || c.EmbeddedBlobs() }

// Set is an opened metadata store and blob store, with what /healthz asks
// and what closing them takes.
type Set struct {
	Meta   glacier.MetaStore
	Blobs  glacier.BlobStore
	checks []check // readiness checks, in order
	closes []func() error
}

// check is one readiness probe with the name it is reported under.
type check struct {
	name string
	fn   func(context.Context) error
}

// Ready reports whether every store answers; the error names the first
// that does not.
func (s *Set) Ready(ctx context.Context) error {
	for _, c := range s.checks {
		if err := c.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
	}
	return nil
}

// Close closes the stores and releases the data directory, in the reverse
// order of opening.
func (s *Set) Close() error {
	var errs []error
	for i := len(s.closes) - 1; i >= 0; i-- {
		errs = append(errs, s.closes[i]())
	}
	s.closes = nil
	return errors.Join(errs...)
}

// Open opens the stores c names: --meta (SQLite in --data, or a
// postgres:// URL) and --blobs (files in --data, or an s3:// URL). The data
// directory is locked only when an embedded store uses it. log receives
// notes worth a line at start-up. On error everything opened is closed.
func Open(ctx context.Context, c Config, log func(msg string, args ...any)) (_ *Set, err error) {
	s := &Set{}
	defer func() {
		if err != nil {
			_ = s.Close()
		}
	}()
	if c.Embedded() {
		// Durably: a data directory whose own name is lost loses everything.
		if err := fs.MkdirAll(c.Data, 0o750); err != nil {
			return nil, err
		}
		unlock, err := lockDir(filepath.Join(c.Data, "LOCK"))
		if err != nil {
			return nil, fmt.Errorf("data directory %s is in use by another glacierd: %w", c.Data, err)
		}
		s.closes = append(s.closes, unlock)
	}

	switch {
	case c.EmbeddedMeta():
		db, err := sqlite.Open(ctx, filepath.Join(c.Data, "meta.db"))
		if err != nil {
			return nil, fmt.Errorf("open metadata: %w", err)
		}
		s.Meta, s.closes = db, append(s.closes, db.Close)
	case strings.HasPrefix(c.Meta, "postgres://") || strings.HasPrefix(c.Meta, "postgresql://"):
		db, err := postgres.Open(ctx, c.Meta)
		if err != nil {
			return nil, fmt.Errorf("open metadata (PostgreSQL): %w", err)
		}
		s.Meta, s.closes = db, append(s.closes, db.Close)
		s.checks = append(s.checks, check{"postgres", db.Ping})
	default:
		return nil, fmt.Errorf("--meta must be sqlite or a postgres:// URL, not %q", redact(c.Meta))
	}
	s.checks = append(s.checks, check{"metadata", func(ctx context.Context) error {
		return s.Meta.View(ctx, func(tx glacier.Tx) error { _, err := tx.CountVaults("000000000000"); return err })
	}})

	switch {
	case c.EmbeddedBlobs():
		b, err := fs.Open(filepath.Join(c.Data, "archives"))
		if err != nil {
			return nil, fmt.Errorf("open archive store: %w", err)
		}
		if n := b.Orphans(); n > 0 {
			log("removed unfinished temporary files left by a crash", "count", n)
		}
		s.Blobs, s.closes = b, append(s.closes, b.Close)
	case strings.HasPrefix(c.Blobs, "s3://"):
		cfg, err := parseS3URL(c.Blobs, c.S3AccessKey, c.S3SecretKey)
		if err != nil {
			return nil, err
		}
		b, err := s3.Open(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("open archive store (S3): %w", err)
		}
		s.Blobs = b
		s.checks = append(s.checks, check{"s3", b.Ping})
	default:
		return nil, fmt.Errorf("--blobs must be fs or an s3:// URL, not %q", c.Blobs)
	}
	return s, nil
}

// parseS3URL reads s3://BUCKET[/PREFIX]?endpoint=HOST:PORT&secure=false&region=R.
// Without an endpoint it is AWS S3 over HTTPS. Credentials default to the
// AWS environment variables.
func parseS3URL(raw, accessKey, secretKey string) (s3.Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return s3.Config{}, fmt.Errorf("--blobs %q: want s3://BUCKET[/PREFIX]?endpoint=HOST:PORT", raw)
	}
	e, err := ParseS3Endpoint("--blobs", raw, accessKey, secretKey)
	if err != nil {
		return s3.Config{}, err
	}
	return s3.Config{
		Bucket: u.Host, Prefix: strings.Trim(u.Path, "/"),
		Endpoint: e.Endpoint, Secure: e.Secure, Region: e.Region, AccessKey: e.AccessKey, SecretKey: e.SecretKey,
	}, nil
}

// S3Endpoint is an S3 endpoint and the credentials to use there.
type S3Endpoint struct {
	Endpoint  string // host:port
	Secure    bool
	Region    string
	AccessKey string
	SecretKey string
}

// ParseS3Endpoint reads the endpoint part of an s3:// URL of the --blobs
// form, s3://[BUCKET[/PREFIX]]?endpoint=HOST:PORT&secure=false&region=R
// (the bucket and prefix, which may be absent, are not its business). flag
// names the URL in errors. Without an endpoint it is AWS S3 over HTTPS.
// Credentials default to the AWS environment variables.
func ParseS3Endpoint(flag, raw, accessKey, secretKey string) (S3Endpoint, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" {
		return S3Endpoint{}, fmt.Errorf("%s %q: want s3://[BUCKET]?endpoint=HOST:PORT", flag, raw)
	}
	q := u.Query()
	e := S3Endpoint{Endpoint: q.Get("endpoint"), Region: q.Get("region"), AccessKey: accessKey, SecretKey: secretKey}
	if e.Endpoint == "" {
		e.Endpoint = "s3.amazonaws.com"
		e.Secure = true
	}
	if v := q.Get("secure"); v != "" {
		if e.Secure, err = strconv.ParseBool(v); err != nil {
			return S3Endpoint{}, fmt.Errorf("%s %q: secure=%q is not a boolean", flag, raw, v)
		}
	}
	if e.AccessKey == "" {
		e.AccessKey, e.SecretKey = os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	}
	return e, nil
}

// redact hides a password in a connection URL.
func redact(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return u.String()
		}
	}
	return s
}

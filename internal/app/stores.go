package app

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

// stores are the opened metadata and blob stores, with what /healthz asks
// and what closing them takes.
type stores struct {
	meta   glacier.MetaStore
	blobs  glacier.BlobStore
	checks []check // readiness checks, in order
	closes []func() error
}

// check is one readiness probe with the name it is reported under.
type check struct {
	name string
	fn   func(context.Context) error
}

func (s *stores) close() error {
	var errs []error
	for i := len(s.closes) - 1; i >= 0; i-- {
		errs = append(errs, s.closes[i]())
	}
	s.closes = nil
	return errors.Join(errs...)
}

// openStores opens the stores c names: --meta (SQLite in --data, or a
// postgres:// URL) and --blobs (files in --data, or an s3:// URL). The data
// directory is locked only when an embedded store uses it. log receives
// notes worth a line at start-up.
func openStores(ctx context.Context, c Config, log func(msg string, args ...any)) (_ *stores, err error) {
	s := &stores{}
	defer func() {
		if err != nil {
			_ = s.close()
		}
	}()
	embeddedMeta, embeddedBlobs := c.Meta == "" || c.Meta == "sqlite", c.Blobs == "" || c.Blobs == "fs"
	if embeddedMeta || embeddedBlobs {
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
	case embeddedMeta:
		db, err := sqlite.Open(ctx, filepath.Join(c.Data, "meta.db"))
		if err != nil {
			return nil, fmt.Errorf("open metadata: %w", err)
		}
		s.meta, s.closes = db, append(s.closes, db.Close)
	case strings.HasPrefix(c.Meta, "postgres://") || strings.HasPrefix(c.Meta, "postgresql://"):
		db, err := postgres.Open(ctx, c.Meta)
		if err != nil {
			return nil, fmt.Errorf("open metadata (PostgreSQL): %w", err)
		}
		s.meta, s.closes = db, append(s.closes, db.Close)
		s.checks = append(s.checks, check{"postgres", db.Ping})
	default:
		return nil, fmt.Errorf("--meta must be sqlite or a postgres:// URL, not %q", redact(c.Meta))
	}
	s.checks = append(s.checks, check{"metadata", func(ctx context.Context) error {
		return s.meta.View(ctx, func(tx glacier.Tx) error { _, err := tx.CountVaults("000000000000"); return err })
	}})

	switch {
	case embeddedBlobs:
		b, err := fs.Open(filepath.Join(c.Data, "archives"))
		if err != nil {
			return nil, fmt.Errorf("open archive store: %w", err)
		}
		if n := b.Orphans(); n > 0 {
			log("removed unfinished temporary files left by a crash", "count", n)
		}
		s.blobs, s.closes = b, append(s.closes, b.Close)
	case strings.HasPrefix(c.Blobs, "s3://"):
		cfg, err := parseS3URL(c.Blobs, c.S3AccessKey, c.S3SecretKey)
		if err != nil {
			return nil, err
		}
		b, err := s3.Open(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("open archive store (S3): %w", err)
		}
		s.blobs = b
		s.checks = append(s.checks, check{"s3", b.Ping})
	default:
		return nil, fmt.Errorf("--blobs must be fs or an s3:// URL, not %q", c.Blobs)
	}
	return s, nil
}

// parseS3URL reads s3://BUCKET[/PREFIX]?endpoint=HOST:PORT&secure=false&region=R.
// Credentials come from the arguments (flags or GLACIERD_S3_* variables),
// else from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
func parseS3URL(raw, accessKey, secretKey string) (s3.Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return s3.Config{}, fmt.Errorf("--blobs %q: want s3://BUCKET[/PREFIX]?endpoint=HOST:PORT", raw)
	}
	q := u.Query()
	cfg := s3.Config{
		Bucket:    u.Host,
		Prefix:    strings.Trim(u.Path, "/"),
		Endpoint:  q.Get("endpoint"),
		Region:    q.Get("region"),
		AccessKey: accessKey,
		SecretKey: secretKey,
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = "s3.amazonaws.com"
		cfg.Secure = true
	}
	if v := q.Get("secure"); v != "" {
		if cfg.Secure, err = strconv.ParseBool(v); err != nil {
			return s3.Config{}, fmt.Errorf("--blobs %q: secure=%q is not a boolean", raw, v)
		}
	}
	if cfg.AccessKey == "" {
		cfg.AccessKey, cfg.SecretKey = os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	}
	return cfg, nil
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

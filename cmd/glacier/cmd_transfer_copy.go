package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/glacierd/glacierd/cmd/glacier/internal/inventory"
	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/engine"
	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/invfile"
	"github.com/glacierd/glacierd/cmd/glacier/internal/transfer/journal"
	"github.com/glacierd/glacierd/internal/units"
)

// copyFlags are glacier transfer's flags for the copy itself.
type copyFlags struct {
	S3Endpoint        string        `name:"s3-endpoint" placeholder:"URL" help:"S3 endpoint, e.g. http://127.0.0.1:9000 (default: AWS S3)."`
	S3Region          string        `name:"s3-region" default:"us-east-1" help:"S3 region."`
	S3AccessKey       string        `name:"s3-access-key" placeholder:"KEY" help:"S3 access key (default: AWS_ACCESS_KEY_ID)."`
	S3SecretKey       string        `name:"s3-secret-key" placeholder:"SECRET" help:"S3 secret key (default: AWS_SECRET_ACCESS_KEY)."`
	StorageClass      string        `name:"storage-class" placeholder:"CLASS" help:"S3 storage class, e.g. DEEP_ARCHIVE (default: the bucket's)."`
	Journal           string        `name:"journal" placeholder:"PATH" help:"The transfer's journal; run again with the same one to resume (default: VAULT.transfer.db)."`
	Concurrency       int           `default:"4" help:"Archives copied at once; memory use is about the part size times this."`
	PartSize          units.Bytes   `name:"part-size" default:"16MiB" help:"S3 part and Glacier range size: 1 MiB times a power of two, at least 8 MiB (larger for archives over 10,000 parts). Keep it between runs of one journal."`
	DeleteAfterVerify bool          `name:"delete-after-verify" help:"Delete each archive from the vault once its S3 object has been read back whole and matched its tree hash."`
	MaxPoll           time.Duration `name:"max-poll" default:"15m" help:"Longest wait between checks of the retrieval jobs."`
	waitFlags         `embed:"" prefix:"inventory-"`
}

// copy runs the transfer and prints its report.
func (c *transferCmd) copy(a *app) error {
	bucket, _, _ := parseS3Target(c.Target)
	gl, err := a.client(c.Concurrency)
	if err != nil {
		return err
	}
	s3, err := c.s3Client(a)
	if err != nil {
		return err
	}
	path := c.Journal
	if path == "" {
		path = filepath.Clean(c.Vault + ".transfer.db")
	}
	j, err := journal.Open(a.ctx, path, a.now)
	if err != nil {
		return err
	}
	defer func() { _ = j.Close() }()
	if err := j.SetRun(a.ctx, journal.Run{Vault: c.Vault, Target: c.Target, Tier: c.Tier, BytesPerDay: int64(c.BytesPerDay), StartedAt: a.now()}); err != nil {
		return err
	}
	if err := c.fillJournal(a, gl, j); err != nil {
		return err
	}
	e, err := engine.New(gl, s3, j, engine.Options{
		Account: a.cli.AccountID, Vault: c.Vault, Bucket: bucket, Tier: c.Tier, BytesPerDay: int64(c.BytesPerDay),
		Concurrency: c.Concurrency, PartSize: int64(c.PartSize), StorageClass: c.StorageClass,
		DeleteAfterVerify: c.DeleteAfterVerify, Poll: c.MaxPoll, Now: a.now, After: a.env.after, Note: a.notice,
	})
	if err != nil {
		return err
	}
	res, runErr := e.Run(a.ctx)
	counts, err := j.Counts(context.WithoutCancel(a.ctx))
	if err != nil {
		return errors.Join(runErr, err)
	}
	if err := c.report(a, path, counts, res); err != nil {
		return err
	}
	switch {
	case runErr != nil:
		return runErr
	case len(res.Failed) == 0:
		return nil
	case counts[journal.Verified]+counts[journal.Deleted] > 0:
		return exitCode(exitPartial)
	}
	return exitCode(exitError)
}

// fillJournal records the vault's archives and their keys: from
// --inventory-file, else the journal's own on a rerun, else a retrieved
// inventory.
func (c *transferCmd) fillJournal(a *app, gl *glacier.Client, j *journal.Journal) error {
	var archives []journal.Archive
	switch have, err := j.Archives(a.ctx); {
	case err != nil:
		return err
	case c.InventoryFile != "":
		if archives, err = c.readInventoryFile(a); err != nil {
			return err
		}
	case len(have) > 0:
		a.notice("resuming: %d archives in the journal", len(have))
		return nil
	default:
		if archives, err = c.retrieveInventory(a, gl); err != nil {
			return err
		}
	}
	archives, _, err := c.name(a, archives)
	if err != nil {
		return err
	}
	return j.AddArchives(a.ctx, archives)
}

// retrieveInventory gets the vault's inventory through a reusable or a new
// inventory job.
func (c *transferCmd) retrieveInventory(a *app, gl *glacier.Client) ([]journal.Archive, error) {
	jobID, err := a.reusableInventory(gl, c.Vault)
	if err != nil {
		return nil, err
	}
	inv, err := inventory.Fetch(a.ctx, gl, inventory.Options{
		AccountID: a.cli.AccountID, Vault: c.Vault, JobID: jobID,
		Wait: func(_ context.Context, id string) (*glacier.DescribeJobOutput, error) {
			return a.waitJob(gl, c.Vault, id, c.waitFlags)
		},
		Started: func(id string, _ int) { a.notice("started inventory job %s (inventories take hours on AWS)", id) },
	})
	if err != nil {
		return nil, err
	}
	return invfile.FromInventory(inv)
}

// s3Client builds the minio-go client of --s3-endpoint.
func (c *transferCmd) s3Client(a *app) (*minio.Core, error) {
	host, secure, lookup := "s3.amazonaws.com", true, minio.BucketLookupAuto
	if c.S3Endpoint != "" {
		lookup = minio.BucketLookupPath
		u, err := url.Parse(c.S3Endpoint)
		if err != nil || u.Host == "" || u.Scheme != "http" && u.Scheme != "https" {
			return nil, fmt.Errorf("--s3-endpoint %q: want http(s)://HOST[:PORT]", c.S3Endpoint)
		}
		host, secure = u.Host, u.Scheme == "https"
	}
	getenv := a.env.getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	key, secret, token := c.S3AccessKey, c.S3SecretKey, ""
	if key == "" && secret == "" {
		key, secret, token = getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SESSION_TOKEN")
	}
	if key == "" || secret == "" {
		return nil, errors.New("S3 credentials: give --s3-access-key and --s3-secret-key, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	}
	return minio.NewCore(host, &minio.Options{
		Creds: credentials.NewStaticV4(key, secret, token), Secure: secure, Region: c.S3Region,
		BucketLookup: lookup, Transport: a.env.s3Transport,
	})
}

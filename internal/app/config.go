package app

import (
	"flag"
	"fmt"
	"time"

	"github.com/peterbourgon/ff/v3"

	"github.com/glacierd/glacierd/internal/glacier"
)

// Config is glacierd's configuration. Every field has a flag and an
// environment variable (GLACIERD_ + the flag name in upper case, dashes as
// underscores).
type Config struct {
	Addr  string // listen address
	Data  string // data directory of the embedded stores
	Meta  string // metadata store: "" or "sqlite" (in Data), or a postgres:// URL
	Blobs string // archive store: "" or "fs" (in Data), or s3://BUCKET[/PREFIX]?endpoint=HOST:PORT
	// S3 credentials for Blobs (default: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
	S3AccessKey string
	S3SecretKey string
	// SelectS3 is the S3 endpoint select jobs write their output to (the
	// bucket is each job's), in the --blobs URL form; "" refuses select jobs.
	SelectS3          string
	SelectS3AccessKey string
	SelectS3SecretKey string
	Region            string // region reported in ARNs
	AccessKey         string // the single credential's access key
	SecretKey         string
	AccountID         string // the account the single credential belongs to
	// Credentials names a credentials file (see LoadCredentials) mapping
	// access keys to accounts and users; when set it replaces the single
	// credential above.
	Credentials string

	TimeScale         float64       // job and lock durations are divided by this; 0 completes jobs at once
	InventoryInterval time.Duration // how often vault inventories are taken; 0 keeps them always current
	ExpeditedOnDemand int           // Expedited retrievals per 5 minutes without provisioned capacity
	MaintainEvery     time.Duration // period of the background upkeep loop
	Tick              time.Duration // period of job completion and notification delivery
	ShutdownTimeout   time.Duration // how long SIGTERM waits for in-flight requests
	MaxSkew           time.Duration // allowed signing clock skew

	// Connection timeouts; 0 disables each. A request's headers must arrive
	// within ReadHeaderTimeout. Its body may pause at most BodyIdleTimeout
	// and must average BodyMinRate bytes per second of waiting (after
	// BodyIdleTimeout of grace), however long it is. A keep-alive connection
	// is closed after IdleTimeout without a request.
	ReadHeaderTimeout time.Duration
	BodyIdleTimeout   time.Duration
	BodyMinRate       int64
	IdleTimeout       time.Duration

	TLSCert, TLSKey     string // serve HTTPS with this certificate and key (PEM files)
	TrustForwardedProto bool   // believe X-Forwarded-Proto: https from a TLS-terminating proxy

	// Notification delivery: an SNS-compatible endpoint, real AWS SNS, and/or
	// a webhook. With none of them, job notifications are not sent.
	SNSEndpoint  string
	SNSRegion    string
	SNSAccessKey string
	SNSSecretKey string
	SNSUseAWS    bool
	NotifyURL    string

	LogFormat string // "text" or "json"
	LogLevel  string // "debug", "info", "warn", "error"
}

// Defaults for local use. The credentials are the well-known test pair that
// LocalStack and moto users already have configured; change them for any
// server reachable by others.
const (
	DefaultAddr      = "127.0.0.1:8080"
	DefaultAccessKey = "test"
	DefaultSecretKey = "test"
	DefaultAccountID = "123456789012"
)

// ParseFlags fills a Config from command-line arguments and the environment
// (flags win). It does not validate the result; Main.Open does.
func ParseFlags(name string, args []string) (Config, error) {
	var c Config
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage:\n  %s [flags]            serve the Glacier API\n  %s migrate [flags]    copy a data directory into other stores (see %s migrate -h)\n\n"+
			"Every flag can also be set as GLACIERD_<FLAG> (dashes as underscores).\n\nFlags:\n", name, name, name)
		fs.PrintDefaults()
	}
	fs.StringVar(&c.Addr, "addr", DefaultAddr, "listen address (host:port; port 0 picks a free port)")
	fs.StringVar(&c.Data, "data", "./glacierd-data", "data directory for the embedded metadata database and archive files")
	fs.StringVar(&c.Meta, "meta", "sqlite", "metadata store: sqlite (in --data) or a postgres:// URL (password best given in PGPASSWORD)")
	fs.StringVar(&c.Blobs, "blobs", "fs", "archive store: fs (in --data) or s3://BUCKET[/PREFIX]?endpoint=HOST:PORT[&secure=true][&region=R]")
	fs.StringVar(&c.S3AccessKey, "s3-access-key", "", "access key for --blobs s3:// (default: AWS_ACCESS_KEY_ID)")
	fs.StringVar(&c.S3SecretKey, "s3-secret-key", "", "secret key for --blobs s3:// (default: AWS_SECRET_ACCESS_KEY)")
	fs.StringVar(&c.SelectS3, "select-s3", "", "S3 endpoint select jobs write their output to, s3://?endpoint=HOST:PORT[&secure=true][&region=R] (\"\": select jobs are refused)")
	fs.StringVar(&c.SelectS3AccessKey, "select-s3-access-key", "", "access key for --select-s3 (default: AWS_ACCESS_KEY_ID)")
	fs.StringVar(&c.SelectS3SecretKey, "select-s3-secret-key", "", "secret key for --select-s3 (default: AWS_SECRET_ACCESS_KEY)")
	fs.StringVar(&c.Region, "region", "us-east-1", "region reported in vault ARNs")
	fs.StringVar(&c.AccessKey, "access-key", DefaultAccessKey, "access key ID clients sign with")
	fs.StringVar(&c.SecretKey, "secret-key", DefaultSecretKey, "secret access key clients sign with")
	fs.StringVar(&c.AccountID, "account-id", DefaultAccountID, "12-digit account ID the credentials belong to")
	fs.StringVar(&c.Credentials, "credentials", "", "credentials file: lines of ACCESS_KEY SECRET_KEY ACCOUNT_ID [USER] (replaces the single key above)")
	fs.Float64Var(&c.TimeScale, "time-scale", 1, "divide job, lock and retention durations by this (3600: an hour per second; 0: jobs complete at once)")
	fs.DurationVar(&c.InventoryInterval, "inventory-interval", 0, "how often vault inventories are taken (0: always current)")
	fs.IntVar(&c.ExpeditedOnDemand, "expedited-on-demand", 100, "Expedited retrievals an account may start per 5 minutes without provisioned capacity (each purchased unit adds 3)")
	fs.DurationVar(&c.MaintainEvery, "maintain-every", time.Minute, "period of background upkeep (garbage collection, expiry)")
	fs.DurationVar(&c.Tick, "tick", time.Second, "how often completed jobs are noticed and notifications delivered")
	fs.StringVar(&c.SNSEndpoint, "sns-endpoint", "", "URL of an SNS-compatible endpoint to publish job notifications to")
	fs.StringVar(&c.SNSRegion, "sns-region", "", "SNS signing region (default: the region in each topic ARN)")
	fs.StringVar(&c.SNSAccessKey, "sns-access-key", "", "access key for SNS (default: the AWS credential chain)")
	fs.StringVar(&c.SNSSecretKey, "sns-secret-key", "", "secret key for SNS")
	fs.BoolVar(&c.SNSUseAWS, "sns-aws", false, "publish job notifications to real AWS SNS (AWS credential chain)")
	fs.StringVar(&c.NotifyURL, "notify-url", "", "also POST each job notification (the DescribeJob JSON) to this URL")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 10*time.Minute, "how long shutdown waits for in-flight requests")
	fs.DurationVar(&c.MaxSkew, "max-skew", 15*time.Minute, "allowed difference between a request's signing time and the server clock")
	fs.DurationVar(&c.ReadHeaderTimeout, "read-header-timeout", 30*time.Second, "how long a client may take to send a request's headers (0: no limit)")
	fs.DurationVar(&c.BodyIdleTimeout, "body-idle-timeout", time.Minute, "longest pause allowed in a request body (0: no limit)")
	fs.Int64Var(&c.BodyMinRate, "body-min-rate", 1024, "bytes per second a request body must average while the server waits for it, after --body-idle-timeout of grace (0: no minimum)")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", 2*time.Minute, "how long an idle keep-alive connection stays open (0: no limit)")
	fs.StringVar(&c.TLSCert, "tls-cert", "", "serve HTTPS with this certificate (PEM; with --tls-key)")
	fs.StringVar(&c.TLSKey, "tls-key", "", "private key for --tls-cert (PEM)")
	fs.BoolVar(&c.TrustForwardedProto, "trust-forwarded-proto", false, "treat requests with X-Forwarded-Proto: https as TLS (behind a TLS-terminating load balancer)")
	fs.StringVar(&c.LogFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn or error")
	err := ff.Parse(fs, args, ff.WithEnvVarPrefix("GLACIERD"))
	return c, err
}

// validate reports the first problem with c.
func (c Config) validate() error {
	switch {
	case c.Data == "":
		return fmt.Errorf("--data must name a directory")
	case !glacier.IsAccountID(c.AccountID):
		return fmt.Errorf("--account-id must be 12 digits, not %q", c.AccountID)
	case c.AccessKey == "" || c.SecretKey == "":
		return fmt.Errorf("--access-key and --secret-key must not be empty")
	case c.TimeScale < 0:
		return fmt.Errorf("--time-scale must not be negative")
	case c.ExpeditedOnDemand < 0:
		return fmt.Errorf("--expedited-on-demand must not be negative")
	case c.ReadHeaderTimeout < 0 || c.BodyIdleTimeout < 0 || c.BodyMinRate < 0 || c.IdleTimeout < 0:
		return fmt.Errorf("--read-header-timeout, --body-idle-timeout, --body-min-rate and --idle-timeout must not be negative")
	case (c.TLSCert == "") != (c.TLSKey == ""):
		return fmt.Errorf("--tls-cert and --tls-key go together")
	case c.LogFormat != "text" && c.LogFormat != "json":
		return fmt.Errorf("--log-format must be text or json")
	}
	return nil
}

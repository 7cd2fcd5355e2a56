package migrate

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/peterbourgon/ff/v3"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/storeset"
	"github.com/glacierd/glacierd/internal/units"
)

// Config says what Run copies from where to where.
type Config struct {
	From storeset.Config // the source: usually the embedded stores of a data directory
	To   storeset.Config // the destination: usually PostgreSQL and S3
	// Resume accepts a destination that already holds data: that of an
	// earlier, interrupted migration from the same source, which Run
	// completes. Without it Run refuses a destination with any account.
	Resume  bool
	Workers int // archives copied at once; <= 0 means 4
}

// Report counts what Run copied. Run returns it even when it
// fails, with the figures reached so far; when it failed before it began
// copying (bad flags, unreachable stores), the report is zero, Elapsed too.
type Report struct {
	Accounts        int
	Vaults          int
	VaultConfigs    int
	LiveArchives    int
	DeletedArchives int
	// DeletedWithoutBytes counts deleted archives whose bytes the source had
	// collected, or was due to collect (no retrieval job still needs them),
	// or which no longer matched their checksum: their records are copied,
	// for inventories, without bytes.
	DeletedWithoutBytes int
	// AlreadyPresent counts archives found in the destination (Resume) and
	// not copied again.
	AlreadyPresent   int
	ActiveUploads    int
	FinishedUploads  int
	Parts            int
	Jobs             int
	Capacities       int
	Policies         int
	Notifications    int
	Blobs            int   // blobs written to the destination
	Bytes            int64 // bytes of archive data, parts and job outputs copied
	RepairedSidecars int   // leaf-hash sidecars missing or wrong in the source, written afresh
	// Failed names every archive, part or job output whose bytes were
	// missing or did not match their checksum.
	Failed  []string
	Elapsed time.Duration
}

// String renders the report for people, one figure group per line.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "accounts:      %d\n", r.Accounts)
	fmt.Fprintf(&b, "vaults:        %d (%d with tags, policies, locks or notifications)\n", r.Vaults, r.VaultConfigs)
	fmt.Fprintf(&b, "archives:      %d live, %d deleted (%d of them without bytes); %d already in the destination\n",
		r.LiveArchives, r.DeletedArchives, r.DeletedWithoutBytes, r.AlreadyPresent)
	fmt.Fprintf(&b, "uploads:       %d in progress (%d parts), %d finished\n", r.ActiveUploads, r.Parts, r.FinishedUploads)
	fmt.Fprintf(&b, "jobs:          %d\n", r.Jobs)
	fmt.Fprintf(&b, "accounts' settings: %d capacity units, %d retrieval policies; %d pending notifications\n",
		r.Capacities, r.Policies, r.Notifications)
	fmt.Fprintf(&b, "copied:        %d blobs, %s (%d bytes); %d leaf-hash sidecars recomputed\n",
		r.Blobs, units.Format(r.Bytes), r.Bytes, r.RepairedSidecars)
	fmt.Fprintf(&b, "elapsed:       %s", r.Elapsed.Round(time.Millisecond))
	if s := r.Elapsed.Seconds(); s > 0 && r.Bytes > 0 {
		fmt.Fprintf(&b, " (%s/s)", units.Format(int64(float64(r.Bytes)/s)))
	}
	b.WriteString("\n")
	for _, f := range r.Failed {
		fmt.Fprintf(&b, "FAILED:        %s\n", f)
	}
	return b.String()
}

const usage = `Usage: glacierd migrate --from DIR --meta postgres://… --blobs s3://… [flags]

Copies everything a glacierd keeps — accounts' capacity units and retrieval
policies, vaults with their tags, access policies, locks and notification
settings, archives (deleted ones too, for inventories), multipart uploads in
progress with their parts, jobs with their inventory outputs, and undelivered
notifications — from one pair of stores (by default the embedded SQLite
database and archive files of the data directory DIR) into another (usually
PostgreSQL and an S3-compatible store), and prints what it copied.

Every archive's and part's tree hash is recomputed from the bytes copied; a
mismatch, or missing bytes, fails the migration (after everything else is
copied) and names the archive; the record of a deleted archive whose bytes
are already gone is copied without them. The
source must not be in use: migrate takes the data directory's lock and
refuses to run while a glacierd holds it. The destination must hold no
account unless --resume is given, which completes an interrupted migration
(run it again with the same flags; what was copied is not copied again).

Every flag can also be set by its environment variable: GLACIERD_ + the flag
name in capitals, dashes as underscores (GLACIERD_META, GLACIERD_S3_ACCESS_KEY).

Flags:
`

// ParseFlags fills a Config from the arguments of `glacierd
// migrate` and the environment (flags win). Run validates the result.
func ParseFlags(name string, args []string) (Config, error) {
	var c Config
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(&c.From.Data, "from", "", "source data directory (embedded stores); no glacierd may be running on it")
	fs.StringVar(&c.From.Meta, "from-meta", "sqlite", "source metadata store: sqlite (in --from) or a postgres:// URL")
	fs.StringVar(&c.From.Blobs, "from-blobs", "fs", "source archive store: fs (in --from) or an s3:// URL")
	fs.StringVar(&c.From.S3AccessKey, "from-s3-access-key", "", "access key for --from-blobs s3:// (default: AWS_ACCESS_KEY_ID)")
	fs.StringVar(&c.From.S3SecretKey, "from-s3-secret-key", "", "secret key for --from-blobs s3://")
	fs.StringVar(&c.To.Meta, "meta", "", "destination metadata store: a postgres:// URL (password best given in PGPASSWORD), or sqlite in --data")
	fs.StringVar(&c.To.Blobs, "blobs", "", "destination archive store: s3://BUCKET[/PREFIX]?endpoint=HOST:PORT[&secure=false][&region=R], or fs in --data")
	fs.StringVar(&c.To.S3AccessKey, "s3-access-key", "", "access key for --blobs s3:// (default: AWS_ACCESS_KEY_ID)")
	fs.StringVar(&c.To.S3SecretKey, "s3-secret-key", "", "secret key for --blobs s3:// (default: AWS_SECRET_ACCESS_KEY)")
	fs.StringVar(&c.To.Data, "data", "", "destination data directory, only when --meta sqlite or --blobs fs")
	fs.BoolVar(&c.Resume, "resume", false, "accept a non-empty destination: complete an interrupted migration from the same source")
	fs.IntVar(&c.Workers, "workers", 4, "archives copied at once")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if err := ff.Parse(fs, args, ff.WithEnvVarPrefix("GLACIERD")); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q (see glacierd migrate -h)", fs.Arg(0))
	}
	return c, nil
}

// validate reports the first problem with c.
func (c Config) validate() error {
	if c.To.Meta == "" || c.To.Blobs == "" {
		return errors.New("--meta and --blobs must name the destination stores (see glacierd migrate -h)")
	}
	for _, s := range []struct {
		name  string
		store storeset.Config
		flag  string
	}{{"source", c.From, "--from"}, {"destination", c.To, "--data"}} {
		if s.store.Embedded() && s.store.Data == "" {
			return fmt.Errorf("the %s uses an embedded store (sqlite or fs): %s must name its data directory", s.name, s.flag)
		}
	}
	if c.From.Meta == c.To.Meta && c.From.Blobs == c.To.Blobs && !c.From.Embedded() {
		return errors.New("the source and the destination are the same stores")
	}
	if c.From.Meta == "" || c.From.Meta == "sqlite" {
		db := filepath.Join(c.From.Data, "meta.db")
		if _, err := os.Stat(db); err != nil {
			return fmt.Errorf("--from %s is not a glacierd data directory: %w", c.From.Data, err)
		}
	}
	return nil
}

// Run copies every record and blob of the stores c.From into the stores
// c.To (see ParseFlags's usage text for what and how), verifying each
// archive's and part's tree hash against the bytes it copies, and returns
// what it copied. It can be run again after a failure with c.Resume.
//
// Records are written after the blobs they reference, so that an interrupted
// run leaves no record without its bytes; blobs are recorded as garbage in
// the destination before they are written and claimed with the record, as
// the server does, so that blobs of an abandoned run are collected.
func Run(ctx context.Context, c Config, log *slog.Logger) (_ Report, err error) {
	began := time.Now()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if err := c.validate(); err != nil {
		return Report{}, err
	}
	src, err := storeset.Open(ctx, c.From, log.Info)
	if err != nil {
		return Report{}, fmt.Errorf("source: %w", err)
	}
	defer func() { err = errors.Join(err, src.Close()) }()
	dst, err := storeset.Open(ctx, c.To, log.Info)
	if err != nil {
		return Report{}, fmt.Errorf("destination: %w", err)
	}
	defer func() { err = errors.Join(err, dst.Close()) }()

	m := &migrator{src: src, dst: dst, log: log, resume: c.Resume, workers: c.Workers,
		intentUntil: time.Now().Add(intentGrace)}
	err = m.run(ctx)
	rep := m.report()
	rep.Elapsed = time.Since(began)
	return rep, err
}

// run copies everything, account by account, then what spans accounts.
func (m *migrator) run(ctx context.Context) error {
	var accounts, existing []string
	if err := m.src.Meta.View(ctx, func(tx glacier.Tx) (err error) {
		accounts, err = tx.Accounts()
		return err
	}); err != nil {
		return fmt.Errorf("source: accounts: %w", err)
	}
	if err := m.dst.Meta.View(ctx, func(tx glacier.Tx) (err error) {
		existing, err = tx.Accounts()
		return err
	}); err != nil {
		return fmt.Errorf("destination: accounts: %w", err)
	}
	if len(existing) > 0 && !m.resume {
		return fmt.Errorf("the destination already holds data (accounts %s); give --resume to complete an interrupted migration into it",
			strings.Join(existing[:min(len(existing), 5)], ", "))
	}
	m.log.Info("migrating", "accounts", len(accounts), "resume", m.resume)
	for _, a := range accounts {
		if err := m.copyAccount(ctx, a); err != nil {
			return err
		}
		m.add(func(r *Report) { r.Accounts++ })
	}
	if err := m.copyFinishedUploads(ctx); err != nil {
		return err
	}
	if err := m.copyNotifications(ctx); err != nil {
		return err
	}
	if failed := m.report().Failed; len(failed) > 0 {
		return fmt.Errorf("%d records failed verification and were not migrated (everything else was): %s",
			len(failed), strings.Join(failed, "; "))
	}
	return nil
}

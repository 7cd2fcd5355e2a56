package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/alecthomas/kong"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/smithy-go/logging"

	"github.com/glacierd/glacierd/cmd/glacier/internal/client"
	"github.com/glacierd/glacierd/cmd/glacier/internal/jobwait"
	"github.com/glacierd/glacierd/cmd/glacier/internal/progress"
	"github.com/glacierd/glacierd/cmd/glacier/internal/tierwait"
)

// cli is the command line: global flags and the command tree.
type cli struct {
	Profile     string `help:"Shared-config profile (default: AWS_PROFILE, else \"default\")." placeholder:"NAME" group:"global"`
	Region      string `help:"AWS region (default: AWS_REGION or the profile's; us-east-1 with a custom endpoint)." placeholder:"REGION" group:"global"`
	EndpointURL string `name:"endpoint-url" help:"Service endpoint, e.g. http://127.0.0.1:8080 for glacierd (default: AWS_ENDPOINT_URL_GLACIER, AWS_ENDPOINT_URL or the profile's endpoint_url)." placeholder:"URL" group:"global"`
	AccountID   string `name:"account-id" default:"-" help:"Account ID; \"-\" means the credentials' own account." group:"global"`
	Output      string `enum:"text,json" default:"text" help:"Result format: text or json (for scripts)." group:"global"`
	Quiet       bool   `short:"q" help:"No progress bars or status messages." group:"global"`
	MaxAttempts int    `name:"max-attempts" default:"5" help:"Attempts per request, retries included." group:"global"`
	Debug       bool   `help:"Log HTTP requests and retries, and print errors in full." group:"global"`

	Version     kong.VersionFlag `help:"Print the version and exit." group:"global"`
	CatalogPath string           `name:"catalog" help:"Catalog of uploaded archives (default: GLACIER_CATALOG, else $XDG_STATE_HOME/glacier/catalog.db or ~/.local/state/glacier/catalog.db); off turns it off." placeholder:"PATH" group:"global"`

	Vault           vaultCmd           `cmd:"" help:"Create, list, describe and delete vaults."`
	Upload          uploadCmd          `cmd:"" help:"Upload a file or standard input as an archive."`
	Uploads         uploadsCmd         `cmd:"" help:"List and abort in-progress multipart uploads."`
	Archive         archiveCmd         `cmd:"" help:"Delete archives."`
	Catalog         catalogCmd         `cmd:"" help:"List the archives uploaded from this machine, kept in a local catalog."`
	Help            helpCmd            `cmd:"" help:"Show a command's help: glacier help vault delete."`
	Completion      completionCmd      `cmd:"" help:"Print a shell completion script: source <(glacier completion bash)."`
	Complete        completeCmd        `cmd:"" name:"__complete" hidden:"" help:"Print completions for a command line (used by the completion scripts)."`
	Retrieve        retrieveCmd        `cmd:"" help:"Retrieve an archive: start a job, wait for it, download and verify."`
	Download        downloadCmd        `cmd:"" help:"Download the output of an archive-retrieval job into a file."`
	Inventory       inventoryCmd       `cmd:"" help:"List a vault's archives, through inventory-retrieval jobs."`
	Jobs            jobsCmd            `cmd:"" help:"List and describe jobs."`
	Tags            tagsCmd            `cmd:"" help:"Add, remove and list vault tags."`
	Policy          policyCmd          `cmd:"" help:"Get, set and delete vault access policies."`
	Lock            lockCmd            `cmd:"" help:"Vault Lock: initiate, complete, abort, get."`
	Notifications   notificationsCmd   `cmd:"" help:"Get, set and delete vault notification configurations."`
	Capacity        capacityCmd        `cmd:"" help:"Buy and list provisioned retrieval capacity."`
	RetrievalPolicy retrievalPolicyCmd `cmd:"" name:"retrieval-policy" help:"Get and set the account's data retrieval policy."`
	Transfer        transferCmd        `cmd:"" help:"Move a whole vault to S3: retrieve, verify and copy every archive, resumably."`
}

// app is what every command's Run receives: the environment, the global
// flags and a lazily built client.
type app struct {
	ctx context.Context
	env env
	cli *cli
	gl  *glacier.Client
	cat catalogState
}

// client returns the Glacier client, building it on first use. concurrency
// sizes the connection pool.
func (a *app) client(concurrency int) (*glacier.Client, error) {
	if a.gl != nil {
		return a.gl, nil
	}
	s := client.Settings{
		Profile: a.cli.Profile, Region: a.cli.Region, EndpointURL: a.cli.EndpointURL,
		MaxAttempts: a.cli.MaxAttempts, Connections: concurrency,
		HTTPClient: a.env.httpClient, LoadOptions: a.env.loadOptions, Getenv: a.env.getenv,
	}
	if a.cli.Debug {
		s.LoadOptions = append(s.LoadOptions,
			config.WithLogger(logging.NewStandardLogger(a.env.stderr)),
			config.WithClientLogMode(aws.LogRetries|aws.LogRequest|aws.LogResponse))
	}
	gl, err := client.New(a.ctx, s)
	if err != nil {
		return nil, err
	}
	a.gl = gl
	return gl, nil
}

// account returns the --account-id value.
func (a *app) account() *string { return aws.String(a.cli.AccountID) }

// jsonOut reports whether results are to be printed as JSON.
func (a *app) jsonOut() bool { return a.cli.Output == "json" }

// printJSON writes v as indented JSON to standard output.
func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.env.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printf writes to standard output.
func (a *app) printf(format string, args ...any) { fmt.Fprintf(a.env.stdout, format, args...) }

// notice writes a status message to standard error unless --quiet. On a
// terminal it first clears the line, where a progress bar may stand; the
// bar redraws itself below the message.
func (a *app) notice(format string, args ...any) {
	if a.cli.Quiet {
		return
	}
	if a.env.tty {
		format = "\r\033[K" + format
	}
	fmt.Fprintf(a.env.stderr, format+"\n", args...)
}

// bar returns a progress bar on standard error, or nil when it is not a
// terminal or --quiet is set.
func (a *app) bar(total int64, desc string) *progress.Bar {
	return progress.New(a.env.stderr, a.env.tty && !a.cli.Quiet, total, desc)
}

// table returns a tab-aligned writer on standard output; Flush it.
func (a *app) table() *tabwriter.Writer {
	return tabwriter.NewWriter(a.env.stdout, 0, 4, 2, ' ', 0)
}

// waitFlags are the flags of commands that wait for jobs.
type waitFlags struct {
	Poll        time.Duration `default:"30s" help:"Longest interval between checks of the job's status (a young job is checked sooner, so that none expires unseen)."`
	WaitTimeout time.Duration `name:"wait-timeout" help:"Give up waiting after this long (the job keeps running); 0 waits as long as it takes."`
}

// waitJob polls a job until it completes, showing a status line: updated in
// place on a terminal, otherwise printed when waiting starts and ends.
func (a *app) waitJob(gl *glacier.Client, vault, jobID string, w waitFlags) (*glacier.DescribeJobOutput, error) {
	live := a.env.tty && !a.cli.Quiet
	printed, open := false, false // open: a live status line awaits its newline
	status := func(j *glacier.DescribeJobOutput, waited time.Duration, next time.Time) {
		if a.cli.Quiet {
			return
		}
		line := fmt.Sprintf("job %s: %s", short(jobID), j.StatusCode)
		if e := tierwait.Expected(j); e != "" {
			line += " (" + e + ")"
		}
		if waited >= time.Second {
			line += fmt.Sprintf(", waited %s", waited.Round(time.Second))
		}
		if !next.IsZero() {
			line += fmt.Sprintf("; next check at %s", next.Format("15:04:05"))
		}
		switch {
		case live:
			fmt.Fprintf(a.env.stderr, "\r\033[K%s", line)
			open = !next.IsZero()
			if !open {
				fmt.Fprintln(a.env.stderr)
			}
		case !printed || next.IsZero():
			fmt.Fprintln(a.env.stderr, line)
		}
		printed = true
	}
	out, err := jobwait.Wait(a.ctx, gl, a.cli.AccountID, vault, jobID, jobwait.Options{Poll: w.Poll, Timeout: w.WaitTimeout, Status: status})
	if err != nil && open {
		fmt.Fprintln(a.env.stderr) // the error starts on a line of its own
	}
	return out, err
}

// short abbreviates a long Glacier ID for status lines.
func short(id string) string {
	if len(id) <= 16 {
		return id
	}
	return id[:12] + "…"
}

// readInput reads a named file, or standard input for "-".
func (a *app) readInput(name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(a.env.stdin)
	}
	return os.ReadFile(name)
}

// orDash returns s, or "-" when s is empty (for tables).
func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

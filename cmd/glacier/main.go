// Command glacier is a command-line client for Amazon Glacier and for
// glacierd, the self-hosted server that speaks the same API: vaults, parallel
// resumable uploads, retrievals with verified parallel downloads, inventories
// and jobs, with the account-level and vault-governance operations besides.
//
// It reads the standard AWS configuration (AWS_* environment variables,
// ~/.aws/config and ~/.aws/credentials, --profile), so it works unchanged
// against AWS; point it at glacierd with --endpoint-url or
// AWS_ENDPOINT_URL_GLACIER. Run "glacier --help" for the commands.
//
// Exit status: 0 on success, 1 on an error (the AWS error code and message
// are printed), 2 on a usage error, 3 when a download fails verification,
// 4 when glacier transfer moved some archives but others failed, 130 when
// interrupted.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/alecthomas/kong"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go"

	"github.com/glacierd/glacierd/cmd/glacier/internal/download"
	"github.com/glacierd/glacierd/cmd/glacier/internal/progress"
	"github.com/glacierd/glacierd/cmd/glacier/internal/upload"
)

// Exit statuses.
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitCorrupt     = 3
	exitPartial     = 4 // glacier transfer: some archives moved, others failed
	exitInterrupted = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, tty: progress.IsTerminal(os.Stderr)}, os.Args[1:])
	stop()
	os.Exit(code)
}

// env is the world a run of the command sees. Tests fill it with buffers, a
// wrapped HTTP client and pinned AWS configuration.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	tty            bool // stderr is a terminal: draw progress bars and live status lines

	httpClient  aws.HTTPClient                       // nil: the SDK's
	loadOptions []func(*config.LoadOptions) error    // appended to the AWS config loader's
	getenv      func(string) string                  // nil: os.Getenv
	now         func() time.Time                     // nil: time.Now
	s3Transport http.RoundTripper                    // glacier transfer's S3 client; nil: minio-go's
	after       func(time.Duration) <-chan time.Time // glacier transfer's waits; nil: time.After
}

// exitRequest is how kong's Exit (after --help) unwinds out of parsing.
type exitRequest struct{ code int }

// run executes one command line and returns the exit status.
func run(ctx context.Context, e env, args []string) (code int) {
	var c cli
	k, err := kong.New(&c,
		kong.Name("glacier"),
		kong.Vars{"version": buildVersion()},
		kong.Description("A command-line client for Amazon Glacier and glacierd."),
		kong.Writers(e.stdout, e.stderr),
		kong.Exit(func(code int) { panic(exitRequest{code}) }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true, NoExpandSubcommands: true}),
		kong.ExplicitGroups([]kong.Group{{Key: "global", Title: "Global flags:"}}),
		caseInsensitiveEnums(),
	)
	if err != nil {
		fmt.Fprintln(e.stderr, "glacier: internal error:", err)
		return exitError
	}
	defer func() {
		if r := recover(); r != nil {
			req, ok := r.(exitRequest)
			if !ok {
				panic(r)
			}
			code = req.code
		}
	}()
	if len(args) == 0 {
		args = []string{"--help"}
	}
	kctx, err := k.Parse(escapeIDs(args))
	if err != nil {
		fmt.Fprintln(e.stderr, "glacier: error:", strings.ReplaceAll(err.Error(), idEscape, ""))
		var pe *kong.ParseError
		cmd := ""
		if errors.As(err, &pe) && pe.Context != nil {
			if p := pe.Context.Command(); p != "" {
				cmd = commandPath(p) + " "
			}
		}
		fmt.Fprintf(e.stderr, "Run 'glacier %s--help' for usage.\n", cmd)
		return exitUsage
	}
	unescapeIDs(kctx)
	a := &app{ctx: ctx, env: e, cli: &c}
	defer a.closeCatalog()
	if err := kctx.Run(a); err != nil {
		return a.report(err)
	}
	return exitOK
}

// commandPath turns kong's "vault create <name>" into "vault create".
func commandPath(p string) string {
	var words []string
	for w := range strings.FieldsSeq(p) {
		if strings.HasPrefix(w, "<") {
			break
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

// report prints err for the user and returns the exit status for it.
func (a *app) report(err error) int {
	w := a.env.stderr
	var ie *upload.InterruptedError
	if errors.As(err, &ie) {
		defer fmt.Fprintf(w, "The parts sent so far stay in the vault: resume with --resume %s (or --resume-auto),\n"+
			"or discard them with: glacier uploads abort %s %s\n", ie.UploadID, ie.Vault, ie.UploadID)
	}
	if code, ok := errors.AsType[exitCode](err); ok {
		return int(code) // already reported
	}
	if a.ctx.Err() != nil && errors.Is(err, context.Canceled) {
		fmt.Fprintln(w, "glacier: interrupted")
		return exitInterrupted
	}
	if a.cli.Debug {
		fmt.Fprintf(w, "glacier: %v\n", err)
	} else {
		fmt.Fprintf(w, "glacier: %s\n", describe(err))
	}
	var ce *download.CorruptError
	if errors.As(err, &ce) {
		return exitCorrupt
	}
	return exitError
}

// describe renders err briefly: an AWS error as "Operation: Code: message"
// and an unreachable endpoint as "Operation: cannot reach URL", rather than
// the SDK's full chain of wrapping.
func describe(err error) string {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		if msg, ok := describeNetwork(err); ok {
			return msg
		}
		return err.Error()
	}
	msg := ae.ErrorCode() + ": " + ae.ErrorMessage()
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		msg = oe.Operation() + ": " + msg
	}
	return msg
}

// describeNetwork renders a request that never reached the service: the
// endpoint refused the connection, or its name does not resolve.
func describeNetwork(err error) (string, bool) {
	var ue *url.Error
	var oe *net.OpError
	var de *net.DNSError
	if !errors.As(err, &ue) || !(errors.As(err, &oe) && oe.Op == "dial" || errors.As(err, &de)) {
		return "", false
	}
	endpoint := ue.URL
	if u, perr := url.Parse(ue.URL); perr == nil {
		endpoint = u.Scheme + "://" + u.Host
	}
	hint := "is glacierd running?"
	if strings.HasSuffix(strings.Split(strings.TrimPrefix(endpoint, "https://"), ":")[0], ".amazonaws.com") {
		hint = "check the network connection"
	}
	cause := ue.Err.Error()
	switch {
	case de != nil:
		cause = "no such host"
	case oe != nil && oe.Err != nil:
		cause = oe.Err.Error()
	}
	msg := fmt.Sprintf("cannot reach %s — %s (%s)", endpoint, hint, cause)
	if oerr, ok := errors.AsType[*smithy.OperationError](err); ok {
		msg = oerr.Operation() + ": " + msg
	}
	return msg, true
}

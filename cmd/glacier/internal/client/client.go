// Package client builds the Glacier SDK client the glacier command uses, from
// the standard AWS configuration chain (environment, shared config and
// credentials files, profiles) plus the command's own flags, and provides the
// small SDK customizations the command needs.
package client

import (
	"context"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/internal/payloadhash"
)

// DefaultRegionForEndpoint is the signing region used when a custom endpoint
// (such as a local glacierd) is configured but no region is.
const DefaultRegionForEndpoint = "us-east-1"

// Settings are the command-line choices that shape the client. Zero values
// defer to the AWS configuration chain.
type Settings struct {
	Profile     string // shared-config profile; "" uses AWS_PROFILE or "default"
	Region      string // overrides AWS_REGION and the profile's region
	EndpointURL string // overrides AWS_ENDPOINT_URL(_GLACIER) and endpoint_url
	MaxAttempts int    // attempts per request, retries included; 0: 5
	Connections int    // idle connections kept per host; at least the concurrency

	// HTTPClient replaces the SDK's HTTP client (tests wrap the transport).
	HTTPClient aws.HTTPClient
	// LoadOptions are appended to the configuration loader's options
	// (tests pin credentials and keep the machine's ~/.aws out).
	LoadOptions []func(*config.LoadOptions) error
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
}

// New loads the AWS configuration and returns a Glacier client.
//
// The endpoint comes, in order of precedence, from Settings.EndpointURL,
// AWS_ENDPOINT_URL_GLACIER, the profile's services section, AWS_ENDPOINT_URL
// and the profile's endpoint_url (the SDK resolves all but the first), or is
// AWS's own. Without any configured region, a configured custom endpoint gets
// DefaultRegionForEndpoint; otherwise a missing region is an error, rather
// than a silent guess that would put vaults in the wrong place.
func New(ctx context.Context, s Settings) (*glacier.Client, error) {
	getenv := s.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	attempts := s.MaxAttempts
	if attempts <= 0 {
		attempts = 5
	}
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer {
			// Parallel transfers must not drain a shared retry budget and
			// then fail fast: every request gets its own attempts.
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = attempts
				o.RateLimiter = ratelimit.None
			})
		}),
	}
	if s.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(s.Profile))
	}
	if s.Region != "" {
		opts = append(opts, config.WithRegion(s.Region))
	}
	if s.HTTPClient == nil {
		conns := max(s.Connections, 4) + 2
		opts = append(opts, config.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
			t.MaxIdleConnsPerHost = conns
			// Archive bodies are large: move them in large writes and
			// reads rather than the default 4 KiB.
			t.WriteBufferSize = 256 << 10
			t.ReadBufferSize = 256 << 10
		})))
	}
	opts = append(opts, s.LoadOptions...)
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	custom := s.EndpointURL != "" || cfg.BaseEndpoint != nil || getenv("AWS_ENDPOINT_URL_GLACIER") != ""
	for _, e := range []string{s.EndpointURL, getenv("AWS_ENDPOINT_URL_GLACIER"), aws.ToString(cfg.BaseEndpoint)} {
		if err := checkEndpoint(e); err != nil {
			return nil, err
		}
	}
	if custom {
		// A custom endpoint is not on EC2's network: asking the instance
		// metadata service for credentials would only time out.
		cfg, err = config.LoadDefaultConfig(ctx, append(opts, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))...)
		if err != nil {
			return nil, fmt.Errorf("load AWS configuration: %w", err)
		}
	}
	if cfg.Credentials != nil {
		if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			return nil, &CredentialsError{Err: err}
		}
	}
	if cfg.Region == "" {
		if !custom {
			return nil, fmt.Errorf("no AWS region configured: use --region, AWS_REGION or a profile with a region")
		}
		cfg.Region = DefaultRegionForEndpoint
	}
	return glacier.NewFromConfig(cfg, func(o *glacier.Options) {
		if s.EndpointURL != "" {
			o.BaseEndpoint = aws.String(s.EndpointURL)
		}
		if s.HTTPClient != nil {
			// Set here rather than in the loader, which insists on its own
			// client type when AWS_CA_BUNDLE is set.
			o.HTTPClient = s.HTTPClient
		}
	}), nil
}

// WithContentSHA256 is a per-call option for requests with a body whose
// SHA-256 is already known: it sends it as x-amz-content-sha256 (which
// Glacier requires on uploads) and signs with it, so the SDK does not read
// the body again to compute it. Pair it with the input's Checksum (the tree
// hash), which likewise stops the SDK's own tree-hash pass.
func WithContentSHA256(sum [32]byte) func(*glacier.Options) {
	return payloadhash.Option(hex.EncodeToString(sum[:]))
}

// CredentialsError reports that the configuration chain yielded no
// credentials.
type CredentialsError struct{ Err error }

// Error says how to provide credentials; the SDK's reasons are in Err.
func (e *CredentialsError) Error() string {
	return "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use --profile NAME " +
		"(glacierd's default key is test, secret test)"
}

// Unwrap returns the SDK's error.
func (e *CredentialsError) Unwrap() error { return e.Err }

// checkEndpoint rejects an endpoint without a scheme, which the SDK would
// otherwise take for a path and fail on obscurely.
func checkEndpoint(e string) error {
	if e == "" || strings.Contains(e, "://") {
		return nil
	}
	return fmt.Errorf("endpoint %q has no scheme: use http://%s (glacierd without TLS) or https://%s", e, e, e)
}

package notify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// SNSConfig configures [NewSNS]. The zero value uses the default AWS
// configuration (environment, shared config files, default credential chain)
// and publishes to each topic in the region named in its ARN.
type SNSConfig struct {
	// Endpoint, if set, overrides the SNS endpoint URL (the SDK's
	// BaseEndpoint), e.g. a local SNS-compatible server. It must be an
	// absolute http or https URL.
	Endpoint string
	// Region is the signing and endpoint region. If empty, the region of the
	// default AWS configuration (AWS_REGION, shared config) is used, if any.
	Region string
	// AccessKey and SecretKey, if set (both or neither), are static
	// credentials; otherwise the default AWS credential chain is used.
	AccessKey, SecretKey string
	// SessionToken is the optional session token for the static credentials.
	SessionToken string
	// IgnoreTopicRegion, if true, always uses Region (or the configured
	// default) instead of the region in the topic ARN
	// (arn:PARTITION:sns:REGION:ACCOUNT:NAME). The default, false, signs and
	// routes each publish for the topic's own region, falling back to Region
	// when the ARN names none.
	IgnoreTopicRegion bool
	// HTTPClient, if set, is the client the SDK sends requests with;
	// otherwise the SDK's default client is used.
	HTTPClient *http.Client
}

// SNS is a [Publisher] that publishes through the Amazon SNS Publish API
// using aws-sdk-go-v2. Each Publish call makes exactly one HTTP attempt (the
// SDK's retries are disabled; the caller's outbox retries). It is safe for
// concurrent use.
type SNS struct {
	client          *sns.Client
	region          string
	regionFromTopic bool
}

// NewSNS builds an [SNS] publisher from cfg. It loads the default AWS
// configuration (ctx bounds that loading only) and fails if cfg is
// inconsistent: only one of AccessKey/SecretKey set, an Endpoint that is not
// an absolute http(s) URL, or IgnoreTopicRegion with no region configured
// anywhere. Credentials from the default chain are resolved lazily at the
// first Publish, so a missing credential shows up as a transient publish
// error, not here.
func NewSNS(ctx context.Context, cfg SNSConfig) (*SNS, error) {
	if (cfg.AccessKey == "") != (cfg.SecretKey == "") {
		return nil, errors.New("notify: SNS AccessKey and SecretKey must be set together")
	}
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("notify: invalid SNS endpoint %q: want an absolute http(s) URL", cfg.Endpoint)
		}
	}
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer { return aws.NopRetryer{} }),
	}
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	if cfg.AccessKey != "" {
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, cfg.SessionToken)))
	}
	if cfg.HTTPClient != nil {
		opts = append(opts, config.WithHTTPClient(cfg.HTTPClient))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("notify: loading AWS configuration: %w", err)
	}
	if awsCfg.Region == "" && cfg.IgnoreTopicRegion {
		return nil, errors.New("notify: SNS region not configured (set Region or AWS_REGION)")
	}
	client := sns.NewFromConfig(awsCfg, func(o *sns.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		o.Retryer = aws.NopRetryer{}
	})
	return &SNS{client: client, region: awsCfg.Region, regionFromTopic: !cfg.IgnoreTopicRegion}, nil
}

// Publish publishes message to topicARN with the given subject (omitted when
// empty) in one SNS Publish request. It returns nil once SNS has returned a
// MessageId, and otherwise a [*DeliveryError] classified as described in the
// package documentation; a topic ARN with no usable region when none is
// configured fails permanently without a request.
func (s *SNS) Publish(ctx context.Context, topicARN, subject, message string) error {
	region := s.region
	if s.regionFromTopic {
		if a, err := arn.Parse(topicARN); err == nil && a.Region != "" {
			region = a.Region
		}
	}
	if region == "" {
		return &DeliveryError{Via: ViaSNS, Topic: topicARN, Code: "InvalidParameter", Permanent: true,
			Err: errors.New("topic ARN names no region and no SNS region is configured")}
	}
	in := &sns.PublishInput{TopicArn: aws.String(topicARN), Message: aws.String(message)}
	if subject != "" {
		in.Subject = aws.String(subject)
	}
	_, err := s.client.Publish(ctx, in, func(o *sns.Options) { o.Region = region })
	if err != nil {
		return classifySNS(topicARN, err)
	}
	return nil
}

// classifySNS wraps an SDK error in a DeliveryError.
func classifySNS(topic string, err error) *DeliveryError {
	de := &DeliveryError{Via: ViaSNS, Topic: topic, Err: err}
	var st interface{ HTTPStatusCode() int }
	if errors.As(err, &st) {
		de.StatusCode = st.HTTPStatusCode()
	}
	// smithy.APIError, matched structurally to keep smithy-go an indirect
	// dependency.
	var api interface{ ErrorCode() string }
	if errors.As(err, &api) {
		de.Code = api.ErrorCode()
		de.Permanent = permanentSNSCode(de.Code, de.StatusCode)
	}
	return de
}

// permanentSNSCode classifies an SNS error code returned with HTTP status
// status. Codes known to reject the message or topic for good are permanent;
// throttling, server faults and credential problems (which concern the whole
// deployment, not this message) are transient; an unknown code is permanent
// only with a 4xx status other than 408 and 429.
func permanentSNSCode(code string, status int) bool {
	switch code {
	case "NotFound", "InvalidParameter", "ParameterValueInvalid", "InvalidParameterValue",
		"AuthorizationError", "EndpointDisabled", "PlatformApplicationDisabled",
		"ValidationException", "InvalidSecurity", "OptedOut",
		"KMSNotFound", "KMSDisabled", "KMSInvalidState", "KMSAccessDenied", "KMSOptInRequired",
		"InvalidAction", "MissingParameter", "MalformedQueryString":
		return true
	case "InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable",
		"Throttling", "ThrottlingException", "Throttled", "KMSThrottling", "RequestThrottled",
		"TooManyRequestsException", "RequestTimeout", "RequestTimeoutException",
		"InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch",
		"IncompleteSignature", "ExpiredToken", "ExpiredTokenException", "RequestExpired",
		"InvalidAccessKeyId", "AccessDenied", "AccessDeniedException", "MissingAuthenticationToken",
		"OptInRequired", "UnknownError":
		return false
	}
	return status >= 400 && status < 500 && status != http.StatusRequestTimeout &&
		status != http.StatusTooManyRequests
}

// Package notify delivers Amazon Glacier job-completion notifications.
//
// When a retrieval job completes, Glacier publishes the job's DescribeJob JSON
// document as an Amazon SNS message to the SNS topic named in the job and to
// the vault's notification topic (developer guide: "Configuring Vault
// Notifications"). glacierd keeps those messages in an outbox and retries
// them with backoff; this package is only the delivery end: a [Publisher]
// hands one message to one topic and reports whether it was accepted and, if
// not, whether a retry could ever succeed ([Permanent]).
//
// Implementations:
//
//   - [SNS] publishes through the aws-sdk-go-v2 SNS client (AWS query
//     protocol, SigV4-signed) to Amazon SNS or to any SNS-compatible endpoint.
//     The SDK's own retries are disabled: every Publish call is exactly one
//     HTTP attempt, so the outbox alone decides when to try again.
//   - [Webhook] POSTs the message JSON to an HTTP(S) URL.
//   - [Multi] fans one message out to several publishers.
//   - [PublisherFunc] adapts a function.
//
// Delivery is at-least-once at best: a request whose response is lost is
// reported as a transient failure even if the receiver accepted it, and a
// retry then delivers it again. Receivers must tolerate duplicates, as SNS
// subscribers already must.
//
// Every failure returned by the publishers in this package is, or wraps, a
// [*DeliveryError]. Errors are classified as permanent (the receiver rejected
// this message or topic for good: unknown topic, invalid parameter, topic
// policy denies the publisher, 4xx from a webhook) or transient (everything
// else, including network failures, throttling, 5xx, expired or missing
// credentials and context cancellation). A misconfigured deployment is
// therefore reported as transient so that messages are retried, not dropped,
// while an operator fixes it.
//
// The package notify/notifytest provides an in-process fake SNS endpoint and
// webhook receiver for tests.
//
// The package holds no package-level mutable state; all exported types are
// safe for concurrent use once constructed.
package notify

package notify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Publisher delivers one message to one topic. Implementations are safe for
// concurrent use.
//
// Publish returns nil only once the receiver has accepted the message. A
// non-nil error means the message may or may not have been delivered (a lost
// response looks like a failure); [Permanent] tells whether retrying the same
// message can ever succeed.
type Publisher interface {
	Publish(ctx context.Context, topicARN, subject, message string) error
}

// PublisherFunc adapts an ordinary function to a [Publisher]. It is safe for
// concurrent use if the function is.
type PublisherFunc func(ctx context.Context, topicARN, subject, message string) error

// Publish calls f(ctx, topicARN, subject, message).
func (f PublisherFunc) Publish(ctx context.Context, topicARN, subject, message string) error {
	return f(ctx, topicARN, subject, message)
}

// Via values name the publisher that produced a [DeliveryError].
const (
	// ViaSNS marks errors from [SNS].
	ViaSNS = "sns"
	// ViaWebhook marks errors from [Webhook].
	ViaWebhook = "webhook"
)

// DeliveryError describes one failed delivery attempt. Every error returned
// by [SNS.Publish] and [Webhook.Publish] is a *DeliveryError; [Multi] returns
// several of them joined. Its fields are informational, except Permanent,
// which is the classification [Permanent] reports.
type DeliveryError struct {
	// Via is the publisher kind: [ViaSNS] or [ViaWebhook].
	Via string
	// Topic is the topic ARN the message was addressed to.
	Topic string
	// Code is the SNS error code (e.g. "NotFound", "Throttling"), or empty
	// when the failure carried none (network errors, webhook responses).
	Code string
	// StatusCode is the HTTP status of the response, or 0 when no response
	// was received.
	StatusCode int
	// RetryAfter is the delay the receiver asked for in a Retry-After header
	// (webhook 429/503 responses), or 0 when it gave none.
	RetryAfter time.Duration
	// Permanent is true when retrying this message can never succeed.
	Permanent bool
	// Err is the underlying error, if any.
	Err error
}

// Error describes the failure, naming the publisher kind, topic, status and
// code when known.
func (e *DeliveryError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "notify: %s publish to %q failed", e.Via, e.Topic)
	kind := "transient"
	if e.Permanent {
		kind = "permanent"
	}
	b.WriteString(" (" + kind)
	if e.StatusCode != 0 {
		b.WriteString(", HTTP " + strconv.Itoa(e.StatusCode))
	}
	if e.Code != "" {
		b.WriteString(", " + e.Code)
	}
	b.WriteString(")")
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error, so that errors.Is and errors.As see
// e.g. context.Canceled or the SDK's typed SNS exceptions.
func (e *DeliveryError) Unwrap() error { return e.Err }

// Permanent reports whether err is a delivery failure that no retry of the
// same message can fix: the receiver rejected the topic or the message for
// good. It returns false for nil, for transient failures, and for errors not
// produced by this package (which are therefore retried).
//
// Wrapped errors are followed with their Unwrap methods. An error joining
// several errors (errors.Join, [Multi]) is permanent only if it joins at least
// one error and every one of them is permanent, so that a fan-out with any
// transient failure is retried.
func Permanent(err error) bool {
	for err != nil {
		switch e := err.(type) {
		case *DeliveryError:
			return e.Permanent
		case interface{ Unwrap() []error }:
			errs := e.Unwrap()
			n := 0
			for _, x := range errs {
				if x == nil {
					continue
				}
				if !Permanent(x) {
					return false
				}
				n++
			}
			return n > 0
		case interface{ Unwrap() error }:
			err = e.Unwrap()
		default:
			return false
		}
	}
	return false
}

// Multi is a [Publisher] that delivers every message to each of its
// publishers in order (nil entries are skipped). It attempts all of them even
// when some fail, and returns nil only if all succeeded; otherwise it returns
// the failures joined with errors.Join, which [Permanent] reports as
// permanent only if every failure was permanent. A retry of a partially
// failed Multi publish delivers the message again to the publishers that
// already accepted it. Multi is safe for concurrent use if its publishers are
// and the slice is not modified while in use.
type Multi []Publisher

// Publish delivers the message to every publisher in m, as described on
// [Multi]. It stops early only when ctx is done, in which case the context's
// error is joined to the failures.
func (m Multi) Publish(ctx context.Context, topicARN, subject, message string) error {
	var errs []error
	for _, p := range m {
		if p == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		if err := p.Publish(ctx, topicARN, subject, message); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

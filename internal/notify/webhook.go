package notify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Webhook request headers set by [Webhook.Publish].
const (
	// HeaderTopic carries the topic ARN the message was addressed to.
	HeaderTopic = "X-Glacierd-Topic"
	// HeaderSubject carries the message subject (control characters replaced
	// by spaces so that it is a valid header value).
	HeaderSubject = "X-Glacierd-Subject"
)

// DefaultWebhookTimeout bounds a whole webhook request (connect, send, read
// the response) when [NewWebhook] is given no client.
const DefaultWebhookTimeout = 30 * time.Second

// maxErrorBody caps how much of a failed webhook response is quoted in the
// error; maxDrainBody caps how much of any response is read so the
// connection can be reused.
const (
	maxErrorBody = 256
	maxDrainBody = 64 << 10
)

// Webhook is a [Publisher] that POSTs each message to a fixed HTTP(S) URL.
// The request body is the message exactly as given (the job's JSON
// document), with headers Content-Type: application/json, [HeaderTopic] and
// [HeaderSubject]. A 2xx response means delivered; 4xx other than 408 and
// 429 is a permanent failure; any other status, and any transport error, is
// transient. Redirects are followed as the client's policy dictates. Webhook
// is safe for concurrent use.
type Webhook struct {
	url    string
	client *http.Client
}

// NewWebhook returns a [Webhook] posting to rawURL, which must be an absolute
// http or https URL. client is used for every request; if nil, a dedicated
// client with [DefaultWebhookTimeout] is created (never
// http.DefaultClient, which has no timeout).
func NewWebhook(rawURL string, client *http.Client) (*Webhook, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("notify: invalid webhook URL %q: want an absolute http(s) URL", rawURL)
	}
	if client == nil {
		client = &http.Client{Timeout: DefaultWebhookTimeout}
	}
	return &Webhook{url: u.String(), client: client}, nil
}

// URL returns the URL the webhook posts to.
func (w *Webhook) URL() string { return w.url }

// Publish POSTs message to the webhook URL, as described on [Webhook]. It
// returns nil on a 2xx response and otherwise a [*DeliveryError] carrying the
// status, the start of the response body, and any Retry-After delay.
func (w *Webhook) Publish(ctx context.Context, topicARN, subject, message string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, strings.NewReader(message))
	if err != nil {
		return &DeliveryError{Via: ViaWebhook, Topic: topicARN, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "glacierd-notify")
	req.Header.Set(HeaderTopic, headerSafe(topicARN))
	req.Header.Set(HeaderSubject, headerSafe(subject))
	resp, err := w.client.Do(req)
	if err != nil {
		return &DeliveryError{Via: ViaWebhook, Topic: topicARN, Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrainBody))
		return nil
	}
	head, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrainBody))
	return &DeliveryError{
		Via:        ViaWebhook,
		Topic:      topicARN,
		StatusCode: resp.StatusCode,
		RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now()),
		Permanent:  permanentStatus(resp.StatusCode),
		Err:        fmt.Errorf("webhook responded %s: %q", resp.Status, strings.TrimSpace(string(head))),
	}
}

// permanentStatus reports whether an HTTP status rejects a message for good:
// any 4xx except 408 Request Timeout and 429 Too Many Requests.
func permanentStatus(code int) bool {
	return code >= 400 && code < 500 && code != http.StatusRequestTimeout &&
		code != http.StatusTooManyRequests
}

// retryAfter parses a Retry-After value (delay-seconds or HTTP-date) into a
// non-negative delay relative to now; it returns 0 if v is empty or invalid.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n > int64(24*time.Hour/time.Second) {
			n = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// headerSafe replaces control characters (other than tab), which are not
// allowed in header values, with spaces.
func headerSafe(s string) string {
	if !strings.ContainsFunc(s, isCTL) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isCTL(r) {
			return ' '
		}
		return r
	}, s)
}

// isCTL reports whether r is an ASCII control character other than tab.
func isCTL(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7f }

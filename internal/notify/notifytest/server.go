package notifytest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/notify"
)

// Via values of [Message.Via].
const (
	// ViaSNS marks messages received through the SNS Publish action.
	ViaSNS = notify.ViaSNS
	// ViaWebhook marks messages received as webhook POSTs to /webhook.
	ViaWebhook = notify.ViaWebhook
)

// Region is the region [Server.SNSConfig] configures; the fake accepts any.
const Region = "us-east-1"

// Test credentials configured by [Server.SNSConfig]; the fake accepts any.
const (
	AccessKey = "AKIDNOTIFYTEST"
	SecretKey = "notifytest-secret"
)

// Message is one message the fake accepted.
type Message struct {
	// Via is [ViaSNS] or [ViaWebhook].
	Via string
	// Topic is the TopicArn parameter (TargetArn if TopicArn was absent), or
	// the X-Glacierd-Topic header of a webhook POST.
	Topic string
	// Subject is the Subject parameter or the X-Glacierd-Subject header;
	// empty when absent.
	Subject string
	// Message is the Message parameter or the webhook request body, byte for
	// byte.
	Message string
	// MessageID is the MessageId the fake returned (SNS only).
	MessageID string
	// Time is when the fake accepted the message.
	Time time.Time
	// Header is a copy of the request headers (e.g. Authorization).
	Header http.Header
	// Params is a copy of the SNS form parameters (Action, Version, ...); nil
	// for webhook messages.
	Params url.Values
}

// Server is a fake SNS endpoint and webhook receiver. All its methods are
// safe for concurrent use, including while requests are being served.
type Server struct {
	srv *httptest.Server

	mu       sync.Mutex
	msgs     []Message
	changed  chan struct{} // closed and replaced whenever msgs or attempts grow
	attempts int
	failLeft int
	failCode string
	failStat int
	rejected map[string]bool
}

// NewServer starts a fake server on a loopback address and closes it when
// the test and its subtests finish.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{changed: make(chan struct{}), rejected: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/webhook", s.serveWebhook)
	mux.HandleFunc("/", s.serveSNS)
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

// URL returns the SNS endpoint URL (scheme and host, no path), suitable for
// [notify.SNSConfig.Endpoint].
func (s *Server) URL() string { return s.srv.URL }

// WebhookURL returns the URL of the webhook receiver, URL()+"/webhook".
func (s *Server) WebhookURL() string { return s.srv.URL + "/webhook" }

// SNSConfig returns a [notify.SNSConfig] pointing at the fake, with [Region]
// and static test credentials, so that no AWS configuration is consulted for
// credentials.
func (s *Server) SNSConfig() notify.SNSConfig {
	return notify.SNSConfig{Endpoint: s.URL(), Region: Region, AccessKey: AccessKey, SecretKey: SecretKey}
}

// Close shuts the server down, waiting for in-flight requests. It is
// idempotent; NewServer already arranges for it at test cleanup.
func (s *Server) Close() { s.srv.Close() }

// Messages returns a copy of the accepted messages in arrival order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.msgs)
}

// Attempts returns how many requests the server has received, including
// failed and rejected ones.
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// Wait waits until at least n messages have been accepted and returns a copy
// of all accepted messages. If timeout elapses first it returns the messages
// accepted so far and an error saying how many arrived.
func (s *Server) Wait(n int, timeout time.Duration) ([]Message, error) {
	if !s.waitFor(func() bool { return len(s.msgs) >= n }, timeout) {
		msgs := s.Messages()
		return msgs, fmt.Errorf("notifytest: %d of %d messages after %v", len(msgs), n, timeout)
	}
	return s.Messages(), nil
}

// WaitAttempts waits until the server has received at least n requests
// (see [Server.Attempts]). If timeout elapses first it returns an error
// saying how many arrived.
func (s *Server) WaitAttempts(n int, timeout time.Duration) error {
	if !s.waitFor(func() bool { return s.attempts >= n }, timeout) {
		return fmt.Errorf("notifytest: %d of %d requests after %v", s.Attempts(), n, timeout)
	}
	return nil
}

// waitFor waits until cond, called with mu held, holds, for at most
// timeout, and reports whether it did.
func (s *Server) waitFor(cond func() bool, timeout time.Duration) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		ok, ch := cond(), s.changed
		s.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-ch:
		case <-timer.C:
			return false
		}
	}
}

// FailNext makes the next k requests, SNS or webhook, fail with HTTP 500
// and an SNS InternalError ErrorResponse, before any other processing. It
// replaces any failures still pending from an earlier call; k <= 0 cancels
// them.
func (s *Server) FailNext(k int) { s.FailNextWith(k, http.StatusInternalServerError, "InternalError") }

// FailNextWith is like [Server.FailNext] but answers with the given HTTP
// status and SNS error code (e.g. 400 and "Throttling").
func (s *Server) FailNextWith(k, status int, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failLeft, s.failStat, s.failCode = max(k, 0), status, code
}

// RejectTopic makes every later publish to topicARN, SNS or webhook, fail
// with HTTP 404 and an SNS NotFound ErrorResponse ("Topic does not exist"),
// until [Server.AcceptTopic].
func (s *Server) RejectTopic(topicARN string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected[topicARN] = true
}

// AcceptTopic undoes [Server.RejectTopic] for topicARN.
func (s *Server) AcceptTopic(topicARN string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.rejected, topicARN)
}

// begin counts a request and reports the injected failure it must get, if
// any (status 0 means none).
func (s *Server) begin() (status int, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++
	s.wake()
	if s.failLeft > 0 {
		s.failLeft--
		return s.failStat, s.failCode
	}
	return 0, ""
}

// isRejected reports whether topic was passed to RejectTopic.
func (s *Server) isRejected(topic string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejected[topic]
}

// record appends m and wakes waiters.
func (s *Server) record(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m.Time = time.Now()
	s.msgs = append(s.msgs, m)
	s.wake()
}

// wake wakes waiters; mu must be held.
func (s *Server) wake() {
	close(s.changed)
	s.changed = make(chan struct{})
}

package notify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/notify"
	"github.com/glacierd/glacierd/internal/notify/notifytest"
)

func newWebhook(t *testing.T, url string) *notify.Webhook {
	t.Helper()
	w, err := notify.NewWebhook(url, nil)
	if err != nil {
		t.Fatalf("NewWebhook(%q): %v", url, err)
	}
	return w
}

func TestWebhookArrivesIntact(t *testing.T) {
	t.Parallel()
	srv := notifytest.NewServer(t)
	w := newWebhook(t, srv.WebhookURL())
	if w.URL() != srv.WebhookURL() {
		t.Errorf("URL() = %q", w.URL())
	}
	cases := []struct{ subject, message string }{
		{"Notification From Amazon Glacier", `{"JobId":"abc"}`},
		{"Glacier ✓ 档案", `{"JobDescription":"Ünïcødé 🧊"}`},
		{"large", jobDoc(64 << 10)},
		{"", `{}`},
	}
	for _, c := range cases {
		if err := w.Publish(ctxT(t), topicUSE1, c.subject, c.message); err != nil {
			t.Fatalf("Publish: %v", err)
		}
	}
	msgs := srv.Messages()
	if len(msgs) != len(cases) {
		t.Fatalf("%d messages, want %d", len(msgs), len(cases))
	}
	for i, c := range cases {
		m := msgs[i]
		if m.Via != notifytest.ViaWebhook || m.Topic != topicUSE1 || m.Subject != c.subject || m.Message != c.message {
			t.Errorf("case %d: got via=%q topic=%q subject=%q len=%d", i, m.Via, m.Topic, m.Subject, len(m.Message))
		}
		if ct := m.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("case %d: Content-Type = %q", i, ct)
		}
		if m.Params != nil {
			t.Errorf("case %d: Params = %v, want nil for webhook", i, m.Params)
		}
	}
}

func TestWebhookSubjectControlCharacters(t *testing.T) {
	t.Parallel()
	srv := notifytest.NewServer(t)
	w := newWebhook(t, srv.WebhookURL())
	if err := w.Publish(ctxT(t), topicUSE1, "line1\r\nX-Injected: yes\x00", "{}"); err != nil {
		t.Fatal(err)
	}
	m := srv.Messages()[0]
	if m.Subject != "line1  X-Injected: yes" || m.Header.Get("X-Injected") != "" {
		t.Errorf("subject %q, X-Injected %q", m.Subject, m.Header.Get("X-Injected"))
	}
}

func TestWebhookStatusClassification(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var code int
		fmt.Sscan(strings.TrimPrefix(r.URL.Path, "/"), &code)
		if code == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "7")
		}
		w.WriteHeader(code)
		io.WriteString(w, "reason-"+r.URL.Path[1:])
	}))
	t.Cleanup(srv.Close)
	cases := []struct {
		status    int
		ok        bool
		permanent bool
	}{
		{200, true, false}, {201, true, false}, {202, true, false}, {204, true, false},
		{300, false, false}, {304, false, false},
		{400, false, true}, {401, false, true}, {403, false, true}, {404, false, true},
		{410, false, true}, {413, false, true}, {422, false, true},
		{408, false, false}, {429, false, false},
		{500, false, false}, {502, false, false}, {503, false, false}, {504, false, false},
	}
	for _, c := range cases {
		w := newWebhook(t, fmt.Sprintf("%s/%d", srv.URL, c.status))
		err := w.Publish(ctxT(t), topicUSE1, "s", "{}")
		if c.ok {
			if err != nil {
				t.Errorf("%d: %v, want delivered", c.status, err)
			}
			continue
		}
		var de *notify.DeliveryError
		if !errors.As(err, &de) {
			t.Fatalf("%d: err = %v, want *DeliveryError", c.status, err)
		}
		if de.Permanent != c.permanent || notify.Permanent(err) != c.permanent {
			t.Errorf("%d: permanent = %v, want %v", c.status, de.Permanent, c.permanent)
		}
		if de.StatusCode != c.status || de.Via != notify.ViaWebhook || de.Topic != topicUSE1 {
			t.Errorf("%d: got %+v", c.status, de)
		}
		if c.status != 304 && !strings.Contains(err.Error(), fmt.Sprintf("reason-%d", c.status)) {
			t.Errorf("%d: error %q does not quote the response body", c.status, err)
		}
		want := time.Duration(0)
		if c.status == http.StatusTooManyRequests {
			want = 7 * time.Second
		}
		if de.RetryAfter != want {
			t.Errorf("%d: RetryAfter = %v, want %v", c.status, de.RetryAfter, want)
		}
	}
}

func TestWebhookFakeInjectedFailures(t *testing.T) {
	t.Parallel()
	srv := notifytest.NewServer(t)
	w := newWebhook(t, srv.WebhookURL())
	srv.FailNext(1)
	if err := w.Publish(ctxT(t), topicUSE1, "s", "{}"); err == nil || notify.Permanent(err) {
		t.Errorf("FailNext: err = %v, want transient", err)
	}
	srv.RejectTopic(topicEUW1)
	if err := w.Publish(ctxT(t), topicEUW1, "s", "{}"); !notify.Permanent(err) {
		t.Errorf("RejectTopic: err = %v, want permanent", err)
	}
	if err := w.Publish(ctxT(t), topicUSE1, "s", "{}"); err != nil {
		t.Errorf("healthy publish: %v", err)
	}
	if got := srv.Attempts(); got != 3 {
		t.Errorf("attempts = %d, want 3", got)
	}
}

func TestWebhookTransportErrorsAreTransient(t *testing.T) {
	t.Parallel()
	srv := notifytest.NewServer(t)
	w, err := notify.NewWebhook(srv.WebhookURL(), &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = w.Publish(ctx, topicUSE1, "s", "{}")
	if err == nil || notify.Permanent(err) || !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: err = %v, want transient wrapping context.Canceled", err)
	}
	srv.Close()
	err = w.Publish(ctxT(t), topicUSE1, "s", "{}")
	var de *notify.DeliveryError
	if !errors.As(err, &de) || de.Permanent || de.StatusCode != 0 {
		t.Errorf("closed server: err = %v, want transient with no status", err)
	}
}

func TestNewWebhookValidation(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "example.com/hook", "ftp://example.com/", "http://", "://x", "/webhook"} {
		if _, err := notify.NewWebhook(u, nil); err == nil {
			t.Errorf("NewWebhook(%q): want error", u)
		}
	}
	for _, u := range []string{"http://127.0.0.1:9/hook", "https://hooks.example/glacier?x=1"} {
		if _, err := notify.NewWebhook(u, http.DefaultClient); err != nil {
			t.Errorf("NewWebhook(%q): %v", u, err)
		}
	}
}

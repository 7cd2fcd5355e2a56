package notify_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/glacierd/glacierd/internal/notify"
	"github.com/glacierd/glacierd/internal/notify/notifytest"
)

var (
	_ notify.Publisher = (*notify.SNS)(nil)
	_ notify.Publisher = (*notify.Webhook)(nil)
	_ notify.Publisher = notify.Multi(nil)
	_ notify.Publisher = notify.PublisherFunc(nil)
)

func perm(p bool) error { return &notify.DeliveryError{Via: "test", Topic: "t", Permanent: p} }

func TestPermanent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"foreign", errors.New("boom"), false},
		{"context", context.Canceled, false},
		{"transient", perm(false), false},
		{"permanent", perm(true), true},
		{"wrapped permanent", fmt.Errorf("outbox: %w", perm(true)), true},
		{"wrapped transient", fmt.Errorf("outbox: %w", perm(false)), false},
		{"joined all permanent", errors.Join(perm(true), fmt.Errorf("x: %w", perm(true))), true},
		{"joined mixed", errors.Join(perm(true), perm(false)), false},
		{"joined with foreign", errors.Join(perm(true), errors.New("boom")), false},
		{"wrapped join", fmt.Errorf("w: %w", errors.Join(perm(true), perm(true))), true},
		{"multi-%w", fmt.Errorf("%w and %w", perm(true), perm(false)), false},
	}
	for _, c := range cases {
		if got := notify.Permanent(c.err); got != c.want {
			t.Errorf("%s: Permanent(%v) = %v, want %v", c.name, c.err, got, c.want)
		}
	}
}

func TestDeliveryErrorMessage(t *testing.T) {
	t.Parallel()
	err := &notify.DeliveryError{Via: notify.ViaSNS, Topic: topicUSE1, Code: "NotFound", StatusCode: 404,
		Permanent: true, Err: errors.New("Topic does not exist")}
	for _, want := range []string{"sns", topicUSE1, "permanent", "HTTP 404", "NotFound", "Topic does not exist"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err.Error(), want)
		}
	}
	inner := errors.New("inner")
	if !errors.Is(&notify.DeliveryError{Err: inner}, inner) {
		t.Error("DeliveryError does not unwrap")
	}
}

func TestMulti(t *testing.T) {
	t.Parallel()
	var calls []string
	rec := func(name string, err error) notify.Publisher {
		return notify.PublisherFunc(func(_ context.Context, topic, subject, message string) error {
			calls = append(calls, name+":"+topic+":"+subject+":"+message)
			return err
		})
	}
	cases := []struct {
		name      string
		m         notify.Multi
		ok        bool
		permanent bool
	}{
		{"empty", nil, true, false},
		{"all ok", notify.Multi{rec("a", nil), nil, rec("b", nil)}, true, false},
		{"one transient", notify.Multi{rec("a", perm(false)), rec("b", nil)}, false, false},
		{"mixed", notify.Multi{rec("a", perm(true)), rec("b", perm(false))}, false, false},
		{"all permanent", notify.Multi{rec("a", perm(true)), rec("b", perm(true))}, false, true},
		{"permanent and ok", notify.Multi{rec("a", perm(true)), rec("b", nil)}, false, true},
	}
	for _, c := range cases {
		calls = nil
		err := c.m.Publish(context.Background(), "T", "S", "M")
		if (err == nil) != c.ok || notify.Permanent(err) != c.permanent {
			t.Errorf("%s: err = %v (permanent %v), want ok=%v permanent=%v", c.name, err, notify.Permanent(err), c.ok, c.permanent)
		}
		want := 0
		for _, p := range c.m {
			if p != nil {
				want++
			}
		}
		if len(calls) != want {
			t.Errorf("%s: %d calls, want %d (every publisher attempted)", c.name, len(calls), want)
		}
		for _, call := range calls {
			if !strings.HasSuffix(call, ":T:S:M") {
				t.Errorf("%s: call %q", c.name, call)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls = nil
	err := notify.Multi{rec("a", nil)}.Publish(ctx, "T", "S", "M")
	if !errors.Is(err, context.Canceled) || notify.Permanent(err) || len(calls) != 0 {
		t.Errorf("canceled: err = %v, calls %v", err, calls)
	}
}

func TestMultiSNSAndWebhook(t *testing.T) {
	isolateAWS(t)
	srv := notifytest.NewServer(t)
	m := notify.Multi{newSNS(t, srv.SNSConfig()), newWebhook(t, srv.WebhookURL())}
	if err := m.Publish(ctxT(t), topicUSE1, "Notification From Amazon Glacier", `{"JobId":"j"}`); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 2 || msgs[0].Via != notifytest.ViaSNS || msgs[1].Via != notifytest.ViaWebhook {
		t.Fatalf("messages = %+v", msgs)
	}
	for _, m := range msgs {
		if m.Topic != topicUSE1 || m.Message != `{"JobId":"j"}` || m.Subject != "Notification From Amazon Glacier" {
			t.Errorf("%s message = %+v", m.Via, m)
		}
	}
}

package notifytest_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/notify/notifytest"
)

const topic = "arn:aws:sns:us-east-1:123456789012:t"

type snsReply struct {
	XMLName   xml.Name
	MessageID string `xml:"PublishResult>MessageId"`
	RequestID string `xml:"ResponseMetadata>RequestId"`
	Type      string `xml:"Error>Type"`
	Code      string `xml:"Error>Code"`
	ErrReqID  string `xml:"RequestId"`
}

func post(t *testing.T, u string, form url.Values) (int, snsReply) {
	t.Helper()
	resp, err := http.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/xml" {
		t.Errorf("Content-Type = %q", ct)
	}
	var r snsReply
	if err := xml.Unmarshal(body, &r); err != nil {
		t.Fatalf("reply %q: %v", body, err)
	}
	return resp.StatusCode, r
}

func publishForm(topicARN, msg string) url.Values {
	return url.Values{"Action": {"Publish"}, "Version": {"2010-03-31"}, "TopicArn": {topicARN},
		"Message": {msg}, "Subject": {"subj"}}
}

func TestPublishWire(t *testing.T) {
	t.Parallel()
	s := notifytest.NewServer(t)
	status, r := post(t, s.URL()+"/", publishForm(topic, `{"a":1}`))
	if status != 200 || r.XMLName.Local != "PublishResponse" || r.MessageID == "" || r.RequestID == "" {
		t.Fatalf("status %d reply %+v", status, r)
	}
	m := s.Messages()
	if len(m) != 1 || m[0].MessageID != r.MessageID || m[0].Topic != topic || m[0].Subject != "subj" ||
		m[0].Message != `{"a":1}` {
		t.Fatalf("recorded %+v", m)
	}
	form := url.Values{"Action": {"Publish"}, "TargetArn": {topic}, "Message": {"x"}}
	if status, _ := post(t, s.URL(), form); status != 200 {
		t.Errorf("TargetArn: status %d", status)
	}
}

func TestPublishWireErrors(t *testing.T) {
	t.Parallel()
	s := notifytest.NewServer(t)
	s.RejectTopic(topic + "-gone")
	cases := []struct {
		name   string
		form   url.Values
		status int
		code   string
	}{
		{"no action", url.Values{}, 400, "MissingAction"},
		{"other action", url.Values{"Action": {"ListTopics"}}, 400, "InvalidAction"},
		{"no topic", url.Values{"Action": {"Publish"}, "Message": {"m"}}, 400, "InvalidParameter"},
		{"empty message", publishForm(topic, ""), 400, "InvalidParameter"},
		{"rejected", publishForm(topic+"-gone", "m"), 404, "NotFound"},
	}
	for _, c := range cases {
		status, r := post(t, s.URL(), c.form)
		if status != c.status || r.XMLName.Local != "ErrorResponse" || r.Code != c.code ||
			r.Type != "Sender" || r.ErrReqID == "" {
			t.Errorf("%s: status %d reply %+v, want %d %s", c.name, status, r, c.status, c.code)
		}
	}
	if n := len(s.Messages()); n != 0 {
		t.Errorf("%d messages recorded from failed requests", n)
	}
	if got := s.Attempts(); got != len(cases) {
		t.Errorf("attempts = %d, want %d", got, len(cases))
	}
}

func TestFailNext(t *testing.T) {
	t.Parallel()
	s := notifytest.NewServer(t)
	s.FailNext(2)
	for range 2 {
		status, r := post(t, s.URL(), publishForm(topic, "m"))
		if status != 500 || r.Code != "InternalError" || r.Type != "Receiver" {
			t.Errorf("status %d reply %+v, want 500 InternalError", status, r)
		}
	}
	if status, _ := post(t, s.URL(), publishForm(topic, "m")); status != 200 {
		t.Errorf("third request: status %d", status)
	}
	s.FailNextWith(1, 400, "Throttling")
	if status, r := post(t, s.URL(), publishForm(topic, "m")); status != 400 || r.Code != "Throttling" {
		t.Errorf("FailNextWith: status %d reply %+v", status, r)
	}
	s.FailNext(5)
	s.FailNext(0)
	if status, _ := post(t, s.URL(), publishForm(topic, "m")); status != 200 {
		t.Errorf("after FailNext(0): status %d", status)
	}
}

func TestWaitAttempts(t *testing.T) {
	t.Parallel()
	s := notifytest.NewServer(t)
	if err := s.WaitAttempts(1, 20*time.Millisecond); err == nil {
		t.Error("WaitAttempts on a server without requests succeeded")
	}
	s.FailNext(1)
	go func() { // a failed attempt counts
		if resp, err := http.PostForm(s.URL(), publishForm(topic, "m")); err == nil {
			resp.Body.Close()
		}
	}()
	if err := s.WaitAttempts(1, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Messages()); n != 0 {
		t.Errorf("%d messages accepted from a failed attempt", n)
	}
}

func TestWaitAndWebhook(t *testing.T) {
	t.Parallel()
	s := notifytest.NewServer(t)
	if msgs, err := s.Wait(1, 20*time.Millisecond); err == nil || len(msgs) != 0 {
		t.Errorf("Wait on empty server: %v, %v", msgs, err)
	}
	go func() { // while Wait waits, or before: Wait returns the message either way
		req, _ := http.NewRequest(http.MethodPost, s.WebhookURL(), strings.NewReader(`{"w":1}`))
		req.Header.Set("X-Glacierd-Topic", topic)
		req.Header.Set("X-Glacierd-Subject", "hello")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	msgs, err := s.Wait(1, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if m := msgs[0]; m.Via != notifytest.ViaWebhook || m.Topic != topic || m.Subject != "hello" || m.Message != `{"w":1}` {
		t.Errorf("webhook message %+v", m)
	}
	resp, err := http.Get(s.WebhookURL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /webhook: %d", resp.StatusCode)
	}
}

func TestSNSConfig(t *testing.T) {
	t.Parallel()
	s := notifytest.NewServer(t)
	c := s.SNSConfig()
	if c.Endpoint != s.URL() || c.Region != notifytest.Region || c.AccessKey == "" || c.SecretKey == "" {
		t.Errorf("SNSConfig = %+v", c)
	}
}

package notify_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/glacierd/glacierd/internal/notify"
	"github.com/glacierd/glacierd/internal/notify/notifytest"
)

const (
	topicUSE1 = "arn:aws:sns:us-east-1:123456789012:glacier-jobs"
	topicEUW1 = "arn:aws:sns:eu-west-1:123456789012:glacier-jobs"
)

// isolateAWS keeps the SDK's default configuration from reading the
// developer's AWS files or environment, or probing instance metadata.
func isolateAWS(t *testing.T) {
	t.Helper()
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID",
		"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SNS",
		"AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"} {
		t.Setenv(k, "")
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func newSNS(t *testing.T, cfg notify.SNSConfig) *notify.SNS {
	t.Helper()
	p, err := notify.NewSNS(context.Background(), cfg)
	if err != nil {
		t.Fatalf("NewSNS: %v", err)
	}
	return p
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// jobDoc builds a DescribeJob-like JSON document of at least n bytes.
func jobDoc(n int) string {
	var b strings.Builder
	b.WriteString(`{"Action":"ArchiveRetrieval","JobDescription":"`)
	for b.Len() < n {
		b.WriteString("Ünïcødé ✓ 档案 🧊 \\\"quoted\\\" & <xml> ")
	}
	b.WriteString(`","StatusCode":"Succeeded","Completed":true}`)
	return b.String()
}

func TestSNSPublishArrivesIntact(t *testing.T) {
	isolateAWS(t)
	srv := notifytest.NewServer(t)
	p := newSNS(t, srv.SNSConfig())
	cases := []struct{ name, topic, subject, message string }{
		{"small", topicUSE1, "Notification From Amazon Glacier", `{"JobId":"abc","Completed":true}`},
		{"unicode", topicUSE1, "Glacier ✓ 档案", `{"JobDescription":"Ünïcødé ✓ 档案 🧊 + & = %20"}`},
		{"large", topicUSE1, "big", jobDoc(64 << 10)},
		{"no subject", topicUSE1, "", `{}`},
		{"newlines", topicUSE1, "s", "{\n  \"a\": \"b\\r\\n\"\r\n}\n"},
	}
	for _, c := range cases {
		if err := p.Publish(ctxT(t), c.topic, c.subject, c.message); err != nil {
			t.Fatalf("%s: Publish: %v", c.name, err)
		}
	}
	msgs := srv.Messages()
	if len(msgs) != len(cases) {
		t.Fatalf("got %d messages, want %d", len(msgs), len(cases))
	}
	for i, c := range cases {
		m := msgs[i]
		if m.Via != notifytest.ViaSNS || m.Topic != c.topic || m.Subject != c.subject || m.Message != c.message {
			t.Errorf("%s: got via=%q topic=%q subject=%q len(message)=%d, want topic=%q subject=%q len=%d",
				c.name, m.Via, m.Topic, m.Subject, len(m.Message), c.topic, c.subject, len(c.message))
		}
		if got := m.Params.Get("Action"); got != "Publish" {
			t.Errorf("%s: Action = %q", c.name, got)
		}
		if got := m.Params.Get("Version"); got != "2010-03-31" {
			t.Errorf("%s: Version = %q", c.name, got)
		}
		if _, ok := m.Params["Subject"]; ok != (c.subject != "") {
			t.Errorf("%s: Subject parameter present = %v", c.name, ok)
		}
		if m.MessageID == "" || m.Time.IsZero() {
			t.Errorf("%s: MessageID=%q Time=%v", c.name, m.MessageID, m.Time)
		}
		if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			t.Errorf("%s: Content-Type = %q", c.name, ct)
		}
	}
	if len(msgs[2].Message) < 64<<10 {
		t.Errorf("large message only %d bytes", len(msgs[2].Message))
	}
}

func TestSNSRequestIsSigned(t *testing.T) {
	isolateAWS(t)
	srv := notifytest.NewServer(t)
	p := newSNS(t, srv.SNSConfig())
	if err := p.Publish(ctxT(t), topicUSE1, "s", "{}"); err != nil {
		t.Fatal(err)
	}
	auth := srv.Messages()[0].Header.Get("Authorization")
	if auth == "" {
		t.Fatal("no Authorization header")
	}
	want := "AWS4-HMAC-SHA256 Credential=" + notifytest.AccessKey + "/"
	if !strings.HasPrefix(auth, want) || !strings.Contains(auth, "/us-east-1/sns/aws4_request") {
		t.Errorf("Authorization = %q, want SigV4 for %s in us-east-1/sns", auth, notifytest.AccessKey)
	}
	if srv.Messages()[0].Header.Get("X-Amz-Date") == "" {
		t.Error("no X-Amz-Date header")
	}
}

func TestSNSRegionFromTopic(t *testing.T) {
	isolateAWS(t)
	srv := notifytest.NewServer(t)
	byTopic := newSNS(t, srv.SNSConfig())
	cfg := srv.SNSConfig()
	cfg.IgnoreTopicRegion = true
	fixed := newSNS(t, cfg)
	for _, p := range []*notify.SNS{byTopic, fixed} {
		if err := p.Publish(ctxT(t), topicEUW1, "s", "{}"); err != nil {
			t.Fatal(err)
		}
	}
	msgs := srv.Messages()
	for i, region := range []string{"eu-west-1", "us-east-1"} {
		if auth := msgs[i].Header.Get("Authorization"); !strings.Contains(auth, "/"+region+"/sns/") {
			t.Errorf("publish %d: Authorization %q not scoped to %s", i, auth, region)
		}
	}
}

func TestSNSNoRegionAnywhere(t *testing.T) {
	isolateAWS(t)
	srv := notifytest.NewServer(t)
	cfg := srv.SNSConfig()
	cfg.Region = ""
	p := newSNS(t, cfg) // allowed: topics carry their region
	if err := p.Publish(ctxT(t), topicEUW1, "", "{}"); err != nil {
		t.Fatalf("publish with region from topic: %v", err)
	}
	err := p.Publish(ctxT(t), "not-an-arn", "", "{}")
	if !notify.Permanent(err) {
		t.Fatalf("publish to region-less topic: err = %v, want permanent", err)
	}
	if got := srv.Attempts(); got != 1 {
		t.Errorf("attempts = %d, want 1 (no request for the region-less topic)", got)
	}
	cfg.IgnoreTopicRegion = true
	if _, err := notify.NewSNS(context.Background(), cfg); err == nil {
		t.Error("NewSNS with IgnoreTopicRegion and no region: want error")
	}
}

func TestSNSDefaultCredentialChain(t *testing.T) {
	isolateAWS(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
	t.Setenv("AWS_REGION", "ap-southeast-2")
	srv := notifytest.NewServer(t)
	cfg := notify.SNSConfig{Endpoint: srv.URL(), IgnoreTopicRegion: true}
	p := newSNS(t, cfg)
	if err := p.Publish(ctxT(t), topicUSE1, "", "{}"); err != nil {
		t.Fatal(err)
	}
	auth := srv.Messages()[0].Header.Get("Authorization")
	if !strings.Contains(auth, "Credential=AKIDFROMENV/") || !strings.Contains(auth, "/ap-southeast-2/sns/") {
		t.Errorf("Authorization = %q, want env credentials and region", auth)
	}
}

func TestNewSNSValidation(t *testing.T) {
	isolateAWS(t)
	bad := []notify.SNSConfig{
		{Region: "us-east-1", AccessKey: "AKID"},
		{Region: "us-east-1", SecretKey: "secret"},
		{Region: "us-east-1", Endpoint: "localhost:4566"},
		{Region: "us-east-1", Endpoint: "ftp://localhost"},
		{Region: "us-east-1", Endpoint: "http://"},
	}
	for _, cfg := range bad {
		if _, err := notify.NewSNS(context.Background(), cfg); err == nil {
			t.Errorf("NewSNS(%+v): want error", cfg)
		}
	}
}

func TestSNSTransientFailuresAreNotRetriedBySDK(t *testing.T) {
	isolateAWS(t)
	srv := notifytest.NewServer(t)
	p := newSNS(t, srv.SNSConfig())
	srv.FailNext(2)
	for i := range 2 {
		err := p.Publish(ctxT(t), topicUSE1, "s", "{}")
		var de *notify.DeliveryError
		if !errors.As(err, &de) || notify.Permanent(err) || de.StatusCode != 500 || de.Code != "InternalError" {
			t.Fatalf("attempt %d: err = %v, want transient InternalError 500", i, err)
		}
		if got := srv.Attempts(); got != i+1 {
			t.Fatalf("after failed publish %d: %d HTTP attempts, want %d (SDK retried)", i, got, i+1)
		}
	}
	if err := p.Publish(ctxT(t), topicUSE1, "s", "{}"); err != nil {
		t.Fatalf("after failures: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages recorded, want 1", n)
	}
}

func TestSNSClassification(t *testing.T) {
	isolateAWS(t)
	srv := notifytest.NewServer(t)
	p := newSNS(t, srv.SNSConfig())
	cases := []struct {
		status    int
		code      string
		permanent bool
	}{
		{404, "NotFound", true},
		{400, "InvalidParameter", true},
		{400, "ParameterValueInvalid", true},
		{403, "AuthorizationError", true},
		{400, "EndpointDisabled", true},
		{400, "SomethingNew", true},
		{500, "InternalError", false},
		{400, "Throttling", false},
		{400, "KMSThrottling", false},
		{403, "InvalidClientTokenId", false},
		{403, "SignatureDoesNotMatch", false},
		{400, "ExpiredToken", false},
		{503, "ServiceUnavailable", false},
		{502, "SomethingNew", false},
		{429, "SomethingNew", false},
	}
	for _, c := range cases {
		srv.FailNextWith(1, c.status, c.code)
		err := p.Publish(ctxT(t), topicUSE1, "s", "{}")
		var de *notify.DeliveryError
		if !errors.As(err, &de) {
			t.Fatalf("%d %s: err = %v, want *DeliveryError", c.status, c.code, err)
		}
		if de.Permanent != c.permanent || notify.Permanent(err) != c.permanent {
			t.Errorf("%d %s: permanent = %v, want %v (%v)", c.status, c.code, de.Permanent, c.permanent, err)
		}
		if de.Code != c.code || de.StatusCode != c.status || de.Via != notify.ViaSNS || de.Topic != topicUSE1 {
			t.Errorf("%d %s: got %+v", c.status, c.code, de)
		}
	}
}

func TestSNSRejectedTopicIsPermanent(t *testing.T) {
	isolateAWS(t)
	srv := notifytest.NewServer(t)
	p := newSNS(t, srv.SNSConfig())
	srv.RejectTopic(topicEUW1)
	err := p.Publish(ctxT(t), topicEUW1, "s", "{}")
	if !notify.Permanent(err) {
		t.Fatalf("err = %v, want permanent", err)
	}
	var nf *types.NotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("err = %v, want it to wrap *types.NotFoundException", err)
	}
	if err := p.Publish(ctxT(t), topicUSE1, "s", "{}"); err != nil {
		t.Errorf("other topic: %v", err)
	}
	srv.AcceptTopic(topicEUW1)
	if err := p.Publish(ctxT(t), topicEUW1, "s", "{}"); err != nil {
		t.Errorf("after AcceptTopic: %v", err)
	}
}

func TestSNSTransportErrorsAreTransient(t *testing.T) {
	isolateAWS(t)
	srv := notifytest.NewServer(t)
	p := newSNS(t, srv.SNSConfig())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := p.Publish(ctx, topicUSE1, "s", "{}")
	if err == nil || notify.Permanent(err) || !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: err = %v, want transient wrapping context.Canceled", err)
	}
	srv.Close()
	err = p.Publish(ctxT(t), topicUSE1, "s", "{}")
	var de *notify.DeliveryError
	if !errors.As(err, &de) || de.Permanent || de.StatusCode != 0 {
		t.Errorf("closed server: err = %v, want transient with no status", err)
	}
}

func TestSNSConcurrentPublish(t *testing.T) {
	isolateAWS(t)
	srv := notifytest.NewServer(t)
	p := newSNS(t, srv.SNSConfig())
	const n = 16
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := p.Publish(ctxT(t), topicUSE1, "s", jobDoc(i*100)); err != nil {
				t.Error(err)
			}
		})
	}
	msgs, err := srv.Wait(n, 10*time.Second)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range msgs {
		ids[m.MessageID] = true
	}
	if len(ids) != n {
		t.Errorf("%d distinct MessageIds, want %d", len(ids), n)
	}
}

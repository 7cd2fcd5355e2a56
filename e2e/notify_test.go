package e2e

import (
	"encoding/json"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"github.com/google/go-cmp/cmp"

	"github.com/glacierd/glacierd/internal/app"
	"github.com/glacierd/glacierd/internal/notify/notifytest"
)

// withSNS points the server's notifications at a fake SNS endpoint and
// makes its background scheduler run often.
func withSNS(sns *notifytest.Server) func(*app.Config) {
	return func(c *app.Config) {
		c.SNSEndpoint, c.SNSAccessKey, c.SNSSecretKey = sns.URL(), notifytest.AccessKey, notifytest.SecretKey
		c.Tick = 10 * time.Millisecond
	}
}

// manualTick turns the background loop off: the test runs each round of job
// completion and notification delivery itself, with tick, so that it knows
// when a round is over instead of sleeping until one probably is.
func manualTick(c *app.Config) { c.Tick = 0 }

// tick runs one round of the background work (completing due jobs,
// delivering due notifications) and returns once it is done.
func (e *env) tick() {
	e.t.Helper()
	if _, err := e.m.Service.Tick(ctx); err != nil {
		e.t.Fatalf("tick: %v", err)
	}
}

func topic(name string) string { return "arn:aws:sns:us-east-1:" + testAccount + ":" + name }

// jobMessage is the part of a notification (a DescribeJob document) the
// tests look at.
type jobMessage struct {
	JobId, Action, StatusCode, VaultARN string
	Completed                           bool
	CompletionDate                      *string
}

func decodeMessages(t *testing.T, msgs []notifytest.Message) []string {
	t.Helper()
	var out []string
	for _, m := range msgs {
		var j jobMessage
		if err := json.Unmarshal([]byte(m.Message), &j); err != nil {
			t.Fatalf("notification is not a job document: %v\n%s", err, m.Message)
		}
		if !j.Completed || j.StatusCode != "Succeeded" || j.CompletionDate == nil || j.VaultARN != vaultARN(testAccount, "v") {
			t.Errorf("notification document: %+v", j)
		}
		out = append(out, m.Topic+" "+j.Action+" "+j.JobId)
	}
	sort.Strings(out)
	return out
}

func TestNotificationsDelivered(t *testing.T) {
	sns := notifytest.NewServer(t)
	e := start(t, withSNS(sns), manualTick)
	e.mustCreateVault("v")
	id, _ := e.upload("v", []byte("notify me"), "")
	if _, err := e.gl.SetVaultNotifications(ctx, &glacier.SetVaultNotificationsInput{AccountId: aws.String("-"), VaultName: aws.String("v"),
		VaultNotificationConfig: &types.VaultNotificationConfig{SNSTopic: aws.String(topic("vault-topic")), Events: []string{"InventoryRetrievalCompleted"}}}); err != nil {
		t.Fatal(err)
	}
	got, err := e.gl.GetVaultNotifications(ctx, &glacier.GetVaultNotificationsInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	if err != nil || aws.ToString(got.VaultNotificationConfig.SNSTopic) != topic("vault-topic") {
		t.Fatalf("GetVaultNotifications: %+v, %v", got, err)
	}

	// An archive job with its own topic: only the job topic (the vault
	// subscribes to inventories only). An inventory job: the vault topic.
	// An inventory job with its own topic too: both.
	archiveJob := e.initiate("v", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), SNSTopic: aws.String(topic("job-topic"))})
	invJob := e.initiate("v", types.JobParameters{Type: aws.String("inventory-retrieval")})
	bothJob := e.initiate("v", types.JobParameters{Type: aws.String("inventory-retrieval"), SNSTopic: aws.String(topic("job-topic"))})
	quietJob := e.initiate("v", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id)})

	e.tick()
	if n := len(sns.Messages()); n != 0 {
		t.Fatalf("%d notifications before any job completed", n)
	}
	e.clock.Advance(5 * time.Hour) // all complete; nobody polls
	e.tick()                       // completes them and delivers their messages
	e.tick()                       // anything extra would be delivered now
	msgs := sns.Messages()
	want := []string{
		topic("job-topic") + " ArchiveRetrieval " + archiveJob,
		topic("job-topic") + " InventoryRetrieval " + bothJob,
		topic("vault-topic") + " InventoryRetrieval " + bothJob,
		topic("vault-topic") + " InventoryRetrieval " + invJob,
	}
	sort.Strings(want)
	if d := cmp.Diff(want, decodeMessages(t, msgs)); d != "" {
		t.Errorf("notifications (-want +got):\n%s", d)
	}
	_ = quietJob

	if _, err := e.gl.DeleteVaultNotifications(ctx, &glacier.DeleteVaultNotificationsInput{AccountId: aws.String("-"), VaultName: aws.String("v")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.gl.GetVaultNotifications(ctx, &glacier.GetVaultNotificationsInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	wantAPIError(t, err, "ResourceNotFoundException")
	for _, bad := range []types.VaultNotificationConfig{
		{SNSTopic: aws.String("not-an-arn"), Events: []string{"ArchiveRetrievalCompleted"}},
		{SNSTopic: aws.String(topic("t")), Events: []string{"VaultDeleted"}},
		{SNSTopic: aws.String(topic("t"))},
	} {
		_, err := e.gl.SetVaultNotifications(ctx, &glacier.SetVaultNotificationsInput{AccountId: aws.String("-"), VaultName: aws.String("v"), VaultNotificationConfig: &bad})
		if err == nil {
			t.Errorf("SetVaultNotifications(%+v) succeeded", bad)
		}
	}
}

func TestNotificationsSurviveRestartAndFailures(t *testing.T) {
	sns := notifytest.NewServer(t)
	e := start(t, withSNS(sns), manualTick)
	e.mustCreateVault("v")
	id, _ := e.upload("v", []byte("x"), "")
	job := e.initiate("v", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), SNSTopic: aws.String(topic("t"))})

	// The job completes while the server is down; it is notified after start.
	if err := e.m.Close(); err != nil {
		t.Fatal(err)
	}
	e.m = nil
	e.clock.Advance(6 * time.Hour)
	e.boot()
	e.tick()
	if d := cmp.Diff([]string{topic("t") + " ArchiveRetrieval " + job}, decodeMessages(t, sns.Messages())); d != "" {
		t.Errorf("after restart (-want +got):\n%s", d)
	}

	// A failing endpoint is retried with backoff until it accepts; the
	// message arrives exactly once.
	sns.FailNext(3)
	before := sns.Attempts()
	job2 := e.initiate("v", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), SNSTopic: aws.String(topic("t"))})
	e.clock.Advance(6 * time.Hour)
	for range 4 { // three failures, then the delivery
		e.tick()
		e.clock.Advance(30 * time.Second) // let the backoff pass
	}
	e.tick() // a repeat would be delivered now
	want := []string{topic("t") + " ArchiveRetrieval " + job, topic("t") + " ArchiveRetrieval " + job2}
	sort.Strings(want)
	if d := cmp.Diff(want, decodeMessages(t, sns.Messages())); d != "" {
		t.Errorf("after failures (-want +got):\n%s", d)
	}
	if n := sns.Attempts() - before; n != 4 {
		t.Errorf("%d delivery attempts for one message after 3 failures, want 4", n)
	}
}

func TestNotificationWebhook(t *testing.T) {
	hook := notifytest.NewServer(t)
	// The loop ticks hourly on the service clock: advancing it makes it
	// run, as the wall clock never would during the test.
	e := start(t, func(c *app.Config) { c.NotifyURL, c.Tick = hook.WebhookURL(), time.Hour })
	e.mustCreateVault("v")
	job := e.initiate("v", types.JobParameters{Type: aws.String("inventory-retrieval"), SNSTopic: aws.String(topic("hook"))})
	e.clock.Advance(5 * time.Hour)
	msgs, err := hook.Wait(1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{topic("hook") + " InventoryRetrieval " + job}, decodeMessages(t, msgs)); d != "" {
		t.Errorf("webhook (-want +got):\n%s", d)
	}
	if msgs[0].Via != notifytest.ViaWebhook {
		t.Errorf("delivered via %q, want the webhook", msgs[0].Via)
	}
}

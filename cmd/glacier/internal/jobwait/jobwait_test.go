package jobwait

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"github.com/aws/smithy-go"
)

// fakeAPI reports InProgress for the first pending polls, then final.
type fakeAPI struct {
	mu      sync.Mutex
	pending int
	final   types.StatusCode
	calls   int
}

func (f *fakeAPI) DescribeJob(_ context.Context, in *glacier.DescribeJobInput, _ ...func(*glacier.Options)) (*glacier.DescribeJobOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.calls <= f.pending {
		// Created long ago: the polls are --poll apart.
		return &glacier.DescribeJobOutput{JobId: in.JobId, StatusCode: types.StatusCodeInProgress, CreationDate: aws.String("1969-12-31T00:00:00Z")}, nil
	}
	return &glacier.DescribeJobOutput{JobId: in.JobId, StatusCode: f.final, Completed: true, StatusMessage: aws.String("boom")}, nil
}

// fakeClock advances by the waited duration at once.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }
func (c *fakeClock) after(d time.Duration) <-chan time.Time {
	c.t = c.t.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.t
	return ch
}

func TestWaitPollsUntilDone(t *testing.T) {
	api := &fakeAPI{pending: 3, final: types.StatusCodeSucceeded}
	clk := &fakeClock{t: time.Unix(0, 0)}
	var statuses []string
	out, err := Wait(context.Background(), api, "-", "v", "J", Options{
		Poll: time.Minute, Now: clk.now, After: clk.after,
		Status: func(j *glacier.DescribeJobOutput, waited time.Duration, next time.Time) {
			statuses = append(statuses, string(j.StatusCode)+"@"+waited.String())
		},
	})
	if err != nil || out.StatusCode != types.StatusCodeSucceeded {
		t.Fatalf("Wait = %v, %v", out, err)
	}
	want := "InProgress@0s InProgress@1m0s InProgress@2m0s Succeeded@3m0s"
	if got := strings.Join(statuses, " "); got != want {
		t.Errorf("statuses %q, want %q", got, want)
	}
}

func TestWaitFailedJob(t *testing.T) {
	api := &fakeAPI{final: types.StatusCodeFailed}
	_, err := Wait(context.Background(), api, "-", "v", "J", Options{})
	var fe *FailedError
	if !errors.As(err, &fe) || fe.Message != "boom" {
		t.Fatalf("err = %v, want FailedError boom", err)
	}
}

func TestWaitTimeout(t *testing.T) {
	api := &fakeAPI{pending: 1000, final: types.StatusCodeSucceeded}
	clk := &fakeClock{t: time.Unix(0, 0)}
	_, err := Wait(context.Background(), api, "-", "v", "J", Options{Poll: time.Minute, Timeout: 150 * time.Second, Now: clk.now, After: clk.after})
	if err == nil || !strings.Contains(err.Error(), "still InProgress") {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if api.calls != 4 { // at 0, 60, 120 and 150 seconds
		t.Errorf("%d polls, want 4", api.calls)
	}
}

func TestWaitCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	api := &fakeAPI{pending: 1000}
	if _, err := Wait(ctx, api, "-", "v", "J", Options{Poll: time.Hour}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// scaledJob is a job on a glacierd at --time-scale 3600: created at the
// clock's start, completed after done and gone retention later.
type scaledJob struct {
	clk             *fakeClock
	start           time.Time
	done, retention time.Duration
	calls           int
}

func (f *scaledJob) DescribeJob(_ context.Context, in *glacier.DescribeJobInput, _ ...func(*glacier.Options)) (*glacier.DescribeJobOutput, error) {
	f.calls++
	age := f.clk.now().Sub(f.start)
	out := &glacier.DescribeJobOutput{JobId: in.JobId, CreationDate: aws.String(f.start.Format(time.RFC3339Nano)), StatusCode: types.StatusCodeInProgress}
	switch {
	case age >= f.done+f.retention:
		return nil, &smithy.GenericAPIError{Code: "ResourceNotFoundException", Message: "The job ID was not found: " + *in.JobId}
	case age >= f.done:
		out.StatusCode, out.Completed = types.StatusCodeSucceeded, true
	}
	return out, nil
}

func TestWaitSeesScaledJobBeforeItExpires(t *testing.T) {
	// --time-scale 3600: a Standard job takes 3-5 s and is kept 24 s; a
	// Bulk job 5-12 s. The default --poll 30s must not miss either.
	for _, done := range []time.Duration{100 * time.Millisecond, 3 * time.Second, 5 * time.Second, 12 * time.Second} {
		clk := &fakeClock{t: time.Unix(1e9, 0)}
		api := &scaledJob{clk: clk, start: clk.t, done: done, retention: 24 * time.Second}
		out, err := Wait(context.Background(), api, "-", "v", "J", Options{Poll: 30 * time.Second, Now: clk.now, After: clk.after})
		if err != nil || out.StatusCode != types.StatusCodeSucceeded {
			t.Errorf("job done after %s: Wait = %v, %v", done, out, err)
			continue
		}
		if late := clk.t.Sub(api.start) - done; late > done/2+MinPoll {
			t.Errorf("job done after %s seen %s late", done, late)
		}
	}
}

func TestWaitReportsVanishedJobAsExpired(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1e9, 0)}
	// Seen in progress, then gone (as if it completed and expired between
	// two polls).
	api := &scaledJob{clk: clk, start: clk.t, done: time.Second, retention: 0}
	_, err := Wait(context.Background(), api, "-", "v", "J", Options{Now: clk.now, After: clk.after})
	var ee *ExpiredError
	if !errors.As(err, &ee) || !strings.Contains(err.Error(), "expired") || !strings.Contains(err.Error(), "start a new job") {
		t.Fatalf("err = %v, want an ExpiredError", err)
	}
	// A job never seen is not "expired": it is the API's error.
	clk.t = clk.t.Add(time.Hour)
	if _, err := Wait(context.Background(), api, "-", "v", "J", Options{Now: clk.now, After: clk.after}); errors.As(err, &ee) || err == nil {
		t.Fatalf("unknown job: err = %v, want the API's error", err)
	}
}

func TestInterval(t *testing.T) {
	for _, c := range []struct{ poll, age, want time.Duration }{
		{30 * time.Second, 0, MinPoll},
		{30 * time.Second, 10 * time.Second, 5 * time.Second},
		{30 * time.Second, time.Hour, 30 * time.Second},
		{time.Hour, 3 * time.Hour, time.Hour},
	} {
		if got := Interval(c.poll, c.age); got != c.want {
			t.Errorf("Interval(%s, %s) = %s, want %s", c.poll, c.age, got, c.want)
		}
	}
}

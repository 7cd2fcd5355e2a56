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
		return &glacier.DescribeJobOutput{JobId: in.JobId, StatusCode: types.StatusCodeInProgress}, nil
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

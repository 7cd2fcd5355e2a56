package app

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/testkit"
)

// countingLoop starts a loop of m every period whose step counts its runs
// and, while hold is not nil, waits for hold to close.
func countingLoop(ctx context.Context, m *Main, period time.Duration, hold chan struct{}) *atomic.Int32 {
	var runs atomic.Int32
	m.every(ctx, period, "test", "test loop", func(context.Context) (int, error) {
		runs.Add(1)
		if hold != nil {
			<-hold
		}
		return 0, nil
	})
	return &runs
}

func quietMain(clock glacier.Clock) *Main {
	return &Main{Clock: clock, Logger: slog.New(slog.DiscardHandler), rounds: newLoopRounds()}
}

// TestEveryFollowsTickerClock: a loop paced by a fake clock runs when the
// test advances the clock past a period, once however far, and never on
// the wall clock's account.
func TestEveryFollowsTickerClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		clock := testkit.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		m := quietMain(clock)
		runs := countingLoop(ctx, m, time.Hour, nil)
		want := func(n int32, after string) {
			t.Helper()
			synctest.Wait() // the loop is idle again
			if got := runs.Load(); got != n {
				t.Fatalf("after %s: %d runs, want %d", after, got, n)
			}
		}
		time.Sleep(3 * time.Hour) // the bubble's wall clock, not the loop's
		want(0, "3 hours of the wall clock")
		clock.Advance(59 * time.Minute)
		want(0, "59 minutes")
		clock.Advance(time.Minute)
		want(1, "an hour")
		clock.Advance(3 * time.Hour)
		want(2, "three more hours at once")
		clock.Advance(30 * time.Minute)
		want(2, "half an hour more")
		clock.Advance(30 * time.Minute)
		want(3, "another half hour")
		if got := testutil.ToFloat64(m.rounds.WithLabelValues("test")); got != 3 {
			t.Errorf("glacierd_background_rounds_total{loop=test} = %v, want 3", got)
		}
		cancel()
		m.wg.Wait()
	})
}

// TestEveryKeepsTickDuringStep: an advance while a step runs makes the
// loop run again once it is done, so a test that advances the clock after
// Open always gets a step that sees the new time.
func TestEveryKeepsTickDuringStep(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		clock := testkit.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		m := quietMain(clock)
		hold := make(chan struct{})
		runs := countingLoop(ctx, m, time.Minute, hold)
		clock.Advance(time.Minute)
		synctest.Wait() // the first step is running, held
		clock.Advance(time.Minute)
		close(hold)
		synctest.Wait()
		if got := runs.Load(); got != 2 {
			t.Fatalf("%d runs after an advance during a step, want 2", got)
		}
		cancel()
		m.wg.Wait()
	})
}

// TestEveryWallClock: with a clock that cannot tick (the wall clock in
// production), the loop runs on a time.Ticker.
func TestEveryWallClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		m := quietMain(glacier.WallClock{})
		runs := countingLoop(ctx, m, time.Second, nil)
		time.Sleep(2500 * time.Millisecond) // the bubble's fake time: instant
		synctest.Wait()
		if got := runs.Load(); got != 2 {
			t.Fatalf("%d runs in 2.5 s of a 1 s loop, want 2", got)
		}
		cancel()
		m.wg.Wait()
	})
}

// TestEveryOff: a period of 0 starts no loop.
func TestEveryOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clock := testkit.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		m := quietMain(clock)
		runs := countingLoop(t.Context(), m, 0, nil)
		clock.Advance(time.Hour)
		time.Sleep(time.Hour)
		synctest.Wait()
		if got := runs.Load(); got != 0 {
			t.Fatalf("%d runs of a loop with period 0", got)
		}
		m.wg.Wait()
	})
}

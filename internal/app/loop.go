package app

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// newLoopRounds returns the counter of the background loops' finished
// rounds, by loop; a round counts whether or not its step failed.
func newLoopRounds() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "glacierd", Name: "background_rounds_total",
		Help: "Rounds of the background loops finished, by loop (tick: job completion and notification; upkeep).",
	}, []string{"loop"})
}

// TickerClock is a clock that can also pace Main's background loops (job
// completion and notification every Config.Tick, upkeep every
// Config.MaintainEvery): when Main.Clock implements it, the loops run on
// its ticks instead of the wall clock's, so a test that advances a fake
// clock also decides when they run (testkit.FakeClock implements it).
type TickerClock interface {
	// NewTicker returns a channel that receives the clock's time each
	// time another period d of it has passed since the call, dropping
	// ticks while the receiver is busy as time.Ticker does, and a
	// function that stops the ticks.
	NewTicker(d time.Duration) (<-chan time.Time, func())
}

// newTicker returns the ticks of Clock when it is a TickerClock, and of a
// time.Ticker otherwise.
func (m *Main) newTicker(d time.Duration) (<-chan time.Time, func()) {
	if tc, ok := m.Clock.(TickerClock); ok {
		return tc.NewTicker(d)
	}
	t := time.NewTicker(d)
	return t.C, t.Stop
}

// every runs step on each tick of period in the background until ctx ends,
// counting its rounds as loop; a period of 0 disables it. The ticker starts
// before every returns, so a fake clock advanced after that makes step run.
func (m *Main) every(ctx context.Context, period time.Duration, loop, what string, step func(context.Context) (int, error)) {
	if period <= 0 {
		return
	}
	ticks, stop := m.newTicker(period)
	rounds := m.rounds.WithLabelValues(loop)
	m.wg.Go(func() {
		defer stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticks:
				if n, err := step(ctx); err != nil && ctx.Err() == nil {
					m.Logger.Warn(what+" failed", "err", err)
				} else if n > 0 {
					m.Logger.Debug(what, "items", n)
				}
				rounds.Inc()
			}
		}
	})
}

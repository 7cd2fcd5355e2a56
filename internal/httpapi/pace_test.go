package httpapi

import (
	"testing"
	"time"
)

// TestPaceBudget pins the body-pace rule: the next bytes are awaited at most
// Idle, and in all a body of n bytes may keep the server waiting
// Idle + n/MinRate.
func TestPaceBudget(t *testing.T) {
	const s = time.Second
	for _, c := range []struct {
		name   string
		pace   BodyPace
		n      int64
		waited time.Duration
		want   time.Duration
	}{
		{"start: the grace", BodyPace{Idle: 60 * s, MinRate: 1024}, 0, 0, 60 * s},
		{"a fast body is bounded by Idle alone", BodyPace{Idle: 60 * s, MinRate: 1024}, 1 << 30, 10 * s, 60 * s},
		{"a trickle uses up its grace", BodyPace{Idle: 60 * s, MinRate: 1024}, 50, 59 * s, 1*s + 50*s/1024},
		{"a trickle past its grace gets nothing", BodyPace{Idle: 60 * s, MinRate: 1024}, 60, 61 * s, 0},
		{"no minimum rate", BodyPace{Idle: 2 * s}, 0, time.Hour, 2 * s},
		{"no idle bound", BodyPace{MinRate: 1000}, 5000, 2 * s, 3 * s},
	} {
		p := &pacer{pace: c.pace, n: c.n, waited: c.waited}
		if got := p.budget(); got != c.want {
			t.Errorf("%s: budget %v, want %v", c.name, got, c.want)
		}
	}
	if newPacer(BodyPace{}, nil) != nil {
		t.Errorf("a zero BodyPace paces")
	}
}

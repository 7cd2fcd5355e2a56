package httpapi

import (
	"errors"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

// BodyPace bounds how long a client may take to send a request body,
// without bounding the body's total duration: a 4 GiB upload over a slow
// link takes as long as it takes, while a stalled or trickling body is cut
// off.
type BodyPace struct {
	// Idle is the longest the server waits for the next bytes of a body
	// (and for the first, from when the request's headers are in). 0: no
	// bound.
	Idle time.Duration
	// MinRate is the average rate, in bytes per second, that a body must
	// keep up, counting only the time the server waits for it; the client
	// has Idle of grace on top, so a body of n bytes may keep the server
	// waiting Idle + n/MinRate in all. 0: no bound.
	MinRate int64
}

// pacer enforces a BodyPace on one request body through read deadlines on
// its connection, moved forward as bytes arrive. Deadlines are wall-clock
// instants (the network poller's), so pacer reads the wall clock.
type pacer struct {
	pace   BodyPace
	rc     *http.ResponseController
	n      int64         // bytes received
	waited time.Duration // time spent waiting inside Read
	set    time.Time     // the deadline last set
	slack  time.Duration // how far the set deadline may trail the exact one
}

func newPacer(p BodyPace, w http.ResponseWriter) *pacer {
	if p.Idle <= 0 && p.MinRate <= 0 {
		return nil
	}
	pc := &pacer{pace: p, rc: http.NewResponseController(w), slack: p.Idle / 8}
	pc.arm(time.Now())
	return pc
}

// budget is how much longer the server will wait for the body's next bytes.
func (p *pacer) budget() time.Duration {
	b := time.Duration(1<<63 - 1)
	if p.pace.Idle > 0 {
		b = p.pace.Idle
	}
	if p.pace.MinRate > 0 {
		earned := p.pace.Idle + time.Duration(float64(p.n)/float64(p.pace.MinRate)*float64(time.Second))
		b = min(b, earned-p.waited)
	}
	return max(b, 0)
}

// arm sets the connection's read deadline for a read starting at now,
// unless the one already set is close enough (setting one per read would
// cost a timer update each time). The exact deadline never moves earlier:
// wall time passes at least as fast as time spent waiting.
func (p *pacer) arm(now time.Time) {
	d := now.Add(p.budget())
	if p.set.IsZero() || d.Sub(p.set) > p.slack {
		p.set = d
		_ = p.rc.SetReadDeadline(d)
	}
}

// read reads from r within the body's budget. A deadline that passes
// becomes RequestTimeoutException. At the body's end the deadline is
// lifted: the server then reads ahead for the connection's next request,
// and a deadline passing under that read would cancel this request.
func (p *pacer) read(r io.Reader, b []byte) (int, error) {
	start := time.Now()
	p.arm(start)
	n, err := r.Read(b)
	p.waited += time.Since(start)
	p.n += int64(n)
	switch {
	case err == io.EOF:
		_ = p.rc.SetReadDeadline(time.Time{})
	case errors.Is(err, os.ErrDeadlineExceeded):
		err = glacier.Wrap(glacier.KindRequestTimeout, err,
			"Your socket connection to the server was not read from or written to within the timeout period.")
	}
	return n, err
}

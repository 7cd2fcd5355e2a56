package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/smithy-go"
)

// faultPayload returns the bytes upload n sends, of one of a few sizes.
func faultPayload(n int) []byte {
	sizes := []int{1, 700, 64 << 10, 300 << 10, 1<<20 + 17}
	b := make([]byte, sizes[n%len(sizes)])
	_, _ = rand.NewChaCha8([32]byte{byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24)}).Read(b)
	return b
}

// outcome is what one request got.
type outcome struct {
	op         string // "upload" or "download"
	n          int    // the upload's number (faultPayload(n)); -1 for downloads
	start, end time.Time
	id         string // the archive ID, when an upload was acknowledged (201)
	code       string // the error code, "" on success; "transport" when no AWS error was parsed
	status     int
	msg        string
}

// classify records err in o.
func (o *outcome) classify(err error) {
	o.end = time.Now()
	var ae smithy.APIError
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		o.status = re.HTTPStatusCode()
	}
	switch {
	case err == nil:
	case errors.As(err, &ae):
		o.code, o.msg = ae.ErrorCode(), ae.ErrorMessage()
	default:
		o.code, o.msg = "transport", err.Error()
	}
}

// probe is one /healthz answer.
type probe struct {
	at     time.Time
	took   time.Duration
	status int // 0: no answer
	body   string
}

// load runs uploads, downloads and /healthz probes against a cluster
// until stopped.
type load struct {
	t        *testing.T
	c        *cluster
	gl       []*glacier.Client
	mu       sync.Mutex
	next     int
	outcomes []outcome
	recorded chan struct{} // closed and replaced whenever outcomes grows
	probes   [][]probe     // per instance
	stop     chan struct{}
	wg       sync.WaitGroup
}

// startLoad starts the uploaders, downloaders of job's output (want) and
// /healthz probes.
func startLoad(t *testing.T, c *cluster, job string, want []byte) *load {
	l := &load{t: t, c: c, gl: c.clients(), stop: make(chan struct{}), recorded: make(chan struct{}), probes: make([][]probe, len(c.mains))}
	for w := range faultWorkers {
		l.wg.Go(func() { l.upload(l.gl[w%len(l.gl)]) })
	}
	for w := range faultDownloaders {
		l.wg.Go(func() { l.download(l.gl[w%len(l.gl)], job, want) })
	}
	for i, m := range c.mains {
		l.wg.Go(func() { l.probe(i, m.URL()+"/healthz") })
	}
	return l
}

func (l *load) stopped() bool {
	select {
	case <-l.stop:
		return true
	default:
		return false
	}
}

func (l *load) record(o outcome) {
	l.mu.Lock()
	l.outcomes = append(l.outcomes, o)
	close(l.recorded)
	l.recorded = make(chan struct{})
	l.mu.Unlock()
	if o.code != "" {
		time.Sleep(20 * time.Millisecond) // do not spin while a store is down
	}
}

func (l *load) upload(gl *glacier.Client) {
	for !l.stopped() {
		l.mu.Lock()
		n := l.next
		l.next++
		l.mu.Unlock()
		o := outcome{op: "upload", n: n, start: time.Now()}
		rctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		out, err := gl.UploadArchive(rctx, &glacier.UploadArchiveInput{AccountId: aws.String("-"), VaultName: aws.String(faultVault),
			ArchiveDescription: aws.String(fmt.Sprintf("req-%d", n)), Body: bytes.NewReader(faultPayload(n))})
		cancel()
		if err == nil {
			o.id = aws.ToString(out.ArchiveId)
		}
		o.classify(err)
		l.record(o)
	}
}

// download fetches job's output again and again; a body other than want
// is a failure.
func (l *load) download(gl *glacier.Client, job string, want []byte) {
	for !l.stopped() {
		o := outcome{op: "download", n: -1, start: time.Now()}
		rctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		out, err := gl.GetJobOutput(rctx, &glacier.GetJobOutputInput{AccountId: aws.String("-"), VaultName: aws.String(faultReadVault), JobId: aws.String(job)})
		if err == nil {
			var b []byte
			b, err = io.ReadAll(out.Body)
			out.Body.Close()
			if err == nil && !bytes.Equal(b, want) {
				err = fmt.Errorf("a body of %d bytes, not the %d of the archive", len(b), len(want))
			}
			if err != nil {
				o.status = 200
			}
		}
		cancel()
		o.classify(err)
		l.record(o)
	}
}

func (l *load) probe(i int, url string) {
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		select {
		case <-l.stop:
			return
		case <-time.After(50 * time.Millisecond):
		}
		p := probe{at: time.Now()}
		if resp, err := client.Get(url); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			p.status, p.body = resp.StatusCode, string(b)
		} else {
			p.body = err.Error()
		}
		p.took = time.Since(p.at)
		l.mu.Lock()
		l.probes[i] = append(l.probes[i], p)
		l.mu.Unlock()
	}
}

// finish stops the load and returns the outcomes, by request number.
func (l *load) finish() []outcome {
	close(l.stop)
	l.wg.Wait()
	sort.Slice(l.outcomes, func(i, j int) bool { return l.outcomes[i].n < l.outcomes[j].n })
	return l.outcomes
}

// since returns the outcomes of requests started at or after t.
func (l *load) since(t time.Time) []outcome {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []outcome
	for _, o := range l.outcomes {
		if !o.start.Before(t) {
			out = append(out, o)
		}
	}
	return out
}

// waitSuccess waits until a request started at or after t succeeds and
// returns when it ended.
func (l *load) waitSuccess(t time.Time, timeout time.Duration) (time.Time, bool) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		l.mu.Lock()
		recorded := l.recorded
		l.mu.Unlock()
		for _, o := range l.since(t) {
			if o.code == "" {
				return o.end, true
			}
		}
		select {
		case <-recorded:
		case <-timer.C:
			return time.Time{}, false
		}
	}
}

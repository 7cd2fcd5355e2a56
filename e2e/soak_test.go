package e2e

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
)

// The soak test runs for soakDuration (hours by hand: -soak.duration=4h),
// sampling glacierd every soakEvery.
var (
	soakDuration = flag.Duration("soak.duration", 2*time.Minute, "how long TestSoak loads glacierd")
	soakEvery    = flag.Duration("soak.every", 5*time.Second, "how often TestSoak samples glacierd and retrieves archives")
)

// soakSample is glacierd's resource use at one moment, from its /metrics.
type soakSample struct {
	rss, goroutines, fds float64
}

// TestSoak runs the crash test's mixed workload against one glacierd on a
// lazyfs for a bounded time, sampling its resident memory, goroutines and
// open file descriptors and retrieving archives as it goes. The resources
// must stay steady (the last third's peak within bounds of the first
// third's) and every retrieval must match its tree hash. It ends as a
// power-cut round: glacierd killed under the load, the power cut, the blob
// audit, and every archive verified after a restart.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test: loads glacierd for minutes")
	}
	l, data := lazyMount(t)
	seed := uint64(time.Now().UnixNano())
	r := rand.New(rand.NewPCG(seed, 4))
	c := &crashRun{bin: buildGlacierd(t), data: data, logs: t.TempDir(), rounds: 0, r: r, m: newCrashModel()}
	t.Logf("seed %d; server logs in %s", seed, c.logs)
	ctx := context.Background()
	s := startCrashServer(t, c.bin, data, filepath.Join(c.logs, "soak.log"))
	if _, err := s.client().CreateVault(ctx, &glacier.CreateVaultInput{AccountId: aws.String("-"), VaultName: aws.String(crashVault)}); err != nil {
		t.Fatalf("create vault: %v", err)
	}

	samples := c.soak(t, s)
	checkSteady(t, samples)
	if _, err := l.Cut(rand.New(rand.NewPCG(r.Uint64(), r.Uint64()))); err != nil {
		t.Fatal(err)
	}
	c.m.audit(t, data, "after the soak's power cut")
	c.verifyAfterCut(t)
	st := c.m.stats
	t.Logf("soak of %v: %d samples; acknowledged %d single uploads, %d completed multipart uploads, %d deletes; %d retrievals (%d MiB) verified",
		*soakDuration, len(samples), st.ackedSingles, st.ackedCompletes, st.ackedDelete, st.retrieved, st.retrievedBytes>>20)
}

// soak runs the workers against s for soakDuration, sampling s and
// retrieving a few archives every soakEvery, then kills s under the load
// and returns the samples.
func (c *crashRun) soak(t *testing.T, s *crashServer) []soakSample {
	var stop atomic.Bool
	var uploading, requests atomic.Int32
	var wg sync.WaitGroup
	for range crashWorkers {
		w := &crashWorker{t: t, m: c.m, gl: s.client(), r: rand.New(rand.NewPCG(c.r.Uint64(), c.r.Uint64())),
			killed: &stop, uploading: &uploading, requests: &requests}
		wg.Go(w.run)
	}
	defer wg.Wait()
	defer s.kill()
	defer stop.Store(true)
	var samples []soakSample
	tick := time.NewTicker(*soakEvery)
	defer tick.Stop()
	end := time.Now().Add(*soakDuration)
	gl := s.client()
	for time.Now().Before(end) && !t.Failed() {
		<-tick.C
		sm, err := sampleMetrics(s.url)
		if err != nil {
			t.Fatalf("sample glacierd: %v", err)
		}
		samples = append(samples, sm)
		c.m.mu.Lock()
		var ids []string
		for id := range c.m.live {
			if !c.m.busy[id] && len(ids) < 3 {
				ids = append(ids, id)
			}
		}
		c.m.retrieveAll(context.Background(), t, gl, ids)
		c.m.mu.Unlock()
	}
	return samples
}

// sampleMetrics reads the process metrics from glacierd's /metrics.
func sampleMetrics(url string) (soakSample, error) {
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		return soakSample{}, err
	}
	defer resp.Body.Close()
	var sm soakSample
	found := 0
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		var dst *float64
		switch name {
		case "process_resident_memory_bytes":
			dst = &sm.rss
		case "go_goroutines":
			dst = &sm.goroutines
		case "process_open_fds":
			dst = &sm.fds
		}
		if !ok || dst == nil {
			continue
		}
		if *dst, err = strconv.ParseFloat(val, 64); err != nil {
			return sm, fmt.Errorf("%s: %w", name, err)
		}
		found++
	}
	if err := sc.Err(); err != nil {
		return sm, err
	}
	if found != 3 {
		return sm, fmt.Errorf("/metrics has %d of process_resident_memory_bytes, go_goroutines, process_open_fds", found)
	}
	return sm, nil
}

// checkSteady requires the peak of each resource over the last third of
// the samples to stay within bounds of its peak over the first third: a
// leak of memory, goroutines or descriptors grows past them.
func checkSteady(t *testing.T, samples []soakSample) {
	t.Helper()
	if len(samples) < 6 {
		t.Fatalf("only %d samples; run the soak longer than 6 sample periods", len(samples))
	}
	third := len(samples) / 3
	peak := func(ss []soakSample, f func(soakSample) float64) float64 {
		m := 0.0
		for _, s := range ss {
			m = max(m, f(s))
		}
		return m
	}
	for _, res := range []struct {
		name   string
		f      func(soakSample) float64
		factor float64
		slack  float64
	}{
		{"resident memory (bytes)", func(s soakSample) float64 { return s.rss }, 1.5, 64 << 20},
		{"goroutines", func(s soakSample) float64 { return s.goroutines }, 1.5, 50},
		{"open file descriptors", func(s soakSample) float64 { return s.fds }, 1.5, 20},
	} {
		early, late := peak(samples[:third], res.f), peak(samples[len(samples)-third:], res.f)
		t.Logf("%s: first third's peak %.0f, last third's %.0f", res.name, early, late)
		if late > early*res.factor+res.slack {
			t.Errorf("%s grew from a peak of %.0f to %.0f over the soak", res.name, early, late)
		}
	}
}

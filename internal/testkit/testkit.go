// Package testkit holds what glacierd's tests share: a settable clock, and
// access to the PostgreSQL and S3-compatible servers the integration tests
// run against (GLACIERD_TEST_POSTGRES, GLACIERD_TEST_S3), each test in a
// schema and key prefix of its own. Only tests import it.
package testkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/url"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// FakeClock is a clock tests set and advance instead of sleeping. Its
// tickers (NewTicker) fire as Advance moves it past their periods, so
// loops paced by it run when the test says, not when the wall clock does.
// It is safe for concurrent use.
type FakeClock struct {
	mu      sync.Mutex
	t       time.Time
	tickers []*fakeTicker
}

// fakeTicker is one NewTicker: it is next due at next.
type fakeTicker struct {
	c      chan time.Time
	period time.Duration
	next   time.Time
}

// NewFakeClock returns a clock reading t.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{t: t} }

// Now returns the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d. Every ticker whose next tick
// falls within the move has a tick waiting on its channel when Advance
// returns (one, however many periods passed, as time.Ticker drops ticks
// for a slow receiver), unless an earlier tick is still waiting there.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	for _, tk := range c.tickers {
		if c.t.Before(tk.next) {
			continue
		}
		select {
		case tk.c <- c.t:
		default:
		}
		tk.next = tk.next.Add((c.t.Sub(tk.next)/tk.period + 1) * tk.period)
	}
}

// NewTicker returns a channel that receives the clock's time each time
// Advance moves it past another period d (d > 0) since the call, and a
// function that stops the ticks.
func (c *FakeClock) NewTicker(d time.Duration) (<-chan time.Time, func()) {
	if d <= 0 {
		panic("testkit: FakeClock.NewTicker: non-positive period")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	tk := &fakeTicker{c: make(chan time.Time, 1), period: d, next: c.t.Add(d)}
	c.tickers = append(c.tickers, tk)
	return tk.c, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.tickers = slices.DeleteFunc(c.tickers, func(x *fakeTicker) bool { return x == tk })
	}
}

// SyncWriter serializes writes to W (for example server logs into a buffer).
type SyncWriter struct {
	mu sync.Mutex
	W  io.Writer
}

// Write writes p to W.
func (s *SyncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.W.Write(p)
}

// Integration returns the PostgreSQL and S3 server URLs of the integration
// tests. When either is unset the test is skipped, or fails when
// GLACIERD_REQUIRE_INTEGRATION=1 (as in CI, where a skipped integration test
// counts as a failure).
func Integration(t testing.TB) (postgresURL, s3URL string) {
	t.Helper()
	postgresURL, s3URL = os.Getenv("GLACIERD_TEST_POSTGRES"), os.Getenv("GLACIERD_TEST_S3")
	if postgresURL == "" || s3URL == "" {
		if os.Getenv("GLACIERD_REQUIRE_INTEGRATION") == "1" {
			t.Fatal("GLACIERD_TEST_POSTGRES and GLACIERD_TEST_S3 must be set under GLACIERD_REQUIRE_INTEGRATION=1")
		}
		t.Skip("GLACIERD_TEST_POSTGRES and GLACIERD_TEST_S3 are not set (scripts/start-postgres.sh, scripts/start-s3.sh)")
	}
	return postgresURL, s3URL
}

// RandomName returns prefix followed by 12 random hex digits.
func RandomName(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// FreshPostgres creates a schema named prefix+random on the server at base
// and returns base with a search_path that selects it; the schema is
// dropped when the test ends.
func FreshPostgres(t testing.TB, base, prefix string) string {
	t.Helper()
	schema := RandomName(prefix)
	exec := func(sql string) {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Fatalf("connect to %s: %v", base, err)
		}
		defer func() { _ = conn.Close(ctx) }()
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec("CREATE SCHEMA " + schema)
	t.Cleanup(func() { exec("DROP SCHEMA " + schema + " CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// FreshS3 turns a GLACIERD_TEST_S3 value (http://ACCESS:SECRET@HOST:PORT/
// BUCKET-PREFIX) into a glacierd --blobs value with a key prefix of its own
// in bucket BUCKET-PREFIX-suffix, and the credentials for it.
func FreshS3(t testing.TB, raw, suffix string) (blobs, key, secret string) {
	t.Helper()
	u, err := url.Parse(raw)
	if raw == "" || err != nil || u.User == nil || len(u.Path) < 2 {
		t.Fatalf("GLACIERD_TEST_S3=%q: want http://ACCESS:SECRET@HOST:PORT/BUCKET-PREFIX", raw)
	}
	secret, _ = u.User.Password()
	secure := "false"
	if u.Scheme == "https" {
		secure = "true"
	}
	return "s3://" + u.Path[1:] + "-" + suffix + "/" + RandomName("t") + "?endpoint=" + u.Host + "&secure=" + secure,
		u.User.Username(), secret
}

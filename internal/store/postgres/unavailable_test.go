package postgres_test

import (
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/store/postgres"
)

// proxy forwards TCP connections to a target. Stopping it resets every
// connection and refuses new ones, as a server that went down; starting it
// again on the same address brings the server back.
type proxy struct {
	t      *testing.T
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

func newProxy(t *testing.T, target string) *proxy {
	p := &proxy{t: t, target: target, addr: "127.0.0.1:0", conns: map[net.Conn]bool{}}
	p.start()
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) start() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	p.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.wg.Go(func() { p.forward(c) })
		}
	})
}

func (p *proxy) forward(c net.Conn) {
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	if !p.track(c, s) {
		return
	}
	var wg sync.WaitGroup
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		dst.Close()
		src.Close()
	}
	wg.Go(func() { pipe(s, c) })
	wg.Go(func() { pipe(c, s) })
	wg.Wait()
}

// track records c and s for stop, or closes them if the proxy is stopped.
func (p *proxy) track(c, s net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		c.Close()
		s.Close()
		return false
	}
	p.conns[c], p.conns[s] = true, true
	return true
}

// stop closes the listener and every forwarded connection.
func (p *proxy) stop() {
	p.mu.Lock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
	p.mu.Unlock()
	p.wg.Wait()
}

// viaProxy returns u with its host replaced by addr.
func viaProxy(t *testing.T, u, addr string) string {
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	pu.Host = addr
	return pu.String()
}

func wantUnavailable(t *testing.T, what string, err error) {
	t.Helper()
	if !glacier.IsKind(err, glacier.KindUnavailable) {
		t.Errorf("%s = %v (kind %v), want KindUnavailable", what, err, glacier.KindOf(err))
	} else if !strings.Contains(glacier.MessageOf(err), "PostgreSQL") {
		t.Errorf("%s: message %q does not name the database", what, glacier.MessageOf(err))
	}
}

// TestServerDownAndBack runs a store through a proxy that goes down: calls
// fail with KindUnavailable, promptly, and succeed again, on the same Store,
// once the server is reachable again.
func TestServerDownAndBack(t *testing.T) {
	u, _ := newSchema(t)
	target, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	p := newProxy(t, target.Host)
	s := openURL(t, viaProxy(t, u, p.addr)+"&connect_timeout=2")
	put := func(n int64) error {
		return s.Update(t.Context(), func(tx glacier.Tx) error {
			return tx.PutVault(glacier.Vault{Account: acct, Name: "v", CreatedAt: t0, Archives: n})
		})
	}
	if err := put(1); err != nil {
		t.Fatal(err)
	}

	p.stop()
	start := time.Now()
	wantUnavailable(t, "Update while the server is down", put(2))
	wantUnavailable(t, "View while the server is down", s.View(t.Context(), func(tx glacier.Tx) error {
		_, err := tx.Vault(acct, "v")
		return err
	}))
	wantUnavailable(t, "Ping while the server is down", s.Ping(t.Context()))
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("failing took %v", d)
	}

	p.start()
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping after the server came back: %v", err)
	}
	if err := put(3); err != nil {
		t.Fatalf("Update after the server came back: %v", err)
	}
	if v := vault(t, s, "v"); v.Archives != 3 {
		t.Errorf("Archives = %d, want 3", v.Archives)
	}
}

// TestTerminatedConnections has the server end the store's connections
// (SQLSTATE 57P01, as in a restart): the next Update reconnects by itself.
func TestTerminatedConnections(t *testing.T) {
	s := open(t)
	for i := range 3 { // fill the pool with idle connections
		update(t, s, func(tx glacier.Tx) error { return tx.PutGarbage("k", t0.Add(time.Duration(i))) })
	}
	adminExec(t, t.Context(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"+
		" WHERE pid <> pg_backend_pid() AND datname = current_database() AND backend_type = 'client backend'"+
		" AND query NOT LIKE '%pg_terminate_backend%'")
	update(t, s, func(tx glacier.Tx) error { return tx.PutGarbage("k", t0.Add(time.Hour)) })
	if err := s.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestOpenUnreachable needs no server: nothing listens on the port.
func TestOpenUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s, err := postgres.Open(t.Context(), "postgres://postgres@"+addr+"/postgres?sslmode=disable&connect_timeout=2")
	if err == nil {
		s.Close()
		t.Fatal("Open of an unreachable server succeeded")
	}
	wantUnavailable(t, "Open", err)
	if errors.Is(err, net.ErrClosed) {
		t.Errorf("Open: %v", err)
	}
}

package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/httpapi"
	"github.com/glacierd/glacierd/internal/notify"
	"github.com/glacierd/glacierd/internal/service"
	"github.com/glacierd/glacierd/internal/storeset"
)

// Main is a running glacierd. Fill Config (and optionally Clock, LogOutput),
// call Open, and Close when done. Several Mains can run in one process.
type Main struct {
	Config Config
	// Clock is the service's clock (jobs, locks, dates); nil: the wall
	// clock. When it is also a TickerClock it paces the background loops.
	Clock     glacier.Clock
	AuthClock glacier.Clock // the clock request signatures are checked against; nil: the wall clock
	LogOutput io.Writer     // nil: os.Stderr
	// JobDuration draws how long a retrieval job takes, at AWS's pace,
	// from [min, max]; nil: uniformly at random (see service.Config).
	JobDuration func(min, max time.Duration) time.Duration
	// SelectS3Transport carries the requests to --select-s3 (custom TLS
	// roots, tests); nil: minio-go's default transport.
	SelectS3Transport http.RoundTripper

	// Set by Open.
	Addr    string // the address actually listened on, host:port
	Logger  *slog.Logger
	Service *service.Service

	stores   *storeset.Set
	ln       net.Listener
	srv      *http.Server
	stop     context.CancelFunc
	rounds   *prometheus.CounterVec // the background loops' rounds
	wg       sync.WaitGroup
	serveErr chan error
}

// Open opens the stores, starts listening and serving in the background, and
// starts the upkeep loop. On error everything opened so far is closed.
func (m *Main) Open(ctx context.Context) (err error) {
	c := m.Config
	if err := c.validate(); err != nil {
		return err
	}
	if m.Clock == nil {
		m.Clock = glacier.WallClock{}
	}
	m.Logger = newLogger(m.LogOutput, c.LogFormat, c.LogLevel)
	defer func() {
		if err != nil {
			_ = m.closeStores()
		}
	}()
	if m.stores, err = storeset.Open(ctx, c.stores(), m.Logger.Info); err != nil {
		return err
	}
	keys, err := m.keyring()
	if err != nil {
		return err
	}
	if m.Service, err = m.newService(ctx); err != nil {
		return err
	}
	m.rounds = newLoopRounds()
	if err := m.listen(m.handler(keys)); err != nil {
		return err
	}
	bg, stop := context.WithCancel(context.WithoutCancel(ctx))
	m.stop = stop
	m.every(bg, c.Tick, "tick", "job completion and notification", m.Service.Tick)
	m.every(bg, c.MaintainEvery, "upkeep", "upkeep", m.Service.Maintain)
	m.Logger.Info("glacierd listening", "addr", m.Addr, "data", c.Data, "region", c.Region,
		"account", c.AccountID, "time_scale", c.TimeScale)
	return nil
}

// keyring returns the credentials requests may be signed with: the
// credentials file's, or else the single key of the configuration.
func (m *Main) keyring() (httpapi.Keyring, error) {
	c := m.Config
	if c.Credentials != "" {
		return LoadCredentials(c.Credentials)
	}
	return httpapi.Keyring{c.AccessKey: {
		AccessKey: c.AccessKey, Secret: c.SecretKey,
		Caller: glacier.Caller{Account: c.AccountID, AccessKey: c.AccessKey},
	}}, nil
}

// newService builds the service on the opened stores, with the configured
// notification publishers.
func (m *Main) newService(ctx context.Context) (*service.Service, error) {
	c := m.Config
	notifier, err := newNotifier(ctx, c)
	if err != nil {
		return nil, err
	}
	selectOut, err := newSelectOutput(c, m.SelectS3Transport)
	if err != nil {
		return nil, err
	}
	return service.New(service.Config{
		Region:            c.Region,
		Meta:              m.stores.Meta,
		Blobs:             m.stores.Blobs,
		Clock:             m.Clock,
		Logger:            m.Logger,
		InventoryInterval: c.InventoryInterval,
		TimeScale:         c.TimeScale,
		ExpeditedOnDemand: c.ExpeditedOnDemand,
		Notifier:          notifier,
		Undeliverable:     notify.Permanent,
		JobDuration:       m.JobDuration,
		SelectOutput:      selectOut,
	}), nil
}

// handler returns the HTTP handler: the API, and GET /metrics.
func (m *Main) handler(keys httpapi.Keyring) http.Handler {
	c := m.Config
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), m.rounds)
	api := httpapi.New(httpapi.Config{
		Service:     m.Service,
		Credentials: keys,
		Clock:       m.AuthClock,
		Logger:      m.Logger,
		Registerer:  reg,
		MaxSkew:     c.MaxSkew,
		Ready:       m.stores.Ready,

		TrustForwardedProto: c.TrustForwardedProto,
		BodyPace:            httpapi.BodyPace{Idle: c.BodyIdleTimeout, MinRate: c.BodyMinRate},
	})
	metrics := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	// Everything but GET /metrics goes to the API untouched (no ServeMux in
	// front of it: one would redirect unclean paths before the API could
	// answer them in Glacier's error format).
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" && r.Method == http.MethodGet && r.ContentLength == 0 { // with a body: the API refuses it, paced
			metrics.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}

// listen starts listening on the configured address and serving handler in
// the background.
func (m *Main) listen(handler http.Handler) (err error) {
	c := m.Config
	if m.ln, err = net.Listen("tcp", c.Addr); err != nil {
		return err
	}
	m.Addr = m.ln.Addr().String()
	m.srv = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: c.ReadHeaderTimeout, // bodies are paced by the API itself (BodyPace)
		IdleTimeout:       c.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	m.serveErr = make(chan error, 1)
	go func() {
		if c.TLSCert != "" {
			m.serveErr <- m.srv.ServeTLS(m.ln, c.TLSCert, c.TLSKey)
			return
		}
		m.serveErr <- m.srv.Serve(m.ln)
	}()
	return nil
}

// URL returns the server's base URL.
func (m *Main) URL() string {
	if m.Config.TLSCert != "" {
		return "https://" + m.Addr
	}
	return "http://" + m.Addr
}

// Wait blocks until the server stops serving, returning why.
func (m *Main) Wait() error {
	err := <-m.serveErr
	m.serveErr <- err
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops accepting requests, waits up to ShutdownTimeout for in-flight
// ones (uploads included) to finish, stops the background loops and closes
// the stores.
func (m *Main) Close() error {
	var errs []error
	if m.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownTimeout)
		errs = append(errs, m.srv.Shutdown(ctx))
		cancel()
	}
	if m.stop != nil {
		m.stop()
		m.wg.Wait()
	}
	errs = append(errs, m.closeStores())
	return errors.Join(errs...)
}

func (m *Main) closeStores() error {
	if m.stores == nil {
		return nil
	}
	return m.stores.Close()
}

func newLogger(w io.Writer, format, level string) *slog.Logger {
	if w == nil {
		w = os.Stderr
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		lv = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lv}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

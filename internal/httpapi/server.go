package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/service"
)

// APIVersion is the Glacier API version every request must name in its
// x-amz-glacier-version header.
const APIVersion = "2012-06-01"

// Credential is one access key and the principal it authenticates.
type Credential struct {
	AccessKey string
	Secret    string
	Caller    glacier.Caller
}

// Credentials finds the credential of an access key; ok is false for an
// unknown key.
type Credentials interface {
	Lookup(accessKey string) (c Credential, ok bool)
}

// Keyring is a fixed set of credentials keyed by access key.
type Keyring map[string]Credential

// Lookup implements Credentials.
func (k Keyring) Lookup(accessKey string) (Credential, bool) {
	c, ok := k[accessKey]
	return c, ok
}

// Config is what a Server needs. Service and Credentials are required.
type Config struct {
	Service     *service.Service
	Credentials Credentials
	// Clock is the real-world clock that signing times are checked against
	// (and that stamps Date headers); the service's own clock may run
	// faster. nil means the wall clock.
	Clock  glacier.Clock
	Logger *slog.Logger
	// Registerer receives the HTTP metrics; nil means none are kept.
	Registerer prometheus.Registerer
	// MaxSkew is how far a request's signing time may be from the server's
	// clock. Default 15 minutes, as AWS.
	MaxSkew time.Duration
	// Ready reports whether the server can serve requests; /healthz answers
	// 503 with its error text otherwise. nil means always ready.
	Ready func(context.Context) error
	// TrustForwardedProto takes "X-Forwarded-Proto: https" from a
	// TLS-terminating proxy as proof of TLS (for aws:SecureTransport).
	TrustForwardedProto bool
	// BodyPace bounds how long a client may take over a request body; the
	// zero value waits forever.
	BodyPace BodyPace
}

// Server is the Glacier HTTP API. It implements http.Handler.
type Server struct {
	svc     *service.Service
	creds   Credentials
	clock   glacier.Clock
	log     *slog.Logger
	maxSkew time.Duration
	ready   func(context.Context) error
	proxied bool // TrustForwardedProto
	pace    BodyPace
	metrics *metrics
	mux     *http.ServeMux
	// streams counts the archive uploads being received now; it decides
	// whether a body's SHA-256 gets a core of its own (see authenticate).
	streams atomic.Int64
}

// New returns a Server for cfg.
func New(cfg Config) *Server {
	s := &Server{
		svc:     cfg.Service,
		creds:   cfg.Credentials,
		clock:   cfg.Clock,
		log:     cfg.Logger,
		maxSkew: cfg.MaxSkew,
		ready:   cfg.Ready,
		proxied: cfg.TrustForwardedProto,
		pace:    cfg.BodyPace,
		metrics: newMetrics(cfg.Registerer),
		mux:     http.NewServeMux(),
	}
	if s.clock == nil {
		s.clock = glacier.WallClock{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.maxSkew <= 0 {
		s.maxSkew = 15 * time.Minute
	}
	for _, rt := range s.routes() {
		s.mux.Handle(rt.pattern, s.operation(rt))
	}
	s.mux.Handle("/", s.operation(route{op: "Unknown", unrouted: true}))
	s.mux.HandleFunc("GET /healthz", s.healthz)
	return s
}

// ServeHTTP stamps every response with a request ID and a Date, then routes.
// A path that is not in clean form (empty, "." or ".." segments) names no
// operation: it is refused here rather than redirected by the router.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	id := newRequestID()
	h.Set("x-amzn-RequestId", id)
	h.Set("Date", s.clock.Now().UTC().Format(http.TimeFormat))
	s.body(w, r) // every body is paced, /healthz's too
	if p := r.URL.Path; p == "" || path.Clean(p) != strings.TrimSuffix(p, "/") && p != "/" {
		writeError(w, s.log, id, glacier.Errorf(glacier.KindNotImplemented, "Unknown operation: %s %s", r.Method, p))
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if s.ready != nil {
		if err := s.ready(r.Context()); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// newRequestID returns a random request ID shaped like AWS's (52 characters).
func newRequestID() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])[:52]
}

// unknownOperation is the answer to a request that names no operation: it
// reveals nothing about stored state, so it needs no authentication, and
// its body is never read.
func unknownOperation(_ http.ResponseWriter, rq *request) error {
	return glacier.Errorf(glacier.KindNotImplemented, "Unknown operation: %s %s", rq.Method, rq.URL.Path)
}

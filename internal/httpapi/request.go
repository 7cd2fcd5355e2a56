package httpapi

import (
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/glacierd/glacierd/internal/countio"
	"github.com/glacierd/glacierd/internal/glacier"
)

// request is one API request as it passes through authentication to its
// handler.
type request struct {
	*http.Request
	id      string
	op      string
	caller  glacier.Caller
	account string         // the path's account, resolved ("-" → the caller's)
	pending *deferredCheck // set when the signature can only be checked at the body's end
	in      *countingReader
	maxBody int64 // the largest body the operation accepts
}

// handlerFunc serves one operation. It writes a success response itself and
// returns an error for everything else.
type handlerFunc func(w http.ResponseWriter, rq *request) error

// route binds a method+path pattern to an operation.
type route struct {
	pattern   string
	op        string
	opFor     func(*http.Request) string // when set, names the operation instead of op
	h         handlerFunc
	streaming bool  // the body is archive bytes: hashed while read, never buffered
	limit     int64 // the largest body accepted, when not the default (see maxBody)
	unrouted  bool  // no operation: answered UnknownOperation before authentication, body unread
}

// vault returns the vault the request's path names.
func (rq *request) vault() glacier.VaultRef {
	return glacier.VaultRef{Account: rq.account, Name: rq.PathValue("vault")}
}

// operation wraps a route's handler with authentication, the API version
// check, account resolution, error responses, access logging and metrics.
func (s *Server) operation(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		in := s.body(w, r)
		op := rt.op
		if rt.opFor != nil {
			op = rt.opFor(r)
		}
		rq := &request{Request: r, id: w.Header().Get("x-amzn-RequestId"), op: op, in: in, maxBody: rt.maxBody()}
		if rt.streaming {
			s.streams.Add(1)
			defer s.streams.Add(-1)
		}
		sw := &statusWriter{ResponseWriter: w}
		var err error
		if rt.unrouted {
			err = unknownOperation(sw, rq)
		} else {
			err = s.authenticate(rq, rt.streaming, func() error { return checkDeclared(rq, rt) })
		}
		if err == nil {
			err = checkVersion(r)
		}
		if err == nil {
			err = s.resolveAccount(rq)
		}
		if err == nil {
			err = s.call(rt.h, sw, rq)
		}
		if hb, ok := rq.Body.(*hashingBody); ok {
			defer hb.stop() // ends a hashing goroutine the handler left unfinished
		}
		code, aborted := "", false
		if err != nil {
			code, aborted = s.answerError(w, sw, rq, err)
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		elapsed := time.Since(start)
		s.metrics.observe(op, sw.status, in.N, sw.n, elapsed)
		s.log.Info("request",
			"request_id", rq.id, "op", op, "method", r.Method, "path", r.URL.Path,
			"account", rq.account, "status", sw.status, "code", code,
			"bytes_in", in.N, "bytes_out", sw.n, "duration_ms", elapsed.Milliseconds())
		if aborted {
			panic(http.ErrAbortHandler)
		}
	})
}

// answerError answers a failed request with its error, unless the response
// had already begun; then it can only be cut short (aborted).
func (s *Server) answerError(w http.ResponseWriter, sw *statusWriter, rq *request, err error) (code string, aborted bool) {
	err = rq.settle(err)
	if sw.status != 0 {
		// The response had begun (a streamed download); all that is left is
		// to cut it short, which the client detects.
		s.log.Error("response failed after it began", "request_id", rq.id, "err", err)
		return "Aborted", true
	}
	r := rq.Request
	closing := rq.in.unread(r.ContentLength) && r.ProtoMajor == 1
	if closing {
		// Answer without reading the rest, then close the connection:
		// net/http would otherwise read up to 256 KiB of a body that may
		// never come. With its own body back in the request, net/http sees
		// the body closed early and half-closes the connection gently (the
		// client reads the answer before the close resets the connection).
		r.Body = rq.in.body
		sw.Header().Set("Connection", "close")
	}
	code = writeError(sw, s.log, rq.id, err).code
	if closing {
		linger(w)
	}
	return code, false
}

// resolveAccount interprets the path's account: "-" is the caller's own, a
// 12-digit ID is taken as given (the service decides whether the caller may
// use it), and anything else is not an account at all.
func (s *Server) resolveAccount(rq *request) error {
	a := rq.PathValue("account")
	switch {
	case a == "":
		return nil // a route without an account, such as an unknown one
	case a == "-":
		rq.account = rq.caller.Account
	case glacier.IsAccountID(a):
		rq.account = a
	default:
		return glacier.Errorf(glacier.KindUnrecognizedClient, "No account found for the given parameters")
	}
	return nil
}

// call runs a handler, turning a panic into an internal error, so that a
// bug answers with Glacier's error document (and is logged with its stack)
// rather than a dropped connection.
func (s *Server) call(h handlerFunc, w http.ResponseWriter, rq *request) (err error) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if p == http.ErrAbortHandler {
			panic(p)
		}
		s.log.Error("handler panicked", "request_id", rq.id, "op", rq.op, "panic", p, "stack", string(debug.Stack()))
		err = glacier.Wrap(glacier.KindInternal, fmt.Errorf("panic: %v", p), "internal error")
	}()
	return h(w, rq)
}

// checkVersion requires the x-amz-glacier-version header that every Glacier
// request carries.
func checkVersion(r *http.Request) error {
	switch v := r.Header.Get("X-Amz-Glacier-Version"); v {
	case APIVersion:
		return nil
	case "":
		return glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: API version")
	default:
		return glacier.Errorf(glacier.KindInvalidParameter, "Invalid API version: %s", v)
	}
}

// body wraps r's body, once, in a countingReader that keeps it to the
// server's pace.
func (s *Server) body(w http.ResponseWriter, r *http.Request) *countingReader {
	if in, ok := r.Body.(*countingReader); ok {
		return in
	}
	var src io.Reader = r.Body
	if r.ContentLength != 0 {
		if pc := newPacer(s.pace, w); pc != nil {
			src = pacedReader{r: r.Body, pace: pc}
		}
	}
	in := &countingReader{Reader: countio.Reader{R: src}, body: r.Body}
	r.Body = in
	return in
}

// pacedReader reads r at the pace's rules.
type pacedReader struct {
	r    io.Reader
	pace *pacer
}

func (p pacedReader) Read(b []byte) (int, error) { return p.pace.read(p.r, b) }

// countingReader counts the bytes read through it (N) and notes the body's
// end.
type countingReader struct {
	countio.Reader
	body  io.ReadCloser // the request's own body
	ended bool          // the body reported io.EOF
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.Reader.Read(p)
	if err == io.EOF {
		c.ended = true
	}
	return n, err
}

// unread reports whether bytes of a request body of length declared may be
// left on the connection.
func (c *countingReader) unread(declared int64) bool {
	return declared != 0 && !c.ended && (declared < 0 || c.N < declared)
}

func (c *countingReader) Close() error { return c.body.Close() }

// statusWriter records the status and counts the body bytes written.
type statusWriter struct {
	http.ResponseWriter
	status int
	n      int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	return n, err
}

// ReadFrom hands r to the underlying writer's ReadFrom, so that a file sent
// as a response body goes out with sendfile(2).
func (w *statusWriter) ReadFrom(r io.Reader) (int64, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	rf, ok := w.ResponseWriter.(io.ReaderFrom)
	if !ok {
		return io.Copy(struct{ io.Writer }{w}, r)
	}
	n, err := rf.ReadFrom(r)
	w.n += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

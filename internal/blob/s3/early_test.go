package s3_test

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// slowReader yields n bytes, a little at a time, and counts the reads made
// after returned is set.
type slowReader struct {
	n        int
	returned *atomic.Bool
	late     atomic.Int32
}

func (r *slowReader) Read(p []byte) (int, error) {
	if r.returned.Load() {
		r.late.Add(1)
	}
	if r.n == 0 {
		return 0, io.EOF
	}
	time.Sleep(time.Millisecond)
	k := min(len(p), r.n, 32<<10)
	clear(p[:k])
	r.n -= k
	return k, nil
}

// TestEarlyAnswerDoesNotOutliveRead: when the server answers a PUT before it
// has read the body, net/http goes on writing the body after the call has
// returned. Put must not return while a read of the caller's reader is in
// progress, nor let one start after.
func TestEarlyAnswerDoesNotOutliveRead(t *testing.T) {
	drained := make(chan struct{}) // the refusing handler has stopped taking the body
	srv := fakeServerWrapped(t, func(fake http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPut && strings.Contains(r.URL.Path, "refused") {
				w.Header().Set("Content-Type", "application/xml")
				w.WriteHeader(http.StatusForbidden)
				_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>no</Message></Error>`)
				// Answer first, then go on taking the body, so the client's
				// transport goes on sending it.
				w.(http.Flusher).Flush()
				_, _ = io.Copy(io.Discard, r.Body)
				close(drained)
				return
			}
			fake.ServeHTTP(w, r)
		})
	})
	s := openStore(t, srv.cfg(t))
	var returned atomic.Bool
	const size = 4 << 20
	r := &slowReader{n: size, returned: &returned}
	err := s.Put(t.Context(), "refused/blob", r, size)
	returned.Store(true)
	if err == nil {
		t.Fatal("Put succeeded against a server that refused it")
	}
	// The body stops arriving once the client stops sending it: after the
	// last read of r a leftover writer could make.
	select {
	case <-drained:
	case <-time.After(10 * time.Second):
		t.Fatal("the server is still receiving the body 10s after Put returned")
	}
	if n := r.late.Load(); n != 0 {
		t.Fatalf("the reader was read %d times after Put returned", n)
	}
}

package fs

import "os"

// writebackChunk is how many written bytes Put lets accumulate before it
// starts their writeback.
const writebackChunk = 2 << 20

// writeback starts the writeback of a file's bytes as Put writes them, on a
// goroutine of its own (started with the first chunk, so small blobs have
// none), so that the disk works while the rest of the body is still
// arriving and the final fsync has little left to do; the copy never waits
// for it. A chunk the goroutine has no room for stays pending and goes with
// the next one.
type writeback struct {
	f       *os.File
	ranges  chan [2]int64 // nil until the goroutine runs
	done    chan struct{}
	flushed int64 // bytes handed to the goroutine so far
}

func newWriteback(f *os.File) *writeback { return &writeback{f: f} }

// written tells w that the file now holds n bytes.
func (w *writeback) written(n int64) {
	if n-w.flushed < writebackChunk {
		return
	}
	if w.ranges == nil {
		w.ranges, w.done = make(chan [2]int64, 2), make(chan struct{})
		go func() {
			defer close(w.done)
			for r := range w.ranges {
				startWriteback(w.f, r[0], r[1])
			}
		}()
	}
	select {
	case w.ranges <- [2]int64{w.flushed, n - w.flushed}:
		w.flushed = n
	default:
	}
}

// stop ends the goroutine, if any, and waits for it, so the file may be
// closed.
func (w *writeback) stop() {
	if w.ranges == nil {
		return
	}
	close(w.ranges)
	<-w.done
}

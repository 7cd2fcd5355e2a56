// Package progress draws byte-transfer progress bars (with rate and ETA) on
// a terminal, and nothing anywhere else.
package progress

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
)

// IsTerminal reports whether w is a character device such as a terminal.
// Pipes, files and in-memory buffers are not.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Bar is a byte progress bar. A nil *Bar, as returned by New when disabled,
// is valid and does nothing, so callers never need to check. A Bar is safe
// for concurrent use.
type Bar struct {
	pb *progressbar.ProgressBar
}

// New returns a bar for total bytes (-1 if unknown) labelled desc, drawn on
// w, or nil if enabled is false or there is nothing to transfer.
func New(w io.Writer, enabled bool, total int64, desc string) *Bar {
	if !enabled || total == 0 {
		return nil
	}
	pb := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowBytes(true),
		progressbar.OptionUseIECUnits(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		// No spinner goroutine for unknown sizes: the bar redraws on Add.
		progressbar.OptionSetSpinnerChangeInterval(0),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)
	return &Bar{pb: pb}
}

// Add records n more bytes done.
func (b *Bar) Add(n int64) {
	if b == nil || n == 0 {
		return
	}
	_ = b.pb.Add64(n)
}

// Finish draws the bar complete and ends its line.
func (b *Bar) Finish() {
	if b == nil {
		return
	}
	if b.pb.GetMax64() < 0 {
		_ = b.pb.Exit() // a spinner has no "full"; just end the line
		return
	}
	if !b.pb.IsFinished() {
		_ = b.pb.Finish()
	}
}

// Abandon ends the bar's line where it stands, after a failure, so that the
// error message starts on a fresh line.
func (b *Bar) Abandon() {
	if b == nil || b.pb.IsFinished() {
		return
	}
	_ = b.pb.Exit()
}

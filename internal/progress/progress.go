// Package progress is nadra's one progress bar for long work: simulate at
// many paths, imports of many control snapshots, and the DeepState fetch.
// A bar is drawn only where a person watches it: on a terminal, and never
// in nadra serve, whose background work logs instead. Elsewhere (a pipe, a
// file, a test's buffer) a Bar does nothing, so output that scripts read
// stays as it was.
package progress

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
)

// IsTerminal reports whether w is a terminal (a character device).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Show reports whether a bar goes to w: when w is a terminal by
// isTerminal, not quiet, and the work has more than one step (a single
// step is over before a bar would tell anything).
func Show(w io.Writer, quiet bool, isTerminal func(io.Writer) bool, steps int64) bool {
	return !quiet && steps > 1 && isTerminal(w)
}

// Bar counts steps of one job. The zero of *Bar (nil) and a Bar made with
// on false do nothing. Its methods are safe from several goroutines.
type Bar struct {
	b *progressbar.ProgressBar
}

// New returns a bar of steps on w, labelled desc, when on; otherwise a Bar
// that draws nothing. The bar is erased by Done, so what follows on w
// starts on a clean line.
func New(w io.Writer, on bool, steps int64, desc string) *Bar {
	if !on {
		return &Bar{}
	}
	return &Bar{b: progressbar.NewOptions64(steps,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetRenderBlankState(true),
	)}
}

// Set records that done steps are complete.
func (b *Bar) Set(done int64) {
	if b == nil || b.b == nil {
		return
	}
	_ = b.b.Set64(done) // a write error on stderr is not worth stopping the work for
}

// Describe changes the label, as for the file being imported.
func (b *Bar) Describe(desc string) {
	if b == nil || b.b == nil {
		return
	}
	b.b.Describe(desc)
}

// Done erases the bar, whether the work finished or stopped.
func (b *Bar) Done() {
	if b == nil || b.b == nil {
		return
	}
	_ = b.b.Exit() // under the bar's lock: no draw comes after it
	_ = b.b.Clear()
}

// Package progress draws a one-line progress report on a terminal while a
// large export is read: bytes read, rate and time left.
//
// It draws only when told that its output is a terminal, and only for
// inputs of at least Options.MinSize bytes, so pipes, CI logs and scripts
// never see it; results on stdout are never affected. Drawing happens on
// the goroutine that reports bytes, at most every Options.Interval, so the
// reporter needs no goroutine of its own and tests drive it with a fake
// clock.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Defaults for Options.
const (
	DefaultMinSize  = 8 << 20
	DefaultInterval = 200 * time.Millisecond
	DefaultDelay    = 500 * time.Millisecond
	DefaultWidth    = 80
)

// Options configure a Reporter.
type Options struct {
	Out        io.Writer // where the line is drawn: standard error
	IsTerminal bool      // whether Out is a terminal; nothing is drawn otherwise
	Quiet      bool      // draw nothing (--quiet)
	// Total is the input size in bytes; 0 when unknown (standard input),
	// in which case neither percentage nor time left is shown and drawing
	// starts once MinSize bytes were read.
	Total   int64
	MinSize int64 // smaller inputs get no report; 0 means DefaultMinSize
	Label   string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Interval is the least time between two redraws; 0 means
	// DefaultInterval. Delay is how long after the start the first line is
	// drawn, so that a quick run shows nothing; 0 means DefaultDelay.
	Interval time.Duration
	Delay    time.Duration
	Width    int // terminal columns; 0 means DefaultWidth
}

// Reporter counts bytes and redraws the progress line. A nil *Reporter is
// valid and does nothing, which is what New returns when no report is
// wanted. Its methods are safe for concurrent use.
type Reporter struct {
	o       Options
	mu      sync.Mutex
	start   time.Time
	last    time.Time // last redraw
	done    int64
	drawn   bool // a line is on the screen
	stopped bool
}

// New returns a Reporter, or nil when nothing must be drawn: not a
// terminal, quiet, or a known input size below MinSize.
func New(o Options) *Reporter {
	if o.Out == nil || !o.IsTerminal || o.Quiet {
		return nil
	}
	if o.MinSize <= 0 {
		o.MinSize = DefaultMinSize
	}
	if o.Total > 0 && o.Total < o.MinSize {
		return nil
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.Delay <= 0 {
		o.Delay = DefaultDelay
	}
	if o.Width <= 0 {
		o.Width = DefaultWidth
	}
	return &Reporter{o: o, start: o.Now()}
}

// Add records n more bytes read and redraws if it is time to.
func (r *Reporter) Add(n int) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done += int64(n)
	if r.stopped {
		return
	}
	now := r.o.Now()
	if now.Sub(r.start) < r.o.Delay || now.Sub(r.last) < r.o.Interval {
		return
	}
	if r.o.Total <= 0 && r.done < r.o.MinSize {
		return
	}
	r.last = now
	r.drawn = true
	fmt.Fprintf(r.o.Out, "\r%s\x1b[K", r.line(now))
}

// SetLabel changes the name shown, e.g. when the next input starts.
func (r *Reporter) SetLabel(label string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.o.Label = label
	r.mu.Unlock()
}

// Finish erases the line, so that what follows on the terminal (warnings,
// a table) starts on a clean line. Later calls to Add draw nothing.
func (r *Reporter) Finish() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.eraseLocked()
	r.stopped = true
}

// eraseLocked clears the drawn line, if any; r.mu must be held.
func (r *Reporter) eraseLocked() {
	if r.drawn {
		io.WriteString(r.o.Out, "\r\x1b[K")
		r.drawn = false
	}
}

// Above returns a writer to w (the terminal the line is drawn on) that
// erases the line before each write, so that a warning printed while the
// line is drawn starts on a clean line; the line is drawn again on the
// next redraw.
func (r *Reporter) Above(w io.Writer) io.Writer {
	if r == nil {
		return w
	}
	return &aboveWriter{w: w, rep: r}
}

type aboveWriter struct {
	w   io.Writer
	rep *Reporter
}

func (a *aboveWriter) Write(p []byte) (int, error) {
	a.rep.mu.Lock()
	defer a.rep.mu.Unlock()
	a.rep.eraseLocked()
	return a.w.Write(p)
}

// Reader returns rd counting what is read through it.
func (r *Reporter) Reader(rd io.Reader) io.Reader {
	if r == nil {
		return rd
	}
	return &countingReader{r: rd, rep: r}
}

type countingReader struct {
	r   io.Reader
	rep *Reporter
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.rep.Add(n)
	return n, err
}

// line formats the report, cut to the terminal's width.
func (r *Reporter) line(now time.Time) string {
	elapsed := now.Sub(r.start).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(r.done) / elapsed
	}
	parts := []string{}
	if r.o.Label != "" {
		parts = append(parts, r.o.Label)
	}
	if r.o.Total > 0 {
		frac := min(float64(r.done)/float64(r.o.Total), 1)
		parts = append(parts,
			fmt.Sprintf("%s / %s", Bytes(r.done), Bytes(r.o.Total)),
			fmt.Sprintf("%3.0f%%", 100*frac),
			bar(frac, 20))
	} else {
		parts = append(parts, Bytes(r.done))
	}
	parts = append(parts, Bytes(int64(rate))+"/s")
	if r.o.Total > 0 && rate > 0 {
		left := time.Duration(float64(max(r.o.Total-r.done, 0)) / rate * float64(time.Second))
		parts = append(parts, "ETA "+Duration(left))
	}
	return truncate(strings.Join(parts, "  "), r.o.Width-1)
}

func bar(frac float64, width int) string {
	full := int(frac * float64(width))
	return "[" + strings.Repeat("=", full) + strings.Repeat(" ", width-full) + "]"
}

// truncate cuts s to n bytes, which never take more than n columns (the
// line is ASCII except the label, and no character is wider than its
// UTF-8 bytes), so the line never wraps.
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// Bytes formats a size with decimal units (1 MB = 1,000,000 bytes), as
// the rates in docs/performance.md are given.
func Bytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, suffix := float64(n), ""
	for _, s := range []string{"kB", "MB", "GB", "TB"} {
		v /= unit
		suffix = s
		if v < unit {
			break
		}
	}
	return fmt.Sprintf("%.1f %s", v, suffix)
}

// Duration formats a time left: "42s", "3m05s", "1h02m".
func Duration(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	default:
		return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
	}
}

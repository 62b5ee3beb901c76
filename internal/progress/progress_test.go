package progress

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

// fakeClock is advanced by the test.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTest(o Options) (*Reporter, *bytes.Buffer, *fakeClock) {
	var out bytes.Buffer
	clock := &fakeClock{t: time.Date(2024, 10, 1, 12, 0, 0, 0, time.UTC)}
	o.Out, o.Now = &out, clock.now
	return New(o), &out, clock
}

func TestNothingIsDrawnUnlessWanted(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
	}{
		{"not a terminal", Options{Total: 1 << 30}},
		{"quiet", Options{IsTerminal: true, Quiet: true, Total: 1 << 30}},
		{"small input", Options{IsTerminal: true, Total: DefaultMinSize - 1}},
		{"small stdin", Options{IsTerminal: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, out, clock := newTest(tc.o)
			for range 100 {
				clock.advance(time.Second)
				r.Add(64 << 10) // 6.4 MB in all: under MinSize for stdin
			}
			r.Finish()
			if out.Len() != 0 {
				t.Errorf("drew %q", out.String())
			}
		})
	}
}

func TestReportShowsBytesRateAndTimeLeft(t *testing.T) {
	r, out, clock := newTest(Options{IsTerminal: true, Total: 600_000_000, Label: "big.csv"})
	clock.advance(2 * time.Second)
	r.Add(200_000_000) // 100 MB/s, 4 s left
	want := "\rbig.csv  200.0 MB / 600.0 MB   33%  [======              ]  100.0 MB/s  ETA 4s\x1b[K"
	if out.String() != want {
		t.Fatalf("drew\n%q\nwant\n%q", out.String(), want)
	}
	out.Reset()
	clock.advance(100 * time.Millisecond) // before the next redraw is due
	r.Add(1)
	if out.Len() != 0 {
		t.Errorf("redrew after 100ms: %q", out.String())
	}
	clock.advance(time.Second)
	r.Add(99_999_999)
	if !strings.Contains(out.String(), "300.0 MB / 600.0 MB   50%") {
		t.Errorf("second line %q", out.String())
	}
	out.Reset()
	r.Finish()
	if out.String() != "\r\x1b[K" {
		t.Errorf("finish wrote %q, want the line erased", out.String())
	}
	out.Reset()
	clock.advance(time.Second)
	r.Add(1)
	if out.Len() != 0 {
		t.Errorf("drew after Finish: %q", out.String())
	}
}

func TestQuickRunsDrawNothing(t *testing.T) {
	r, out, clock := newTest(Options{IsTerminal: true, Total: 1 << 30})
	clock.advance(DefaultDelay / 2)
	r.Add(1 << 30)
	r.Finish()
	if out.Len() != 0 {
		t.Errorf("drew %q before the delay", out.String())
	}
}

func TestUnknownSize(t *testing.T) {
	r, out, clock := newTest(Options{IsTerminal: true})
	clock.advance(time.Second)
	r.Add(DefaultMinSize - 1)
	if out.Len() != 0 {
		t.Fatalf("drew %q before MinSize bytes", out.String())
	}
	clock.advance(time.Second)
	r.Add(1)
	got := out.String()
	if !strings.Contains(got, "8.4 MB  4.2 MB/s") || strings.Contains(got, "ETA") || strings.Contains(got, "%") {
		t.Errorf("drew %q, want bytes and rate only", got)
	}
}

func TestLineFitsTheTerminal(t *testing.T) {
	r, out, clock := newTest(Options{IsTerminal: true, Total: 1 << 30, Width: 30, Label: strings.Repeat("é", 40)})
	clock.advance(time.Second)
	r.Add(1 << 20)
	line := strings.TrimSuffix(strings.TrimPrefix(out.String(), "\r"), "\x1b[K")
	if len(line) > 29 || !strings.HasPrefix(line, "éé") {
		t.Errorf("line %q (%d bytes) for a 30-column terminal", line, len(line))
	}
}

// However narrow the terminal, the line stays shorter than its width: a
// line that wraps would be redrawn on a new row at every update.
func TestLineNeverWraps(t *testing.T) {
	for _, width := range []int{1, 2, 5, 12, 40, 80, 200} {
		r, out, clock := newTest(Options{IsTerminal: true, Total: 1 << 30, Width: width, Label: "reading"})
		clock.advance(time.Second)
		r.Add(1 << 20)
		line := strings.TrimSuffix(strings.TrimPrefix(out.String(), "\r"), "\x1b[K")
		if !strings.HasPrefix(out.String(), "\r") || len(line) > width-1 {
			t.Errorf("width %d: line %q (%d bytes)", width, line, len(line))
		}
	}
}

func TestReaderCounts(t *testing.T) {
	r, out, clock := newTest(Options{IsTerminal: true, Total: 10 << 20, Delay: time.Nanosecond})
	clock.advance(time.Second)
	src := tickingReader{strings.NewReader(strings.Repeat("x", 10<<20)), clock}
	n, err := io.Copy(io.Discard, r.Reader(src))
	if err != nil || n != 10<<20 {
		t.Fatal(n, err)
	}
	if lines := strings.Split(out.String(), "\r"); !strings.Contains(lines[len(lines)-1], "100%") {
		t.Errorf("drew %q, want 100%%", out.String())
	}
	var nilRep *Reporter
	if rd := strings.NewReader("x"); nilRep.Reader(rd) != rd {
		t.Error("a nil Reporter must return the reader unchanged")
	}
	nilRep.Add(1)
	nilRep.SetLabel("x")
	nilRep.Finish()
}

func TestFormats(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 1_500_000: "1.5 MB", 2_000_000_000: "2.0 GB", 3e15: "3000.0 TB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{0: "0s", 59 * time.Second: "59s", 185 * time.Second: "3m05s", 3720 * time.Second: "1h02m"} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

// tickingReader advances the clock by a second on every read.
type tickingReader struct {
	r     io.Reader
	clock *fakeClock
}

func (t tickingReader) Read(p []byte) (int, error) {
	t.clock.advance(time.Second)
	return t.r.Read(p)
}

package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// browser is a headless Chromium driven over the DevTools protocol on a
// pipe (--remote-debugging-pipe: commands on fd 3, replies on fd 4, each
// message JSON ending in a NUL byte), so the test needs neither a
// WebSocket library nor a free port.
type browser struct {
	cmd    *exec.Cmd
	toChr  *os.File
	stderr lockedBuffer

	mu      sync.Mutex
	nextID  int
	waiting map[int]chan cdpMessage
	events  []cdpMessage
	eventCh chan struct{} // signalled on each event
	readErr error
}

type cdpMessage struct {
	ID        int             `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// findChromium returns the browser to test with: $SPOKE_STATUS_CHROMIUM,
// else Debian's chromium (installed by .ci/run), else a Chrome.
func findChromium() (string, error) {
	if p := os.Getenv("SPOKE_STATUS_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium, chromium-browser or google-chrome on PATH")
}

// startBrowser starts a headless Chromium that loads nothing from the
// network, and stops it when the test ends.
func startBrowser(t *testing.T, path string) *browser {
	t.Helper()
	fromTest, toChr, err := os.Pipe() // fd 3 of Chromium: commands
	if err != nil {
		t.Fatal(err)
	}
	fromChr, toTest, err := os.Pipe() // fd 4 of Chromium: replies and events
	if err != nil {
		t.Fatal(err)
	}
	b := &browser{toChr: toChr, waiting: map[int]chan cdpMessage{}, eventCh: make(chan struct{}, 1)}
	b.cmd = exec.Command(path,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
		"--user-data-dir="+t.TempDir(), "--remote-debugging-pipe", "about:blank")
	b.cmd.ExtraFiles = []*os.File{fromTest, toTest}
	b.cmd.Stderr = &b.stderr
	if err := b.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	fromTest.Close()
	toTest.Close()
	go b.read(fromChr)
	t.Cleanup(func() {
		toChr.Close()
		_ = b.cmd.Process.Kill()
		_ = b.cmd.Wait()
		fromChr.Close()
	})
	return b
}

// read dispatches replies to their callers and keeps events.
func (b *browser) read(r *os.File) {
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		raw, err := br.ReadBytes(0)
		if err != nil {
			b.mu.Lock()
			b.readErr = err
			for id, ch := range b.waiting {
				close(ch)
				delete(b.waiting, id)
			}
			b.mu.Unlock()
			return
		}
		var m cdpMessage
		if err := json.Unmarshal(raw[:len(raw)-1], &m); err != nil {
			continue
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch, ok := b.waiting[m.ID]; ok {
				ch <- m
				delete(b.waiting, m.ID)
			}
		} else {
			b.events = append(b.events, m)
			select {
			case b.eventCh <- struct{}{}:
			default:
			}
		}
		b.mu.Unlock()
	}
}

// call sends a command (to the page's session when session is not "")
// and decodes its result into out (may be nil).
func (b *browser) call(ctx context.Context, session, method string, params, out any) error {
	if params == nil {
		params = struct{}{}
	}
	p, err := json.Marshal(params)
	if err != nil {
		return err
	}
	ch := make(chan cdpMessage, 1)
	b.mu.Lock()
	if b.readErr != nil {
		b.mu.Unlock()
		return fmt.Errorf("%s: browser gone: %v", method, b.readErr)
	}
	b.nextID++
	id := b.nextID
	b.waiting[id] = ch
	b.mu.Unlock()
	msg, err := json.Marshal(cdpMessage{ID: id, SessionID: session, Method: method, Params: p})
	if err != nil {
		return err
	}
	if _, err := b.toChr.Write(append(msg, 0)); err != nil {
		return fmt.Errorf("%s: %v", method, err)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			return fmt.Errorf("%s: browser closed the pipe", method)
		}
		if m.Error != nil {
			return fmt.Errorf("%s: %s (%d)", method, m.Error.Message, m.Error.Code)
		}
		if out != nil {
			return json.Unmarshal(m.Result, out)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: %v", method, ctx.Err())
	}
}

// waitEvent waits for an event of the session by name, and returns it.
func (b *browser) waitEvent(ctx context.Context, session, method string, from int) (cdpMessage, error) {
	for {
		b.mu.Lock()
		for _, e := range b.events[from:] {
			if e.Method == method && e.SessionID == session {
				b.mu.Unlock()
				return e, nil
			}
		}
		b.mu.Unlock()
		select {
		case <-b.eventCh:
		case <-time.After(50 * time.Millisecond):
		case <-ctx.Done():
			return cdpMessage{}, fmt.Errorf("waiting for %s: %v", method, ctx.Err())
		}
	}
}

func (b *browser) eventCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.events)
}

// pageView is how a page is looked at: viewport and color scheme.
type pageView struct {
	name   string
	width  int
	height int
	mobile bool
	scheme string // "light" or "dark"
	media  string // "screen" (when empty) or "print"
}

// pageVisit is what a visit found.
type pageVisit struct {
	problems   []string        // console errors, exceptions, failed or external loads
	measure    json.RawMessage // the result of the measuring expression
	screenshot []byte          // PNG of the whole page
}

// visit opens url in a new tab as view, waits for it to load, evaluates
// measure (a JavaScript expression returning JSON text) and takes a
// full-page screenshot.
func (b *browser) visit(ctx context.Context, url string, view pageView, measure string) (*pageVisit, error) {
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := b.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return nil, err
	}
	defer b.call(context.Background(), "", "Target.closeTarget", map[string]any{"targetId": target.TargetID}, nil) //nolint:errcheck
	var att struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att); err != nil {
		return nil, err
	}
	s := att.SessionID
	media := view.media
	if media == "" {
		media = "screen"
	}
	for _, c := range []struct {
		method string
		params any
	}{
		{"Runtime.enable", nil}, {"Log.enable", nil}, {"Page.enable", nil}, {"Network.enable", nil},
		{"Emulation.setDeviceMetricsOverride", map[string]any{"width": view.width, "height": view.height, "deviceScaleFactor": 1, "mobile": view.mobile}},
		{"Emulation.setEmulatedMedia", map[string]any{"media": media, "features": []map[string]string{{"name": "prefers-color-scheme", "value": view.scheme}}}},
	} {
		if err := b.call(ctx, s, c.method, c.params, nil); err != nil {
			return nil, err
		}
	}
	from := b.eventCount()
	if err := b.call(ctx, s, "Page.navigate", map[string]any{"url": url}, nil); err != nil {
		return nil, err
	}
	if _, err := b.waitEvent(ctx, s, "Page.loadEventFired", from); err != nil {
		return nil, err
	}
	v := &pageVisit{}
	var eval struct {
		Result struct {
			Value string `json:"value"`
		} `json:"result"`
		ExceptionDetails json.RawMessage `json:"exceptionDetails"`
	}
	if err := b.call(ctx, s, "Runtime.evaluate", map[string]any{"expression": measure, "returnByValue": true}, &eval); err != nil {
		return nil, err
	}
	if eval.ExceptionDetails != nil {
		return nil, fmt.Errorf("measuring: %s", eval.ExceptionDetails)
	}
	v.measure = json.RawMessage(eval.Result.Value)
	var metrics struct {
		CSSContentSize struct{ Width, Height float64 } `json:"cssContentSize"`
	}
	if err := b.call(ctx, s, "Page.getLayoutMetrics", nil, &metrics); err != nil {
		return nil, err
	}
	var shot struct {
		Data string `json:"data"`
	}
	clip := map[string]any{"x": 0, "y": 0, "width": metrics.CSSContentSize.Width, "height": metrics.CSSContentSize.Height, "scale": 1}
	if err := b.call(ctx, s, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true, "clip": clip}, &shot); err != nil {
		return nil, err
	}
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		return nil, err
	}
	v.screenshot = png
	v.problems = b.problems(s, from)
	return v, nil
}

// problems lists what went wrong in the session since event from: console
// errors and warnings, uncaught exceptions, browser log errors (a blocked
// or failed load, a Content-Security-Policy violation) and any request
// for something other than the page itself or a data: URL.
func (b *browser) problems(session string, from int) []string {
	b.mu.Lock()
	events := append([]cdpMessage(nil), b.events[from:]...)
	b.mu.Unlock()
	var out []string
	for _, e := range events {
		if e.SessionID != session {
			continue
		}
		switch e.Method {
		case "Runtime.consoleAPICalled":
			var p struct {
				Type string `json:"type"`
				Args []struct {
					Value any `json:"value"`
				} `json:"args"`
			}
			if json.Unmarshal(e.Params, &p) == nil && (p.Type == "error" || p.Type == "warning" || p.Type == "assert") {
				out = append(out, fmt.Sprintf("console.%s: %v", p.Type, p.Args))
			}
		case "Runtime.exceptionThrown":
			out = append(out, "exception: "+string(e.Params))
		case "Log.entryAdded":
			var p struct {
				Entry struct {
					Level, Source, Text, URL string
				} `json:"entry"`
			}
			if json.Unmarshal(e.Params, &p) == nil && (p.Entry.Level == "error" || p.Entry.Level == "warning") {
				out = append(out, fmt.Sprintf("log %s (%s): %s %s", p.Entry.Level, p.Entry.Source, p.Entry.Text, p.Entry.URL))
			}
		case "Network.requestWillBeSent":
			var p struct {
				Type    string `json:"type"`
				Request struct {
					URL string `json:"url"`
				} `json:"request"`
			}
			if json.Unmarshal(e.Params, &p) == nil && p.Type != "Document" && !bytes.HasPrefix([]byte(p.Request.URL), []byte("data:")) {
				out = append(out, "request for "+p.Request.URL)
			}
		case "Network.loadingFailed":
			out = append(out, "load failed: "+string(e.Params))
		}
	}
	return out
}

// lockedBuffer is the browser's standard error: exec copies into it on a
// goroutine of its own while a failing test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

package output

import (
	"errors"
	"io"
	"sync"
)

// Checked is a writer that records its first error and fails every write
// after it, so that a command can write freely (renderers that drop an
// error included) and still learn at the end that its output was lost.
type Checked struct {
	mu   sync.Mutex
	w    io.Writer
	name string
	err  error
}

// NewChecked returns a Checked writer to w; name ("standard output", a
// path) is what its errors say could not be written.
func NewChecked(w io.Writer, name string) *Checked { return &Checked{w: w, name: name} }

func (c *Checked) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		c.err = asWriteError(c.name, err)
		return n, c.err
	}
	return n, nil
}

// Err returns the first failed write as a *WriteError, or nil.
func (c *Checked) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		return nil
	}
	return c.err
}

// asWriteError names what failed, unless err already does (a Checked
// writer over another).
func asWriteError(name string, err error) error {
	var we *WriteError
	if errors.As(err, &we) {
		return we
	}
	return &WriteError{Name: name, Err: bareError(err)}
}

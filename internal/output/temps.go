package output

import (
	"errors"
	"os"
	"sync"
)

// errInterrupted refuses a temporary file once the run was interrupted.
var errInterrupted = errors.New("interrupted")

// Temps registers the temporary files of one run, so that an interrupt
// (SIGINT, SIGTERM) can remove them before the process exits. Creating,
// renaming and removing happen under one lock: a file is never left
// between its creation and its registration, nor half renamed.
type Temps struct {
	mu     sync.Mutex
	files  map[string]bool
	closed bool
}

// NewTemps returns an empty registry.
func NewTemps() *Temps { return &Temps{files: map[string]bool{}} }

func (t *Temps) create(dir, pattern string) (*os.File, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, errInterrupted
	}
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	t.files[f.Name()] = true
	return f, nil
}

// commit renames a temporary file over its destination.
func (t *Temps) commit(tmp, path string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return errInterrupted
	}
	delete(t.files, tmp)
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// discard removes a temporary file that will not be used.
func (t *Temps) discard(tmp string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.files, tmp)
	os.Remove(tmp)
}

// RemoveAll removes every registered file and refuses new ones: the run is
// over. It returns how many files it removed.
func (t *Temps) RemoveAll() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	n := 0
	for name := range t.files {
		if os.Remove(name) == nil {
			n++
		}
		delete(t.files, name)
	}
	return n
}

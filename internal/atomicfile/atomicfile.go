// Package atomicfile writes output files whole or not at all: readers of
// the destination (a CI dashboard, a spreadsheet) never see half a file,
// and a failed run leaves the previous file in place.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write calls fill with a temporary file in the destination's directory and
// renames it over path when fill succeeds; on any error the temporary file
// is removed and path is untouched.
func Write(path string, fill func(f *os.File) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := fill(tmp); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

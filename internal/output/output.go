// Package output writes a command's results so that no data is ever lost:
// a destination is checked before any input is read (never one of the
// inputs, never a directory), a file is replaced whole or not at all
// (through a symbolic link, keeping the link and the file's mode), a FIFO
// or device is written as a stream, and every write is checked, with errors
// that name the user's path, never a temporary file.
package output

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Stdout is the path operand that means standard output.
const Stdout = "-"

// defaultPerm is the mode of a new output file.
const defaultPerm fs.FileMode = 0o644

// bufferSize is the write buffer of every target.
const bufferSize = 1 << 16

// Request is one destination as the user gave it.
type Request struct {
	Flag    string // the flag that named it, for messages: "-o", "--junit"
	Path    string // as given; "-" is standard output
	Example string // a file name for hints, e.g. "report.html"
}

// Input is one input of the command, to be kept from being overwritten.
type Input struct {
	Arg  string      // as given
	Info fs.FileInfo // what it is; nil when unknown (standard input that is no file)
}

// Options are what Prepare needs besides the request.
type Options struct {
	Stdout io.Writer // standard output, for "-" and /dev/stdout
	Temps  *Temps    // where temporary files are registered; nil: a private registry
	Inputs []Input
}

// Error is a destination refused before anything was read: exit 2.
type Error struct {
	Msg  string
	Hint string
}

func (e *Error) Error() string { return e.Msg }

// WriteError is a failed write, flush or rename of a destination. Name is
// the user's path or "standard output", never a temporary file.
type WriteError struct {
	Name string
	Err  error
}

func (e *WriteError) Error() string { return fmt.Sprintf("cannot write %s: %v", e.Name, e.Err) }

func (e *WriteError) Unwrap() error { return e.Err }

// IsBrokenPipe reports whether err is a write to a closed pipe (the reader,
// such as head, is gone): not worth an error message.
func IsBrokenPipe(err error) bool { return errors.Is(err, syscall.EPIPE) }

type kind int

const (
	toStdout  kind = iota // the command's standard output
	toStream              // a FIFO, a device: opened and written in place
	toReplace             // a regular file (or none yet): replaced whole
)

// Target is a checked destination, ready to be written.
type Target struct {
	req    Request
	kind   kind
	path   string      // the file to open or replace, links resolved
	perm   fs.FileMode // mode of the replaced file
	stdout io.Writer
	temps  *Temps
}

// IsStdout reports whether the target is standard output.
func (t *Target) IsStdout() bool { return t.kind == toStdout }

// Prepare checks a destination before any input is read.
func Prepare(req Request, opts Options) (*Target, error) {
	t := &Target{req: req, stdout: opts.Stdout, temps: opts.Temps, perm: defaultPerm}
	if t.temps == nil {
		t.temps = NewTemps()
	}
	if isStdoutName(req.Path) {
		t.kind = toStdout
		return t, nil
	}
	if req.Path == "" {
		return nil, &Error{Msg: fmt.Sprintf("%s needs a file name", req.Flag)}
	}
	resolved, err := resolveLinks(req.Path)
	if err != nil {
		return nil, &Error{Msg: fmt.Sprintf("%s %s: %v", req.Flag, req.Path, bareError(err))}
	}
	t.path = resolved
	st, err := os.Stat(resolved)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		t.kind = toReplace
		return t, t.checkDirectory()
	case err != nil:
		return nil, &Error{Msg: fmt.Sprintf("%s %s: %v", req.Flag, req.Path, bareError(err))}
	}
	if err := t.checkNotInput(st, opts.Inputs); err != nil {
		return nil, err
	}
	switch {
	case st.IsDir():
		return nil, &Error{Msg: fmt.Sprintf("%s %s is a directory", req.Flag, req.Path),
			Hint: "name a file, e.g. " + req.Flag + " " + filepath.Join(req.Path, exampleName(req))}
	case st.Mode().IsRegular():
		t.kind, t.perm = toReplace, st.Mode().Perm()
		return t, t.checkDirectory()
	default:
		t.kind = toStream
		return t, nil
	}
}

func exampleName(req Request) string {
	if req.Example != "" {
		return req.Example
	}
	return "out.csv"
}

// isStdoutName reports whether path names the process's standard output,
// which is written in place: replacing what /dev/stdout points at would
// undo the shell's redirection (>> appends, a pipe stays a pipe).
func isStdoutName(path string) bool {
	switch path {
	case Stdout, "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1":
		return true
	}
	return false
}

// checkDirectory makes a missing directory an error before the inputs
// are read, rather than after.
func (t *Target) checkDirectory() error {
	dir := filepath.Dir(t.path)
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return &Error{Msg: fmt.Sprintf("%s: cannot write %s: directory %s does not exist", t.req.Flag, t.req.Path, filepath.Dir(t.req.Path)),
			Hint: "check that the directory exists and is writable, or choose another path"}
	}
	// A directory that cannot be written to is found now, not after a
	// long read: try the temporary file the write will use.
	dirPart, base := filepath.Split(t.path)
	probe, err := t.temps.create(dirPart, "."+base+".tmp-*")
	if err != nil {
		return &Error{Msg: fmt.Sprintf("%s: cannot write %s: %v", t.req.Flag, t.req.Path, bareError(err)),
			Hint: "check that the directory exists and is writable, or choose another path"}
	}
	probe.Close()
	t.temps.discard(probe.Name())
	return nil
}

// checkNotInput refuses a destination that is one of the inputs. Devices
// are left alone: a terminal is both standard input and standard output.
func (t *Target) checkNotInput(st fs.FileInfo, inputs []Input) error {
	if st.Mode()&fs.ModeCharDevice != 0 || st.Mode()&fs.ModeDevice != 0 {
		return nil
	}
	for _, in := range inputs {
		if in.Info != nil && os.SameFile(st, in.Info) {
			also := ""
			if in.Arg != t.req.Path {
				also = fmt.Sprintf(" (%s)", in.Arg)
			}
			return &Error{Msg: fmt.Sprintf("%s %s is one of the inputs%s: writing it would destroy the export", t.req.Flag, t.req.Path, also),
				Hint: "choose another name for the output"}
		}
	}
	return nil
}

// maxLinks bounds the symbolic links followed, as the kernel does.
const maxLinks = 40

// resolveLinks follows path's symbolic links to the file they name, which
// need not exist yet: a link to a file not yet written is replaced by
// writing its target.
func resolveLinks(path string) (string, error) {
	for range maxLinks {
		st, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return "", errors.New("too many levels of symbolic links")
}

// bareError drops the path an os error carries: messages name the user's
// path, which may differ (a link, a temporary file).
func bareError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// Write runs fill with a buffered writer on the target. Every write is
// checked: a failure is a *WriteError naming the target, whatever fill
// made of it. A file is replaced only when fill and every write succeeded;
// otherwise the previous file is untouched and no temporary file is left.
func (t *Target) Write(fill func(io.Writer) error) error {
	switch t.kind {
	case toStdout:
		return t.stream(t.stdout, "standard output", fill)
	case toStream:
		f, err := os.OpenFile(t.path, os.O_WRONLY, 0)
		if err != nil {
			return &WriteError{Name: t.req.Path, Err: bareError(err)}
		}
		err = t.stream(f, t.req.Path, fill)
		if cerr := f.Close(); err == nil && cerr != nil {
			err = &WriteError{Name: t.req.Path, Err: bareError(cerr)}
		}
		return err
	default:
		return t.replace(fill)
	}
}

// stream writes through a buffer to w.
func (t *Target) stream(w io.Writer, name string, fill func(io.Writer) error) error {
	cw := NewChecked(w, name)
	bw := bufio.NewWriterSize(cw, bufferSize)
	err := fill(bw)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if werr := cw.Err(); werr != nil {
		return werr
	}
	return err
}

// replace writes a temporary file next to the target and renames it over
// the target.
func (t *Target) replace(fill func(io.Writer) error) error {
	dir, base := filepath.Split(t.path)
	tmp, err := t.temps.create(dir, "."+base+".tmp-*")
	if err != nil {
		return &WriteError{Name: t.req.Path, Err: bareError(err)}
	}
	err = t.stream(tmp, t.req.Path, fill)
	if err == nil {
		if cerr := tmp.Chmod(t.perm); cerr != nil {
			err = &WriteError{Name: t.req.Path, Err: bareError(cerr)}
		}
	}
	if err == nil {
		if cerr := tmp.Sync(); cerr != nil {
			err = &WriteError{Name: t.req.Path, Err: bareError(cerr)}
		}
	}
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = &WriteError{Name: t.req.Path, Err: bareError(cerr)}
	}
	if err != nil {
		t.temps.discard(tmp.Name())
		return err
	}
	if err := t.temps.commit(tmp.Name(), t.path); err != nil {
		return &WriteError{Name: t.req.Path, Err: bareError(err)}
	}
	return nil
}

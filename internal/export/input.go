package export

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/klauspost/compress/gzip"
)

// StdinPath is the path operand that means standard input.
const StdinPath = "-"

// DisplayName is how messages name an input: its path, or "standard
// input" for StdinPath.
func DisplayName(path string) string {
	if path == StdinPath {
		return "standard input"
	}
	return path
}

// readBufferSize is the bufio size between the file and the CSV reader; a
// large buffer keeps read syscalls rare on multi-gigabyte exports.
const readBufferSize = 1 << 20

// sniffSize is how much of the start of an input is examined to recognise
// gzip and files that are not CSV exports at all.
const sniffSize = 512

// InputError is a problem with an input file (missing, unreadable, not an
// export, a missing column, a malformed row in strict mode). The CLI exits 2.
type InputError struct {
	Path string
	Line int // 0 when the problem is not tied to a line
	Msg  string
	Hint string
}

func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// opened is an input ready for the CSV reader: decompressed, BOM removed.
type opened struct {
	r      *bufio.Reader
	closer func() error
	gzip   bool
	utf16  bool // decoded from UTF-16
	// file is set for a regular file read as it is (not compressed, not
	// UTF-16), which can be read again in parts from start, the offset
	// of r's next byte; size is its size when opened.
	file  *os.File
	start int64
	size  int64
}

// openInput opens path ("-" is stdin), decompresses gzip detected by its
// magic bytes (whatever the file is called), decodes UTF-16 (a
// spreadsheet's "Unicode Text"), drops a UTF-8 BOM, and rejects inputs that
// are recognisably not a CSV export.
func openInput(path string, stdin io.Reader, count func(io.Reader) io.Reader) (*opened, error) {
	raw, closeRaw, err := openRaw(path, stdin)
	if err != nil {
		return nil, err
	}
	file, _ := raw.(*os.File)
	if count != nil && path != StdinPath {
		raw = count(raw)
	}
	in := &opened{r: bufio.NewReaderSize(raw, readBufferSize), closer: closeRaw}
	head, _ := in.r.Peek(2)
	if bytes.Equal(head, []byte{0x1f, 0x8b}) {
		if err := in.gunzip(path); err != nil {
			closeRaw()
			return nil, err
		}
	}
	head, _ = in.r.Peek(sniffSize)
	if order, bom := utf16Kind(head); order != nil {
		in.r.Discard(bom)
		in.r = bufio.NewReaderSize(newUTF16Reader(in.r, order), readBufferSize)
		in.utf16 = true
	}
	if err := sniff(path, in.r); err != nil {
		in.close()
		return nil, err
	}
	bom := skipBOM(in.r)
	if file != nil && path != StdinPath && !in.gzip && !in.utf16 {
		if st, err := file.Stat(); err == nil && st.Mode().IsRegular() {
			in.file, in.start, in.size = file, int64(bom), st.Size()
		}
	}
	return in, nil
}

func openRaw(path string, stdin io.Reader) (io.Reader, func() error, error) {
	if path == StdinPath {
		if stdin == nil {
			stdin = os.Stdin
		}
		return stdin, func() error { return nil }, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, openError(path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, openError(path, err)
	}
	if st.IsDir() {
		f.Close()
		return nil, nil, &InputError{Path: path, Msg: "is a directory, not an export file",
			Hint: "pass the messages export CSV inside it, e.g. " + path + "/*-messages.csv"}
	}
	return f, f.Close, nil
}

func openError(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &InputError{Path: path, Msg: "no such file"}
	case errors.Is(err, fs.ErrPermission):
		return &InputError{Path: path, Msg: "permission denied", Hint: "check the file's permissions, or run as a user who can read it"}
	default:
		return &InputError{Path: path, Msg: fmt.Sprintf("cannot open: %v", unwrapPathError(err))}
	}
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// gunzip decompresses the input on a goroutine of its own (asyncReader),
// with klauspost/compress's inflater: about twice as fast as the standard
// library's on exports, and decompression is most of a gzip input's cost.
func (in *opened) gunzip(path string) error {
	zr, err := gzip.NewReader(in.r)
	if err != nil {
		return &InputError{Path: path, Msg: fmt.Sprintf("looks gzip-compressed but cannot be decompressed: %v", err)}
	}
	closeRaw := in.closer
	ar := newAsyncReader(zr)
	in.r = bufio.NewReaderSize(ar, readBufferSize)
	// The goroutine may still be reading zr: zr is left alone (its Close
	// only reports its error), the goroutine ends at its next block.
	in.closer = func() error { ar.Stop(); return closeRaw() }
	in.gzip = true
	return nil
}

func (in *opened) close() error { return in.closer() }

// skipBOM drops a UTF-8 byte order mark and returns its length.
func skipBOM(r *bufio.Reader) int {
	if b, _ := r.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		r.Discard(3)
		return 3
	}
	return 0
}

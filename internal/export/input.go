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
	// under, when set, returns the reader r buffers, for one who reads
	// the rest of the input after r's buffered bytes (see rest).
	under func() io.Reader
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
	under := &stickyReader{r: raw}
	in := &opened{r: bufio.NewReaderSize(under, readBufferSize), closer: closeRaw}
	in.under = func() io.Reader { return under }
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
		u := &stickyReader{r: newUTF16Reader(in.r, order)}
		in.r = bufio.NewReaderSize(u, readBufferSize)
		in.under = func() io.Reader { return u }
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
	in.under = ar.Detach
	// The goroutine may still be reading zr: zr is left alone (its Close
	// only reports its error), the goroutine ends at its next block.
	in.closer = func() error { ar.Stop(); return closeRaw() }
	in.gzip = true
	return nil
}

func (in *opened) close() error { return in.closer() }

// rest returns the input from r's next byte on for a reader that reads
// it whole in large reads (the chunker of ScanParallel): r's buffered
// bytes, then the reader beneath r, so that the bytes are copied once,
// into the chunks, instead of through r's buffer too. A gzip input is
// then decompressed by that reader, on its goroutine, into its buffers
// (asyncReader.Detach). r must not be read afterwards.
func (in *opened) rest() io.Reader {
	if in.under == nil {
		return in.r
	}
	buffered, _ := in.r.Peek(in.r.Buffered())
	in.r.Discard(len(buffered))
	return io.MultiReader(bytes.NewReader(buffered), in.under())
}

// stickyReader returns r's first error again on every later read: a
// bufio.Reader may keep an error it has not returned yet, so whoever
// reads past its buffer (opened.rest) must get it from beneath it.
type stickyReader struct {
	r   io.Reader
	err error
}

func (s *stickyReader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.r.Read(p)
	s.err = err
	return n, err
}

// skipBOM drops a UTF-8 byte order mark and returns its length.
func skipBOM(r *bufio.Reader) int {
	if b, _ := r.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		r.Discard(3)
		return 3
	}
	return 0
}

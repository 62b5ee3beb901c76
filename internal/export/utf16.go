package export

import (
	"bytes"
	"encoding/binary"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// utf16Kind recognises UTF-16 text by its byte order mark, or, without
// one, by the zero bytes every ASCII character gets (Excel's "Unicode
// Text" always has the mark; other tools do not). bom is the mark's length.
func utf16Kind(head []byte) (order binary.ByteOrder, bom int) {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return binary.LittleEndian, 2
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return binary.BigEndian, 2
	case looksUTF16(head, 1):
		return binary.LittleEndian, 0
	case looksUTF16(head, 0):
		return binary.BigEndian, 0
	}
	return nil, 0
}

// looksUTF16 reports whether head starts with ASCII text in UTF-16 (a
// header row is ASCII): the byte at zero (0 or 1) of each of the first
// pairs is NUL and the other byte is printable.
func looksUTF16(head []byte, zero int) bool {
	const minPairs, maxPairs = 8, 64
	if len(head) < 2*minPairs {
		return false
	}
	head = head[:min(len(head), 2*maxPairs)]
	for i := 0; i+1 < len(head); i += 2 {
		c := head[i+1-zero]
		if head[i+zero] != 0 || c == 0 || (c < ' ' && c != '\t' && c != '\r' && c != '\n') || c > '~' {
			return false
		}
	}
	return true
}

// utf16Reader decodes UTF-16 into UTF-8. Unpaired surrogates become
// U+FFFD, as encoding/json and the unicode/utf16 package do.
type utf16Reader struct {
	r     io.Reader
	order binary.ByteOrder
	in    []byte // undecoded bytes: an odd byte or a high surrogate
	out   []byte // decoded bytes not yet returned
	buf   []byte
	err   error
}

func newUTF16Reader(r io.Reader, order binary.ByteOrder) *utf16Reader {
	return &utf16Reader{r: r, order: order, buf: make([]byte, 32<<10)}
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			return 0, u.err
		}
		u.fill()
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

func (u *utf16Reader) fill() {
	n, err := u.r.Read(u.buf[len(u.in):])
	copy(u.buf, u.in) // the leftover bytes go first
	data := u.buf[:len(u.in)+n]
	u.out = u.out[:0]
	for len(data) >= 2 {
		r1 := rune(u.order.Uint16(data))
		if utf16.IsSurrogate(r1) && r1 < 0xDC00 {
			if len(data) < 4 && err == nil {
				break // the low half is in the next read
			}
			if len(data) >= 4 {
				if r := utf16.DecodeRune(r1, rune(u.order.Uint16(data[2:]))); r != utf8.RuneError {
					u.out = utf8.AppendRune(u.out, r)
					data = data[4:]
					continue
				}
			}
			r1 = utf8.RuneError
		} else if utf16.IsSurrogate(r1) {
			r1 = utf8.RuneError
		}
		u.out = utf8.AppendRune(u.out, r1)
		data = data[2:]
	}
	u.in = append(u.in[:0], data...)
	if err != nil {
		if len(u.in) > 0 && err == io.EOF {
			u.out = utf8.AppendRune(u.out, utf8.RuneError) // an odd last byte
			u.in = u.in[:0]
		}
		u.err = err
	}
}

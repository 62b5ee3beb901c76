package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/signals"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// SummaryJSON writes s exactly as JSON(w, s) would, byte for byte, without
// holding the whole document in memory: a broken export can give a summary
// 100,000 group rows and as many error codes, 100 MB of JSON that
// json.Encoder would encode into one buffer and indent into another.
//
// The document is encoded with each long list swapped for a one-element
// sentinel list whose first field holds a unique token (so field order,
// embedded structs and omitempty stay the encoder's own), and the real
// lists are streamed in at the sentinels' brackets, element by element,
// each indented as the encoder would have.
func SummaryJSON(w io.Writer, s *summary.Summary) error {
	for attempt := range 8 {
		doc, lists := summarySkeleton(s, "spoke-status-splice-"+strconv.Itoa(attempt)+"-")
		var skel bytes.Buffer
		if err := encodeIndented(&skel, "", doc); err != nil {
			return fmt.Errorf("writing JSON: %w", err)
		}
		spans, ok := findSentinels(skel.Bytes(), lists)
		if !ok {
			continue // the token occurs in the data: try another
		}
		if err := writeSpliced(w, skel.Bytes(), spans); err != nil {
			return fmt.Errorf("writing JSON: %w", err)
		}
		return nil
	}
	return JSON(w, s)
}

// streamedList is a long list of a document, streamed in place of the
// sentinel list that holds token.
type streamedList struct {
	token string
	n     int
	// elem returns a pointer to element i, so that the encoder treats it
	// as it treats an element of the slice (addressable).
	elem func(i int) any
	// write, when set, writes element i as the encoder does, in place of
	// encoding elem(i) (json_rows.go).
	write func(w *jsonWriter, i int)
}

// summarySkeleton returns a shallow copy of s whose non-empty long lists
// are sentinels, and the lists they stand for.
func summarySkeleton(s *summary.Summary, prefix string) (*summary.Summary, map[string]streamedList) {
	c := *s
	lists := map[string]streamedList{}
	next := func(n int, elem func(int) any) string {
		tok := prefix + strconv.Itoa(len(lists))
		lists[tok] = streamedList{token: tok, n: n, elem: elem}
		return tok
	}
	written := func(tok string, write func(*jsonWriter, int)) {
		l := lists[tok]
		l.write = write
		lists[tok] = l
	}
	if codes := s.ErrorCodes; len(codes) > 0 {
		tok := next(len(codes), func(i int) any { return &codes[i] })
		written(tok, func(w *jsonWriter, i int) { w.codeCount(&codes[i]) })
		c.ErrorCodes = []summary.CodeCount{{Entry: registry.Entry{Code: tok}}}
	}
	if len(s.Groups) > 0 {
		c.Groups = make(map[string][]summary.GroupRow, len(s.Groups))
		for name, rows := range s.Groups {
			if len(rows) == 0 {
				c.Groups[name] = rows
				continue
			}
			tok := next(len(rows), func(i int) any { return &rows[i] })
			written(tok, func(w *jsonWriter, i int) { w.groupRow(&rows[i]) })
			c.Groups[name] = []summary.GroupRow{{Key: summary.GroupKey{tok}}}
		}
	}
	if s.Links != nil && len(s.Links.Domains) > 0 {
		links := *s.Links
		domains := s.Links.Domains
		tok := next(len(domains), func(i int) any { return &domains[i] })
		links.Domains = []summary.DomainStat{{Domain: tok}}
		c.Links = &links
	}
	if sigs := s.Signals; len(sigs) > 0 {
		tok := next(len(sigs), func(i int) any { return &sigs[i] })
		c.Signals = []signals.Signal{{Kind: tok}}
	}
	return &c, lists
}

// span is where a sentinel list lies in the skeleton: open is the index of
// its '[', close that of its ']'.
type span struct {
	open, close int
	list        streamedList
}

// findSentinels scans the skeleton's strings and brackets for the
// sentinels, in document order. It reports false unless every token occurs
// exactly once, as the first string of an object that is the only element
// of a list.
func findSentinels(doc []byte, lists map[string]streamedList) ([]span, bool) {
	prefix := ""
	for tok := range lists {
		prefix = tok[:strings.LastIndexByte(tok, '-')+1]
		break
	}
	if prefix == "" {
		return nil, true
	}
	if bytes.Count(doc, []byte(prefix)) != len(lists) {
		return nil, false
	}
	var (
		spans   []span
		stack   []int // positions of the open brackets
		pending = -1  // index in spans of the list whose ']' is awaited
	)
	for i := 0; i < len(doc); i++ {
		switch doc[i] {
		case '[', '{':
			stack = append(stack, i)
		case ']', '}':
			if len(stack) == 0 {
				return nil, false
			}
			open := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if pending >= 0 && open == spans[pending].open {
				spans[pending].close = i
				pending = -1
			}
		case '"':
			end := stringEnd(doc, i)
			if end < 0 {
				return nil, false
			}
			str := doc[i+1 : end]
			i = end
			if !bytes.HasPrefix(str, []byte(prefix)) {
				continue
			}
			l, ok := lists[string(str)]
			if !ok || pending >= 0 || len(stack) < 2 || doc[stack[len(stack)-1]] != '{' || doc[stack[len(stack)-2]] != '[' {
				return nil, false
			}
			pending = len(spans)
			spans = append(spans, span{open: stack[len(stack)-2], close: -1, list: l})
		}
	}
	if pending >= 0 || len(spans) != len(lists) {
		return nil, false
	}
	return spans, true
}

// stringEnd returns the index of the quote that closes the JSON string
// opening at doc[start], or -1.
func stringEnd(doc []byte, start int) int {
	for i := start + 1; i < len(doc); i++ {
		switch doc[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// writeSpliced writes the skeleton with each sentinel list replaced by its
// streamed elements. In the skeleton a sentinel list reads
// "[\n<indent>{...}\n<outer indent>]", so the elements' indentation is read
// off it rather than computed.
func writeSpliced(w io.Writer, doc []byte, spans []span) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var elem bytes.Buffer
	jw := jsonWriter{indent: true}
	last := 0
	for _, sp := range spans {
		brace := sp.open + 1 + bytes.IndexByte(doc[sp.open+1:sp.close], '{')
		indent := string(doc[sp.open+2 : brace]) // after "[\n"
		tail := sp.open + 1 + bytes.LastIndexByte(doc[sp.open+1:sp.close], '\n')
		if _, err := bw.Write(doc[last : sp.open+1]); err != nil {
			return err
		}
		for i := range sp.list.n {
			elem.Reset()
			if i > 0 {
				elem.WriteByte(',')
			}
			elem.WriteByte('\n')
			elem.WriteString(indent)
			if sp.list.write != nil {
				jw.b, jw.prefix = elem.AvailableBuffer(), indent
				sp.list.write(&jw, i)
				elem.Write(append(jw.b, '\n')) // as the encoder's newline, cut below
			} else if err := encodeIndented(&elem, indent, sp.list.elem(i)); err != nil {
				return err
			}
			elem.Truncate(elem.Len() - 1) // the encoder's newline
			if _, err := bw.Write(elem.Bytes()); err != nil {
				return err
			}
		}
		last = tail
	}
	if _, err := bw.Write(doc[last:]); err != nil {
		return err
	}
	return bw.Flush()
}

// encodeIndented encodes v as JSON(w, v) does, every line after the first
// starting with prefix. It encodes v compactly and indents it with
// indentJSON: encoding/json's own indentation runs its validating
// scanner over every byte again, which took three quarters of the time
// of writing 100,000 group rows.
func encodeIndented(buf *bytes.Buffer, prefix string, v any) error {
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Write(indentJSON(buf.AvailableBuffer(), compact.Bytes(), prefix, "  "))
	return nil
}

// indentJSON appends to dst the compact JSON src (as encoding/json writes
// it: no space outside strings) indented as json.Indent does: each element
// and member on its own line under prefix and one indent per level, ": "
// after keys, empty objects and arrays kept as {} and [], what follows the
// value (the encoder's newline) copied.
func indentJSON(dst, src []byte, prefix, indent string) []byte {
	newline := func(depth int) {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for range depth {
			dst = append(dst, indent...)
		}
	}
	depth := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			// Copy the string whole: it ends at the first quote not
			// escaped by a backslash.
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			dst = append(dst, src[i:min(j+1, len(src))]...)
			i = j
		case '{', '[':
			dst = append(dst, c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, src[i+1])
				i++
				continue
			}
			depth++
			newline(depth)
		case '}', ']':
			depth--
			newline(depth)
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline(depth)
		case ':':
			dst = append(dst, ':', ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

package export

import (
	"bufio"
	"bytes"
)

// signature recognises a kind of file that people pass by mistake instead
// of a messages export, and says what to do about it.
type signature struct {
	match func(head []byte) bool
	msg   string
	hint  string
}

func prefix(p string) func([]byte) bool {
	return func(head []byte) bool { return bytes.HasPrefix(head, []byte(p)) }
}

// signatures are checked in order on the first bytes of the (decompressed)
// input.
func signatures() []signature {
	return []signature{
		{prefix("PK\x03\x04"), "is a ZIP or Excel workbook (.xlsx), not a CSV export",
			"if it was re-saved in Excel, export it again with File > Save As > CSV UTF-8 (Comma delimited), or download the original export from Spoke"},
		{prefix("\xFF\xFE"), "is UTF-16 text (Excel's \"Unicode Text\"), not a UTF-8 CSV",
			"save it as CSV UTF-8 in Excel, or convert it: iconv -f UTF-16 -t UTF-8 in.csv > out.csv"},
		{prefix("\xFE\xFF"), "is UTF-16 text, not a UTF-8 CSV",
			"convert it: iconv -f UTF-16 -t UTF-8 in.csv > out.csv"},
		{looksHTML, "is an HTML page, not a CSV export",
			"export download links expire after 24 hours: export the campaign again in Spoke and download the new file"},
		{prefix("%PDF"), "is a PDF document, not a CSV export", ""},
		{prefix("\x89PNG"), "is a PNG image, not a CSV export", ""},
		{prefix("\xFF\xD8\xFF"), "is a JPEG image, not a CSV export", ""},
		{prefix("GIF8"), "is a GIF image, not a CSV export", ""},
		{hasNUL, "is a binary file, not a CSV export", ""},
	}
}

func looksHTML(head []byte) bool {
	h := bytes.ToLower(bytes.TrimLeft(head, " \t\r\n\xEF\xBB\xBF"))
	for _, p := range []string{"<!doctype html", "<html", "<?xml", "<head", "<body"} {
		if bytes.HasPrefix(h, []byte(p)) {
			return true
		}
	}
	return false
}

func hasNUL(head []byte) bool { return bytes.IndexByte(head, 0) >= 0 }

// sniff returns an InputError when the start of the input shows it is not a
// CSV export. It only peeks: nothing is consumed.
func sniff(path string, r *bufio.Reader) error {
	head, _ := r.Peek(sniffSize)
	for _, s := range signatures() {
		if s.match(head) {
			return &InputError{Path: path, Msg: s.msg, Hint: s.hint}
		}
	}
	return nil
}

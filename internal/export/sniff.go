package export

import (
	"bufio"
	"bytes"
	"fmt"
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

// signatures are checked in order on the first bytes of the (decompressed,
// UTF-16-decoded) input.
func signatures() []signature {
	const redownload = "export download links expire: export the campaign again in Spoke and download the new file"
	return []signature{
		{prefix("PK\x03\x04"), "is a ZIP archive or an Excel workbook (.xlsx), not a CSV export",
			"if Excel re-saved it, open it and use File > Save As > CSV UTF-8 (Comma delimited), or download the original export from Spoke again; if it is a ZIP, unzip it and pass the -messages.csv file"},
		{prefix("\xD0\xCF\x11\xE0"), "is an old-style Excel workbook (.xls), not a CSV export",
			"open it in Excel and use File > Save As > CSV UTF-8 (Comma delimited), or download the original export from Spoke again"},
		{looksHTML, "is an HTML page, not a CSV export", redownload},
		{looksXML, "is an XML document (a download server's error page?), not a CSV export", redownload},
		{looksJSON, "is JSON, not a CSV export", "pass the messages export CSV that Spoke emailed a link to"},
		{prefix("%PDF"), "is a PDF document, not a CSV export", ""},
		{prefix("\x89PNG"), "is a PNG image, not a CSV export", ""},
		{prefix("\xFF\xD8\xFF"), "is a JPEG image, not a CSV export", ""},
		{prefix("GIF8"), "is a GIF image, not a CSV export", ""},
		{hasNUL, "is a binary file, not a CSV export", "pass the messages export CSV (its name ends in -messages.csv)"},
	}
}

func trimmedLower(head []byte) []byte {
	return bytes.ToLower(bytes.TrimLeft(head, " \t\r\n\xEF\xBB\xBF"))
}

func looksXML(head []byte) bool {
	h := trimmedLower(head)
	return bytes.HasPrefix(h, []byte("<?xml")) || bytes.HasPrefix(h, []byte("<error"))
}

func looksJSON(head []byte) bool {
	h := trimmedLower(head)
	return len(h) > 1 && (h[0] == '{' && (h[1] == '"' || h[1] == '\n' || h[1] == ' ' || h[1] == '\r') || bytes.HasPrefix(h, []byte("[{")))
}

func looksHTML(head []byte) bool {
	h := trimmedLower(head)
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<!--"} {
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
			return &InputError{Path: path, Msg: s.msg + serverMessage(head), Hint: s.hint}
		}
	}
	return nil
}

// serverMessage quotes the <Message> of an S3 or Google Cloud Storage error
// document ("Request has expired"), which says why the download failed.
func serverMessage(head []byte) string {
	_, after, ok := bytes.Cut(head, []byte("<Message>"))
	if !ok {
		return ""
	}
	msg, _, ok := bytes.Cut(after, []byte("</Message>"))
	if !ok || len(msg) == 0 || len(msg) > 200 {
		return ""
	}
	for _, c := range msg {
		if c < ' ' || c > '~' {
			return ""
		}
	}
	return fmt.Sprintf(" (the server said: %q)", msg)
}

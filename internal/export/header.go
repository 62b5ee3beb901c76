package export

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// firstLinePeek is how much of an input is examined for its first line,
// to explain a header the CSV reader could not make sense of.
const firstLinePeek = 64 << 10

// peekFirstLine returns a copy of the input's first line (without the line
// end), and whether the input ends lines with a bare carriage return.
func peekFirstLine(r *bufio.Reader) (line []byte, crOnly bool) {
	head, _ := r.Peek(firstLinePeek)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		return bytes.Clone(bytes.TrimSuffix(head[:i], []byte{'\r'})), false
	}
	if i := bytes.IndexByte(head, '\r'); i >= 0 && i+1 < len(head) {
		return bytes.Clone(head[:i]), true
	}
	return bytes.Clone(head), false
}

// delimiterNames spells each separator the way --delimiter accepts it.
func delimiterName(c rune) string {
	switch c {
	case '\t':
		return "tab"
	case ';':
		return "';'"
	case '|':
		return "'|'"
	}
	return string(c)
}

func delimiterWord(c rune) string {
	switch c {
	case ',':
		return "commas"
	case ';':
		return "semicolons"
	case '\t':
		return "tabs"
	case '|':
		return "pipes (|)"
	}
	return strconv.QuoteRune(c) + "s"
}

// splitHeaderLine splits a header line on c, naively: header names hold no
// separators, only, sometimes, quotes around them.
func splitHeaderLine(line []byte, c rune) []string {
	parts := strings.Split(string(line), string(c))
	for i, p := range parts {
		parts[i] = cleanHeader(strings.Trim(strings.TrimSpace(p), `"`))
	}
	return parts
}

// wrongDelimiter looks for the separator the header line really uses when
// the configured one does not give an export's columns.
func wrongDelimiter(path string, line []byte, delim rune) error {
	for _, c := range []rune{',', ';', '\t', '|'} {
		if c == delim {
			continue
		}
		names := splitHeaderLine(line, c)
		if len(names) < 3 {
			continue
		}
		if _, _, ok := DetectDialect(names); !ok && !isContactsHeader(names) {
			continue
		}
		hint := "pass --delimiter " + delimiterName(c)
		why := ""
		switch c {
		case ';':
			why = " (a spreadsheet in a European locale saves CSV this way)"
		case '\t':
			why = " (a spreadsheet's \"Unicode Text\" or a TSV file)"
		case ',':
			hint = "drop --delimiter: this file is comma-separated"
		}
		return &InputError{Path: path, Line: 1,
			Msg:  fmt.Sprintf("the columns are separated by %s, not by %s%s", delimiterWord(c), delimiterWord(delim), why),
			Hint: hint}
	}
	return nil
}

// isContactsHeader recognises the other files of a Spoke campaign export:
// the contacts file (MoveOn/StateVoices: id, cell, message_status,
// optOutCampaign; older and Rewired: contact[...] columns) and Rewired's
// opt-outs and filtered-contacts files, which have the same columns.
func isContactsHeader(header []string) bool {
	has := headerSet(header)
	return has.any("contact[cell]", "contact[firstName]", "contact[optOut]", "optOutCampaign", "optedOut") ||
		has.any("cell") && has.any("message_status")
}

// notMessagesError explains a header without a messages export's required
// columns: a contacts export, the wrong separator, or some other table.
func notMessagesError(path string, header []string, firstLine []byte, delim rune, missing []string) error {
	if isContactsHeader(header) {
		return contactsError(path, header, missing)
	}
	if err := wrongDelimiter(path, firstLine, delim); err != nil {
		return err
	}
	return missingColumnError(path, missing, header)
}

// contactsError names the file for what it is; it keeps the missing
// column message's start, which scripts match.
func contactsError(path string, header, missing []string) error {
	err := missingColumnError(path, missing, header).(*InputError)
	err.Msg += ": it is a campaign contacts (or opt-outs) export, not a messages export"
	err.Hint = "a Spoke campaign export makes several files: pass the one whose name ends in -messages.csv, not the contacts file"
	return err
}

func missingColumnError(path string, missing, found []string) error {
	shown := make([]string, 0, len(found))
	for _, h := range found {
		shown = append(shown, strconv.Quote(h))
	}
	const maxShown = 20
	if len(shown) > maxShown {
		shown = append(shown[:maxShown], fmt.Sprintf("... (%d more)", len(found)-maxShown))
	}
	return &InputError{
		Path: path, Line: 1,
		Msg:  fmt.Sprintf("not a Spoke messages export: missing column %s; found columns: %s", strings.Join(missing, " or "), strings.Join(shown, ", ")),
		Hint: "pass the messages file of a campaign export (its name ends in -messages.csv)",
	}
}

// isHeaderRow reports whether a data row is a messages export's header
// row, as in two exports joined into one file.
func isHeaderRow(fields []string) bool {
	var fromContact, status bool
	for _, f := range fields {
		f = cleanHeader(f)
		fromContact = fromContact || contains(fieldHeaders[FieldIsFromContact], f)
		status = status || contains(fieldHeaders[FieldSendStatus], f)
	}
	return fromContact && status
}

// sameHeader reports whether a row repeats the header exactly.
func sameHeader(fields, header []string) bool {
	if len(fields) != len(header) {
		return false
	}
	for i, f := range fields {
		if cleanHeader(f) != header[i] {
			return false
		}
	}
	return true
}

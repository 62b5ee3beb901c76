package sanitize

import "strings"

// CSVCell makes a cell safe to open in a spreadsheet (formula injection,
// CWE-1236 / OWASP "CSV injection").
//
// A cell whose first byte is '=', '+', '-', '@', tab or carriage return is
// prefixed with "'", which spreadsheets read as "this cell is text", unless
// the whole cell is a plain number ("-133", "-1.5", "+3") or a phone number
// ("+15555550123", "+1 (555) 555-0123"): quoting those would turn numbers
// into text and add a visible apostrophe to every phone number.
//
// Apply it to the field before the CSV writer quotes it, so the apostrophe
// ends up inside the quoted field.
func CSVCell(s string) string {
	if s == "" || !isFormulaStart(s[0]) || isPlainNumber(s) || isPhoneNumber(s) {
		return s
	}
	return "'" + s
}

// isFormulaStart reports the first bytes that Excel, LibreOffice or Google
// Sheets may treat as the start of a formula. Tab and CR are on the OWASP
// list because some importers strip them and then see the formula after them.
func isFormulaStart(c byte) bool {
	switch c {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// isPlainNumber accepts an optional sign, digits and at most one decimal
// point, with at least one digit. Exponents ("-1e5") and thousands
// separators are not accepted: such a cell gets quoted, which is harmless.
func isPlainNumber(s string) bool {
	i := 0
	if s[0] == '+' || s[0] == '-' {
		i = 1
	}
	digits, dot := 0, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// isPhoneNumber accepts '+', a digit, then only digits, masked digits
// ('•', as --redact writes them: "+1215•••0123"), spaces, dots, hyphens
// and parentheses, with at least 7 digits or masked digits. Exempting
// these is safe: without letters, quotes, '!', '|' or ':' a formula can
// name no function, cell reference or DDE target, so at worst a
// spreadsheet does arithmetic (or, with '•', reads the cell as text).
func isPhoneNumber(s string) bool {
	if len(s) < 2 || s[0] != '+' || !isDigit(s[1]) {
		return false
	}
	digits := 0
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
			digits++
		case c == ' ' || c == '.' || c == '-' || c == '(' || c == ')':
		case strings.HasPrefix(s[i:], maskedDigit):
			digits++
			i += len(maskedDigit) - 1
		default:
			return false
		}
	}
	return digits >= 7
}

// maskedDigit is the bullet phone.Redact writes for each hidden digit.
const maskedDigit = "•"

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

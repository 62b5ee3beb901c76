// Package export reads Spoke messages exports: it detects the dialect from
// the header row, maps each logical field to its column once, and hands out
// one normalized Record per data row, streaming, so memory stays flat
// however large the file is. A guard below the CSV reader bounds the size
// of one row, so broken quoting cannot make it buffer a whole file; inputs
// that are not exports, or that a spreadsheet damaged, are recognised and
// explained.
package export

import (
	"slices"
	"strings"
)

// Dialect names the Spoke version family that wrote an export.
type Dialect string

const (
	// StateVoicesV10 is MoveOn/StateVoices Spoke v10.0 and later: snake_case,
	// CRLF, one signed integer error_code.
	StateVoicesV10 Dialect = "statevoices-v10"
	// MoveOnV5 is MoveOn Spoke v5.0 to v9.2: camelCase with errorCode.
	MoveOnV5 Dialect = "moveon-v5"
	// MoveOnLegacy is MoveOn Spoke before v5 (and forks such as the Warren
	// fork with an attachments column): no error code column at all.
	MoveOnLegacy Dialect = "moveon-legacy"
	// Rewired is Spoke Rewired v2.2+: numSegments, pipe-joined errorCodes,
	// texter[...] and campaignVariable[...] columns.
	Rewired Dialect = "rewired"
	// Empty is a 0-byte file, which Spoke writes for a campaign without
	// messages; it is a valid export with no rows.
	Empty Dialect = "empty"
)

// column identifies one logical field of a messages export, whatever the
// dialect calls it.
type column struct {
	field   string   // the logical name used in messages
	headers []string // the names the dialects give it
}

// Logical columns, named as fieldHeaders (columns.go) names them.
var (
	colIsFromContact = column{"is-from-contact", fieldHeaders[FieldIsFromContact]}
	colSendStatus    = column{"send-status", fieldHeaders[FieldSendStatus]}
)

// requiredColumns are the columns without which no figure can be computed.
func requiredColumns() []column { return []column{colIsFromContact, colSendStatus} }

// DetectDialect names the dialect of a header row. Columns are matched by
// name in any order; extra columns are ignored. It reports ok=false when a
// required column is missing, with the first missing column's header names.
func DetectDialect(header []string) (d Dialect, missing []string, ok bool) {
	has := headerSet(header)
	for _, c := range requiredColumns() {
		if !has.any(c.headers...) {
			return "", c.headers, false
		}
	}
	switch {
	case has.any("campaign_contact_id", "send_status", "is_from_contact"):
		return StateVoicesV10, nil, true
	case has.any("errorCodes", "numSegments", "numMedia", "texter[email]", "texter[firstName]"):
		return Rewired, nil, true
	case has.any("errorCode"):
		return MoveOnV5, nil, true
	default:
		return MoveOnLegacy, nil, true
	}
}

type nameSet map[string]bool

func headerSet(header []string) nameSet {
	s := make(nameSet, len(header))
	for _, h := range header {
		s[cleanHeader(h)] = true
	}
	return s
}

func (s nameSet) any(names ...string) bool {
	return slices.ContainsFunc(names, func(n string) bool { return s[n] })
}

// cleanHeader trims what spreadsheets and editors leave around a header
// name: spaces and zero-width characters (a BOM that was not at the very
// start of the file, for instance).
func cleanHeader(h string) string {
	h = strings.TrimSpace(h)
	return strings.Map(func(r rune) rune {
		switch r {
		case '\u200B', '\u200C', '\u200D', '\uFEFF':
			return -1
		}
		return r
	}, h)
}

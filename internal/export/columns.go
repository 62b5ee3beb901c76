package export

// fieldID names one logical field of a messages export, whatever column
// name the dialect gives it.
type fieldID uint8

const (
	fCampaignContactID fieldID = iota
	fAssignmentID
	fCampaignID
	fUserNumber
	fContactNumber
	fIsFromContact
	fSendStatus
	fAttemptedAt
	fText
	fErrorCodes
	fNumSegments
	fNumMedia
	fTexterFirstName
	fTexterLastName
	fTexterEmail
	fTexterCell
	numFields
)

// fieldHeaders lists the header names each dialect gives a field (a
// read-only table). DetectDialect's required columns use the same names.
var fieldHeaders = [numFields][]string{
	fCampaignContactID: {"campaign_contact_id"},
	fAssignmentID:      {"assignmentId"},
	fCampaignID:        {"campaign_id", "campaignId"},
	fUserNumber:        {"user_number", "userNumber"},
	fContactNumber:     {"contact_number", "contactNumber"},
	fIsFromContact:     {"is_from_contact", "isFromContact"},
	fSendStatus:        {"send_status", "sendStatus"},
	fAttemptedAt:       {"attempted_at", "attemptedAt"},
	fText:              {"text"},
	fErrorCodes:        {"error_code", "errorCode", "errorCodes"},
	fNumSegments:       {"numSegments"},
	fNumMedia:          {"numMedia"},
	fTexterFirstName:   {"texter[firstName]"},
	fTexterLastName:    {"texter[lastName]"},
	fTexterEmail:       {"texter[email]"},
	fTexterCell:        {"texter[cell]"},
}

// columnMap gives the column index of each field in one input, -1 when the
// input has no such column. When a name appears twice the first column
// wins, but the reader refuses such a header first (duplicateColumns).
type columnMap [numFields]int

func mapColumns(header []string) columnMap {
	var m columnMap
	for f := range m {
		m[f] = -1
	}
	for i, h := range header {
		for f, names := range fieldHeaders {
			if m[f] < 0 && contains(names, h) {
				m[f] = i
			}
		}
	}
	return m
}

// duplicateColumns returns the 0-based indexes of the first two columns
// that name the same field ("sendStatus" twice, or "errorCode" and
// "errorCodes"), and whether there are any. Reading either one silently
// could count the wrong statuses or codes, so the reader refuses the
// input, for required and optional fields alike: Spoke never writes a
// field twice, and neither a spreadsheet re-save nor joined exports
// (whose repeated header is a data row) add a column.
func duplicateColumns(header []string) (first, second int, ok bool) {
	var seen [numFields]int
	for f := range seen {
		seen[f] = -1
	}
	for i, h := range header {
		for f, names := range fieldHeaders {
			if !contains(names, h) {
				continue
			}
			if seen[f] >= 0 {
				return seen[f], i, true
			}
			seen[f] = i
		}
	}
	return 0, 0, false
}

func contains(names []string, s string) bool {
	for _, n := range names {
		if n == s {
			return true
		}
	}
	return false
}

// cell returns a field of a row whose width matches the header.
func (m *columnMap) cell(row []string, f fieldID) string {
	if i := m[f]; i >= 0 {
		return row[i]
	}
	return ""
}

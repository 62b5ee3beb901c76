package export

// Field names one logical field of a messages export, whatever column
// name the dialect gives it.
type Field uint8

const (
	FieldCampaignContactID Field = iota
	FieldAssignmentID
	FieldCampaignID
	FieldUserNumber
	FieldContactNumber
	FieldIsFromContact
	FieldSendStatus
	FieldAttemptedAt
	FieldText
	FieldErrorCodes
	FieldNumSegments
	FieldNumMedia
	FieldTexterFirstName
	FieldTexterLastName
	FieldTexterEmail
	FieldTexterCell
	numFields
)

// fieldHeaders lists the header names each dialect gives a field (a
// read-only table). DetectDialect's required columns use the same names.
var fieldHeaders = [numFields][]string{
	FieldCampaignContactID: {"campaign_contact_id"},
	FieldAssignmentID:      {"assignmentId"},
	FieldCampaignID:        {"campaign_id", "campaignId"},
	FieldUserNumber:        {"user_number", "userNumber"},
	FieldContactNumber:     {"contact_number", "contactNumber"},
	FieldIsFromContact:     {"is_from_contact", "isFromContact"},
	FieldSendStatus:        {"send_status", "sendStatus"},
	FieldAttemptedAt:       {"attempted_at", "attemptedAt"},
	FieldText:              {"text"},
	FieldErrorCodes:        {"error_code", "errorCode", "errorCodes"},
	FieldNumSegments:       {"numSegments"},
	FieldNumMedia:          {"numMedia"},
	FieldTexterFirstName:   {"texter[firstName]"},
	FieldTexterLastName:    {"texter[lastName]"},
	FieldTexterEmail:       {"texter[email]"},
	FieldTexterCell:        {"texter[cell]"},
}

// fieldWhat says what each field holds, in words for messages ("--by
// texter: the export has no texter column").
var fieldWhat = [numFields]string{
	FieldCampaignContactID: "campaign contact id",
	FieldAssignmentID:      "assignment id",
	FieldCampaignID:        "campaign id",
	FieldUserNumber:        "sending number",
	FieldContactNumber:     "contact number",
	FieldIsFromContact:     "is-from-contact",
	FieldSendStatus:        "send status",
	FieldAttemptedAt:       "attempted-at",
	FieldText:              "text",
	FieldErrorCodes:        "error code",
	FieldNumSegments:       "segment count",
	FieldNumMedia:          "media count",
	FieldTexterFirstName:   "texter first name",
	FieldTexterLastName:    "texter last name",
	FieldTexterEmail:       "texter email",
	FieldTexterCell:        "texter cell",
}

// What says what the field holds, e.g. "error code".
func (f Field) What() string { return fieldWhat[f] }

// Columns returns the header names the dialects give the field.
func (f Field) Columns() []string { return fieldHeaders[f] }

// Has reports whether the input's header has a column for the field.
func (s *Source) Has(f Field) bool {
	for _, h := range s.Header {
		if contains(fieldHeaders[f], h) {
			return true
		}
	}
	return false
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

// HeaderOf is the header row a dialect's messages export has (without
// Rewired's campaignVariable[...] columns, which no figure reads), for a
// source that builds rows itself, such as the database reader.
func HeaderOf(d Dialect) []string {
	switch d {
	case Rewired:
		return []string{"assignmentId", "userNumber", "contactNumber", "isFromContact", "numSegments", "numMedia",
			"sendStatus", "errorCodes", "attemptedAt", "text", "campaignId",
			"texter[firstName]", "texter[lastName]", "texter[email]", "texter[cell]"}
	case MoveOnV5:
		return []string{"assignmentId", "campaignId", "userNumber", "contactNumber", "isFromContact", "sendStatus", "attemptedAt", "text", "errorCode"}
	case MoveOnLegacy:
		return []string{"assignmentId", "campaignId", "userNumber", "contactNumber", "isFromContact", "sendStatus", "attemptedAt", "text"}
	case StateVoicesV10:
		return []string{"campaign_contact_id", "campaign_id", "user_number", "contact_number", "is_from_contact",
			"send_status", "attempted_at", "text", "error_code"}
	}
	return nil
}

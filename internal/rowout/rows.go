package rowout

import "github.com/spoke-status/spoke-status/internal/rowfilter"

// Rows is the output of spoke-status rows: one classified export row.
// Classification columns (provider, title, category, retry) describe why
// an outbound ERROR row failed and are empty on every other row.
var Rows = &Schema[rowfilter.Row]{
	Name: "rows",
	Doc:  "messages export rows with their classification (spoke-status rows)",
	Columns: []Column[rowfilter.Row]{
		{Name: "campaign_id", PhoneLike: true, Doc: "Spoke campaign id", Get: func(r *rowfilter.Row) Value { return Str(r.CampaignID) }},
		{Name: "campaign_contact_id", PhoneLike: true, Doc: "Spoke campaign contact id (empty in Rewired exports)", Get: func(r *rowfilter.Row) Value { return Str(r.CampaignContactID) }},
		{Name: "assignment_id", PhoneLike: true, Doc: "Spoke assignment id", Get: func(r *rowfilter.Row) Value { return Str(r.AssignmentID) }},
		{Name: "contact_number", Phone: true, Doc: "the contact's phone number, as exported", Get: func(r *rowfilter.Row) Value { return Str(r.ContactNumber) }},
		{Name: "user_number", Doc: "the sending number", Get: func(r *rowfilter.Row) Value { return Str(r.UserNumber) }},
		{Name: "direction", Doc: "outbound or inbound", Get: func(r *rowfilter.Row) Value { return Str(r.Direction) }},
		{Name: "send_status", PhoneLike: true, Doc: "Spoke send status, e.g. DELIVERED, ERROR, SENT", Get: func(r *rowfilter.Row) Value { return Str(r.SendStatus) }},
		{Name: "attempted_at", Type: Timestamp, Nullable: true, Doc: "when the send was attempted (UTC)", Get: func(r *rowfilter.Row) Value { return Time(r.AttemptedAt, r.HasAttemptedAt) }},
		{Name: "error_codes", PhoneLike: true, Doc: "the export's error codes, as written", Get: func(r *rowfilter.Row) Value { return Str(r.ErrorCodes) }},
		{Name: "primary_code", PhoneLike: true, Doc: "the first error code of the row", Get: func(r *rowfilter.Row) Value { return Str(r.PrimaryCode) }},
		{Name: "provider", Doc: "provider of the primary code (outbound ERROR rows)", Get: func(r *rowfilter.Row) Value { return Str(r.Provider) }},
		{Name: "title", Doc: "what the primary code means (outbound ERROR rows)", Get: func(r *rowfilter.Row) Value { return Str(r.Title) }},
		{Name: "category", Doc: "category of the primary code, e.g. spam_blocked (outbound ERROR rows)", Get: func(r *rowfilter.Row) Value { return Str(r.Category) }},
		{Name: "retry", Doc: "retry advice for the primary code (outbound ERROR rows)", Get: func(r *rowfilter.Row) Value { return Str(r.Retry) }},
		{Name: "stuck", Type: Bool, Nullable: true, Doc: "an outbound SENT text without a delivery report past the stuck threshold; null when unknown", Get: func(r *rowfilter.Row) Value { return OptBool(r.Stuck) }},
		{Name: "num_segments", Type: Int64, Nullable: true, Doc: "SMS segments of the text, when exported", Get: func(r *rowfilter.Row) Value { return OptCount(r.NumSegments) }},
		{Name: "num_media", Type: Int64, Nullable: true, Doc: "media attachments of the text, when exported", Get: func(r *rowfilter.Row) Value { return OptCount(r.NumMedia) }},
		{Name: "texter_first_name", PhoneLike: true, Doc: "the texter's first name", Get: func(r *rowfilter.Row) Value { return Str(r.TexterFirstName) }},
		{Name: "texter_last_name", PhoneLike: true, Doc: "the texter's last name", Get: func(r *rowfilter.Row) Value { return Str(r.TexterLastName) }},
		{Name: "texter_email", PhoneLike: true, Doc: "the texter's email", Get: func(r *rowfilter.Row) Value { return Str(r.TexterEmail) }},
		{Name: "texter_cell", Phone: true, Doc: "the texter's phone number", Get: func(r *rowfilter.Row) Value { return Str(r.TexterCell) }},
		{Name: "text", Doc: "the message text", Get: func(r *rowfilter.Row) Value { return Str(r.Text) }},
		{Name: "file", PhoneLike: true, Doc: "the export file the row was read from", Get: func(r *rowfilter.Row) Value { return Str(r.File) }},
		{Name: "line", Type: Int64, Doc: "the row's line in that file", Get: func(r *rowfilter.Row) Value { return Int(r.Line) }},
	},
}

package rowout

import "github.com/spoke-status/spoke-status/internal/contacts"

// Contacts is the output of spoke-status contacts: one contact's outcome.
var Contacts = &Schema[contacts.Contact]{
	Name: "contacts",
	Doc:  "each contact's outcome (spoke-status contacts)",
	Columns: []Column[contacts.Contact]{
		{Name: "cell", Phone: true, Doc: "the contact number, in E.164 when plausible", Get: func(c *contacts.Contact) Value { return Str(c.Cell) }},
		{Name: "campaign", PhoneLike: true, Doc: "Spoke campaign id", Get: func(c *contacts.Contact) Value { return Str(c.Campaign) }},
		{Name: "reason", Doc: "why the contact is on a list: opt_out_reply, opt_out_rejection, number_error, retryable_error, fix_content, fix_sender, stuck_sent, delivered or other", Get: func(c *contacts.Contact) Value { return Str(string(c.Reason)) }},
		{Name: "code", PhoneLike: true, Doc: "the code behind the reason", Get: func(c *contacts.Contact) Value { return Str(c.Code()) }},
		{Name: "category", Doc: "category of that code (opted_out for an opt-out)", Get: func(c *contacts.Contact) Value { return Str(string(c.Category())) }},
		{Name: "last_status", PhoneLike: true, Doc: "send status of the last outbound text", Get: func(c *contacts.Contact) Value { return Str(c.LastStatus) }},
		{Name: "last_attempted_at", Type: Timestamp, Nullable: true, Doc: "when the last outbound text was attempted (UTC)", Get: func(c *contacts.Contact) Value { return Time(c.LastAt, c.HasLastAt) }},
		{Name: "outbound", Type: Int64, Doc: "outbound texts", Get: func(c *contacts.Contact) Value { return Int(c.Outbound) }},
		{Name: "delivered", Type: Int64, Doc: "delivered texts", Get: func(c *contacts.Contact) Value { return Int(c.Delivered) }},
		{Name: "replied", Type: Bool, Doc: "the contact replied", Get: func(c *contacts.Contact) Value { return Boolean(c.Replied) }},
		{Name: "opted_out", Type: Bool, Doc: "the contact opted out", Get: func(c *contacts.Contact) Value { return Boolean(c.OptedOut) }},
		{Name: "opted_out_at", Type: Timestamp, Nullable: true, Doc: "when the contact opted out (UTC)", Get: func(c *contacts.Contact) Value { return Time(c.OptOutAt, c.HasOptOutAt) }},
		{Name: "opt_out_reply", Doc: "the reply that opted the contact out", Get: func(c *contacts.Contact) Value { return Str(c.OptOutText) }},
	},
}

package rowout

// VANRow is one line of a VAN bulk-upload file.
type VANRow struct {
	VANID         string
	Phone         string
	DateContacted string // MM/DD/YYYY, as VAN's bulk upload reads dates
	Result        string
}

// VAN is the output of spoke-status van: a VAN bulk-upload file, the VAN
// id first, as the upload wizard expects.
var VAN = &Schema[VANRow]{
	Name: "van",
	Doc:  "VAN bulk upload of texting results (spoke-status van)",
	Columns: []Column[VANRow]{
		{Name: "van_id", Doc: "the contact's VAN id (external_id of the contacts export)", Get: func(r *VANRow) Value { return Str(r.VANID) }},
		{Name: "phone", Doc: "the number texted, in E.164", Get: func(r *VANRow) Value { return Str(r.Phone) }},
		{Name: "date_contacted", Doc: "date of the last text, MM/DD/YYYY in --tz", Get: func(r *VANRow) Value { return Str(r.DateContacted) }},
		{Name: "result", Doc: "the result to record: Texted, Wrong Number, or as configured", Get: func(r *VANRow) Value { return Str(r.Result) }},
	},
}

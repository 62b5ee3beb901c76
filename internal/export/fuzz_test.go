package export

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseAttemptedAt: any cell value is read or refused, never a panic;
// what Spoke writes reads back exactly, in its zone.
func FuzzParseAttemptedAt(f *testing.F) {
	for _, s := range []string{
		"2024-10-01T18:02:11.482Z", "2022-10-04T18:15:03.512-04:00", "2022-10-04T22:15:03.512+00:00",
		"10/1/2024 18:02", "10/1/24 6:02 PM", "25/10/2024 18:02:11", "2024-10-01 18:02:11.482", "1.7E+09", "yesterday", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, form, ok := parseAttemptedAt(s)
		if !ok {
			if !got.IsZero() {
				t.Fatalf("parseAttemptedAt(%q) refused it but returned %v", s, got)
			}
			return
		}
		if form == timeSpreadsheet && got.Location() != time.UTC {
			t.Fatalf("parseAttemptedAt(%q) = %v: a spreadsheet's form must be read as UTC", s, got)
		}
		if form == timeRFC3339 {
			want, err := time.Parse(time.RFC3339Nano, s)
			if err != nil || !want.Equal(got) {
				t.Fatalf("parseAttemptedAt(%q) = %v, time.Parse says %v, %v", s, got, want, err)
			}
		}
	})
}

// FuzzDetectDialect: any header either names a dialect that has the
// required columns, or names a missing column; never a panic.
func FuzzDetectDialect(f *testing.F) {
	for _, h := range []string{
		v10Header,
		"assignmentId,campaignId,userNumber,contactNumber,isFromContact,sendStatus,attemptedAt,text,errorCode",
		"assignmentId,campaignId,userNumber,contactNumber,isFromContact,sendStatus,attemptedAt,text",
		"assignmentId,userNumber,contactNumber,isFromContact,numSegments,numMedia,sendStatus,errorCodes,attemptedAt,text,campaignId,texter[firstName]",
		"id,campaign_id,cell,message_status", " is_from_contact ,\ufeffsend_status", "",
	} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, line string) {
		header := strings.Split(line, ",")
		d, missing, ok := DetectDialect(header)
		has := headerSet(header)
		switch {
		case ok && (d == "" || len(missing) > 0):
			t.Fatalf("DetectDialect(%q) = %q, %v, ok", header, d, missing)
		case ok && !(has.any(fieldHeaders[FieldIsFromContact]...) && has.any(fieldHeaders[FieldSendStatus]...)):
			t.Fatalf("DetectDialect(%q) = %q without the required columns", header, d)
		case !ok && (len(missing) == 0 || has.any(missing...)):
			t.Fatalf("DetectDialect(%q) says %v is missing", header, missing)
		}
		cols := mapColumns(header)
		for f, i := range cols {
			if i >= len(header) || i >= 0 && !contains(fieldHeaders[f], cleanHeader(header[i])) {
				t.Fatalf("mapColumns(%q)[%d] = %d", header, f, i)
			}
		}
	})
}

package export

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unsafe"

	"github.com/spoke-status/spoke-status/internal/hitrate"
	"github.com/spoke-status/spoke-status/internal/registry"
)

const (
	v10Header = "campaign_contact_id,campaign_id,user_number,contact_number,is_from_contact,send_status,attempted_at,text,error_code"
	v10Row    = `1,7,+15555550100,+15555550123,false,DELIVERED,2024-10-01T18:02:11.482Z,"Hi Jane, it's Sam",`
	v10Reply  = "1,7,+15555550100,+15555550123,true,DELIVERED,2024-10-01T18:05:40.001Z,STOP,-133"
	v10Error  = "2,7,,+15555550124,false,ERROR,2024-10-01T18:02:12.103Z,Hi Joe,30007"
)

func lines(ls ...string) string { return strings.Join(ls, "\r\n") }

// scanned is what one Scan of an input produced.
type scanned struct {
	src      *Source
	records  []Record
	err      error
	warnings string
}

func scanString(t *testing.T, input string, opts Options) scanned {
	t.Helper()
	var warn bytes.Buffer
	opts.Stdin = strings.NewReader(input)
	opts.Warnings = NewWarnings(&warn, "", 1000)
	var out scanned
	sources, err := Scan([]string{StdinPath}, opts, func(r *Record) error {
		out.records = append(out.records, *r)
		return nil
	})
	opts.Warnings.Flush()
	out.err, out.warnings = err, warn.String()
	if len(sources) == 1 {
		out.src = sources[0]
	}
	return out
}

func inputError(t *testing.T, err error) *InputError {
	t.Helper()
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error = %v, want an *InputError", err)
	}
	return ie
}

// TestRowsAndSkips counts the rows each input yields and the rows it
// skips, each with its warning naming the line.
func TestRowsAndSkips(t *testing.T) {
	cases := []struct {
		name          string
		input         string
		rows, skipped int64
		warnings      []string // substrings, each expected
	}{
		{"clean", lines(v10Header, v10Row, v10Reply, v10Error), 3, 0, nil},
		{"short row", lines(v10Header, v10Row, "1,7,+1555", v10Error), 2, 1,
			[]string{"-:3: skipped malformed row: wrong number of fields: 3, but the header has 9"}},
		{"bad boolean", lines(v10Header, strings.Replace(v10Row, "false", "maybe", 1), v10Error), 1, 1,
			[]string{`-:2: skipped malformed row: is-from-contact is "maybe", want true or false`}},
		{"bare quote", lines(v10Header, v10Row, `1,7,+1,+2,true,DELIVERED,,say "hi",`, v10Error), 2, 1,
			[]string{`-:3: skipped malformed row: a " in the middle of an unquoted field (line 3, column 31)`}},
		{"bad closing quote", lines(v10Header, `1,7,+1,+2,true,DELIVERED,,"say "hi"",`, v10Error), 1, 1,
			[]string{"-:2: skipped malformed row: a quoted field is not closed properly"}},
		{"quote swallows lines", lines(v10Header, `1,7,+1,+2,true,DELIVERED,,"oops,`, v10Reply, `2,7,,+3,false,ERROR,,"Hi" Joe,30007`, v10Error), 1, 1,
			[]string{"-:2: skipped malformed row: a quoted field opened on line 2 does not close properly, so lines 2 to 4 were read as one row"}},
		{"spreadsheet empty rows", lines(v10Header, v10Row, ",,,,,,,,", ",,,,,,,,"), 1, 2,
			[]string{"-:3: skipped malformed row: the row is empty", "-:4: skipped malformed row: the row is empty"}},
		{"repeated header is not a skipped row", lines(v10Header, v10Row, v10Header, v10Reply, "\ufeff"+v10Header, v10Error), 3, 0,
			[]string{"-:3: 2 repeated header rows were skipped, first here: the file looks like several exports joined together"}},
		{"truncated inside a quote", lines(v10Header, v10Row, `3,7,+1,+2,false,SENT,2024-10-01T18:02:13.500Z,"Hi Ann, it`), 1, 1,
			[]string{"-:3: skipped malformed row: the file ends inside a quoted field opened on line 3", "-:3: the last row is incomplete: the file looks truncated"}},
		{"truncated mid-row", lines(v10Header, v10Row, "3,7,+1555"), 1, 1,
			[]string{"-:3: the last row is incomplete"}},
		{"column out of place", lines(v10Header, strings.Replace(v10Row, "DELIVERED", "Hi there how are you? See https://example.org", 1)), 0, 1,
			[]string{`is not a send status`}},
		{"unknown status is counted", lines(v10Header, strings.Replace(v10Row, "DELIVERED", "WAITING", 1), strings.Replace(v10Row, "DELIVERED", "WAITING", 1)), 2, 0,
			[]string{`-:2: unknown send status "WAITING": counted under its own name`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := scanString(t, c.input, Options{})
			if got.err != nil {
				t.Fatalf("Scan: %v", got.err)
			}
			if got.src.Rows != c.rows || got.src.SkippedRows != c.skipped || int64(len(got.records)) != c.rows {
				t.Errorf("rows %d (%d records), skipped %d; want %d, %d\n%s", got.src.Rows, len(got.records), got.src.SkippedRows, c.rows, c.skipped, got.warnings)
			}
			if n := int64(strings.Count(got.warnings, "skipped malformed row")); n != c.skipped {
				t.Errorf("%d skipped-row warnings for %d skipped rows:\n%s", n, c.skipped, got.warnings)
			}
			for _, w := range c.warnings {
				if !strings.Contains(got.warnings, w) {
					t.Errorf("warnings lack %q:\n%s", w, got.warnings)
				}
			}
			if c.name != "unknown status is counted" && strings.Count(got.warnings, "unknown send status") > 0 {
				t.Errorf("unexpected warning:\n%s", got.warnings)
			}
		})
	}
}

// TestStrictFailsOnFirstMalformedRow: --strict turns the first skipped
// row into an input error naming its line.
func TestStrictFailsOnFirstMalformedRow(t *testing.T) {
	got := scanString(t, lines(v10Header, v10Row, "1,7", ",,,"), Options{Strict: true})
	ie := inputError(t, got.err)
	if ie.Line != 3 || !strings.HasPrefix(ie.Msg, "malformed row: wrong number of fields") || !strings.Contains(ie.Hint, "--strict") {
		t.Errorf("got %+v", ie)
	}
	// A repeated header is not malformed, even in strict mode.
	got = scanString(t, lines(v10Header, v10Row, v10Header, v10Row), Options{Strict: true})
	if got.err != nil || got.src.Rows != 2 {
		t.Errorf("repeated header in strict mode: rows %v, err %v", got.src, got.err)
	}
}

// TestInputErrors: inputs that are not exports stop with one InputError
// naming the file (and line), what is wrong and what to do.
func TestInputErrors(t *testing.T) {
	utf16le := func(s string) string {
		var b bytes.Buffer
		b.WriteString("\xff\xfe")
		for _, u := range utf16.Encode([]rune(s)) {
			binary.Write(&b, binary.LittleEndian, u)
		}
		return b.String()
	}
	cases := []struct {
		name      string
		input     string
		opts      Options
		line      int
		msg, hint string // substrings
	}{
		{"semicolons", lines(strings.ReplaceAll(v10Header, ",", ";"), strings.ReplaceAll(v10Reply, ",", ";")), Options{}, 1,
			"the columns are separated by semicolons, not by commas", "pass --delimiter ';'"},
		{"quoted semicolons", `"campaign_contact_id";"campaign_id";"user_number";"contact_number";"is_from_contact";"send_status"`, Options{}, 1,
			"separated by semicolons", "--delimiter ';'"},
		{"tabs", strings.ReplaceAll(v10Header, ",", "\t"), Options{}, 1, "separated by tabs", "--delimiter tab"},
		{"commas with --delimiter ;", lines(v10Header, v10Row), Options{Delimiter: ';'}, 1, "separated by commas, not by semicolons", "drop --delimiter"},
		{"UTF-16 tab text", utf16le(lines(strings.ReplaceAll(v10Header, ",", "\t"), "x")), Options{}, 1, "separated by tabs", "--delimiter tab"},
		{"contacts v10", lines("id,campaign_id,assignment_id,optOutCampaign,optedOut,cell,message_status", "1,7,3,false,,+15555550123,messaged"), Options{}, 1,
			"it is a campaign contacts (or opt-outs) export, not a messages export", "-messages.csv"},
		{"contacts rewired", "campaignId,campaign,contact[firstName],contact[cell],contact[optOut]\n7,GOTV,Jane,+15555550123,false", Options{}, 1,
			"it is a campaign contacts (or opt-outs) export", "-messages.csv"},
		{"other table", "name,email\nJane,j@example.org", Options{}, 1,
			`not a Spoke messages export: missing column is_from_contact or isFromContact; found columns: "name", "email"`, "-messages.csv"},
		{"html", "\n  <!DOCTYPE html><html><body>Expired</body></html>", Options{}, 0, "is an HTML page", "export the campaign again"},
		{"s3 error", `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>`, Options{}, 0,
			`XML document (a download server's error page?), not a CSV export (the server said: "Request has expired")`, "export the campaign again"},
		{"xlsx", "PK\x03\x04\x14\x00\x06\x00", Options{}, 0, "Excel workbook (.xlsx)", "CSV UTF-8"},
		{"xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", Options{}, 0, "old-style Excel workbook (.xls)", "CSV UTF-8"},
		{"pdf", "%PDF-1.7\n", Options{}, 0, "is a PDF document", ""},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00", Options{}, 0, "is a PNG image", ""},
		{"binary", "ab\x00cd\x01\x02", Options{}, 0, "is a binary file", "-messages.csv"},
		{"json", `{"messages": []}`, Options{}, 0, "is JSON", ""},
		{"blank lines", "\r\n\r\n", Options{}, 0, "has no header row, only blank lines", "download the export again"},
		{"old Mac line ends", strings.Join([]string{v10Header, v10Row, v10Reply}, "\r"), Options{}, 1, "bare carriage return", "tr '\\r' '\\n'"},
		{"joined layouts", lines(v10Header, v10Row, "assignmentId,campaignId,userNumber,contactNumber,isFromContact,sendStatus,attemptedAt,text,errorCode", v10Reply), Options{}, 3,
			"a second header row with different columns", "split the file before line 3"},
		{"joined layouts of other widths", lines(v10Header, v10Row, "assignmentId,campaignId,userNumber,contactNumber,isFromContact,sendStatus,attemptedAt,text", v10Reply), Options{}, 3,
			"a second header row with different columns", "split the file"},
		{"too many fields", lines(v10Header, v10Row, strings.Repeat(",", MaxFieldsPerRow), v10Reply), Options{}, 3,
			"the row has more than 10,000 fields", "not an export"},
		{"row over the limit", lines(v10Header, v10Row, `1,7,+1,+2,false,SENT,,`+strings.Repeat("x", 300)+",", v10Reply), Options{MaxFieldBytes: 200}, 3,
			"the row is longer than 200 bytes (--max-field-bytes)", "raise --max-field-bytes"},
		{"unterminated quote", lines(v10Header, v10Row, `1,7,+1,+2,false,SENT,,"never closed,`, strings.Repeat(v10Reply+"\r\n", 20)), Options{MaxFieldBytes: 1 << 10}, 3,
			"a quoted field runs on past 1 KiB (--max-field-bytes) without its closing quote", "fix the quoting at line 3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := scanString(t, c.input, c.opts)
			ie := inputError(t, got.err)
			if ie.Path != StdinPath || ie.Line != c.line || !strings.Contains(ie.Msg, c.msg) || !strings.Contains(ie.Hint, c.hint) {
				t.Errorf("got %s (hint %q), want line %d, %q, hint %q", ie, ie.Hint, c.line, c.msg, c.hint)
			}
			if strings.ContainsAny(ie.Error()+ie.Hint, "\n\r") {
				t.Errorf("message is not one line: %q", ie.Error())
			}
		})
	}
}

// TestReadsWhatCanBeRead: inputs with a fix or a decoding are read whole.
func TestReadsWhatCanBeRead(t *testing.T) {
	semicolons := lines(strings.ReplaceAll(v10Header, ",", ";"), `1;7;+1;+2;false;DELIVERED;2024-10-01T18:02:11.482Z;"Hi; Jane";`, strings.ReplaceAll(v10Reply, ",", ";"))
	got := scanString(t, semicolons, Options{Delimiter: ';'})
	if got.err != nil || got.src.Rows != 2 || got.records[0].Text != "Hi; Jane" || !got.records[1].Inbound {
		t.Fatalf("semicolons with --delimiter ';': %+v, %v", got.src, got.err)
	}
	// UTF-16, little and big endian, with and without a BOM, with a
	// character outside the BMP (a surrogate pair).
	text := lines(v10Header, strings.Replace(v10Row, "Hi Jane", "Hi Jane 👋", 1), v10Reply)
	for _, enc := range []struct {
		name  string
		order binary.ByteOrder
		bom   bool
	}{{"LE BOM", binary.LittleEndian, true}, {"BE BOM", binary.BigEndian, true}, {"LE", binary.LittleEndian, false}, {"BE", binary.BigEndian, false}} {
		var b bytes.Buffer
		if enc.bom {
			binary.Write(&b, enc.order, uint16(0xFEFF))
		}
		for _, u := range utf16.Encode([]rune(text)) {
			binary.Write(&b, enc.order, u)
		}
		got := scanString(t, b.String(), Options{})
		if got.err != nil || got.src.Rows != 2 || got.records[0].Text != "Hi Jane 👋, it's Sam" {
			t.Errorf("UTF-16 %s: %+v %v %+v", enc.name, got.src, got.err, got.records)
		}
		if !strings.Contains(got.warnings, "is UTF-16 text") {
			t.Errorf("UTF-16 %s: no warning: %q", enc.name, got.warnings)
		}
	}
}

// TestSpreadsheetResave: dates, phone numbers and booleans a spreadsheet
// rewrote are read (or kept) and warned about once per kind, with a count.
func TestSpreadsheetResave(t *testing.T) {
	input := lines(v10Header,
		"1,7,1.5556E+10,1.5556E+10,FALSE,DELIVERED,10/1/2024 18:02,Hi,",
		"1,7,1.5556E+10,1.5556E+10,TRUE,DELIVERED,10/1/2024 18:05,STOP,-133",
		"2,7,,15555550124,FALSE,ERROR,2024-10-01 18:02:12,Hi,30007",
		v10Row)
	got := scanString(t, input, Options{})
	if got.err != nil || got.src.Rows != 4 || got.src.SkippedRows != 0 {
		t.Fatalf("%+v %v", got.src, got.err)
	}
	want := []string{
		`-:2: 3 attempted-at values are in a spreadsheet's format, e.g. "10/1/2024 18:02": read as UTC`,
		`-:2: 4 phone numbers are in scientific notation, e.g. "1.5556E+10": a spreadsheet rounded them and their digits are lost`,
		`-:2: 3 is-from-contact values are written "FALSE" as a spreadsheet writes them: read as true/false`,
	}
	for _, w := range want {
		if strings.Count(got.warnings, w) != 1 {
			t.Errorf("want once %q in:\n%s", w, got.warnings)
		}
	}
	r := got.records
	if !r[0].AttemptedAt.Equal(time.Date(2024, 10, 1, 18, 2, 0, 0, time.UTC)) || r[0].Inbound || !r[1].Inbound ||
		r[0].ContactNumber != "1.5556E+10" || !r[2].AttemptedAt.Equal(time.Date(2024, 10, 1, 18, 2, 12, 0, time.UTC)) {
		t.Errorf("records: %+v", r[:3])
	}
}

// TestWarningCap: each kind prints at most the limit, then one line with
// the count.
func TestWarningCap(t *testing.T) {
	rows := []string{v10Header}
	for range 25 {
		rows = append(rows, "1,7")
	}
	var warn bytes.Buffer
	opts := Options{Stdin: strings.NewReader(lines(rows...)), Warnings: NewWarnings(&warn, "p: ", 10)}
	sources, err := Scan([]string{StdinPath}, opts, func(*Record) error { return nil })
	opts.Warnings.Flush()
	if err != nil || sources[0].SkippedRows != 25 {
		t.Fatalf("%v %v", sources, err)
	}
	out := warn.String()
	if n := strings.Count(out, "skipped malformed row"); n != 10 {
		t.Errorf("%d warnings printed, want 10", n)
	}
	if !strings.HasSuffix(out, "p: warning: 15 more \"malformed row\" warnings not shown (25 in all)\n") {
		t.Errorf("no summary line:\n%s", out)
	}
}

// TestFileErrors: a missing file, a directory, a file that cannot be read.
func TestFileErrors(t *testing.T) {
	dir := t.TempDir()
	locked := filepath.Join(dir, "locked.csv")
	if err := os.WriteFile(locked, []byte(v10Header), 0o000); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ path, msg string }{
		{filepath.Join(dir, "nope.csv"), "no such file"},
		{dir, "is a directory, not an export file"},
	}
	if os.Geteuid() != 0 { // root reads any file
		cases = append(cases, struct{ path, msg string }{locked, "permission denied"})
	}
	for _, c := range cases {
		_, err := Scan([]string{c.path}, Options{}, func(*Record) error { return nil })
		if ie := inputError(t, err); ie.Path != c.path || ie.Msg != c.msg {
			t.Errorf("%s: got %v", c.path, ie)
		}
	}
}

func TestParseAttemptedAt(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ms int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ms*1e6, time.UTC)
	}
	cases := []struct {
		in   string
		want time.Time
		form timeForm
		ok   bool
	}{
		{"2024-10-01T18:02:11.482Z", utc(2024, 10, 1, 18, 2, 11, 482), timeRFC3339, true},
		{"2022-10-04T18:15:03.512-04:00", utc(2022, 10, 4, 22, 15, 3, 512), timeRFC3339, true},
		{"10/1/2024 18:02", utc(2024, 10, 1, 18, 2, 0, 0), timeSpreadsheet, true},
		{"10/1/2024 18:02:11", utc(2024, 10, 1, 18, 2, 11, 0), timeSpreadsheet, true},
		{"10/1/24 6:02 PM", utc(2024, 10, 1, 18, 2, 0, 0), timeSpreadsheet, true},
		{"25/10/2024 18:02", utc(2024, 10, 25, 18, 2, 0, 0), timeSpreadsheet, true},
		{"2024-10-01 18:02:11.482", utc(2024, 10, 1, 18, 2, 11, 482), timeSpreadsheet, true},
		{"2024-10-01T18:02:11", utc(2024, 10, 1, 18, 2, 11, 0), timeSpreadsheet, true},
		{"yesterday", time.Time{}, 0, false},
		{"10/1/2024", time.Time{}, 0, false},
		{"2024-13-01T18:02:11Z", time.Time{}, 0, false},
	}
	for _, c := range cases {
		got, form, ok := parseAttemptedAt(c.in)
		if ok != c.ok || form != c.form || !got.Equal(c.want) {
			t.Errorf("parseAttemptedAt(%q) = %v, %v, %v; want %v, %v, %v", c.in, got, form, ok, c.want, c.form, c.ok)
		}
	}
}

// TestTruncatedOnlyWhenCut: only a last row that ends early says the file
// is truncated; a last row of the header's width (or wider) that is
// malformed is an ordinary skipped row, with either decoder.
func TestTruncatedOnlyWhenCut(t *testing.T) {
	cases := []struct {
		name      string
		last      string
		truncated bool
	}{
		{"full-width malformed last row", strings.Replace(v10Row, "false", "maybe", 1), false},
		{"full-width empty last row", ",,,,,,,,", false},
		{"too wide last row", v10Row + ",extra", false},
		{"short last row", "3,7,+1555", true},
	}
	for _, c := range cases {
		for _, dec := range []Decoder{DecoderFast, DecoderGocsv} {
			t.Run(fmt.Sprintf("%s/%d", c.name, dec), func(t *testing.T) {
				got := scanString(t, lines(v10Header, v10Row, c.last), Options{Decoder: dec})
				if got.err != nil {
					t.Fatal(got.err)
				}
				if got.src.SkippedRows != 1 {
					t.Fatalf("skipped %d rows, want 1:\n%s", got.src.SkippedRows, got.warnings)
				}
				if has := strings.Contains(got.warnings, "the file looks truncated"); has != c.truncated {
					t.Errorf("truncated warning %v, want %v:\n%s", has, c.truncated, got.warnings)
				}
			})
		}
	}
}

// TestDuplicateColumns: a field named by two columns is an input error
// naming both and the file; distinct fields are fine.
func TestDuplicateColumns(t *testing.T) {
	cases := []struct{ header, want string }{
		{v10Header + ",send_status", `two "send_status" columns (columns 6 and 10)`},
		{v10Header + ",errorCode", `both a "error_code" column (column 9) and a "errorCode" column (column 10)`},
		{v10Header + ",text", `two "text" columns (columns 8 and 10)`},
	}
	for _, c := range cases {
		for _, dec := range []Decoder{DecoderFast, DecoderGocsv} {
			got := scanString(t, lines(c.header, v10Row+","), Options{Decoder: dec})
			ie := inputError(t, got.err)
			if ie.Path != StdinPath || ie.Line != 1 || !strings.Contains(ie.Msg, c.want) {
				t.Errorf("decoder %d, header %q: got %+v, want %q", dec, c.header, ie, c.want)
			}
		}
	}
	if got := scanString(t, lines(v10Header+",campaignVariable[x]", v10Row+",y"), Options{}); got.err != nil || got.src.Rows != 1 {
		t.Errorf("an unmapped extra column: %v", got.err)
	}
}

// TestCodeCellsRest: once maxMissedCells new cells come in a row, or the
// interned cells are full and a window of lookups finds few, codes forgets
// them and neither looks cells up nor adds them for a while, then interns
// again; what it returns never changes.
func TestCodeCellsRest(t *testing.T) {
	tests := []struct {
		name string
		fill func(check func(string) string) // cells until the rest
	}{
		{"new cells in a row", func(check func(string) string) {
			for i := range maxMissedCells {
				check(fmt.Sprintf(" %d|30007", 100000+i))
			}
		}},
		{"full, then a window of misses", func(check func(string) string) {
			for i := range maxCodeCells - 1 { // and " 30003": a repeat every 64 new cells
				if i%64 == 0 {
					check(" 30003")
				}
				check(fmt.Sprintf(" %d|30007", 100000+i))
			}
			for i := range hitrate.Size {
				check(fmt.Sprintf(" %d|30007", 200000+i))
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var d decoder
			check := func(raw string) string {
				t.Helper()
				codes, primary, _ := d.codes(raw)
				if want := strings.TrimSpace(raw); codes != want || primary != PrimaryCodeOf(want) {
					t.Fatalf("codes(%q) = %q, %q; want %q, %q", raw, codes, primary, want, PrimaryCodeOf(want))
				}
				return codes
			}
			tc.fill(check)
			if d.cells.window.Left() != hitrate.Rest || len(d.cells.m) != 0 {
				t.Fatalf("rest = %d, %d cells; want %d, 0", d.cells.window.Left(), len(d.cells.m), hitrate.Rest)
			}
			for range hitrate.Rest { // neither looked up nor interned
				check(" 100000|30007")
			}
			if d.cells.window.Left() != 0 || len(d.cells.m) != 0 {
				t.Fatalf("rest = %d, %d cells after resting; want 0, 0", d.cells.window.Left(), len(d.cells.m))
			}
			first := check(" 100000|30007")
			for range hitrate.Size {
				if again := check(" 100000|30007"); unsafe.StringData(again) != unsafe.StringData(first) {
					t.Fatal("a cell seen after the rest is not interned")
				}
			}
		})
	}
}

// TestCodeCellsFewDistinct: the cells of a real export, a few dozen codes
// in any order, never rest.
func TestCodeCellsFewDistinct(t *testing.T) {
	var d decoder
	for i := range 100_000 {
		d.codes(fmt.Sprint(30000 + (i*7919)%100))
		if d.cells.window.Left() > 0 {
			t.Fatalf("resting after %d rows", i+1)
		}
	}
	if len(d.cells.m) != 100 {
		t.Fatalf("%d cells, want 100", len(d.cells.m))
	}
}

// TestPlainCode: a cell registry.PlainCode accepts is trimmed and its own primary
// code, so codes may skip TrimSpace and PrimaryCodeOf for it.
func TestPlainCode(t *testing.T) {
	tests := []struct {
		cell string
		want bool
	}{
		{"30007", true}, {"1", true}, {"100000", true},
		{"", false}, {"0", false}, {"030007", false}, {" 30007", false},
		{"30007 ", false}, {"+30007", false}, {"-30007", false},
		{"30007.0", false}, {"30007|30008", false}, {"3a", false},
	}
	for _, tc := range tests {
		if got := registry.PlainCode(tc.cell); got != tc.want {
			t.Errorf("registry.PlainCode(%q) = %v, want %v", tc.cell, got, tc.want)
		}
		if registry.PlainCode(tc.cell) && (strings.TrimSpace(tc.cell) != tc.cell || PrimaryCodeOf(tc.cell) != tc.cell) {
			t.Errorf("registry.PlainCode(%q): trimmed %q, primary %q", tc.cell, strings.TrimSpace(tc.cell), PrimaryCodeOf(tc.cell))
		}
	}
}

// BenchmarkCodesDistinct reads the code cells of a broken export, one
// code of its own a row (400,000 rows, as /tmp/ss-hostile/hostile.csv), in
// parts of 10,000 rows, a chunk's decoder each.
func BenchmarkCodesDistinct(b *testing.B) {
	raws := make([]string, 400_000)
	for i := range raws {
		raws[i] = fmt.Sprint(100000 + i)
	}
	b.ReportAllocs()
	for b.Loop() {
		for part := range slices.Chunk(raws, 10_000) {
			var d decoder
			for _, raw := range part {
				d.codes(raw)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(raws)), "ns/row")
}

// FuzzPlainCode: a cell registry.PlainCode accepts is trimmed and its own primary
// code.
func FuzzPlainCode(f *testing.F) {
	for _, s := range []string{"30007", "030007", " 1", "1.0", "+5", "21610|30007"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if registry.PlainCode(s) && (strings.TrimSpace(s) != s || PrimaryCodeOf(s) != s) {
			t.Errorf("registry.PlainCode(%q): trimmed %q, primary %q", s, strings.TrimSpace(s), PrimaryCodeOf(s))
		}
	})
}

package rowout

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/contacts"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/sanitize"
)

// csvFields are cells that encoding/csv quotes, or not, for each of its
// reasons: separators, quotes, line ends, its `\.` rule, a first rune that
// is a space (ASCII, Unicode, NEL as a rune and as a lone byte), invalid
// UTF-8.
var csvFields = []string{"", "a", "plain text", `\.`, `\.x`, " lead", "\tlead", "\u00a0nbsp", "\u2028ls", "\u0085nel",
	"\x85byte", "\xff\xfe", "a,b", `a"b`, `"`, `""`, "a\rb", "a\nb", "\r\n", "\"\r\n\"", "end ", "x\u00a0", "'=1", "ünï"}

// TestCSVFieldMatchesEncodingCSV holds appendCSVField to encoding/csv's
// Writer, which the encoder wrote through before, for every field alone
// and for records of several.
func TestCSVFieldMatchesEncodingCSV(t *testing.T) {
	records := [][]string{}
	for _, f := range csvFields {
		records = append(records, []string{f})
	}
	for i := range csvFields {
		records = append(records, []string{csvFields[i], csvFields[(i*7+3)%len(csvFields)], csvFields[(i*5+1)%len(csvFields)]})
	}
	for _, rec := range records {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		var got []byte
		for i, f := range rec {
			if i > 0 {
				got = append(got, ',')
			}
			got = appendCSVField(got, f)
		}
		got = append(got, '\n')
		if string(got) != want.String() {
			t.Errorf("%q: %q, encoding/csv writes %q", rec, got, want.String())
		}
	}
}

// FuzzCSVField extends the test above to any field.
func FuzzCSVField(f *testing.F) {
	for _, s := range csvFields {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, field string) {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		if err := w.Write([]string{field, field}); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		got := append(appendCSVField(append(appendCSVField(nil, field), ','), field), '\n')
		if string(got) != want.String() {
			t.Errorf("%q: %q, encoding/csv writes %q", field, got, want.String())
		}
	})
}

// TestCSVEncoderBuffers writes more than the encoder buffers, in one
// piece per flush, and the same bytes as rows written one at a time.
func TestCSVEncoderBuffers(t *testing.T) {
	at := time.Date(2024, 10, 1, 14, 7, 45, 311e6, time.UTC)
	var one, many bytes.Buffer
	enc, err := NewCSV(&many, sampleSchema, Options{})
	if err != nil {
		t.Fatal(err)
	}
	head, err := NewCSV(&one, sampleSchema, Options{})
	if err != nil || head.Close() != nil {
		t.Fatal(err)
	}
	rows := 3 * csvFlushBytes / 40
	for i := range rows {
		s := sample{Name: csvFields[i%len(csvFields)], Cell: "+15555550123", N: i, At: at, HasAt: i%3 == 0}
		if err := enc.Write(&s); err != nil {
			t.Fatal(err)
		}
		if i == rows/2 && many.Len() == 0 {
			t.Errorf("nothing written after %d rows", i)
		}
		single := NewCSVRows(&one, sampleSchema, Options{})
		if err := single.Write(&s); err != nil || single.Close() != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	if many.String() != one.String() {
		t.Errorf("buffered output differs from rows written one at a time")
	}
	if n := strings.Count(many.String(), "\n"); n < rows+1 {
		t.Errorf("%d lines, want at least %d", n, rows+1)
	}
}

// TestCSVEncoderWriteError returns the writer's error, wrapped, from the
// flush that failed and from every call after, for the generic encoder
// and the Contacts one.
func TestCSVEncoderWriteError(t *testing.T) {
	broken := errors.New("disk full")
	w := failingWriter{broken}
	type encoder struct{ write, close func() error }
	tests := []struct {
		name string
		new  func() encoder
	}{
		{"generic", func() encoder {
			enc := NewCSVRows(w, sampleSchema, Options{})
			return encoder{func() error { return enc.Write(&sample{Name: "x"}) }, enc.Close}
		}},
		{"contacts", func() encoder {
			enc := NewCSVRows(w, Contacts, Options{})
			return encoder{func() error { return enc.Write(&contacts.Contact{Cell: "+15555550123"}) }, enc.Close}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			enc := tc.new()
			if err := enc.write(); err != nil {
				t.Fatalf("buffered write failed: %v", err)
			}
			if err := enc.close(); !errors.Is(err, broken) || !strings.Contains(err.Error(), "writing CSV") {
				t.Fatalf("Close = %v, want the writer's error", err)
			}
			if err := enc.write(); !errors.Is(err, broken) {
				t.Fatalf("Write after a failure = %v, want the writer's error", err)
			}
		})
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// BenchmarkCSVContacts measures the CSV encoding of contacts --list all's
// rows (ns and allocations per row), by the Contacts encoder (contacts)
// and the generic one (generic), of one row over and over (same) and of
// rows like the 2.5M-row export's (mixed: most delivered, some opted out
// or failed, the times of three days in turn):
//
//	go test ./internal/rowout -run '^$' -bench CSVContacts -benchmem
func BenchmarkCSVContacts(b *testing.B) {
	at := time.Date(2024, 10, 1, 14, 7, 45, 311e6, time.UTC)
	same := []contacts.Contact{{Cell: "+15555550123", Campaign: "146", Outbound: 2, Delivered: 1, LastStatus: "DELIVERED",
		LastAt: at, HasLastAt: true, Replied: true, OptedOut: true, OptOutByReply: true, OptOutText: "STOP please",
		OptOutAt: at, HasOptOutAt: true, Reason: contacts.OptOutReply}}
	var mixed []contacts.Contact
	failed := &registry.Entry{Code: "30003", Category: registry.Unreachable, Kind: registry.Failure}
	for i := range 1024 {
		c := contacts.Contact{Cell: fmt.Sprintf("+1215%07d", 2000738+i*132), Campaign: "146", Outbound: 1 + i%3/2,
			Delivered: 1, LastStatus: "DELIVERED", LastAt: at.Add(time.Duration(i%3)*24*time.Hour + time.Duration(i)*7919*time.Millisecond), HasLastAt: true,
			Replied: i%5 == 0, Reason: contacts.Delivered}
		switch i % 16 {
		case 3:
			c.OptedOut, c.OptOutByReply, c.OptOutText, c.OptOutAt, c.HasOptOutAt = true, true, "STOP", c.LastAt.Add(time.Hour), true
			c.Reason = contacts.OptOutReply
		case 7, 11:
			c.Delivered, c.LastStatus, c.LastCode, c.LastEntry, c.Reason = 0, "ERROR", "30003", failed, contacts.RetryableError
		case 13:
			c.Delivered, c.LastStatus, c.Reason = 0, "SENT", contacts.StuckSent
		}
		mixed = append(mixed, c)
	}
	encoders := []struct {
		name string
		new  func() Encoder[contacts.Contact]
	}{
		{"contacts", func() Encoder[contacts.Contact] { return NewCSVRows(io.Discard, Contacts, Options{}) }},
		{"generic", func() Encoder[contacts.Contact] { return newCSVEncoder(io.Discard, Contacts, Options{}) }},
	}
	for _, rows := range []struct {
		name string
		rows []contacts.Contact
	}{{"same", same}, {"mixed", mixed}} {
		for _, e := range encoders {
			b.Run(rows.name+"/"+e.name, func(b *testing.B) {
				enc := e.new()
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					if err := enc.Write(&rows.rows[i]); err != nil {
						b.Fatal(err)
					}
					if i++; i == len(rows.rows) {
						i = 0
					}
				}
			})
		}
	}
}

// TestCSVMemoMatchesPlain holds the encoder, which writes a value repeated
// from the row before (and a timestamp's date on the same day) from its
// memo, to appendCSVValue on every cell, over rows where values repeat,
// change, need quoting or cleaning, and fall on either side
// of midnight, 1970 and 9999.
func TestCSVMemoMatchesPlain(t *testing.T) {
	day := time.Date(2024, 10, 1, 23, 59, 59, 999e6, time.UTC)
	times := []time.Time{day, day, day.Add(time.Millisecond), day.Add(-time.Hour), day.Add(-24 * time.Hour),
		time.Unix(0, 0).UTC(), time.Unix(-1, 5e8).UTC(), time.Date(10000, 1, 1, 0, 0, 1, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 2, 0, time.UTC), day.Add(37 * time.Second), day.In(time.FixedZone("x", -4*3600)),
		// More days than a column remembers (memoDays), in turn.
		day.Add(-48 * time.Hour), day.Add(-72 * time.Hour), day.Add(-96*time.Hour - time.Second), day.Add(24 * time.Hour),
		day.Add(-48*time.Hour + time.Minute), day}
	texts := append([]string{"STOP", "STOP", "stop", "", "=1+2", "=1+2", strings.Repeat("long ", 20), strings.Repeat("long ", 20)}, csvFields...)
	buf := []byte("146")
	var rows []contacts.Contact
	for i := range 3 * len(texts) {
		buf[0] = "1=\x1b"[i%3]
		rows = append(rows, contacts.Contact{
			Cell: "+1555555" + string(rune('0'+i%10)) + "123", Campaign: string(buf), Outbound: i % 4,
			LastStatus: []string{"DELIVERED", "DELIVERED", "ERROR", ""}[i%4], LastAt: times[i%len(times)], HasLastAt: i%5 != 0,
			OptOutText: texts[i%len(texts)], OptOutAt: times[(i/2)%len(times)], HasOptOutAt: i%3 != 0,
			Reason: []contacts.Reason{contacts.OptOutReply, contacts.OptOutReply, contacts.Delivered}[i%3],
		})
	}
	for _, tc := range []struct {
		redact, generic bool
	}{{false, false}, {true, false}, {false, true}, {true, true}} {
		redact, opts := tc.redact, Options{Redact: tc.redact}
		var got bytes.Buffer
		enc := NewCSVRows(&got, Contacts, opts)
		if tc.generic {
			enc = newCSVEncoder(&got, Contacts, opts)
		}
		var want []byte
		for i := range rows {
			if err := enc.Write(&rows[i]); err != nil {
				t.Fatal(err)
			}
			for j := range Contacts.Columns {
				if j > 0 {
					want = append(want, ',')
				}
				c := &Contacts.Columns[j]
				want = appendCSVValue(want, c, c.Get(&rows[i]), opts)
			}
			want = append(want, '\n')
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("redact %v, generic %v: memo encoder\n%s\nwant\n%s", redact, tc.generic, got.Bytes(), want)
		}
	}
}

// TestNeedsCleaningPrintableASCII holds needsCleaning's printable-ASCII
// shortcut to sanitize.Terminal on cells without tabs or line breaks,
// every byte from 0 to 0xff alone and around printable text.
func TestNeedsCleaningPrintableASCII(t *testing.T) {
	cells := []string{"", "+15555550123", "146", "STOP please", "~ !", "\x7f", "a\x1b[31m", "ünï", "\u202e"}
	for c := range 256 {
		cells = append(cells, string([]byte{byte(c)}), "+1555"+string([]byte{byte(c)})+"0123")
	}
	for _, s := range cells {
		if strings.ContainsAny(s, "\t\n\r") {
			continue
		}
		if got, want := needsCleaning(s), sanitize.Terminal(s) != s; got != want {
			t.Errorf("needsCleaning(%q) = %v, want %v", s, got, want)
		}
	}
}

package rowout

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/contacts"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/rowfilter"
)

// TestContactsCSVColumns holds contactsCSV's column positions to the
// Contacts schema: a column added, moved or retyped there fails here
// until contactsCSV writes it too.
func TestContactsCSVColumns(t *testing.T) {
	want := []struct {
		name string
		typ  Type
	}{
		colCell: {"cell", String}, colCampaign: {"campaign", String}, colReason: {"reason", String},
		colCode: {"code", String}, colCategory: {"category", String}, colLastStatus: {"last_status", String},
		colLastAttemptedAt: {"last_attempted_at", Timestamp}, colOutbound: {"outbound", Int64},
		colDelivered: {"delivered", Int64}, colReplied: {"replied", Bool}, colOptedOut: {"opted_out", Bool},
		colOptedOutAt: {"opted_out_at", Timestamp}, colOptOutReply: {"opt_out_reply", String},
	}
	if len(Contacts.Columns) != len(want) {
		t.Fatalf("Contacts has %d columns, contactsCSV writes %d", len(Contacts.Columns), len(want))
	}
	for i, w := range want {
		if c := Contacts.Columns[i]; c.Name != w.name || c.Type != w.typ {
			t.Errorf("column %d: Contacts has %s (type %d), contactsCSV writes %s (type %d)", i, c.Name, c.Type, w.name, w.typ)
		}
	}
}

// TestNewCSVRowsContacts checks that the Contacts schema gets its own
// encoder and other schemas the generic one.
func TestNewCSVRowsContacts(t *testing.T) {
	if _, ok := NewCSVRows(io.Discard, Contacts, Options{}).(*contactsCSV); !ok {
		t.Error("NewCSVRows(Contacts) is not a contactsCSV")
	}
	if _, ok := NewCSVRows(io.Discard, Rows, Options{}).(*csvEncoder[rowfilter.Row]); !ok {
		t.Error("NewCSVRows(Rows) is not the generic encoder")
	}
}

// contactCases are contacts whose cells take every path of contactsCSV:
// plain numbers and others (empty, formula-like, spaced, non-ASCII),
// campaigns, codes and replies that repeat, change, need quoting, the
// formula guard or cleaning, or are too long to remember, with and
// without times and opt-outs.
func contactCases() []contacts.Contact {
	cells := []string{"+15555550123", "+15555550124", "15555550125", "", "+", "+1", "555-0123", "=1+2", " +1555", "+1555\x1b", "+1 555 555 0123", "１２３", "+12345678901234567890"}
	campaigns := []string{"146", "146", "147", "=cmd", "a,b", "+15555550000", "", "\x1b[31m", strings.Repeat("c", 70)}
	entries := []*registry.Entry{nil, {Code: "30003", Category: registry.Unreachable, Kind: registry.Failure},
		{Code: "-166", Category: registry.SpokeInternal, Kind: registry.Failure}, {Code: "=1", Category: "x,y"}}
	statuses := []string{"DELIVERED", "DELIVERED", "ERROR", "SENT", "", "a\"b", strings.Repeat("s", 70)}
	texts := append([]string{"", "STOP", "STOP", "stop", "=1+2", strings.Repeat("long ", 20)}, csvFields...)
	reasons := []contacts.Reason{contacts.Delivered, contacts.Delivered, contacts.OptOutReply, contacts.NumberError, contacts.Other}
	day := time.Date(2024, 10, 1, 23, 59, 59, 999e6, time.UTC)
	times := []time.Time{day, day, day.Add(time.Millisecond), day.Add(-24 * time.Hour), time.Unix(-1, 5e8).UTC(),
		time.Date(10000, 1, 1, 0, 0, 1, 0, time.UTC)}
	var out []contacts.Contact
	for i := range 7 * len(texts) * len(cells) {
		c := contacts.Contact{
			Cell: cells[i%len(cells)], Campaign: campaigns[(i/3)%len(campaigns)],
			Outbound: i % 150, Delivered: i % 7, LastStatus: statuses[i%len(statuses)], LastCode: "c" + statuses[i%len(statuses)],
			LastEntry: entries[(i/2)%len(entries)], LastAt: times[i%len(times)], HasLastAt: i%5 != 0,
			Replied: i%2 == 0, OptedOut: i%4 == 1, OptOutCode: []string{"", "-133", "21610"}[i%3],
			OptOutText: texts[(i/4)%len(texts)], OptOutAt: times[(i/3)%len(times)], HasOptOutAt: i%3 != 0,
			Reason: reasons[i%len(reasons)],
		}
		if i%11 == 0 {
			c.Outbound = -i // not seen in an export, but an int all the same
		}
		out = append(out, c)
	}
	return out
}

// TestContactsCSVMatchesGeneric holds contactsCSV to the generic encoder
// of the Contacts schema, byte for byte, redacted and not.
func TestContactsCSVMatchesGeneric(t *testing.T) {
	rows := contactCases()
	for _, redact := range []bool{false, true} {
		opts := Options{Redact: redact}
		var got, want bytes.Buffer
		fast, generic := newContactsCSV(&got, opts), newCSVEncoder(&want, Contacts, opts)
		for i := range rows {
			if err := fast.Write(&rows[i]); err != nil {
				t.Fatal(err)
			}
			if err := generic.Write(&rows[i]); err != nil {
				t.Fatal(err)
			}
		}
		if err := fast.Close(); err != nil {
			t.Fatal(err)
		}
		if err := generic.Close(); err != nil {
			t.Fatal(err)
		}
		if got.Len() == 0 || !bytes.Equal(got.Bytes(), want.Bytes()) {
			g, w := strings.Split(got.String(), "\n"), strings.Split(want.String(), "\n")
			for i := range min(len(g), len(w)) {
				if g[i] != w[i] {
					t.Fatalf("redact %v: line %d is\n%s\nthe generic encoder writes\n%s", redact, i+1, g[i], w[i])
				}
			}
			t.Fatalf("redact %v: %d lines, the generic encoder writes %d", redact, len(g), len(w))
		}
	}
}

// TestPlainNumber checks the cells written as they are.
func TestPlainNumber(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"+15555550123", true}, {"15555550123", true}, {"0", true}, {"", false}, {"+", false}, {"++1", false},
		{"+1 555", false}, {"1-555", false}, {"+1555/", false}, {"+1555:", false}, {"-1", false}, {"１", false},
	} {
		if got := plainNumber(tc.s); got != tc.want {
			t.Errorf("plainNumber(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

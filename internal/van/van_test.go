package van

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
)

func classifier(t *testing.T) *classify.Classifier {
	t.Helper()
	reg, err := registry.Load()
	if err != nil {
		t.Fatal(err)
	}
	return classify.New(reg, registry.Twilio)
}

func TestReadDirectoryDialects(t *testing.T) {
	tests := []struct {
		name, csv             string
		contactID, camp, cell string
		want                  string
	}{
		{"statevoices by id", "id,campaign_id,external_id,cell\n48213,112,100231,+15555550123\n", "48213", "112", "+15555550123", "100231"},
		{"statevoices id wins over cell", "id,campaign_id,external_id,cell\n48213,112,100231,+15555550123\n", "99999", "112", "+15555550123", ""},
		{"rewired by campaign and cell", "campaignId,contact[cell],contact[external_id]\n77,+15555550133,200231\n", "", "77", "+15555550133", "200231"},
		{"rewired cell written another way", "campaignId,contact[cell],contact[external_id]\n77,(555) 555-0133,200231\n", "", "77", "+15555550133", "200231"},
		{"other campaign", "campaignId,contact[cell],contact[external_id]\n77,+15555550133,200231\n", "", "78", "+15555550133", ""},
		{"BOM and spaces in the header", "\ufeff id , external_id ,cell\n5, 7 ,+15555550100\n", "5", "", "", "7"},
		{"blank VAN id", "id,external_id\n5,\n", "5", "", "", ""},
		{"short row", "id,campaign_id,external_id,cell\n5\n", "5", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ReadDirectory(strings.NewReader(tc.csv), "c.csv")
			if err != nil {
				t.Fatal(err)
			}
			if got := d.lookup(tc.contactID, tc.camp, tc.cell); got != tc.want {
				t.Errorf("lookup = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestReadDirectoryErrors(t *testing.T) {
	for name, csv := range map[string]string{
		"empty":             "",
		"messages export":   "campaign_contact_id,campaign_id,contact_number\n1,2,3\n",
		"no external_id":    "id,campaign_id,cell\n1,2,3\n",
		"no id nor cell":    "campaign_id,external_id\n1,2\n",
		"broken quoting":    "id,external_id\n1,\"unterminated\n",
		"campaign, no cell": "campaignId,contact[external_id]\n77,1\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ReadDirectory(strings.NewReader(csv), "c.csv"); err == nil || !strings.Contains(err.Error(), "c.csv") {
				t.Errorf("err = %v, want an error naming the file", err)
			}
		})
	}
}

func TestDirectoryAdd(t *testing.T) {
	d := NewDirectory(true)
	d.Add("10", "3", "(555) 555-0100", "V10")
	d.Add("", "3", "+15555550101", "V11") // no id: by cell only
	d.Add("12", "", "", "V12")            // no cell: by id only
	for _, tc := range []struct{ id, camp, cell, want string }{
		{"10", "3", "", "V10"}, {"", "3", "+15555550100", "V10"}, {"", "3", "+15555550101", "V11"},
		{"12", "", "", "V12"}, {"", "", "", ""}, {"", "4", "+15555550100", ""},
	} {
		if got := d.lookup(tc.id, tc.camp, tc.cell); got != tc.want {
			t.Errorf("lookup(%q, %q, %q) = %q, want %q", tc.id, tc.camp, tc.cell, got, tc.want)
		}
	}
	if byCell := NewDirectory(false); byCell.byID != nil {
		t.Error("a Directory without ids keeps an id map")
	}
}

var t0 = time.Date(2024, 10, 1, 18, 0, 0, 0, time.UTC)

func text(ccid, cell, status, code string, minute int) *export.Record {
	r := &export.Record{CampaignContactID: ccid, CampaignID: "112", ContactNumber: cell, Status: status, Codes: code, PrimaryCode: export.PrimaryCodeOf(code)}
	if minute >= 0 {
		r.AttemptedAt, r.HasTime = t0.Add(time.Duration(minute)*time.Minute), true
	}
	return r
}

func outcomes(t *testing.T, dir *Directory, recs ...*export.Record) []Outcome {
	t.Helper()
	j := NewJoiner(dir, classifier(t))
	for _, r := range recs {
		j.Add(r)
	}
	var out []Outcome
	if err := j.Each(func(o *Outcome) error { out = append(out, *o); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestJoinerOutcomes: delivered once is Texted whatever came after; Wrong
// Number needs the last text to fail with an invalid number or a
// landline; inbound rows are ignored; order is first seen.
func TestJoinerOutcomes(t *testing.T) {
	dir := NewDirectory(true)
	dir.Add("1", "112", "+15555550101", "V1")
	dir.Add("2", "112", "+15555550102", "V2")
	dir.Add("3", "112", "+15555550103", "V3")
	dir.Add("4", "112", "+15555550104", "V4")
	reply := text("1", "+15555550101", export.StatusDelivered, "", 9)
	reply.Inbound = true
	got := outcomes(t, dir,
		text("1", "+15555550101", export.StatusDelivered, "", 0),
		text("1", "+15555550101", export.StatusError, "30003", 5), // delivered before: still Texted
		reply,
		text("2", "+15555550102", export.StatusError, "30006", 1), // landline
		text("3", "+15555550103", export.StatusError, "30006", 1), // landline, but the last text…
		text("3", "+15555550103", export.StatusError, "30007", 2), // …is carrier filtering
		text("4", "+15555550104", export.StatusError, "30007", 9), // the last by time is filtering, not…
		text("4", "+15555550104", export.StatusError, "21211", 3), // …the invalid number read after it
		text("5", "+15555550105", export.StatusDelivered, "", -1), // no VAN id, no time
	)
	want := []struct {
		van         string
		delivered   bool
		wrongNumber bool
		hasTime     bool
	}{{"V1", true, false, true}, {"V2", false, true, true}, {"V3", false, false, true}, {"V4", false, false, true}, {"", true, false, false}}
	if len(got) != len(want) {
		t.Fatalf("%d outcomes, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.VANID != w.van || g.Delivered != w.delivered || g.WrongNumber != w.wrongNumber || g.HasLastAt != w.hasTime {
			t.Errorf("outcome %d = %+v, want %+v", i, g, w)
		}
	}
	if !got[0].LastAt.Equal(t0.Add(5 * time.Minute)) {
		t.Errorf("last text of contact 1 at %v, want the later one", got[0].LastAt)
	}
	if got[3].LastAt != t0.Add(9*time.Minute) {
		t.Errorf("last text of contact 4 at %v, want the latest attempted-at", got[3].LastAt)
	}
}

// TestJoinerByCell: without contact ids (Rewired) contacts join on
// campaign and cell, the cell normalized on both sides.
func TestJoinerByCell(t *testing.T) {
	d, err := ReadDirectory(strings.NewReader("campaignId,contact[cell],contact[external_id]\n112,555-555-0101,R1\n"), "c.csv")
	if err != nil {
		t.Fatal(err)
	}
	got := outcomes(t, d, text("", "+1 (555) 555-0101", export.StatusDelivered, "", 0), text("", "+15555550101", export.StatusSent, "", 1))
	if len(got) != 1 || got[0].VANID != "R1" || got[0].Phone != "+15555550101" || !got[0].Delivered {
		t.Errorf("outcomes = %+v, want one delivered contact R1 at +15555550101", got)
	}
}

func TestJoinerEachStopsOnError(t *testing.T) {
	j := NewJoiner(NewDirectory(false), classifier(t))
	j.Add(text("", "+15555550101", export.StatusDelivered, "", 0))
	j.Add(text("", "+15555550102", export.StatusDelivered, "", 0))
	calls := 0
	err := j.Each(func(*Outcome) error { calls++; return errStop })
	if err != errStop || calls != 1 {
		t.Errorf("Each returned %v after %d calls, want errStop after 1", err, calls)
	}
}

var errStop = errors.New("stop")

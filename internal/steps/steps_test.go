package steps

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
)

// row is a test row: contact, direction, minute (or -1 for no time).
type row struct {
	ccid    string
	campID  string
	cell    string
	inbound bool
	minute  int
}

func records(src *export.Source, rows []row) []*export.Record {
	base := time.Date(2024, 10, 1, 14, 0, 0, 0, time.UTC)
	out := make([]*export.Record, len(rows))
	for i, r := range rows {
		rec := &export.Record{Source: src, Line: i + 2, CampaignContactID: r.ccid, CampaignID: r.campID, ContactNumber: r.cell, Inbound: r.inbound}
		if r.minute >= 0 {
			rec.AttemptedAt, rec.HasTime = base.Add(time.Duration(r.minute)*time.Minute), true
		}
		out[i] = rec
	}
	return out
}

func classifyAll(recs []*export.Record) []string {
	x := NewIndex()
	for _, r := range recs {
		x.Observe(r)
	}
	out := make([]string, len(recs))
	for i, r := range recs {
		if st, ok := x.Of(r); ok {
			out[i] = string(st)
		} else {
			out[i] = "-"
		}
	}
	return out
}

func TestSteps(t *testing.T) {
	src := &export.Source{Path: "a.csv"}
	tests := []struct {
		name string
		rows []row
		want []string
	}{
		{"one text", []row{{ccid: "1", minute: 0}}, []string{"initial"}},
		{"second pass before any reply is a follow-up",
			[]row{{ccid: "1", minute: 0}, {ccid: "1", minute: 60}},
			[]string{"initial", "follow-up"}},
		{"a reply between two outbound texts",
			[]row{{ccid: "1", minute: 0}, {ccid: "1", inbound: true, minute: 5}, {ccid: "1", minute: 6}},
			[]string{"initial", "-", "conversation"}},
		{"rows out of order (no ORDER BY): the earliest is the initial",
			[]row{{ccid: "1", minute: 6}, {ccid: "1", inbound: true, minute: 5}, {ccid: "1", minute: 0}},
			[]string{"conversation", "-", "initial"}},
		{"equal timestamps: row order decides",
			[]row{{ccid: "1", minute: 0}, {ccid: "1", minute: 0}},
			[]string{"initial", "follow-up"}},
		{"an outbound at the reply's own minute, written before it, is a follow-up",
			[]row{{ccid: "1", minute: 0}, {ccid: "1", minute: 5}, {ccid: "1", inbound: true, minute: 5}},
			[]string{"initial", "follow-up", "-"}},
		{"missing timestamps: by row order, after timed rows",
			[]row{{ccid: "1", minute: -1}, {ccid: "1", minute: -1}},
			[]string{"initial", "follow-up"}},
		{"a timed row is earlier than an untimed one",
			[]row{{ccid: "1", minute: -1}, {ccid: "1", minute: 30}},
			[]string{"follow-up", "initial"}},
		{"reply without time is after timed outbound texts",
			[]row{{ccid: "1", minute: 0}, {ccid: "1", inbound: true, minute: -1}, {ccid: "1", minute: 10}},
			[]string{"initial", "-", "follow-up"}},
		{"contacts are separate",
			[]row{{ccid: "1", minute: 0}, {ccid: "2", minute: 1}, {ccid: "1", minute: 2}, {ccid: "2", inbound: true, minute: 3}, {ccid: "2", minute: 4}},
			[]string{"initial", "initial", "follow-up", "-", "conversation"}},
		{"without campaign_contact_id: campaign and number",
			[]row{{campID: "7", cell: "+15555550100", minute: 0}, {campID: "8", cell: "+15555550100", minute: 1}, {campID: "7", cell: "+15555550100", minute: 2}},
			[]string{"initial", "initial", "follow-up"}},
		{"no contact at all has no step",
			[]row{{minute: 0}},
			[]string{"-"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classifyAll(records(src, tt.rows))
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("steps = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRowOrderAcrossInputs(t *testing.T) {
	a, b := &export.Source{Path: "a.csv", Index: 0}, &export.Source{Path: "b.csv", Index: 1}
	// Same minute, same line number: the first input's row comes first.
	ra := records(a, []row{{ccid: "1", minute: 0}})
	rb := records(b, []row{{ccid: "1", minute: 0}})
	got := classifyAll([]*export.Record{rb[0], ra[0]})
	if got[0] != "follow-up" || got[1] != "initial" {
		t.Fatalf("got %v, want the first input's row as initial", got)
	}
}

// TestMergeMatchesSequential: an Index built in parts, merged in any order,
// classifies every row as one built sequentially.
func TestMergeMatchesSequential(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	src := &export.Source{Path: "a.csv"}
	var rows []row
	for i := 0; i < 5000; i++ {
		rows = append(rows, row{ccid: fmt.Sprint(r.IntN(700)), inbound: r.IntN(4) == 0, minute: r.IntN(50) - 3})
	}
	recs := records(src, rows)
	want := classifyAll(recs)

	parts := []*Index{NewIndex(), NewIndex(), NewIndex(), NewIndex()}
	for i, rec := range recs {
		parts[(i/333)%len(parts)].Observe(rec)
	}
	merged := parts[3]
	for _, p := range parts[:3] {
		merged.Merge(p)
	}
	for i, rec := range recs {
		st, ok := merged.Of(rec)
		got := "-"
		if ok {
			got = string(st)
		}
		if got != want[i] {
			t.Fatalf("row %d: merged index says %s, sequential %s", i, got, want[i])
		}
	}
	if merged.Len() != 700 && merged.Len() > 700 {
		t.Fatalf("Len = %d, want at most 700", merged.Len())
	}
}

func TestOrder(t *testing.T) {
	if Order("initial") != 0 || Order("follow-up") != 1 || Order("conversation") != 2 || Order("x") != -1 {
		t.Fatal("Order does not follow conversation order")
	}
}

// BenchmarkIndex reports the bytes the Index holds per contact.
func BenchmarkIndex(b *testing.B) {
	src := &export.Source{Path: "a.csv"}
	const contacts = 1_000_000
	rec := &export.Record{Source: src, HasTime: true, AttemptedAt: time.Unix(1700000000, 0)}
	ids := make([]string, contacts)
	for i := range ids {
		ids[i] = fmt.Sprint(i)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x := NewIndex()
		for j, id := range ids {
			rec.CampaignContactID, rec.Line = id, j+2
			x.Observe(rec)
		}
		b.ReportMetric(float64(x.Bytes())/float64(x.Len()), "bytes/contact")
	}
}

// TestMessageIDOrderKeepsTime: rows read from the database are ordered by message
// id, as Spoke Rewired's initial-text statistics are, even against their
// timestamps and row order; file rows keep the attempted-at order.
func TestMessageIDOrder(t *testing.T) {
	src := &export.Source{Path: "db"}
	at := time.Date(2024, 10, 1, 14, 0, 0, 0, time.UTC)
	mk := func(id int64, line int, inbound bool, minute int) *export.Record {
		return &export.Record{Source: src, Line: line, CampaignContactID: "7", Inbound: inbound, MessageID: id,
			AttemptedAt: at.Add(time.Duration(minute) * time.Minute), HasTime: true}
	}
	tests := []struct {
		name string
		recs []*export.Record
		want []string
	}{
		{"same millisecond: the lower id is the initial",
			[]*export.Record{mk(12, 2, false, 0), mk(11, 3, false, 0)}, []string{"follow-up", "initial"}},
		{"the id wins over a skewed clock",
			[]*export.Record{mk(20, 2, false, 0), mk(21, 3, false, -5)}, []string{"initial", "follow-up"}},
		{"a reply orders by id too",
			[]*export.Record{mk(30, 2, false, 9), mk(31, 3, true, 0), mk(32, 4, false, 1)}, []string{"initial", "-", "conversation"}},
		{"without ids, attempted-at decides",
			[]*export.Record{mk(0, 2, false, 3), mk(0, 3, false, 1)}, []string{"follow-up", "initial"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := classifyAll(tc.recs)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestMessageIDOrderKeepsTime: rows read from the database are ordered by message
// id alone (Spoke Rewired's own rule), yet keep their time.
func TestMessageIDOrderKeepsTime(t *testing.T) {
	src := &export.Source{Path: "db"}
	base := time.Date(2024, 10, 1, 14, 0, 0, 0, time.UTC)
	// Message 7 has the later id but the earlier clock: the id decides.
	early := &export.Record{Source: src, Line: 1, CampaignContactID: "1", MessageID: 9, AttemptedAt: base, HasTime: true}
	late := &export.Record{Source: src, Line: 2, CampaignContactID: "1", MessageID: 7, AttemptedAt: base.Add(time.Minute), HasTime: true}
	x := NewIndex()
	x.Observe(early)
	x.Observe(late)
	if st, _ := x.Of(late); st != Initial {
		t.Errorf("lowest message id: step %q, want initial", st)
	}
	if st, _ := x.Of(early); st != FollowUp {
		t.Errorf("higher message id: step %q, want follow-up", st)
	}
	m := MomentOf(late)
	if !m.Timed() || m.Time != base.Add(time.Minute).UnixNano() {
		t.Errorf("a database row's moment lost its time: %+v", m)
	}
	if reply := none; reply.Before(m) || !m.Before(reply) {
		t.Error("no reply must come after every database moment")
	}
}

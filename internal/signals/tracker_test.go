package signals

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/cputime"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/steps"
)

var t0 = time.Date(2024, 10, 1, 14, 0, 0, 0, time.UTC)

// input is the source of the test rows, as the reader gives every row one.
var input = &export.Source{Path: "test.csv"}

// out and in build rows of contact "cc" (campaign_contact_id) or, when cc
// is "", of campaign 1 and number.
func out(cc, number string, at time.Duration, timed bool, status, text, from string) export.Record {
	r := export.Record{Source: input, CampaignID: "1", CampaignContactID: cc, ContactNumber: number, Status: status, Text: text, UserNumber: from}
	if timed {
		r.AttemptedAt, r.HasTime = t0.Add(at), true
	}
	return r
}

func in(cc, number string, at time.Duration) export.Record {
	r := out(cc, number, at, true, "DELIVERED", "yes", "")
	r.Inbound = true
	return r
}

// observations runs the rows through a tracker and collects what it feeds.
func observations(rows []export.Record, o TrackerOptions) []Observation {
	numberLines(rows)
	tr := NewContactTracker(o)
	for i := range rows {
		tr.Add(&rows[i])
	}
	return collect(tr)
}

func collect(tr *ContactTracker) []Observation {
	rec := &recorder{}
	tr.feed(rec.observe)
	return rec.obs
}

// numberLines gives the rows their lines, as the reader does.
func numberLines(rows []export.Record) {
	for i := range rows {
		rows[i].Line = i + 2
	}
}

type recorder struct{ obs []Observation }

func (r *recorder) observe(o Observation) { r.obs = append(r.obs, o) }

func TestTrackerInitialText(t *testing.T) {
	const (
		link  = "Vote: https://bit.ly/x"
		other = "Reminder: vote.org"
	)
	tests := []struct {
		name string
		rows []export.Record
		want Observation
	}{
		{"first text, then a reply", []export.Record{
			out("7", "", 0, true, "DELIVERED", link, "+1"),
			in("7", "", time.Minute),
			out("7", "", 2*time.Minute, true, "ERROR", other, "+2"),
		}, Observation{Domains: []string{"bit.ly"}, SendingNumber: "+1", Day: "2024-10-01", Delivered: true, Replied: true}},
		{"earliest attempted-at wins over row order", []export.Record{
			out("7", "", time.Hour, true, "ERROR", other, "+2"),
			out("7", "", 0, true, "DELIVERED", link, "+1"),
		}, Observation{Domains: []string{"bit.ly"}, SendingNumber: "+1", Day: "2024-10-01", Delivered: true}},
		{"ties go to row order", []export.Record{
			out("7", "", 0, true, "SENT", other, "+2"),
			out("7", "", 0, true, "DELIVERED", link, "+1"),
		}, Observation{Domains: []string{"vote.org"}, SendingNumber: "+2", Day: "2024-10-01"}},
		{"a timed row wins over an untimed one", []export.Record{
			out("7", "", 0, false, "SENT", other, "+2"),
			out("7", "", 5*time.Hour, true, "DELIVERED", link, "+1"),
		}, Observation{Domains: []string{"bit.ly"}, SendingNumber: "+1", Day: "2024-10-01", Delivered: true}},
		{"untimed rows by row order, no day", []export.Record{
			out("7", "", 0, false, "DELIVERED", link, "+1"),
			out("7", "", 0, false, "SENT", other, "+2"),
		}, Observation{Domains: []string{"bit.ly"}, SendingNumber: "+1", Delivered: true}},
		{"reply before any text still counts", []export.Record{
			in("7", "", 0),
			out("7", "", time.Minute, true, "DELIVERED", "no link", ""),
		}, Observation{Day: "2024-10-01", Delivered: true, Replied: true}},
		{"contact by campaign and number", []export.Record{
			out("", "5551234567", 0, true, "DELIVERED", link, "+1"),
			in("", "5551234567", time.Minute),
		}, Observation{Domains: []string{"bit.ly"}, SendingNumber: "+1", Day: "2024-10-01", Delivered: true, Replied: true}},
		{"several domains, one list", []export.Record{
			out("7", "", 0, true, "DELIVERED", "a.org and https://b.org/x", "+1"),
		}, Observation{Domains: []string{"a.org", "b.org"}, SendingNumber: "+1", Day: "2024-10-01", Delivered: true}},
	}
	for _, tt := range tests {
		got := observations(tt.rows, TrackerOptions{})
		if len(got) != 1 || !reflect.DeepEqual(got[0], tt.want) {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestTrackerContactsApart(t *testing.T) {
	rows := []export.Record{
		out("", "5551234567", 0, true, "DELIVERED", "", "+1"),
		in("", "5550000000", time.Minute), // another number, no outbound
	}
	other := out("", "5551234567", 0, true, "DELIVERED", "", "+1")
	other.CampaignID = "2" // same number, other campaign: another contact
	rows = append(rows, other, export.Record{Inbound: true, CampaignID: "1"})
	tr := NewContactTracker(TrackerOptions{})
	for i := range rows {
		tr.Add(&rows[i])
	}
	obs := collect(tr)
	st := tr.Stats()
	if len(obs) != 2 || st.Contacts != 3 || st.NoInitial != 1 || st.NoKey != 1 {
		t.Errorf("obs %+v stats %+v", obs, st)
	}
	for _, o := range obs {
		if o.Replied {
			t.Errorf("no contact with a text replied: %+v", o)
		}
	}
}

func TestTrackerReplyWindowAndLocation(t *testing.T) {
	rows := []export.Record{
		out("1", "", 0, true, "DELIVERED", "", "+1"),
		out("2", "", 23*time.Hour, true, "DELIVERED", "", "+1"), // 2 h before the newest row
		out("3", "", 25*time.Hour, true, "DELIVERED", "", "+1"),
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	tr := NewContactTracker(TrackerOptions{ReplyWindow: 3 * time.Hour, Location: ny})
	for i := range rows {
		tr.Add(&rows[i])
	}
	obs := collect(tr)
	if len(obs) != 1 || obs[0].Day != "2024-10-01" || tr.Stats().TooRecent != 2 {
		t.Errorf("obs %+v stats %+v", obs, tr.Stats())
	}
	// 14:00 UTC the next day is 10:00 in New York, 2024-10-02
	if got := observations(rows[2:], TrackerOptions{Location: ny}); got[0].Day != "2024-10-02" {
		t.Errorf("day %q", got[0].Day)
	}
}

func TestTrackerMergeMatchesSequential(t *testing.T) {
	// Contacts split across parts in every way: the merge in input order
	// must give the sequential answer.
	rows := []export.Record{
		out("1", "", 5*time.Hour, true, "ERROR", "late a.org", "+2"),
		out("2", "", 0, false, "SENT", "untimed b.org", "+3"),
		in("1", "", 6*time.Hour),
		out("1", "", time.Hour, true, "DELIVERED", "early c.org", "+1"),
		out("2", "", time.Hour, true, "DELIVERED", "timed d.org", "+4"),
		out("3", "", time.Hour, true, "SENT", "x e.org", "+5"),
		out("3", "", time.Hour, true, "DELIVERED", "tie f.org", "+6"),
		in("3", "", 2*time.Hour),
	}
	numberLines(rows)
	want := sortObs(observations(rows, TrackerOptions{}))
	// finish: the parts are sorted by FinishPart (as on the workers of
	// a parallel read), or merged without it.
	for _, finish := range []bool{false, true} {
		for cut1 := 0; cut1 <= len(rows); cut1++ {
			for cut2 := cut1; cut2 <= len(rows); cut2++ {
				parts := [][]export.Record{rows[:cut1], rows[cut1:cut2], rows[cut2:]}
				first := NewContactTracker(TrackerOptions{})
				for _, p := range parts {
					tr := first.Fork()
					for i := range p {
						tr.Add(&p[i])
					}
					if finish {
						tr.FinishPart()
					}
					first.Merge(tr)
				}
				if got := sortObs(collect(first)); !reflect.DeepEqual(got, want) {
					t.Fatalf("finish %v, cuts %d,%d: got %+v\nwant %+v", finish, cut1, cut2, got, want)
				}
			}
		}
	}
}

// TestTrackerAgreesWithSteps: the tracker's initial text of a contact is
// the row package steps calls initial, whatever the times, ties, untimed
// rows and inputs (ties across inputs go to the earlier input), and
// whatever order the rows come in.
func TestTrackerAgreesWithSteps(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sources := []*export.Source{{Path: "a.csv", Index: 0}, {Path: "b.csv", Index: 1}}
	for round := 0; round < 200; round++ {
		var rows []export.Record
		for _, src := range sources {
			n := rng.IntN(12)
			for line := 2; line < 2+n; line++ {
				cc := fmt.Sprint(rng.IntN(4))
				r := out(cc, "", time.Duration(rng.IntN(3))*time.Hour, rng.IntN(4) > 0, "DELIVERED", "", fmt.Sprintf("+%d%d", src.Index, line))
				r.Source, r.Line = src, line
				if rng.IntN(5) == 0 {
					r.Inbound = true
				}
				rows = append(rows, r)
			}
		}
		idx := steps.NewIndex()
		tr := NewContactTracker(TrackerOptions{})
		// Parts read in parallel may see rows in any order: the answer
		// must not depend on it.
		for _, i := range rng.Perm(len(rows)) {
			idx.Observe(&rows[i])
			tr.Add(&rows[i])
		}
		var want []string
		for i := range rows {
			if st, ok := idx.Of(&rows[i]); ok && st == steps.Initial {
				want = append(want, rows[i].UserNumber)
			}
		}
		var got []string
		for _, o := range collect(tr) {
			got = append(got, o.SendingNumber)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: tracker's initial texts %v, steps' %v", round, got, want)
		}
	}
}

func sortObs(obs []Observation) []string {
	var s []string
	for _, o := range obs {
		s = append(s, fmt.Sprintf("%+v", o))
	}
	return s
}

func TestTrackerInternCap(t *testing.T) {
	tr := NewContactTracker(TrackerOptions{MaxInterned: 1})
	rows := []export.Record{
		out("1", "", 0, true, "DELIVERED", "a.org", "+1"),
		out("2", "", 0, true, "DELIVERED", "b.org", "+2"),
	}
	for i := range rows {
		tr.Add(&rows[i])
	}
	if st := tr.Stats(); st.Uninterned != 2 {
		t.Errorf("uninterned %d, want 2 (b.org and +2)", st.Uninterned)
	}
}

// BenchmarkTrackerBytesPerContact reports the live heap per contact tracked.
func BenchmarkTrackerBytesPerContact(b *testing.B) {
	const contacts = 200_000
	rec := out("", "", 0, true, "DELIVERED", "Vote: https://bit.ly/x", "+15555550100")
	ids := make([]string, contacts)
	for i := range ids {
		ids[i] = fmt.Sprint(1_000_000 + i)
	}
	var perContact float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		tr := NewContactTracker(TrackerOptions{})
		for _, id := range ids {
			rec.CampaignContactID = id
			tr.Add(&rec)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perContact = float64(after.HeapAlloc-before.HeapAlloc) / contacts
		runtime.KeepAlive(tr)
	}
	b.ReportMetric(perContact, "bytes/contact")
}

// TestTrackerManyPartsMatchSequential: many parts, with contacts whose
// rows span parts (several entries of a contact in a partition until
// settle), give the sequential answer.
func TestTrackerManyPartsMatchSequential(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var rows []export.Record
	for i := 0; i < 120_000; i++ {
		cc := fmt.Sprint(rng.IntN(60_000))
		r := out(cc, "", time.Duration(rng.IntN(1000))*time.Minute, true, []string{"DELIVERED", "ERROR"}[rng.IntN(2)], fmt.Sprintf("d%d.org", rng.IntN(50)), fmt.Sprintf("+%d", rng.IntN(30)))
		r.Inbound = rng.IntN(5) == 0
		rows = append(rows, r)
	}
	numberLines(rows)
	seq := NewContactTracker(TrackerOptions{})
	for i := range rows {
		seq.Add(&rows[i])
	}
	want := sortObs(collect(seq))
	par := NewContactTracker(TrackerOptions{})
	for start := 0; start < len(rows); start += 7_000 {
		part := par.Fork()
		for i := start; i < min(start+7_000, len(rows)); i++ {
			part.Add(&rows[i])
		}
		if start%14_000 == 0 { // sorted by partition, as on a worker
			part.FinishPart()
		}
		par.Merge(part)
	}
	if got := sortObs(collect(par)); !reflect.DeepEqual(got, want) {
		t.Fatalf("%d observations merged, %d sequential; they differ", len(got), len(want))
	}
	if par.Stats() != seq.Stats() {
		t.Errorf("stats %+v, want %+v", par.Stats(), seq.Stats())
	}
}

// BenchmarkTrackerParts reads contacts in parts of 3,000 (about a 1 MiB
// chunk of an export), each contact's rows together as exports list them
// (an initial text, and a reply for a third of them), and merges the parts
// as summarize does (with the link counter's domains, each part sorted by
// FinishPart). It reports the live
// heap per contact once settled, and the CPU time per contact of the adds,
// the merges and the settle (and of two collections per round).
func BenchmarkTrackerParts(b *testing.B) {
	const contacts, perPart = 1_000_000, 3_000
	ids := make([]string, contacts)
	for i := range ids {
		ids[i] = fmt.Sprint(1_000_000 + i)
	}
	text := out("", "", time.Hour, true, "DELIVERED", "Vote: https://bit.ly/x", "+15555550100")
	reply := in("", "", 2*time.Hour)
	domains := []string{"bit.ly"} // what the link counter hands over
	var perContact float64
	var merging time.Duration // in Merge: on the one goroutine that merges
	cpu := cputime.Used()
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		tr := NewContactTracker(TrackerOptions{})
		for start := 0; start < contacts; start += perPart {
			part := tr.Fork()
			for i := start; i < min(start+perPart, contacts); i++ {
				text.CampaignContactID, text.Line = ids[i], 2*i
				part.AddWithDomains(&text, domains)
				if i%3 == 0 {
					reply.CampaignContactID, reply.Line = ids[i], 2*i+1
					part.Add(&reply)
				}
			}
			part.FinishPart()
			t0 := time.Now()
			tr.Merge(part)
			merging += time.Since(t0)
		}
		if n := tr.Stats().Contacts; n != contacts {
			b.Fatalf("%d contacts, want %d", n, contacts)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perContact = float64(after.HeapAlloc-before.HeapAlloc) / contacts
		runtime.KeepAlive(tr)
	}
	b.ReportMetric(perContact, "bytes/contact")
	b.ReportMetric(float64(cputime.Used()-cpu)/float64(b.N)/contacts, "cpu-ns/contact")
	b.ReportMetric(float64(merging.Nanoseconds())/float64(b.N)/contacts, "merge-ns/contact")
}

// TestInternRecent: the remembered ids are the table's, whatever the order
// of the numbers (more than the four remembered, interleaved and
// repeated), and "" stays 0.
func TestInternRecent(t *testing.T) {
	tr := NewContactTracker(TrackerOptions{MaxInterned: 1000})
	numbers := []string{"+15550000001", "+15550000002", "+15550000003", "+15550000004", "+15550000005", "+15550000006"}
	for i := range 200 {
		s := numbers[(i*i+i/3)%len(numbers)]
		if i%17 == 0 {
			s = ""
		}
		got := tr.internNumber(s)
		want := tr.numberIDs[s]
		if got != want || (s != "") != (got != 0) {
			t.Fatalf("row %d: internNumber(%q) = %d, table %d", i, s, got, want)
		}
		if got != 0 && tr.numbers[got-1] != s {
			t.Fatalf("row %d: id %d of %q is %q", i, got, s, tr.numbers[got-1])
		}
	}
	if len(tr.numbers) != len(numbers) {
		t.Errorf("%d numbers interned, want %d", len(tr.numbers), len(numbers))
	}
}

// TestRecent: a string put is found with its id until a string of the
// same place replaces it; strings never put, or replaced, are not found.
func TestRecent(t *testing.T) {
	var r recent
	strs := []string{"+13126545176", "+14809808208", "vote.org", "bit.ly", "a", ""}
	for i, s := range strs {
		if r.find(s) != 0 {
			t.Fatalf("%q found before it was put", s)
		}
		r.put(s, uint32(i+1))
	}
	for i, s := range strs {
		if got := r.find(s); got != uint32(i+1) && got != 0 {
			t.Errorf("%q: id %d, want %d", s, got, i+1)
		}
	}
	if r.find("+13126545176") != 1 || r.find("vote.org") != 3 {
		t.Error("a string put is not found")
	}
	// A string of the same place replaces the one there.
	var other string
	for n := 0; other == ""; n++ {
		if s := fmt.Sprintf("+1555%07d", n); recentSlot(s) == recentSlot("vote.org") {
			other = s
		}
	}
	r.put(other, 99)
	if r.find("vote.org") != 0 || r.find(other) != 99 {
		t.Errorf("after %q took the place of vote.org: %d, %d", other, r.find("vote.org"), r.find(other))
	}
}

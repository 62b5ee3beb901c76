package summary

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
)

// randomRecords returns n rows drawn from seed: junk codes among real
// ones, codes that look like the keys the maps fold into ("(other)",
// "(none)"), pipe cells, codes written apart ("7", "007", "+7"), few and
// many campaigns, SENT rows whose age waits for the end.
func randomRecords(seed uint64, n int) []*export.Record {
	r := rand.New(rand.NewPCG(seed, 1))
	odd := []string{"(other)", "(none)", "", "7", "007", "+7", " 5 |x", "30007|21610", "|21610", "0", "-0", "30007", "21610", "-133", "30003", "a\x1fb", "a b"}
	statuses := []string{export.StatusError, export.StatusError, export.StatusSent, export.StatusDelivered}
	var recs []*export.Record
	for i := 0; i < n; i++ {
		var code string
		switch x := r.IntN(10); {
		case x < 3:
			code = odd[r.IntN(len(odd))]
		case x < 6:
			code = fmt.Sprint(r.IntN(8))
		default:
			code = fmt.Sprint(1000 + r.IntN(400))
		}
		rec := outbound(statuses[r.IntN(len(statuses))], code, base.Add(time.Duration(r.IntN(600))*time.Minute))
		if r.IntN(20) == 0 {
			rec.HasTime = false
		}
		rec.CampaignID = fmt.Sprint(r.IntN(4))
		if r.IntN(3) == 0 {
			rec.CampaignID = fmt.Sprint(10 + r.IntN(200))
		}
		rec.Text = fmt.Sprintf("see https://d%d.example.org/x", r.IntN(6)+r.IntN(2)*r.IntN(100))
		rec.NumSegments = -1
		recs = append(recs, rec)
	}
	return recs
}

// cappedOpts is capped and cappedInFlight for any options: chunk 0
// reads sequentially, inFlight makes each part read half its rows before
// the part ahead of it is merged.
func cappedOpts(t *testing.T, recs []*export.Record, opts Options, chunk int, inFlight bool) string {
	t.Helper()
	opts.Registry = mustRegistry(t)
	opts.Dimensions = []Dimension{CampaignDimension(), CodeDimension(), CategoryDimension(), LinkDomainDimension(),
		Nested(CampaignDimension(), CodeDimension())}
	a := New(opts)
	an := &Analyses{Links: NewLinkCounter(), Segments: NewSegmentCounter(), PricePerSegment: 0.01, refresh: refresher{every: opts.refreshEvery}}
	an.Cap(opts.MaxKeys, a)
	if chunk == 0 {
		for _, r := range recs {
			addRow(a, an, r)
		}
		return cappedResult(t, a, an)
	}
	type part struct {
		agg  *Aggregator
		an   *Analyses
		rest []*export.Record
	}
	read := func(p *part, rows []*export.Record) {
		for _, r := range rows {
			addRow(p.agg, p.an, r)
		}
	}
	var ahead *part
	for i := 0; i < len(recs) || ahead != nil; i += chunk {
		var p *part
		if i < len(recs) {
			rows := recs[i:min(i+chunk, len(recs))]
			p = &part{agg: a.Fork(), an: an.Fork(), rest: rows}
			if inFlight {
				read(p, rows[:len(rows)/2])
				p.rest = rows[len(rows)/2:]
			}
		}
		if ahead != nil {
			a.Merge(ahead.agg)
			an.Merge(ahead.an)
		}
		if p != nil {
			read(p, p.rest)
		}
		ahead = p
	}
	return cappedResult(t, a, an)
}

func TestCapsRandomDoNotDependOnParts(t *testing.T) {
	for seed := uint64(0); seed < 6; seed++ { // 12 ran 4 s, 20 s under -race
		recs := randomRecords(seed, 300)
		for _, caps := range [][2]int{{1, 0}, {2, 0}, {3, 0}, {5, 0}, {40, 0}, {20, 3}, {50, 10}, {400, 30}} {
			opts := Options{MaxKeys: caps[0], MaxCodes: caps[1], refreshEvery: 1 + int(seed%3)}
			want := cappedOpts(t, recs, opts, 0, false)
			for _, chunk := range []int{1, 7, 40, 150} {
				for _, inFlight := range []bool{false, true} {
					if got := cappedOpts(t, recs, opts, chunk, inFlight); got != want {
						t.Errorf("seed %d, caps %v, chunks of %d, in flight %v:\n got %s\nwant %s", seed, caps, chunk, inFlight, firstDiff(got, want), firstDiff(want, got))
						return
					}
				}
			}
		}
	}
}

// firstDiff is a's text around where it first differs from b.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return "..." + a[max(0, i-300):min(len(a), i+200)]
}

// TestCapsNestedCodeKeyFoldsAsMerged: a part made once the merged
// --by campaign,code groups are full, but before the codes are, may not
// fold a group whose code the merge then folds: the sequential pass
// counts that row in (campaign, (other)), a group the merged ones hold.
func TestCapsNestedCodeKeyFoldsAsMerged(t *testing.T) {
	row := func(campaign, code string) *export.Record {
		r := outbound(export.StatusError, code, base)
		r.CampaignID = campaign
		return r
	}
	parts := [][]*export.Record{
		// The groups fill: (A, (other)) among them, the codes do not.
		{row("A", "(other)"), row("B", "1"), row("C", "1")},
		{row("B", "2"), row("B", "3")}, // the codes fill
		{row("A", "4")},                // 4 folds: (A, (other))
	}
	dims := func() []Dimension { return []Dimension{Nested(CampaignDimension(), CodeDimension())} }
	result := func(a *Aggregator) string {
		a.Finish()
		g := a.Groups(DimCampaign + "," + DimCode)
		var s []string
		for _, k := range keycapSorted(g.Tallies) {
			s = append(s, fmt.Sprintf("%q:%d", k, g.Tallies[k].Rows))
		}
		return fmt.Sprint(s, a.Warnings())
	}
	seq := New(Options{Registry: mustRegistry(t), MaxKeys: 3, Dimensions: dims()})
	for _, p := range parts {
		for _, r := range p {
			seq.Add(r)
		}
	}
	par := New(Options{Registry: mustRegistry(t), MaxKeys: 3, Dimensions: dims()})
	f1 := par.Fork()
	for _, r := range parts[0] {
		f1.Add(r)
	}
	par.Merge(f1)
	f2, f3 := par.Fork(), par.Fork() // both in flight before f2 is merged
	for _, r := range parts[1] {
		f2.Add(r)
	}
	for _, r := range parts[2] {
		f3.Add(r)
	}
	par.Merge(f2)
	par.Merge(f3)
	if got, want := result(par), result(seq); got != want {
		t.Errorf("parts merged in order:\n got %s\nwant %s", got, want)
	}
}

func keycapSorted[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// cappedInterleaved reads recs in parts of chunk rows, up to inFlight of
// them read at once in an interleaving drawn from seed (rows of a part in
// order, parts merged in order, each made when the parts before it were
// as far as the draw says), as the parallel reader's workers may; chunk
// 0 reads them sequentially.
func cappedInterleaved(t *testing.T, recs []*export.Record, opts Options, chunk, inFlight int, seed uint64) string {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 3))
	opts.Registry = mustRegistry(t)
	opts.Dimensions = []Dimension{CampaignDimension(), CodeDimension(), CategoryDimension(), LinkDomainDimension(),
		Nested(CampaignDimension(), CodeDimension()), Nested(CodeDimension(), CampaignDimension())}
	a := New(opts)
	an := &Analyses{Links: NewLinkCounter(), Segments: NewSegmentCounter(), PricePerSegment: 0.01, refresh: refresher{every: opts.refreshEvery}}
	an.Cap(opts.MaxKeys, a)
	type part struct {
		agg  *Aggregator
		an   *Analyses
		rows []*export.Record
	}
	dims := []string{DimCampaign, DimCode, DimCategory, DimLinkDomain, DimCampaign + "," + DimCode, DimCode + "," + DimCampaign}
	if chunk == 0 { // sequential
		for _, row := range recs {
			addRow(a, an, row)
		}
		return cappedResultDims(t, a, an, dims)
	}
	var parts []*part
	next := 0
	for next < len(recs) || len(parts) > 0 {
		switch x := r.IntN(3); {
		case x == 0 && next < len(recs) && len(parts) < inFlight:
			rows := recs[next:min(next+chunk, len(recs))]
			next += len(rows)
			parts = append(parts, &part{agg: a.Fork(), an: an.Fork(), rows: rows})
		case x == 1 && len(parts) > 0:
			p := parts[r.IntN(len(parts))]
			n := min(len(p.rows), 1+r.IntN(chunk))
			for _, row := range p.rows[:n] {
				addRow(p.agg, p.an, row)
			}
			p.rows = p.rows[n:]
		case x == 2 && len(parts) > 0 && len(parts[0].rows) == 0:
			a.Merge(parts[0].agg)
			an.Merge(parts[0].an)
			parts = parts[1:]
		}
	}
	return cappedResultDims(t, a, an, dims)
}

func TestCapsRandomInterleaved(t *testing.T) {
	for seed := uint64(0); seed < 20; seed++ {
		recs := randomRecords(seed, 200)
		for _, caps := range [][2]int{{2, 0}, {5, 0}, {40, 0}, {20, 3}, {50, 10}} {
			opts := Options{MaxKeys: caps[0], MaxCodes: caps[1], refreshEvery: 1 + int(seed%4)}
			want := cappedInterleaved(t, recs, opts, 0, 1, seed)
			for _, chunk := range []int{1, 5, 30} {
				if got := cappedInterleaved(t, recs, opts, chunk, 1+int(seed%5), seed); got != want {
					t.Fatalf("seed %d, caps %v, chunks of %d:\n got %s\nwant %s", seed, caps, chunk, firstDiff(got, want), firstDiff(want, got))
				}
			}
		}
	}
}

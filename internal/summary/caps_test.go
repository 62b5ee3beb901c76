package summary

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/keycap"
	"github.com/spoke-status/spoke-status/internal/registry"
)

// hostileRecords returns rows with many distinct codes, campaigns and link
// domains, values repeating now and then (codes every third row, some in
// groups and domains that fold), and SENT rows whose age waits for the end.
func hostileRecords() []*export.Record {
	var recs []*export.Record
	for i := 0; i < 60; i++ {
		status := export.StatusError
		if i%5 == 4 {
			status = export.StatusSent
		}
		code := fmt.Sprint(30000 + i%23*7 + i%3)
		recur := i%3 == 0
		if recur { // a few codes recur once the maps are full
			code = fmt.Sprint(30000 + i/3%4*7)
		}
		r := outbound(status, code, base.Add(time.Duration(i)*time.Minute))
		r.CampaignID = fmt.Sprint(100 + i*i%37)
		r.Text = fmt.Sprintf("see https://d%d.example.org/x and bit.ly/%d", i%11*i%13, i)
		switch {
		case recur && i%2 == 0: // in the first group and domain, always kept
			r.CampaignID, r.Text = "100", "see https://d0.example.org/x"
		case recur: // in groups and domains past the caps, whose codes
			// fill the group past the cap in row order however the rows
			// were split
			r.CampaignID = fmt.Sprint(137 + i%5)
			r.Text = fmt.Sprintf("see https://r%d.example.org/x", i%5)
		}
		r.NumSegments = -1
		recs = append(recs, r)
	}
	return recs
}

// capped reads recs into a capped aggregator and analyses, sequentially
// (chunk 0) or in chunks of that many rows, each counted by a fork and
// merged in order, and returns what the caps decide.
func capped(t *testing.T, recs []*export.Record, maxKeys, chunk int) string {
	t.Helper()
	a := New(Options{Registry: mustRegistry(t), MaxKeys: maxKeys,
		Dimensions: []Dimension{CampaignDimension(), CodeDimension(), LinkDomainDimension(), Nested(CampaignDimension(), CodeDimension())}})
	an := &Analyses{Links: NewLinkCounter(), Segments: NewSegmentCounter(), PricePerSegment: 0.01}
	an.Cap(maxKeys, a)
	if chunk == 0 {
		for _, r := range recs {
			addRow(a, an, r)
		}
	}
	for i := 0; chunk > 0 && i < len(recs); i += chunk {
		fa, fan := a.Fork(), an.Fork()
		for _, r := range recs[i:min(i+chunk, len(recs))] {
			addRow(fa, fan, r)
		}
		a.Merge(fa)
		an.Merge(fan)
	}
	return cappedResult(t, a, an)
}

// addRow counts r in a and an as the engine does: the analyses count the
// row as the aggregator counted it. A copy of r is counted, since AddRow
// may fold its code and the tests count one row several ways.
func addRow(a *Aggregator, an *Analyses, r *export.Record) {
	row := *r
	rule := a.AddRow(&row)
	an.AddRule(&row, rule)
}

// cappedResult finishes a and an and returns everything they report, the
// folded values' warnings included, as one string to compare.
func cappedResult(t *testing.T, a *Aggregator, an *Analyses) string {
	t.Helper()
	return cappedResultDims(t, a, an, []string{DimCampaign, DimCode, DimLinkDomain, DimCampaign + "," + DimCode})
}

// cappedResultDims is cappedResult with the groups of dims.
func cappedResultDims(t *testing.T, a *Aggregator, an *Analyses, dims []string) string {
	t.Helper()
	a.Finish()
	var b Breakdowns
	if err := a.FillGroups(&b, dims, SortKey, 0); err != nil {
		t.Fatal(err)
	}
	an.Fill(&b, a.Classifier())
	out, err := json.Marshal(struct {
		Summary    *Summary
		Breakdowns Breakdowns
		AllCodes   map[string]int64
		Warnings   []string
	}{a.Result(nil, "test"), b, a.allCodes, append(a.Warnings(), an.Warnings()...)})
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestCapsDoNotDependOnChunks(t *testing.T) {
	recs := hostileRecords()
	for _, maxKeys := range []int{1, 2, 4, 9, 1000} {
		want := capped(t, recs, maxKeys, 0)
		for _, chunk := range []int{1, 2, 7, 13, 30, 60} {
			if got := capped(t, recs, maxKeys, chunk); got != want {
				t.Errorf("max %d, chunks of %d rows:\n got %s\nwant %s", maxKeys, chunk, got, want)
			}
		}
	}
}

// cappedInFlight is capped with the parts read as the parallel reader
// reads them: each part is made, and reads the first half of its rows,
// before the part ahead of it is merged, and reads the rest after that
// merge, looking for the key sets published meanwhile every `every` rows.
func cappedInFlight(t *testing.T, recs []*export.Record, maxKeys, chunk, every int) string {
	t.Helper()
	return cappedOpts(t, recs, Options{MaxKeys: maxKeys, refreshEvery: every}, chunk, true)
}

// TestCapsDoNotDependOnPartsInFlight: a part that takes the key sets
// published while it is read (refreshFrozen) counts what a sequential
// pass does.
func TestCapsDoNotDependOnPartsInFlight(t *testing.T) {
	recs := hostileRecords()
	for _, maxKeys := range []int{1, 2, 4, 9, 1000} {
		want := capped(t, recs, maxKeys, 0)
		for _, chunk := range []int{2, 7, 13, 30, 60} {
			for _, every := range []int{1, 3} {
				if got := cappedInFlight(t, recs, maxKeys, chunk, every); got != want {
					t.Errorf("max %d, chunks of %d rows, looking every %d rows:\n got %s\nwant %s", maxKeys, chunk, every, got, want)
				}
			}
		}
	}
}

func TestCapsFoldExactly(t *testing.T) {
	var recs []*export.Record
	for i := 0; i < 10; i++ { // codes 0..9, each twice; campaigns c0..c9
		for j := 0; j < 2; j++ {
			r := outbound(export.StatusError, fmt.Sprint(i), base)
			r.CampaignID = fmt.Sprint("c", i)
			r.Text = fmt.Sprintf("https://d%d.example.org", i)
			recs = append(recs, r)
		}
	}
	a := New(Options{Registry: mustRegistry(t), MaxKeys: 3, Dimensions: []Dimension{CampaignDimension()}})
	an := &Analyses{Links: NewLinkCounter(), Segments: NewSegmentCounter()}
	an.Cap(3, a)
	for _, r := range recs {
		addRow(a, an, r)
	}
	a.Finish()
	if got, want := fmt.Sprint(a.allCodes), "map[(other):14 0:2 1:2 2:2]"; got != want {
		t.Errorf("codes %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(a.total.CodeMap()), "map[(other):14 0:2 1:2 2:2]"; got != want {
		t.Errorf("error codes %s, want %s", got, want)
	}
	g := a.Groups(DimCampaign)
	if len(g.Tallies) != 4 || g.Tallies["c0"].Rows != 2 || g.Tallies[keycap.Other].Rows != 14 {
		t.Errorf("campaign groups: %d groups, (other) %+v", len(g.Tallies), g.Tallies[keycap.Other])
	}
	if len(an.Links.domains) != 4 || an.Links.domains[keycap.Other].outbound != 14 {
		t.Errorf("link domains: %d, (other) %+v", len(an.Links.domains), an.Links.domains[keycap.Other])
	}
	if len(an.Segments.errorCodes) != 4 || an.Segments.errorCodes[keycap.Other].messages != 14 {
		t.Errorf("segment codes: %d, (other) %+v", len(an.Segments.errorCodes), an.Segments.errorCodes[keycap.Other])
	}
	want := []string{
		"more than 3 distinct error codes: 7 more counted as (other) (raise the cap with --max-keys)",
		"more than 3 distinct --by campaign groups: 7 more counted as (other) (raise the cap with --max-keys)",
		"more than 3 distinct link domains: 7 more counted as (other) (raise the cap with --max-keys)",
	}
	if got := append(a.Warnings(), an.Warnings()...); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestNestedGroupsFoldIntoOtherForEachPart(t *testing.T) {
	a := New(Options{Registry: mustRegistry(t), MaxKeys: 1, Dimensions: []Dimension{Nested(CampaignDimension(), CodeDimension())}})
	for i := 0; i < 3; i++ {
		r := outbound(export.StatusError, fmt.Sprint(i), base)
		r.CampaignID = fmt.Sprint("c", i)
		a.Add(r)
	}
	a.Finish()
	rows, err := a.GroupRows(DimCampaign+","+DimCode, SortKey, 0)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range rows {
		keys = append(keys, r.Key.String())
	}
	if got, want := strings.Join(keys, ", "), "(other) / (other), c0 / 0"; got != want {
		t.Errorf("keys %q, want %q", got, want)
	}
}

// TestSegmentsWithoutCostFoldTheSame: leaving out the segments by code
// (no price) changes neither the segments nor the warning about codes,
// read sequentially or in parts, however many codes are kept.
func TestSegmentsWithoutCostFoldTheSame(t *testing.T) {
	recs := hostileRecords()
	run := func(maxKeys, chunk int, noCost bool) string {
		a := New(Options{Registry: mustRegistry(t), MaxKeys: maxKeys, Dimensions: []Dimension{CodeDimension()}})
		an := &Analyses{Segments: NewSegmentCounter()}
		if noCost {
			an.Segments.WithoutCost()
		}
		an.Cap(maxKeys, a)
		for i := 0; i < len(recs); i += chunk {
			fa, fan := a.Fork(), an.Fork()
			for _, r := range recs[i:min(i+chunk, len(recs))] {
				addRow(fa, fan, r)
			}
			a.Merge(fa)
			an.Merge(fan)
		}
		a.Finish()
		var b Breakdowns
		an.Fill(&b, a.Classifier())
		out, err := json.Marshal(struct {
			Segments *Segments
			Warnings []string
		}{b.Segments, append(a.Warnings(), an.Warnings()...)})
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	for _, maxKeys := range []int{1, 4, 9, 1000} {
		for _, chunk := range []int{1, 7, 60} {
			want := run(maxKeys, chunk, false)
			if !strings.Contains(want, "error codes") && maxKeys < 9 {
				t.Fatalf("max %d: no code folded: %s", maxKeys, want)
			}
			if got := run(maxKeys, chunk, true); got != want {
				t.Errorf("max %d, chunks of %d rows: without cost\n%s\nwant\n%s", maxKeys, chunk, got, want)
			}
		}
	}
	c := NewSegmentCounter().WithoutCost()
	defer func() {
		if recover() == nil {
			t.Error("a cost from a counter without codes did not panic")
		}
	}()
	c.Result(nil, 0.01)
}

// TestLinkCodesDoNotDependOnChunks: a link counter without an aggregator
// caps its domains alone and counts their codes as they are: the domain
// past the cap holds every code of its rows, however the rows were split.
func TestLinkCodesDoNotDependOnChunks(t *testing.T) {
	recs := hostileRecords()
	run := func(maxKeys, chunk int) string {
		an := &Analyses{Links: NewLinkCounter().Capped(maxKeys, nil)}
		if chunk == 0 {
			for _, r := range recs {
				an.Add(r)
			}
		}
		for i := 0; chunk > 0 && i < len(recs); i += chunk {
			part := an.Fork()
			for _, r := range recs[i:min(i+chunk, len(recs))] {
				part.Add(r)
			}
			an.Merge(part)
		}
		return fmt.Sprint(an.Links.domains[keycap.Other].asMap(), " ", an.Warnings())
	}
	for _, maxKeys := range []int{1, 2, 4, 9} {
		want := run(maxKeys, 0)
		if !strings.Contains(want, "link domains") {
			t.Fatalf("max %d: no domain folded: %s", maxKeys, want)
		}
		for _, chunk := range []int{1, 2, 7, 13, 30, 60} {
			if got := run(maxKeys, chunk); got != want {
				t.Errorf("max %d, chunks of %d rows: %s, want %s", maxKeys, chunk, got, want)
			}
		}
	}
}

// TestCodeCapDefaults checks which cap each kind of map gets: error codes
// stop at keycap.DefaultMaxCodes unless MaxCodes says otherwise, a smaller
// MaxKeys caps them too, the other groups keep MaxKeys, and the groups of
// --by code and --by category (counted by code) have no cap of their
// own: their keys are the codes admitted.
func TestCodeCapDefaults(t *testing.T) {
	dims := []Dimension{CampaignDimension(), CodeDimension(), CategoryDimension()}
	tests := []struct {
		name             string
		opts             Options
		codes, campaigns int
	}{
		{"defaults", Options{}, keycap.DefaultMaxCodes, keycap.DefaultMax},
		{"max keys above the code default", Options{MaxKeys: 200_000}, keycap.DefaultMaxCodes, 200_000},
		{"max keys below it", Options{MaxKeys: 5}, 5, 5},
		{"max codes given", Options{MaxKeys: 5, MaxCodes: 300_000}, 300_000, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			opts.Registry, opts.Dimensions = mustRegistry(t), dims
			a := New(opts)
			if got := a.codeLimit.Max; got != tc.codes {
				t.Errorf("error codes cap %d, want %d", got, tc.codes)
			}
			if got := a.Groups(DimCampaign).limit.Max; got != tc.campaigns {
				t.Errorf("--by campaign cap %d, want %d", got, tc.campaigns)
			}
			for _, name := range []string{DimCode, DimCategory} {
				if l := a.Groups(name).limit; l != nil {
					t.Errorf("--by %s capped at %d, want no cap of its own", name, l.Max)
				}
			}
		})
	}
}

// TestCodeCapFoldsPastDefault counts one code more than the default cap
// of error codes: it is folded, with the one warning, while as many
// campaigns are all kept.
func TestCodeCapFoldsPastDefault(t *testing.T) {
	a := New(Options{Registry: mustRegistry(t), Dimensions: []Dimension{CampaignDimension()}})
	for i := range keycap.DefaultMaxCodes + 1 {
		r := outbound(export.StatusError, fmt.Sprint(1_000_000+i), base)
		r.CampaignID = fmt.Sprint(i)
		a.Add(r)
	}
	a.Finish()
	s := a.Result(nil, "test")
	if n := len(s.ErrorCodes); n != keycap.DefaultMaxCodes+1 { // the kept and (other)
		t.Errorf("%d error code entries, want %d", n, keycap.DefaultMaxCodes+1)
	}
	if got := a.Groups(DimCampaign).Tallies; len(got) != keycap.DefaultMaxCodes+1 {
		t.Errorf("%d campaign groups, want every one (%d)", len(got), keycap.DefaultMaxCodes+1)
	}
	want := []string{fmt.Sprintf("more than %d distinct error codes: 1 more counted as (other) (raise the cap with --max-keys)", keycap.DefaultMaxCodes)}
	if got := a.Warnings(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings %q, want %q", got, want)
	}
}

// TestKnownCodesPastTheCap: an export whose first rows carry more junk
// codes than the cap, and then real ones (an opt-out rejection, 21610;
// rows without a code), still counts the real ones one by one, read
// sequentially or in parts: the opt-out rejections, the categories and
// the groups of --by code and --by category keep them, and only the junk
// is folded. With a cap of 100,000, as before the cap of codes was
// lowered, 10,000 junk codes first had not been enough to show it.
func TestKnownCodesPastTheCap(t *testing.T) {
	const junk = 300
	var recs []*export.Record
	for i := range junk {
		recs = append(recs, outbound(export.StatusError, fmt.Sprint(100000+i), base))
	}
	for range 50 {
		recs = append(recs, outbound(export.StatusError, "21610", base), outbound(export.StatusError, "", base),
			outbound(export.StatusError, "0", base))
	}
	for _, chunk := range []int{0, 7, 64} {
		t.Run(fmt.Sprint("chunk ", chunk), func(t *testing.T) {
			a := New(Options{Registry: mustRegistry(t), MaxKeys: 100, Dimensions: []Dimension{CodeDimension(), CategoryDimension()}})
			for i := 0; i < len(recs); i += max(chunk, len(recs)) {
				into := a
				if chunk > 0 {
					into = a.Fork()
				}
				for _, r := range recs[i:min(i+max(chunk, len(recs)), len(recs))] {
					into.Add(r)
				}
				if into != a {
					a.Merge(into)
				}
			}
			a.Finish()
			s := a.Result(nil, "test")
			if s.Outbound.OptOutRejections != 50 {
				t.Errorf("opt-out rejections %d, want 50", s.Outbound.OptOutRejections)
			}
			cats := map[registry.Category]int64{}
			for _, c := range s.Categories {
				cats[c.Category] = c.Count
			}
			if cats[registry.OptedOut] != 50 || cats[registry.NoCode] != 50 || cats[registry.UnknownCategory] != junk+50 {
				t.Errorf("categories %v, want 50 opted out, 50 without a code, %d unknown", cats, junk+50)
			}
			if n := a.Total().Code("0"); n != 50 {
				t.Errorf("code 0 (a failed report without a code) counted %d, want 50", n)
			}
			for _, dim := range []string{DimCode, DimCategory} {
				g := a.Groups(dim)
				if g.Tallies["21610"] == nil || g.Tallies[NoneKey] == nil && g.Tallies[""] == nil {
					t.Errorf("--by %s lost a known code's group past the cap", dim)
				}
			}
			want := "more than 100 distinct error codes: 200 more counted as (other) (raise the cap with --max-keys)"
			if w := a.Warnings(); len(w) == 0 || w[0] != want {
				t.Errorf("warnings %q, want first %q", w, want)
			}
		})
	}
}

// TestCodesFilling: the merged codes look like a broken export's filling
// the cap only with hundreds of codes, a new one on at least every other
// row, and the cap not reached.
func TestCodesFilling(t *testing.T) {
	tests := []struct {
		name           string
		maxKeys        int
		rows, distinct int
		want           bool
	}{
		{"a code of its own on every row", 0, 300, 300, true},
		{"every other row", 0, 600, 301, true},
		{"fewer new codes", 0, 600, 299, false},
		{"a real export's few codes", 0, 5000, 25, false},
		{"too few codes to tell", 0, 200, 200, false},
		{"the cap reached", 280, 300, 300, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := New(Options{Registry: mustRegistry(t), MaxKeys: tc.maxKeys, MaxCodes: tc.maxKeys})
			f := a.Fork()
			for i := range tc.rows {
				f.Add(outbound(export.StatusError, fmt.Sprint(500000+i%tc.distinct), base))
			}
			if a.CodesFilling() {
				t.Error("filling before any merge")
			}
			a.Merge(f)
			if got := a.CodesFilling(); got != tc.want {
				t.Errorf("CodesFilling() = %v after %d rows of %d codes, want %v", got, tc.rows, tc.distinct, tc.want)
			}
		})
	}
}

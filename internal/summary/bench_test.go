package summary

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/cputime"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/synth"
)

// benchRecords decodes a realistic rewired export once, so the benchmarks
// below time aggregation alone.
func benchRecords(b *testing.B, n int) []export.Record {
	b.Helper()
	var buf bytes.Buffer
	if _, err := synth.Write(&buf, synth.Options{Rows: n, Seed: 7, Dialect: synth.DialectRewired}); err != nil {
		b.Fatal(err)
	}
	recs := make([]export.Record, 0, n)
	_, err := export.Scan([]string{export.StdinPath}, export.Options{Stdin: &buf}, func(r *export.Record) error {
		recs = append(recs, *r)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return recs
}

// BenchmarkAggregate measures the per-row cost of summarize's aggregation,
// core counters alone and with each analysis switched on (with its
// results), so the cost of every feature on the hot path is known.
func BenchmarkAggregate(b *testing.B) {
	recs := benchRecords(b, 50_000)
	reg, err := registry.Load()
	if err != nil {
		b.Fatal(err)
	}
	variants := []struct {
		name     string
		analyses func() *Analyses
		dims     []Dimension
	}{
		{"core", nil, nil},
		{"links", func() *Analyses { return &Analyses{Links: NewLinkCounter()} }, nil},
		{"replies", func() *Analyses { return &Analyses{Replies: NewReplyCounter()} }, nil},
		{"segments", func() *Analyses { return &Analyses{Segments: NewSegmentCounter()} }, nil},
		{"signals", func() *Analyses { return &Analyses{Signals: NewSignalCounter(nil)} }, nil},
		{"all", func() *Analyses {
			return &Analyses{Links: NewLinkCounter(), Replies: NewReplyCounter(), Segments: NewSegmentCounter()}
		}, nil},
		{"by-campaign", nil, []Dimension{CampaignDimension()}},
	}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := cputime.Used()
			for b.Loop() {
				a := New(Options{Registry: reg, Dimensions: v.dims})
				var an *Analyses
				if v.analyses != nil {
					an = v.analyses()
				}
				for i := range recs {
					a.Add(&recs[i])
					if an != nil {
						an.Add(&recs[i])
					}
				}
				a.Finish()
				if an != nil {
					// The results too: the signals do most of their work
					// there (one observation per contact, the tests).
					an.Fill(&Breakdowns{}, a.Classifier())
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/row")
			b.ReportMetric(float64(cputime.Used()-cpu)/float64(b.N*len(recs)), "cpu-ns/row")
		})
	}
}

// BenchmarkClassify measures resolving a primary code against the registry,
// done once per distinct code when results are built, not per row.
func BenchmarkClassify(b *testing.B) {
	reg, err := registry.Load()
	if err != nil {
		b.Fatal(err)
	}
	cls := classify.New(reg, registry.Telnyx)
	codes := []string{"40002", "21610", "4775", "30007", "77777", "", "-133"}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range codes {
			_ = cls.Entry(c)
		}
	}
}

// BenchmarkRepliesForked measures reply tracking as a parallel read does
// it: a fork per chunk of 4,000 rows, finished (FinishPart) and merged
// into the result in order.
func BenchmarkRepliesForked(b *testing.B) {
	recs := benchRecords(b, 200_000)
	b.ReportAllocs()
	cpu := cputime.Used()
	for b.Loop() {
		into := &Analyses{Replies: NewReplyCounter()}
		for lo := 0; lo < len(recs); lo += 4000 {
			part := into.Fork()
			for i := lo; i < min(lo+4000, len(recs)); i++ {
				part.Add(&recs[i])
			}
			part.FinishPart() // as on a worker
			into.Merge(part)
		}
		_ = into.Replies.Result()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/row")
	b.ReportMetric(float64(cputime.Used()-cpu)/float64(b.N*len(recs)), "cpu-ns/row")
}

// BenchmarkRepliesBytesPerContact reports the live heap per contact of
// reply tracking fed by parts of 3,000 contacts (about a 1 MiB chunk of an
// export), each contact's rows together, once Result has merged them, and
// the CPU time per contact of the adds, the parts' sorts (finishPart),
// merges and Result.
func BenchmarkRepliesBytesPerContact(b *testing.B) {
	const contacts, perPart = 1_000_000, 3_000
	numbers := make([]string, contacts)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("+1555%07d", i)
	}
	text := export.Record{Status: export.StatusDelivered}
	reply := export.Record{Inbound: true, Text: "ok"}
	var perContact float64
	var merging time.Duration // in Merge: on the one goroutine that merges
	cpu := cputime.Used()
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		into := NewReplyCounter()
		for start := 0; start < contacts; start += perPart {
			part := into.Fork()
			for i := start; i < min(start+perPart, contacts); i++ {
				text.ContactNumber = numbers[i]
				part.Add(&text)
				if i%3 == 0 {
					reply.ContactNumber = numbers[i]
					part.Add(&reply)
				}
			}
			part.finishPart() // as on a worker
			t0 := time.Now()
			into.Merge(part)
			merging += time.Since(t0)
		}
		if r := into.Result(); r.ContactsMessaged != contacts {
			b.Fatalf("%d contacts messaged, want %d", r.ContactsMessaged, contacts)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perContact = float64(after.HeapAlloc-before.HeapAlloc) / contacts
		runtime.KeepAlive(into)
	}
	b.ReportMetric(perContact, "bytes/contact")
	b.ReportMetric(float64(cputime.Used()-cpu)/float64(b.N)/contacts, "cpu-ns/contact")
	b.ReportMetric(float64(merging.Nanoseconds())/float64(b.N)/contacts, "merge-ns/contact")
}

// BenchmarkForkedHostile measures what a parallel read of a broken export
// costs the aggregator and the analyses of codes: 300,000 rows, each of a
// code and campaign of its own, --by code, in parts of 10,000 rows (a
// 1 MiB chunk) made two ahead of the merge, as on two cores, the merges
// in input order. The rows past the first 10,000 codes (the default cap
// of error codes) fold into (other), in --by code too.
// BenchmarkForkedNormal is the same pipeline on as many rows of 20 codes
// and 50 campaigns, for the cost a broken export adds.
func BenchmarkForkedHostile(b *testing.B) {
	benchmarkForked(b, func(i int) (code, campaign string) {
		return fmt.Sprint(100000 + i), fmt.Sprint("camp", i)
	}, 1)
}

func BenchmarkForkedNormal(b *testing.B) {
	benchmarkForked(b, func(i int) (code, campaign string) {
		return fmt.Sprint(30000 + i%20), fmt.Sprint("camp", i%50)
	}, 0)
}

// benchmarkForked reads 300,000 ERROR rows of the codes and campaigns
// valuesOf gives, as BenchmarkForkedHostile says, and checks that the
// aggregator warns about folded values warnings times.
func benchmarkForked(b *testing.B, valuesOf func(i int) (code, campaign string), warnings int) {
	const rows, perPart, ahead = 300_000, 10_000, 2
	recs := make([]export.Record, rows)
	for i := range recs {
		code, campaign := valuesOf(i)
		recs[i] = export.Record{Status: export.StatusError, Codes: code, PrimaryCode: code,
			CampaignID: campaign, Text: fmt.Sprintf("hello https://x%d.example.org/a", i%50), NumSegments: 1}
	}
	reg, err := registry.Load()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := cputime.Used()
	for b.Loop() {
		a := New(Options{Registry: reg, Dimensions: []Dimension{CodeDimension()}})
		// As the engine makes them without --price-per-segment.
		an := &Analyses{Links: NewLinkCounter(), Segments: NewSegmentCounter().WithoutCost()}
		an.Cap(0, a)
		type part struct {
			agg *Aggregator
			an  *Analyses
		}
		var inFlight []part
		for lo := 0; lo < rows || len(inFlight) > 0; lo += perPart {
			if lo < rows {
				fa := a.Fork()
				p := part{fa, an.Fork()}
				for i := lo; i < min(lo+perPart, rows); i++ {
					addRow(p.agg, p.an, &recs[i])
				}
				inFlight = append(inFlight, p)
			}
			if len(inFlight) > ahead || lo >= rows {
				a.Merge(inFlight[0].agg)
				an.Merge(inFlight[0].an)
				inFlight = inFlight[1:]
			}
		}
		a.Finish()
		if w := a.Warnings(); len(w) != warnings {
			b.Fatalf("warnings %q, want %d", w, warnings)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
	b.ReportMetric(float64(cputime.Used()-cpu)/float64(b.N*rows), "cpu-ns/row")
}

// BenchmarkGroupRows builds and sorts the rows of a broken export's
// 100,000 groups of --by code, one code each.
func BenchmarkGroupRows(b *testing.B) {
	reg, err := registry.Load()
	if err != nil {
		b.Fatal(err)
	}
	a := New(Options{Registry: reg, Dimensions: []Dimension{CodeDimension()}, MaxCodes: 100_000})
	for i := range 100_000 {
		code := fmt.Sprint(100000 + i)
		a.Add(&export.Record{Status: export.StatusError, Codes: code, PrimaryCode: code})
	}
	a.Finish()
	b.ReportAllocs()
	for b.Loop() {
		if rows, err := a.GroupRows(DimCode, SortDefault, 0); err != nil || len(rows) != 100_000 {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
}

// brokenExport returns a finished aggregator of n rows of a broken
// export by campaign: every row a campaign and an error code of its own.
func brokenExport(b *testing.B, n int) *Aggregator {
	reg, err := registry.Load()
	if err != nil {
		b.Fatal(err)
	}
	a := New(Options{Registry: reg, Dimensions: []Dimension{CampaignDimension()}, MaxKeys: n, MaxCodes: n})
	for i := range n {
		code := fmt.Sprint(100000 + i)
		a.Add(&export.Record{Status: export.StatusError, Codes: code, PrimaryCode: code, CampaignID: fmt.Sprint("camp", i)})
	}
	a.Finish()
	return a
}

// BenchmarkGroupRowsCampaign builds and sorts the rows of a broken
// export's 100,000 groups by campaign: text keys sharing a prefix.
func BenchmarkGroupRowsCampaign(b *testing.B) {
	a := brokenExport(b, 100_000)
	b.ReportAllocs()
	for b.Loop() {
		if rows, err := a.GroupRows(DimCampaign, SortDefault, 0); err != nil || len(rows) != 100_000 {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
}

// BenchmarkCodeCounts lists, classified and sorted, the 100,000 error
// codes of a broken export.
func BenchmarkCodeCounts(b *testing.B) {
	a := brokenExport(b, 100_000)
	cls := a.Classifier()
	b.ReportAllocs()
	for b.Loop() {
		if codes := CodeCounts(a.total, cls); len(codes) != 100_000 {
			b.Fatalf("%d codes", len(codes))
		}
	}
}

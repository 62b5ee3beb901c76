package summary

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
)

// SchemaVersion is the version of the JSON contract in docs/json.md. Fields
// may be added within a version; none is renamed or removed.
const SchemaVersion = 1

// Summary is the result of summarize, and its JSON contract.
type Summary struct {
	SchemaVersion     int               `json:"schema_version"`
	GeneratedBy       string            `json:"generated_by"`
	Inputs            []*export.Source  `json:"inputs"`
	Provider          registry.Provider `json:"provider"`
	AsOf              *string           `json:"as_of"`
	StuckAfterSeconds float64           `json:"stuck_after_seconds"`
	Totals            Totals            `json:"totals"`
	Outbound          Outbound          `json:"outbound"`
	ErrorCodes        []CodeCount       `json:"error_codes"`
	Categories        []CategoryCount   `json:"categories"`
	Inbound           Inbound           `json:"inbound"`

	// StuckDefinition names the time a SENT text's age is measured from
	// (StuckByAttemptedAt, or StuckBySentAt with --db).
	StuckDefinition string `json:"stuck_definition"`
	// DeliveryLatency is set only when the inputs carry send times (--db).
	DeliveryLatency *DeliveryLatency `json:"delivery_latency,omitempty"`

	// Breakdowns are filled by summarize on request (breakdown.go).
	Breakdowns
}

// Totals counts data rows.
type Totals struct {
	Rows        int64 `json:"rows"`
	Outbound    int64 `json:"outbound"`
	Inbound     int64 `json:"inbound"`
	SkippedRows int64 `json:"skipped_rows"`
}

// Outbound describes what happened to the texts sent.
type Outbound struct {
	ByStatus            map[string]int64 `json:"by_status"`
	Delivered           int64            `json:"delivered"`
	Errored             int64            `json:"errored"`
	SentPending         int64            `json:"sent_pending"`
	SentStuck           int64            `json:"sent_stuck"`
	SentAgeUnknown      int64            `json:"sent_age_unknown"`
	DeliveryRate        float64          `json:"delivery_rate"`
	ErrorRate           float64          `json:"error_rate"`
	StuckSentRate       float64          `json:"stuck_sent_rate"`
	OptOutRejections    int64            `json:"opt_out_rejections"`
	OptOutRejectionRate float64          `json:"opt_out_rejection_rate"`
}

// CodeCount is one primary error code among the outbound ERROR rows.
type CodeCount struct {
	registry.Entry
	Count         int64   `json:"count"`
	ShareOfErrors float64 `json:"share_of_errors"`
}

// CategoryCount is one error category among the outbound ERROR rows.
type CategoryCount struct {
	Category      registry.Category `json:"category"`
	Count         int64             `json:"count"`
	ShareOfErrors float64           `json:"share_of_errors"`
}

// Inbound describes the contacts' replies.
type Inbound struct {
	Replies       int64            `json:"replies"`
	OptOutReplies int64            `json:"opt_out_replies"`
	OptOutRules   OptOutRuleCounts `json:"opt_out_rules"`
}

// Finish decides the stuck SENT rows still waiting, against the as-of
// time now known (AsOf). It must be called once, after the last Add and
// before Result; engine.Run does so.
func (a *Aggregator) Finish() {
	if asOf, ok := a.ages.resolvedAsOf(); ok {
		a.ages.finish(asOf)
	}
	// Every row is in: the provider is settled. Inferring it reads every
	// code kept (100,000 on a broken export), and each list of the result
	// asks for the classifier.
	a.cls = a.Classifier()
}

// Provider is the provider codes are classified for: the one given in the
// options, else the one the input's codes point to.
func (a *Aggregator) Provider() registry.Provider {
	if a.opts.Provider != "" {
		return a.opts.Provider
	}
	return classify.ResolveProvider(a.allCodes)
}

// Classifier returns the classifier for the resolved provider.
func (a *Aggregator) Classifier() *classify.Classifier {
	if a.cls != nil {
		return a.cls
	}
	return classify.New(a.opts.Registry, a.Provider())
}

// AsOf returns the reference time for stuck SENT rows, if there is one.
func (a *Aggregator) AsOf() (time.Time, bool) {
	ns, ok := a.ages.resolvedAsOf()
	if !ok {
		return time.Time{}, false
	}
	return time.Unix(0, ns).UTC(), true
}

// Result builds the Summary. Call Finish first.
func (a *Aggregator) Result(sources []*export.Source, generatedBy string) *Summary {
	cls := a.Classifier()
	s := &Summary{
		SchemaVersion:     SchemaVersion,
		GeneratedBy:       generatedBy,
		Inputs:            sources,
		Provider:          cls.Provider(),
		StuckAfterSeconds: a.opts.Stuck.After.Seconds(),
		StuckDefinition:   StuckDefinitionOf(sources),
		DeliveryLatency:   a.deliveryLatency(sources),
		Totals:            Totals{Rows: a.total.Rows, Outbound: a.total.Outbound, Inbound: a.total.Inbound},
		Outbound:          OutboundOf(a.total, cls),
		ErrorCodes:        CodeCounts(a.total, cls),
		Inbound:           Inbound{Replies: a.total.Inbound, OptOutReplies: a.total.OptOutReplies, OptOutRules: a.total.OptOutRules},
	}
	if s.Inputs == nil {
		s.Inputs = []*export.Source{}
	}
	for _, src := range sources {
		s.Totals.SkippedRows += src.SkippedRows
	}
	s.Categories = CategoryCounts(s.ErrorCodes)
	if t, ok := a.AsOf(); ok {
		f := FormatTime(t)
		s.AsOf = &f
	}
	return s
}

// FormatTime writes a time as the contract does: RFC 3339 in UTC with
// milliseconds.
func FormatTime(t time.Time) string {
	return t.UTC().Format(timeLayout)
}

// AppendTime appends FormatTime(t) to b. Years 0 to 9999 are written
// digit by digit: time's layout interpreter was a tenth of the CPU time of
// contacts --list all, a timestamp per contact.
func AppendTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, timeLayout)
	}
	hour, minute, sec := t.Clock()
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	b = append(b, '.')
	b = appendDigits(b, t.Nanosecond()/1e6, 3) // truncated, as Format does
	return append(b, 'Z')
}

// appendDigits appends n, 0 <= n < 10^width, zero-padded to width digits.
func appendDigits(b []byte, n, width int) []byte {
	var d [4]byte
	for i := width - 1; i >= 0; i-- {
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, d[:width]...)
}

// timeLayout is RFC 3339 in UTC with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// OutboundOf computes the outbound figures of a tally.
func OutboundOf(t *Tally, cls *classify.Classifier) Outbound {
	o := outboundFigures(t, cls)
	o.ByStatus = t.ByStatus()
	return o
}

// outboundFigures computes the outbound figures of a tally but ByStatus, a
// map a group row has no use for.
func outboundFigures(t *Tally, cls *classify.Classifier) Outbound {
	o := Outbound{
		Delivered:      t.Delivered(),
		Errored:        t.Errored(),
		SentPending:    t.SentPending,
		SentStuck:      t.SentStuck,
		SentAgeUnknown: t.SentAgeUnknown,
	}
	o.OptOutRejections = OptOutRejections(t, cls)
	o.DeliveryRate = Rate(o.Delivered, t.Outbound)
	o.ErrorRate = Rate(o.Errored, t.Outbound)
	o.StuckSentRate = Rate(o.SentStuck, t.Outbound)
	o.OptOutRejectionRate = Rate(o.OptOutRejections, t.Outbound)
	return o
}

// OptOutRejections counts outbound ERROR rows whose primary code means the
// recipient had opted out (Twilio 21610, Telnyx 40300, Bandwidth 4775).
func OptOutRejections(t *Tally, cls *classify.Classifier) int64 {
	var n int64
	codes := cls.OptedOutCodes()
	if t.NumCodes() > len(codes) {
		// A tally's codes are normalized (Record.PrimaryCode), as are
		// these: the same sum without classifying every code.
		for _, code := range codes {
			n += t.Code(code)
		}
		return n
	}
	// Entry(code) depends on NormalizeCode(code) alone, and the codes it
	// calls opted out are these: the same test without a lookup.
	for code, c := range t.Codes() {
		if code != "" && slices.Contains(codes, registry.NormalizeCode(code)) {
			n += c
		}
	}
	return n
}

// Rate is part/whole as a fraction rounded to 4 decimals; 0 when whole is 0.
func Rate(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return Round4(float64(part) / float64(whole))
}

// Round4 rounds to 4 decimal places, the precision of the JSON contract.
func Round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// CodeCounts lists the primary codes of the ERROR rows, classified, sorted
// by count (descending) then code.
//
// A broken export has 100,000 codes: they are sorted as compact keys
// without pointers, and the CodeCounts (176 bytes each) built once, in
// order. An entry's Code is NormalizeCode of the code it classifies (the
// registry is keyed by normalized codes), so the keys sort by that: by
// its head (textHead), and by the text itself, read where it lies, only
// when heads tie and one runs past 16 bytes.
func CodeCounts(t *Tally, cls *classify.Classifier) []CodeCount {
	type codeKey struct {
		n    uint64 // the count, in reverse order (descending)
		head [2]uint64
		len  uint32 // of the normalized code, up to 17
		i    int32  // in codes and counts
	}
	num := t.NumCodes()
	codes, counts := make([]string, 0, num), make([]int64, 0, num)
	keys := make([]codeKey, 0, num)
	for code, n := range t.Codes() {
		norm := registry.NormalizeCode(code)
		keys = append(keys, codeKey{descending(n), textHead(norm), uint32(min(len(norm), 17)), int32(len(codes))})
		codes, counts = append(codes, code), append(counts, n)
	}
	slices.SortFunc(keys, func(a, b codeKey) int {
		switch {
		case a.n != b.n:
			return cmp.Compare(a.n, b.n)
		case a.head != b.head:
			return compareHeads(a.head, b.head)
		case a.len <= 16 && b.len <= 16:
			return cmp.Compare(a.len, b.len)
		}
		return strings.Compare(registry.NormalizeCode(codes[a.i]), registry.NormalizeCode(codes[b.i]))
	})
	errored := t.Errored()
	out := make([]CodeCount, len(keys))
	for i, k := range keys {
		n := counts[k.i]
		out[i] = CodeCount{Entry: cls.Entry(codes[k.i]), Count: n, ShareOfErrors: Rate(n, errored)}
	}
	return out
}

// CategoryCounts groups classified codes by category, sorted by count
// (descending) then category name.
func CategoryCounts(codes []CodeCount) []CategoryCount {
	var errored int64
	byCat := map[registry.Category]int64{}
	for _, c := range codes {
		byCat[c.Category] += c.Count
		errored += c.Count
	}
	out := make([]CategoryCount, 0, len(byCat))
	for cat, n := range byCat {
		out = append(out, CategoryCount{Category: cat, Count: n, ShareOfErrors: Rate(n, errored)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Category < out[j].Category
	})
	return out
}

// OtherStatuses lists the outbound statuses besides DELIVERED, ERROR and
// SENT (QUEUED, SENDING and any unknown one), which views show on their own
// lines, sorted by name.
func OtherStatuses(byStatus map[string]int64) []string {
	var out []string
	for st := range byStatus {
		switch st {
		case export.StatusDelivered, export.StatusError, export.StatusSent:
			continue
		}
		out = append(out, st)
	}
	sort.Strings(out)
	return out
}

// SplitTop returns the first n items, to be listed, and the rest, to be
// folded into one "other" line; n <= 0 lists them all.
func SplitTop[T any](items []T, n int) (shown, rest []T) {
	if n <= 0 || len(items) <= n {
		return items, nil
	}
	return items[:n], items[n:]
}

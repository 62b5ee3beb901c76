// Package summary aggregates classified export rows into the deliverability
// figures spoke-status reports: one pass, flat memory, mergeable so that
// several readers can aggregate parts of an input in parallel.
package summary

import (
	"iter"
	"maps"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
)

// Tally holds the counters of one scope: the whole input, or one group of a
// breakdown. Error codes are counted raw and classified only when results
// are built, because the provider that resolves shared codes is known only
// once every row has been read.
type Tally struct {
	Rows     int64
	Outbound int64
	Inbound  int64

	// statuses counts outbound rows by known send status (statusIndex),
	// otherStatuses (nil until one is seen) the rest. A broken export can
	// make 100,000 groups of a few rows each: two maps per group would cost
	// more than the group's counters.
	statuses      [len(knownStatuses)]int64
	otherStatuses map[string]int64
	// The outbound ERROR rows by primary code ("" = no code), read with
	// Codes, Code, NumCodes or CodeMap; a tally of one code (each group
	// of --by code) keeps it without a map. The codes are those the
	// aggregator admits (Aggregator.AddRow): no cap of their own.
	codeCounts

	SentStuck      int64
	SentPending    int64
	SentAgeUnknown int64

	OptOutReplies int64
	OptOutRules   OptOutRuleCounts
}

// OptOutRuleCounts counts opt-out replies by the rule that decided each
// (classify.OptOutRuleOf); the three add up to the opt-out replies.
type OptOutRuleCounts struct {
	SpokeMarker    int64 `json:"spoke_marker"`
	SpokeTrigger   int64 `json:"spoke_trigger"`
	CarrierKeyword int64 `json:"carrier_keyword"`
}

func (c *OptOutRuleCounts) add(rule classify.OptOutRule) {
	switch rule {
	case classify.SpokeMarker:
		c.SpokeMarker++
	case classify.SpokeTrigger:
		c.SpokeTrigger++
	case classify.CarrierKeyword:
		c.CarrierKeyword++
	}
}

func (c *OptOutRuleCounts) merge(o OptOutRuleCounts) {
	c.SpokeMarker += o.SpokeMarker
	c.SpokeTrigger += o.SpokeTrigger
	c.CarrierKeyword += o.CarrierKeyword
}

// knownStatuses are the send statuses counted without a map, in the
// order of statusIndex.
var knownStatuses = [...]string{
	export.StatusDelivered, export.StatusError, export.StatusSent, export.StatusQueued,
	export.StatusSending, export.StatusPaused, export.StatusNotAttempted,
}

// statusIndex returns the index of a known status in knownStatuses, or -1.
func statusIndex(status string) int {
	switch status {
	case export.StatusDelivered:
		return 0
	case export.StatusError:
		return 1
	case export.StatusSent:
		return 2
	case export.StatusQueued:
		return 3
	case export.StatusSending:
		return 4
	case export.StatusPaused:
		return 5
	case export.StatusNotAttempted:
		return 6
	}
	return -1
}

// NewTally returns an empty Tally.
func NewTally() *Tally {
	return &Tally{}
}

// addStatus counts n outbound rows of status.
func (t *Tally) addStatus(status string, n int64) {
	if i := statusIndex(status); i >= 0 {
		t.statuses[i] += n
		return
	}
	if t.otherStatuses == nil {
		t.otherStatuses = map[string]int64{}
	}
	t.otherStatuses[status] += n
}

// Status returns the number of outbound rows of status.
func (t *Tally) Status(status string) int64 {
	if i := statusIndex(status); i >= 0 {
		return t.statuses[i]
	}
	return t.otherStatuses[status]
}

// ByStatus returns a new map of the outbound rows by send status, with the
// statuses seen only.
func (t *Tally) ByStatus() map[string]int64 {
	m := make(map[string]int64, len(knownStatuses)+len(t.otherStatuses))
	for i, n := range t.statuses {
		if n != 0 {
			m[knownStatuses[i]] = n
		}
	}
	for k, n := range t.otherStatuses {
		m[k] = n
	}
	return m
}

// add counts one row, except the age of SENT rows, which the caller decides
// (it may not be known until every row is read); rule is the row's
// optOutRule, worked out once for every tally of the row.
func (t *Tally) add(rec *export.Record, rule classify.OptOutRule) {
	t.Rows++
	if rec.Inbound {
		t.Inbound++
		if rule != classify.NotOptOut {
			t.OptOutReplies++
			t.OptOutRules.add(rule)
		}
		return
	}
	t.Outbound++
	switch rec.Status {
	case export.StatusDelivered:
		t.statuses[0]++
	case export.StatusError:
		t.statuses[1]++
		t.countCode(rec.PrimaryCode, 1)
	default:
		t.addStatus(rec.Status, 1)
	}
}

// optOutRule is classify.OptOutRuleOf of an inbound row, NotOptOut for an
// outbound one. A row's rule is worked out once, by Aggregator.AddRow, for
// its tallies and the reply analysis (Analyses.AddRule): it reads the text
// of every inbound row.
func optOutRule(rec *export.Record) classify.OptOutRule {
	if !rec.Inbound {
		return classify.NotOptOut
	}
	return classify.OptOutRuleOf(rec.Text, rec.PrimaryCode, rec.Rewired())
}

// countCode adds n ERROR rows of code.
func (t *Tally) countCode(code string, n int64) { t.codeCounts.add(code, n) }

// Codes yields each primary code of the outbound ERROR rows and its count,
// in no particular order.
func (t *Tally) Codes() iter.Seq2[string, int64] { return t.codeCounts.all() }

// Code returns the number of outbound ERROR rows of primary code.
func (t *Tally) Code(code string) int64 { return t.codeCounts.get(code) }

// NumCodes returns the number of distinct primary codes.
func (t *Tally) NumCodes() int { return t.codeCounts.num() }

// CodeMap returns the codes as a map, to read only: the tally's own, or a
// new one when it holds one code, nil when none.
func (t *Tally) CodeMap() map[string]int64 { return t.codeCounts.asMap() }

// Merge adds the counts of o into t.
func (t *Tally) Merge(o *Tally) { t.mergeAdmitted(o, nil) }

// mergeAdmitted adds the counts of o into t, each code of o under the key
// admit gives it (nil: as it is; see Aggregator.admission).
func (t *Tally) mergeAdmitted(o *Tally, admit func(string) string) {
	t.mergeButCodes(o)
	t.codeCounts.merge(&o.codeCounts, admit)
}

// mergeButCodes adds the counts of o into t, except its codes.
func (t *Tally) mergeButCodes(o *Tally) {
	t.Rows += o.Rows
	t.Outbound += o.Outbound
	t.Inbound += o.Inbound
	for i, n := range o.statuses {
		t.statuses[i] += n
	}
	for k, n := range o.otherStatuses {
		t.addStatus(k, n)
	}
	t.SentStuck += o.SentStuck
	t.SentPending += o.SentPending
	t.SentAgeUnknown += o.SentAgeUnknown
	t.OptOutReplies += o.OptOutReplies
	t.OptOutRules.merge(o.OptOutRules)
}

// Clone returns a deep copy of t.
func (t *Tally) Clone() *Tally {
	c := *t
	c.otherStatuses = maps.Clone(t.otherStatuses)
	c.codes = maps.Clone(t.codes)
	return &c
}

// Delivered is the number of outbound DELIVERED rows.
func (t *Tally) Delivered() int64 { return t.statuses[0] }

// Errored is the number of outbound ERROR rows.
func (t *Tally) Errored() int64 { return t.statuses[1] }

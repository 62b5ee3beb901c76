// Package summary aggregates classified export rows into the deliverability
// figures spoke-status reports: one pass, flat memory, mergeable so that
// several readers can aggregate parts of an input in parallel.
package summary

import (
	"maps"
	"strings"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/keycap"
)

// Tally holds the counters of one scope: the whole input, or one group of a
// breakdown. Error codes are counted raw and classified only when results
// are built, because the provider that resolves shared codes is known only
// once every row has been read.
type Tally struct {
	Rows     int64
	Outbound int64
	Inbound  int64

	// ByStatus counts outbound rows by send status.
	ByStatus map[string]int64
	// Codes counts outbound ERROR rows by primary code ("" = no code).
	Codes map[string]int64

	SentStuck      int64
	SentPending    int64
	SentAgeUnknown int64

	OptOutReplies int64
	OptOutRules   OptOutRuleCounts

	// codeLimit caps Codes (nil: uncapped, a tally built for a view);
	// codeOrder lists Codes' keys in the order first seen when the limit
	// tracks it (a fork's tally, merged in input order).
	codeLimit *keycap.Limit
	codeOrder []string
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

// NewTally returns an empty Tally.
func NewTally() *Tally {
	return &Tally{ByStatus: map[string]int64{}, Codes: map[string]int64{}}
}

// add counts one row, except the age of SENT rows, which the caller decides
// (it may not be known until every row is read).
func (t *Tally) add(rec *export.Record) {
	t.Rows++
	if rec.Inbound {
		t.Inbound++
		if rule := classify.OptOutRuleOf(rec.Text, rec.PrimaryCode, rec.Rewired()); rule != classify.NotOptOut {
			t.OptOutReplies++
			t.OptOutRules.add(rule)
		}
		return
	}
	t.Outbound++
	t.ByStatus[rec.Status]++
	if rec.Status == export.StatusError {
		t.countCode(rec.PrimaryCode, 1)
	}
}

// countCode adds n ERROR rows of code, under the cap.
func (t *Tally) countCode(code string, n int64) {
	k := keycap.Key(t.codeLimit, t.Codes, code)
	if _, ok := t.Codes[k]; !ok {
		k = strings.Clone(k) // do not keep the row the code is part of
		if t.codeLimit.NewKey() {
			t.codeOrder = append(t.codeOrder, k)
		}
	}
	t.Codes[k] += n
}

// Merge adds the counts of o into t.
func (t *Tally) Merge(o *Tally) {
	t.Rows += o.Rows
	t.Outbound += o.Outbound
	t.Inbound += o.Inbound
	addCounts(t.ByStatus, o.ByStatus)
	if t.codeLimit.NewKey() {
		for _, k := range keycap.InOrder(o.Codes, o.codeOrder) {
			t.countCode(k, o.Codes[k])
		}
	} else {
		keycap.MergeCounts(t.codeLimit, t.Codes, o.Codes, o.codeOrder)
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
	c.ByStatus = maps.Clone(t.ByStatus)
	c.Codes = maps.Clone(t.Codes)
	c.codeLimit, c.codeOrder = nil, nil // a copy for a view: nothing more is counted under the cap
	return &c
}

// Delivered is the number of outbound DELIVERED rows.
func (t *Tally) Delivered() int64 { return t.ByStatus[export.StatusDelivered] }

// Errored is the number of outbound ERROR rows.
func (t *Tally) Errored() int64 { return t.ByStatus[export.StatusError] }

// capCodes puts t under the code limit l: a tally of a fork, handed over
// whole to the aggregator it is merged into, folds the codes past the cap
// in the order it first saw them.
func (t *Tally) capCodes(l *keycap.Limit) {
	if t.codeLimit == l {
		return
	}
	codes, order := t.Codes, t.codeOrder
	t.codeLimit, t.codeOrder = l, nil
	if l == nil || l.Max <= 0 || len(codes) <= l.Max {
		return
	}
	t.Codes = make(map[string]int64, l.Max+1)
	keycap.MergeCounts(l, t.Codes, codes, order)
}

func addCounts(dst, src map[string]int64) {
	for k, v := range src {
		dst[k] += v
	}
}

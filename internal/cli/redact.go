package cli

import (
	"strings"

	"github.com/spoke-status/spoke-status/internal/check"
	"github.com/spoke-status/spoke-status/internal/phone"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// Under --redact, contact numbers are masked by the commands that print
// them (rows, contacts), and every other text that came from the export
// or an argument (campaign ids, file names, codes, statuses, texter names,
// link domains) has its phone-like runs masked by phone.MaskLike, the one
// rule for all commands: a column shift or a careless campaign name can
// put a contact's number anywhere. Sending numbers are the organization's
// own and stay; day and hour keys are dates, not numbers.

// keptKeys are the dimensions whose keys are never masked.
var keptKeys = map[string]bool{summary.DimSendingNumber: true, summary.DimDay: true, summary.DimHour: true}

// redactSummary masks the export's text in s in place.
func redactSummary(s *summary.Summary) {
	for _, in := range s.Inputs {
		in.Path = phone.MaskLike(in.Path)
	}
	for i := range s.ErrorCodes {
		s.ErrorCodes[i].Code = phone.MaskLike(s.ErrorCodes[i].Code)
	}
	s.Outbound.ByStatus = redactStatuses(s.Outbound.ByStatus)
	for name, rows := range s.Groups {
		dims := strings.Split(name, ",")
		for i := range rows {
			redactGroupRow(dims, &rows[i])
		}
	}
	if s.Links != nil {
		for i := range s.Links.Domains {
			d := &s.Links.Domains[i]
			d.Domain, d.TopCode = phone.MaskLike(d.Domain), phone.MaskLike(d.TopCode)
		}
	}
	for i := range s.Signals {
		if sig := &s.Signals[i]; !keptKeys[sig.Dimension] {
			sig.Key = phone.MaskLike(sig.Key)
		}
	}
}

func redactGroupRow(dims []string, r *summary.GroupRow) {
	key := make(summary.GroupKey, len(r.Key))
	for i, k := range r.Key {
		key[i] = k
		if i >= len(dims) || !keptKeys[dims[i]] {
			key[i] = phone.MaskLike(k)
		}
	}
	r.Key = key // a fresh slice: the aggregator may share the old one
	r.TopCode = phone.MaskLike(r.TopCode)
}

// redactScope masks a check scope and its group key as summarize masks
// group keys: sending numbers, days and hours stay. The scope of the whole
// input has no key and is masked as text.
func redactScope(scope, dimension string, key summary.GroupKey) (string, summary.GroupKey) {
	if dimension == "" {
		return phone.MaskLike(scope), key
	}
	row := summary.GroupRow{Key: key}
	redactGroupRow(strings.Split(dimension, ","), &row)
	return dimension + " " + row.Key.String(), row.Key
}

// redactStatuses masks unknown statuses: a status word may be a number
// shifted from another column. Two statuses masked alike are added up.
func redactStatuses(by map[string]int64) map[string]int64 {
	if by == nil {
		return nil
	}
	out := make(map[string]int64, len(by))
	for k, n := range by {
		out[phone.MaskLike(k)] += n
	}
	return out
}

// redactReport masks the export's text in a check report in place.
func redactReport(r *check.Report) {
	for i := range r.Checks {
		c := &r.Checks[i]
		c.Scope, c.Key = redactScope(c.Scope, c.Dimension, c.Key)
		c.Campaign = phone.MaskLike(c.Campaign)
	}
	for i := range r.SkippedGroups {
		g := &r.SkippedGroups[i]
		g.Scope, g.Key = redactScope(g.Scope, g.Dimension, g.Key)
		g.Campaign = phone.MaskLike(g.Campaign)
	}
	if b := r.Baseline; b != nil {
		b.Path = phone.MaskLike(b.Path)
		for _, list := range [][]check.GroupChange{b.NewGroups, b.VanishedGroups} {
			for i := range list {
				list[i].Scope, list[i].Key = redactScope(list[i].Scope, list[i].Dimension, list[i].Key)
			}
		}
	}
	if r.Summary != nil {
		redactSummary(r.Summary)
	}
}

package summary

import (
	"strings"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/keycap"
)

// Dimension splits rows into groups for a breakdown (by campaign, by
// sending number, ...).
type Dimension struct {
	// Name identifies the dimension, e.g. "campaign".
	Name string
	// Keys appends to dst the keys of the groups a record counts in and
	// returns dst; usually one key, several when a message belongs to
	// several groups (a text with two link domains), none to leave it out.
	Keys func(dst []string, rec *export.Record) []string

	// The optional fields below serve the group rows (breakdown.go).

	// Resolve maps a key counted while reading to the key reported, once
	// the provider is known (a code to its category); groups whose keys
	// resolve alike are merged. Nil keeps keys as they are.
	Resolve func(key string, cls *classify.Classifier) string
	// Compare orders keys for --sort key (chronologically for times); nil
	// compares integers by value and other keys as text.
	Compare func(a, b string) int
	// Needs lists the columns an input must have for the dimension to
	// mean anything (texter columns for "texter").
	Needs []Requirement
	// NeedsSteps dimensions read the contact step index, which the engine
	// builds in a first pass over the inputs.
	NeedsSteps bool

	// admitKey, for a dimension whose keys are error codes or hold one,
	// returns the key of a fork's group as the merged groups count it:
	// its code under the key admit gives it (see Aggregator.admission),
	// as the rows read straight into the aggregator were keyed. Nil for
	// the dimensions without codes.
	admitKey func(key string, admit func(string) string) string

	// fresh returns a new instance of a dimension whose Keys keeps state
	// (a cache, a buffer), for an aggregator on another goroutine; nil
	// when Keys keeps none and may be shared.
	fresh func() Dimension
}

// forWorker returns the dimension for an aggregator of its own: a fresh
// instance when Keys keeps state, else d itself.
func (d Dimension) forWorker() Dimension {
	if d.fresh != nil {
		return d.fresh()
	}
	return d
}

// Groups holds one dimension's tallies by key.
type Groups struct {
	Dimension Dimension
	Tallies   map[string]*Tally

	// limit caps Tallies: the groups past it are counted in one group
	// whose key parts are all keycap.Other. order lists the keys as first
	// seen, in a fork. The groups of --by code and --by category have no
	// limit (nil): their keys are the codes the aggregator admits.
	limit *keycap.Limit
	order []string
	// other is the key of the group past the cap (otherKey); frozen, in
	// a fork, the keys of the merged groups once full.
	other  string
	frozen *keycap.Frozen
}

func (g *Groups) tally(key string) *Tally {
	key = g.frozen.Admit(g.limit, key, g.other)
	t, ok := g.Tallies[key]
	if ok {
		return t
	}
	if other := g.other; keycap.KeyOr(g.limit, g.Tallies, key, other) != key {
		key = other
		if t, ok := g.Tallies[key]; ok {
			return t
		}
	}
	t = NewTally()
	// Keys may share memory with a row's text (link domains): keep only
	// the key itself.
	key = strings.Clone(key)
	g.Tallies[key] = t
	if g.limit.NewKey() {
		g.order = append(g.order, key)
	}
	return t
}

// otherKey is the key of the group that folds the groups past the cap:
// keycap.Other for each part of a nested dimension.
func (g *Groups) otherKey() string {
	n := strings.Count(g.Dimension.Name, ",") + 1
	return strings.Repeat(keycap.Other+keySep, n-1) + keycap.Other
}

// addToGroups counts rec in every group of every dimension and returns the
// tallies it was counted in, so the caller can age a SENT row in each.
func (a *Aggregator) addToGroups(rec *export.Record, rule classify.OptOutRule, into []*Tally) []*Tally {
	for _, g := range a.groups {
		a.keyBuf = g.Dimension.Keys(a.keyBuf[:0], rec)
		for _, key := range a.keyBuf {
			t := g.tally(key)
			t.add(rec, rule)
			into = append(into, t)
		}
	}
	return into
}

// Groups returns the groups of the named dimension, or nil when the
// aggregator was not asked for it.
func (a *Aggregator) Groups(name string) *Groups {
	for _, g := range a.groups {
		if g.Dimension.Name == name {
			return g
		}
	}
	return nil
}

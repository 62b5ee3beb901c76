package summary

import (
	"slices"

	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
)

// sentAges decides, for each outbound SENT row, whether it is stuck (sent
// more than stuckAfter before the as-of time), pending, or of unknown age.
//
// The as-of time defaults to the newest timestamp of the whole input, which
// is known only at the end. Keeping every SENT timestamp until then would
// make memory grow with the file, so the tracker uses the newest timestamp
// seen so far: the final as-of can only be later, so a row already older
// than stuckAfter before it is stuck for certain and is counted at once.
// Only rows within stuckAfter of the running newest wait, which in practice
// is the last couple of hours of a campaign.
type sentAges struct {
	stuckAfter time.Duration
	fixed      bool  // as-of given by the user: decide every row at once
	asOf       int64 // the fixed as-of (when fixed)

	newest    int64 // newest timestamp seen so far
	hasNewest bool

	pending   []pendingSent
	compactAt int
}

type pendingSent struct {
	at      int64
	tallies []*Tally
}

const minCompact = 1024

func newSentAges(clock classify.StuckClock) *sentAges {
	s := &sentAges{stuckAfter: clock.Threshold(), fixed: clock.HasAsOf, compactAt: minCompact}
	if clock.HasAsOf {
		s.asOf = clock.AsOf.UnixNano()
	}
	return s
}

// observe records a row timestamp (of any row) for the running newest.
func (s *sentAges) observe(at int64) {
	if !s.hasNewest || at > s.newest {
		s.newest, s.hasNewest = at, true
	}
}

// sent classifies one SENT row for every tally it counts in.
func (s *sentAges) sent(at int64, hasTime bool, tallies ...*Tally) {
	switch {
	case !hasTime:
		for _, t := range tallies {
			t.SentAgeUnknown++
		}
	case s.fixed:
		s.decide(at, s.asOf, tallies)
	case classify.IsStuck(at, s.newest, s.stuckAfter):
		s.decide(at, s.newest, tallies)
	default:
		// The caller reuses tallies for the next row: keep a copy.
		s.pending = append(s.pending, pendingSent{at: at, tallies: slices.Clone(tallies)})
		if len(s.pending) >= s.compactAt {
			s.compact()
		}
	}
}

func (s *sentAges) decide(at, asOf int64, tallies []*Tally) {
	stuck := classify.IsStuck(at, asOf, s.stuckAfter)
	for _, t := range tallies {
		if stuck {
			t.SentStuck++
		} else {
			t.SentPending++
		}
	}
}

// compact counts the pending rows that the running newest already shows to
// be stuck, keeping the rest; the threshold doubles so work stays linear.
func (s *sentAges) compact() {
	kept := s.pending[:0]
	for _, p := range s.pending {
		if classify.IsStuck(p.at, s.newest, s.stuckAfter) {
			s.decide(p.at, s.newest, p.tallies)
		} else {
			kept = append(kept, p)
		}
	}
	clear(s.pending[len(kept):])
	s.pending = kept
	s.compactAt = max(minCompact, 2*len(kept))
}

// finish decides every pending row against the final as-of.
func (s *sentAges) finish(asOf int64) {
	for _, p := range s.pending {
		s.decide(p.at, asOf, p.tallies)
	}
	s.pending = nil
}

// resolvedAsOf is the as-of time: the fixed one, else the newest timestamp;
// ok is false when neither exists.
func (s *sentAges) resolvedAsOf() (int64, bool) {
	if s.fixed {
		return s.asOf, true
	}
	return s.newest, s.hasNewest
}

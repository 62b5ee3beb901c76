// Package signals finds what no dashboard shows in a messages export:
// groups of texts that carriers reported DELIVERED but that, judging by
// the replies, never arrived (suspected silent filtering).
//
// The method (docs/signals.md): a contact who never got a text does not
// reply. Among contacts whose initial text was DELIVERED, the reply rate of
// one link domain, one sending number or one day is compared with the
// reply rate of every other such contact of the export, with a one-sided
// pooled two-proportion z-test; the p-values of every group tested, in
// every dimension, are adjusted with Holm's method. A group is flagged when
// its adjusted p-value is at most Alpha AND its reply rate is at most
// (1 - MinRelativeDrop) times the baseline: the second condition keeps a
// million-text export from flagging a real but harmless difference.
//
// A Detector holds counts per group, not per contact; ContactTracker turns
// export rows into the per-contact observations a Detector needs.
package signals

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/spoke-status/spoke-status/internal/stats"
)

// Kind and dimension names, as written in JSON.
const (
	KindSilentFiltering = "silent_filtering"

	DimensionLinkDomain    = "link-domain"
	DimensionSendingNumber = "sending-number"
	DimensionDay           = "day"
)

// dimensions in report order.
var dimensionNames = [numDimensions]string{DimensionLinkDomain, DimensionSendingNumber, DimensionDay}

type dimension uint8

const (
	dimDomain dimension = iota
	dimNumber
	dimDay
	numDimensions
)

// Options tune the detector. DefaultOptions gives the documented values.
type Options struct {
	// MinDelivered is the fewest contacts with a DELIVERED initial text a
	// group (and its baseline, the rest of the export) needs to be tested.
	MinDelivered int64
	// Alpha bounds the chance of any false alarm in one export (Holm's
	// family-wise error rate over every group tested).
	Alpha float64
	// MinRelativeDrop is how far below the baseline a group's reply rate
	// must be, as a fraction of the baseline: 0.5 flags only groups that
	// reply at half the baseline rate or less.
	MinRelativeDrop float64
	// MaxGroups caps the distinct groups counted, all dimensions together;
	// observations of groups past the cap are counted in Stats.GroupsDropped.
	MaxGroups int
}

// DefaultOptions: see docs/signals.md for why.
func DefaultOptions() Options {
	return Options{MinDelivered: 200, Alpha: 0.01, MinRelativeDrop: 0.5, MaxGroups: 100_000}
}

// Observation is what the detector needs to know about one contact.
type Observation struct {
	// Domains are the link domains of the contact's initial text (none when
	// it has no link); each is counted once.
	Domains []string
	// SendingNumber sent the initial text ("" when unknown).
	SendingNumber string
	// Day is the initial text's day key ("" when it has no timestamp).
	Day string
	// Delivered: the initial text's status is DELIVERED.
	Delivered bool
	// Replied: the contact sent any inbound text.
	Replied bool
}

// Signal is one flagged group.
type Signal struct {
	Kind      string `json:"kind"`
	Dimension string `json:"dimension"`
	Key       string `json:"key"`
	// DeliveredContacts counts contacts of the group whose initial text
	// was DELIVERED; Replied those of them who replied.
	DeliveredContacts int64   `json:"delivered_contacts"`
	Replied           int64   `json:"replied"`
	ReplyRate         float64 `json:"reply_rate"`
	// BaselineReplyRate is the reply rate of every other contact whose
	// initial text was DELIVERED (outside the group).
	BaselineReplyRate float64 `json:"baseline_reply_rate"`
	// PValue is Holm-adjusted across every group tested.
	PValue      float64 `json:"p_value"`
	Explanation string  `json:"explanation"`
}

// Stats describes what the detector saw and tested.
type Stats struct {
	Contacts          int64 // observations
	DeliveredContacts int64 // of which the initial text was DELIVERED
	Replied           int64 // of those, contacts who replied
	GroupsTested      int   // groups, all dimensions, with enough contacts
	GroupsDropped     int64 // observations of groups past MaxGroups, per dimension
}

type groupKey struct {
	dim dimension
	key string
}

type counts struct {
	delivered, replied int64
}

// Detector counts delivered and replied contacts per group. It is not safe
// for concurrent use: give each worker its own (Fork) and Merge them.
type Detector struct {
	opts    Options
	groups  map[groupKey]*counts
	total   counts
	seen    int64
	dropped int64
}

// NewDetector returns an empty detector. Zero or out-of-range option
// fields take their DefaultOptions value.
func NewDetector(o Options) *Detector {
	def := DefaultOptions()
	if o.MinDelivered <= 0 {
		o.MinDelivered = def.MinDelivered
	}
	if !(o.Alpha > 0 && o.Alpha < 1) {
		o.Alpha = def.Alpha
	}
	if !(o.MinRelativeDrop >= 0 && o.MinRelativeDrop < 1) || o.MinRelativeDrop == 0 {
		o.MinRelativeDrop = def.MinRelativeDrop
	}
	if o.MaxGroups <= 0 {
		o.MaxGroups = def.MaxGroups
	}
	return &Detector{opts: o, groups: map[groupKey]*counts{}}
}

// Options returns the options in effect, defaults filled in.
func (d *Detector) Options() Options { return d.opts }

// Fork returns an empty detector with the same options, for a worker.
func (d *Detector) Fork() *Detector { return NewDetector(d.opts) }

// Observe counts one contact. Only contacts whose initial text was
// DELIVERED take part in the comparison; the others are only counted.
func (d *Detector) Observe(o Observation) {
	d.seen++
	if !o.Delivered {
		return
	}
	d.total.delivered++
	var r int64
	if o.Replied {
		r = 1
		d.total.replied++
	}
	for i, dom := range o.Domains {
		if dom == "" || slices.Contains(o.Domains[:i], dom) {
			continue
		}
		d.add(groupKey{dimDomain, dom}, r)
	}
	if o.SendingNumber != "" {
		d.add(groupKey{dimNumber, o.SendingNumber}, r)
	}
	if o.Day != "" {
		d.add(groupKey{dimDay, o.Day}, r)
	}
}

func (d *Detector) add(k groupKey, replied int64) {
	c := d.groups[k]
	if c == nil {
		if len(d.groups) >= d.opts.MaxGroups {
			d.dropped++
			return
		}
		c = &counts{}
		d.groups[k] = c
	}
	c.delivered++
	c.replied += replied
}

// addCounts adds the counts of contacts of one group, which must fit
// under the cap.
func (d *Detector) addCounts(k groupKey, n counts) {
	c := d.groups[k]
	if c == nil {
		c = &counts{}
		d.groups[k] = c
	}
	c.delivered += n.delivered
	c.replied += n.replied
}

// Merge adds o's counts into d; o must not be used afterwards. Counts add
// up, so the order of merges does not matter, except which groups a full
// cap keeps.
func (d *Detector) Merge(o *Detector) {
	d.seen += o.seen
	d.total.delivered += o.total.delivered
	d.total.replied += o.total.replied
	d.dropped += o.dropped
	for _, k := range sortedKeys(o.groups) {
		oc := o.groups[k]
		c := d.groups[k]
		if c == nil {
			if len(d.groups) >= d.opts.MaxGroups {
				d.dropped += oc.delivered
				continue
			}
			c = &counts{}
			d.groups[k] = c
		}
		c.delivered += oc.delivered
		c.replied += oc.replied
	}
}

func sortedKeys(m map[groupKey]*counts) []groupKey {
	keys := make([]groupKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b groupKey) int {
		return cmp.Or(cmp.Compare(a.dim, b.dim), cmp.Compare(a.key, b.key))
	})
	return keys
}

// candidate is a group with enough contacts to be tested.
type candidate struct {
	k                groupKey
	c                counts
	rate, base, p    float64
	baseDelivered    int64
	baseReplied      int64
	adjustedP        float64
	meetsEffectLimit bool
}

// Signals tests every group with enough contacts and returns the flagged
// ones: by dimension (link-domain, sending-number, day), then adjusted
// p-value, then key. It never returns nil.
func (d *Detector) Signals() []Signal {
	cands := d.candidates()
	ps := make([]float64, len(cands))
	for i := range cands {
		ps[i] = cands[i].p
	}
	adj := stats.Holm(ps)
	out := []Signal{}
	for i := range cands {
		c := &cands[i]
		c.adjustedP = adj[i]
		if c.adjustedP <= d.opts.Alpha && c.rate <= (1-d.opts.MinRelativeDrop)*c.base {
			out = append(out, c.signal())
		}
	}
	slices.SortFunc(out, func(a, b Signal) int {
		return cmp.Or(cmp.Compare(dimensionIndex(a.Dimension), dimensionIndex(b.Dimension)),
			cmp.Compare(a.PValue, b.PValue), cmp.Compare(a.Key, b.Key))
	})
	return out
}

func dimensionIndex(name string) int { return slices.Index(dimensionNames[:], name) }

// candidates lists the groups with at least MinDelivered contacts and a
// baseline of at least as many, in a fixed order.
func (d *Detector) candidates() []candidate {
	var out []candidate
	for _, k := range sortedKeys(d.groups) {
		c := *d.groups[k]
		baseN := d.total.delivered - c.delivered
		baseK := d.total.replied - c.replied
		if c.delivered < d.opts.MinDelivered || baseN < d.opts.MinDelivered {
			continue
		}
		out = append(out, candidate{
			k: k, c: c,
			rate:          float64(c.replied) / float64(c.delivered),
			base:          float64(baseK) / float64(baseN),
			p:             stats.LowerProportionP(c.replied, c.delivered, baseK, baseN),
			baseDelivered: baseN, baseReplied: baseK,
		})
	}
	return out
}

// Stats reports the counts seen so far and how many groups Signals tests.
func (d *Detector) Stats() Stats {
	return Stats{
		Contacts: d.seen, DeliveredContacts: d.total.delivered, Replied: d.total.replied,
		GroupsTested: len(d.candidates()), GroupsDropped: d.dropped,
	}
}

func (c *candidate) signal() Signal {
	return Signal{
		Kind:              KindSilentFiltering,
		Dimension:         dimensionNames[c.k.dim],
		Key:               c.k.key,
		DeliveredContacts: c.c.delivered,
		Replied:           c.c.replied,
		ReplyRate:         c.rate,
		BaselineReplyRate: c.base,
		PValue:            c.adjustedP,
		Explanation:       explain(c),
	}
}

// explain says in plain words what the signal means and what to do.
func explain(c *candidate) string {
	ratio := "none"
	if c.rate > 0 {
		ratio = fmt.Sprintf("1 in %.0f", math.Round(c.base/c.rate))
	}
	what := fmt.Sprintf("%d contacts whose initial text was DELIVERED replied at %.1f%%, against %.1f%% for the rest of the export (%s of the expected replies; adjusted p = %.2g). ",
		c.c.delivered, 100*c.rate, 100*c.base, ratioPhrase(ratio), c.adjustedP)
	const heuristic = "This is a heuristic: the carrier may have reported texts DELIVERED that never arrived (silent filtering), or the texts may just have drawn fewer replies. "
	var todo string
	switch c.k.dim {
	case dimDomain:
		todo = "If the link is to a public shortener or a shared domain, move it to the organization's own domain; ask the provider whether texts with this link are being filtered."
	case dimNumber:
		todo = "Rotate this sending number out (or check its registration), and ask the provider whether its texts are being filtered."
	default:
		todo = "Check what changed that day (link, number, script, volume) and ask the provider whether texts were being filtered."
	}
	return what + heuristic + todo
}

func ratioPhrase(ratio string) string {
	if ratio == "none" {
		return "none"
	}
	return "about " + ratio
}

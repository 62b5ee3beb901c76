package summary

import (
	"math"

	"github.com/spoke-status/spoke-status/internal/export"
)

// Delivery-report latency: how long the provider took to report on a text,
// message.service_response_at - message.sent_at, which only Spoke's
// database holds (the exports have neither column). The times are counted
// into fixed log-spaced buckets, so memory is the same for ten texts or
// ten million, and parts read in parallel merge by adding buckets.

// Stuck definitions: the time a SENT text's age is measured from.
const (
	// StuckByAttemptedAt is the export's only time, message.created_at.
	StuckByAttemptedAt = "attempted_at"
	// StuckBySentAt is the real send time, message.sent_at (--db).
	StuckBySentAt = "sent_at"
)

// LatencyDefinition says what delivery_latency measures.
const LatencyDefinition = "service_response_at - sent_at of outbound DELIVERED and ERROR texts"

// DeliveryLatency is the JSON delivery_latency object, present when every
// input carries send times (read with --db).
type DeliveryLatency struct {
	Definition string       `json:"definition"`
	All        LatencyStats `json:"all"`
	Delivered  LatencyStats `json:"delivered"`
	Errored    LatencyStats `json:"errored"`
	// Unusable counts DELIVERED and ERROR texts left out: no sent_at or
	// service_response_at, or a report dated before the send (clock skew).
	Unusable int64 `json:"unusable"`
}

// LatencyStats are one status's latencies in seconds; the quantiles are
// null when no text was measured.
type LatencyStats struct {
	Texts         int64    `json:"texts"`
	MedianSeconds *float64 `json:"median_seconds"`
	P90Seconds    *float64 `json:"p90_seconds"`
	MaxSeconds    *float64 `json:"max_seconds"`
}

// Buckets: 0 holds latencies under a millisecond; bucket i >= 1 holds
// [10^((i-1)/perDecade), 10^(i/perDecade)) milliseconds, up to 10^10 ms
// (115 days), past which the last bucket holds the rest. A quantile is
// its bucket's geometric middle, within 3% of the exact value, clamped to
// the exact minimum and maximum.
const (
	latencyPerDecade = 40
	latencyDecades   = 10
	latencyBuckets   = 1 + latencyPerDecade*latencyDecades
)

// latencyHist counts the latencies of one status.
type latencyHist struct {
	counts   [latencyBuckets]int64
	n        int64
	min, max int64 // milliseconds
}

func latencyBucket(ms int64) int {
	if ms < 1 {
		return 0
	}
	i := 1 + int(math.Floor(math.Log10(float64(ms))*latencyPerDecade))
	return min(i, latencyBuckets-1)
}

func (h *latencyHist) add(ms int64) {
	if h.n == 0 || ms < h.min {
		h.min = ms
	}
	if h.n == 0 || ms > h.max {
		h.max = ms
	}
	h.n++
	h.counts[latencyBucket(ms)]++
}

func (h *latencyHist) merge(o *latencyHist) {
	if o.n == 0 {
		return
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	if h.n == 0 || o.max > h.max {
		h.max = o.max
	}
	h.n += o.n
	for i, c := range o.counts {
		h.counts[i] += c
	}
}

// quantile returns the q-quantile in milliseconds by nearest rank.
func (h *latencyHist) quantile(q float64) float64 {
	rank := int64(math.Ceil(q * float64(h.n)))
	rank = max(1, min(rank, h.n))
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen < rank {
			continue
		}
		mid := 0.5 // under a millisecond
		if i > 0 {
			mid = math.Pow(10, (float64(i)-0.5)/latencyPerDecade)
		}
		return math.Max(float64(h.min), math.Min(float64(h.max), mid))
	}
	return float64(h.max)
}

func (h *latencyHist) stats() LatencyStats {
	s := LatencyStats{Texts: h.n}
	if h.n == 0 {
		return s
	}
	seconds := func(ms float64) *float64 { v := math.Round(ms) / 1000; return &v }
	s.MedianSeconds = seconds(h.quantile(0.5))
	s.P90Seconds = seconds(h.quantile(0.9))
	s.MaxSeconds = seconds(float64(h.max))
	return s
}

// latencies counts the delivery-report latencies of the counted rows;
// the aggregator makes one when the first row with send times arrives.
type latencies struct {
	delivered, errored latencyHist
	unusable           int64
}

// addLatency counts rec's latency when it is an outbound DELIVERED or
// ERROR text read with send times.
func (a *Aggregator) addLatency(rec *export.Record) {
	if rec.Inbound || rec.Source == nil || !rec.Source.SendTimes {
		return
	}
	var h func(*latencies) *latencyHist
	switch rec.Status {
	case export.StatusDelivered:
		h = func(l *latencies) *latencyHist { return &l.delivered }
	case export.StatusError:
		h = func(l *latencies) *latencyHist { return &l.errored }
	default:
		return
	}
	if a.latency == nil {
		a.latency = &latencies{}
	}
	if rec.SentAt.IsZero() || rec.ResponseAt.IsZero() || rec.ResponseAt.Before(rec.SentAt) {
		a.latency.unusable++
		return
	}
	h(a.latency).add(rec.ResponseAt.Sub(rec.SentAt).Milliseconds())
}

func (l *latencies) merge(o *latencies) {
	l.delivered.merge(&o.delivered)
	l.errored.merge(&o.errored)
	l.unusable += o.unusable
}

// mergeLatency adds o's latencies into a's.
func (a *Aggregator) mergeLatency(o *Aggregator) {
	if o.latency == nil {
		return
	}
	if a.latency == nil {
		a.latency, o.latency = o.latency, nil
		return
	}
	a.latency.merge(o.latency)
}

// sendTimes reports whether every input carries send times: only then do
// the stuck rule and the latency use them.
func sendTimes(sources []*export.Source) bool {
	for _, s := range sources {
		if !s.SendTimes {
			return false
		}
	}
	return len(sources) > 0
}

// StuckDefinitionOf names the time stuck SENT texts of these inputs are
// judged by.
func StuckDefinitionOf(sources []*export.Source) string {
	if sendTimes(sources) {
		return StuckBySentAt
	}
	return StuckByAttemptedAt
}

// deliveryLatency is the Summary's delivery_latency: nil unless every input
// carries send times.
func (a *Aggregator) deliveryLatency(sources []*export.Source) *DeliveryLatency {
	if !sendTimes(sources) {
		return nil
	}
	l := a.latency
	if l == nil {
		l = &latencies{}
	}
	var all latencyHist
	all.merge(&l.delivered)
	all.merge(&l.errored)
	return &DeliveryLatency{Definition: LatencyDefinition, All: all.stats(),
		Delivered: l.delivered.stats(), Errored: l.errored.stats(), Unusable: l.unusable}
}

// sentMoment is the time a SENT row's age is measured from
// (export.Record.SendTime), in Unix nanoseconds.
func sentMoment(rec *export.Record) (at int64, ok bool) {
	t, ok := rec.SendTime()
	return t.UnixNano(), ok
}

package summary

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
)

func classifier(t *testing.T, p registry.Provider) *classify.Classifier {
	t.Helper()
	return classify.New(mustRegistry(t), p)
}

func text(status, code, body string) *export.Record {
	r := outbound(status, code, base)
	r.Text = body
	r.NumSegments = -1
	return r
}

// TestLinkCounter: the with/without split, a text with two domains
// counting once in with_links and once per domain, shortener flags, top
// codes, and inbound rows left out.
func TestLinkCounter(t *testing.T) {
	c := NewLinkCounter()
	for _, r := range []*export.Record{
		text("ERROR", "4771", "Vote! bit.ly/abc (and https://WWW.Example.org/x)."),
		text("ERROR", "4770", "RSVP: BIT.LY/def"),
		text("ERROR", "4771", "https://bit.ly/x"),
		text("DELIVERED", "", "Details at example.org/e/1, thanks"),
		text("DELIVERED", "", "Hi Jane, vote Tuesday!"),
		text("ERROR", "4720", "Hi Lee"),
		text("DELIVERED", "", "Polls close at 7.30 tonight"),
		text("DELIVERED", "", "Infos: https://Bücher.de/wahl!"), // IDN host, kept in Unicode
		inbound("who is this? bit.ly/scam", "", base),
	} {
		c.Add(r)
	}
	l := c.Result(classifier(t, registry.Bandwidth))
	if want := (LinkCount{Outbound: 5, Errored: 3, ErrorRate: 0.6}); l.WithLinks != want {
		t.Errorf("with_links = %+v, want %+v", l.WithLinks, want)
	}
	if want := (LinkCount{Outbound: 3, Errored: 3, ErrorRate: 1}); l.WithShortener != want {
		t.Errorf("with_shortener = %+v, want %+v", l.WithShortener, want)
	}
	if want := (LinkCount{Outbound: 3, Errored: 1, ErrorRate: Round4(1.0 / 3)}); l.WithoutLinks != want {
		t.Errorf("without_links = %+v, want %+v", l.WithoutLinks, want)
	}
	want := []DomainStat{
		{Domain: "bit.ly", Shortener: true, Outbound: 3, Errored: 3, ErrorRate: 1, TopCode: "4771", TopCategory: registry.SpamBlocked},
		{Domain: "example.org", Outbound: 2, Errored: 1, ErrorRate: 0.5, TopCode: "4771", TopCategory: registry.SpamBlocked},
		{Domain: "bücher.de", Outbound: 1},
	}
	if !reflect.DeepEqual(l.Domains, want) {
		t.Errorf("domains =\n%+v\nwant\n%+v", l.Domains, want)
	}
}

// TestLinkDomainsOutliveText: a domain key must not share the memory of
// the text it was found in, or it would keep every such text alive.
func TestLinkDomainsOutliveText(t *testing.T) {
	c := NewLinkCounter()
	r := text("DELIVERED", "", "see vote.org now")
	c.Add(r)
	start := uintptr(unsafe.Pointer(unsafe.StringData(r.Text)))
	for d := range c.domains {
		p := uintptr(unsafe.Pointer(unsafe.StringData(d)))
		if d != "vote.org" || p >= start && p < start+uintptr(len(r.Text)) {
			t.Errorf("domain %q shares the text's memory or is wrong", d)
		}
	}
}

// TestReplyCounter counts distinct contacts whatever the row order: a
// reply read before the outbound text still counts, a contact texted
// twice counts once, a reply from a contact never messaged does not count
// as a messaged contact.
func TestReplyCounter(t *testing.T) {
	msg := func(contact string) *export.Record {
		r := outbound("DELIVERED", "", base)
		r.ContactNumber = contact
		return r
	}
	reply := func(contact, body, code string) *export.Record {
		r := inbound(body, code, base)
		r.ContactNumber = contact
		return r
	}
	c := NewReplyCounter()
	for _, r := range []*export.Record{
		reply("+15555550101", "yes", ""), // before its outbound row
		msg("+15555550101"),
		msg("+15555550102"), msg("+15555550102"),
		reply("+15555550102", "STOP", ""),
		reply("+15555550102", "sorry, who?", ""),
		msg("+15555550103"),
		reply("+15555550103", "ok", "-133"),
		msg("+15555550104"),
		reply("+15555550199", "stop", ""), // never messaged
		msg(""),                           // no number: not a contact
	} {
		c.Add(r)
	}
	got := c.Result()
	want := &Replies{
		ContactsMessaged: 4, ContactsReplied: 3, ReplyRate: 0.75,
		ContactsOptedOut: 2, OptOutRate: 0.5,
		InboundReplies: 5, OptOutReplies: 3, OtherReplies: 2, OptOutReplyShare: 0.6,
		OptOutRules: OptOutRuleCounts{SpokeMarker: 1, CarrierKeyword: 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("replies =\n%+v\nwant\n%+v", got, want)
	}
}

// TestSegmentCounter: numSegments wins when present, else the text is
// counted (GSM-7 160/161, UCS-2 for an emoji); errored segments; the cost
// leaves out codes the registry marks as not charged and counts unknown
// ones.
func TestSegmentCounter(t *testing.T) {
	gsm160 := strings.Repeat("a", 160)
	gsm161 := strings.Repeat("a", 161)
	withNum := func(r *export.Record, n int) *export.Record { r.NumSegments = n; return r }
	c := NewSegmentCounter()
	for _, r := range []*export.Record{
		text("DELIVERED", "", gsm160),               // 1
		text("DELIVERED", "", gsm161),               // 2
		text("DELIVERED", "", "Vote 🗳️"),            // 1 (UCS-2)
		withNum(text("DELIVERED", "", gsm161), 3),   // 3, from the export
		text("ERROR", "21610", gsm161),              // 2, twilio: charged no
		text("ERROR", "30007", "hi"),                // 1, twilio: charged yes
		text("ERROR", "", strings.Repeat("€", 80)),  // 160 septets: 1, no code: unknown
		withNum(text("ERROR", "77777", "hi"), 4),    // 4, not in the registry: unknown
		inbound(strings.Repeat("x", 500), "", base), // ignored
	} {
		c.Add(r)
	}
	s := c.Result(classifier(t, registry.Twilio), 0.01)
	if s.Messages != 8 || s.Total != 15 || s.Errored != 8 || s.FromExport != 2 || s.Computed != 6 || s.MultiSegment != 4 {
		t.Errorf("segments = %+v; want 8 messages, 15 total, 8 errored, 2 from export, 6 computed, 4 multi", s)
	}
	if s.PerMessage != Round4(15.0/8) {
		t.Errorf("per_message = %v", s.PerMessage)
	}
	want := &Cost{PricePerSegment: 0.01, Estimated: 0.13, ChargedSegments: 13, LeftOutMessages: 1, LeftOutSegments: 2, UnknownMessages: 2, UnknownSegments: 5}
	if !reflect.DeepEqual(s.Cost, want) {
		t.Errorf("cost = %+v, want %+v", s.Cost, want)
	}
	if c.Result(classifier(t, registry.Twilio), 0).Cost != nil {
		t.Error("no price: want no cost")
	}
}

// TestAnalysesSwitchedOff: nil counters are skipped and leave no result.
func TestAnalysesSwitchedOff(t *testing.T) {
	an := &Analyses{Links: NewLinkCounter()}
	an.Add(text("DELIVERED", "", "bit.ly/x"))
	var b Breakdowns
	an.Fill(&b, classifier(t, registry.Twilio))
	if b.Links == nil || b.Replies != nil || b.Segments != nil {
		t.Errorf("breakdowns = %+v, want links only", b)
	}
}

// TestReplyCounterGrows drives the contact set through many growths with
// contacts interleaved, so duplicates are not next to each other.
func TestReplyCounterGrows(t *testing.T) {
	const contacts = 3 << 16
	c := NewReplyCounter()
	number := func(i int) string { return "+1555" + strconv.Itoa(1000000+i) }
	for pass := range 3 {
		for i := range contacts {
			r := outbound("DELIVERED", "", base)
			r.ContactNumber = number(i)
			c.Add(r)
			if pass == 2 && i%10 == 0 {
				c.Add(inbound("STOP", "", base)) // no number: a reply, not a contact
			}
		}
	}
	for i := 0; i < contacts; i += 4 {
		r := inbound("yes", "", base)
		r.ContactNumber = number(i)
		c.Add(r)
	}
	got := c.Result()
	if got.ContactsMessaged != contacts || got.ContactsReplied != contacts/4 || got.ContactsOptedOut != 0 {
		t.Errorf("messaged/replied/opted out = %d/%d/%d, want %d/%d/0", got.ContactsMessaged, got.ContactsReplied, got.ContactsOptedOut, contacts, contacts/4)
	}
	if n := c.contacts.n; n != contacts {
		t.Errorf("%d contacts kept, want %d", n, contacts)
	}
}

// TestReplyCounterForkedMatchesSequential: rows read in parts (forks
// merged in order, a contact's rows spread over many parts, enough of them
// that the merged partitions merge their duplicates while filling), with
// rows added to the counter itself between parts, count what one pass
// counts.
func TestReplyCounterForkedMatchesSequential(t *testing.T) {
	const contacts = 200_000
	number := func(i int) string { return "+1555" + strconv.Itoa(1000000+i) }
	var rows []*export.Record
	for pass := range 3 {
		for i := range contacts {
			var r *export.Record
			switch {
			case pass == 0 || i%7 == 0:
				r = outbound("DELIVERED", "", base)
			case i%5 == 0:
				r = inbound("STOP", "", base)
			default:
				r = inbound("yes", "", base)
			}
			if pass == 0 && i%11 == 0 {
				continue // replies from contacts never messaged
			}
			r.ContactNumber = number((i * 7919) % contacts)
			rows = append(rows, r)
		}
	}
	seq := NewReplyCounter()
	for _, r := range rows {
		seq.Add(r)
	}
	want := seq.Result()
	for _, part := range []int{1000, 4096, 50_000} {
		c := NewReplyCounter()
		for lo, n := 0, 0; lo < len(rows); lo, n = lo+part, n+1 {
			hi := min(lo+part, len(rows))
			if n%5 == 3 { // read sequentially, into c itself
				for _, r := range rows[lo:hi] {
					c.Add(r)
				}
				continue
			}
			f := c.Fork()
			for _, r := range rows[lo:hi] {
				f.Add(r)
			}
			if n%2 == 0 { // sorted by partition, as on a worker
				f.finishPart()
			}
			c.Merge(f)
		}
		if got := c.Result(); !reflect.DeepEqual(got, want) {
			t.Errorf("parts of %d rows: %+v, want %+v", part, got, want)
		}
	}
}

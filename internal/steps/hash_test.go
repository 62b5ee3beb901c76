package steps

import (
	"fmt"
	"math/bits"
	"testing"

	"github.com/spoke-status/spoke-status/internal/export"
)

// replyHash is summarize's reply hash of a contact number before Number
// replaced it (summary.hashString): Number must give the same keys, so
// that the reply counts key contacts as they did.
func replyHash(s string) uint64 {
	const (
		k0 = 0xa0761d6478bd642f
		k1 = 0xe7037ed1a0b428db
	)
	fold := func(a, b uint64) uint64 { hi, lo := bits.Mul64(a, b); return hi ^ lo }
	h := uint64(len(s)) ^ k0
	for ; len(s) >= 8; s = s[8:] {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = fold(h^w, k1)
	}
	if len(s) > 0 {
		var w uint64
		for i := len(s) - 1; i >= 0; i-- {
			w = w<<8 | uint64(s[i])
		}
		h = fold(h^w, k1^uint64(len(s)))
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

func TestNumberIsTheReplyHash(t *testing.T) {
	const digits = "+1614308083012345678901234567890"
	for n := 0; n <= len(digits); n++ {
		if got, want := Number(digits[:n]), replyHash(digits[:n]); got != want {
			t.Errorf("Number(%q) = %#x, want %#x", digits[:n], got, want)
		}
	}
}

func TestContactOfNumberMatchesContact(t *testing.T) {
	tests := []struct {
		name string
		rec  export.Record
	}{
		{"number", export.Record{CampaignID: "146", ContactNumber: "+16143080830"}},
		{"no campaign", export.Record{ContactNumber: "+16143080830"}},
		{"ccid", export.Record{CampaignContactID: "88231", CampaignID: "146", ContactNumber: "+16143080830"}},
		{"ccid alone", export.Record{CampaignContactID: "88231"}},
		{"nothing", export.Record{CampaignID: "146"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := Contact(&tc.rec)
			if got := ContactOfNumber(&tc.rec, Number(tc.rec.ContactNumber)); got != want {
				t.Errorf("ContactOfNumber = %#x, Contact = %#x", got, want)
			}
			if (want == 0) != (tc.rec.CampaignContactID == "" && tc.rec.ContactNumber == "") {
				t.Errorf("Contact = %#x", want)
			}
		})
	}
}

// TestContactPinned pins keys: the signals keep the groups of the lowest
// keys when their cap is reached, so keys must not change from run to run
// (a seeded hash such as hash/maphash would) or silently between versions.
func TestContactPinned(t *testing.T) {
	tests := []struct {
		rec  export.Record
		want uint64
	}{
		{export.Record{CampaignID: "146", ContactNumber: "+16143080830"}, 0x6797539e7037ae60},
		{export.Record{CampaignContactID: "88231"}, 0x14445522ab16f564},
	}
	for _, tc := range tests {
		if got := Contact(&tc.rec); got != tc.want {
			t.Errorf("Contact(%q %q %q) = %#x, want %#x", tc.rec.CampaignContactID, tc.rec.CampaignID, tc.rec.ContactNumber, got, tc.want)
		}
	}
}

// TestContactSeparatesFields: the campaign and the number are hashed
// apart, so moving bytes from one to the other makes another contact, and
// a campaign contact id is not a number.
func TestContactSeparatesFields(t *testing.T) {
	recs := []export.Record{
		{CampaignID: "14", ContactNumber: "6+16143080830"},
		{CampaignID: "146", ContactNumber: "+16143080830"},
		{CampaignID: "146+", ContactNumber: "16143080830"},
		{CampaignID: "", ContactNumber: "146+16143080830"},
		{CampaignContactID: "+16143080830"},
		{CampaignContactID: "146+16143080830"},
	}
	seen := map[uint64]int{}
	for i := range recs {
		k := Contact(&recs[i])
		if j, ok := seen[k]; ok {
			t.Errorf("%+v and %+v share key %#x", recs[j], recs[i], k)
		}
		seen[k] = i
	}
}

// TestContactSpreadsTopBits: the tables shard by the key's top bits.
func TestContactSpreadsTopBits(t *testing.T) {
	var shards [256]int
	const n = 256 * 64
	for i := range n {
		rec := export.Record{CampaignID: "146", ContactNumber: fmt.Sprintf("+1614%07d", i)}
		shards[Contact(&rec)>>56]++
	}
	for s, c := range shards {
		if c < 64/3 || c > 64*3 {
			t.Fatalf("shard %d has %d of %d keys", s, c, n)
		}
	}
}

// BenchmarkContact hashes the contact of a Rewired row (a campaign and a
// number, no campaign contact id) and of a row with one; "row" is what
// summarize hashes per row for its reply counts and signals (the number,
// then the contact from it).
func BenchmarkContact(b *testing.B) {
	for _, tc := range []struct {
		name string
		rec  export.Record
	}{
		{"number", export.Record{CampaignID: "146", ContactNumber: "+16143080830"}},
		{"ccid", export.Record{CampaignContactID: "12345678", CampaignID: "146", ContactNumber: "+16143080830"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			var sum uint64
			for i := 0; b.Loop(); i++ {
				tc.rec.Line = i
				sum += Contact(&tc.rec)
			}
			if sum == 1 {
				b.Log(sum)
			}
		})
	}
	b.Run("row", func(b *testing.B) {
		b.ReportAllocs()
		rec := export.Record{CampaignID: "146", ContactNumber: "+16143080830"}
		var sum uint64
		for i := 0; b.Loop(); i++ {
			rec.Line = i
			n := Number(rec.ContactNumber)
			sum += n ^ ContactOfNumber(&rec, n)
		}
		if sum == 1 {
			b.Log(sum)
		}
	})
}

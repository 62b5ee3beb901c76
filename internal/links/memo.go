package links

import (
	"encoding/binary"
	"github.com/spoke-status/spoke-status/internal/hitrate"
	"math/bits"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// A Finder remembers the hosts of the last texts' tails (memo): a
// campaign's texts are one script, personalised at the start ("Hi Sam,
// it's Alex with Example Org. Will you join us…"), so from the word
// before the first dot on they repeat, and so do their hosts. In
// spoke-synth's 2.5 M-row export the texts with a dot have 10 distinct
// tails; finding their hosts was about a tenth of summarize's CPU time.
//
// Why a text's hosts are its tail's: domains scans from the first dot on,
// looking back only to the start of the run of host characters around it
// and one character before that run (glued). The tail starts at that
// character, so it scans alike. When a "://" comes before the first dot,
// domains looks at it first, and looks back from it only at the scheme's
// name ("https") and the character before: the tail then starts a few
// bytes before that "://" (schemeLookBack). FuzzFinderMatchesDomains
// checks both against Domains.

// memoSlots is the number of tails remembered, by hash (slotOf), in
// pairs: a tail is looked for in the two slots of its pair, so that two
// texts in turn whose tails share a pair (1 in 128) are both found.
// 64 slots, one for each tail, missed a third of 50 links in turn.
const (
	memoSlotBits = 8
	memoSlots    = 1 << memoSlotBits
)

// memoBytes bounds the memory the copies of tails and their host lists
// take; when full, everything is forgotten at once (the next call's
// hosts may no longer be the last call's, as Finder.Domains says).
const memoBytes = 16 << 10

// maxTail is the longest tail remembered: hashing and comparing a
// longer one costs about as much as scanning it.
const maxTail = 512

type memo struct {
	slots [memoSlots]memoSlot
	// text holds the tails' copies, hosts their host lists; both are
	// reused once full, so what a hit returns is valid until the next
	// call.
	text  []byte
	hosts []string
	// window switches the memo off for a while when its lookups stop
	// finding their tails, so texts that do not repeat (free-form
	// replies) pay for the lookups a short while only.
	window hitrate.Window
}

type memoSlot struct {
	tail        string // a view of text; "" for an empty slot
	first, last int32  // the tail's hosts: hosts[first:last]
}

// schemeLookBack is how far before a "://" domains looks (isScheme):
// "https" and the rune before it, at most utf8.UTFMax bytes long.
const schemeLookBack = len("https") + utf8.UTFMax

// memoTail returns the tail of text whose hosts are text's, or false when
// text is not to be remembered. d is the first dot's index.
func memoTail(text string, d int) (string, bool) {
	var s int
	// Most heads have no colon: one byte search rules "://" out, where
	// a search for the substring cost a tenth of a remembered tail.
	if head := text[:d]; strings.IndexByte(head, ':') >= 0 && strings.Contains(head, "://") {
		// Texts with a link like "https://vote.org" have a scheme before
		// their first dot. domains looks at the first "://" before
		// anything else (no host run ends before it: ':' is not a host
		// character), and from it back only schemeLookBack bytes; the
		// later "://"s and the dots are further on. Starting at a rune
		// at least that far back, the rune before the scheme decodes
		// alike (utf8.DecodeLastRuneInString looks back UTFMax bytes).
		s = max(strings.Index(head, "://")-schemeLookBack, 0)
		for s > 0 && !utf8.RuneStart(text[s]) {
			s--
		}
	} else {
		s = runStart(text, 0, d)
		if s > 0 {
			_, w := utf8.DecodeLastRuneInString(text[:s])
			s -= w
		}
	}
	if len(text)-s > maxTail {
		return "", false
	}
	return text[s:], true
}

// domainsMemo is domains through f's memo.
func (f *Finder) domainsMemo(dst []string, text string) []string {
	d := strings.IndexByte(text, '.')
	if d < 0 {
		return dst // every host has a dot
	}
	m := f.memo
	if m == nil {
		m = &memo{}
		f.memo = m
	}
	if m.window.Resting() {
		return domains(dst, text, f)
	}
	tail, ok := memoTail(text, d)
	if !ok {
		return domains(dst, text, f)
	}
	i := slotOf(tail)
	slot := &m.slots[i]
	if slot.tail != tail {
		if other := &m.slots[i^1]; other.tail == tail {
			slot = other
		} else if slot.tail != "" && other.tail == "" {
			slot = other // keep the tail in its slot
		}
	}
	if slot.tail == tail {
		m.window.Looked(true)
		return append(dst, m.hosts[slot.first:slot.last]...)
	}
	m.window.Looked(false)
	start := len(dst)
	dst = domains(dst, text, f)
	m.keep(slot, tail, dst[start:])
	return dst
}

// slotOf places a tail by its length and three of its words (its start,
// middle and end): a few nanoseconds where a hash of every byte took about
// ten for a script's tail, a third of a remembered tail's cost. Tails that
// share a slot only miss (a hit compares the whole tail).
func slotOf(tail string) int {
	h := uint64(len(tail))
	if len(tail) >= 8 {
		h ^= binary.LittleEndian.Uint64([]byte(tail[:8])) ^
			bits.RotateLeft64(binary.LittleEndian.Uint64([]byte(tail[len(tail)/2-4:])), 21) ^
			bits.RotateLeft64(binary.LittleEndian.Uint64([]byte(tail[len(tail)-8:])), 42)
	} else {
		for i := 0; i < len(tail); i++ {
			h = h<<8 | uint64(tail[i])
		}
	}
	return int((h * 0x9E3779B97F4A7C15) >> (64 - memoSlotBits))
}

// keep remembers hosts as tail's, in slot. Hosts that view the tail are
// pointed at its copy; the others (lowercase copies, shortener names) are
// the Finder's or the package's own strings already.
func (m *memo) keep(slot *memoSlot, tail string, hosts []string) {
	need := len(tail) + 16*len(hosts)
	if need > memoBytes {
		return
	}
	if len(m.text)+len(tail)+16*(len(m.hosts)+len(hosts)) > memoBytes {
		m.text, m.hosts = m.text[:0], m.hosts[:0]
		m.slots = [memoSlots]memoSlot{}
	}
	at := len(m.text)
	m.text = append(m.text, tail...)
	copied := unsafe.String(&m.text[at], len(tail))
	base := uintptr(unsafe.Pointer(unsafe.StringData(tail)))
	first := len(m.hosts)
	for _, h := range hosts {
		p := uintptr(unsafe.Pointer(unsafe.StringData(h)))
		if off := p - base; p >= base && off < uintptr(len(tail)) {
			h = copied[off : off+uintptr(len(h))]
		}
		m.hosts = append(m.hosts, h)
	}
	*slot = memoSlot{tail: copied, first: int32(first), last: int32(len(m.hosts))}
}

// Package links finds the link domains in an SMS text.
//
// Carriers filter texts that contain links, above all public URL
// shorteners (Bandwidth error 4771 "rejected-shortened-url"), so the
// analysis needs the hosts each message links to.
//
// Two kinds of links are found:
//   - URLs with an http or https scheme, in any case. Their host (after
//     userinfo, before port/path/query) needs no known TLD: any host with a
//     dot counts, IP addresses too; http://localhost does not.
//   - Scheme-less hosts such as "bit.ly/x" or "vote.org." — these are
//     guesses, so they must look like a domain: at least two labels of
//     letters/digits/hyphens (no leading or trailing hyphen), a last label
//     in an embedded list of common TLDs, and a letter somewhere before it
//     (so "7.am" is a time, not Armenia).
//
// Decisions:
//   - IDN hosts are kept in lowercase Unicode ("bücher.de"); punycode
//     hosts ("xn--bcher-kva.de") are kept as written. Converting between the
//     two needs IDNA tables that the standard library does not have, and
//     both forms are readable in a report.
//   - Scheme-less hosts next to '@' are e-mail addresses, not links; next
//     to '_' they are identifiers.
//   - A scheme-less candidate whose last label is Title-case ("there.Is",
//     "done.Me") after an all-lowercase label is two sentences joined
//     without a space, not a domain. After a capitalised label ("Thanks.Me")
//     it is kept: it cannot be told from "IWillVote.Com".
//   - The TLD list leaves out the few TLDs that in a text are mostly file
//     extensions (md, ps, py, rs, sh, zip, mov); with a scheme any TLD goes.
//   - Leading "www." labels are all stripped ("www.www.x.org" → "x.org").
//   - Dots in a row ("see...vote.org") separate candidates.
//   - Once a link is found, the rest of it up to the next space is its
//     path, and is not searched for more domains.
//   - A host that is only "www." and one label ("www.com") has no domain
//     left once "www." is stripped, and is dropped.
//   - In scheme-less text, Han, Hiragana, Katakana and Thai characters end
//     a candidate: those scripts do not put spaces between words, so
//     "请访问bit.ly" links to bit.ly.
package links

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Domains appends to dst the distinct hosts of the URLs found in text, in
// order of first appearance, and returns dst.
// Host: lowercase, without a leading "www.", without port, userinfo, path,
// query or trailing dot.
//
// Only hosts appended by this call are de-duplicated. Shorteners are
// returned as the package's own strings; other hosts may share memory with
// text, so use strings.Clone before keeping one for long.
func Domains(dst []string, text string) []string {
	return domains(dst, text, nil)
}

// Finder finds link domains as Domains does, remembering the lowercase
// form of the last few hosts written with capitals ("www.Vote.org"): a
// campaign's texts repeat their links, and lowercasing allocated a string
// for each text. It also remembers the hosts of the texts' tails (memo.go).
// Its zero value is ready to use; it is not safe for concurrent use.
type Finder struct {
	lowered [4]struct{ as, lower string } // the hosts' own copies
	next    int
	memo    *memo // nil until a text with a dot
}

// Domains is Domains, with f's remembered hosts and tails. The hosts it
// appends may share memory with text or with f: they are valid until f's
// next call, so use strings.Clone before keeping one.
func (f *Finder) Domains(dst []string, text string) []string {
	return f.domainsMemo(dst, text)
}

// toLower returns strings.ToLower(h), remembered if h has upper case; f
// may be nil.
func (f *Finder) toLower(h string) string {
	if f == nil {
		return strings.ToLower(h)
	}
	for i := range f.lowered {
		if e := &f.lowered[i]; e.as == h && e.as != "" {
			return e.lower
		}
	}
	l := strings.ToLower(h)
	if l != h { // a new string: h had upper case
		f.lowered[f.next] = struct{ as, lower string }{strings.Clone(h), l}
		f.next = (f.next + 1) % len(f.lowered)
	}
	return l
}

func domains(dst []string, text string, f *Finder) []string {
	out := hosts{list: dst, start: len(dst), f: f}
	// Every host has a dot, so the scan jumps from dot to dot and never
	// looks at most of the text. d and sep are the next dot and "://" at
	// or after i (len(text) if none), found again only once i passes them.
	d, sep := -1, -1
	for i := 0; i < len(text); {
		if d < i {
			d = indexFrom(text, i, ".")
		}
		if d == len(text) {
			break
		}
		if sep < i {
			sep = indexFrom(text, i, "://")
		}
		if sep < d { // a URL with a scheme may come first
			if isScheme(text, i, sep) {
				end := urlEnd(text, sep+3)
				if h, ok := schemeHost(text[sep+3:end], f); ok {
					out.add(h)
				}
				i = end
			} else {
				sep = indexFrom(text, sep+1, "://")
			}
			continue
		}
		var found bool
		i, found = bareRun(&out, text, runStart(text, i, d))
		if found && startsPath(text[i:]) {
			i = urlEnd(text, i)
		}
	}
	return out.list
}

// bareRun examines the run of host characters starting at s, appends the
// scheme-less hosts in it, and returns the run's end and whether its last
// piece (the one a path would follow) was a host.
func bareRun(out *hosts, text string, s int) (int, bool) {
	e, r := runEnd(text, s)
	if r.dots == 0 || glued(text, s, e) {
		return e, false
	}
	if r.dots == 1 || !strings.Contains(text[s:e], "..") { // one candidate
		h, ok := bareHost(trimEdges(text[s:e]), r.caseful(), out.f)
		if ok {
			out.add(h)
		}
		return e, ok
	}
	found := false
	for run := text[s:e]; run != ""; {
		piece := run
		if k := strings.Index(run, ".."); k >= 0 {
			piece, run = run[:k], run[k+2:]
		} else {
			run = ""
		}
		h, ok := bareHost(trimEdges(piece), r.caseful(), out.f)
		if ok {
			out.add(h)
		}
		found = ok && run == ""
	}
	return e, found
}

// isScheme reports whether the "://" at sep ends an "http" or "https"
// scheme, in any case, that starts a word at or after lo.
func isScheme(text string, lo, sep int) bool {
	for _, name := range [...]string{"http", "https"} {
		s := sep - len(name)
		if s < lo || !strings.EqualFold(text[s:sep], name) {
			continue
		}
		if r, _ := utf8.DecodeLastRuneInString(text[lo:s]); s == lo || !isHostRune(r, false) {
			return true
		}
	}
	return false
}

// indexFrom returns the index of sub in text at or after i, or len(text).
func indexFrom(text string, i int, sub string) int {
	if k := strings.Index(text[i:], sub); k >= 0 {
		return i + k
	}
	return len(text)
}

// schemeHost extracts and normalises the host of the URL whose text after
// "://" is rest.
func schemeHost(rest string, f *Finder) (string, bool) {
	for k := 0; k < len(rest); k++ {
		if c := rest[k]; c == '/' || c == '?' || c == '#' || c == '\\' {
			rest = rest[:k]
			break
		}
	}
	if k := strings.LastIndexByte(rest, '@'); k >= 0 {
		rest = rest[k+1:] // drop userinfo
	}
	e, class := 0, uint8(0)
	for e < len(rest) {
		if c := rest[e]; c < utf8.RuneSelf {
			k := hostClass[c]
			if k == 0 {
				break // port, "[" of an IPv6 literal, or trailing punctuation
			}
			class |= k
			e++
			continue
		}
		r, w := utf8.DecodeRuneInString(rest[e:])
		if !isHostRune(r, true) {
			break
		}
		class |= classUpper // ToLower decides for non-ASCII letters
		e += w
	}
	h := trimEdges(rest[:e])
	if !validLabels(h) {
		return "", false
	}
	return normalize(h, class&classUpper != 0, f)
}

// bareHost checks that a scheme-less candidate looks like a domain and
// normalises it; caseful false says h has no upper case to lower.
func bareHost(h string, caseful bool, f *Finder) (string, bool) {
	dot := strings.LastIndexByte(h, '.')
	if dot < 0 || !validLabels(h) {
		return "", false
	}
	tld, name := h[dot+1:], h[:dot]
	if !isTLD(tld) || !hasLetter(name) {
		return "", false
	}
	prev := name[strings.LastIndexByte(name, '.')+1:]
	if isTitle(tld) && !hasUpper(prev) {
		return "", false // "there.Is": a missing space after a full stop
	}
	return normalize(h, caseful, f)
}

// normalize lowercases h (unless caseful is false: h is known to have no
// upper case; f, possibly nil, remembers the forms of hosts with upper
// case), strips leading "www." labels, and returns the package's copy of
// shortener names so that they do not pin the text.
func normalize(h string, caseful bool, f *Finder) (string, bool) {
	if caseful {
		h = f.toLower(h) // allocates only if h has upper case
	}
	for strings.HasPrefix(h, "www.") && strings.IndexByte(h[4:], '.') >= 0 {
		h = h[4:]
	}
	if strings.HasPrefix(h, "www.") || strings.IndexByte(h, '.') < 0 {
		return "", false
	}
	if s, ok := shortener(h); ok {
		return s, true
	}
	return h, true
}

// validLabels reports whether h is at least two dot-separated labels, each
// 1–63 bytes, not starting or ending with a hyphen, 253 bytes in all.
// The characters themselves were checked while scanning.
func validLabels(h string) bool {
	if len(h) > 253 {
		return false
	}
	dots, start := 0, 0
	for i := 0; i <= len(h); i++ {
		if i < len(h) && h[i] != '.' {
			continue
		}
		// h[start:i] is a label; an empty one is a leading, doubled or
		// trailing dot.
		if n := i - start; n == 0 || n > 63 || h[start] == '-' || h[i-1] == '-' {
			return false
		}
		if i < len(h) {
			dots++
		}
		start = i + 1
	}
	return dots > 0
}

// hosts is the list Domains appends to, de-duplicated from start on.
type hosts struct {
	list  []string
	start int
	f     *Finder         // nil for Domains
	seen  map[string]bool // nil until the list is too long to scan
}

// maxScan is how many hosts are compared one by one before a set is
// built: texts have a handful of links, and only a pathological one pays
// for the map.
const maxScan = 16

// add appends h unless this call already did.
func (o *hosts) add(h string) {
	added := o.list[o.start:]
	switch {
	case o.seen != nil:
		if o.seen[h] {
			return
		}
		o.seen[h] = true
	case len(added) < maxScan:
		if slices.Contains(added, h) {
			return
		}
	default:
		o.seen = make(map[string]bool, 2*maxScan)
		for _, d := range added {
			o.seen[d] = true
		}
		o.add(h)
		return
	}
	o.list = append(o.list, h)
}

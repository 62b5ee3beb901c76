package links

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// shortenerList holds the public URL shorteners and link wrappers that
// carriers' filters treat as hiding the destination: anyone can make them
// point anywhere. Platform short links that always land on the platform's
// own site (youtu.be, amzn.to, forms.gle, g.co) are left out on purpose —
// they do not hide where the reader goes. Sorted; read-only.
var shortenerList = []string{
	"1url.com",
	"adf.ly",
	"bit.do",
	"bit.ly",
	"bitly.com",
	"bl.ink",
	"buff.ly",
	"clck.ru",
	"cutt.ly",
	"dlvr.it",
	"fb.me",
	"goo.gl",
	"ift.tt",
	"is.gd",
	"j.mp",
	"lnkd.in",
	"mcaf.ee",
	"ow.ly",
	"po.st",
	"qr.ae",
	"rb.gy",
	"rebrand.ly",
	"s.id",
	"short.gy",
	"short.io",
	"shorte.st",
	"shorturl.at",
	"soo.gd",
	"su.pr",
	"t.co",
	"t.ly",
	"tiny.cc",
	"tiny.one",
	"tinyurl.com",
	"tr.im",
	"trib.al",
	"v.gd",
	"x.co",
}

// IsShortener reports whether domain is a public URL shortener or a
// subdomain of one. Case, a leading "www." and a trailing dot are ignored,
// so it accepts hosts as written as well as those returned by Domains.
func IsShortener(domain string) bool {
	d := strings.TrimSuffix(strings.ToLower(domain), ".")
	d = strings.TrimPrefix(d, "www.")
	for strings.IndexByte(d, '.') >= 0 {
		if _, ok := shortener(d); ok {
			return true
		}
		d = d[strings.IndexByte(d, '.')+1:]
	}
	return false
}

// Shorteners returns the sorted list of known shorteners; the caller owns
// the slice.
func Shorteners() []string {
	return slices.Clone(shortenerList)
}

// shortenerIndex lists, for each first letter or digit, the indexes in
// shortenerList of the names starting with it, so that a host is compared
// with a few names of its first letter instead of binary-searched.
// Read-only.
var shortenerIndex = func() (idx [utf8.RuneSelf][]uint8) {
	for i, s := range shortenerList {
		idx[s[0]] = append(idx[s[0]], uint8(i))
	}
	return idx
}()

// shortener returns the list's own copy of the lowercase host h.
func shortener(h string) (string, bool) {
	if h == "" || h[0] >= utf8.RuneSelf {
		return "", false
	}
	for _, i := range shortenerIndex[h[0]] {
		if s := shortenerList[i]; s == h {
			return s, true
		}
	}
	return "", false
}

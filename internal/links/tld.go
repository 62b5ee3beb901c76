package links

import "strings"

// Top-level domains a scheme-less candidate may end with. This is data,
// not the IANA root zone: it holds the country codes and the generic TLDs
// that show up in texts. A label missing here only means that a link
// written without "http(s)://" is not recognised.
const (
	// ISO 3166 country-code TLDs in use, except the ones that are far
	// more often file extensions in a text than domains: md (Markdown),
	// ps (PostScript), py (Python), rs (Rust), sh (shell).
	countryTLDs = `
		ad ae af ag ai al am ao aq ar as at au aw ax az
		ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by bz
		ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz
		de dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo fr
		ga gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy
		hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp
		ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly
		ma mc me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz
		na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr pt pw
		qa re ro ru rw sa sb sc sd se sg si sk sl sm sn so sr ss st su sv sx sy sz
		tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz
		va vc ve vg vi vn vu wf ws ye yt za zm zw`

	// Generic TLDs: the legacy ones, those used by campaigns and
	// organisers, and the cheap ones favoured by spam. zip and mov are
	// left out: in a text they are file names.
	genericTLDs = `
		com org net edu gov mil int info biz name pro mobi
		app dev page link site online website xyz top club shop store
		tech blog live life news email cloud one fun art design today
		world space digital media social network group community church
		foundation fund help team win click land ink global city
		nyc chicago miami vegas boston
		vote voto democrat republican gop
		inc llc ltd events jobs careers health care law legal
		energy solutions services agency center company gle
		academy school college university education ngo ong charity
		icu cfd sbs rest buzz cyou monster work works run`
)

// maxTLD is the longest label in the lists, so longer ones are rejected
// before any lookup.
const maxTLD = 16

// tlds is the read-only set of the labels above longer than 3 letters;
// short holds those of 2 and 3 letters, one bit each (shortTLD), so that
// the common lookups ("com", "org", "ly") need no hashing.
var tlds, short = func() (m map[string]bool, short [(26*26*26 + 26*26 + 63) / 64]uint64) {
	m = make(map[string]bool)
	for _, t := range strings.Fields(countryTLDs + " " + genericTLDs) {
		if i, ok := shortTLD(t); ok {
			short[i/64] |= 1 << (i % 64)
			continue
		}
		m[t] = true
	}
	return m, short
}()

// shortTLD returns the bit of the lowercase label t of 2 or 3 letters.
func shortTLD[S string | []byte](t S) (int, bool) {
	switch len(t) {
	case 2:
		return int(t[0]-'a')*26 + int(t[1]-'a'), true
	case 3:
		return 26*26 + (int(t[0]-'a')*26+int(t[1]-'a'))*26 + int(t[2]-'a'), true
	}
	return 0, false
}

// isTLD reports whether label, in any case, is a known TLD. It lowercases
// into a stack buffer so that the lookup does not allocate.
func isTLD(label string) bool {
	if len(label) < 2 || len(label) > maxTLD {
		return false
	}
	var buf [maxTLD]byte
	for i := 0; i < len(label); i++ {
		c := label[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c < 'a' || c > 'z':
			return false
		}
		buf[i] = c
	}
	if i, ok := shortTLD(buf[:len(label)]); ok {
		return short[i/64]&(1<<(i%64)) != 0
	}
	return tlds[string(buf[:len(label)])]
}

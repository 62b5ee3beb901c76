package synth

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Placeholders inside parsed templates.
const (
	phFirst  = "\x00f" // contact first name
	phTexter = "\x00t" // texter first name
)

// tmpl is a message body split into literal pieces and placeholders.
type tmpl struct {
	pieces []string
}

func parseTmpl(s string) tmpl {
	var p []string
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 || i+2 >= len(s) || s[i+2] != '}' || (s[i+1] != 'f' && s[i+1] != 't') {
			if i >= 0 && i+1 < len(s) {
				// a literal '{' that is not a placeholder
				p = append(p, s[:i+1])
				s = s[i+1:]
				continue
			}
			if s != "" {
				p = append(p, s)
			}
			return tmpl{pieces: p}
		}
		if i > 0 {
			p = append(p, s[:i])
		}
		if s[i+1] == 'f' {
			p = append(p, phFirst)
		} else {
			p = append(p, phTexter)
		}
		s = s[i+3:]
	}
}

func parseAll(src []string) []tmpl {
	out := make([]tmpl, len(src))
	for i, s := range src {
		out[i] = parseTmpl(s)
	}
	return out
}

// reply is a parsed inbound reply.
type reply struct {
	t     tmpl
	w     int
	media bool
	// autoOptOut: MoveOn/StateVoices' default auto-optout handler matches it
	// (it is then stored with error_code -133).
	autoOptOut bool
}

func parseReplies(src []replyTmpl) []reply {
	out := make([]reply, len(src))
	for i, r := range src {
		out[i] = reply{t: parseTmpl(r.text), w: r.w, media: r.media, autoOptOut: autoOptOutMatch(r.text)}
	}
	return out
}

// autoOptOutMatch approximates the default auto-optout regex of the MoveOn
// lineage (^\s*stop\b, "remove me", "unsubscribe", "cancel", "end", "quit"...).
func autoOptOutMatch(s string) bool {
	if isOptOutText([]byte(s)) {
		return true
	}
	t := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(t, "stop") && (len(t) == 4 || !isLetter(t[4])) {
		return true
	}
	return strings.Contains(t, "remove me")
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// rewiredTriggers is Spoke Rewired's own OPT_OUT_TRIGGERS list
// (politics-rewired/Spoke src/server/api/lib/message-sending.js): a reply
// equal to one, lower-cased and trimmed, opts the contact out there.
var rewiredTriggers = []string{"stop", "stop all", "stopall", "unsub", "unsubscribe", "cancel", "end", "quit",
	"stop2quit", "stop 2 quit", "stop=quit", "stop = quit", "stop to quit", "stoptoquit"}

// isRewiredTriggerText reports whether a reply opts out in Spoke Rewired.
func isRewiredTriggerText(b []byte) bool {
	return slices.Contains(rewiredTriggers, strings.ToLower(strings.TrimSpace(string(b))))
}

// isOptOutText reports whether the whole text, trimmed, case-insensitive and
// without trailing '.', '!' or '?', is one of optOutWords.
func isOptOutText(b []byte) bool {
	b = bytes.TrimSpace(b)
	for len(b) > 0 {
		c := b[len(b)-1]
		if c != '.' && c != '!' && c != '?' {
			break
		}
		b = b[:len(b)-1]
	}
	for _, w := range optOutWords {
		if len(b) == len(w) && bytes.EqualFold(b, []byte(w)) {
			return true
		}
	}
	return false
}

// render appends the template with its placeholders filled in.
func (t tmpl) render(dst []byte, first, texter string) []byte {
	for _, p := range t.pieces {
		switch p {
		case phFirst:
			dst = append(dst, first...)
		case phTexter:
			dst = append(dst, texter...)
		default:
			dst = append(dst, p...)
		}
	}
	return dst
}

// Quoting rules of the two CSV writers.
//
// papaparse unparse(): quote when the field contains , " \r \n or a BOM, or
// starts or ends with a space.
// @fast-csv/format 4.3.1: quote when the field contains , " \r \n ' or |.
var (
	papaSpecial = specialTable(",\"\r\n\xEF")
	fastSpecial = specialTable(",\"\r\n'|")
)

func specialTable(chars string) (t [256]bool) {
	for i := 0; i < len(chars); i++ {
		t[chars[i]] = true
	}
	return t
}

func needsQuote[T string | []byte](s T, fast bool) bool {
	if len(s) == 0 {
		return false
	}
	if fast {
		for i := 0; i < len(s); i++ {
			if fastSpecial[s[i]] {
				return true
			}
		}
		return false
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return true
	}
	for i := 0; i < len(s); i++ {
		if papaSpecial[s[i]] {
			if s[i] != 0xEF {
				return true
			}
			if i+2 < len(s) && s[i+1] == 0xBB && s[i+2] == 0xBF { // U+FEFF
				return true
			}
		}
	}
	return false
}

// appendField appends one CSV field, quoted and escaped as the dialect's
// writer would.
func appendField[T string | []byte](dst []byte, s T, fast bool) []byte {
	if !needsQuote(s, fast) {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, s[start:i+1]...)
			dst = append(dst, '"')
			start = i + 1
		}
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendPhone appends "+1" and a 10-digit NANP number.
func appendPhone(dst []byte, n int64) []byte {
	dst = append(dst, '+', '1')
	return strconv.AppendInt(dst, n, 10)
}

func append2(dst []byte, v int) []byte {
	return append(dst, byte('0'+v/10), byte('0'+v%10))
}

// civil converts days since 1970-01-01 to a proleptic Gregorian date
// (Howard Hinnant's days_from_civil inverse).
func civil(z int64) (y int64, m, d int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		m = int(mp + 3)
	} else {
		m = int(mp - 9)
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// tsFormat writes timestamps for one file: either UTC with "Z" (papaparse /
// moment toISOString) or the local offset "±hh:mm" (luxon toISO()).
type tsFormat struct {
	offMs  int64
	suffix string // "Z" or "+hh:mm"/"-hh:mm"
}

func newTSFormat(offsetSec int, zulu bool) tsFormat {
	if zulu {
		return tsFormat{suffix: "Z"}
	}
	var b []byte
	off := offsetSec
	if off < 0 {
		b = append(b, '-')
		off = -off
	} else {
		b = append(b, '+')
	}
	b = append2(b, off/3600)
	b = append(b, ':')
	b = append2(b, off%3600/60)
	return tsFormat{offMs: int64(offsetSec) * 1000, suffix: string(b)}
}

// append appends ms (Unix milliseconds) as YYYY-MM-DDTHH:MM:SS.sss plus the
// zone suffix. Years must be in 0..9999.
func (f tsFormat) append(dst []byte, ms int64) []byte {
	local := ms + f.offMs
	days := local / 86400000
	rem := local % 86400000
	if rem < 0 {
		rem += 86400000
		days--
	}
	y, mo, d := civil(days)
	dst = append2(dst, int(y/100))
	dst = append2(dst, int(y%100))
	dst = append(dst, '-')
	dst = append2(dst, mo)
	dst = append(dst, '-')
	dst = append2(dst, d)
	dst = append(dst, 'T')
	s := int(rem / 1000)
	dst = append2(dst, s/3600)
	dst = append(dst, ':')
	dst = append2(dst, s%3600/60)
	dst = append(dst, ':')
	dst = append2(dst, s%60)
	msec := int(rem % 1000)
	dst = append(dst, '.', byte('0'+msec/100), byte('0'+msec/10%10), byte('0'+msec%10))
	return append(dst, f.suffix...)
}

// segments estimates the SMS segment count of a body: GSM-7 (ASCII here)
// 160/153, otherwise UCS-2 70/67 code units.
func segments(b []byte) int {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	n := len(b)
	if ascii {
		if n <= 160 {
			return 1
		}
		return (n + 152) / 153
	}
	units := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r > 0xFFFF {
			units += 2
		} else {
			units++
		}
	}
	if units <= 70 {
		return 1
	}
	return (units + 66) / 67
}

// Package synth writes deterministic, realistic Spoke "messages export" CSV
// files in the dialects described in
// /work/shared/research/spoke-export-format.md, and computes the figures a
// correct reader must report for them (the Truth), independently of any
// reader.
package synth

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Dialect names.
const (
	DialectStateVoicesV10 = "statevoices-v10"
	DialectMoveOnV5       = "moveon-v5"
	DialectMoveOnLegacy   = "moveon-legacy"
	DialectRewired        = "rewired"
)

// Provider names.
const (
	ProviderTwilio    = "twilio"
	ProviderTelnyx    = "telnyx"
	ProviderBandwidth = "bandwidth"
)

// Dialects returns the supported dialect names.
func Dialects() []string {
	return []string{DialectStateVoicesV10, DialectMoveOnV5, DialectMoveOnLegacy, DialectRewired}
}

// Providers returns the supported provider names.
func Providers() []string {
	return []string{ProviderTwilio, ProviderTelnyx, ProviderBandwidth}
}

// Options controls the generator. Zero values pick defaults: Provider twilio
// (telnyx for rewired), Campaigns 3, Start a fixed per-dialect date.
type Options struct {
	Rows      int    // data rows, written exactly (0 writes an empty file, as Spoke does)
	Seed      uint64 // same Seed and options give byte-identical output
	Dialect   string // one of Dialects()
	Provider  string // twilio | telnyx | bandwidth
	Campaigns int    // number of campaigns (default 3)
	// Start is when the first campaign starts sending. For the rewired
	// dialect its zone offset is the offset written in attemptedAt (a UTC
	// Start gives "+00:00", like luxon on a UTC host).
	Start time.Time
	// EmptyTimestamps is the fraction (0..1) of rows whose timestamp is
	// written empty (Rewired v3.14.0-v4.18.0 bug). Default 0.
	EmptyTimestamps float64
	// PlantedDomain, when set, plants suspected silent filtering: a share
	// (PlantedShare) of contacts get an initial text that links to this
	// domain, with the usual send statuses (mostly DELIVERED), but reply
	// at PlantedReplyFactor times the usual rates, as if the carrier had
	// dropped the texts and reported them delivered. Off (""), the output
	// is that of the same options without these fields.
	PlantedDomain string
	// PlantedShare is the fraction of contacts planted (default 0.25).
	PlantedShare float64
	// PlantedReplyFactor scales every reply chance of a planted contact
	// (default 0.05: a twentieth of the replies).
	PlantedReplyFactor float64
	// BrokenColumns writes a campaign id and an error code of its own on
	// every row (1000000 and 100000 plus the row's index), what a shifted
	// column leaves in a real export: the broken export bench/hostile.sh
	// times. The rest of each row is what the same options write, and the
	// Truth returned describes that file, not this one.
	BrokenColumns bool
}

// CampaignTruth holds per-campaign figures.
type CampaignTruth struct {
	Outbound int `json:"outbound"`
	Errored  int `json:"errored"`
}

// Truth holds the figures computed by the generator while writing.
//
// ByStatus, Delivered and Errored count OUTBOUND rows only (inbound rows are
// always DELIVERED and are counted in Inbound).
type Truth struct {
	Dialect  string         `json:"dialect"`
	Provider string         `json:"provider"`
	Seed     uint64         `json:"seed"`
	Rows     int            `json:"rows"`
	Outbound int            `json:"outbound"`
	Inbound  int            `json:"inbound"`
	ByStatus map[string]int `json:"by_status"`
	// outbound DELIVERED / ERROR rows
	Delivered int `json:"delivered"`
	Errored   int `json:"errored"`
	// outbound ERROR rows whose primary (first) code is 21610, 40300 or 4775
	OptOutRejections int `json:"opt_out_rejections"`
	// inbound rows with code -133, or whose whole text (trimmed,
	// case-insensitive, without trailing . ! ?) is an opt-out word
	OptOutReplies int `json:"opt_out_replies"`
	// outbound ERROR rows by primary code ("" = no code)
	ErrorCodes map[string]int `json:"error_codes"`
	// newest attempted-at, RFC3339 with milliseconds, UTC; "" if none
	AsOf string `json:"as_of"`
	// outbound SENT rows more than 2h before AsOf / within 2h / no timestamp
	SentStuck      int                      `json:"sent_stuck"`
	SentPending    int                      `json:"sent_pending"`
	SentAgeUnknown int                      `json:"sent_age_unknown"`
	ByCampaign     map[string]CampaignTruth `json:"by_campaign"`
}

type dialect uint8

const (
	dSV10 dialect = iota
	dMOv5
	dMOLegacy
	dRewired
)

func parseDialect(s string) (dialect, bool) {
	switch s {
	case DialectStateVoicesV10:
		return dSV10, true
	case DialectMoveOnV5:
		return dMOv5, true
	case DialectMoveOnLegacy:
		return dMOLegacy, true
	case DialectRewired:
		return dRewired, true
	}
	return 0, false
}

// DefaultStart returns the start time used when Options.Start is zero.
func DefaultStart(d string) time.Time {
	switch d {
	case DialectMoveOnV5:
		return time.Date(2020, 3, 2, 15, 0, 0, 0, time.UTC)
	case DialectMoveOnLegacy:
		return time.Date(2019, 10, 8, 15, 0, 0, 0, time.UTC)
	case DialectRewired:
		return time.Date(2022, 10, 4, 9, 0, 0, 0, time.FixedZone("", -4*3600))
	default:
		return time.Date(2024, 10, 1, 14, 0, 0, 0, time.UTC)
	}
}

const (
	hourMs      = int64(3600 * 1000)
	minuteMs    = int64(60 * 1000)
	totalSpanMs = 46 * hourMs // first campaign start to export time
	windowMs    = 14 * hourMs // sending window of one campaign
	pendingMs   = 2 * hourMs  // SENT rows newer than this are "pending"
	blockSize   = 512         // contacts per output block
)

type campaign struct {
	id       int64
	idStr    string
	start    int64 // Unix ms
	window   int64
	scripts  []int // indices into initialScripts
	users    []string
	assigns  []int // indices into gen.assigns
	vars     []string
	mms      bool
	rowStart int
	rowEnd   int
}

type assignment struct {
	id     int64
	texter int
}

type row struct {
	t       int64 // Unix ms
	cc      int64 // campaign_contact_id
	contact int64 // 10-digit number
	camp    int32
	assign  int32
	user    string
	codes   string // as written ("30003|30005")
	primary string // first code
	text    tmpl
	first   string // contact first name
	inbound bool
	status  uint8
	media   int8
	vars    bool // campaign variables filled
	autoOpt bool // inbound reply matched the auto-optout handler
}

type gen struct {
	d      dialect
	o      Options
	r      *rand.Rand
	fast   bool // fast-csv quoting (rewired)
	sep    string
	ts     tsFormat
	tEnd   int64
	camps  []campaign
	assign []assignment
	nVars  int

	errCodes []weighted // provider (+ switchboard) list
	errTotal int

	contactMul, contactAdd, contactMod int64
	contactIdx                         int64

	planted tmpl // initial script of planted contacts

	rows []row // current block
	line []byte
	text []byte
	// written counts the rows written, for Options.BrokenColumns.
	written int

	truth    Truth
	sentTS   []int64
	maxTS    int64
	haveTS   bool
	byCamp   []CampaignTruth
	statuses [numStatuses]int
}

// Write generates o.Rows data rows in dialect o.Dialect and writes them to w.
// It returns the truth figures for the written file.
func Write(w io.Writer, o Options) (Truth, error) {
	d, ok := parseDialect(o.Dialect)
	if !ok {
		return Truth{}, fmt.Errorf("synth: unknown dialect %q (want one of %v)", o.Dialect, Dialects())
	}
	if o.Rows < 0 {
		return Truth{}, errors.New("synth: Rows must be >= 0")
	}
	if o.Provider == "" {
		if d == dRewired {
			o.Provider = ProviderTelnyx
		} else {
			o.Provider = ProviderTwilio
		}
	}
	if o.Provider != ProviderTwilio && o.Provider != ProviderTelnyx && o.Provider != ProviderBandwidth {
		return Truth{}, fmt.Errorf("synth: unknown provider %q (want one of %v)", o.Provider, Providers())
	}
	if o.Campaigns == 0 {
		o.Campaigns = 3
	}
	if o.Campaigns < 0 || o.Campaigns > 10000 {
		return Truth{}, errors.New("synth: Campaigns must be between 1 and 10000")
	}
	if !(o.EmptyTimestamps >= 0 && o.EmptyTimestamps <= 1) {
		return Truth{}, errors.New("synth: EmptyTimestamps must be between 0 and 1")
	}
	if err := checkPlanted(&o); err != nil {
		return Truth{}, err
	}
	if o.Start.IsZero() {
		o.Start = DefaultStart(o.Dialect)
	}
	if y := o.Start.Year(); y < 1971 || y > 9990 {
		return Truth{}, errors.New("synth: Start year out of range")
	}

	g := &gen{
		d:    d,
		o:    o,
		r:    rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)),
		fast: d == dRewired,
		sep:  "\r\n",
	}
	if d == dRewired {
		g.sep = "\n"
		_, off := o.Start.Zone()
		g.ts = newTSFormat(off, false)
	} else {
		g.ts = newTSFormat(0, true)
	}
	g.setup()
	if o.PlantedDomain != "" {
		g.planted = parseTmpl("Hi {f}, it's {t} with Example Org. Election Day is Tuesday! Find your polling place: https://" + o.PlantedDomain + "/p")
	}

	bw := bufio.NewWriterSize(w, 1<<20)
	if err := g.run(bw); err != nil {
		return Truth{}, err
	}
	if err := bw.Flush(); err != nil {
		return Truth{}, err
	}
	g.finish()
	return g.truth, nil
}

func (g *gen) setup() {
	r := g.r
	o := g.o
	g.truth = Truth{
		Dialect:    o.Dialect,
		Provider:   o.Provider,
		Seed:       o.Seed,
		ByStatus:   map[string]int{},
		ErrorCodes: map[string]int{},
		ByCampaign: map[string]CampaignTruth{},
	}

	// error code list
	switch o.Provider {
	case ProviderTwilio:
		g.errCodes = slices.Clone(twilioCodes)
		if g.d == dRewired {
			g.errCodes = append(g.errCodes, weighted{"63026", 30})
		}
	case ProviderTelnyx:
		g.errCodes = slices.Clone(telnyxCodes)
		if g.d == dRewired {
			g.errCodes = append(g.errCodes, switchboardCodes...)
		}
	case ProviderBandwidth:
		g.errCodes = slices.Clone(bandwidthCodes)
		if g.d == dRewired {
			g.errCodes = append(g.errCodes, switchboardCodes...)
		}
	}
	for _, c := range g.errCodes {
		g.errTotal += c.w
	}

	// contact numbers: a bijection idx -> (area code, exchange, line)
	g.contactMod = int64(len(areaCodes)) * 800 * 10000
	g.contactMul = 7919*int64(r.IntN(1000)+1)*2 + 1 // odd, not a multiple of 5 below
	for g.contactMul%5 == 0 {
		g.contactMul += 2
	}
	g.contactAdd = r.Int64N(g.contactMod)

	if g.d == dRewired {
		g.nVars = 1 + r.IntN(2)
	}

	// campaigns
	n := o.Campaigns
	start := o.Start.UnixMilli()
	g.tEnd = start + totalSpanMs
	spacing := int64(0)
	window := totalSpanMs
	if n > 1 {
		window = windowMs
		spacing = (totalSpanMs - windowMs) / int64(n-1)
	}
	weights := make([]float64, n)
	sum := 0.0
	for i := range weights {
		weights[i] = 0.5 + r.Float64()
		sum += weights[i]
	}
	campID := int64(50 + r.IntN(150))
	assignID := int64(3000 + r.IntN(5000))
	cum := 0.0
	prevEnd := 0
	g.camps = make([]campaign, n)
	g.byCamp = make([]CampaignTruth, n)
	for i := range g.camps {
		c := &g.camps[i]
		c.id = campID
		c.idStr = strconv.FormatInt(campID, 10)
		campID += 1 + int64(r.IntN(4))
		c.start = start + int64(i)*spacing
		c.window = window
		// scripts: one or two initial scripts
		c.scripts = []int{r.IntN(len(initialScripts))}
		if r.IntN(2) == 0 {
			c.scripts = append(c.scripts, r.IntN(len(initialScripts)))
		}
		// sending numbers
		nu := 3 + r.IntN(4)
		for range nu {
			num := areaCodes[r.IntN(len(areaCodes))]*10000000 + int64(200+r.IntN(800))*10000 + int64(r.IntN(10000))
			c.users = append(c.users, string(appendPhone(nil, num)))
		}
		// assignments (texters)
		nt := 3 + r.IntN(6)
		perm := r.Perm(len(texters))
		for k := 0; k < nt; k++ {
			g.assign = append(g.assign, assignment{id: assignID, texter: perm[k]})
			c.assigns = append(c.assigns, len(g.assign)-1)
			assignID += 1 + int64(r.IntN(3))
		}
		for v := 0; v < g.nVars; v++ {
			vals := campaignVarValues[v]
			c.vars = append(c.vars, vals[r.IntN(len(vals))])
		}
		c.mms = r.IntN(4) == 0
		cum += weights[i]
		c.rowStart = prevEnd
		c.rowEnd = int(float64(o.Rows) * cum / sum)
		if i == n-1 {
			c.rowEnd = o.Rows
		}
		prevEnd = c.rowEnd
	}
}

func (g *gen) run(bw *bufio.Writer) error {
	n := g.o.Rows
	if n == 0 {
		return nil // Spoke writes a 0-byte file for an empty export
	}
	g.writeHeader(bw)
	produced := 0
	ci := 0
	cc := int64(40000 + g.r.IntN(20000))
	contacts := 0
	for produced < n {
		for ci < len(g.camps)-1 && produced >= g.camps[ci].rowEnd {
			ci++
			cc += 100 + int64(g.r.IntN(5000))
		}
		before := len(g.rows)
		g.genContact(ci, cc, produced)
		cc++
		contacts++
		if k := len(g.rows) - before; produced+k > n {
			g.rows = g.rows[:before+n-produced]
		}
		produced += len(g.rows) - before
		if contacts >= blockSize || produced >= n {
			if err := g.flushBlock(bw); err != nil {
				return err
			}
			contacts = 0
		}
	}
	return nil
}

func (g *gen) writeHeader(bw *bufio.Writer) {
	var h []string
	switch g.d {
	case dSV10:
		h = headerSV10
	case dMOv5:
		h = headerMOv5
	case dMOLegacy:
		h = headerMOLg
	case dRewired:
		h = headerRW
	}
	line := g.line[:0]
	for i, s := range h {
		if i > 0 {
			line = append(line, ',')
		}
		line = appendField(line, s, g.fast)
	}
	for v := 0; v < g.nVars; v++ {
		line = append(line, ',')
		line = appendField(line, "campaignVariable["+campaignVarNames[v]+"]", g.fast)
	}
	g.line = line
	bw.Write(line)
}

// flushBlock writes the buffered rows. Rewired exports are ordered by contact
// then time (they already are). The MoveOn lineage has no ORDER BY, so rows
// of a block of contacts come out in creation order, like a heap scan.
func (g *gen) flushBlock(bw *bufio.Writer) error {
	if g.d != dRewired {
		slices.SortStableFunc(g.rows, func(a, b row) int {
			switch {
			case a.t < b.t:
				return -1
			case a.t > b.t:
				return 1
			}
			return 0
		})
	}
	for i := range g.rows {
		if err := g.writeRow(bw, &g.rows[i]); err != nil {
			return err
		}
	}
	g.rows = g.rows[:0]
	return nil
}

func pickStatus(r *rand.Rand, mix []statusWeight) uint8 {
	x := r.IntN(1000)
	for _, s := range mix {
		if x < s.w {
			return s.s
		}
		x -= s.w
	}
	return mix[0].s
}

func pickReply(r *rand.Rand, list []reply) *reply {
	total := 0
	for i := range list {
		total += list[i].w
	}
	x := r.IntN(total)
	for i := range list {
		if x < list[i].w {
			return &list[i]
		}
		x -= list[i].w
	}
	return &list[0]
}

func (g *gen) pickCode() string {
	x := g.r.IntN(g.errTotal)
	for _, c := range g.errCodes {
		if x < c.w {
			return c.code
		}
		x -= c.w
	}
	return g.errCodes[0].code
}

// replyDelay: how long a contact takes to answer.
func (g *gen) replyDelay() int64 {
	x := g.r.Float64()
	switch {
	case x < 0.5:
		return minuteMs/2 + g.r.Int64N(15*minuteMs)
	case x < 0.85:
		return 15*minuteMs + g.r.Int64N(3*hourMs)
	default:
		return 3*hourMs + g.r.Int64N(17*hourMs)
	}
}

// genContact appends all messages of one contact, in time order.
func (g *gen) genContact(ci int, cc int64, produced int) {
	r := g.r
	c := &g.camps[ci]
	span := c.rowEnd - c.rowStart
	p := 0.0
	if span > 0 {
		p = float64(produced-c.rowStart) / float64(span)
	}
	p = min(max(p, 0), 1)
	t0 := c.start + int64(p*float64(c.window)) + r.Int64N(20000)
	t0 = min(t0, g.tEnd-r.Int64N(1000))

	g.contactIdx++
	v := (g.contactIdx*g.contactMul + g.contactAdd) % g.contactMod
	nAreas := int64(len(areaCodes))
	rest := v / nAreas
	number := areaCodes[v%nAreas]*10000000 + (200+rest%800)*10000 + rest/800

	base := row{
		cc:      cc,
		contact: number,
		camp:    int32(ci),
		assign:  int32(c.assigns[r.IntN(len(c.assigns))]),
		user:    c.users[r.IntN(len(c.users))],
		first:   contactFirstNames[r.IntN(len(contactFirstNames))],
	}

	// 1. initial message
	script := initialScripts[c.scripts[r.IntN(len(c.scripts))]]
	replyScale := 1.0 // multiplies every reply chance
	if g.o.PlantedDomain != "" && r.Float64() < g.o.PlantedShare {
		script, replyScale = g.planted, g.o.PlantedReplyFactor
	}
	st := g.outbound(base, t0, script, mixNormal, true)
	if st != stDelivered && st != stSent {
		return
	}
	t := t0
	if r.Float64() < 0.175*replyScale {
		// 2a. the contact replies
		t += g.replyDelay()
		if t > g.tEnd {
			return
		}
		if r.Float64() < 0.25 {
			g.inbound(base, t, pickReply(r, optOutReplies))
			if g.d == dRewired && r.Float64() < 0.3 {
				// a later blast is refused by Switchboard: 21610
				t += 18*hourMs + r.Int64N(8*hourMs)
				if t <= g.tEnd {
					g.outboundFixed(base, t, followUps[r.IntN(len(followUps))], stError, "21610")
				}
			}
			return
		}
		g.inbound(base, t, pickReply(r, normalReplies))
		for round := 0; round < 2; round++ {
			if r.Float64() >= 0.7 {
				return
			}
			t += minuteMs + r.Int64N(30*minuteMs)
			if t > g.tEnd {
				return
			}
			st = g.outbound(base, t, texterReplies[r.IntN(len(texterReplies))], mixConvo, false)
			if st == stError || r.Float64() >= 0.35 {
				return
			}
			t += minuteMs + r.Int64N(90*minuteMs)
			if t > g.tEnd {
				return
			}
			if r.Float64() < 0.1 {
				g.inbound(base, t, pickReply(r, optOutReplies))
				return
			}
			g.inbound(base, t, pickReply(r, normalReplies))
		}
		return
	}
	if r.Float64() < 0.22 {
		// 2b. no reply: follow-up the next day
		t += 20*hourMs + r.Int64N(6*hourMs)
		if t > g.tEnd {
			return
		}
		st = g.outbound(base, t, followUps[r.IntN(len(followUps))], mixNormal, false)
		if (st == stDelivered || st == stSent) && r.Float64() < 0.08*replyScale {
			t += g.replyDelay()
			if t > g.tEnd {
				return
			}
			if r.Float64() < 0.3 {
				g.inbound(base, t, pickReply(r, optOutReplies))
			} else {
				g.inbound(base, t, pickReply(r, normalReplies))
			}
		}
	}
}

// outbound appends an outbound row with a status drawn from mix (or from
// mixRecent for rows created less than 2h before the export time) and
// returns the status.
func (g *gen) outbound(base row, t int64, text tmpl, mix []statusWeight, initial bool) uint8 {
	r := g.r
	if g.tEnd-t < pendingMs {
		mix = mixRecent
	}
	st := pickStatus(r, mix)
	codes := ""
	papa := g.d != dRewired
	switch st {
	case stError:
		codes = g.errorCode()
	case stSending:
		if g.d == dSV10 && r.IntN(2) == 0 {
			// failed API sends waiting for retry: -1..-4
			codes = [...]string{"-1", "-1", "-1", "-2", "-2", "-3", "-4"}[r.IntN(7)]
		}
	case stDelivered, stSent:
		if g.d == dSV10 {
			x := r.IntN(1000)
			switch {
			case initial && st == stDelivered && x < 5:
				codes = "-167" // initialtext-guard: altered initial message, still sent
			case x >= 997:
				codes = "-1" // success does not reset error_code
			}
		}
	}
	primary, _, _ := strings.Cut(codes, "|")
	row := base
	row.t = t
	row.text = text
	row.status = st
	row.codes = codes
	row.primary = primary
	row.vars = initial
	if initial && g.camps[base.camp].mms {
		row.media = 1
	}
	if papa && (st == stQueued || st == stSending || (st == stError && len(primary) > 0 && primary[0] == '-')) {
		row.user = "" // number only filled by the send result / delivery report
	} else if g.d == dMOv5 && st == stError && r.IntN(10) < 3 {
		row.user = ""
	} else if g.d == dRewired && st == stQueued {
		row.user = ""
	}
	g.rows = append(g.rows, row)
	return st
}

func (g *gen) outboundFixed(base row, t int64, text tmpl, st uint8, code string) {
	row := base
	row.t = t
	row.text = text
	row.status = st
	row.codes = code
	row.primary = code
	g.rows = append(g.rows, row)
}

func (g *gen) inbound(base row, t int64, rep *reply) {
	row := base
	row.t = t
	row.text = rep.t
	row.inbound = true
	row.status = stDelivered
	row.autoOpt = rep.autoOptOut
	if rep.media {
		row.media = 1
	}
	if rep.autoOptOut && (g.d == dSV10 || g.d == dMOv5) {
		row.codes = "-133"
		row.primary = "-133"
	}
	g.rows = append(g.rows, row)
}

// errorCode draws the code field of an outbound ERROR row.
func (g *gen) errorCode() string {
	r := g.r
	if g.d == dMOLegacy {
		return ""
	}
	x := r.IntN(1000)
	switch {
	case x < 30:
		return "" // failed report without a code
	case x < 35:
		return unknownCodes[r.IntN(len(unknownCodes))]
	}
	if g.d == dSV10 {
		switch {
		case g.o.Provider == ProviderBandwidth && x < 75:
			// failed create-message call: the HTTP status is stored
			if x < 60 {
				return "400"
			}
			return "429"
		case g.o.Provider != ProviderBandwidth && x < 155:
			return "-5" // 5th failed API attempt
		case x < 165:
			return "0" // failed delivery report with no ErrorCode
		}
	}
	c := g.pickCode()
	if g.d == dRewired && x >= 950 {
		c2 := g.pickCode()
		for i := 0; c2 == c && i < 8; i++ {
			c2 = g.pickCode()
		}
		if c2 != c {
			return c + "|" + c2
		}
	}
	return c
}

// checkPlanted validates the planted-domain options and fills their
// defaults.
func checkPlanted(o *Options) error {
	if o.PlantedDomain == "" {
		return nil
	}
	for _, c := range o.PlantedDomain {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return fmt.Errorf("synth: PlantedDomain %q: want a lower-case host name", o.PlantedDomain)
		}
	}
	if !strings.Contains(o.PlantedDomain, ".") {
		return fmt.Errorf("synth: PlantedDomain %q: want a host name with a dot", o.PlantedDomain)
	}
	if o.PlantedShare == 0 {
		o.PlantedShare = 0.25
	}
	if o.PlantedReplyFactor == 0 {
		o.PlantedReplyFactor = 0.05
	}
	if !(o.PlantedShare > 0 && o.PlantedShare <= 1) || !(o.PlantedReplyFactor > 0 && o.PlantedReplyFactor <= 1) {
		return errors.New("synth: PlantedShare and PlantedReplyFactor must be in (0, 1]")
	}
	return nil
}

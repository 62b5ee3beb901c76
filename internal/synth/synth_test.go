package synth

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// dialectCase describes what the test expects of one dialect; it is written
// from the research notes, independently of the generator's tables.
type dialectCase struct {
	dialect string
	header  string // exact fixed header (rewired: before the campaignVariable columns)
	varCols bool   // 1-2 campaignVariable[...] columns follow
	crlf    bool   // "\r\n" between rows, else "\n"
	fast    bool   // fast-csv quoting, else papaparse
	zone    string // expected timestamp suffix
	// column names
	inbound, status, ts, text, code, camp string
}

var dialectCases = []dialectCase{
	{
		dialect: "statevoices-v10",
		header:  "campaign_contact_id,campaign_id,user_number,contact_number,is_from_contact,send_status,attempted_at,text,error_code",
		crlf:    true, zone: "Z",
		inbound: "is_from_contact", status: "send_status", ts: "attempted_at", text: "text", code: "error_code", camp: "campaign_id",
	},
	{
		dialect: "moveon-v5",
		header:  "assignmentId,campaignId,userNumber,contactNumber,isFromContact,sendStatus,attemptedAt,text,errorCode",
		crlf:    true, zone: "Z",
		inbound: "isFromContact", status: "sendStatus", ts: "attemptedAt", text: "text", code: "errorCode", camp: "campaignId",
	},
	{
		dialect: "moveon-legacy",
		header:  "assignmentId,campaignId,userNumber,contactNumber,isFromContact,sendStatus,attemptedAt,text",
		crlf:    true, zone: "Z",
		inbound: "isFromContact", status: "sendStatus", ts: "attemptedAt", text: "text", camp: "campaignId",
	},
	{
		dialect: "rewired",
		header:  "assignmentId,userNumber,contactNumber,isFromContact,numSegments,numMedia,sendStatus,errorCodes,attemptedAt,text,campaignId,texter[firstName],texter[lastName],texter[email],texter[cell]",
		varCols: true, fast: true, zone: "-04:00",
		inbound: "isFromContact", status: "sendStatus", ts: "attemptedAt", text: "text", code: "errorCodes", camp: "campaignId",
	},
}

func generate(t testing.TB, o Options) ([]byte, Truth) {
	t.Helper()
	var buf bytes.Buffer
	tr, err := Write(&buf, o)
	if err != nil {
		t.Fatalf("Write(%+v): %v", o, err)
	}
	return buf.Bytes(), tr
}

// parsed is a CSV file read back with encoding/csv.
type parsed struct {
	header []string
	rows   [][]string
	ends   []int // input offset after each record (header included)
}

func parse(t testing.TB, data []byte) parsed {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	r.LazyQuotes = false
	var p parsed
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("csv: %v", err)
		}
		p.ends = append(p.ends, int(r.InputOffset()))
		if p.header == nil {
			p.header = rec
			continue
		}
		p.rows = append(p.rows, rec)
	}
	return p
}

func (p parsed) col(t testing.TB, name string) int {
	t.Helper()
	for i, h := range p.header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %q in %v", name, p.header)
	return -1
}

// Independent re-implementation of the truth rules.
var testOptOutWords = map[string]bool{
	"STOP": true, "STOPALL": true, "STOP ALL": true, "UNSUBSCRIBE": true, "CANCEL": true,
	"END": true, "QUIT": true, "REVOKE": true, "OPTOUT": true,
}

// testRewiredTriggers: Spoke Rewired's OPT_OUT_TRIGGERS, a second copy.
var testRewiredTriggers = map[string]bool{"stop": true, "stop all": true, "stopall": true, "unsub": true,
	"unsubscribe": true, "cancel": true, "end": true, "quit": true, "stop2quit": true, "stop 2 quit": true,
	"stop=quit": true, "stop = quit": true, "stop to quit": true, "stoptoquit": true}

func testIsOptOut(text string) bool {
	s := strings.TrimRight(strings.TrimSpace(text), ".!?")
	return testOptOutWords[strings.ToUpper(s)]
}

// recompute derives the truth figures from a parsed file.
func recompute(t testing.TB, dc dialectCase, p parsed) Truth {
	t.Helper()
	in, st, ts, tx, cp := p.col(t, dc.inbound), p.col(t, dc.status), p.col(t, dc.ts), p.col(t, dc.text), p.col(t, dc.camp)
	code := -1
	if dc.code != "" {
		code = p.col(t, dc.code)
	}
	tr := Truth{
		Dialect:    dc.dialect,
		ByStatus:   map[string]int{},
		ErrorCodes: map[string]int{},
		ByCampaign: map[string]CampaignTruth{},
	}
	var newest time.Time
	var sent []time.Time
	for _, rec := range p.rows {
		tr.Rows++
		var when time.Time
		if rec[ts] != "" {
			w, err := time.Parse(time.RFC3339Nano, rec[ts])
			if err != nil {
				t.Fatalf("timestamp %q: %v", rec[ts], err)
			}
			when = w
			if w.After(newest) {
				newest = w
			}
		}
		c := ""
		if code >= 0 {
			c = rec[code]
		}
		primary, _, _ := strings.Cut(c, "|")
		switch rec[in] {
		case "true":
			tr.Inbound++
			if rec[st] != "DELIVERED" {
				t.Errorf("inbound row with status %q", rec[st])
			}
			if c == "-133" || testIsOptOut(rec[tx]) || (dc.dialect == "rewired" && testRewiredTriggers[strings.ToLower(strings.TrimSpace(rec[tx]))]) {
				tr.OptOutReplies++
			}
			continue
		case "false":
		default:
			t.Fatalf("bad boolean %q", rec[in])
		}
		tr.Outbound++
		tr.ByStatus[rec[st]]++
		ct := tr.ByCampaign[rec[cp]]
		ct.Outbound++
		switch rec[st] {
		case "DELIVERED":
			tr.Delivered++
		case "ERROR":
			tr.Errored++
			ct.Errored++
			tr.ErrorCodes[primary]++
			if primary == "21610" || primary == "40300" || primary == "4775" {
				tr.OptOutRejections++
			}
		case "SENT":
			if when.IsZero() {
				tr.SentAgeUnknown++
			} else {
				sent = append(sent, when)
			}
		}
		tr.ByCampaign[rec[cp]] = ct
	}
	if !newest.IsZero() {
		tr.AsOf = newest.UTC().Format("2006-01-02T15:04:05.000Z07:00")
		for _, s := range sent {
			if newest.Sub(s) > 2*time.Hour {
				tr.SentStuck++
			} else {
				tr.SentPending++
			}
		}
	} else {
		tr.SentAgeUnknown += len(sent)
	}
	return tr
}

// testQuote is an independent implementation of the two writers' rules.
func testQuote(s string, fast bool) string {
	var q bool
	if fast {
		q = strings.ContainsAny(s, ",\"\r\n'|")
	} else {
		q = strings.ContainsAny(s, ",\"\r\n\ufeff") || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ")
	}
	if !q {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// containsField reports whether raw occurs in data as a whole field: after a
// comma and followed by a comma, a line break or the end of the file.
func containsField(data []byte, raw string) bool {
	needle := []byte("," + raw)
	for off := 0; ; {
		i := bytes.Index(data[off:], needle)
		if i < 0 {
			return false
		}
		end := off + i + len(needle)
		if end == len(data) || data[end] == ',' || data[end] == '\r' || data[end] == '\n' {
			return true
		}
		off += i + 1
	}
}

var varColRE = regexp.MustCompile(`^campaignVariable\[[a-z_]+\]$`)

func TestDialects(t *testing.T) {
	const n = 2000
	for _, dc := range dialectCases {
		t.Run(dc.dialect, func(t *testing.T) {
			data, truth := generate(t, Options{Rows: n, Seed: 1, Dialect: dc.dialect})
			p := parse(t, data)

			t.Run("header", func(t *testing.T) {
				want := strings.Split(dc.header, ",")
				got := p.header
				if dc.varCols {
					if len(got) < len(want)+1 || len(got) > len(want)+2 {
						t.Fatalf("header has %d columns, want %d+1..2: %v", len(got), len(want), got)
					}
					for _, h := range got[len(want):] {
						if !varColRE.MatchString(h) {
							t.Errorf("extra column %q is not campaignVariable[...]", h)
						}
					}
					got = got[:len(want)]
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("header\n got %v\nwant %v", got, want)
				}
				// the header line itself, raw
				sep := "\n"
				if dc.crlf {
					sep = "\r\n"
				}
				if !bytes.HasPrefix(data, []byte(dc.header)) || !bytes.Contains(data[:p.ends[0]], []byte(sep)) {
					t.Errorf("raw header line wrong: %q", data[:p.ends[0]])
				}
			})

			t.Run("shape", func(t *testing.T) {
				if len(p.rows) != n {
					t.Errorf("rows = %d, want %d", len(p.rows), n)
				}
				for i, rec := range p.rows {
					if len(rec) != len(p.header) {
						t.Fatalf("row %d has %d fields, header %d", i+1, len(rec), len(p.header))
					}
				}
				if truth.Rows != n {
					t.Errorf("truth.Rows = %d, want %d", truth.Rows, n)
				}
				if last := data[len(data)-1]; last == '\n' || last == '\r' {
					t.Errorf("file ends with a newline (%q)", data[len(data)-8:])
				}
			})

			t.Run("line-endings", func(t *testing.T) {
				for i, end := range p.ends {
					if end == len(data) {
						if i != len(p.ends)-1 {
							t.Fatalf("record %d ends at EOF but is not last", i)
						}
						continue
					}
					if dc.crlf {
						if end < 2 || string(data[end-2:end]) != "\r\n" {
							t.Fatalf("record %d not terminated by CRLF: %q", i, data[max(0, end-10):end])
						}
					} else if data[end-1] != '\n' || data[end-2] == '\r' {
						t.Fatalf("record %d not terminated by a bare LF: %q", i, data[max(0, end-10):end])
					}
				}
				if p.ends[len(p.ends)-1] != len(data) {
					t.Errorf("last record ends at %d, file size %d", p.ends[len(p.ends)-1], len(data))
				}
			})

			t.Run("timestamps", func(t *testing.T) {
				ts := p.col(t, dc.ts)
				msRE := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}` + regexp.QuoteMeta(dc.zone) + `$`)
				for i, rec := range p.rows {
					if _, err := time.Parse(time.RFC3339Nano, rec[ts]); err != nil {
						t.Fatalf("row %d: %v", i+1, err)
					}
					if !msRE.MatchString(rec[ts]) {
						t.Fatalf("row %d: timestamp %q not in the dialect's form", i+1, rec[ts])
					}
				}
			})

			t.Run("truth", func(t *testing.T) {
				want := recompute(t, dc, p)
				want.Provider, want.Seed = truth.Provider, truth.Seed
				if !reflect.DeepEqual(truth, want) {
					gj, _ := json.MarshalIndent(truth, "", " ")
					wj, _ := json.MarshalIndent(want, "", " ")
					t.Errorf("truth differs from the file\n got %s\nwant %s", gj, wj)
				}
				if truth.Outbound+truth.Inbound != n {
					t.Errorf("outbound %d + inbound %d != %d", truth.Outbound, truth.Inbound, n)
				}
			})

			t.Run("quoting", func(t *testing.T) {
				// Re-encode every record with the expected rules: must give back
				// the exact bytes.
				var b strings.Builder
				sep := "\n"
				if dc.crlf {
					sep = "\r\n"
				}
				for i, rec := range append([][]string{p.header}, p.rows...) {
					if i > 0 {
						b.WriteString(sep)
					}
					for j, f := range rec {
						if j > 0 {
							b.WriteByte(',')
						}
						b.WriteString(testQuote(f, dc.fast))
					}
				}
				// encoding/csv turns CRLF inside quoted fields into LF; compare
				// with CRLF normalised on both sides (line endings are checked
				// above).
				if norm := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }; norm(b.String()) != norm(string(data)) {
					t.Errorf("file differs from a re-encoding with the expected quoting rules")
				}
				// Specific cases must occur in the sample.
				var spaced, apos bool
				for _, rec := range p.rows {
					for _, f := range rec {
						if f == " Stop " || f == "  sure" || f == "ok " {
							spaced = true
							if raw := testQuote(f, dc.fast); !containsField(data, raw) {
								t.Errorf("field %q not written as %q", f, raw)
							}
							if dc.fast == strings.HasPrefix(testQuote(f, dc.fast), `"`) {
								t.Errorf("leading/trailing-space field %q: quoted=%v under fast=%v", f, !dc.fast, dc.fast)
							}
						}
						if strings.ContainsAny(f, "'|") && !strings.ContainsAny(f, ",\"\r\n") &&
							strings.TrimSpace(f) == f {
							apos = true
							quoted, plain := containsField(data, `"`+f+`"`), containsField(data, f)
							if quoted != dc.fast || plain == dc.fast {
								t.Errorf("field %q with ' or |: quoted=%v plain=%v, want quoted=%v", f, quoted, plain, dc.fast)
							}
						}
					}
				}
				if !spaced {
					t.Errorf("no field with a leading/trailing space in the sample")
				}
				if !apos {
					t.Errorf("no field with ' or | (and no other special character) in the sample")
				}
			})
		})
	}
}

// TestTruthProviders compares the truth with the file for every dialect and
// provider combination, with several campaigns.
func TestTruthProviders(t *testing.T) {
	for _, dc := range dialectCases {
		for _, prov := range []string{"twilio", "telnyx", "bandwidth"} {
			t.Run(dc.dialect+"/"+prov, func(t *testing.T) {
				data, truth := generate(t, Options{Rows: 4000, Seed: 11, Dialect: dc.dialect, Provider: prov, Campaigns: 4})
				want := recompute(t, dc, parse(t, data))
				want.Provider, want.Seed = prov, 11
				if !reflect.DeepEqual(truth, want) {
					t.Errorf("truth differs from the file\n got %+v\nwant %+v", truth, want)
				}
				if dc.code != "" && truth.OptOutRejections == 0 {
					t.Errorf("no opt-out rejections")
				}
			})
		}
	}
}

func TestDeterminism(t *testing.T) {
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) {
			a, ta := generate(t, Options{Rows: 3000, Seed: 42, Dialect: d})
			b, tb := generate(t, Options{Rows: 3000, Seed: 42, Dialect: d})
			if !bytes.Equal(a, b) {
				t.Errorf("same seed gave different bytes")
			}
			if !reflect.DeepEqual(ta, tb) {
				t.Errorf("same seed gave different truth")
			}
			c, _ := generate(t, Options{Rows: 3000, Seed: 43, Dialect: d})
			if bytes.Equal(a, c) {
				t.Errorf("different seeds gave identical bytes")
			}
		})
	}
}

func TestExactRowCounts(t *testing.T) {
	for _, d := range Dialects() {
		for _, n := range []int{1, 2, 3, 17, 513, 1001} {
			data, tr := generate(t, Options{Rows: n, Seed: uint64(n), Dialect: d, Campaigns: 4})
			p := parse(t, data)
			if len(p.rows) != n || tr.Rows != n {
				t.Errorf("%s rows=%d: parsed %d, truth %d", d, n, len(p.rows), tr.Rows)
			}
		}
		data, tr := generate(t, Options{Rows: 0, Seed: 1, Dialect: d})
		if len(data) != 0 || tr.Rows != 0 {
			t.Errorf("%s rows=0: got %d bytes, truth rows %d; want an empty file", d, len(data), tr.Rows)
		}
	}
}

func TestEmptyTimestamps(t *testing.T) {
	dc := dialectCases[3]
	data, truth := generate(t, Options{Rows: 3000, Seed: 5, Dialect: dc.dialect, EmptyTimestamps: 0.2})
	p := parse(t, data)
	ts := p.col(t, dc.ts)
	empty := 0
	for _, rec := range p.rows {
		if rec[ts] == "" {
			empty++
		}
	}
	if empty < 450 || empty > 750 {
		t.Errorf("%d of 3000 timestamps empty, want about 600", empty)
	}
	want := recompute(t, dc, p)
	want.Provider, want.Seed = truth.Provider, truth.Seed
	if !reflect.DeepEqual(truth, want) {
		t.Errorf("truth differs from file: got %+v want %+v", truth, want)
	}
	if truth.SentAgeUnknown == 0 {
		t.Errorf("sent_age_unknown = 0 with 20%% empty timestamps")
	}
}

func TestStartAndProvider(t *testing.T) {
	start := time.Date(2023, 11, 2, 12, 0, 0, 0, time.FixedZone("", 5*3600+30*60))
	data, tr := generate(t, Options{Rows: 2000, Seed: 9, Dialect: "rewired", Provider: "bandwidth", Start: start, Campaigns: 5})
	p := parse(t, data)
	ts := p.col(t, "attemptedAt")
	for _, rec := range p.rows {
		if !strings.HasSuffix(rec[ts], "+05:30") {
			t.Fatalf("timestamp %q does not carry the start offset", rec[ts])
		}
		w, _ := time.Parse(time.RFC3339Nano, rec[ts])
		if w.Before(start) || w.After(start.Add(48*time.Hour)) {
			t.Fatalf("timestamp %q outside the expected span", rec[ts])
		}
	}
	if len(tr.ByCampaign) != 5 {
		t.Errorf("by_campaign has %d campaigns, want 5", len(tr.ByCampaign))
	}
	for c := range tr.ErrorCodes {
		p, _, _ := strings.Cut(c, "|")
		if p == "30007" || p == "30003" || p == "30005" || p == "40002" {
			t.Errorf("twilio/telnyx code %q in a bandwidth file", c)
		}
	}
	if tr.ErrorCodes["4770"] == 0 {
		t.Errorf("no bandwidth 4770 in %v", tr.ErrorCodes)
	}

	// MoveOn dialects always write UTC "Z".
	data, _ = generate(t, Options{Rows: 200, Seed: 9, Dialect: "statevoices-v10", Start: start})
	p = parse(t, data)
	if got := p.rows[0][p.col(t, "attempted_at")]; !strings.HasSuffix(got, "Z") {
		t.Errorf("statevoices timestamp %q not UTC", got)
	}
}

// TestRealism checks the mix loosely on a bigger sample.
func TestRealism(t *testing.T) {
	tests := []struct {
		dialect string
		check   func(t *testing.T, p parsed, tr Truth)
	}{
		{"statevoices-v10", func(t *testing.T, p parsed, tr Truth) {
			codes := map[string]int{}
			emptyUser := 0
			ci, ui := p.col(t, "error_code"), p.col(t, "user_number")
			for _, rec := range p.rows {
				codes[rec[p.col(t, "send_status")]+" "+rec[ci]]++
				if rec[ui] == "" {
					emptyUser++
				}
			}
			for _, k := range []string{"SENDING -1", "SENDING -2", "ERROR -5", "DELIVERED -167", "DELIVERED -133", "ERROR 30007", "ERROR "} {
				if codes[k] == 0 {
					t.Errorf("no %q rows", k)
				}
			}
			if emptyUser == 0 {
				t.Errorf("no empty user_number")
			}
		}},
		{"rewired", func(t *testing.T, p parsed, tr Truth) {
			pipes := 0
			ci, in, tf := p.col(t, "errorCodes"), p.col(t, "isFromContact"), p.col(t, "texter[firstName]")
			for _, rec := range p.rows {
				if strings.Contains(rec[ci], "|") {
					pipes++
				}
				if (rec[in] == "true") != (rec[tf] == "") {
					t.Fatalf("texter column filled=%v on inbound=%s row", rec[tf] != "", rec[in])
				}
			}
			if pipes == 0 {
				t.Errorf("no pipe-joined errorCodes")
			}
			for _, c := range []string{"40002", "21610", "63026", "30001", "77777", ""} {
				if tr.ErrorCodes[c] == 0 {
					t.Errorf("no ERROR rows with code %q", c)
				}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.dialect, func(t *testing.T) {
			data, tr := generate(t, Options{Rows: 30000, Seed: 7, Dialect: tc.dialect})
			p := parse(t, data)
			share := func(k string) float64 { return float64(tr.ByStatus[k]) / float64(tr.Outbound) }
			for _, c := range []struct {
				s      string
				lo, hi float64
			}{{"DELIVERED", 0.72, 0.84}, {"ERROR", 0.07, 0.13}, {"SENT", 0.05, 0.11}, {"SENDING", 0.01, 0.04}, {"QUEUED", 0.01, 0.04}} {
				if s := share(c.s); s < c.lo || s > c.hi {
					t.Errorf("%s share %.3f outside [%.2f, %.2f]", c.s, s, c.lo, c.hi)
				}
			}
			if tr.SentStuck == 0 || tr.SentPending == 0 {
				t.Errorf("want both stuck and pending SENT rows: %d / %d", tr.SentStuck, tr.SentPending)
			}
			if tr.OptOutReplies == 0 || tr.OptOutRejections == 0 {
				t.Errorf("opt-outs: replies %d, rejections %d", tr.OptOutReplies, tr.OptOutRejections)
			}
			// ~15% of contacts reply
			contacts, replied := map[string]bool{}, map[string]bool{}
			cn, in := p.col(t, p.header[3]), p.col(t, p.header[4])
			if tc.dialect == "rewired" {
				cn, in = p.col(t, "contactNumber"), p.col(t, "isFromContact")
			}
			for _, rec := range p.rows {
				contacts[rec[cn]] = true
				if rec[in] == "true" {
					replied[rec[cn]] = true
				}
			}
			if r := float64(len(replied)) / float64(len(contacts)); r < 0.11 || r > 0.19 {
				t.Errorf("reply rate %.3f, want about 0.15", r)
			}
			if len(tr.ByCampaign) != 3 {
				t.Errorf("%d campaigns, want 3", len(tr.ByCampaign))
			}
			tc.check(t, p, tr)
		})
	}
}

func TestTimestampFormat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, off := range []int{0, -4 * 3600, -5 * 3600, 5*3600 + 30*60} {
		for _, zulu := range []bool{true, false} {
			f := newTSFormat(off, zulu)
			loc := time.FixedZone("", off)
			layout := "2006-01-02T15:04:05.000-07:00"
			if zulu {
				loc, layout = time.UTC, "2006-01-02T15:04:05.000Z"
			}
			for i := 0; i < 20000; i++ {
				ms := r.Int64N(8e12) // 1970..2223
				if i < 4 {
					ms = []int64{0, 86400000 - 1, 951782400000, 4107542399999}[i]
				}
				want := time.UnixMilli(ms).In(loc).Format(layout)
				if got := string(f.append(nil, ms)); got != want {
					t.Fatalf("off=%d zulu=%v ms=%d: got %s want %s", off, zulu, ms, got, want)
				}
			}
		}
	}
}

func TestOptOutText(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"STOP", true}, {"stop.", true}, {" Stop ", true}, {"STOP ALL", true}, {"Unsubscribe", true},
		{"stop!!", true}, {"optout", true}, {"Stop texting me", false}, {"Stopping by", false}, {"", false}, {"STOP2", false},
	} {
		if got := isOptOutText([]byte(c.s)); got != c.want || testIsOptOut(c.s) != c.want {
			t.Errorf("isOptOutText(%q) = %v (test impl %v), want %v", c.s, got, testIsOptOut(c.s), c.want)
		}
	}
}

func TestTruthJSON(t *testing.T) {
	_, tr := generate(t, Options{Rows: 500, Seed: 1, Dialect: "rewired"})
	b, err := json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"dialect", "rows", "outbound", "inbound", "by_status", "delivered", "errored",
		"opt_out_rejections", "opt_out_replies", "error_codes", "as_of", "sent_stuck", "sent_pending",
		"sent_age_unknown", "by_campaign"} {
		if _, ok := m[k]; !ok {
			t.Errorf("truth JSON lacks %q: %s", k, b)
		}
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000Z", tr.AsOf); err != nil {
		t.Errorf("as_of %q: %v", tr.AsOf, err)
	}
}

func TestBadOptions(t *testing.T) {
	for _, o := range []Options{
		{Rows: 10, Dialect: "nope"},
		{Rows: -1, Dialect: "rewired"},
		{Rows: 10, Dialect: "rewired", Provider: "nexmo"},
		{Rows: 10, Dialect: "rewired", EmptyTimestamps: 1.5},
		{Rows: 10, Dialect: "rewired", Campaigns: -2},
	} {
		if _, err := Write(io.Discard, o); err == nil {
			t.Errorf("Write(%+v) succeeded, want an error", o)
		}
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteError(t *testing.T) {
	if _, err := Write(&failWriter{n: 3 << 20}, Options{Rows: 100000, Dialect: "rewired"}); err == nil {
		t.Errorf("write error not reported")
	}
}

func BenchmarkWrite(b *testing.B) {
	for _, d := range []string{"statevoices-v10", "rewired"} {
		b.Run(d, func(b *testing.B) {
			var cw countWriter
			for b.Loop() {
				if _, err := Write(&cw, Options{Rows: 100000, Seed: 1, Dialect: d}); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(cw.n / int64(b.N))
		})
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

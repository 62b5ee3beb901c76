package registry

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// mustLoad loads the embedded registry or stops the test.
func mustLoad(t *testing.T) *Registry {
	t.Helper()
	r, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return r
}

// TestProviderCounts pins the number of rows per provider to the research
// tables: Twilio §1.3 (56 rows), Telnyx §2.1 (59), Bandwidth §3.1 (76) plus
// the 6 HTTP statuses Spoke stores, Spoke §5 (9 codes).
func TestProviderCounts(t *testing.T) {
	r := mustLoad(t)
	got := map[Provider]int{}
	for _, e := range r.All() {
		got[e.Provider]++
	}
	tests := []struct {
		provider Provider
		want     int
	}{
		{Twilio, 56},
		{Telnyx, 59},
		{Bandwidth, 76 + 6},
		{Spoke, 9},
	}
	total := 0
	for _, tt := range tests {
		total += tt.want
		if got[tt.provider] != tt.want {
			t.Errorf("%s: %d entries, want %d", tt.provider, got[tt.provider], tt.want)
		}
	}
	if n := len(r.All()); n != total {
		t.Errorf("total entries %d, want %d (unexpected provider?)", n, total)
	}
}

func TestEveryCategoryReachable(t *testing.T) {
	r := mustLoad(t)
	seen := map[Category]int{}
	for _, e := range r.All() {
		seen[e.Category]++
	}
	for _, c := range Categories() {
		pseudo := c == UnknownCategory || c == NoCode
		switch {
		case pseudo && seen[c] > 0:
			t.Errorf("pseudo-category %s appears in codes.csv", c)
		case !pseudo && seen[c] == 0:
			t.Errorf("category %s has no entries", c)
		}
	}
}

func TestNoDuplicatesAndSorted(t *testing.T) {
	all := mustLoad(t).All()
	seen := map[key]bool{}
	for _, e := range all {
		k := key{e.Code, e.Provider}
		if seen[k] {
			t.Errorf("duplicate %v", k)
		}
		seen[k] = true
	}
	if !slices.IsSortedFunc(all, compareEntries) {
		t.Error("All() is not sorted by provider then numeric code")
	}
}

func TestURLs(t *testing.T) {
	want := map[Provider]string{
		Telnyx:    "https://developers.telnyx.com/docs/messaging/messages/error-codes",
		Bandwidth: "https://dev.bandwidth.com/docs/messaging/errors",
		Spoke:     "https://github.com/StateVoicesNational/Spoke/blob/main/src/extensions/service-vendors/service_map.js",
	}
	for _, e := range mustLoad(t).All() {
		w, ok := want[e.Provider]
		if e.Provider == Twilio {
			w, ok = "https://www.twilio.com/docs/api/errors/"+e.Code, true
		}
		if !ok || e.URL != w {
			t.Errorf("%s/%s url %q, want %q", e.Provider, e.Code, e.URL, w)
		}
	}
}

func TestSpotChecks(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		code     string
		provider Provider
		category Category
		retry    string
		charged  string // "" = not checked
	}{
		{"21610", Twilio, OptedOut, "permanent", "no"},
		{"40300", Telnyx, OptedOut, "permanent", "unknown"},
		{"4775", Bandwidth, OptedOut, "permanent", "yes"},
		{"30007", Twilio, SpamBlocked, "content-fix", "yes"},
		{"4771", Bandwidth, SpamBlocked, "content-fix", "yes"},
		{"-133", Spoke, OptedOut, "permanent", "no"},
		{"-1", Spoke, SpokeInternal, "transient", "no"},
		{"-5", Spoke, SpokeInternal, "permanent", "no"},
		{"429", Bandwidth, RateLimited, "transient", "no"},
		{"401", Bandwidth, SenderConfig, "sender-fix", "no"},
		{"415", Bandwidth, SpokeInternal, "sender-fix", "no"},
		{"30006", Twilio, LandlineOrUnsupported, "permanent", "yes"},
		{"30009", Twilio, CarrierFailure, "unknown", "unknown"}, // inbound-only
		{"30001", Twilio, RateLimited, "transient", "yes"},      // $0.001 fee
		{"30008", Twilio, CarrierFailure, "unknown", "unknown"}, // "varies"
		{"5600", Bandwidth, CarrierFailure, "transient", "yes"},
	}
	for _, tt := range tests {
		e, ok := r.Lookup(tt.code, tt.provider)
		if !ok {
			t.Errorf("%s/%s: not found", tt.provider, tt.code)
			continue
		}
		if e.Provider != tt.provider || e.Category != tt.category || e.Retry != tt.retry ||
			(tt.charged != "" && e.Charged != tt.charged) {
			t.Errorf("%s/%s = %+v, want provider %s category %s retry %s charged %q",
				tt.provider, tt.code, e, tt.provider, tt.category, tt.retry, tt.charged)
		}
	}
}

func TestTitles(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		code  string
		hint  Provider
		title string
	}{
		{"4770", Bandwidth, "destination-spam-detected: Carrier Rejected as SPAM"},
		{"429", Bandwidth, "HTTP 429 from Bandwidth API: too many requests (max-message-queue-size-exceeded)"},
		{"21610", Twilio, "Attempt to send to unsubscribed recipient"},
		{"40300", Telnyx, "Blocked due to STOP message"},
		{"-133", Spoke, "Auto-optout (no error)"},
	}
	for _, tt := range tests {
		if e, _ := r.Lookup(tt.code, tt.hint); e.Title != tt.title {
			t.Errorf("%s title %q, want %q", tt.code, e.Title, tt.title)
		}
	}
}

func TestLookupFallback(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		name   string
		code   string
		hint   Provider
		want   Provider
		wantOK bool
	}{
		{"Switchboard writes Twilio codes on Telnyx", "21610", Telnyx, Twilio, true},
		{"Telnyx code under Twilio hint", "40001", Twilio, Telnyx, true},
		{"only Telnyx defines 10001", "10001", Twilio, Telnyx, true},
		{"only Twilio defines 20429", "20429", Telnyx, Twilio, true},
		{"no hint", "4775", "", Bandwidth, true},
		{"pseudo hint ignored", "30007", Mixed, Twilio, true},
		{"normalised before lookup", " +030007 ", Twilio, Twilio, true},
		{"absent", "99999", "", "", false},
		{"empty", "", Twilio, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := r.Lookup(tt.code, tt.hint)
			if ok != tt.wantOK || e.Provider != tt.want {
				t.Errorf("Lookup(%q, %q) = %s, %v; want %s, %v", tt.code, tt.hint, e.Provider, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// sharedCSV defines codes at two providers so the multi-provider branch of
// Lookup can be tested; the real data has no such overlap today.
const sharedCSV = `code,provider,title,category,retry,charged,url
10001,twilio,Account is not active,sender_config,sender-fix,unknown,https://t/10001
10001,telnyx,Inactive phone number,invalid_number,permanent,unknown,https://x
21610,telnyx,made-up,opted_out,permanent,unknown,https://x
21610,twilio,Attempt to send to unsubscribed recipient,opted_out,permanent,no,https://t/21610
`

func TestLookupSharedCode(t *testing.T) {
	r, err := parse([]byte(sharedCSV))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		code   string
		hint   Provider
		want   Provider
		wantOK bool
	}{
		{"10001", Telnyx, Telnyx, true},
		{"10001", Twilio, Twilio, true},
		{"10001", "", "", false},        // ambiguous range, no hint
		{"10001", Bandwidth, "", false}, // hint has no entry
		{"21610", "", Twilio, true},     // InferProvider picks Twilio
		{"21610", Telnyx, Telnyx, true}, // exact hint wins
	}
	for _, tt := range tests {
		e, ok := r.Lookup(tt.code, tt.hint)
		if ok != tt.wantOK || e.Provider != tt.want {
			t.Errorf("Lookup(%q, %q) = %s, %v; want %s, %v", tt.code, tt.hint, e.Provider, ok, tt.want, tt.wantOK)
		}
	}
	got := r.Entries("10001")
	if len(got) != 2 || got[0].Provider != Telnyx || got[1].Provider != Twilio {
		t.Errorf("Entries(10001) = %+v, want telnyx then twilio", got)
	}
}

func TestEntriesAndAllAreCopies(t *testing.T) {
	r := mustLoad(t)
	r.All()[0].Title = "changed"
	if r.All()[0].Title == "changed" {
		t.Error("All exposes internal slice")
	}
	es := r.Entries("21610")
	if len(es) != 1 {
		t.Fatalf("Entries(21610) = %d entries, want 1", len(es))
	}
	es[0].Title = "changed"
	if r.Entries("21610")[0].Title == "changed" {
		t.Error("Entries exposes internal slice")
	}
	if got := r.Entries("99999"); len(got) != 0 {
		t.Errorf("Entries(99999) = %v, want none", got)
	}
}

func TestUnknown(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		code string
		hint Provider
		want Provider
	}{
		{"10999", "", Unknown},     // ambiguous, no hint
		{"10999", Telnyx, Telnyx},  // ambiguous, hint decides
		{"30999", Telnyx, Twilio},  // unambiguous range beats hint
		{"4999", "", Bandwidth},    // 4 digits
		{"12345", Twilio, Unknown}, // hint only breaks ties
		{"-999", "", Spoke},
	}
	for _, tt := range tests {
		e := r.Unknown(tt.code, tt.hint)
		if e.Provider != tt.want || e.Category != UnknownCategory || e.Retry != "unknown" ||
			e.Charged != "unknown" || e.Title != "Unknown error code" || e.Code != tt.code {
			t.Errorf("Unknown(%q, %q) = %+v, want provider %s", tt.code, tt.hint, e, tt.want)
		}
	}
}

func TestInferProvider(t *testing.T) {
	tests := []struct {
		code      string
		want      Provider
		ambiguous bool
	}{
		{"-133", Spoke, false},
		{"400", Bandwidth, false},
		{"4775", Bandwidth, false},
		{"40300", Telnyx, false},
		{"40333", Telnyx, false},
		{"30007", Twilio, false},
		{"21610", Twilio, false},
		{"63026", Twilio, false},
		{"14107", Twilio, false},
		{"10001", Unknown, true},
		{"20429", Unknown, true},
		{"", Unknown, false},
		{"abc", Unknown, false},
		{"12345", Unknown, false},
		{"40400", Unknown, false},
		{"0", Unknown, false},
		{"123456", Unknown, false},
		{"030007", Twilio, false},
	}
	for _, tt := range tests {
		p, amb := InferProvider(tt.code)
		if p != tt.want || amb != tt.ambiguous {
			t.Errorf("InferProvider(%q) = %s, %v; want %s, %v", tt.code, p, amb, tt.want, tt.ambiguous)
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"30007", "30007"},
		{"030007", "30007"},
		{" 30007 ", "30007"},
		{"+30007", "30007"},
		{"-0133", "-133"},
		{"-133", "-133"},
		{"0", "0"},
		{"000", "0"},
		{"-0", "0"},
		{"", ""},
		{"  ", ""},
		{" abc ", "abc"},
		{"30007.0", "30007"}, // Excel re-save
		{"-133.0", "-133"},
		{"3.5", "3.5"},
		{"+-5", "+-5"},
		{"-", "-"},
	}
	for _, tt := range tests {
		if got := NormalizeCode(tt.in); got != tt.want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseProvider(t *testing.T) {
	tests := []struct {
		in      string
		want    Provider
		wantErr bool
	}{
		{"twilio", Twilio, false},
		{" Telnyx ", Telnyx, false},
		{"BANDWIDTH", Bandwidth, false},
		{"spoke", "", true},
		{"mixed", "", true},
		{"", "", true},
		{"nexmo", "", true},
	}
	for _, tt := range tests {
		got, err := ParseProvider(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseProvider(%q) = %q, %v", tt.in, got, err)
		}
		if err != nil && !strings.Contains(err.Error(), "twilio, telnyx, bandwidth") {
			t.Errorf("ParseProvider(%q) error %q does not list valid values", tt.in, err)
		}
	}
}

func TestParseCategory(t *testing.T) {
	for _, c := range Categories() {
		if got, err := ParseCategory(strings.ToUpper(string(c))); got != c || err != nil {
			t.Errorf("ParseCategory(%q) = %q, %v", c, got, err)
		}
	}
	for _, in := range []string{"", "spam", "opted-out"} {
		_, err := ParseCategory(in)
		if err == nil {
			t.Errorf("ParseCategory(%q) succeeded", in)
			continue
		}
		if !strings.Contains(err.Error(), "opted_out") || !strings.Contains(err.Error(), "no_code") {
			t.Errorf("ParseCategory(%q) error %q does not list valid names", in, err)
		}
	}
}

func TestCategoriesFreshSlice(t *testing.T) {
	c := Categories()
	if len(c) != 13 || c[0] != OptedOut || c[10] != SpokeInternal || c[12] != NoCode {
		t.Fatalf("Categories() = %v", c)
	}
	c[0] = "x"
	if Categories()[0] != OptedOut {
		t.Error("Categories returns a shared slice")
	}
}

func TestEntryJSON(t *testing.T) {
	b, err := json.Marshal(Entry{Code: "1", Provider: Twilio})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range columns() {
		if !strings.Contains(string(b), `"`+k+`":`) {
			t.Errorf("JSON %s lacks key %q", b, k)
		}
	}
}

const header = "code,provider,title,category,retry,charged,url\n"
const goodRow = "30007,twilio,Message filtered,spam_blocked,content-fix,yes,https://x\n"

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string // substring of the error
	}{
		{"empty", "", "line 1: missing header"},
		{"wrong header", "code,provider,title\n" + goodRow, "line 1: header"},
		{"field count", header + goodRow + "30008,twilio,x\n", "line 3: wrong number of fields"},
		{"bare quote", header + goodRow + `1,twilio,a"b,x,y,z,w` + "\n", "line 3"},
		{"bad provider", header + "1,nexmo,t,spam_blocked,permanent,no,https://x\n", `line 2: code 1: unknown provider "nexmo"`},
		{"pseudo provider", header + "1,mixed,t,spam_blocked,permanent,no,https://x\n", "line 2: code 1: unknown provider"},
		{"bad category", header + goodRow + "1,twilio,t,spam,permanent,no,https://x\n", `line 3: code 1: invalid category "spam"`},
		{"pseudo category", header + "1,twilio,t,unknown,permanent,no,https://x\n", "line 2: code 1: invalid category"},
		{"bad retry", header + "1,twilio,t,spam_blocked,maybe,no,https://x\n", `line 2: code 1: invalid retry "maybe"`},
		{"bad charged", header + "1,twilio,t,spam_blocked,permanent,YES,https://x\n", `line 2: code 1: invalid charged "YES"`},
		{"non-integer code", header + "abc,twilio,t,spam_blocked,permanent,no,https://x\n", `line 2: code "abc"`},
		{"leading zero", header + "030007,twilio,t,spam_blocked,permanent,no,https://x\n", `line 2: code "030007"`},
		{"empty title", header + "1,twilio,,spam_blocked,permanent,no,https://x\n", "line 2: code 1: empty title"},
		{"bad url", header + "1,twilio,t,spam_blocked,permanent,no,x\n", "line 2: code 1: url"},
		{"duplicate", header + goodRow + goodRow, "line 3: duplicate code 30007 for provider twilio"},
		{"header only", header, "no entries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse([]byte(tt.data))
			if err == nil {
				t.Fatal("parse succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "codes.csv") {
				t.Errorf("error %q, want it to start with codes.csv and contain %q", err, tt.want)
			}
		})
	}
}

// TestParseMultilineLineNumbers checks that a quoted field spanning lines
// does not throw off the line number reported for later rows.
func TestParseMultilineLineNumbers(t *testing.T) {
	data := header + "1,twilio,\"two\nlines\",spam_blocked,permanent,no,https://x\n" +
		"2,twilio,t,spam_blocked,permanent,nope,https://x\n"
	_, err := parse([]byte(data))
	if err == nil || !strings.Contains(err.Error(), "line 4:") {
		t.Errorf("error %v, want line 4", err)
	}
}

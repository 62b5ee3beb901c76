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
// the 6 HTTP statuses Spoke stores, Spoke §5 (9 codes), and the codes
// registry-audit.md adds: Twilio 10001 (shared with Telnyx), 30453, 12400,
// 12300, 63038, 21621, 21267, 21268, 21659-21661, 30014-30016 (14); Telnyx
// 40155, 40327 (2); Spoke -6 (1).
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
		{Twilio, 56 + 14},
		{Telnyx, 59 + 2},
		{Bandwidth, 76 + 6},
		{Spoke, 9 + 1},
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
		if e.Provider == Spoke && e.Code == "-6" { // not in service_map.js
			w = "https://github.com/StateVoicesNational/Spoke/blob/main/src/extensions/service-vendors/twilio/index.js"
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
		retry    Retry
		charged  string // "" = not checked
	}{
		{"21610", Twilio, OptedOut, "permanent", "no"},
		{"40300", Telnyx, OptedOut, "permanent", "unknown"},
		{"4775", Bandwidth, OptedOut, "permanent", "yes"},
		{"30007", Twilio, SpamBlocked, "content-fix", "yes"},
		{"4771", Bandwidth, SpamBlocked, "content-fix", "yes"},
		{"-133", Spoke, OptedOut, "permanent", "no"}, // a flag on the inbound reply
		{"-1", Spoke, SpokeInternal, "transient", "no"},
		{"-5", Spoke, SpokeInternal, "transient", "no"},
		{"429", Bandwidth, RateLimited, "transient", "no"},
		{"401", Bandwidth, SenderConfig, "sender-fix", "no"},
		{"415", Bandwidth, SpokeInternal, "sender-fix", "no"},
		{"30006", Twilio, LandlineOrUnsupported, "permanent", "yes"},
		{"30009", Twilio, CarrierFailure, "none", "unknown"},    // inbound-only
		{"30001", Twilio, RateLimited, "transient", "fee"},      // $0.001 fee
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
		{"shared 10001 read as Twilio's", "10001", Twilio, Twilio, true},
		{"shared 10001 read as Telnyx's", "10001", Telnyx, Telnyx, true},
		{"shared 10001 without a hint", "10001", "", "", false},
		{"only Telnyx defines 20012", "20012", Twilio, Telnyx, true},
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
// Lookup can be tested, including an overlap the real data lacks (21610).
const sharedCSV = `code,provider,title,category,retry,charged,kind,url,source,note
10001,twilio,Account is not active,sender_config,sender-fix,unknown,failure,https://t/10001,https://s,
10001,telnyx,Inactive phone number,invalid_number,permanent,unknown,failure,https://x,https://s,
21610,telnyx,made-up,opted_out,permanent,unknown,failure,https://x,https://s,
21610,twilio,Attempt to send to unsubscribed recipient,opted_out,permanent,no,failure,https://t/21610,https://s,
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
		{"a\x1fb", "a b"}, // the separator of nested group keys
		{"7\x1f", "7"},
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

const header = "code,provider,title,category,retry,charged,kind,url,source,note\n"
const goodRow = "30007,twilio,Message filtered,spam_blocked,content-fix,yes,failure,https://x,https://s,\n"

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
		{"bad provider", header + "1,nexmo,t,spam_blocked,permanent,no,failure,https://x,https://s,\n", `line 2: code 1: unknown provider "nexmo"`},
		{"pseudo provider", header + "1,mixed,t,spam_blocked,permanent,no,failure,https://x,https://s,\n", "line 2: code 1: unknown provider"},
		{"bad category", header + goodRow + "1,twilio,t,spam,permanent,no,failure,https://x,https://s,\n", `line 3: code 1: invalid category "spam"`},
		{"pseudo category", header + "1,twilio,t,unknown,permanent,no,failure,https://x,https://s,\n", "line 2: code 1: invalid category"},
		{"bad retry", header + "1,twilio,t,spam_blocked,maybe,no,failure,https://x,https://s,\n", `line 2: code 1: invalid retry "maybe"`},
		{"bad charged", header + "1,twilio,t,spam_blocked,permanent,YES,failure,https://x,https://s,\n", `line 2: code 1: invalid charged "YES"`},
		{"non-integer code", header + "abc,twilio,t,spam_blocked,permanent,no,failure,https://x,https://s,\n", `line 2: code "abc"`},
		{"leading zero", header + "030007,twilio,t,spam_blocked,permanent,no,failure,https://x,https://s,\n", `line 2: code "030007"`},
		{"empty title", header + "1,twilio,,spam_blocked,permanent,no,failure,https://x,https://s,\n", "line 2: code 1: empty title"},
		{"bad url", header + "1,twilio,t,spam_blocked,permanent,no,failure,x,https://s,\n", "line 2: code 1: url"},
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
	data := header + "1,twilio,\"two\nlines\",spam_blocked,permanent,no,failure,https://x,https://s,\n" +
		"2,twilio,t,spam_blocked,permanent,nope,failure,https://x,https://s,\n"
	_, err := parse([]byte(data))
	if err == nil || !strings.Contains(err.Error(), "line 4:") {
		t.Errorf("error %v, want line 4", err)
	}
}

// TestEverySourceNamed: every row says where its facts come from, with
// https URLs; GitHub ones are pinned to a commit, not a branch.
func TestEverySourceNamed(t *testing.T) {
	for _, e := range mustLoad(t).All() {
		srcs := Sources(e)
		if len(srcs) == 0 || srcs[0] == "" {
			t.Errorf("%s/%s: no source", e.Provider, e.Code)
		}
		for _, s := range srcs {
			if !strings.HasPrefix(s, "https://") {
				t.Errorf("%s/%s: source %q is not https", e.Provider, e.Code, s)
			}
			if strings.HasPrefix(s, "https://github.com/") && strings.Contains(s, "/blob/main/") {
				t.Errorf("%s/%s: source %q is not pinned to a commit", e.Provider, e.Code, s)
			}
		}
	}
}

func TestSourceRejected(t *testing.T) {
	head := "code,provider,title,category,retry,charged,kind,url,source,note\n"
	for name, row := range map[string]string{
		"empty":   `1,spoke,t,spoke_internal,unknown,no,failure,https://x,,`,
		"not URL": `1,spoke,t,spoke_internal,unknown,no,failure,https://x,see the docs,`,
		"one bad": `1,spoke,t,spoke_internal,unknown,no,failure,https://x,https://a ; http://b,`,
		"kind":    `1,spoke,t,spoke_internal,unknown,no,error,https://x,https://a,`,
		"retry":   `1,spoke,t,spoke_internal,later,no,failure,https://x,https://a,`,
		"charged": `1,spoke,t,spoke_internal,unknown,maybe,failure,https://x,https://a,`,
	} {
		if _, err := parse([]byte(head + row + "\n")); err == nil {
			t.Errorf("%s: parse accepted %q", name, row)
		}
	}
	if _, err := parse([]byte(head + `1,spoke,t,spoke_internal,none,fee,flag,https://x,https://a ; https://b,n` + "\n")); err != nil {
		t.Errorf("valid row rejected: %v", err)
	}
}

// TestAuditCorrections asserts each row registry-audit.md corrects or adds
// against the audit's table (its source is given per case).
func TestAuditCorrections(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		code     string
		provider Provider
		title    string // "" = not checked
		category Category
		retry    Retry
		charged  string
		kind     Kind
		source   string // a substring the source column must contain
	}{
		// SVN twilio/index.js postMessageSend: -5 is retried once more; -6 is final.
		{"-5", Spoke, "", SpokeInternal, Transient, "no", Failure, "service-vendors/twilio/index.js"},
		{"-6", Spoke, "", SpokeInternal, Transient, "no", Failure, "service-vendors/twilio/index.js"},
		// SVN initaltext-guard: the text is flagged and still sent (and billed).
		{"-167", Spoke, "", SpokeInternal, RetryNone, "yes", Flag, "initaltext-guard/index.js"},
		{"-133", Spoke, "", OptedOut, Permanent, "no", Flag, "auto-optout/index.js"},
		// twilio.com/docs/api/errors/30450: a 15-30 minute block.
		{"30450", Twilio, "Message delivery blocked", SpamBlocked, Transient, "no", Failure, "errors/30450"},
		{"21612", Twilio, `Message cannot be sent with the current combination of "To" and/or "From" parameters`, SenderConfig, SenderFix, "no", Failure, "errors/21612"},
		{"21408", Twilio, "Permission to send an SMS or MMS has not been enabled for the region indicated by the 'To' number", SenderConfig, SenderFix, "no", Failure, "twilio-error-rs"},
		{"21606", Twilio, "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account", SenderConfig, SenderFix, "no", Failure, "twilio-error-rs"},
		{"30025", Twilio, "", RateLimited, RetryNone, "yes", Warning, "twilio-error-rs"},
		{"30026", Twilio, "", RateLimited, RetryNone, "yes", Warning, "twilio-error-rs"},
		{"30009", Twilio, "", CarrierFailure, RetryNone, "unknown", Inbound, "twilio-error-rs"},
		{"30038", Twilio, "", CarrierFailure, RetryNone, "unknown", Inbound, "errors/30038"},
		{"30039", Twilio, "", CarrierFailure, RetryNone, "unknown", Inbound, "errors/30039"},
		// Fee article 27502337507483; Switchboard send-message.ts for 30001.
		{"30001", Twilio, "Queue overflow", RateLimited, Transient, "fee", Failure, "switchboard-rewired"},
		{"14107", Twilio, "", RateLimited, Transient, "fee", Failure, "27502337507483"},
		{"30010", Twilio, "", SenderConfig, SenderFix, "fee", Failure, "27502337507483"},
		{"30410", Twilio, "", CarrierFailure, Transient, "fee", Failure, "27502337507483"},
		{"63026", Twilio, "", SpamBlocked, ContentFix, "no", Failure, "switchboard-rewired"},
		// errors.mdx: "Repeating the request will produce the same result".
		{"4701", Bandwidth, "", Unreachable, Permanent, "yes", Failure, "Bandwidth/api-docs/blob/5ffb78e2"},
		{"4702", Bandwidth, "", Unreachable, Permanent, "yes", Failure, "Bandwidth/api-docs/blob/5ffb78e2"},
		{"4730", Bandwidth, "", Unreachable, Permanent, "yes", Failure, "Bandwidth/api-docs/blob/5ffb78e2"},
		// Added codes.
		{"10001", Twilio, "Account is not active", SenderConfig, SenderFix, "no", Failure, "twilio-error-rs"},
		{"10001", Telnyx, "Inactive phone number", InvalidNumber, Permanent, "unknown", Failure, "team-telnyx/knowledge-base"},
		{"30453", Twilio, "Message couldn't be delivered", SpamBlocked, Transient, "unknown", Failure, "errors/30453"},
		{"12400", Twilio, "Internal Failure", CarrierFailure, Transient, "no", Failure, "27502337507483"},
		{"12300", Twilio, "Invalid Content-Type", ContentProblem, ContentFix, "unknown", Failure, "twilio-error-rs"},
		{"63038", Twilio, "Account exceeded the daily messages limit", SenderConfig, SenderFix, "no", Failure, "27502337507483"},
		{"21621", Twilio, "The 'From' number has not been enabled for MMS", SenderConfig, SenderFix, "no", Failure, "service-vendors/twilio/index.js"},
		{"21267", Twilio, "Alphanumeric Sender ID cannot be used as the 'From' number on trial accounts", SenderConfig, SenderFix, "no", Failure, "changelog"},
		{"21268", Twilio, "Sending to Premium rate or Information Service numbers is not allowed", InvalidNumber, Permanent, "no", Failure, "changelog"},
		{"21659", Twilio, "'From' is not a Twilio phone number or Short Code country mismatch", SenderConfig, SenderFix, "no", Failure, "changelog"},
		{"21660", Twilio, "Mismatch between the 'From' number and the account", SenderConfig, SenderFix, "no", Failure, "changelog"},
		{"21661", Twilio, "'From' number is not SMS-capable", SenderConfig, SenderFix, "no", Failure, "changelog"},
		{"30014", Twilio, "'To' attributes are Invalid", InvalidNumber, Permanent, "unknown", Failure, "twilio-error-rs"},
		{"30015", Twilio, "Non-supported channel type is used", SenderConfig, SenderFix, "unknown", Failure, "twilio-error-rs"},
		{"30016", Twilio, "'To' and 'From' channel types are incompatible", SenderConfig, SenderFix, "unknown", Failure, "twilio-error-rs"},
		{"40155", Telnyx, "LOA required", SenderConfig, SenderFix, "unknown", Failure, "team-telnyx/knowledge-base"},
		{"40327", Telnyx, "Invalid Domain", ContentProblem, ContentFix, "unknown", Failure, "team-telnyx/knowledge-base"},
	}
	for _, tt := range tests {
		e, ok := r.Lookup(tt.code, tt.provider)
		if !ok || e.Provider != tt.provider {
			t.Errorf("%s/%s: not found", tt.provider, tt.code)
			continue
		}
		if (tt.title != "" && e.Title != tt.title) || e.Category != tt.category || e.Retry != tt.retry ||
			e.Charged != tt.charged || e.Kind != tt.kind || !strings.Contains(e.Source, tt.source) {
			t.Errorf("%s/%s = %+v\nwant title %q category %s retry %s charged %s kind %s source ~%q",
				tt.provider, tt.code, e, tt.title, tt.category, tt.retry, tt.charged, tt.kind, tt.source)
		}
	}
}

// TestSharedCodeBothProviders: a code two providers define is listed for
// both, and an export's provider picks its meaning.
func TestSharedCodeBothProviders(t *testing.T) {
	r := mustLoad(t)
	if got := r.Entries("10001"); len(got) != 2 || got[0].Provider != Telnyx || got[1].Provider != Twilio {
		t.Fatalf("Entries(10001) = %+v, want telnyx and twilio", got)
	}
	for _, p := range []Provider{Twilio, Telnyx} {
		if e, ok := r.Lookup("10001", p); !ok || e.Provider != p {
			t.Errorf("Lookup(10001, %s) = %+v", p, e)
		}
	}
	if _, ok := r.Lookup("10001", ""); ok {
		t.Error("Lookup(10001) without a provider picked one of two meanings")
	}
}

// TestKnows: a code of any provider's entry, in any written form
// NormalizeCode reads, is known; others, the empty code and a nil
// registry know nothing.
func TestKnows(t *testing.T) {
	reg, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]bool{"21610": true, " 21610 ": true, "21610.0": true, "40300": true, "4775": true,
		"777001": false, "": false, "(other)": false} {
		if got := reg.Knows(code); got != want {
			t.Errorf("Knows(%q) = %v, want %v", code, got, want)
		}
	}
	for _, e := range reg.All() {
		if !reg.Knows(e.Code) {
			t.Errorf("Knows(%q) = false for an entry's code", e.Code)
		}
	}
	if (*Registry)(nil).Knows("21610") {
		t.Error("a nil registry knows a code")
	}
}

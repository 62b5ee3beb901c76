package summary

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zone tests must not depend on the host

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/registry"
)

// row builds an outbound record of a campaign.
func row(campaign, status, code string) *export.Record {
	r := outbound(status, code, base)
	r.CampaignID = campaign
	return r
}

// aggregate runs records through an Aggregator tallying dims.
func aggregate(t *testing.T, provider registry.Provider, dims []Dimension, recs ...*export.Record) *Aggregator {
	t.Helper()
	a := New(Options{Registry: mustRegistry(t), Provider: provider, Dimensions: dims})
	for _, r := range recs {
		a.Add(r)
	}
	a.Finish()
	return a
}

func keysOf(rows []GroupRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Key.String()
	}
	return out
}

// TestGroupRowsSortAndTop checks each order and the folding of the rest
// into "other" on campaigns counted by hand:
//
//	campaign  outbound  errored  error rate
//	1         4         1        0.25
//	2         2         2        1.00
//	99        3         0        0
//	112       1         1        1.00  (inbound row too)
func TestGroupRowsSortAndTop(t *testing.T) {
	recs := []*export.Record{
		row("1", "DELIVERED", ""), row("1", "DELIVERED", ""), row("1", "SENT", ""), row("1", "ERROR", "30007"),
		row("2", "ERROR", "30007"), row("2", "ERROR", "21610"),
		row("99", "DELIVERED", ""), row("99", "DELIVERED", ""), row("99", "DELIVERED", ""),
		row("112", "ERROR", "30003"),
	}
	in := inbound("yes", "", base)
	in.CampaignID = "112"
	recs = append(recs, in)
	a := aggregate(t, registry.Twilio, []Dimension{CampaignDimension()}, recs...)

	tests := []struct {
		sort GroupSort
		top  int
		want []string
	}{
		{SortOutbound, 0, []string{"1", "99", "2", "112"}},
		{SortDefault, 0, []string{"1", "99", "2", "112"}},
		{SortErrored, 0, []string{"2", "1", "112", "99"}},
		{SortErrorRate, 0, []string{"2", "112", "1", "99"}}, // tie at 1.0: more outbound first
		{SortKey, 0, []string{"1", "2", "99", "112"}},       // numbers by value
		{SortOutbound, 2, []string{"1", "99", "other"}},
		{SortOutbound, 4, []string{"1", "99", "2", "112"}}, // nothing to fold
	}
	for _, tt := range tests {
		rows, err := a.GroupRows("campaign", tt.sort, tt.top)
		if err != nil {
			t.Fatal(err)
		}
		if got := keysOf(rows); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("sort %q top %d: keys %v, want %v", tt.sort, tt.top, got, tt.want)
		}
	}

	rows, _ := a.GroupRows("campaign", SortOutbound, 2)
	other := rows[2]
	if !other.IsOther() || other.FoldedGroups != 2 || other.Outbound != 3 || other.Errored != 3 || other.ErrorRate != 1 || other.Inbound != 1 {
		t.Errorf("other row = %+v, want 2 groups, 3 outbound, 3 errored, 1 inbound", other)
	}
	if other.TopCode != "21610" || other.TopCategory != registry.OptedOut || other.OptOutRejections != 1 {
		t.Errorf("other row top code %q/%s, opt-out rejections %d; want 21610 (smallest of a tie)/opted_out, 1", other.TopCode, other.TopCategory, other.OptOutRejections)
	}
	first := rows[0]
	if first.Outbound != 4 || first.Delivered != 2 || first.Errored != 1 || first.ErrorRate != 0.25 || first.SentStuck != 0 || first.TopCode != "30007" || first.TopCategory != registry.SpamBlocked {
		t.Errorf("campaign 1 row = %+v", first)
	}
	if _, err := a.GroupRows("texter", SortOutbound, 0); err == nil {
		t.Error("GroupRows of a dimension not tallied: want an error")
	}
}

// TestCategoryFoldsCodes: rows are counted by code and folded into
// categories at the end; an ERROR row without a code is no_code, other
// rows without one are (none), inbound rows are left out.
func TestCategoryFoldsCodes(t *testing.T) {
	a := aggregate(t, registry.Twilio, []Dimension{CategoryDimension(), CodeDimension()},
		row("1", "ERROR", "30007"), row("1", "ERROR", "4770"), // both spam_blocked
		row("1", "ERROR", ""),  // no_code
		row("1", "ERROR", "0"), // a code, not in the registry: unknown
		row("1", "DELIVERED", ""), row("1", "SENDING", "-1"),
		inbound("STOP", "-133", base),
	)
	rows, _ := a.GroupRows("category", SortKey, 0)
	got := map[string][2]int64{}
	for _, r := range rows {
		got[r.Key.String()] = [2]int64{r.Outbound, r.Errored}
	}
	want := map[string][2]int64{
		"spam_blocked":   {2, 2},
		"no_code":        {1, 1},
		"unknown":        {1, 1},
		"spoke_internal": {1, 0},
		NoneKey:          {1, 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("category groups = %v, want %v", got, want)
	}
	codes, _ := a.GroupRows("code", SortKey, 0)
	if got, want := keysOf(codes), []string{"-1", "0", "4770", "30007", NoneKey}; !reflect.DeepEqual(got, want) {
		t.Errorf("code keys = %v, want %v", got, want)
	}
}

// TestTimeBucketsAcrossDST buckets rows around the end of daylight saving
// time in New York (2024-11-03, 02:00 EDT becomes 01:00 EST): the 01:00
// hour happens twice and must stay two buckets; that day has 25 hours.
func TestTimeBucketsAcrossDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) *export.Record {
		ts, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return outbound("DELIVERED", "", ts)
	}
	recs := []*export.Record{
		at("2024-11-03T03:30:00Z"), // 23:30 EDT Nov 2
		at("2024-11-03T04:30:00Z"), // 00:30 EDT Nov 3
		at("2024-11-03T05:10:00Z"), // 01:10 EDT
		at("2024-11-03T05:50:00Z"), // 01:50 EDT
		at("2024-11-03T06:30:00Z"), // 01:30 EST (the second 01:00 hour)
		at("2024-11-03T07:30:00Z"), // 02:30 EST
		at("2024-11-04T04:59:59Z"), // 23:59:59 EST Nov 3
		at("2024-11-04T05:00:00Z"), // 00:00 EST Nov 4
		outbound("DELIVERED", "", time.Time{}),
	}
	a := aggregate(t, "", []Dimension{DayDimension(ny), HourDimension(ny)}, recs...)

	count := func(name string) map[string]int64 {
		rows, err := a.GroupRows(name, SortDefault, 0)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]int64{}
		for _, r := range rows {
			m[r.Key.String()] = r.Outbound
		}
		return m
	}
	wantDays := map[string]int64{"2024-11-02": 1, "2024-11-03": 6, "2024-11-04": 1, NoneKey: 1}
	if got := count("day"); !reflect.DeepEqual(got, wantDays) {
		t.Errorf("days = %v, want %v", got, wantDays)
	}
	wantHours := map[string]int64{
		"2024-11-02T23:00-04:00": 1,
		"2024-11-03T00:00-04:00": 1,
		"2024-11-03T01:00-04:00": 2,
		"2024-11-03T01:00-05:00": 1,
		"2024-11-03T02:00-05:00": 1,
		"2024-11-03T23:00-05:00": 1,
		"2024-11-04T00:00-05:00": 1,
		NoneKey:                  1,
	}
	if got := count("hour"); !reflect.DeepEqual(got, wantHours) {
		t.Errorf("hours = %v, want %v", got, wantHours)
	}
	rows, _ := a.GroupRows("hour", SortDefault, 0)
	wantOrder := []string{"2024-11-02T23:00-04:00", "2024-11-03T00:00-04:00", "2024-11-03T01:00-04:00", "2024-11-03T01:00-05:00", "2024-11-03T02:00-05:00", "2024-11-03T23:00-05:00", "2024-11-04T00:00-05:00", NoneKey}
	if got := keysOf(rows); !reflect.DeepEqual(got, wantOrder) {
		t.Errorf("hours default (chronological) order = %v, want %v", got, wantOrder)
	}
}

// TestTimeKeysOrderEastOfUTC: when Berlin's clocks go back, 02:00+02:00
// comes before 02:00+01:00, which text order gets wrong.
func TestTimeKeysOrderEastOfUTC(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	d := HourDimension(berlin)
	if c := d.Compare("2024-10-27T02:00+02:00", "2024-10-27T02:00+01:00"); c >= 0 {
		t.Errorf("Compare(02:00+02:00, 02:00+01:00) = %d, want < 0", c)
	}
	if c := compareWith(d, NoneKey, "2024-10-27T02:00+01:00"); c <= 0 {
		t.Errorf("(none) must sort last, got %d", c)
	}
}

// TestNestedDimension crosses campaign with link domains: a text with two
// domains counts in both pairs; a text without a link pairs with (none).
func TestNestedDimension(t *testing.T) {
	d, err := NewDimension("campaign,link-domain", Context{})
	if err != nil {
		t.Fatal(err)
	}
	two := row("7", "ERROR", "4771")
	two.Text = "see bit.ly/x and https://Example.org/a"
	plain := row("7", "DELIVERED", "")
	plain.Text = "hi"
	other := row("8", "DELIVERED", "")
	other.Text = "www.bit.ly/y"
	a := aggregate(t, registry.Bandwidth, []Dimension{d}, two, plain, other, inbound("bit.ly/z", "", base))
	rows, err := a.GroupRows("campaign,link-domain", SortKey, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"7 / bit.ly", "7 / example.org", "7 / (none)", "8 / bit.ly"}
	if got := keysOf(rows); !reflect.DeepEqual(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
	if rows[0].Errored != 1 || rows[0].TopCode != "4771" {
		t.Errorf("7 / bit.ly = %+v, want 1 errored with 4771", rows[0])
	}
	b, _ := json.Marshal(rows[0].Key)
	if string(b) != `["7","bit.ly"]` {
		t.Errorf("nested key JSON = %s", b)
	}
}

func TestNewDimensionErrors(t *testing.T) {
	for _, name := range []string{"bogus", "campaign,campaign", "campaign,texter,hour", ""} {
		if _, err := NewDimension(name, Context{}); err == nil {
			t.Errorf("NewDimension(%q): want an error", name)
		}
	}
	for _, name := range DimensionNames() {
		d, err := NewDimension(name, Context{})
		if err != nil || d.Name != name {
			t.Errorf("NewDimension(%q) = %q, %v", name, d.Name, err)
		}
	}
}

func TestGroupKeyJSON(t *testing.T) {
	for _, k := range []GroupKey{{"112"}, {"112", "+15555550100"}} {
		b, err := json.Marshal(k)
		if err != nil {
			t.Fatal(err)
		}
		var back GroupKey
		if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, k) {
			t.Errorf("%v → %s → %v (%v)", k, b, back, err)
		}
	}
	var k GroupKey
	if err := json.Unmarshal([]byte(`3`), &k); err == nil {
		t.Error("a number is not a group key")
	}
}

func TestMissingIn(t *testing.T) {
	sv := &export.Source{Dialect: export.StateVoicesV10, Header: []string{"campaign_id", "user_number", "is_from_contact", "send_status", "attempted_at", "text", "error_code"}}
	legacy := &export.Source{Dialect: export.MoveOnLegacy, Header: []string{"campaignId", "isFromContact", "sendStatus", "text"}}
	empty := &export.Source{Dialect: export.Empty}
	tests := []struct {
		dim     string
		src     *export.Source
		missing bool
	}{
		{"texter", sv, true},
		{"campaign", sv, false},
		{"hour", sv, false},
		{"code", legacy, true},
		{"category", legacy, true},
		{"day", legacy, true},
		{"sending-number", legacy, true},
		{"file", legacy, false},
		{"campaign,texter", sv, true},
		{"texter", empty, false},
	}
	for _, tt := range tests {
		d, err := NewDimension(tt.dim, Context{})
		if err != nil {
			t.Fatal(err)
		}
		if req, missing := d.MissingIn(tt.src); missing != tt.missing {
			t.Errorf("%s on %s: missing %v (%+v), want %v", tt.dim, tt.src.Dialect, missing, req, tt.missing)
		}
	}
}

func TestTexterDimension(t *testing.T) {
	r1 := row("1", "DELIVERED", "")
	r1.TexterFirstName, r1.TexterLastName, r1.TexterEmail = "Sam", "Rivera", "sam@example.org"
	r2 := row("1", "ERROR", "30007")
	r2.TexterEmail = "ola@example.org"
	r3 := row("1", "DELIVERED", "")
	in := inbound("yes", "", base) // inbound rows name no texter: left out
	a := aggregate(t, registry.Twilio, []Dimension{TexterDimension()}, r1, r2, r1, r3, in)
	rows, _ := a.GroupRows("texter", SortKey, 0)
	want := []string{"Sam Rivera <sam@example.org>", "ola@example.org", NoneKey}
	if got := keysOf(rows); !reflect.DeepEqual(got, want) {
		t.Errorf("texters = %v, want %v", got, want)
	}
	if rows[0].Outbound != 2 || rows[1].Errored != 1 {
		t.Errorf("rows = %+v", rows)
	}
}

func TestGroupRowIntervals(t *testing.T) {
	tests := []struct {
		k, n int64
		want Interval
	}{
		{0, 10, Interval{0, 0.2775}},
		{10, 10, Interval{0.7225, 1}},
		{3, 20, Interval{0.0524, 0.3604}},
		{0, 0, Interval{0, 1}}, // no texts: nothing known
	}
	for _, tt := range tests {
		if got := WilsonInterval(tt.k, tt.n); got != tt.want {
			t.Errorf("WilsonInterval(%d, %d) = %v, want %v", tt.k, tt.n, got, tt.want)
		}
	}
	// A row's intervals are those of its counts, over its outbound texts,
	// and hold its rates.
	tl := NewTally()
	tl.Outbound = 20
	tl.addStatus("DELIVERED", 17)
	tl.addStatus("ERROR", 3)
	row := NewGroupRow(GroupKey{"g"}, tl, nil)
	if row.Errored != 3 || row.ErrorRateCI != (Interval{0.0524, 0.3604}) || row.DeliveryRateCI != (Interval{0.6396, 0.9476}) ||
		row.StuckSentRateCI != (Interval{0, 0.1611}) {
		t.Errorf("row %+v", row)
	}
	for _, c := range []struct {
		rate float64
		ci   Interval
	}{{row.ErrorRate, row.ErrorRateCI}, {row.DeliveryRate, row.DeliveryRateCI}, {row.StuckSentRate, row.StuckSentRateCI}, {row.OptOutRejectionRate, row.OptOutRejectionRateCI}} {
		if !(c.ci[0] <= c.rate && c.rate <= c.ci[1]) {
			t.Errorf("rate %v outside %v", c.rate, c.ci)
		}
	}
}

func TestSortRowsMatchesSortFunc(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 10, 257} {
		rows := make([]GroupRow, n)
		for i := range rows {
			// Few distinct error rates, so that ties fall to the key.
			key := fmt.Sprint((i * 7919) % 1009)
			switch i % 7 { // text keys, the none key, numbers spelled alike
			case 1:
				key = "c" + key
			case 2:
				key = NoneKey
			case 3:
				key = "0" + key
			}
			rows[i] = GroupRow{Key: GroupKey{key}, ErrorRate: float64((i*31)%5) / 4, Errored: int64(i % 4), Outbound: int64(i % 3)}
		}
		for _, by := range GroupSorts() {
			order := rowOrder(CampaignDimension(), by)
			want := slices.Clone(rows)
			slices.SortStableFunc(want, func(a, b GroupRow) int { return order(&a, &b) })
			got := slices.Clone(rows)
			sortRows(got, order)
			for i := range want {
				if got[i].Key[0] != want[i].Key[0] {
					t.Fatalf("n=%d, --sort %s: row %d is %v, want %v", n, by, i, got[i].Key, want[i].Key)
				}
			}
		}
	}
}

// TestPlainRowsMatchSortRows checks that the rows plainRows sorts from
// keys read off the tallies are the rows sortRows sorts, folded alike
// past top.
func TestPlainRowsMatchSortRows(t *testing.T) {
	cls := classifier(t, registry.Twilio)
	for _, n := range []int{0, 1, 2, 3, 10, 257} {
		tallies := map[string]*Tally{}
		for i := range n {
			// Few distinct error rates, so that ties fall to the key.
			key := fmt.Sprint((i * 7919) % 1009)
			switch {
			case i == 2:
				key = NoneKey
			case i%7 == 1:
				key = "c" + key
			case i%7 == 3:
				key = "0" + key
			}
			tl := NewTally()
			tl.Outbound = int64(i%3) + int64(i%4)
			tl.addStatus(export.StatusError, int64(i%4))
			tl.countCode(fmt.Sprint(21610+i%3), int64(i%4))
			tallies[key] = tl
		}
		for _, by := range GroupSorts() {
			for _, top := range []int{0, 1, 5} {
				want := make([]GroupRow, 0, n)
				for key, tl := range tallies {
					want = append(want, NewGroupRow(GroupKey{key}, tl, cls))
				}
				sortRows(want, rowOrder(CampaignDimension(), by))
				if top > 0 && len(want) > top {
					want = append(want[:top:top], foldRows(want[top:], cls))
				}
				got, ok := plainRows(tallies, CampaignDimension(), by, top, cls)
				if !ok {
					t.Fatal("plainRows refused one-part campaign keys")
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("n=%d, --sort %s, top %d: plainRows\n%v\nwant\n%v", n, by, top, got, want)
				}
			}
		}
	}
	if _, ok := plainRows(map[string]*Tally{"a" + keySep + "b": NewTally()}, CampaignDimension(), SortOutbound, 0, cls); ok {
		t.Error("plainRows took a key of two parts")
	}
}

func TestParseKeyIntMatchesParseInt(t *testing.T) {
	for _, s := range []string{"", "0", "-0", "+7", "-", "+", "12", "-30007", "007", "1_000", "1e3", " 1", "1 ",
		"999999999999999999", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
		"-9223372036854775809", "12345678901234567890123", "(other)", "30001x", "٣"} {
		want, err := strconv.ParseInt(s, 10, 64)
		got, ok := parseKeyInt(s)
		if ok != (err == nil) || ok && got != want {
			t.Errorf("parseKeyInt(%q) = %d, %v; ParseInt: %d, %v", s, got, ok, want, err)
		}
	}
}

func FuzzParseKeyInt(f *testing.F) {
	f.Add("-30007")
	f.Add("9223372036854775808")
	f.Fuzz(func(t *testing.T, s string) {
		want, err := strconv.ParseInt(s, 10, 64)
		got, ok := parseKeyInt(s)
		if ok != (err == nil) || ok && got != want {
			t.Errorf("parseKeyInt(%q) = %d, %v; ParseInt: %d, %v", s, got, ok, want, err)
		}
	})
}

// TestComparePlainKeysMatchesCompareKeys checks the order of keys read
// once (numbers, heads of texts) against CompareKeys, on texts that share
// heads, end in zero bytes and run past the head.
func TestComparePlainKeysMatchesCompareKeys(t *testing.T) {
	texts := []string{"", "a", "a\x00", "a\x00\x00", "camp1", "camp10", "camp9", "12", "012", "-3", "+7", NoneKey, "(other)",
		"abcdefghijklmnop", "abcdefghijklmnoq", "abcdefghijklmnopq", "abcdefghijklmnop\x00", "abcdefghijklmnopa", "abcdefghijklmnopb",
		"\xff\xfe", "é", "z", "Z", "abcdefgh", "abcdefgh\x00", "7", "07", "007", "-0", "0", "+0"}
	for _, a := range texts {
		for _, b := range texts {
			ka, kb := newPlainKey(0, a, NewTally(), SortKey), newPlainKey(1, b, NewTally(), SortKey)
			if got, want := comparePlainKeys(&ka, &kb, []string{a, b}), CompareKeys(a, b); got != want {
				t.Errorf("comparePlainKeys(%q, %q) = %d, CompareKeys = %d", a, b, got, want)
			}
			if got, want := compareHeaded(textHead(a), textHead(b), a, b), strings.Compare(a, b); got != want {
				t.Errorf("compareHeaded(%q, %q) = %d, strings.Compare = %d", a, b, got, want)
			}
		}
	}
}

// TestDescendingOrders checks that the figures of plain keys, made
// unsigned, sort in the reverse order of the figures.
func TestDescendingOrders(t *testing.T) {
	ints := []int64{0, 1, 2, 400000, 1 << 40, -1, -5}
	floats := []float64{0, math.Copysign(0, -1), 1e-300, 0.0001, 0.5, 1, 2, -0.5, -1e-300}
	for _, a := range ints {
		for _, b := range ints {
			if got, want := cmp.Compare(descending(a), descending(b)), cmp.Compare(b, a); got != want {
				t.Errorf("descending(%d) vs descending(%d): %d, want %d", a, b, got, want)
			}
		}
	}
	for _, a := range floats {
		for _, b := range floats {
			if got, want := cmp.Compare(descendingFloat(a), descendingFloat(b)), cmp.Compare(b, a); got != want {
				t.Errorf("descendingFloat(%v) vs descendingFloat(%v): %d, want %d", a, b, got, want)
			}
		}
	}
}

// TestEqualNumberKeysOrder: distinct keys of one integer value ("7",
// "07", "+7") are ordered by text, not left to the map's order, so a
// breakdown's rows are the same from run to run.
func TestEqualNumberKeysOrder(t *testing.T) {
	cls := classifier(t, registry.Twilio)
	tallies := map[string]*Tally{}
	for _, k := range []string{"7", "07", "+7", "007", "-0", "0", "+0"} {
		tl := NewTally()
		tl.Outbound = 1
		tallies[k] = tl
	}
	want := "+0 -0 0 +7 007 07 7 "
	for range 50 { // map order changes from one range to the next
		rows, _ := plainRows(tallies, CampaignDimension(), SortOutbound, 0, cls)
		got := ""
		for _, r := range rows {
			got += r.Key[0] + " "
		}
		if got != want {
			t.Fatalf("order %q, want %q", got, want)
		}
	}
}

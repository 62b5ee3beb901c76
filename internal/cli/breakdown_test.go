package cli

import (
	"encoding/csv"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/spoke-status/spoke-status/internal/summary"
	"github.com/spoke-status/spoke-status/internal/synth"
)

// onlyGroups switches off the analyses, so a dimension's golden files
// show its breakdown and nothing more that could change independently.
var onlyGroups = []string{"--links=false", "--replies=false", "--segments=false", "--signals=false"}

// TestBreakdownGolden pins every dimension in every format on the Spoke
// Rewired fixture, the one dialect with every column (texters included).
func TestBreakdownGolden(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
	}{
		{"by-campaign", []string{"--by", "campaign"}},
		{"by-texter", []string{"--by", "texter"}},
		{"by-sending-number", []string{"--by", "sending-number"}},
		{"by-code", []string{"--by", "code"}},
		{"by-category", []string{"--by", "category"}},
		{"by-step", []string{"--by", "step"}},
		{"by-campaign+step", []string{"--by", "campaign,step"}},
		{"by-day", []string{"--by", "day", "--tz", "America/New_York"}},
		{"by-hour", []string{"--by", "hour", "--tz", "America/New_York"}},
		{"by-link-domain", []string{"--by", "link-domain"}},
		{"by-file", []string{"--by", "file"}},
		{"by-campaign+sending-number", []string{"--by", "campaign,sending-number", "--sort", "error_rate", "--top-groups", "3"}},
	}
	for _, c := range cases {
		for _, format := range []string{"table", "json", "markdown"} {
			name := "rewired." + c.name + "." + format
			t.Run(name, func(t *testing.T) {
				args := append([]string{"summarize", "--format", format}, onlyGroups...)
				args = append(append(args, c.args...), repoFile("dialects", "rewired.csv"))
				r := run(t, nil, args...)
				if r.code != ExitOK {
					t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
				}
				checkGolden(t, name, r.stdout)
			})
		}
	}
}

// TestAnalysesGolden pins the links, replies and segments sections, with
// a cost estimate, on the two fixtures with links in their texts.
func TestAnalysesGolden(t *testing.T) {
	t.Parallel()
	for _, fixture := range []string{"rewired", "statevoices-v10"} {
		for _, format := range []string{"table", "json", "markdown"} {
			name := fixture + ".analyses." + format
			t.Run(name, func(t *testing.T) {
				r := run(t, nil, "summarize", "--format", format, "--price-per-segment", "0.0079", repoFile("dialects", fixture+".csv"))
				if r.code != ExitOK {
					t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
				}
				checkGolden(t, name, r.stdout)
			})
		}
	}
}

// TestBreakdownFigures checks group rows and analyses of the StateVoices
// fixture against counts made by hand from its 16 rows.
func TestBreakdownFigures(t *testing.T) {
	t.Parallel()
	s := summarizeJSON(t, "--by", "campaign", "--by", "sending-number", "--price-per-segment", "0.01", repoFile("dialects", "statevoices-v10.csv"))
	type fig struct{ outbound, errored, stuck, optOutRej int64 }
	want := map[string]map[string]fig{
		// 112: 8 outbound (2 DELIVERED, 3 ERROR: 30007 21610 30006, SENDING, 2 SENT of which 1 stuck)
		// 113: 5 outbound (3 ERROR: -5, no code, 30007; DELIVERED; QUEUED)
		"campaign": {"112": {8, 3, 1, 1}, "113": {5, 3, 0, 0}},
		// the SENDING row and the -5 row have no user number
		"sending-number": {
			"+15555550100": {2, 0, 0, 0}, "+15555550101": {3, 3, 0, 1}, "+15555550102": {2, 0, 1, 0},
			"+15555550103": {4, 2, 0, 0}, summary.NoneKey: {2, 1, 0, 0},
		},
	}
	for dim, groups := range want {
		got := map[string]fig{}
		for _, r := range s.Groups[dim] {
			got[r.Key.String()] = fig{r.Outbound, r.Errored, r.SentStuck, r.OptOutRejections}
		}
		if len(got) != len(groups) {
			t.Errorf("%s: %d groups %v, want %d", dim, len(got), got, len(groups))
		}
		for key, f := range groups {
			if got[key] != f {
				t.Errorf("%s %s = %+v, want %+v", dim, key, got[key], f)
			}
		}
	}
	if l := s.Links; l == nil || l.WithLinks.Outbound != 1 || l.WithoutLinks.Outbound != 12 || len(l.Domains) != 1 || l.Domains[0].Domain != "bit.ly" || !l.Domains[0].Shortener {
		t.Errorf("links = %+v, want one bit.ly text of 13", l)
	}
	// Contacts: 13 messaged; replies from ...123 (STOP -133), ...126 (yes), ...133 (stop.).
	if r := s.Replies; r == nil || r.ContactsMessaged != 13 || r.ContactsReplied != 3 || r.ContactsOptedOut != 2 || r.OtherReplies != 1 {
		t.Errorf("replies = %+v", r)
	}
	// Every text is one GSM-7 segment; 21610 and -5 are not charged, the
	// no-code ERROR row's billing is unknown.
	if g := s.Segments; g == nil || g.Total != 13 || g.Errored != 6 || g.Cost == nil || g.Cost.LeftOutMessages != 2 || g.Cost.UnknownMessages != 1 || g.Cost.Estimated != 0.11 {
		t.Errorf("segments = %+v cost %+v", g, g.Cost)
	}
}

// TestBreakdownMatchesGeneratorTruth compares the per-campaign figures with
// the generator's own counts, and the link and reply figures with counts
// this test makes from the generated CSV by its own means, for every
// dialect and provider.
func TestBreakdownMatchesGeneratorTruth(t *testing.T) {
	t.Parallel()
	for _, dialect := range synth.Dialects() {
		for _, provider := range synth.Providers() {
			t.Run(dialect+"/"+provider, func(t *testing.T) {
				path, truth := writeSynthExport(t, synth.Options{Rows: 4000, Seed: 7, Dialect: dialect, Provider: provider, Campaigns: 4})
				s := summarizeJSON(t, "--provider", provider, "--by", "campaign", path)
				got := map[string]summary.GroupRow{}
				for _, r := range s.Groups["campaign"] {
					got[r.Key.String()] = r
				}
				if len(got) != len(truth.ByCampaign) {
					t.Errorf("%d campaigns, truth %d", len(got), len(truth.ByCampaign))
				}
				for id, c := range truth.ByCampaign {
					if got[id].Outbound != int64(c.Outbound) || got[id].Errored != int64(c.Errored) {
						t.Errorf("campaign %s outbound/errored = %d/%d, truth %d/%d", id, got[id].Outbound, got[id].Errored, c.Outbound, c.Errored)
					}
				}
				checkLinksAndReplies(t, path, s)
			})
		}
	}
}

// synthLinkRE finds the links of the generator's texts, which are all
// under these four domains; the test does not use the links package.
var synthLinkRE = regexp.MustCompile(`(?i)(?:https?://)?(?:www\.)?\b([a-z0-9-]+\.(?:ly|com|org))(?:/|\b)`)

// independent holds the figures checkLinksAndReplies counts itself.
type independent struct {
	withLinks, withLinksErrored int64
	domains                     map[string][2]int64 // outbound, errored
	contacts                    map[string]uint8    // 1 messaged, 2 replied
}

func checkLinksAndReplies(t *testing.T, path string, s *summary.Summary) {
	t.Helper()
	ind := countIndependently(t, path)
	if s.Links.WithLinks.Outbound != ind.withLinks || s.Links.WithLinks.Errored != ind.withLinksErrored {
		t.Errorf("with_links = %+v, counted %d/%d", s.Links.WithLinks, ind.withLinks, ind.withLinksErrored)
	}
	if len(s.Links.Domains) != len(ind.domains) {
		t.Errorf("domains %+v, counted %v", s.Links.Domains, ind.domains)
	}
	for _, d := range s.Links.Domains {
		if c := ind.domains[d.Domain]; d.Outbound != c[0] || d.Errored != c[1] {
			t.Errorf("domain %s outbound/errored = %d/%d, counted %d/%d", d.Domain, d.Outbound, d.Errored, c[0], c[1])
		}
	}
	var messaged, replied int64
	for _, f := range ind.contacts {
		if f&1 != 0 {
			messaged++
			if f&2 != 0 {
				replied++
			}
		}
	}
	if s.Replies.ContactsMessaged != messaged || s.Replies.ContactsReplied != replied {
		t.Errorf("contacts messaged/replied = %d/%d, counted %d/%d", s.Replies.ContactsMessaged, s.Replies.ContactsReplied, messaged, replied)
	}
}

func countIndependently(t *testing.T, path string) independent {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return independent{domains: map[string][2]int64{}, contacts: map[string]uint8{}}
	}
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	pick := func(rec []string, names ...string) string {
		for _, n := range names {
			if i, ok := col[n]; ok {
				return rec[i]
			}
		}
		t.Fatalf("no column %v in %v", names, header)
		return ""
	}
	ind := independent{domains: map[string][2]int64{}, contacts: map[string]uint8{}}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		contact := pick(rec, "contact_number", "contactNumber")
		if pick(rec, "is_from_contact", "isFromContact") == "true" {
			ind.contacts[contact] |= 2
			continue
		}
		ind.contacts[contact] |= 1
		errored := int64(0)
		if pick(rec, "send_status", "sendStatus") == "ERROR" {
			errored = 1
		}
		seen := map[string]bool{}
		for _, m := range synthLinkRE.FindAllStringSubmatch(pick(rec, "text"), -1) {
			seen[strings.ToLower(m[1])] = true
		}
		if len(seen) > 0 {
			ind.withLinks++
			ind.withLinksErrored += errored
		}
		for d := range seen {
			c := ind.domains[d]
			ind.domains[d] = [2]int64{c[0] + 1, c[1] + errored}
		}
	}
	return ind
}

package cli

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func TestEnumFlagParsesCaseInsensitively(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args    []string
		format  string
		status  []string
		by      []string
		wantErr string
	}{
		{args: nil, format: "table"},
		{args: []string{"--format", "JSON"}, format: "json"},
		{args: []string{"--format", " Markdown "}, format: "markdown"},
		{args: []string{"--status", "sent,Error", "--status", "queued"}, format: "table", status: []string{"SENT", "ERROR", "QUEUED"}},
		{args: []string{"--by", "Campaign,DAY", "--by", "day"}, format: "table", by: []string{"campaign,day", "day"}},
		{args: []string{"--format", "xml"}, wantErr: `invalid argument "xml" for "--format" flag: must be table, json or markdown`},
		{args: []string{"--format", ""}, wantErr: "must be table, json or markdown"},
		{args: []string{"--status", "SENT,"}, wantErr: "must be QUEUED, SENT or ERROR"},
		{args: []string{"--by", "campaign,bogus"}, wantErr: "must be campaign or day"},
	} {
		var format string
		var status, by []string
		fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
		fs.SetOutput(&bytes.Buffer{})
		enumFlag(nil, fs, &format, "format", "", "table", "", []string{"table", "json", "markdown"})
		enumListFlag(nil, fs, &status, "status", "", false, []string{"QUEUED", "SENT", "ERROR"})
		enumListFlag(nil, fs, &by, "by", "", true, []string{"campaign", "day"})
		err := fs.Parse(tc.args)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%v: err %v, want %q", tc.args, err, tc.wantErr)
			}
			continue
		}
		if err != nil || format != tc.format || !slices.Equal(status, tc.status) || !slices.Equal(by, tc.by) {
			t.Errorf("%v: %q %q %q %v; want %q %q %q", tc.args, format, status, by, err, tc.format, tc.status, tc.by)
		}
	}
}

// An optional enum (default "") may be given empty, to override a config
// file's value.
func TestEnumFlagOptionalEmpty(t *testing.T) {
	t.Parallel()
	per := "campaign"
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	enumFlag(nil, fs, &per, "per", "", "", "", []string{"campaign"})
	if err := fs.Parse([]string{"--per", ""}); err != nil || per != "" {
		t.Errorf("--per '': %q, %v", per, err)
	}
}

func TestCompletionListsEnumValuesAndCodes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "summarize", "--by", ""}, []string{"campaign", "sending-number", "link-domain"}},
		{[]string{"__complete", "rows", "--format", ""}, []string{"csv", "jsonl", "parquet"}},
		{[]string{"__complete", "codes", "--provider", ""}, []string{"twilio", "telnyx", "bandwidth", "spoke"}},
		{[]string{"__complete", "codes", "3000"}, []string{"30007\t"}},
		{[]string{"__complete", "contacts", "--list", ""}, []string{"fix-first", "opted-out"}},
	} {
		r := run(t, nil, tc.args...)
		for _, w := range tc.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%v: no %q in\n%s", tc.args, w, r.stdout)
			}
		}
		if !strings.Contains(r.stdout, ":4") { // ShellCompDirectiveNoFileComp: no file names
			t.Errorf("%v: completion would offer files:\n%s", tc.args, r.stdout)
		}
	}
}

func TestMistypedFlagGetsSuggestion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string // "" for no suggestion
	}{
		{[]string{"summarize", "--fromat", "json"}, "did you mean --format?"},
		{[]string{"rows", "--stauts", "SENT"}, "did you mean --status?"},
		{[]string{"check", "--max-eror-rate", "5%"}, "did you mean --max-error-rate?"},
		{[]string{"summarize", "--zzzzzz"}, ""},
		{[]string{"summarize", "--decodr", "fast"}, ""}, // hidden flags are not offered
	} {
		r := run(t, nil, tc.args...)
		got := strings.Contains(r.stderr, "did you mean")
		if r.code != ExitUsage || got != (tc.want != "") || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"format", "format", 0}, {"fromat", "format", 1}, {"formt", "format", 1},
		{"formatt", "format", 1}, {"frmat", "format", 1}, {"", "ab", 2}, {"ab", "", 2}, {"abc", "xyz", 3},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

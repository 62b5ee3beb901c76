package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDecodeConfig(t *testing.T) {
	doc := `# deliverability gate
max-error-rate: 5%
min-delivery-rate: 0.85
max-stuck-sent-rate: "2%"
max-stuck-sent: 50
max-opt-out-rejection-rate: 1.5%
max-category-rate:
  spam_blocked: 2%
  opted_out: 0.01
max-code-rate:
  30007: 1%
  "-1": 0.5%
per: campaign
min-outbound: 250
max-skipped-rows: 3
allow-empty: true
`
	cfg, err := DecodeConfig(strings.NewReader(doc), "spoke.yml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, th := range cfg.Thresholds.List() {
		got = append(got, th.Name()+th.Comparison()+th.Limit.RatString())
	}
	want := "error_rate<=1/20 delivery_rate>=17/20 stuck_sent_rate<=1/50 stuck_sent<=50 opt_out_rejection_rate<=3/200 " +
		"category_rate:opted_out<=1/100 category_rate:spam_blocked<=1/50 code_rate:-1<=1/200 code_rate:30007<=1/100"
	if strings.Join(got, " ") != want {
		t.Errorf("thresholds = %s\nwant        %s", strings.Join(got, " "), want)
	}
	if len(cfg.Per) != 1 || cfg.Per[0] != "campaign" || cfg.MinOutbound == nil || *cfg.MinOutbound != 250 || cfg.MaxSkippedRows == nil || *cfg.MaxSkippedRows != 3 {
		t.Errorf("settings = per %v min-outbound %v max-skipped-rows %v", cfg.Per, cfg.MinOutbound, cfg.MaxSkippedRows)
	}
	if cfg.AllowEmpty == nil || !*cfg.AllowEmpty {
		t.Errorf("allow-empty = %v, want true", cfg.AllowEmpty)
	}
}

func TestDecodeConfigEmpty(t *testing.T) {
	for _, doc := range []string{"", "# nothing yet\n", "---\n"} {
		cfg, err := DecodeConfig(strings.NewReader(doc), "empty.yml")
		if err != nil || cfg.Thresholds.Len() != 0 || cfg.Per != nil || cfg.AllowEmpty != nil {
			t.Errorf("DecodeConfig(%q) = %+v, %v; want no thresholds", doc, cfg, err)
		}
	}
}

// Every mistake is an error naming the file, line and key: a misspelt or
// unreadable threshold must never leave a gate that cannot fail.
func TestDecodeConfigErrors(t *testing.T) {
	tests := []struct{ doc, want string }{
		{"max-eror-rate: 5%\n", `c.yml:1: unknown key "max-eror-rate" (known keys: max-error-rate,`},
		{"max-error-rate: 5%\nmax_stuck_sent: 3\n", `c.yml:2: unknown key "max_stuck_sent"`},
		{"max-error-rate: 5 %\n", `c.yml:1: max-error-rate: "5 %" is not a rate`},
		{"max-error-rate: 120%\n", `c.yml:1: max-error-rate: "120%" is more than 100%`},
		{"max-error-rate: -1\n", `c.yml:1: max-error-rate: "-1" is negative`},
		{"max-error-rate: abc\n", `c.yml:1: max-error-rate: "abc" is not a rate`},
		{"min-delivery-rate: 1.5\n", `c.yml:1: min-delivery-rate: "1.5" is more than 1`},
		{"max-error-rate:\n", `c.yml:1: max-error-rate: want a single value`},
		{"max-error-rate: [1, 2]\n", `c.yml:1: max-error-rate: want a single value`},
		{"max-stuck-sent: 2.5\n", `c.yml:1: max-stuck-sent: "2.5" is not a whole number`},
		{"max-category-rate:\n  spam: 2%\n", `c.yml:2: max-category-rate: unknown category "spam"`},
		{"max-category-rate:\n  opted_out: 1%\n  spam_blocked: 2 %\n", `c.yml:3: max-category-rate: spam_blocked: "2 %" is not a rate`},
		{"max-category-rate: 2%\n", `c.yml:1: max-category-rate: want a mapping`},
		{"max-category-rate:\n", `c.yml:1: max-category-rate: want a mapping`},
		{"max-code-rate:\n  abc: 1%\n", `c.yml:2: max-code-rate: "abc" is not an error code`},
		{"per: texters\n", `c.yml:1: per: unknown dimension "texters"`},
		{"per: code\n", `c.yml:1: per: "code" cannot be checked per group`},
		{"per: [campaign, category]\n", `c.yml:1: per: "category" cannot be checked per group`},
		{"per: {a: b}\n", `c.yml:1: per: want a dimension or a list`},
		{"per: campaign,texter,day\n", `c.yml:1: per: "campaign,texter,day" nests 3 dimensions`},
		{"warn-eror-rate: 5%\n", `c.yml:1: unknown key "warn-eror-rate"`},
		{"warn-error-rate: 5 %\n", `c.yml:1: warn-error-rate: "5 %" is not a rate`},
		{"warn-code-rate:\n  abc: 1%\n", `c.yml:2: warn-code-rate: "abc" is not an error code`},
		{"max-error-rate-increase: 2%\n", `c.yml:1: max-error-rate-increase: "2%" is ambiguous`},
		{"warn-delivery-rate-decrease: -1pp\n", `c.yml:1: warn-delivery-rate-decrease: "-1pp" is negative`},
		{"confidence: 1\n", `c.yml:1: confidence: "1" is not a confidence level: it must be above 0 and below 1`},
		{"confidence: high\n", `c.yml:1: confidence: "high" is not a confidence level`},
		{"min-outbound: -5\n", `c.yml:1: min-outbound: "-5" is negative`},
		{"max-skipped-rows: lots\n", `c.yml:1: max-skipped-rows: "lots" is not a whole number`},
		{"allow-empty: yes\n", `c.yml:1: allow-empty: "yes" is not true or false`},
		{"allow-empty:\n", `c.yml:1: allow-empty: want true or false`},
		{"allow-empty: [true]\n", `c.yml:1: allow-empty: want true or false`},
		{"- max-error-rate: 5%\n", `c.yml:1: the file must be a mapping`},
		{"max-error-rate: 5%\nmax-error-rate: 6%\n", `c.yml:2: mapping key "max-error-rate" already defined`},
		{"max-error-rate: [\n", `c.yml:1: not valid YAML`},
	}
	for _, tt := range tests {
		_, err := DecodeConfig(strings.NewReader(tt.doc), "c.yml")
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("DecodeConfig(%q) error = %v\nwant prefix %s", tt.doc, err, tt.want)
		}
	}
}

// TestDecodeConfigWarnAndChange: every warn twin, the change thresholds,
// per as a list and confidence are read from the file.
func TestDecodeConfigWarnAndChange(t *testing.T) {
	doc := `max-error-rate: 5%
warn-error-rate: 3%
min-delivery-rate: 80%
warn-delivery-rate: 90%
warn-stuck-sent-rate: 1%
warn-stuck-sent: 10
warn-opt-out-rejection-rate: 1%
warn-category-rate:
  spam_blocked: 1%
warn-code-rate:
  30007: 0.5%
max-error-rate-increase: 2pp
warn-error-rate-increase: 1pp
max-stuck-sent-rate-increase: 0.01
warn-stuck-sent-rate-increase: 0.5pp
max-delivery-rate-decrease: 5pp
warn-delivery-rate-decrease: 2pp
per: [campaign, sending-number]
confidence: 95%
`
	cfg, err := DecodeConfig(strings.NewReader(doc), "c.yml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, th := range cfg.Thresholds.List() {
		got = append(got, th.Flag()+"="+th.limitText())
	}
	want := "--max-error-rate=5.00% --warn-error-rate=3.00% --min-delivery-rate=80.00% --warn-delivery-rate=90.00% --warn-stuck-sent-rate=1.00% " +
		"--warn-stuck-sent=10 --warn-opt-out-rejection-rate=1.00% --warn-category-rate=1.00% --warn-code-rate=0.50% " +
		"--max-error-rate-increase=2.00pp --warn-error-rate-increase=1.00pp --max-stuck-sent-rate-increase=1.00pp --warn-stuck-sent-rate-increase=0.50pp " +
		"--max-delivery-rate-decrease=5.00pp --warn-delivery-rate-decrease=2.00pp"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("thresholds:\n got %s\nwant %s", s, want)
	}
	if strings.Join(cfg.Per, "|") != "campaign|sending-number" || cfg.Confidence == nil || *cfg.Confidence != 0.95 {
		t.Errorf("per %v confidence %v", cfg.Per, cfg.Confidence)
	}
	if twins := cfg.Thresholds.Twins(); len(twins) != 0 {
		t.Errorf("twins = %v", twins)
	}
}

// TestTwinsOutOfOrder: a warn level past its fail level would never show.
func TestTwinsOutOfOrder(t *testing.T) {
	ts := NewThresholds()
	for _, kv := range [][2]string{{"max-error-rate", "5%"}, {"warn-error-rate", "6%"}, {"min-delivery-rate", "80%"}, {"warn-delivery-rate", "70%"},
		{"max-stuck-sent", "10"}, {"warn-stuck-sent", "10"}} {
		if err := ts.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	got := strings.Join(ts.Twins(), "\n")
	want := "--warn-error-rate 6.00% is past --max-error-rate 5.00%: a warn level must be crossed before the failure\n" +
		"--warn-delivery-rate 70.00% is past --min-delivery-rate 80.00%: a warn level must be crossed before the failure"
	if got != want {
		t.Errorf("twins:\n%s", got)
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yml")
	_, err := LoadConfig(path)
	if err == nil || !strings.Contains(err.Error(), path+": cannot read the config file") {
		t.Errorf("LoadConfig(missing) = %v", err)
	}
	ok := filepath.Join(t.TempDir(), "ok.yml")
	if err := os.WriteFile(ok, []byte("max-stuck-sent: 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(ok)
	if err != nil || cfg.Thresholds.Len() != 1 {
		t.Errorf("LoadConfig(ok) = %+v, %v", cfg, err)
	}
}

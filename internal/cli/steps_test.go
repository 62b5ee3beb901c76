package cli

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/synth"
)

// TestStepsMatchNaiveCount checks summarize --by step against a count made
// without the code under test: encoding/csv, every row of a contact held
// in memory, sorted, and the rules of the step split applied as written.
func TestStepsMatchNaiveCount(t *testing.T) {
	t.Parallel()
	for _, dialect := range synth.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			path, _ := writeSynthExport(t, synth.Options{Rows: 4000, Seed: 11, Dialect: dialect, EmptyTimestamps: 0.02})
			want := naiveSteps(t, path)
			res := run(t, nil, "summarize", "-f", "json", "--by", "step", path)
			if res.code != 0 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			var got struct {
				Groups map[string][]struct {
					Key      string `json:"key"`
					Outbound int64  `json:"outbound"`
					Errored  int64  `json:"errored"`
				} `json:"groups"`
			}
			if err := json.Unmarshal([]byte(res.stdout), &got); err != nil {
				t.Fatal(err)
			}
			rows := got.Groups["step"]
			if len(rows) == 0 {
				t.Fatal("no step groups")
			}
			var keys []string
			for _, r := range rows {
				keys = append(keys, r.Key)
				w := want[r.Key]
				if r.Outbound != w[0] || r.Errored != w[1] {
					t.Errorf("step %s: outbound %d errored %d, naive count %d and %d", r.Key, r.Outbound, r.Errored, w[0], w[1])
				}
			}
			if len(want) != len(rows) {
				t.Errorf("steps %v, naive count has %v", keys, want)
			}
			for i, k := range keys {
				if i > 0 && slices.Index([]string{"initial", "follow-up", "conversation"}, k) < slices.Index([]string{"initial", "follow-up", "conversation"}, keys[i-1]) {
					t.Errorf("steps not in conversation order: %v", keys)
				}
			}
			// Standard input gives the same answer (it is kept for the
			// second pass).
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			stdin := run(t, f, "summarize", "-f", "json", "--by", "step", "-")
			if stripInputs(stdin.stdout) != stripInputs(res.stdout) {
				t.Errorf("standard input gives another answer:\n%s\nwant:\n%s", head(stdin.stdout), head(res.stdout))
			}
		})
	}
}

// stripInputs drops the "inputs" entry, which names the path.
func stripInputs(js string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		return js
	}
	delete(m, "inputs")
	b, _ := json.Marshal(m)
	return string(b)
}

type stepRow struct {
	line    int
	inbound bool
	t       int64
	errored bool
}

// naiveSteps returns outbound and errored texts by step.
func naiveSteps(t *testing.T, path string) map[string][2]int64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	all, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(names ...string) int {
		for i, h := range all[0] {
			if slices.Contains(names, h) {
				return i
			}
		}
		return -1
	}
	ccid, camp, cell := col("campaign_contact_id"), col("campaign_id", "campaignId"), col("contact_number", "contactNumber")
	from, status, at := col("is_from_contact", "isFromContact"), col("send_status", "sendStatus"), col("attempted_at", "attemptedAt")
	contacts := map[string][]stepRow{}
	for i, rec := range all[1:] {
		key := ""
		if ccid >= 0 {
			key = rec[ccid]
		} else {
			key = rec[camp] + "/" + rec[cell]
		}
		row := stepRow{line: i + 2, inbound: strings.EqualFold(rec[from], "true"), t: math.MaxInt64, errored: rec[status] == "ERROR"}
		if ts := naiveTime(rec[at]); !ts.IsZero() {
			row.t = ts.UnixNano()
		}
		contacts[key] = append(contacts[key], row)
	}
	out := map[string][2]int64{}
	for _, rows := range contacts {
		slices.SortFunc(rows, func(a, b stepRow) int {
			if a.t != b.t {
				if a.t < b.t {
					return -1
				}
				return 1
			}
			return a.line - b.line
		})
		seenOutbound, replied := false, false
		for _, row := range rows {
			if row.inbound {
				replied = true
				continue
			}
			step := "follow-up"
			switch {
			case !seenOutbound:
				step = "initial"
			case replied:
				step = "conversation"
			}
			seenOutbound = true
			c := out[step]
			c[0]++
			if row.errored {
				c[1]++
			}
			out[step] = c
		}
	}
	return out
}

// naiveTime parses the timestamps the synth dialects write.
func naiveTime(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999-07", "Mon Jan 02 2006 15:04:05 GMT-0700", "2006-01-02T15:04:05.999Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	if i := strings.Index(s, " ("); i > 0 {
		if t, err := time.Parse("Mon Jan 02 2006 15:04:05 GMT-0700", s[:i]); err == nil {
			return t
		}
	}
	return time.Time{}
}

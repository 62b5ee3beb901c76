package synth

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"testing"
)

// TestBrokenColumns: every row gets a campaign id and an error code of its
// own (Options.BrokenColumns), and every other cell is what the same
// options write without it, in every dialect with those columns.
func TestBrokenColumns(t *testing.T) {
	for _, d := range []string{DialectStateVoicesV10, DialectMoveOnV5, DialectRewired} {
		t.Run(d, func(t *testing.T) {
			read := func(broken bool) [][]string {
				var b bytes.Buffer
				if _, err := Write(&b, Options{Rows: 3000, Seed: 5, Dialect: d, BrokenColumns: broken}); err != nil {
					t.Fatal(err)
				}
				recs, err := csv.NewReader(&b).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				return recs
			}
			plain, broken := read(false), read(true)
			if len(plain) != len(broken) || len(plain) != 3001 {
				t.Fatalf("%d and %d records, want 3001 each", len(plain), len(broken))
			}
			col := map[string]int{}
			for i, h := range plain[0] {
				col[h] = i
			}
			campaign, code := col["campaign_id"], col["error_code"]
			switch d {
			case DialectMoveOnV5:
				campaign, code = col["campaignId"], col["errorCode"]
			case DialectRewired:
				campaign, code = col["campaignId"], col["errorCodes"]
			}
			for i, row := range broken[1:] {
				if want := strconv.Itoa(1000000 + i); row[campaign] != want {
					t.Fatalf("row %d: campaign %q, want %q", i+1, row[campaign], want)
				}
				if want := strconv.Itoa(100000 + i); row[code] != want {
					t.Fatalf("row %d: code %q, want %q", i+1, row[code], want)
				}
				for j := range row {
					if j != campaign && j != code && row[j] != plain[i+1][j] {
						t.Fatalf("row %d column %s: %q, want %q as without BrokenColumns", i+1, plain[0][j], row[j], plain[i+1][j])
					}
				}
			}
		})
	}
}

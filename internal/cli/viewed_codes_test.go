package cli

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// restingCodesExport is a broken Rewired export whose code cells are
// distinct on most rows, so that the reader's code cells rest and plain
// codes are handed out as views of its buffer (export.Parallel.CodeViews),
// with real codes among them written as Spoke does (30007, 21610) and
// otherwise (-166, " 30007", "030007", "30007|21610"). It returns the
// rows whose primary code is 30007 and 21610.
func restingCodesExport(seed uint64, rows int) (csv []byte, n30007, n21610 int) {
	r := rand.New(rand.NewPCG(seed, 9))
	var b strings.Builder
	b.WriteString("assignmentId,userNumber,contactNumber,isFromContact,numSegments,numMedia,sendStatus,errorCodes,attemptedAt,text,campaignId,texter[firstName],texter[lastName],texter[email],texter[cell],campaignVariable[event_link]\n")
	for i := range rows {
		code := fmt.Sprint(1_000_000 + r.IntN(1_000_000_000))
		switch x := r.IntN(40); x {
		case 0, 1:
			code, n30007 = "30007", n30007+1
		case 2:
			code, n21610 = "21610", n21610+1
		case 3:
			code = "-166"
		case 4:
			code, n30007 = `" 30007"`, n30007+1
		case 5:
			code, n30007 = "030007", n30007+1
		case 6:
			code, n30007 = `"30007|21610"`, n30007+1
		}
		fmt.Fprintf(&b, "%d,+1555000%04d,+1555%07d,false,1,0,ERROR,%s,2024-10-%02dT%02d:00:00.000Z,Hi,%d,Sam,R,s@example.org,,\n",
			i%50, r.IntN(30), r.IntN(3000), code, 1+r.IntN(3), r.IntN(24), 1+r.IntN(4))
	}
	return []byte(b.String()), n30007, n21610
}

// TestViewedCodesCounted: on a broken export whose codes are viewed, the
// real codes are counted in full whether read by one worker or four in
// small chunks, and --by code, nested keys and check's code gate agree.
// Under go test -tags viewcheck a viewed code kept in a map without a copy
// reads as scribbled bytes and this fails.
func TestViewedCodesCounted(t *testing.T) {
	t.Parallel()
	data, n30007, n21610 := restingCodesExport(1, 4000)
	in := writeInput(t, t.TempDir(), "resting.csv", data)
	for _, workers := range [][]string{{"--workers", "1"}, {"--workers", "4", "--chunk-bytes", "4096"}} {
		res := run(t, nil, append([]string{"summarize", "-f", "json", "--by", "code", "--by", "campaign,code"}, append(workers, in)...)...)
		var out struct {
			ErrorCodes []struct {
				Code  string `json:"code"`
				Count int    `json:"count"`
			} `json:"error_codes"`
		}
		if err := json.Unmarshal([]byte(res.stdout), &out); err != nil {
			t.Fatalf("%v: %v\n%s", workers, err, res.stderr)
		}
		got := map[string]int{}
		for _, c := range out.ErrorCodes {
			got[c.Code] = c.Count
		}
		if got["30007"] != n30007 || got["21610"] != n21610 {
			t.Errorf("%v: 30007 counted %d times, 21610 %d; want %d and %d", workers, got["30007"], got["21610"], n30007, n21610)
		}
		for code := range got {
			if strings.ContainsRune(code, 0xfffd) || strings.Contains(code, "\xff") {
				t.Errorf("%v: a code read from scribbled memory: %q", workers, code)
			}
		}
	}
	compareParallel(t, in, [][]string{
		{"summarize", "-f", "json", "--by", "code", "--by", "category", "--by", "code,campaign"},
		{"check", "-f", "json", "--max-code-rate", "30007=1%", "--per", "campaign"},
	})
}

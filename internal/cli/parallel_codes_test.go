package cli

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// junkCodesExport is a Rewired export whose code cells are a broken
// export's: real codes among junk ones that fill the caps, look-alikes of
// the keys past them ("(other)", "(none)"), pipe cells, codes written
// apart ("7", "007", "+7"), a unit separator; a few campaigns and many.
func junkCodesExport(seed uint64, rows int) []byte {
	r := rand.New(rand.NewPCG(seed, 5))
	odd := []string{"30007", "21610", "30003", "-133", "(other)", "(none)", "007", "7", "+7", `" 5 |x"`, `"30007|21610"`, `"|21610"`, "0", "7.0", "a\x1fb", "a b"}
	statuses := []string{"DELIVERED", "ERROR", "ERROR", "ERROR", "SENT", "SENDING"}
	var b strings.Builder
	b.WriteString("assignmentId,userNumber,contactNumber,isFromContact,numSegments,numMedia,sendStatus,errorCodes,attemptedAt,text,campaignId,texter[firstName],texter[lastName],texter[email],texter[cell],campaignVariable[event_link]\n")
	for i := range rows {
		status := statuses[r.IntN(len(statuses))]
		code := ""
		switch x := r.IntN(10); {
		case status != "ERROR" && x > 0:
		case x < 3:
			code = odd[r.IntN(len(odd))]
		case x < 5:
			code = fmt.Sprint(1 + r.IntN(40))
		default:
			code = fmt.Sprint(1000 + r.IntN(100_000))
		}
		campaign := fmt.Sprint(1 + r.IntN(6))
		if r.IntN(4) == 0 {
			campaign = fmt.Sprint(100 + r.IntN(3000))
		}
		fmt.Fprintf(&b, "%d,+1555000%04d,+1555%07d,false,%d,0,%s,%s,2024-10-%02dT%02d:%02d:00.000Z,Hi https://d%d.example.org/x,%s,Sam,R,s@example.org,,\n",
			i%50, r.IntN(30), r.IntN(3000), 1+r.IntN(3), status, code, 1+r.IntN(3), r.IntN(24), r.IntN(60), r.IntN(8)+r.IntN(2)*r.IntN(300), campaign)
	}
	return []byte(b.String())
}

// A broken export's codes are admitted, folded and grouped alike however
// the input is split: --by code, --by category and the groups nesting a
// code, under caps small enough to fill, and check's code gates.
func TestParallelJunkCodesMatchSequential(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var inputs []string
	for seed := range uint64(2) {
		inputs = append(inputs, writeInput(t, dir, fmt.Sprintf("junk%d.csv", seed), junkCodesExport(seed, 2500)))
	}
	var variants [][]string
	for _, maxKeys := range []string{"3", "20", "100", "0"} {
		variants = append(variants,
			[]string{"summarize", "-f", "json", "--max-keys", maxKeys, "--by", "code", "--by", "category", "--by", "campaign,code",
				"--by", "code,campaign", "--by", "campaign,category", "--by", "link-domain", "--price-per-segment", "0.01"},
			[]string{"check", "-f", "json", "--max-keys", maxKeys, "--max-code-rate", "30007=1%", "--max-category-rate", "spam_blocked=2%", "--per", "campaign"})
	}
	for _, in := range inputs {
		compareParallel(t, in, variants)
	}
}

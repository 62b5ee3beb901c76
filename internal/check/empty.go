package check

import (
	"fmt"
	"strings"

	"github.com/spoke-status/spoke-status/internal/summary"
)

// nothingToCheck explains why a run judged nothing, or returns "" when it
// judged something. A gate that read no rows, or too few outbound texts to
// measure, must not pass by default: an empty download or a stale file
// would otherwise turn CI green. The whole input is held to MinOutbound as
// every --per group is; 0 outbound texts is nothing whatever MinOutbound.
func nothingToCheck(in Input, r *Report) string {
	total := in.Total
	if total == nil {
		total = summary.NewTally()
	}
	switch {
	case total.Rows == 0:
		return "no rows were read"
	case total.Outbound == 0:
		return fmt.Sprintf("no outbound texts among the %d rows read", total.Rows)
	case total.Outbound < in.MinOutbound:
		return fmt.Sprintf("%d outbound texts, fewer than --min-outbound %d", total.Outbound, in.MinOutbound)
	case len(in.Groups) > 0 && len(r.SkippedGroups) == groupCount(in.Groups):
		if len(in.Groups) == 1 && in.Groups[0].Dimension == summary.DimCampaign {
			return fmt.Sprintf("every campaign has fewer than %d outbound texts (--min-outbound)", in.MinOutbound)
		}
		return fmt.Sprintf("every group of --per %s has fewer than %d outbound texts (--min-outbound)", perNames(in.Groups), in.MinOutbound)
	}
	return ""
}

func groupCount(sets []GroupSet) int {
	n := 0
	for _, s := range sets {
		n += len(s.Rows)
	}
	return n
}

func perNames(sets []GroupSet) string {
	names := make([]string, len(sets))
	for i, s := range sets {
		names[i] = s.Dimension
	}
	return strings.Join(names, " --per ")
}

package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/spoke-status/spoke-status/internal/check"
)

// MaxGitHubErrors is how many ::error annotations are written: GitHub shows
// at most 10 error annotations per step and silently drops the rest, so the
// remainder is counted in one ::warning instead.
const MaxGitHubErrors = 10

// GitHubAnnotations writes one ::error workflow command per failed check
// (failures in table order, at most MaxGitHubErrors), then a ::warning
// counting the failures left out.
func GitHubAnnotations(w io.Writer, r *check.Report) error {
	var failed []check.Result
	for _, c := range r.FailuresFirst() {
		if !c.Passed {
			failed = append(failed, c)
		}
	}
	for i, c := range failed {
		if i == MaxGitHubErrors {
			msg := fmt.Sprintf("%d more checks failed; GitHub shows at most %d error annotations per step: see the job summary or the check table in the log",
				len(failed)-MaxGitHubErrors, MaxGitHubErrors)
			_, err := fmt.Fprintf(w, "::warning title=%s::%s\n", escapeProperty("spoke-status check"), escapeData(msg))
			return err
		}
		title := fmt.Sprintf("spoke-status check: %s (%s)", c.Name, cleanScope(c.Scope))
		if _, err := fmt.Fprintf(w, "::error title=%s::%s\n", escapeProperty(title), escapeData(CheckFailure(c))); err != nil {
			return err
		}
	}
	return nil
}

// escapeData escapes a workflow command's message, as actions/toolkit's
// escapeData does: '%' first, then CR and LF, so that a message cannot end
// the command or start another one.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value, as
// actions/toolkit's escapeProperty does: also ':' and ',', which separate
// the properties from the message and from each other.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/spoke-status/spoke-status/internal/check"
)

// MaxGitHubErrors is how many ::error annotations are written: GitHub shows
// at most 10 error annotations per step and silently drops the rest, so the
// remainder is counted in one ::warning instead. MaxGitHubWarnings is the
// same limit on ::warning annotations.
const (
	MaxGitHubErrors   = 10
	MaxGitHubWarnings = 10
)

// GitHubAnnotations writes one ::error workflow command per failed check
// (failures in table order, at most MaxGitHubErrors) and a ::warning
// counting the failures left out, then one ::warning per check whose warn
// level was crossed, within MaxGitHubWarnings with the last counting the
// rest.
func GitHubAnnotations(w io.Writer, r *check.Report) error {
	var failed, warned []check.Result
	for _, c := range r.FailuresFirst() {
		switch c.Status {
		case check.StatusFail:
			failed = append(failed, c)
		case check.StatusWarn:
			warned = append(warned, c)
		}
	}
	warnings := MaxGitHubWarnings
	for i, c := range failed {
		if i == MaxGitHubErrors {
			msg := fmt.Sprintf("%d more checks failed; GitHub shows at most %d error annotations per step: see the job summary or the check table in the log",
				len(failed)-MaxGitHubErrors, MaxGitHubErrors)
			if err := annotate(w, "warning", "spoke-status check", msg); err != nil {
				return err
			}
			warnings--
			break
		}
		if err := annotate(w, "error", checkTitle(c), CheckFailure(c)); err != nil {
			return err
		}
	}
	for i, c := range warned {
		if i == warnings-1 && len(warned) > warnings {
			msg := fmt.Sprintf("%d more checks crossed their warn level; GitHub shows at most %d warning annotations per step: see the job summary or the check table in the log",
				len(warned)-i, MaxGitHubWarnings)
			return annotate(w, "warning", "spoke-status check", msg)
		}
		if err := annotate(w, "warning", checkTitle(c), CheckFailure(c)); err != nil {
			return err
		}
	}
	return nil
}

func checkTitle(c check.Result) string {
	return fmt.Sprintf("spoke-status check: %s (%s)", c.Name, cleanScope(c.Scope))
}

// annotate writes one workflow command: ::error or ::warning.
func annotate(w io.Writer, command, title, msg string) error {
	_, err := fmt.Fprintf(w, "::%s title=%s::%s\n", command, escapeProperty(title), escapeData(msg))
	return err
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

package render

import (
	"encoding/xml"
	"fmt"
	"io"

	"github.com/spoke-status/spoke-status/internal/check"
)

// JUnit XML, the format GitLab and most CI dashboards read: one
// <testsuite> per scope (all, then each group), one <testcase> per
// check, a <failure> with actual against limit for each failed check, a
// passing case with a <system-out> warning for each crossed warn level
// (named "error_rate (warn)"), and one skipped test case per group left
// out by --min-outbound.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	// SystemOut carries the warning of a crossed warn level: JUnit has no
	// warning outcome, so the case passes and says why it warns.
	SystemOut string `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// CheckJUnit writes the report as JUnit XML.
func CheckJUnit(w io.Writer, r *check.Report) error {
	doc := junitSuites{Name: "spoke-status check"}
	index := map[string]int{}
	for _, c := range r.Checks {
		i, ok := index[c.Scope]
		if !ok {
			i = len(doc.Suites)
			index[c.Scope] = i
			doc.Suites = append(doc.Suites, junitSuite{Name: c.Scope})
		}
		doc.Suites[i].add(checkCase(c))
	}
	for _, g := range r.SkippedGroups {
		s := junitSuite{Name: g.Scope}
		s.add(junitCase{Name: "min_outbound", Classname: classname(g.Scope), Skipped: &junitSkipped{
			Message: fmt.Sprintf("%s outbound texts: %s", Count(g.Outbound), g.Reason)}})
		doc.Suites = append(doc.Suites, s)
	}
	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing JUnit XML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func (s *junitSuite) add(c junitCase) {
	s.Tests++
	if c.Failure != nil {
		s.Failures++
	}
	if c.Skipped != nil {
		s.Skipped++
	}
	s.Cases = append(s.Cases, c)
}

func checkCase(c check.Result) junitCase {
	tc := junitCase{Name: c.Name, Classname: classname(c.Scope)}
	if c.Level == check.LevelWarn {
		tc.Name += " (warn)"
	}
	switch c.Status {
	case check.StatusPass:
		return tc
	case check.StatusWarn:
		tc.SystemOut = "WARNING: " + CheckFailure(c)
		return tc
	}
	actual, limit := CheckValues(c)
	text := fmt.Sprintf("actual %s, limit %s %s", actual, c.Comparison, limit)
	if !c.IsCount() {
		text += fmt.Sprintf(" (%s of %s outbound texts)", Count(c.Count), Count(c.Outbound))
	}
	tc.Failure = &junitFailure{Message: CheckFailure(c), Type: "threshold", Text: text}
	return tc
}

// classname groups test cases by scope in dashboards that show the class:
// spoke-status.all, spoke-status.campaign 112.
func classname(scope string) string { return "spoke-status." + scope }

package check

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spoke-status/spoke-status/internal/summary"
)

// BaselineFigures are the counts of one scope in a baseline that the
// change thresholds compare with.
type BaselineFigures struct {
	Outbound, Delivered, Errored, SentStuck int64
}

// Baseline is a saved summarize or check JSON document (check --baseline):
// the whole input's figures and, from a summarize run with --by, each
// group's.
type Baseline struct {
	Path        string
	GeneratedBy string
	// Step is the step a check document was scoped to ("" for all texts,
	// and for every summarize document).
	Step  string
	Total *BaselineFigures

	groups map[string]*baselineGroups // by dimension name
}

type baselineGroups struct {
	byKey  map[string]*BaselineFigures
	order  []summary.GroupKey
	folded int // groups the baseline folded into "other" (--top-groups)
}

// BaselineReport is what the check report says of its baseline.
type BaselineReport struct {
	Path        string `json:"path"`
	GeneratedBy string `json:"generated_by"`
	// NewGroups are --per groups absent from the baseline: only their
	// absolute thresholds were checked. VanishedGroups are the baseline's
	// groups absent from this input.
	NewGroups      []GroupChange `json:"new_groups"`
	VanishedGroups []GroupChange `json:"vanished_groups"`
}

// GroupChange is a group present on one side of the comparison only;
// Outbound is its outbound texts on that side.
type GroupChange struct {
	Scope     string           `json:"scope"`
	Dimension string           `json:"dimension"`
	Key       summary.GroupKey `json:"key"`
	Outbound  int64            `json:"outbound"`
}

// BaselineError is a baseline that cannot be used.
type BaselineError struct {
	Path string
	Msg  string
}

func (e *BaselineError) Error() string { return fmt.Sprintf("--baseline %s: %s", e.Path, e.Msg) }

// baselineHelp says what a baseline must be.
const baselineHelp = "give the output of `spoke-status summarize --format json` (or `check --format json`) saved from an earlier run"

// documentJSON is what a baseline is probed for: a check report has
// checks and a summary, a summarize document totals and outbound.
type documentJSON struct {
	SchemaVersion *int             `json:"schema_version"`
	GeneratedBy   string           `json:"generated_by"`
	Checks        json.RawMessage  `json:"checks"`
	Error         json.RawMessage  `json:"error"`
	Step          string           `json:"step"`
	Summary       *json.RawMessage `json:"summary"`
	Totals        *struct {
		Outbound int64 `json:"outbound"`
	} `json:"totals"`
	Outbound *struct {
		Delivered int64 `json:"delivered"`
		Errored   int64 `json:"errored"`
		SentStuck int64 `json:"sent_stuck"`
	} `json:"outbound"`
	Groups map[string][]struct {
		Key          summary.GroupKey `json:"key"`
		Outbound     int64            `json:"outbound"`
		Delivered    int64            `json:"delivered"`
		Errored      int64            `json:"errored"`
		SentStuck    int64            `json:"sent_stuck"`
		FoldedGroups int              `json:"folded_groups"`
	} `json:"groups"`
}

// LoadBaseline reads a baseline file.
func LoadBaseline(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &BaselineError{path, fmt.Sprintf("cannot read it: %v", unwrapPath(err))}
	}
	return DecodeBaseline(bytes.NewReader(data), path)
}

// DecodeBaseline reads a baseline document; path names it in errors.
func DecodeBaseline(r io.Reader, path string) (*Baseline, error) {
	bad := func(format string, args ...any) error {
		return &BaselineError{path, fmt.Sprintf(format, args...)}
	}
	var doc documentJSON
	dec := json.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, bad("the file is empty: %s", baselineHelp)
		}
		return nil, bad("not a spoke-status JSON document (%v): %s", err, baselineHelp)
	}
	if doc.SchemaVersion == nil {
		return nil, bad("not a spoke-status JSON document (no schema_version): %s", baselineHelp)
	}
	if doc.Checks != nil || doc.Error != nil {
		return checkBaseline(&doc, path, bad)
	}
	return summaryBaseline(&doc, path, "", bad)
}

// checkBaseline reads a check report: its embedded summary is the
// baseline.
func checkBaseline(doc *documentJSON, path string, bad func(string, ...any) error) (*Baseline, error) {
	if *doc.SchemaVersion != SchemaVersion {
		return nil, bad("a check report of schema_version %d; this spoke-status reads version %d: save the baseline again with this version", *doc.SchemaVersion, SchemaVersion)
	}
	if doc.Error != nil || doc.Summary == nil || string(*doc.Summary) == "null" {
		return nil, bad("a check report of a run that judged nothing (it has no summary): %s", baselineHelp)
	}
	var inner documentJSON
	if err := json.Unmarshal(*doc.Summary, &inner); err != nil || inner.SchemaVersion == nil {
		return nil, bad("the summary of this check report is not a spoke-status summary: %s", baselineHelp)
	}
	return summaryBaseline(&inner, path, doc.Step, bad)
}

func summaryBaseline(doc *documentJSON, path, step string, bad func(string, ...any) error) (*Baseline, error) {
	if !strings.HasPrefix(doc.GeneratedBy, "spoke-status") || doc.Totals == nil || doc.Outbound == nil {
		return nil, bad("not a spoke-status summary (no generated_by spoke-status, totals and outbound): %s", baselineHelp)
	}
	if *doc.SchemaVersion != summary.SchemaVersion {
		return nil, bad("a summary of schema_version %d; this spoke-status reads version %d: save the baseline again with this version", *doc.SchemaVersion, summary.SchemaVersion)
	}
	b := &Baseline{Path: path, GeneratedBy: doc.GeneratedBy, Step: step, groups: map[string]*baselineGroups{},
		Total: &BaselineFigures{Outbound: doc.Totals.Outbound, Delivered: doc.Outbound.Delivered, Errored: doc.Outbound.Errored, SentStuck: doc.Outbound.SentStuck}}
	if err := b.Total.validate(); err != nil {
		return nil, bad("totals: %v", err)
	}
	for dim, rows := range doc.Groups {
		g := &baselineGroups{byKey: map[string]*BaselineFigures{}}
		for _, row := range rows {
			if row.FoldedGroups > 0 {
				g.folded += row.FoldedGroups
				continue
			}
			f := &BaselineFigures{Outbound: row.Outbound, Delivered: row.Delivered, Errored: row.Errored, SentStuck: row.SentStuck}
			if err := f.validate(); err != nil {
				return nil, bad("groups.%s %s: %v", dim, row.Key, err)
			}
			g.byKey[joinKey(row.Key)] = f
			g.order = append(g.order, row.Key)
		}
		b.groups[dim] = g
	}
	return b, nil
}

// validate refuses counts no summary writes: a hand-edited or corrupt
// baseline must not become a gate that cannot fail.
func (f *BaselineFigures) validate() error {
	if f.Outbound < 0 || f.Delivered < 0 || f.Errored < 0 || f.SentStuck < 0 ||
		f.Delivered > f.Outbound || f.Errored > f.Outbound || f.SentStuck > f.Outbound {
		return fmt.Errorf("counts out of range (outbound %d, delivered %d, errored %d, sent_stuck %d)", f.Outbound, f.Delivered, f.Errored, f.SentStuck)
	}
	return nil
}

// HasGroups reports whether the baseline has the groups of a dimension.
func (b *Baseline) HasGroups(dimension string) bool {
	_, ok := b.groups[dimension]
	return ok
}

// Folded is how many groups of a dimension the baseline folded into
// "other": those look new when they are not.
func (b *Baseline) Folded(dimension string) int {
	if g, ok := b.groups[dimension]; ok {
		return g.folded
	}
	return 0
}

func (b *Baseline) group(dimension string, key summary.GroupKey) *BaselineFigures {
	if g, ok := b.groups[dimension]; ok {
		return g.byKey[joinKey(key)]
	}
	return nil
}

// vanished lists the baseline's groups of a dimension not in seen, in
// the baseline's order.
func (b *Baseline) vanished(dimension string, seen map[string]bool) []GroupChange {
	g, ok := b.groups[dimension]
	if !ok {
		return nil
	}
	var out []GroupChange
	for _, key := range g.order {
		if !seen[joinKey(key)] {
			out = append(out, scopeOf(dimension, key).group(g.byKey[joinKey(key)].Outbound))
		}
	}
	return out
}

func (b *Baseline) report() *BaselineReport {
	return &BaselineReport{Path: b.Path, GeneratedBy: b.GeneratedBy, NewGroups: []GroupChange{}, VanishedGroups: []GroupChange{}}
}

// joinKey makes a map key of a group key; NUL appears in no key.
func joinKey(k summary.GroupKey) string { return strings.Join(k, "\x00") }

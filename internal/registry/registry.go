// Package registry knows every SMS provider and Spoke error code that the
// research notes document, and classifies each into a Category.
//
// The facts live in codes.csv (embedded at build time) rather than in Go
// code, so that adding or correcting a code is a one-line data change that
// reviewers can compare directly against the provider's documentation.
package registry

import (
	"bytes"
	"cmp"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/gocarina/gocsv"
)

// codesCSV is a string, not a []byte, so the embedded data cannot be mutated.
//
//go:embed codes.csv
var codesCSV string

// csvName prefixes parse errors so a failing Load points at the data file.
const csvName = "codes.csv"

// unknownValue is the Charged value used when the facts are not known.
const unknownValue = "unknown"

// Charged values. ChargedFee is Twilio's $0.001 failed-message processing
// fee, charged since 2024-09-30 instead of the message price.
const (
	ChargedYes     = "yes"
	ChargedNo      = "no"
	ChargedFee     = "fee"
	ChargedUnknown = unknownValue
)

// Entry describes one provider's error code.
//
// Charged is one of yes, no, fee, unknown. Source names where the row's
// facts were read (URLs, GitHub ones at a commit, separated by " ; "); Note
// adds what the title does not say (a fork's own use of the code, a doubt).
type Entry struct {
	Code     string   `csv:"code" json:"code"`
	Provider Provider `csv:"provider" json:"provider"`
	Title    string   `csv:"title" json:"title"`
	Category Category `csv:"category" json:"category"`
	Retry    Retry    `csv:"retry" json:"retry"`
	Charged  string   `csv:"charged" json:"charged"`
	Kind     Kind     `csv:"kind" json:"kind"`
	URL      string   `csv:"url" json:"url"`
	Source   string   `csv:"source" json:"source"`
	Note     string   `csv:"note" json:"note"`
}

// key identifies an entry: the same number can mean different things at
// different providers (e.g. 10001 at Twilio and Telnyx).
type key struct {
	code     string
	provider Provider
}

// Registry is an immutable, concurrency-safe index of the embedded codes.
type Registry struct {
	all    []Entry            // sorted by provider, then numeric code
	byKey  map[key]Entry      // exact (code, provider) lookups
	byCode map[string][]Entry // every provider's entry for a code, sorted by provider
}

// Load parses and validates the embedded codes.csv.
func Load() (*Registry, error) {
	return parse([]byte(codesCSV))
}

// columns is the exact header codes.csv must have.
func columns() []string {
	return []string{"code", "provider", "title", "category", "retry", "charged", "kind", "url", "source", "note"}
}

// parse builds a Registry from CSV bytes. It is separate from Load so tests
// can feed malformed data. It uses its own csv.Reader with gocsv's
// Unmarshaller, so gocsv's package-level settings are never modified, and the
// reader's FieldPos gives the line number of every row that fails validation.
func parse(data []byte) (*Registry, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	um, err := gocsv.NewUnmarshaller(cr, Entry{})
	if err != nil {
		return nil, readError(err)
	}
	if !slices.Equal(um.Headers, columns()) {
		return nil, fmt.Errorf("%s line 1: header is %q, want %q", csvName, um.Headers, columns())
	}
	r := &Registry{byKey: map[key]Entry{}, byCode: map[string][]Entry{}}
	for {
		v, err := um.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, readError(err)
		}
		line, _ := cr.FieldPos(0)
		if err := r.add(v.(Entry)); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", csvName, line, err)
		}
	}
	return r.index()
}

// readError turns a CSV syntax error into one that names the line.
func readError(err error) error {
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		return fmt.Errorf("%s line %d: %w", csvName, pe.Line, pe.Err)
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%s line 1: missing header", csvName)
	}
	return fmt.Errorf("%s: %w", csvName, err)
}

// add validates one row and records it, rejecting a second row for the same
// (code, provider) because Lookup could then silently pick either.
func (r *Registry) add(e Entry) error {
	if err := validate(e); err != nil {
		return err
	}
	k := key{e.Code, e.Provider}
	if _, dup := r.byKey[k]; dup {
		return fmt.Errorf("duplicate code %s for provider %s", e.Code, e.Provider)
	}
	r.byKey[k] = e
	r.all = append(r.all, e)
	return nil
}

// index sorts the entries and builds the per-code index from the sorted
// list, which leaves each per-code slice sorted by provider for free.
func (r *Registry) index() (*Registry, error) {
	if len(r.all) == 0 {
		return nil, fmt.Errorf("%s: no entries", csvName)
	}
	slices.SortFunc(r.all, compareEntries)
	for _, e := range r.all {
		r.byCode[e.Code] = append(r.byCode[e.Code], e)
	}
	return r, nil
}

// compareEntries orders by provider name, then by the code's numeric value
// (so 4001 sorts before 40001 and -167 before -1).
func compareEntries(a, b Entry) int {
	if c := cmp.Compare(a.Provider, b.Provider); c != 0 {
		return c
	}
	return cmp.Compare(codeNumber(a.Code), codeNumber(b.Code))
}

// codeNumber is only called on codes that validate has already accepted.
func codeNumber(code string) int {
	n, _ := strconv.Atoi(code)
	return n
}

// validate checks one row against the closed vocabularies the rest of the
// tool switches on; a typo in the data must fail Load, not mis-classify.
func validate(e Entry) error {
	if _, err := strconv.Atoi(e.Code); err != nil || NormalizeCode(e.Code) != e.Code {
		return fmt.Errorf("code %q is not a canonical integer", e.Code)
	}
	if !isReal(e.Provider) {
		return fmt.Errorf("code %s: unknown provider %q", e.Code, e.Provider)
	}
	if !inCSV(e.Category) {
		return fmt.Errorf("code %s: invalid category %q", e.Code, e.Category)
	}
	if !e.Retry.valid() {
		return fmt.Errorf("code %s: invalid retry %q", e.Code, e.Retry)
	}
	if !validCharged(e.Charged) {
		return fmt.Errorf("code %s: invalid charged %q", e.Code, e.Charged)
	}
	if !e.Kind.valid() {
		return fmt.Errorf("code %s: invalid kind %q", e.Code, e.Kind)
	}
	return validateText(e)
}

// validateText checks the free-text columns are present.
func validateText(e Entry) error {
	if strings.TrimSpace(e.Title) == "" {
		return fmt.Errorf("code %s: empty title", e.Code)
	}
	if !strings.HasPrefix(e.URL, "https://") {
		return fmt.Errorf("code %s: url %q is not https", e.Code, e.URL)
	}
	return validateSource(e)
}

// validateSource requires every row to say where its facts come from: one
// or more https URLs separated by " ; ".
func validateSource(e Entry) error {
	if strings.TrimSpace(e.Source) == "" {
		return fmt.Errorf("code %s: empty source", e.Code)
	}
	for _, s := range Sources(e) {
		if !strings.HasPrefix(s, "https://") || strings.ContainsAny(s, " \t") {
			return fmt.Errorf("code %s: source %q is not an https URL", e.Code, s)
		}
	}
	return nil
}

// Sources splits an entry's source column into its URLs.
func Sources(e Entry) []string {
	parts := strings.Split(e.Source, ";")
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}

func validCharged(s string) bool {
	switch s {
	case ChargedYes, ChargedNo, ChargedFee, ChargedUnknown:
		return true
	}
	return false
}

// Lookup finds the entry for code. The hint is tried first, but a code that
// only one provider defines is returned whatever the hint: Spoke Rewired's
// Switchboard writes Twilio codes (21610, 63026, 30001, 21211) even on
// Telnyx-backed instances. A code several providers define is resolved by
// InferProvider, or not at all.
func (r *Registry) Lookup(code string, hint Provider) (Entry, bool) {
	code = NormalizeCode(code)
	if isReal(hint) {
		if e, ok := r.byKey[key{code, hint}]; ok {
			return e, true
		}
	}
	switch candidates := r.byCode[code]; len(candidates) {
	case 0:
		return Entry{}, false
	case 1:
		return candidates[0], true
	}
	p, _ := InferProvider(code)
	e, ok := r.byKey[key{code, p}]
	return e, ok
}

// Knows reports whether any provider's entry is for code.
func (r *Registry) Knows(code string) bool {
	return r != nil && len(r.byCode[NormalizeCode(code)]) > 0
}

// Entries returns every provider's entry for code, sorted by provider.
func (r *Registry) Entries(code string) []Entry {
	return slices.Clone(r.byCode[NormalizeCode(code)])
}

// All returns every entry, sorted by provider and then numeric code.
func (r *Registry) All() []Entry {
	return slices.Clone(r.all)
}

// Unknown describes a code the registry lacks, so reports can still show it
// with a best-guess provider instead of dropping the row.
func (r *Registry) Unknown(code string, hint Provider) Entry {
	p, ambiguous := InferProvider(code)
	if ambiguous && isReal(hint) {
		p = hint
	}
	return Entry{
		Code:     NormalizeCode(code),
		Provider: p,
		Title:    "Unknown error code",
		Category: UnknownCategory,
		Retry:    RetryUnknown,
		Charged:  ChargedUnknown,
		Kind:     Failure,
	}
}

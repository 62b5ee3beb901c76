package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/render"
)

// CodesOptions are the options of codes.
type CodesOptions struct {
	Provider string
	Category string
	Format   string
}

func newCodesCommand(env Env) *cobra.Command {
	opts := &CodesOptions{}
	cmd := &cobra.Command{
		Use:   "codes [flags] [CODE ...]",
		Short: "Explain error codes: provider, title, category, retry advice, billing",
		Long: `Look up error codes in spoke-status's registry of ` + providerTitles() + `
codes. With codes as arguments, print each one's entries (every
provider's, for a code two providers share, unless --provider is given).
Without arguments, list the registry, filtered by --provider and --category.

Exits 1 when an asked-for code is unknown, after printing the known ones.`,
		Example: `  spoke-status codes 30007 21610
  spoke-status codes --provider bandwidth --category spam_blocked
  spoke-status codes --format json 4775`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCodes(env, opts, args)
		},
		ValidArgsFunction: completeCodes,
	}
	fs := cmd.Flags()
	enumFlag(cmd, fs, &opts.Provider, "provider", "", "", "only this provider's codes: "+valuesText(names(registry.Vendors()))+" (or spoke)", names(registry.CodeOwners()))
	enumFlag(cmd, fs, &opts.Category, "category", "", "", "only codes of this category, e.g. spam_blocked", names(registry.Categories()))
	enumFlag(cmd, fs, &opts.Format, "format", "f", "table", "output format: "+valuesText(reportFormats()), reportFormats())
	return cmd
}

func runCodes(env Env, opts *CodesOptions, args []string) error {
	filter := newCodeFilter(opts)
	reg, err := loadRegistry()
	if err != nil {
		return err
	}
	entries, unknown := selectCodes(reg, filter, args)
	if err := writeCodes(env, reg, opts.Format, entries, filter.provider == ""); err != nil {
		return err
	}
	if len(unknown) > 0 {
		return &ExitError{Code: ExitCheckFailed, Err: fmt.Errorf("unknown error code: %s", strings.Join(unknown, ", ")),
			Hint: "the code is not in the registry; check the provider's documentation, and report it so it can be added"}
	}
	return nil
}

type codeFilter struct {
	provider registry.Provider
	category registry.Category
}

// newCodeFilter reads the filters; their flags admit only the table's
// providers and categories.
func newCodeFilter(opts *CodesOptions) codeFilter {
	return codeFilter{provider: registry.Provider(opts.Provider), category: registry.Category(opts.Category)}
}

func (f codeFilter) keep(e registry.Entry) bool {
	return (f.provider == "" || e.Provider == f.provider) && (f.category == "" || e.Category == f.category)
}

// selectCodes returns the entries asked for (or the filtered registry when
// no code is given) and the asked-for codes that matched nothing.
func selectCodes(reg *registry.Registry, f codeFilter, codes []string) (entries []registry.Entry, unknown []string) {
	if len(codes) == 0 {
		for _, e := range reg.All() {
			if f.keep(e) {
				entries = append(entries, e)
			}
		}
		return entries, nil
	}
	for _, code := range codes {
		matched := 0
		for _, e := range entriesFor(reg, f, code) {
			if f.keep(e) || f.provider != "" {
				entries = append(entries, e)
				matched++
			}
		}
		if matched == 0 {
			unknown = append(unknown, code)
		}
	}
	return entries, unknown
}

// entriesFor returns a code's entries: with a provider, the one an export
// of that provider would use (Spoke Rewired writes Twilio-style 21610 on
// Telnyx instances, so the lookup falls back across providers); without,
// every provider's.
func entriesFor(reg *registry.Registry, f codeFilter, code string) []registry.Entry {
	if f.provider == "" {
		return reg.Entries(code)
	}
	if e, ok := reg.Lookup(code, f.provider); ok && (f.category == "" || e.Category == f.category) {
		return []registry.Entry{e}
	}
	return nil
}

// codeJSON is one entry of codes --format json: the registry entry and the
// other providers that define the same code (empty when none does).
type codeJSON struct {
	registry.Entry
	SharedWith []registry.Provider `json:"shared_with"`
}

// sharedWith lists the other providers whose registry defines e's code.
func sharedWith(reg *registry.Registry, e registry.Entry) []registry.Provider {
	out := []registry.Provider{}
	for _, o := range reg.Entries(e.Code) {
		if o.Provider != e.Provider {
			out = append(out, o.Provider)
		}
	}
	return out
}

// writeCodes writes the entries; notes adds, under a table, which codes
// two providers share (not when --provider picked one meaning).
func writeCodes(env Env, reg *registry.Registry, format string, entries []registry.Entry, notes bool) error {
	if format == "json" {
		out := make([]codeJSON, 0, len(entries))
		for _, e := range entries {
			out = append(out, codeJSON{Entry: e, SharedWith: sharedWith(reg, e)})
		}
		return render.JSON(env.Stdout, out)
	}
	style := render.Text
	if format == "markdown" {
		style = render.Markdown
	}
	if len(entries) == 0 {
		return nil
	}
	rows := make([][]string, 0, len(entries))
	for _, e := range entries {
		rows = append(rows, []string{e.Code, string(e.Provider), string(e.Category), string(e.Retry), e.Charged, e.Title})
	}
	if err := render.Table(env.Stdout, style, []render.Column{
		{Title: "Code", Right: true}, {Title: "Provider"}, {Title: "Category"}, {Title: "Retry"}, {Title: "Charged"}, {Title: "Title"},
	}, rows); err != nil || !notes {
		return err
	}
	return writeSharedNotes(env, reg, entries)
}

// writeSharedNotes says, under the table, which listed codes two providers
// define with different meanings; each export is read with its own
// provider's.
func writeSharedNotes(env Env, reg *registry.Registry, entries []registry.Entry) error {
	seen := map[string]bool{}
	for _, e := range entries {
		others := reg.Entries(e.Code)
		if len(others) < 2 || seen[e.Code] {
			continue
		}
		seen[e.Code] = true
		names := make([]string, 0, len(others))
		for _, o := range others {
			names = append(names, string(o.Provider))
		}
		if _, err := fmt.Fprintf(env.Stdout, "\nNote: %s is shared by %s, with different meanings; summaries read it as the export's provider means it.\n",
			e.Code, strings.Join(names, " and ")); err != nil {
			return err
		}
	}
	return nil
}

// providerTitles names every provider that owns codes, for help text:
// "Twilio, Telnyx, Bandwidth and Spoke".
func providerTitles() string {
	var titles []string
	for _, p := range registry.ProviderSpecs() {
		titles = append(titles, p.Title)
	}
	return joinWords(titles, "and")
}

// completeCodes offers the registry's codes (with their titles) to shell
// completion, never file names.
func completeCodes(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
	reg, err := loadRegistry()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var out []string
	seen := map[string]bool{}
	for _, e := range reg.All() {
		if seen[e.Code] || !strings.HasPrefix(e.Code, prefix) {
			continue
		}
		seen[e.Code] = true
		out = append(out, e.Code+"\t"+e.Title)
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

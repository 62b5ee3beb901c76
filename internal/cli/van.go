package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/dbsource"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/output"
	"github.com/spoke-status/spoke-status/internal/rowout"
	"github.com/spoke-status/spoke-status/internal/van"
)

// VANOptions are the options of van.
type VANOptions struct {
	Read               ReadOptions
	Contacts           []string
	Output             string
	TextedResult       string
	WrongNumberResult  string
	IncludeUndelivered string
	TZ                 string
	Unmatched          string
	Corrections        string
}

func newVANCommand(env Env) *cobra.Command {
	opts := &VANOptions{}
	cmd := &cobra.Command{
		Use:   "van MESSAGES.csv --contacts CONTACTS.csv [MESSAGES.csv --contacts CONTACTS.csv ...] | van --db URL --campaign ID",
		Short: "Write a VAN bulk-upload file of delivered texts and wrong numbers",
		Long: `Join each texted contact's outcome with its VAN id and write a VAN bulk-upload
CSV (van_id,phone,date_contacted,result). Spoke itself posts "Texted" to VAN
whether or not the text was delivered; this file counts only what happened:

  Texted        at least one text was delivered (--texted-result)
  Wrong Number  nothing delivered and the last text failed with an invalid
                number or a landline (--wrong-number-result)
  no row        anything else, unless --include-undelivered RESULT

The VAN id (external_id) is in the campaign's contacts export, not in the
messages export: give one --contacts file per messages file, in the same
order. Contacts join on the contact id (StateVoices/MoveOn v10+) or on
campaign and cell (Rewired, MoveOn before v10). With --db, both the
messages and the contacts (campaign_contact.external_id) come from Spoke's
database, in one snapshot. Dates are MM/DD/YYYY in --tz. Memory grows with
the number of contacts, not of rows.`,
		Example: `  spoke-status van messages.csv --contacts contacts.csv -o van.csv
  spoke-status van a-messages.csv b-messages.csv --contacts a-contacts.csv --contacts b-contacts.csv \
      --tz America/New_York --unmatched unmatched.csv --corrections corrections.csv -o van.csv
  spoke-status van --db postgres://reader@db.example.org/spoke --campaign 112 -o van.csv`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVAN(env, opts, args)
		},
	}
	opts.Read.AddFlags(cmd, cmd.Flags())
	fs := cmd.Flags()
	fs.StringArrayVar(&opts.Contacts, "contacts", nil, "the contacts export of each messages file, in the same order (repeatable)")
	fs.StringVarP(&opts.Output, "output", "o", "", "write to this file (whole or not at all) instead of standard output")
	fs.StringVar(&opts.TextedResult, "texted-result", "Texted", "result for a contact with at least one delivered text")
	fs.StringVar(&opts.WrongNumberResult, "wrong-number-result", "Wrong Number", "result for a contact whose last text failed with an invalid number or a landline")
	fs.StringVar(&opts.IncludeUndelivered, "include-undelivered", "", "also write the other texted contacts, with this result")
	fs.StringVar(&opts.TZ, "tz", "UTC", "time zone of date_contacted, e.g. America/New_York")
	fs.StringVar(&opts.Unmatched, "unmatched", "", "write the contacts without a VAN id to this file")
	fs.StringVar(&opts.Corrections, "corrections", "", "write the contacts Spoke marked Texted that were never delivered to this file")
	return cmd
}

func runVAN(env Env, opts *VANOptions, args []string) error {
	if err := opts.checkInputs(env, args); err != nil {
		return err
	}
	loc, err := time.LoadLocation(opts.TZ)
	if err != nil {
		return usageErrorf("use an IANA name such as America/New_York", "--tz: %v", err)
	}
	// Every output is checked before any input is read: none may be an
	// input (messages or contacts export), a directory, or unwritable.
	inputs := append(append([]string{}, args...), opts.Contacts...)
	target, err := outputTarget(env, "-o", outputOrStdout(opts.Output), "van.csv", inputs)
	if err != nil {
		return err
	}
	var unmatched, corrections *output.Target
	if opts.Unmatched != "" {
		if unmatched, err = outputTarget(env, "--unmatched", opts.Unmatched, "unmatched.csv", inputs); err != nil {
			return err
		}
	}
	if opts.Corrections != "" {
		if corrections, err = outputTarget(env, "--corrections", opts.Corrections, "corrections.csv", inputs); err != nil {
			return err
		}
	}
	joiners, err := joinVAN(env, opts, args)
	if err != nil {
		return err
	}
	out := vanOutputs{opts: opts, loc: loc, joiners: joiners}
	if err := writeOutput(target, out.write(out.result)); err != nil {
		return err
	}
	if out.unmatched > 0 {
		fmt.Fprintf(env.Stderr, "%s: warning: %d contacts without a VAN id (external_id) were left out%s\n", progName, out.unmatched, listedIn(opts.Unmatched))
	}
	if unmatched != nil {
		if err := writeOutput(unmatched, out.write(out.unmatchedResult)); err != nil {
			return err
		}
	}
	if corrections != nil {
		return writeOutput(corrections, out.write(out.correction))
	}
	return nil
}

func listedIn(path string) string {
	if path == "" {
		return " (list them with --unmatched FILE)"
	}
	return "; they are listed in " + path
}

// checkInputs checks that the inputs are pairs of messages and contacts
// exports, or the database alone.
func (opts *VANOptions) checkInputs(env Env, args []string) error {
	if _, err := opts.Read.inputPaths(env, args); err != nil {
		return err
	}
	switch {
	case opts.Read.DB.active() && len(opts.Contacts) > 0:
		return usageErrorf("drop --contacts: with --db the VAN ids come from campaign_contact.external_id",
			"--contacts reads contacts exports; --db reads the database")
	case opts.Read.DB.active():
		return nil
	case len(args) == 0:
		return usageErrorf("give MESSAGES.csv --contacts CONTACTS.csv, or --db URL --campaign ID",
			"van needs a messages export and its contacts export, or the database")
	case len(opts.Contacts) != len(args):
		return usageErrorf("give one --contacts file per messages file, in the same order",
			"%d messages files but %d --contacts files", len(args), len(opts.Contacts))
	}
	return nil
}

// vanClassifier returns the classifier of --provider (no inference: the
// join is one pass).
func vanClassifier(env Env, opts *VANOptions) (*classify.Classifier, error) {
	reg, err := loadRegistry()
	if err != nil {
		return nil, err
	}
	aggOpts, err := opts.Read.aggregatorOptions(env, reg)
	if err != nil {
		return nil, err
	}
	return classify.New(reg, aggOpts.Provider), nil
}

// joinVAN reads each pair of messages and contacts exports, or the
// database.
func joinVAN(env Env, opts *VANOptions, args []string) ([]*van.Joiner, error) {
	cls, err := vanClassifier(env, opts)
	if err != nil {
		return nil, err
	}
	if opts.Read.DB.active() {
		return joinVANDatabase(env, opts, cls)
	}
	var joiners []*van.Joiner
	for i, messages := range args {
		f, err := os.Open(opts.Contacts[i])
		if err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("--contacts: %w", err)}
		}
		dir, err := van.ReadDirectory(f, opts.Contacts[i])
		f.Close()
		if err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: err, Hint: "pass the contacts export of the campaign (the file without -messages in its name)"}
		}
		j := van.NewJoiner(dir, cls)
		_, err = scanInputs(env, []string{messages}, &opts.Read, nil, func(rec *export.Record) error {
			j.Add(rec)
			return nil
		})
		if err != nil {
			return nil, err
		}
		joiners = append(joiners, j)
	}
	return joiners, nil
}

// joinVANDatabase reads each campaign's contacts, then its messages, in
// one snapshot. Contacts are keyed by campaign_contact id and by campaign
// and cell: StateVoices rows name their contact id, Rewired rows (as in
// its export) only the campaign and the contact's number.
func joinVANDatabase(env Env, opts *VANOptions, cls *classify.Classifier) ([]*van.Joiner, error) {
	src, err := opts.Read.DB.sourceOptions(env)
	if err != nil {
		return nil, err
	}
	dir := van.NewDirectory(true)
	src.OnContact = func(c *dbsource.Contact) error {
		dir.Add(strconv.FormatInt(c.ID, 10), strconv.FormatInt(c.Campaign, 10), c.Cell, c.ExternalID)
		return nil
	}
	j := van.NewJoiner(dir, cls)
	if _, err := dbsource.Scan(context.Background(), src, nil, func(rec *export.Record) error {
		j.Add(rec)
		return nil
	}); err != nil {
		return nil, err
	}
	return []*van.Joiner{j}, nil
}

// vanOutputs writes the upload file and the side lists.
type vanOutputs struct {
	opts      *VANOptions
	loc       *time.Location
	joiners   []*van.Joiner
	unmatched int
}

// write returns a fill function writing the rows that pick selects.
func (o *vanOutputs) write(pick func(*van.Outcome) (string, bool)) func(io.Writer) error {
	return func(w io.Writer) error {
		enc, err := rowout.NewCSV(w, rowout.VAN, rowout.Options{})
		if err != nil {
			return err
		}
		for _, j := range o.joiners {
			err := j.Each(func(c *van.Outcome) error {
				result, ok := pick(c)
				if !ok {
					return nil
				}
				row := rowout.VANRow{VANID: c.VANID, Phone: c.Phone, Result: result}
				if c.HasLastAt {
					row.DateContacted = c.LastAt.In(o.loc).Format("01/02/2006")
				}
				return enc.Write(&row)
			})
			if err != nil {
				return err
			}
		}
		return enc.Close()
	}
}

// outcomeResult is the VAN result of a contact, if it gets one.
func (o *vanOutputs) outcomeResult(c *van.Outcome) (string, bool) {
	switch {
	case c.Delivered:
		return o.opts.TextedResult, true
	case c.WrongNumber:
		return o.opts.WrongNumberResult, true
	case o.opts.IncludeUndelivered != "":
		return o.opts.IncludeUndelivered, true
	}
	return "", false
}

func (o *vanOutputs) result(c *van.Outcome) (string, bool) {
	r, ok := o.outcomeResult(c)
	if ok && c.VANID == "" {
		o.unmatched++
		return "", false
	}
	return r, ok
}

func (o *vanOutputs) unmatchedResult(c *van.Outcome) (string, bool) {
	r, ok := o.outcomeResult(c)
	return r, ok && c.VANID == ""
}

// correction selects the contacts Spoke posted as Texted (it does so when
// the initial text is saved) that were never delivered.
func (o *vanOutputs) correction(c *van.Outcome) (string, bool) {
	return "Texted", !c.Delivered && c.VANID != ""
}

package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/contacts"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/phone"
	"github.com/spoke-status/spoke-status/internal/summary"
)

// ContactsOptions are the options of contacts.
type ContactsOptions struct {
	Read   ReadOptions
	List   string
	Format string
	Output string
}

func newContactsCommand(env Env) *cobra.Command {
	opts := &ContactsOptions{}
	cmd := &cobra.Command{
		Use:   "contacts [flags] [EXPORT.csv ...]",
		Short: "List contacts to suppress, to retry, or who opted out, as CSV for a spreadsheet or a re-upload",
		Long: `Work out each contact's outcome from all of its rows (a contact is a contact
number, in E.164 when it is a plausible one, within a campaign) and write one
follow-up list as CSV (the first column is 'cell', as in a Spoke contact
upload) or as a JSON array:

  suppress   never text again: opted out (STOP reply, or a send rejected for
             an opt-out), or the last text failed with a permanent code
             (invalid number, landline or unsupported, recipient block)
  retry      worth texting again: nothing delivered, not opted out, and the
             last text failed with a transient code (rate limit, carrier
             failure, unreachable handset) or is stuck in SENT
  opted-out  every contact who opted out, how and when
  all        every contact with its outcome (the default)

"Last" goes by attempted-at (input order for rows without one). Memory grows
with the number of distinct contacts, not with the number of rows.`,
		Example: `  spoke-status contacts --list suppress -o suppress.csv export.csv
  spoke-status contacts --list retry export.csv.gz > retry.csv
  spoke-status contacts --list opted-out --format json export.csv | jq length`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runContacts(env, opts, args)
		},
	}
	opts.Read.AddFlags(cmd.Flags())
	cmd.Flags().StringVarP(&opts.List, "list", "l", "all", "which contacts: suppress, retry, opted-out or all")
	cmd.Flags().StringVarP(&opts.Format, "format", "f", "csv", "output format: csv or json")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to this file (whole or not at all) instead of standard output")
	return cmd
}

func runContacts(env Env, opts *ContactsOptions, args []string) error {
	if err := formatFlag(opts.Format, "csv", "json"); err != nil {
		return err
	}
	list, err := contacts.ParseList(opts.List)
	if err != nil {
		return usageErrorf("", "--list: %v", err)
	}
	paths, err := inputPaths(env, args)
	if err != nil {
		return err
	}
	agg, err := aggregateContacts(env, paths, &opts.Read)
	if err != nil {
		return err
	}
	if n := agg.WithoutNumber(); n > 0 {
		opts.Read.stderr(env).warnf("%d rows without a contact number were left out", n)
	}
	return writeOutput(env, opts.Output, func(w io.Writer) error {
		return writeContacts(w, agg, list, opts.Format, opts.Read.Redact)
	})
}

// aggregateContacts reads the inputs into per-contact outcomes.
func aggregateContacts(env Env, paths []string, ro *ReadOptions) (*contacts.Aggregator, error) {
	reg, err := loadRegistry()
	if err != nil {
		return nil, err
	}
	aggOpts, err := ro.aggregatorOptions(env, reg)
	if err != nil {
		return nil, err
	}
	agg := contacts.New(contacts.Options{
		Classifier: classify.New(reg, aggOpts.Provider),
		AsOf:       aggOpts.AsOf, HasAsOf: aggOpts.HasAsOf, StuckAfter: aggOpts.StuckAfter,
	})
	_, err = scanInputs(env, paths, ro, requireContactNumber, func(rec *export.Record) error {
		agg.Add(rec)
		return nil
	})
	if err != nil {
		return nil, err
	}
	agg.Finish()
	return agg, nil
}

// requireContactNumber rejects an export without a contact number column:
// contacts are told apart by their number.
func requireContactNumber(src *export.Source) error {
	if src.HasColumn("contact_number", "contactNumber") {
		return nil
	}
	return &export.InputError{Path: src.Path, Line: 1,
		Msg:  "no contact number column (contact_number or contactNumber): contacts cannot be told apart",
		Hint: "pass the messages file of the campaign export, as Spoke wrote it"}
}

// contactRecord is one contact in JSON, and the column order of the CSV.
type contactRecord struct {
	Cell            string  `json:"cell"`
	Campaign        string  `json:"campaign"`
	Reason          string  `json:"reason"`
	Code            string  `json:"code"`
	Category        string  `json:"category"`
	LastStatus      string  `json:"last_status"`
	LastAttemptedAt *string `json:"last_attempted_at"`
	Outbound        int     `json:"outbound"`
	Delivered       int     `json:"delivered"`
	Replied         bool    `json:"replied"`
	OptedOut        bool    `json:"opted_out"`
	OptedOutAt      *string `json:"opted_out_at"`
	OptOutReply     string  `json:"opt_out_reply"`
}

// contactCSV is one CSV line of contacts: text cells, made safe for
// spreadsheets and terminals.
type contactCSV struct {
	Cell            string `csv:"cell"`
	Campaign        string `csv:"campaign"`
	Reason          string `csv:"reason"`
	Code            string `csv:"code"`
	Category        string `csv:"category"`
	LastStatus      string `csv:"last_status"`
	LastAttemptedAt string `csv:"last_attempted_at"`
	Outbound        string `csv:"outbound"`
	Delivered       string `csv:"delivered"`
	Replied         string `csv:"replied"`
	OptedOut        string `csv:"opted_out"`
	OptedOutAt      string `csv:"opted_out_at"`
	OptOutReply     string `csv:"opt_out_reply"`
}

func newContactRecord(c *contacts.Contact, redact bool) contactRecord {
	r := contactRecord{
		Cell: c.Cell, Campaign: dataText(c.Campaign), Reason: string(c.Reason),
		Code: dataText(c.Code()), Category: string(c.Category()), LastStatus: dataText(c.LastStatus),
		Outbound: c.Outbound, Delivered: c.Delivered, Replied: c.Replied, OptedOut: c.OptedOut,
		OptOutReply: dataText(c.OptOutText),
	}
	if redact {
		r.Cell = phone.Redact(r.Cell)
		r.Campaign, r.Code, r.LastStatus = phone.MaskLike(r.Campaign), phone.MaskLike(r.Code), phone.MaskLike(r.LastStatus)
	}
	r.Cell = dataText(r.Cell)
	if c.HasLastAt {
		t := summary.FormatTime(c.LastAt)
		r.LastAttemptedAt = &t
	}
	if c.HasOptOutAt {
		t := summary.FormatTime(c.OptOutAt)
		r.OptedOutAt = &t
	}
	return r
}

func (r *contactRecord) csv() contactCSV {
	return contactCSV{
		Cell: csvCell(r.Cell), Campaign: csvCell(r.Campaign), Reason: r.Reason,
		Code: csvCell(r.Code), Category: r.Category, LastStatus: csvCell(r.LastStatus),
		LastAttemptedAt: optional(r.LastAttemptedAt),
		Outbound:        strconv.Itoa(r.Outbound), Delivered: strconv.Itoa(r.Delivered),
		Replied: strconv.FormatBool(r.Replied), OptedOut: strconv.FormatBool(r.OptedOut),
		OptedOutAt: optional(r.OptedOutAt), OptOutReply: csvCell(r.OptOutReply),
	}
}

// writeContacts writes the contacts of list, streaming: a JSON array has
// one contact per line.
func writeContacts(w io.Writer, agg *contacts.Aggregator, list contacts.List, format string, redact bool) error {
	if format == "json" {
		return writeContactsJSON(w, agg, list, redact)
	}
	out, err := newCSVStream[contactCSV](w)
	if err != nil {
		return err
	}
	err = agg.Each(list, func(c *contacts.Contact) error {
		r := newContactRecord(c, redact)
		return out.write(r.csv())
	})
	if err != nil {
		return err
	}
	return out.close()
}

func writeContactsJSON(w io.Writer, agg *contacts.Aggregator, list contacts.List, redact bool) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	sep := "[\n"
	err := agg.Each(list, func(c *contacts.Contact) error {
		buf.Reset()
		if err := enc.Encode(newContactRecord(c, redact)); err != nil {
			return fmt.Errorf("writing JSON: %w", err)
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		sep = ",\n"
		_, err := w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return err
	})
	if err != nil {
		return err
	}
	end := "\n]\n"
	if sep == "[\n" {
		end = "[]\n"
	}
	_, err = io.WriteString(w, end)
	return err
}

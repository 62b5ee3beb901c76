package cli

import (
	"cmp"
	"encoding/csv"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/phone"
	"github.com/spoke-status/spoke-status/internal/registry"
	"github.com/spoke-status/spoke-status/internal/synth"
)

// TestContactsMatchRecomputation generates exports of every dialect and
// provider with spoke-synth and checks every list against a naive
// recomputation: the file read with encoding/csv alone, all of a contact's
// rows held in memory and sorted by time, the rules applied in the words of
// the issue.
func TestContactsMatchRecomputation(t *testing.T) {
	t.Parallel()
	reg, err := registry.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, dialect := range synth.Dialects() {
		for _, provider := range synth.Providers() {
			t.Run(dialect+"/"+provider, func(t *testing.T) {
				path, _ := writeSynthExport(t, synth.Options{Rows: 4000, Seed: 5, Dialect: dialect, Provider: provider, Campaigns: 3})
				want := recompute(t, path, reg, registry.Provider(provider), dialect == synth.DialectRewired)
				sizes := map[string]int{}
				for _, list := range []string{"suppress", "retry", "fix-first", "opted-out", "all"} {
					got := map[string]string{}
					for _, row := range contactsCSV(t, "--list", list, path) {
						got[row["campaign"]+"/"+row["cell"]] = row["reason"] + " out=" + row["outbound"] + " dlv=" + row["delivered"]
					}
					wantList := want.list(list)
					sizes[list] = len(wantList)
					for k, w := range wantList {
						if got[k] != w {
							t.Errorf("%s: %s = %q, recomputed %q", list, k, got[k], w)
						}
					}
					for k, g := range got {
						if _, ok := wantList[k]; !ok {
							t.Errorf("%s: %s = %q is not in the recomputed list", list, k, g)
						}
					}
				}
				// Every list must be exercised for the comparison to mean something.
				for _, list := range []string{"suppress", "retry", "opted-out"} {
					if sizes[list] == 0 {
						t.Errorf("the generated export has no %s contacts", list)
					}
				}
			})
		}
	}
}

type naiveRow struct {
	seq     int
	at      time.Time
	inbound bool
	status  string
	code    string
	text    string
}

type naiveContacts map[string][]naiveRow

type recomputed struct {
	reasons, details map[string]string
	optedOut         map[string]bool
}

func (r recomputed) list(name string) map[string]string {
	out := map[string]string{}
	for k, reason := range r.reasons {
		in := false
		switch name {
		case "suppress":
			in = reason == "opt_out_reply" || reason == "opt_out_rejection" || reason == "number_error"
		case "retry":
			in = reason == "retryable_error" || reason == "stuck_sent"
		case "fix-first":
			in = reason == "fix_content" || reason == "fix_sender"
		case "opted-out":
			in = r.optedOut[k]
		case "all":
			in = true
		}
		if in {
			out[k] = reason + r.details[k]
		}
	}
	return out
}

// recompute reads the export naively and applies the list rules.
func recompute(t *testing.T, path string, reg *registry.Registry, provider registry.Provider, rewired bool) recomputed {
	t.Helper()
	byContact, newest := readNaive(t, path)
	entry := func(code string) registry.Entry {
		if code == "" || code == "0" {
			return registry.Entry{Category: registry.NoCode, Retry: "unknown", Kind: registry.Failure}
		}
		if e, ok := reg.Lookup(code, provider); ok {
			return e
		}
		return registry.Entry{Category: registry.UnknownCategory, Retry: "unknown", Kind: registry.Failure}
	}
	r := recomputed{reasons: map[string]string{}, details: map[string]string{}, optedOut: map[string]bool{}}
	for k, rows := range byContact {
		slices.SortFunc(rows, func(a, b naiveRow) int { return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.seq, b.seq)) })
		var last *naiveRow
		outbound, delivered := 0, 0
		optOut := ""
		for i := range rows {
			row := &rows[i]
			if row.inbound {
				if optOut == "" && classify.IsOptOutReply(row.text, row.code, rewired) {
					optOut = "opt_out_reply"
				}
				continue
			}
			outbound++
			if row.status == "DELIVERED" {
				delivered++
			}
			if optOut == "" && row.status == "ERROR" && entry(row.code).Category == registry.OptedOut {
				optOut = "opt_out_rejection"
			}
			last = row
		}
		failed := ""
		if last != nil && last.status == "ERROR" {
			failed = failedBecause(entry(last.code))
		}
		stuck := last != nil && last.status == "SENT" && newest.Sub(last.at) > 2*time.Hour
		reason := "other"
		switch {
		case optOut != "":
			reason = optOut
		case failed == "number_error":
			reason = failed
		case delivered > 0:
			reason = "delivered"
		case failed != "":
			reason = failed
		case stuck:
			reason = "stuck_sent"
		}
		r.reasons[k] = reason
		r.details[k] = " out=" + strconv.Itoa(outbound) + " dlv=" + strconv.Itoa(delivered)
		r.optedOut[k] = optOut != ""
	}
	return r
}

// failedBecause applies the list rules' words to the last text's failure:
// the number itself; a reason a later send may not meet; or a spam or
// content block, or the sender's setup, to fix first.
func failedBecause(e registry.Entry) string {
	if e.Kind != registry.Failure {
		return ""
	}
	switch {
	case slices.Contains([]registry.Category{registry.InvalidNumber, registry.LandlineOrUnsupported, registry.RecipientBlocked, registry.OptedOut}, e.Category):
		return "number_error"
	case slices.Contains([]registry.Category{registry.Unreachable, registry.CarrierFailure, registry.RateLimited}, e.Category),
		e.Provider == registry.Spoke && slices.Contains([]string{"-1", "-2", "-3", "-4", "-5", "-6"}, e.Code):
		return "retryable_error"
	case e.Category == registry.SenderConfig, e.Category == registry.SpamBlocked && e.Retry == registry.SenderFix:
		return "fix_sender"
	case e.Category == registry.SpamBlocked, e.Category == registry.ContentProblem, e.Provider == registry.Spoke && e.Code == "-166":
		return "fix_content"
	}
	return ""
}

// readNaive groups an export's rows by campaign and normalized contact
// number, with encoding/csv and nothing of the export package.
func readNaive(t *testing.T, path string) (naiveContacts, time.Time) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := func(names ...string) int {
		for i, h := range header {
			if slices.Contains(names, h) {
				return i
			}
		}
		return -1
	}
	camp, cell, inb := col("campaign_id", "campaignId"), col("contact_number", "contactNumber"), col("is_from_contact", "isFromContact")
	status, at, text, code := col("send_status", "sendStatus"), col("attempted_at", "attemptedAt"), col("text"), col("error_code", "errorCode", "errorCodes")
	get := func(rec []string, i int) string {
		if i < 0 {
			return ""
		}
		return rec[i]
	}
	byContact := naiveContacts{}
	var newest time.Time
	for seq := 0; ; seq++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		when, err := time.Parse(time.RFC3339Nano, get(rec, at))
		if err != nil {
			t.Fatalf("row %d: %v", seq, err)
		}
		if when.After(newest) {
			newest = when
		}
		number, _ := phone.Normalize(get(rec, cell))
		first, _, _ := strings.Cut(get(rec, code), "|")
		k := get(rec, camp) + "/" + number
		byContact[k] = append(byContact[k], naiveRow{seq: seq, at: when, inbound: get(rec, inb) == "true",
			status: get(rec, status), code: registry.NormalizeCode(first), text: get(rec, text)})
	}
	return byContact, newest
}

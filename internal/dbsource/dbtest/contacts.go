package dbtest

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/spoke-status/spoke-status/internal/export"
)

// SetExternalIDs gives every contact whose id is not a multiple of every
// a VAN id ("VAN" and its id); the others keep Spoke's empty external_id.
func (f *Fixture) SetExternalIDs(t testing.TB, every int) {
	t.Helper()
	f.Exec(t, `UPDATE campaign_contact SET external_id = 'VAN' || id WHERE id % `+strconv.Itoa(every)+` <> 0`)
}

// WriteContacts writes campaign's contacts export into dir, in the
// lineage's dialect (spoke-export-format.md section 5), with the columns
// a VAN join reads: StateVoices id, campaign_id, external_id, cell;
// Rewired campaignId, contact[cell], contact[external_id]. It returns the
// file's path.
func (f *Fixture) WriteContacts(t testing.TB, dir string, campaign int64) string {
	t.Helper()
	c := mustConnect(t, f.AdminURL)
	defer c.Close(context.Background())
	rows, err := c.Query(context.Background(),
		`SELECT id, campaign_id, first_name, last_name, cell, external_id FROM campaign_contact WHERE campaign_id = $1 ORDER BY id`, campaign)
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"id", "campaign_id", "external_id", "first_name", "last_name", "cell"}
	name := "campaign-" + strconv.FormatInt(campaign, 10) + ".csv"
	rewired := f.Lineage == export.Rewired
	if rewired {
		header = []string{"campaignId", "campaign", "contact[firstName]", "contact[lastName]", "contact[cell]", "contact[external_id]"}
		name = "Campaign_" + strconv.FormatInt(campaign, 10) + "-contacts.csv"
	}
	var out [][]string
	var id, camp int64
	var first, last, cell, ext string
	_, err = pgx.ForEachRow(rows, []any{&id, &camp, &first, &last, &cell, &ext}, func() error {
		if rewired {
			out = append(out, []string{itoa(camp), "Campaign " + itoa(camp), first, last, cell, ext})
		} else {
			out = append(out, []string{itoa(id), itoa(camp), ext, first, last, cell})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := writeCSV(path, header, out, rewired); err != nil {
		t.Fatal(err)
	}
	return path
}

package dbtest

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/spoke-status/spoke-status/internal/export"
)

// The export jobs' own queries, as the applications send them.

// stateVoicesExportSQL is the SQL knex builds for StateVoicesNational/Spoke
// src/workers/jobs.js exportCampaign at 715ab464 (lines 845-859); no ORDER
// BY.
const stateVoicesExportSQL = `select "campaign_contact_id", "campaign_id", "user_number", "contact_number",
  "is_from_contact", "send_status", "message"."created_at" as "attempted_at", "text", "message"."error_code"
from "message" inner join "campaign_contact" on "campaign_contact"."id" = "campaign_contact_id"
where "campaign_contact"."campaign_id" = $1`

// rewiredExportSQL is politics-rewired/Spoke
// src/server/tasks/export-campaign.ts processMessagesChunk at b8761c73
// (lines 302-345), verbatim but for knex's ? placeholders.
const rewiredExportSQL = `
      select
        message.campaign_contact_id,
        message.assignment_id,
        message.user_number,
        message.contact_number,
        message.is_from_contact,
        message.text,
        message.send_status,
        message.created_at,
        array_to_string(message.error_codes, '|') as error_codes,
        message.num_segments,
        message.num_media,
        public.user.first_name,
        public.user.last_name,
        public.user.email,
        public.user.cell as user_cell,
        (
          select json_object(array_agg(name), array_agg(value))
          from campaign_variable
          where id = ANY(message.campaign_variable_ids)
        )  as campaign_variables
      from message
      left join public.user
        on message.user_id = public.user.id
      where campaign_contact_id in (
        select id
        from campaign_contact
        where
          campaign_id = $1
          and id > $2
          and exists (
            select 1
            from message
            where campaign_contact_id = campaign_contact.id 
          )
        order by
          id asc
        limit $3
      )
      order by
        campaign_contact_id asc,
        message.created_at asc
      ;`

// rewiredChunkSize is small so the test pages through several chunks, as
// EXPORT_CAMPAIGN_CHUNK_SIZE (default 1000) does on big campaigns.
const rewiredChunkSize = 50

// WriteExport writes campaign's messages export into dir as the lineage's
// export job would (its query, its CSV writer's quoting, line endings and
// timestamps; Rewired's as on a UTC host) and returns the file's path.
func (f *Fixture) WriteExport(t testing.TB, dir string, campaign int64) string {
	t.Helper()
	c := mustConnect(t, f.AdminURL)
	defer c.Close(context.Background())
	name := "campaign-" + strconv.FormatInt(campaign, 10) + ".csv-messages.csv"
	var rows [][]string
	var header []string
	var err error
	if f.Lineage == export.Rewired {
		name = "Campaign_" + strconv.FormatInt(campaign, 10) + "-messages.csv"
		header, rows, err = rewiredExport(c, campaign)
	} else {
		header, rows, err = stateVoicesExport(c, campaign)
	}
	if err != nil {
		t.Fatalf("export campaign %d: %v", campaign, err)
	}
	path := filepath.Join(dir, name)
	if err := writeCSV(path, header, rows, f.Lineage == export.Rewired); err != nil {
		t.Fatal(err)
	}
	return path
}

func stateVoicesExport(c *pgx.Conn, campaign int64) ([]string, [][]string, error) {
	rows, err := c.Query(context.Background(), stateVoicesExportSQL, campaign)
	if err != nil {
		return nil, nil, err
	}
	header := []string{"campaign_contact_id", "campaign_id", "user_number", "contact_number", "is_from_contact",
		"send_status", "attempted_at", "text", "error_code"}
	var out [][]string
	var cc, camp int64
	var userNumber, contactNumber, status, text string
	var inbound bool
	var created time.Time
	var code pgtype.Int8
	_, err = pgx.ForEachRow(rows, []any{&cc, &camp, &userNumber, &contactNumber, &inbound, &status, &created, &text, &code}, func() error {
		out = append(out, []string{itoa(cc), itoa(camp), userNumber, contactNumber, strconv.FormatBool(inbound), status,
			// papaparse writes a Date as JSON.stringify does: UTC, milliseconds, Z.
			created.UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z"), text, nullInt(code)})
		return nil
	})
	return header, out, err
}

func rewiredExport(c *pgx.Conn, campaign int64) ([]string, [][]string, error) {
	ctx := context.Background()
	// The campaign's variable names, as the task reads them first.
	names, err := pgx.CollectRows(mustQuery(c, `select distinct name from campaign_variable where campaign_id = $1 and deleted_at is null order by name`, campaign), pgx.RowTo[string])
	if err != nil {
		return nil, nil, err
	}
	header := []string{"assignmentId", "userNumber", "contactNumber", "isFromContact", "numSegments", "numMedia",
		"sendStatus", "errorCodes", "attemptedAt", "text", "campaignId",
		"texter[firstName]", "texter[lastName]", "texter[email]", "texter[cell]"}
	for _, n := range names {
		header = append(header, "campaignVariable["+n+"]")
	}
	var out [][]string
	last := int64(0)
	for {
		rows, err := c.Query(ctx, rewiredExportSQL, campaign, last, rewiredChunkSize)
		if err != nil {
			return nil, nil, err
		}
		n := 0
		var r struct {
			cc, assignment                          int64
			userNumber, contactNumber, text, status string
			inbound                                 bool
			created                                 time.Time
			codes, first, last, email, cell, vars   pgtype.Text
			segments, media                         pgtype.Int8
		}
		_, err = pgx.ForEachRow(rows, []any{&r.cc, &r.assignment, &r.userNumber, &r.contactNumber, &r.inbound, &r.text,
			&r.status, &r.created, &r.codes, &r.segments, &r.media, &r.first, &r.last, &r.email, &r.cell, &r.vars}, func() error {
			n++
			last = r.cc
			row := []string{itoa(r.assignment), r.userNumber, r.contactNumber, strconv.FormatBool(r.inbound),
				nullInt(r.segments), nullInt(r.media), r.status, r.codes.String,
				// luxon toISO() on a UTC host: milliseconds and +00:00.
				r.created.UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000") + "+00:00",
				r.text, itoa(campaign), r.first.String, r.last.String, r.email.String, r.cell.String}
			vars := map[string]string{}
			if r.vars.Valid {
				json.Unmarshal([]byte(r.vars.String), &vars)
			}
			for _, n := range names {
				row = append(row, vars[n])
			}
			out = append(out, row)
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		if n == 0 {
			return header, out, nil
		}
	}
}

func mustQuery(c *pgx.Conn, sql string, args ...any) pgx.Rows {
	rows, _ := c.Query(context.Background(), sql, args...)
	return rows // an error surfaces from CollectRows
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func nullInt(v pgtype.Int8) string {
	if !v.Valid {
		return ""
	}
	return itoa(v.Int64)
}

// writeCSV writes rows as papaparse (CRLF; quotes fields with , " CR LF
// or a leading or trailing space) or fast-csv 4.3.1 (LF; quotes fields
// with , " CR LF ' or |) would. Neither changes the newlines inside a
// field, unlike encoding/csv's writer.
func writeCSV(path string, header []string, rows [][]string, fastCSV bool) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	eol, special := "\r\n", ",\"\r\n"
	if fastCSV {
		eol, special = "\n", ",\"\r\n'|"
	}
	if len(rows) == 0 {
		// Both writers write nothing for no rows: a 0-byte file.
		return f.Close()
	}
	for i, r := range append([][]string{header}, rows...) {
		if i > 0 {
			w.WriteString(eol)
		}
		for j, field := range r {
			if j > 0 {
				w.WriteByte(',')
			}
			quote := strings.ContainsAny(field, special)
			if !fastCSV && field != "" && (field[0] == ' ' || field[len(field)-1] == ' ') {
				quote = true
			}
			if quote {
				w.WriteString(`"` + strings.ReplaceAll(field, `"`, `""`) + `"`)
			} else {
				w.WriteString(field)
			}
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

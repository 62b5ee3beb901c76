package dbsource

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/spoke-status/spoke-status/internal/export"
)

// columnsQuery lists the columns of the tables the export queries read,
// with their types. It reads pg_catalog rather than information_schema:
// information_schema.columns hides the columns of tables the role has no
// privilege on, which would turn "permission denied" into "not a Spoke
// database". pg_catalog shows every table's columns to every role.
const columnsQuery = `SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
WHERE n.nspname = 'public' AND c.relname = ANY($1::text[])
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped`

// schema maps table to column to type.
type schema map[string]map[string]string

// need lists required columns as "table.column".
func (s schema) missing(cols ...string) []string {
	var out []string
	for _, tc := range cols {
		table, col, _ := strings.Cut(tc, ".")
		if _, ok := s[table][col]; !ok {
			out = append(out, tc)
		}
	}
	return out
}

// Columns both lineages' export queries read (StateVoices: migrations/
// 20190207220000_init_db.js, 20191108164924_message_errors.js,
// 20191217125726_add_message_campaign_contact_id.js; Rewired:
// schema-dump.sql).
var (
	commonColumns = []string{
		"message.campaign_contact_id", "message.user_number", "message.contact_number",
		"message.is_from_contact", "message.send_status", "message.created_at", "message.text",
		"campaign_contact.id", "campaign_contact.campaign_id",
		"campaign.id", "campaign.organization_id",
	}
	rewiredColumns = []string{
		"message.assignment_id", "message.user_id", "message.error_codes", "message.num_segments", "message.num_media",
		"user.id", "user.first_name", "user.last_name", "user.email", "user.cell",
	}
)

// detectLineage tells the lineage from the message table's columns:
// Rewired has error_codes text[] (and num_segments, num_media, texters in
// public.user); StateVoices/MoveOn has one integer error_code.
// The schema is returned for the optional columns: see sendTimes.
func detectLineage(ctx context.Context, tx pgx.Tx, t target) (Lineage, schema, error) {
	s, err := readSchema(ctx, tx, t)
	if err != nil {
		return "", nil, err
	}
	l, err := lineageOf(s, t)
	return l, s, err
}

// sendTimes reports whether message has sent_at and service_response_at,
// which no export query reads but the stuck SENT rule and the
// delivery-report latency use.
func (s schema) sendTimes() bool {
	return len(s.missing("message.sent_at", "message.service_response_at")) == 0
}

// contactColumns are the columns van --db reads from campaign_contact
// (both lineages: StateVoices migrations/20190207220000_init_db.js,
// Rewired schema-dump.sql).
var contactColumns = []string{"campaign_contact.id", "campaign_contact.campaign_id", "campaign_contact.cell", "campaign_contact.external_id"}

func lineageOf(s schema, t target) (Lineage, error) {
	if len(s["message"]) == 0 && len(s["campaign_contact"]) == 0 && len(s["campaign"]) == 0 {
		return "", t.notSpoke("it has no message, campaign_contact or campaign table in schema public")
	}
	missing := s.missing(commonColumns...)
	var lineage Lineage
	switch {
	case s["message"]["error_codes"] != "":
		lineage = export.Rewired
		missing = append(missing, s.missing(rewiredColumns...)...)
		if typ := s["message"]["error_codes"]; typ != "text[]" && typ != "character varying[]" {
			return "", t.notSpoke(fmt.Sprintf("message.error_codes is %s, not text[] as in Spoke Rewired", typ))
		}
	case s["message"]["error_code"] != "":
		lineage = export.StateVoicesV10
		if typ := s["message"]["error_code"]; typ != "integer" && typ != "bigint" && typ != "smallint" {
			return "", t.notSpoke(fmt.Sprintf("message.error_code is %s, not integer as in StateVoices/MoveOn Spoke", typ))
		}
	default:
		missing = append(missing, "message.error_code (StateVoices/MoveOn Spoke) or message.error_codes (Spoke Rewired)")
	}
	if len(missing) > 0 {
		return "", t.notSpoke("missing " + strings.Join(missing, ", "))
	}
	return lineage, nil
}

func readSchema(ctx context.Context, tx pgx.Tx, t target) (schema, error) {
	rows, err := tx.Query(ctx, columnsQuery, []string{"message", "campaign_contact", "campaign", "user"})
	if err != nil {
		return nil, t.queryError(err, "read the schema")
	}
	defer rows.Close()
	s := schema{}
	var table, col, typ string
	for rows.Next() {
		if err := rows.Scan(&table, &col, &typ); err != nil {
			return nil, t.queryError(err, "read the schema")
		}
		if s[table] == nil {
			s[table] = map[string]string{}
		}
		s[table][col] = typ
	}
	if err := rows.Err(); err != nil {
		return nil, t.queryError(err, "read the schema")
	}
	return s, nil
}

func (t target) notSpoke(why string) error {
	return &export.InputError{Path: t.String(), Msg: "not a Spoke database: " + why,
		Hint: "point --db at the database Spoke itself uses (StateVoices/MoveOn Spoke v10+ or Spoke Rewired), whose tables are in schema public"}
}

// resolveCampaigns returns the campaign ids to read: the listed ones,
// checked to exist (in the organization, when one is given), or every
// campaign.
func resolveCampaigns(ctx context.Context, tx pgx.Tx, t target, opts Options) ([]int64, error) {
	if opts.AllCampaigns {
		return allCampaigns(ctx, tx, t, opts.Organization)
	}
	if len(opts.Campaigns) == 0 {
		return nil, &export.InputError{Path: t.String(), Msg: "no campaign to read",
			Hint: "name one with --campaign ID (repeatable), or pass --all-campaigns"}
	}
	rows, err := tx.Query(ctx, `SELECT id, organization_id FROM public.campaign WHERE id = ANY($1::bigint[])`, opts.Campaigns)
	if err != nil {
		return nil, t.queryError(err, "look up the campaigns")
	}
	org := map[int64]int64{}
	var id, orgID int64
	_, err = pgx.ForEachRow(rows, []any{&id, &orgID}, func() error { org[id] = orgID; return nil })
	if err != nil {
		return nil, t.queryError(err, "look up the campaigns")
	}
	var ids []int64
	for _, c := range opts.Campaigns {
		o, ok := org[c]
		switch {
		case !ok:
			return nil, &export.InputError{Path: t.String(), Msg: fmt.Sprintf("campaign %d not found", c),
				Hint: "list the campaigns with: SELECT id, title FROM campaign ORDER BY id; or pass --all-campaigns"}
		case opts.Organization > 0 && o != opts.Organization:
			return nil, &export.InputError{Path: t.String(),
				Msg:  fmt.Sprintf("campaign %d not found in organization %d (it belongs to organization %d)", c, opts.Organization, o),
				Hint: "drop --organization, or give a campaign of that organization"}
		}
		if !slices.Contains(ids, c) {
			ids = append(ids, c)
		}
	}
	return ids, nil
}

func allCampaigns(ctx context.Context, tx pgx.Tx, t target, organization int64) ([]int64, error) {
	query, args := `SELECT id FROM public.campaign ORDER BY id`, []any(nil)
	if organization > 0 {
		query, args = `SELECT id FROM public.campaign WHERE organization_id = $1 ORDER BY id`, []any{organization}
	}
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, t.queryError(err, "list the campaigns")
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, t.queryError(err, "list the campaigns")
	}
	if len(ids) == 0 {
		where := "the database"
		if organization > 0 {
			where = "organization " + strconv.FormatInt(organization, 10)
		}
		return nil, &export.InputError{Path: t.String(), Msg: "no campaigns in " + where,
			Hint: "check --organization, or that --db names the right database"}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}

// Package dbsource reads a Spoke messages export straight from Spoke's
// PostgreSQL database: the rows each lineage's export job would write, as
// the same *export.Record stream and *export.Source the CSV reader gives, so
// every figure computed from them matches the export's figure for figure.
//
// It only reads: one read-only transaction (REPEATABLE READ, so several
// campaigns are read from one snapshot), SELECT statements only, which a
// role with nothing but SELECT may run. Rows are streamed: pgx hands out
// each row as it arrives on the connection, so memory stays flat however
// large the campaign is.
//
// The driver is github.com/jackc/pgx/v5: pure Go (no cgo, no libpq), it
// parses libpq-style URLs and keyword strings, reads the PG* environment
// variables and ~/.pgpass, honours sslmode (TLS), and streams rows.
package dbsource

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/spoke-status/spoke-status/internal/export"
)

// Options say which database and campaigns to read.
type Options struct {
	// URL is a libpq connection string (postgres://user@host/db?sslmode=…
	// or "host=… dbname=…"); empty uses the PG* environment variables.
	URL string
	// Campaigns are the campaign ids to read, in order; AllCampaigns reads
	// every campaign (of Organization when it is set) instead.
	Campaigns    []int64
	AllCampaigns bool
	// Organization, when positive, restricts the campaigns to one
	// organization: a listed campaign of another one is an error.
	Organization int64
	// OnCampaigns, when set, is told the campaigns about to be read.
	OnCampaigns func(ids []int64)
	// OnContact, when set, is given every contact of a campaign (messaged
	// or not) before the campaign's messages, from the same snapshot: the
	// VAN ids of van --db.
	OnContact func(*Contact) error
}

// Contact is one campaign_contact row: its id, campaign, cell and VAN id
// (external_id, "" when Spoke has none).
type Contact struct {
	ID, Campaign int64
	Cell         string
	ExternalID   string
}

// Lineage names the Spoke family whose schema the database has, as the
// dialect the CSV reader gives that family's messages export.
type Lineage = export.Dialect

// defaultConnectTimeout bounds a connection attempt when the URL sets none.
const defaultConnectTimeout = 15 * time.Second

// Scan reads the messages of the campaigns opts names and calls fn for each
// row, one Source per campaign. onHeader (may be nil) is called for each
// Source before its rows, as the CSV reader calls it after a header. The
// Record passed to fn is reused. Errors are *export.InputError, with a hint,
// and never contain the password.
func Scan(ctx context.Context, opts Options, onHeader func(*export.Source) error, fn func(*export.Record) error) ([]*export.Source, error) {
	cfg, err := parseConfig(opts.URL)
	if err != nil {
		return nil, err
	}
	t := newTarget(cfg)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, t.connectError(err)
	}
	defer conn.Close(context.Background())
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, t.queryError(err, "begin a read-only transaction")
	}
	// Nothing was written: rolling back ends the transaction cheaply.
	defer tx.Rollback(context.Background())

	lineage, s, err := detectLineage(ctx, tx, t)
	if err != nil {
		return nil, err
	}
	if missing := s.missing(contactColumns...); opts.OnContact != nil && len(missing) > 0 {
		return nil, t.notSpoke("missing " + strings.Join(missing, ", ") + ", which the contacts' VAN ids come from")
	}
	ids, err := resolveCampaigns(ctx, tx, t, opts)
	if err != nil {
		return nil, err
	}
	if opts.OnCampaigns != nil {
		opts.OnCampaigns(ids)
	}
	sources := make([]*export.Source, 0, len(ids))
	for _, id := range ids {
		src := &export.Source{Path: t.campaignPath(id), Dialect: lineage, Header: headerOf(lineage), SendTimes: s.sendTimes()}
		sources = append(sources, src)
		if onHeader != nil {
			if err := onHeader(src); err != nil {
				return sources, err
			}
		}
		if opts.OnContact != nil {
			if err := scanContacts(ctx, tx, t, id, opts.OnContact); err != nil {
				return sources, err
			}
		}
		if err := scanCampaign(ctx, tx, t, src, id, fn); err != nil {
			return sources, err
		}
	}
	return sources, nil
}

// parseConfig parses the URL (or the PG* variables) and sets a connect
// timeout when none is given.
func parseConfig(connString string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(connString)
	if err != nil {
		// pgconn masks the password in its parse errors; scrub the
		// userinfo of anything URL-like all the same.
		return nil, &export.InputError{Path: "--db", Msg: "is not a PostgreSQL connection string: " + scrubURLs(err.Error()),
			Hint: "use a libpq URL, e.g. postgres://reader@db.example.org:5432/spoke?sslmode=require (the password from PGPASSWORD or ~/.pgpass)"}
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = defaultConnectTimeout
	}
	// A read-only tool has no use for the application's search_path
	// tricks: every query below names schema public, as Spoke does.
	return cfg, nil
}

// target names the database in messages: host, port and database, never
// the user's password.
type target struct {
	host, db string
	port     uint16
	password string
}

func newTarget(cfg *pgx.ConnConfig) target {
	return target{host: cfg.Host, port: cfg.Port, db: cfg.Database, password: cfg.Password}
}

// String is the database's address: postgres://host:port/db, or the libpq
// form with ?host= for a Unix socket directory.
func (t target) String() string {
	if strings.HasPrefix(t.host, "/") {
		return fmt.Sprintf("postgres:///%s?host=%s&port=%d", url.PathEscape(t.db), t.host, t.port)
	}
	return fmt.Sprintf("postgres://%s/%s", hostPort(t.host, t.port), url.PathEscape(t.db))
}

func hostPort(host string, port uint16) string {
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	return host + ":" + strconv.Itoa(int(port))
}

// campaignPath is a Source's Path: the database and the campaign.
func (t target) campaignPath(id int64) string {
	s := t.String()
	sep := "?"
	if strings.Contains(s, "?") {
		sep = "&"
	}
	return s + sep + "campaign=" + strconv.FormatInt(id, 10)
}

// scrub removes the password from a message that quotes the server or the
// driver, in case either ever echoes it.
func (t target) scrub(s string) string {
	if len(t.password) >= 3 {
		s = strings.ReplaceAll(s, t.password, "********")
	}
	return scrubURLs(s)
}

// scrubURLs masks the password of any scheme://user:password@ in s.
func scrubURLs(s string) string {
	for i := 0; ; {
		j := strings.Index(s[i:], "://")
		if j < 0 {
			return s
		}
		start := i + j + 3
		end := start
		for end < len(s) && !strings.ContainsRune("/@ \t\n`'\"", rune(s[end])) {
			end++
		}
		if end < len(s) && s[end] == '@' {
			if colon := strings.IndexByte(s[start:end], ':'); colon >= 0 {
				s = s[:start+colon+1] + "xxxxx" + s[end:]
				end = start + colon + 1 + len("xxxxx")
			}
		}
		i = end
	}
}

// Queries of the two lineages. Each selects exactly the rows of its
// lineage's messages export; the columns are those the export writes plus
// message.id (the exact initial-text order, Record.MessageID) and, where
// the table has them, sent_at and service_response_at (%s: sendTimesSQL or
// noSendTimesSQL); ORDER BY makes the stream repeatable (row order changes
// no figure: steps order a contact's texts by message id).
const (
	// stateVoicesQuery selects the rows of StateVoices (and MoveOn) Spoke
	// v10+ exportCampaign: StateVoicesNational/Spoke src/workers/jobs.js
	// at 715ab464 (v14.1.2), lines 845-859: message JOIN campaign_contact
	// ON campaign_contact.id = campaign_contact_id WHERE
	// campaign_contact.campaign_id = campaign.id; attempted_at is
	// message.created_at. That query has no ORDER BY.
	stateVoicesQuery = `SELECT message.id, message.campaign_contact_id, campaign_contact.campaign_id,
  message.user_number, message.contact_number, message.is_from_contact, message.send_status,
  message.created_at, message.text, message.error_code, %s
FROM public.message
JOIN public.campaign_contact ON campaign_contact.id = message.campaign_contact_id
WHERE campaign_contact.campaign_id = $1
ORDER BY message.campaign_contact_id, message.created_at, message.id`

	// rewiredQuery selects the rows of Spoke Rewired's
	// processMessagesChunk: politics-rewired/Spoke
	// src/server/tasks/export-campaign.ts at b8761c73 (v7.3.0), lines
	// 297-345. The task pages through the campaign's contacts that have
	// messages, CHUNK_SIZE at a time in id order; the union of its chunks
	// is every message whose campaign_contact_id is a contact of the
	// campaign, which is what one query selects here. The texter comes
	// from public.user by message.user_id (LEFT JOIN: inbound rows have
	// none).
	rewiredQuery = `SELECT message.id, message.assignment_id, message.user_number, message.contact_number,
  message.is_from_contact, message.num_segments, message.num_media, message.send_status,
  array_to_string(message.error_codes, '|'), message.created_at, message.text,
  texter.first_name, texter.last_name, texter.email::text, texter.cell, %s
FROM public.message
LEFT JOIN public."user" AS texter ON message.user_id = texter.id
WHERE message.campaign_contact_id IN (SELECT id FROM public.campaign_contact WHERE campaign_id = $1)
ORDER BY message.campaign_contact_id, message.created_at, message.id`
)

// The send and delivery-report times, selected when message has both
// columns (every Spoke schema since 2019), else NULLs.
const (
	sendTimesSQL   = "message.sent_at, message.service_response_at"
	noSendTimesSQL = "NULL::timestamptz, NULL::timestamptz"
)

// queryOf returns the lineage's query, selecting the send times when the
// database has them.
func queryOf(l Lineage, sendTimes bool) string {
	q, cols := stateVoicesQuery, noSendTimesSQL
	if l == export.Rewired {
		q = rewiredQuery
	}
	if sendTimes {
		cols = sendTimesSQL
	}
	return fmt.Sprintf(q, cols)
}

// headerOf is the header row of the lineage's messages export (without
// Rewired's campaignVariable[...] columns, which no figure reads): --by
// checks and HasColumn see the columns the export would have.
func headerOf(l Lineage) []string { return export.HeaderOf(l) }

// row holds one result row's columns; NULLs are Valid=false.
type row struct {
	id, contactID, campaignID, assignmentID pgtype.Int8
	segments, media, code                   pgtype.Int8
	userNumber, contactNumber, status, text pgtype.Text
	codes, first, last, email, cell         pgtype.Text
	inbound                                 pgtype.Bool
	created, sent, response                 pgtype.Timestamptz
}

func (r *row) targets(l Lineage) []any {
	if l == export.Rewired {
		return []any{&r.id, &r.assignmentID, &r.userNumber, &r.contactNumber, &r.inbound, &r.segments, &r.media,
			&r.status, &r.codes, &r.created, &r.text, &r.first, &r.last, &r.email, &r.cell, &r.sent, &r.response}
	}
	return []any{&r.id, &r.contactID, &r.campaignID, &r.userNumber, &r.contactNumber, &r.inbound, &r.status,
		&r.created, &r.text, &r.code, &r.sent, &r.response}
}

// scanCampaign streams one campaign's rows to fn.
func scanCampaign(ctx context.Context, tx pgx.Tx, t target, src *export.Source, id int64, fn func(*export.Record) error) error {
	rows, err := tx.Query(ctx, queryOf(src.Dialect, src.SendTimes), id)
	if err != nil {
		return t.queryError(err, "read the messages of campaign "+strconv.FormatInt(id, 10))
	}
	defer rows.Close()
	var r row
	targets := r.targets(src.Dialect)
	rec := &export.Record{Source: src}
	campaign := strconv.FormatInt(id, 10)
	for rows.Next() {
		if err := rows.Scan(targets...); err != nil {
			return t.queryError(err, "read a message of campaign "+campaign)
		}
		src.Rows++
		r.fill(rec, src, campaign)
		if err := fn(rec); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return t.queryError(err, "read the messages of campaign "+campaign)
	}
	return nil
}

// fill maps a row onto rec as the CSV reader maps the export's row: the
// same trimming, status spelling, code normalisation and timestamp (the
// export's millisecond precision and zone).
func (r *row) fill(rec *export.Record, src *export.Source, campaign string) {
	*rec = export.Record{Source: src, Line: int(src.Rows) + 1, NumSegments: -1, NumMedia: -1}
	rec.UserNumber = strings.TrimSpace(r.userNumber.String)
	rec.ContactNumber = strings.TrimSpace(r.contactNumber.String)
	rec.Inbound = r.inbound.Valid && r.inbound.Bool
	rec.Status = canonicalStatus(r.status.String)
	rec.Text = r.text.String
	if r.created.Valid {
		rec.AttemptedAt, rec.HasTime = exportTime(r.created.Time, src.Dialect), true
	}
	rec.MessageID = r.id.Int64
	if r.sent.Valid {
		rec.SentAt = r.sent.Time.Truncate(time.Millisecond).UTC()
	}
	if r.response.Valid {
		rec.ResponseAt = r.response.Time.Truncate(time.Millisecond).UTC()
	}
	if src.Dialect == export.Rewired {
		rec.CampaignID = campaign
		rec.AssignmentID = intString(r.assignmentID)
		rec.Codes = strings.TrimSpace(r.codes.String)
		rec.NumSegments, rec.NumMedia = count(r.segments), count(r.media)
		rec.TexterFirstName, rec.TexterLastName = r.first.String, r.last.String
		rec.TexterEmail, rec.TexterCell = r.email.String, r.cell.String
	} else {
		rec.CampaignID = intString(r.campaignID)
		rec.CampaignContactID = intString(r.contactID)
		rec.Codes = intString(r.code)
	}
	rec.PrimaryCode = export.PrimaryCodeOf(rec.Codes)
}

func intString(v pgtype.Int8) string {
	if !v.Valid {
		return ""
	}
	return strconv.FormatInt(v.Int64, 10)
}

func count(v pgtype.Int8) int {
	if !v.Valid || v.Int64 < 0 {
		return -1
	}
	return int(v.Int64)
}

// canonicalStatus spells a send status as the CSV reader does: the known
// ones upper case, an unknown one as written ("(empty)" when blank).
func canonicalStatus(s string) string {
	s = strings.TrimSpace(s)
	switch u := strings.ToUpper(s); u {
	case export.StatusDelivered, export.StatusSent, export.StatusError, export.StatusQueued,
		export.StatusSending, export.StatusPaused, export.StatusNotAttempted:
		return u
	}
	if s == "" {
		return "(empty)"
	}
	return s
}

// exportTime is created_at as the export writes it and the CSV reader
// reads it back: JavaScript Dates hold milliseconds, so the rest is cut.
// StateVoices writes UTC ("…Z"); Rewired writes the server's local offset,
// which only the server knows: a UTC host's "+00:00" is assumed, which
// the reader gives as time.Local when that is UTC at the instant, else as
// a fixed zone.
func exportTime(t time.Time, l Lineage) time.Time {
	t = t.Truncate(time.Millisecond).UTC()
	if l != export.Rewired {
		return t
	}
	if _, off := t.In(time.Local).Zone(); off == 0 {
		return t.In(time.Local)
	}
	return t.In(time.FixedZone("", 0))
}

// scanContacts streams one campaign's contacts to fn.
func scanContacts(ctx context.Context, tx pgx.Tx, t target, id int64, fn func(*Contact) error) error {
	what := "read the contacts of campaign " + strconv.FormatInt(id, 10)
	rows, err := tx.Query(ctx, `SELECT id, campaign_id, cell::text, external_id::text FROM public.campaign_contact WHERE campaign_id = $1 ORDER BY id`, id)
	if err != nil {
		return t.queryError(err, what)
	}
	defer rows.Close()
	var c Contact
	var cell, ext pgtype.Text
	for rows.Next() {
		if err := rows.Scan(&c.ID, &c.Campaign, &cell, &ext); err != nil {
			return t.queryError(err, what)
		}
		c.Cell, c.ExternalID = strings.TrimSpace(cell.String), strings.TrimSpace(ext.String)
		if err := fn(&c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return t.queryError(err, what)
	}
	return nil
}

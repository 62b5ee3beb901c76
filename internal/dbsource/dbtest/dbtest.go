// Package dbtest builds Spoke databases of both lineages in a throwaway
// PostgreSQL cluster for tests (.ci/postgres.sh starts one and prints the
// URL to put in SPOKE_TEST_DATABASE_URL), loads them with spoke-synth's
// rows, and writes each campaign's messages export as the lineage's own
// export job would, from the job's own query.
package dbtest

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/synth"
)

// EnvURL names the variable holding the superuser URL of the test cluster.
const EnvURL = "SPOKE_TEST_DATABASE_URL"

// Password is the SELECT-only role's password; tests check it never shows.
const Password = "Zq9-secret-pw"

// AdminURL returns the test cluster's superuser URL, or skips the test.
func AdminURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		t.Skip(EnvURL + " is not set: start a throwaway PostgreSQL with `export " + EnvURL +
			"=$(.ci/postgres.sh start $(mktemp -d))` to run the database tests")
	}
	return u
}

// Fixture is one loaded Spoke database.
type Fixture struct {
	DB        string
	Lineage   export.Dialect
	AdminURL  string // superuser, this database
	ReaderURL string // the SELECT-only role, with its password
	Reader    string // the role's name
	Campaigns []int64
}

var seq atomic.Int64

// New creates a database of the lineage ("statevoices-v10" or "rewired")
// holding rows spoke-synth rows in 3 campaigns (the odd ones in
// organization 1, the even ones in organization 2), and a role that may
// only SELECT. The database and role are dropped when the test ends.
func New(t testing.TB, lineage export.Dialect, rows int, seed uint64) *Fixture {
	t.Helper()
	admin := AdminURL(t)
	ctx := context.Background()
	name := fmt.Sprintf("spoke_%s_%d_%d", strings.ReplaceAll(string(lineage), "-", "_"), os.Getpid(), seq.Add(1))
	f := &Fixture{DB: name, Lineage: lineage, Reader: name + "_reader"}
	root := mustConnect(t, admin)
	defer root.Close(ctx)
	mustExec(t, root, "CREATE DATABASE "+name)
	mustExec(t, root, fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'", f.Reader, Password))
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			return
		}
		defer c.Close(ctx)
		c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		c.Exec(ctx, "DROP ROLE IF EXISTS "+f.Reader)
	})
	f.AdminURL = withDB(t, admin, name, "", "")
	f.ReaderURL = withDB(t, admin, name, f.Reader, Password)
	db := mustConnect(t, f.AdminURL)
	defer db.Close(ctx)
	schema := stateVoicesSchema
	if lineage == export.Rewired {
		schema = rewiredSchema
	}
	mustExec(t, db, schema)
	f.load(t, db, rows, seed)
	mustExec(t, db, "GRANT USAGE ON SCHEMA public TO "+f.Reader)
	mustExec(t, db, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO "+f.Reader)
	return f
}

// withDB returns u for database db, as user with password when user is set.
func withDB(t testing.TB, u, db, user, password string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatalf("%s is not a URL: %v", EnvURL, err)
	}
	p.Path = "/" + db
	q := p.Query()
	if user != "" {
		q.Del("user")
		p.User = url.UserPassword(user, password)
	}
	p.RawQuery = q.Encode()
	return p.String()
}

// Exec runs statements as the superuser in the fixture's database.
func (f *Fixture) Exec(t testing.TB, sql string) {
	t.Helper()
	c := mustConnect(t, f.AdminURL)
	defer c.Close(context.Background())
	mustExec(t, c, sql)
}

func mustConnect(t testing.TB, u string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), u)
	if err != nil {
		t.Fatalf("connect to the test database: %v", err)
	}
	return c
}

func mustExec(t testing.TB, c *pgx.Conn, sql string) {
	t.Helper()
	if _, err := c.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", firstLine(sql), err)
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// load generates a synth export of the lineage and inserts its rows.
func (f *Fixture) load(t testing.TB, db *pgx.Conn, rows int, seed uint64) {
	t.Helper()
	var buf bytes.Buffer
	start := time.Time{}
	if f.Lineage == export.Rewired {
		start = time.Date(2022, 10, 4, 13, 0, 0, 0, time.UTC)
	}
	if _, err := synth.Write(&buf, synth.Options{Rows: rows, Seed: seed, Dialect: string(f.Lineage), Campaigns: 3, Start: start}); err != nil {
		t.Fatalf("synth: %v", err)
	}
	path := filepath.Join(t.TempDir(), "synth.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	l := newLoader(f.Lineage)
	if _, err := export.Scan([]string{path}, export.Options{}, l.add); err != nil {
		t.Fatalf("read the synth export: %v", err)
	}
	l.noise()
	if err := l.insert(db); err != nil {
		t.Fatalf("load the fixture: %v", err)
	}
	f.Campaigns = l.campaignIDs
}

// loader turns synth records into table rows.
type loader struct {
	lineage     export.Dialect
	campaignIDs []int64
	campaigns   map[string]int64
	contacts    map[string]int64 // campaign + contact key -> id
	contactRows [][]any
	users       map[string]int64
	userRows    [][]any
	messages    [][]any
}

func newLoader(l export.Dialect) *loader {
	return &loader{lineage: l, campaigns: map[string]int64{}, contacts: map[string]int64{}, users: map[string]int64{}}
}

func (l *loader) campaign(key string) int64 {
	if id, ok := l.campaigns[key]; ok {
		return id
	}
	id := int64(len(l.campaigns) + 1)
	if n, err := strconv.ParseInt(key, 10, 64); err == nil && n > 0 {
		id = n
	}
	l.campaigns[key] = id
	l.campaignIDs = append(l.campaignIDs, id)
	return id
}

func (l *loader) contact(campaign int64, rec *export.Record) int64 {
	key := strconv.FormatInt(campaign, 10) + "/" + rec.ContactNumber
	if rec.CampaignContactID != "" {
		key = rec.CampaignContactID
	}
	if id, ok := l.contacts[key]; ok {
		return id
	}
	id := int64(len(l.contacts) + 1)
	if n, err := strconv.ParseInt(rec.CampaignContactID, 10, 64); err == nil && n > 0 {
		id = n
	}
	l.contacts[key] = id
	l.contactRows = append(l.contactRows, []any{id, campaign, rec.ContactNumber})
	return id
}

func (l *loader) user(rec *export.Record) any {
	if rec.TexterEmail == "" {
		return nil
	}
	if id, ok := l.users[rec.TexterEmail]; ok {
		return id
	}
	id := int64(len(l.users) + 1)
	l.users[rec.TexterEmail] = id
	l.userRows = append(l.userRows, []any{id, rec.TexterFirstName, rec.TexterLastName, rec.TexterCell, rec.TexterEmail})
	return id
}

func (l *loader) add(rec *export.Record) error {
	camp := l.campaign(rec.CampaignID)
	cc := l.contact(camp, rec)
	// Microseconds the export's JavaScript Date drops: the reader must cut
	// them too.
	created := rec.AttemptedAt.Add(time.Duration(len(l.messages)%997) * time.Microsecond)
	if !rec.HasTime {
		created = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if l.lineage == export.Rewired {
		var codes any
		if rec.Codes != "" {
			codes = strings.Split(rec.Codes, "|")
		}
		assignment, _ := strconv.ParseInt(rec.AssignmentID, 10, 64)
		l.messages = append(l.messages, []any{rec.UserNumber, l.user(rec), rec.ContactNumber, rec.Inbound, rec.Text,
			rec.Status, created, cc, codes, nullCount(rec.NumSegments), nullCount(rec.NumMedia), assignment})
		return nil
	}
	var code any
	if rec.Codes != "" {
		n, err := strconv.ParseInt(rec.Codes, 10, 32)
		if err != nil {
			return fmt.Errorf("code %q: %v", rec.Codes, err)
		}
		code = n
	}
	l.messages = append(l.messages, []any{rec.UserNumber, nil, rec.ContactNumber, rec.Inbound, rec.Text,
		rec.Status, created, cc, code})
	return nil
}

func nullCount(n int) any {
	if n < 0 {
		return nil
	}
	return n
}

// noise adds rows no export selects: a message of no contact, and a
// contact of a campaign nobody asks for.
func (l *loader) noise() {
	if len(l.messages) == 0 {
		return
	}
	orphan := append([]any(nil), l.messages[0]...)
	orphan[7] = nil // campaign_contact_id
	l.messages = append(l.messages, orphan)
}

func (l *loader) insert(db *pgx.Conn) error {
	ctx := context.Background()
	if _, err := db.Exec(ctx, `INSERT INTO organization (id, name) VALUES (1, 'Org One'), (2, 'Org Two')`); err != nil {
		return err
	}
	campaignTable := "campaign"
	if l.lineage == export.Rewired {
		campaignTable = "all_campaign"
	}
	for i, id := range l.campaignIDs {
		org := 1 + i%2
		if _, err := db.Exec(ctx, `INSERT INTO `+campaignTable+` (id, organization_id, title) VALUES ($1, $2, $3)`,
			id, org, fmt.Sprintf("Campaign %d", id)); err != nil {
			return err
		}
		if l.lineage == export.Rewired {
			if _, err := db.Exec(ctx, `INSERT INTO campaign_variable (campaign_id, display_order, name, value) VALUES ($1, 0, 'cv:event', $2)`,
				id, fmt.Sprintf("https://example.org/e/%d", id)); err != nil {
				return err
			}
		}
	}
	copies := []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"user", []string{"id", "first_name", "last_name", "cell", "email"}, l.userRows},
		{"campaign_contact", []string{"id", "campaign_id", "cell"}, l.contactRows},
	}
	msgCols := []string{"user_number", "user_id", "contact_number", "is_from_contact", "text", "send_status", "created_at", "campaign_contact_id"}
	if l.lineage == export.Rewired {
		msgCols = append(msgCols, "error_codes", "num_segments", "num_media", "assignment_id")
	} else {
		msgCols = append(msgCols, "error_code")
	}
	copies = append(copies, struct {
		table string
		cols  []string
		rows  [][]any
	}{"message", msgCols, l.messages})
	for _, c := range copies {
		if _, err := db.CopyFrom(ctx, pgx.Identifier{c.table}, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
			return fmt.Errorf("copy %s: %w", c.table, err)
		}
	}
	// Send times: every text handed to the provider when created (so
	// stuck SENT by sent_at is stuck by attempted-at, as in the export),
	// and reported on after a latency from 0.1 s to 9.6 s that the id
	// decides (a fixed set of values for the tests to expect).
	if _, err := db.Exec(ctx, `UPDATE message SET sent_at = created_at,
  service_response_at = CASE WHEN send_status IN ('DELIVERED', 'ERROR') AND NOT is_from_contact
    THEN created_at + (1 + id % 96) * interval '100 milliseconds' ELSE created_at END`); err != nil {
		return err
	}
	if l.lineage == export.Rewired {
		// Outbound texts carry the campaign's variable, as Rewired's
		// sends record the variables their script used.
		if _, err := db.Exec(ctx, `UPDATE message SET campaign_variable_ids = ARRAY[cv.id]
FROM campaign_contact cc, campaign_variable cv
WHERE message.campaign_contact_id = cc.id AND cv.campaign_id = cc.campaign_id AND NOT message.is_from_contact`); err != nil {
			return err
		}
	}
	return nil
}

package dbsource

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/spoke-status/spoke-status/internal/export"
)

// SQLSTATE codes explained to the user
// (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const (
	sqlInvalidPassword      = "28P01"
	sqlInvalidAuthorization = "28000" // pg_hba.conf rejected the role
	sqlInvalidCatalog       = "3D000" // database does not exist
	sqlInsufficientPrivs    = "42501"
	sqlCannotConnectNow     = "57P03"
	sqlTooManyConnections   = "53300"
)

// connectError explains a failed connection.
func (t target) connectError(err error) error {
	at := t.String()
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case sqlInvalidPassword:
			return &export.InputError{Path: at, Msg: "authentication failed for the database user",
				Hint: "check the user name in --db and the password (PGPASSWORD, ~/.pgpass or the URL)"}
		case sqlInvalidAuthorization:
			return &export.InputError{Path: at, Msg: "authentication failed: " + t.scrub(pgErr.Message),
				Hint: "the server's pg_hba.conf does not let this user in from here; ask the database's administrator, or try sslmode=require"}
		case sqlInvalidCatalog:
			return &export.InputError{Path: at, Msg: fmt.Sprintf("database %q not found", t.db),
				Hint: "check the database name at the end of --db (postgres://host/DATABASE), or PGDATABASE"}
		case sqlCannotConnectNow, sqlTooManyConnections:
			return &export.InputError{Path: at, Msg: "the server refused the connection: " + t.scrub(pgErr.Message),
				Hint: "try again in a moment"}
		}
		return &export.InputError{Path: at, Msg: "cannot connect: " + t.scrub(pgErr.Message)}
	}
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED) || (strings.HasPrefix(t.host, "/") && errors.Is(err, os.ErrNotExist)):
		return &export.InputError{Path: at, Msg: "connection refused: no PostgreSQL server is listening there",
			Hint: "check the host and port in --db (or PGHOST, PGPORT), and that the server is running"}
	case errors.As(err, &dnsErr):
		return &export.InputError{Path: at, Msg: fmt.Sprintf("unknown host %q", t.host),
			Hint: "check the host name in --db (or PGHOST)"}
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return &export.InputError{Path: at, Msg: "the connection timed out",
			Hint: "check the host and port in --db and any firewall between here and the server"}
	}
	return &export.InputError{Path: at, Msg: "cannot connect: " + t.scrub(rootCause(err)),
		Hint: "check --db (host, port, database, sslmode)"}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// rootCause is the innermost error's text, without pgx's prefix that
// repeats the user and database.
func rootCause(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// queryError explains a failed statement; doing says what it was for.
func (t target) queryError(err error, doing string) error {
	at := t.String()
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		msg := t.scrub(pgErr.Message)
		if pgErr.Code == sqlInsufficientPrivs {
			return &export.InputError{Path: at, Msg: fmt.Sprintf("cannot %s: %s", doing, msg),
				Hint: "the user needs SELECT on message, campaign_contact, campaign (and user, on Spoke Rewired): GRANT SELECT ON ... TO <user>"}
		}
		return &export.InputError{Path: at, Msg: fmt.Sprintf("cannot %s: %s (SQLSTATE %s)", doing, msg, pgErr.Code)}
	}
	return &export.InputError{Path: at, Msg: fmt.Sprintf("cannot %s: %s", doing, t.scrub(rootCause(err)))}
}

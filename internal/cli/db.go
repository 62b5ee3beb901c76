package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/spoke-status/spoke-status/internal/dbsource"
	"github.com/spoke-status/spoke-status/internal/engine"
	"github.com/spoke-status/spoke-status/internal/export"
)

// envDatabaseURL is read when --db is not given.
const envDatabaseURL = "SPOKE_DATABASE_URL"

// DBOptions are the flags that read Spoke's database instead of export
// files.
type DBOptions struct {
	URL          string
	Campaigns    []int64
	AllCampaigns bool
	Organization int64
	// use is set once the inputs are known: the database is read.
	use bool
}

func (o *DBOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.URL, "db", "", "read Spoke's PostgreSQL database instead of export files: a libpq URL such as postgres://reader@host/spoke?sslmode=require (default: $"+envDatabaseURL+", else the PG* variables)")
	// rows has its own --campaign filter, which selects the campaigns
	// to read with --db (runRows).
	if fs.Lookup("campaign") == nil {
		fs.Int64SliceVar(&o.Campaigns, "campaign", nil, "with --db: the campaign `ID` to read (repeatable)")
	}
	fs.BoolVar(&o.AllCampaigns, "all-campaigns", false, "with --db: read every campaign (of --organization, when given)")
	fs.Int64Var(&o.Organization, "organization", 0, "with --db: only campaigns of this organization `ID`")
}

// active reports whether the database is read instead of files.
func (o *DBOptions) active() bool { return o.use }

// inputPaths is the package's inputPaths, except that reading the database
// takes no files. The database is read with --db, or with a campaign flag
// and no file ($SPOKE_DATABASE_URL or the PG* variables then say where).
func (o *ReadOptions) inputPaths(env Env, args []string) ([]string, error) {
	db := &o.DB
	db.use = db.URL != "" || (len(args) == 0 && (len(db.Campaigns) > 0 || db.AllCampaigns || db.Organization != 0))
	if !db.use {
		return inputPaths(env, args)
	}
	if len(args) > 0 {
		return nil, usageErrorf("read either export files or the database: drop the files, or --db and --campaign",
			"--db reads the database; export files were given too (%s)", args[0])
	}
	return nil, nil
}

// sourceOptions validates the database flags.
func (o *DBOptions) sourceOptions(env Env) (dbsource.Options, error) {
	opts := dbsource.Options{URL: o.URL, Campaigns: o.Campaigns, AllCampaigns: o.AllCampaigns, Organization: o.Organization}
	if opts.URL == "" {
		opts.URL = env.Getenv(envDatabaseURL)
	}
	switch {
	case len(o.Campaigns) == 0 && !o.AllCampaigns:
		return opts, usageErrorf("name the campaigns to read, e.g. --campaign 112 (repeatable), or pass --all-campaigns",
			"--db needs --campaign ID or --all-campaigns")
	case len(o.Campaigns) > 0 && o.AllCampaigns:
		return opts, usageErrorf("", "give --campaign or --all-campaigns, not both")
	case o.Organization < 0:
		return opts, usageErrorf("", "--organization must be a positive id, got %d", o.Organization)
	}
	for _, id := range o.Campaigns {
		if id <= 0 {
			return opts, usageErrorf("", "--campaign must be a positive id, got %d", id)
		}
	}
	if o.AllCampaigns {
		opts.OnCampaigns = func(ids []int64) {
			fmt.Fprintf(env.Stderr, "%s: --all-campaigns: reading %s\n", progName, counted(len(ids), "campaign", "campaigns"))
		}
	}
	return opts, nil
}

func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// scanDatabase streams the database's rows to fn, as scanInputs streams
// the files'.
func scanDatabase(env Env, ro *ReadOptions, onHeader func(*export.Source) error, fn func(*export.Record) error) ([]*export.Source, error) {
	opts, err := ro.DB.sourceOptions(env)
	if err != nil {
		return nil, err
	}
	return dbsource.Scan(context.Background(), opts, onHeader, fn)
}

// source is the engine's Source for the database: one sequential pass,
// in one part, per read.
func (o *DBOptions) source(env Env) (engine.Source, error) {
	opts, err := o.sourceOptions(env)
	if err != nil {
		return nil, err
	}
	return func(read export.Options, par export.Parallel) ([]*export.Source, error) {
		p := par.NewPart()
		sources, err := dbsource.Scan(context.Background(), opts, read.OnHeader, func(rec *export.Record) error {
			p.Add(rec)
			return nil
		})
		if err != nil {
			return sources, err
		}
		p.Merge()
		return sources, nil
	}, nil
}

// campaignsFrom takes the campaigns to read from rows' --campaign filter.
func (o *DBOptions) campaignsFrom(ids []string) error {
	if !o.use {
		return nil
	}
	for _, s := range ids {
		id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return usageErrorf("", "--campaign must be a campaign id with --db, got %q", s)
		}
		o.Campaigns = append(o.Campaigns, id)
	}
	return nil
}

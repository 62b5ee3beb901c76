package dbsource

import (
	"strings"
	"testing"
	"time"

	"github.com/spoke-status/spoke-status/internal/export"
)

func TestScrubURLs(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"cannot parse `postgres://u:s3cret@h/db`", "cannot parse `postgres://u:xxxxx@h/db`"},
		{"postgres://u@h/db", "postgres://u@h/db"},
		{"a postgres://u:p@h x postgresql://v:q@k/db", "a postgres://u:xxxxx@h x postgresql://v:xxxxx@k/db"},
		{"no url here", "no url here"},
	} {
		if got := scrubURLs(tc.in); got != tc.want {
			t.Errorf("scrubURLs(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseConfigHidesPassword(t *testing.T) {
	_, err := parseConfig("postgres://reader:Zq9-secret@host:notaport/db")
	if err == nil {
		t.Fatal("a bad port parsed")
	}
	if strings.Contains(err.Error(), "Zq9-secret") {
		t.Errorf("the password shows: %v", err)
	}
}

func TestTargetNamesNoPassword(t *testing.T) {
	cfg, err := parseConfig("postgres://reader:Zq9-secret@db.example.org:6543/spoke?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	tg := newTarget(cfg)
	if got, want := tg.campaignPath(12), "postgres://db.example.org:6543/spoke?campaign=12"; got != want {
		t.Errorf("campaignPath = %q, want %q", got, want)
	}
	if got := tg.scrub("password Zq9-secret rejected"); strings.Contains(got, "Zq9-secret") {
		t.Errorf("scrub kept the password: %q", got)
	}
	sock := target{host: "/tmp/pg", port: 5432, db: "spoke"}
	if got, want := sock.campaignPath(3), "postgres:///spoke?host=/tmp/pg&port=5432&campaign=3"; got != want {
		t.Errorf("socket campaignPath = %q, want %q", got, want)
	}
}

func TestExportTime(t *testing.T) {
	in := time.Date(2024, 10, 1, 18, 2, 11, 482_999_000, time.FixedZone("", -4*3600))
	sv := exportTime(in, export.StateVoicesV10)
	if want := time.Date(2024, 10, 1, 22, 2, 11, 482_000_000, time.UTC); !sv.Equal(want) || sv.Location() != time.UTC {
		t.Errorf("statevoices time = %v, want %v in UTC", sv, want)
	}
	rw := exportTime(in, export.Rewired)
	if !rw.Equal(sv) {
		t.Errorf("rewired time = %v, want the instant %v", rw, sv)
	}
	if _, off := rw.Zone(); off != 0 {
		t.Errorf("rewired offset = %d, want 0 (a UTC host's +00:00)", off)
	}
}

func TestCanonicalStatus(t *testing.T) {
	for in, want := range map[string]string{"DELIVERED": "DELIVERED", " sent ": "SENT", "": "(empty)", "Weird": "Weird"} {
		if got := canonicalStatus(in); got != want {
			t.Errorf("canonicalStatus(%q) = %q, want %q", in, got, want)
		}
	}
}

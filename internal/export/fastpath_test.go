package export

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// The bounds InTimeRange compares Unix seconds with are the first second
// of MinYear and of the year after MaxYear.
func TestTimeRangeBounds(t *testing.T) {
	if got := time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.UTC).Unix(); got != minUnix {
		t.Errorf("minUnix = %d, want %d", minUnix, got)
	}
	if got := time.Date(MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC).Unix(); got != endUnix {
		t.Errorf("endUnix = %d, want %d", endUnix, got)
	}
	zone := time.FixedZone("", -4*3600)
	for _, tc := range []time.Time{
		time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(MinYear-1, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(MaxYear, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(MaxYear, 12, 31, 20, 0, 0, 0, zone), // 2200 in UTC
		time.Date(MinYear, 1, 1, 0, 0, 0, 0, time.FixedZone("", 3600)),
		time.Date(2024, 10, 1, 18, 2, 11, 482e6, zone),
		{},
	} {
		y := tc.UTC().Year()
		if want := MinYear <= y && y <= MaxYear; InTimeRange(tc) != want {
			t.Errorf("InTimeRange(%v) = %v, want %v", tc, !want, want)
		}
	}
}

// trim and parseCount's fast paths answer what strings.TrimSpace and
// strconv.Atoi do.
func TestTrimFastPath(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a", "a ", "\ta\n", "+15555550100", "+15555550100 ", "\u00a0x", "x\u00a0",
		"\u3000", "é", "xé", "\x01a", "a\x7f", "\x85", "2024-10-01T18:02:11.482Z", "\u2028", "a\u2029"} {
		if got, want := trim(s), strings.TrimSpace(s); got != want {
			t.Errorf("trim(%q) = %q, want %q", s, got, want)
		}
	}
	for _, s := range []string{"", "0", "7", "007", "12", "123456789", "1234567890", "-1", "+3", " 4", "4 ", "1.0", "x", "99999999999999999999"} {
		want := -1
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n >= 0 {
			want = n
		}
		if got := parseCount(s); got != want {
			t.Errorf("parseCount(%q) = %d, want %d", s, got, want)
		}
	}
}

// daysFromCivil and monthDays agree with time.Date on every day of the
// years Spoke could write and more, and monthDays refuses what time.Date
// would normalize into the next month.
func TestDaysFromCivil(t *testing.T) {
	for _, years := range [][2]int{{0, 2600}, {9990, 9999}} {
		for y := years[0]; y <= years[1]; y++ {
			for m := 1; m <= 12; m++ {
				want := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
				if got := monthDays(y, m); got != want {
					t.Fatalf("monthDays(%d, %d) = %d, want %d", y, m, got, want)
				}
				for d := 1; d <= want; d++ {
					if got, want := daysFromCivil(y, m, d), time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix()/86400; got != want {
						t.Fatalf("daysFromCivil(%d, %d, %d) = %d, want %d", y, m, d, got, want)
					}
				}
			}
		}
	}
}

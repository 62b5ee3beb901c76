package contacts

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/spoke-status/spoke-status/internal/export"
)

// TestOrderMatchesSort holds the parts of Order, listed one after the
// other, to a sort of every contact's (campaign, cell) as strings, for
// numbers of contacts around the part sizes, campaigns that are numbers
// and words, long cells and cells with zero bytes; and whatever the
// number of goroutines that split them.
func TestOrderMatchesSort(t *testing.T) {
	for _, n := range []int{0, 1, 63, 64, 1000, partContacts - 1, 3*partContacts + 17} {
		rng := rand.New(rand.NewPCG(uint64(n), 9))
		a := newAggregator(t, Options{})
		campaigns := []string{"9", "10", "112", "abc", "-3", "", "09", "+9"}
		want := map[[2]string]bool{}
		for len(want) < n {
			cell := "+1" + strconv.Itoa(2000000000+rng.IntN(8*n+1))
			switch rng.IntN(40) {
			case 0:
				cell += "-a-long-tail-past-sixteen-bytes"
			case 1:
				cell = cell[:rng.IntN(len(cell))] + "\x00"
			}
			campaign := campaigns[rng.IntN(len(campaigns))]
			a.Add(&export.Record{CampaignID: campaign, ContactNumber: cell, Status: export.StatusDelivered})
			want[[2]string{campaign, cell}] = true
		}
		sorted := make([][2]string, 0, len(want))
		for k := range want {
			sorted = append(sorted, k)
		}
		slices.SortFunc(sorted, func(x, y [2]string) int {
			return cmp.Or(compareCampaigns(x[0], y[0]), cmp.Compare(x[1], y[1]))
		})
		for _, workers := range []int{1, 3} {
			t.Run(fmt.Sprintf("%d contacts, %d goroutines", n, workers), func(t *testing.T) {
				o := a.Order(workers)
				if n >= 64*minParts && o.Parts() < minParts {
					t.Errorf("%d parts, want at least %d", o.Parts(), minParts)
				}
				// One Lister lists every part, last to first, so that
				// a part's keys reuse the memory of a larger or smaller
				// one; a new one each (Order.EachIn) must list the same.
				l := o.Lister()
				byPart := make([][][2]string, o.Parts())
				for p := o.Parts() - 1; p >= 0; p-- {
					if err := l.EachIn(p, All, func(c *Contact) error {
						byPart[p] = append(byPart[p], [2]string{c.Campaign, c.Cell})
						return nil
					}); err != nil {
						t.Fatal(err)
					}
				}
				var got [][2]string
				for p := range o.Parts() {
					var fresh [][2]string
					if err := o.EachIn(p, All, func(c *Contact) error {
						fresh = append(fresh, [2]string{c.Campaign, c.Cell})
						return nil
					}); err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(fresh, byPart[p]) {
						t.Fatalf("part %d: a reused Lister listed %q, a new one %q", p, byPart[p], fresh)
					}
					got = append(got, fresh...)
				}
				if len(got) != len(sorted) {
					t.Fatalf("%d contacts, want %d", len(got), len(sorted))
				}
				for i := range got {
					if got[i] != sorted[i] {
						t.Fatalf("position %d: %q, want %q", i, got[i], sorted[i])
					}
				}
			})
		}
	}
}

// compareCampaigns is the order of campaigns the output follows, written
// plainly, for the tests to hold compareCampaignKeys to: numeric ids by
// value, equal values by text, anything else as text after them.
func compareCampaigns(x, y string) int {
	nx, errx := strconv.ParseInt(x, 10, 64)
	ny, erry := strconv.ParseInt(y, 10, 64)
	switch {
	case errx == nil && erry == nil:
		return cmp.Or(cmp.Compare(nx, ny), cmp.Compare(x, y))
	case errx == nil:
		return -1
	case erry == nil:
		return 1
	}
	return cmp.Compare(x, y)
}

package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// TestDefaultOutputUnchanged pins the default output: these hashes were
// taken before the planted-domain options existed, so options that are
// off must neither change a byte nor draw a random number.
func TestDefaultOutputUnchanged(t *testing.T) {
	want := map[string]string{
		DialectStateVoicesV10: "66a1f2e2327ede3b15e677c02ff83b6fa679abfd02af5d115de6d8638fa63100",
		DialectMoveOnV5:       "7310550ff05d53ed968d89ceeff0683ea51cc9bb2d0488e2271fb85766621329",
		DialectMoveOnLegacy:   "eacbb7aa11d748673fc50db4596c617069294ac97ab129f7af548154dd3743be",
		DialectRewired:        "23b6e1be4358cb54ec56e031d650f1e38a3396c0b6f822cabcf36efea7058c56",
	}
	for _, d := range Dialects() {
		for _, o := range []Options{
			{Rows: 20000, Seed: 7, Dialect: d},
			// set but inert without a domain
			{Rows: 20000, Seed: 7, Dialect: d, PlantedShare: 0.5, PlantedReplyFactor: 0.1},
		} {
			var b bytes.Buffer
			if _, err := Write(&b, o); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b.Bytes())
			if got := hex.EncodeToString(sum[:]); got != want[d] {
				t.Errorf("%s (PlantedShare %v): sha256 %s, want %s", d, o.PlantedShare, got, want[d])
			}
		}
	}
}

func TestPlantedDomain(t *testing.T) {
	for _, d := range Dialects() {
		var b bytes.Buffer
		tr, err := Write(&b, Options{Rows: 20000, Seed: 3, Dialect: d, PlantedDomain: "promo.example.net"})
		if err != nil {
			t.Fatal(err)
		}
		if tr.Rows != 20000 {
			t.Errorf("%s: %d rows, want 20000", d, tr.Rows)
		}
		n := strings.Count(b.String(), "https://promo.example.net/p")
		// about a quarter of some 14,000 contacts
		if n < 2500 || n > 4500 {
			t.Errorf("%s: %d planted texts, want about 3,500", d, n)
		}
	}
}

func TestPlantedBadOptions(t *testing.T) {
	for _, o := range []Options{
		{PlantedDomain: "Promo.example.net"},
		{PlantedDomain: "promo example.net"},
		{PlantedDomain: "localhost"},
		{PlantedDomain: "a.org", PlantedShare: 1.5},
		{PlantedDomain: "a.org", PlantedShare: -0.1},
		{PlantedDomain: "a.org", PlantedReplyFactor: 2},
	} {
		o.Rows, o.Dialect = 10, DialectRewired
		if _, err := Write(&bytes.Buffer{}, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

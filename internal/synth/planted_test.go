package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// TestDefaultOutputUnchanged pins the default output (taken after the
// Rewired opt-out triggers joined the replies): planted-domain options that
// are off must neither change a byte nor draw a random number.
func TestDefaultOutputUnchanged(t *testing.T) {
	want := map[string]string{
		DialectStateVoicesV10: "cf583f61969112bcb2f44f189c2d82946d71c77c0d939b2738b055da0872ca59",
		DialectMoveOnV5:       "a69b80a64f716739efa5fdf7667da33efdeaa69ddc10c980d2646ca4eb298be3",
		DialectMoveOnLegacy:   "7cc4a277559d5095346e216e94264894cbe79875fc34daf3b3c8cda316b0264f",
		DialectRewired:        "2780df14a669f3c42c42038a01eec43071a0c1e99a7ac8ef6b2b12fd7a0e66c9",
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

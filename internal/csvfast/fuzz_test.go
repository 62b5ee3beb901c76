package csvfast

import "testing"

// fuzzCommas are the delimiters the fuzz targets choose from: the usual
// ones and a multi-byte one.
var fuzzCommas = []rune{',', ';', '\t', '§'}

func fuzzSeeds(f *testing.F) {
	for _, tc := range edgeCases {
		f.Add([]byte(tc.in), uint8(0))
	}
	f.Add([]byte("a;b\n\"x;\"\";y\";z\n"), uint8(1))
	f.Add([]byte("a§b\n\"x\"§y\n"), uint8(3))
	f.Add(synthExport(f, "rewired", 6, 0.2), uint8(0))
	f.Add(synthExport(f, "statevoices-v10", 6, 0), uint8(0))
}

// FuzzScannerMatchesEncodingCSV: on any input, the Scanner returns the same
// records, record lines, offsets and errors (kind, lines, column) as
// encoding/csv, in every read mode.
func FuzzScannerMatchesEncodingCSV(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, in []byte, sel uint8) {
		o := Options{Comma: fuzzCommas[int(sel)%len(fuzzCommas)]}
		if sel >= 128 {
			o.FieldsPerRecord = -1
		}
		checkSameAsEncodingCSV(t, in, o)
	})
}

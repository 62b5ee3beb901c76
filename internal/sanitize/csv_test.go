package sanitize

import "testing"

func TestCSVCell(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain text", "Hello, are you voting?", "Hello, are you voting?"},
		{"formula later in text", "a=1+1", "a=1+1"},
		{"leading space not a trigger", " =1", " =1"},
		{"equals", "=1+1", "'=1+1"},
		{"hyperlink", `=HYPERLINK("http://x")`, `'=HYPERLINK("http://x")`},
		{"plus function", "+SUM(A1)", "'+SUM(A1)"},
		{"plus DDE", "+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"minus expression", "-2+3", "'-2+3"},
		{"minus text", "- bullet", "'- bullet"},
		{"lone minus", "-", "'-"},
		{"lone plus", "+", "'+"},
		{"at", "@SUM(A1)", "'@SUM(A1)"},
		{"at cmd", "@cmd", "'@cmd"},
		{"tab", "\t=1", "'\t=1"},
		{"carriage return", "\r=1", "'\r=1"},
		{"tab then digits", "\t5", "'\t5"},
		{"negative integer", "-133", "-133"},
		{"minus one", "-1", "-1"},
		{"negative decimal", "-1.5", "-1.5"},
		{"negative fraction", "-.5", "-.5"},
		{"plus integer", "+3", "+3"},
		{"unsigned integer", "30007", "30007"},
		{"two dots", "-1.2.3", "'-1.2.3"},
		{"exponent", "-1e5", "'-1e5"},
		{"sign only then dot", "-.", "'-."},
		{"e164", "+15555550123", "+15555550123"},
		{"formatted us phone", "+1 (555) 555-0123", "+1 (555) 555-0123"},
		{"uk phone", "+44 20 7946 0958", "+44 20 7946 0958"},
		{"dotted phone", "+1.555.555.0123", "+1.555.555.0123"},
		{"phone too short", "+1 555", "'+1 555"},
		{"phone with letter", "+1555555012A", "'+1555555012A"},
		{"phone with formula", "+15555550123+A1", "'+15555550123+A1"},
		{"redacted phone", "+1215•••5260", "+1215•••5260"},
		{"redacted short", "+4420•••", "+4420•••"},
		{"bullet then formula", "+1215•••5260+A1", "'+1215•••5260+A1"},
		{"bullets only", "+•••••••", "'+•••••••"},
		{"plus paren first", "+(555) 555-0123", "'+(555) 555-0123"},
		{"minus phone not exempt", "-1 555 555 0123", "'-1 555 555 0123"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CSVCell(tt.in); got != tt.want {
				t.Errorf("CSVCell(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCSVCellNoAllocWhenUnchanged(t *testing.T) {
	for _, in := range []string{"Hello there", "-133", "+1 (555) 555-0123", ""} {
		allocs := testing.AllocsPerRun(100, func() { sink = CSVCell(in) })
		if allocs != 0 {
			t.Errorf("CSVCell(%q): %v allocs, want 0", in, allocs)
		}
		if sink != in {
			t.Errorf("CSVCell(%q) changed the cell to %q", in, sink)
		}
	}
}

// sink keeps benchmark and allocation results alive.
var sink string

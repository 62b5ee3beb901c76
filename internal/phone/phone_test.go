package phone

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"e164 us", "+15555550123", "+15555550123", true},
		{"parentheses", "(555) 555-0123", "+15555550123", true},
		{"dots", "555.555.0123", "+15555550123", true},
		{"ten digits", "5555550123", "+15555550123", true},
		{"eleven digits", "15555550123", "+15555550123", true},
		{"plus spaces", "+1 555 555 0123", "+15555550123", true},
		{"one hyphens", "1-555-555-0123", "+15555550123", true},
		{"one parentheses", "1 (555) 555-0123", "+15555550123", true},
		{"surrounding spaces", "  555-555-0123\t", "+15555550123", true},
		{"excel scientific", "1.5555550123E+10", "+15555550123", true},
		{"excel scientific lower e", "1.5555550123e10", "+15555550123", true},
		{"excel scientific ten digits", "5.555550123E+9", "+15555550123", true},
		{"excel decimal", "15555550123.0", "+15555550123", true},
		{"excel decimal ten digits", "5555550123.00", "+15555550123", true},
		{"excel rounded", "1.55556E+10", "1.55556E+10", false},
		{"excel not whole", "1.5555550123E+5", "1.5555550123E+5", false},
		{"excel decimal fraction", "15555550123.5", "15555550123.5", false},
		{"excel decimal short", "5555550.000", "5555550.000", false},
		{"excel exponent too big", "1.5555550123E+11", "1.5555550123E+11", false},
		{"excel twelve digits", "1.55555501234E+11", "1.55555501234E+11", false},
		{"uk e164 kept", "+447911123456", "+447911123456", true},
		{"uk spaced", "+44 20 7946 0958", "+442079460958", true},
		{"short international", "+6834002", "+6834002", true},
		{"international too short", "+683400", "+683400", false},
		{"sixteen digits", "+4479111234567890", "+4479111234567890", false},
		{"country code zero", "+0123456789", "+0123456789", false},
		{"area code starts 0", "+10555550123", "+10555550123", false},
		{"area code starts 1", "(155) 555-0123", "(155) 555-0123", false},
		{"exchange starts 1", "555-155-0123", "555-155-0123", false},
		{"exchange starts 0", "1 555 055 0123", "1 555 055 0123", false},
		{"plus one ten digits", "+1555555012", "+1555555012", false},
		{"plus without one", "+5555550123", "+5555550123", true},
		{"eleven not starting one", "25555550123", "25555550123", false},
		{"nine digits", "555555012", "555555012", false},
		{"short code", "12345", "12345", false},
		{"short code padded", " 12345 ", "12345", false},
		{"letters", "call me", "call me", false},
		{"vanity", "1-800-FLOWERS", "1-800-FLOWERS", false},
		{"extension", "555-555-0123 x12", "555-555-0123 x12", false},
		{"empty", "", "", false},
		{"spaces only", "   ", "", false},
		{"plus only", "+", "+", false},
		{"plus space", "+ 1 555 555 0123", "+ 1 555 555 0123", false},
		{"two pluses", "++15555550123", "++15555550123", false},
		{"unbalanced parenthesis", "(555 555-0123", "(555 555-0123", false},
		{"nested parentheses", "((555)) 555-0123", "((555)) 555-0123", false},
		{"slash", "555/555-0123", "555/555-0123", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Normalize(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Normalize(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestNormalizeNoAllocWhenUnchanged(t *testing.T) {
	for _, in := range []string{"+15555550123", "+447911123456", "12345", "call me", "  +15555550123 "} {
		allocs := testing.AllocsPerRun(100, func() { sink, _ = Normalize(in) })
		if allocs != 0 {
			t.Errorf("Normalize(%q): %v allocs, want 0", in, allocs)
		}
	}
}

func TestNormalizeOneAllocWhenChanged(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() { sink, _ = Normalize("(555) 555-0123") })
	if allocs != 1 {
		t.Errorf("Normalize: %v allocs, want 1", allocs)
	}
}

func TestIsPhoneLike(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"+15555550123", true},
		{"5555550123", true},
		{"555-555-0123", true},
		{"555.555.0123", true},
		{"(555) 555-0123", true},
		{"+1 (555) 555-0123", true},
		{"+44 20 7946 0958", true},
		{" 555 555 0123 ", true},
		{"123456789012345", true},
		{"15555550123.0", true},
		{"1.5555550123E+10", true},
		{"1.55556E+10", true},
		{"5.555550123E+9", true},
		{"1.5E+5", false},
		{"1.5E+15", false},
		{"1234567890123456", false},
		{"555555012", false},
		{"555-0123", false},
		{"12345", false},
		{"", false},
		{"   ", false},
		{"call 555-555-0123", false},
		{"555-555-0123 x12", false},
		{"-555-555-0123", false},
		{"1+5555550123", false},
		{"555/555/0123", false},
		{"2024-01-15", false},
	}
	for _, tt := range tests {
		if got := IsPhoneLike(tt.in); got != tt.want {
			t.Errorf("IsPhoneLike(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestIsPhoneLikeNoAlloc(t *testing.T) {
	for _, in := range []string{"(555) 555-0123", "1.5555550123E+10", "hello"} {
		if allocs := testing.AllocsPerRun(100, func() { sinkBool = IsPhoneLike(in) }); allocs != 0 {
			t.Errorf("IsPhoneLike(%q): %v allocs, want 0", in, allocs)
		}
	}
}

var (
	sink     string
	sinkBool bool
)

// TestIsE164 holds the shortcut of Normalize to the full path at the
// edges of what it takes: lengths, a leading 0, NANP plausibility, and
// inputs it must leave to the full path.
func TestIsE164(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"+15555550123", true},
		{"+447911123456", true},
		{"+4479111", true},           // 7 digits: the fewest
		{"+447911123456789", true},   // 15 digits: the most
		{"+4479111234567890", false}, // 16
		{"+447911", false},           // 6
		{"+0447911123", false},       // leading 0
		{"+1555555012", false},       // country code 1, 10 digits
		{"+155555501234", false},     // country code 1, 12 digits
		{"+11555550123", false},      // area code starting with 1
		{"+15551550123", false},      // exchange starting with 1
		{"+1 555 555 0123", false},
		{" +15555550123", false},
		{"+15555550123 ", false},
		{"15555550123", false},
		{"+1555555012a", false},
	}
	for _, tc := range tests {
		if got := isE164(tc.in); got != tc.want {
			t.Errorf("isE164(%q) = %v, want %v", tc.in, got, tc.want)
		}
		out, ok := normalize(tc.in)
		if tc.want && (out != tc.in || !ok) {
			t.Errorf("isE164(%q), but normalize returns %q, %v", tc.in, out, ok)
		}
		if got, gotOK := Normalize(tc.in); got != out || gotOK != ok {
			t.Errorf("Normalize(%q) = %q, %v; normalize %q, %v", tc.in, got, gotOK, out, ok)
		}
	}
}

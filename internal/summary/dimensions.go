package summary

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/links"
	"github.com/spoke-status/spoke-status/internal/steps"
)

// NoneKey is the key of rows whose dimension value is empty.
const NoneKey = "(none)"

// Requirement is a column a dimension needs: an input must have a column
// for any of Fields.
type Requirement struct {
	Dimension string         // the dimension that needs it, e.g. "texter"
	Fields    []export.Field // any of them will do
	// Name says what the columns hold when they are several ("texter");
	// empty means the first field's own words.
	Name string
}

// What says what the column holds, for messages: "error code".
func (r Requirement) What() string {
	if r.Name != "" {
		return r.Name
	}
	return r.Fields[0].What()
}

// Columns lists the header names, in every dialect, of the fields.
func (r Requirement) Columns() []string {
	var names []string
	for _, f := range r.Fields {
		names = append(names, f.Columns()...)
	}
	return names
}

// Dimension names accepted by NewDimension.
const (
	DimCampaign      = "campaign"
	DimTexter        = "texter"
	DimSendingNumber = "sending-number"
	DimCode          = "code"
	DimCategory      = "category"
	DimStep          = "step"
	DimDay           = "day"
	DimHour          = "hour"
	DimLinkDomain    = "link-domain"
	DimFile          = "file"
)

// Context is what a dimension's keys may depend on besides the row.
type Context struct {
	// Location is the time zone of day and hour buckets (UTC when nil).
	Location *time.Location
	// Steps is the contact index the step dimension reads; the engine
	// fills it in a first pass, before any row is grouped.
	Steps *steps.Index
}

// Spec describes one dimension: the table that --by, its help text, the
// column check, the renderers and the default order all read. Adding a
// dimension is adding a Spec (and its constructor).
type Spec struct {
	Name  string
	Title string // the column title of its keys in tables
	// TimeBucket dimensions have time keys: ordered by time by default,
	// drawn with bars in tables.
	TimeBucket bool
	// OrderedKeys dimensions list their groups in key order by default
	// (time buckets, steps); the others busiest first.
	OrderedKeys bool
	New         func(Context) Dimension
}

// Specs lists every dimension, in the order help texts give them.
func Specs() []Spec {
	return []Spec{
		{Name: DimCampaign, Title: "Campaign", New: func(Context) Dimension { return CampaignDimension() }},
		{Name: DimTexter, Title: "Texter", New: func(Context) Dimension { return TexterDimension() }},
		{Name: DimSendingNumber, Title: "Sending number", New: func(Context) Dimension { return SendingNumberDimension() }},
		{Name: DimCode, Title: "Code", New: func(Context) Dimension { return CodeDimension() }},
		{Name: DimCategory, Title: "Category", New: func(Context) Dimension { return CategoryDimension() }},
		{Name: DimStep, Title: "Step", OrderedKeys: true, New: func(c Context) Dimension { return StepDimension(c.Steps) }},
		{Name: DimDay, Title: "Day", TimeBucket: true, OrderedKeys: true, New: func(c Context) Dimension { return DayDimension(c.Location) }},
		{Name: DimHour, Title: "Hour", TimeBucket: true, OrderedKeys: true, New: func(c Context) Dimension { return HourDimension(c.Location) }},
		{Name: DimLinkDomain, Title: "Link domain", New: func(Context) Dimension { return LinkDomainDimension() }},
		{Name: DimFile, Title: "File", New: func(Context) Dimension { return FileDimension() }},
	}
}

// SpecOf returns the named simple dimension's spec.
func SpecOf(name string) (Spec, bool) {
	for _, s := range Specs() {
		if s.Name == name {
			return s, true
		}
	}
	return Spec{}, false
}

// DimensionNames lists the dimensions NewDimension knows, in the order
// the help text gives them.
func DimensionNames() []string {
	specs := Specs()
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.Name
	}
	return names
}

// Title returns the column title of a simple dimension's keys.
func Title(name string) string {
	if s, ok := SpecOf(name); ok {
		return s.Title
	}
	return name
}

// IsTimeBucket reports whether a simple dimension's keys are time buckets.
func IsTimeBucket(name string) bool {
	s, ok := SpecOf(name)
	return ok && s.TimeBucket
}

// MaxNested is how many dimensions one breakdown may nest.
const MaxNested = 2

// NewDimension returns the named dimension; "a,b" nests two of them (each
// group is one pair of keys). Names are matched case-insensitively.
//
// A dimension keeps caches: make one per Aggregator, and do not share it
// between goroutines.
func NewDimension(name string, ctx Context) (Dimension, error) {
	parts := strings.Split(name, ",")
	if len(parts) > MaxNested {
		return Dimension{}, fmt.Errorf("%q nests %d dimensions; at most %d can be nested", name, len(parts), MaxNested)
	}
	dims := make([]Dimension, 0, len(parts))
	for _, p := range parts {
		spec, ok := SpecOf(strings.ToLower(strings.TrimSpace(p)))
		if !ok {
			return Dimension{}, fmt.Errorf("unknown dimension %q (known: %s)", strings.TrimSpace(p), strings.Join(DimensionNames(), ", "))
		}
		dims = append(dims, spec.New(ctx))
	}
	if len(dims) == 1 {
		return dims[0], nil
	}
	if dims[0].Name == dims[1].Name {
		return Dimension{}, fmt.Errorf("%q names the same dimension twice", name)
	}
	return Nested(dims...), nil
}

// CampaignDimension groups rows by campaign id.
func CampaignDimension() Dimension {
	return Dimension{
		Name: DimCampaign,
		Keys: func(dst []string, rec *export.Record) []string {
			return append(dst, orNone(rec.CampaignID))
		},
		Needs: []Requirement{{DimCampaign, []export.Field{export.FieldCampaignID}, ""}},
	}
}

// TexterDimension groups outbound rows by the texter who sent them,
// "First Last <email>". Only Spoke Rewired exports name texters (inbound
// rows have none, so they are left out).
func TexterDimension() Dimension {
	var last struct{ first, lastName, email, key string }
	return Dimension{
		Name: DimTexter,
		Keys: func(dst []string, rec *export.Record) []string {
			if rec.Inbound {
				return dst
			}
			// Rows come texter by texter: reuse the last name built
			// rather than allocate one per row.
			if rec.TexterFirstName != last.first || rec.TexterLastName != last.lastName || rec.TexterEmail != last.email || last.key == "" {
				// Kept past the row, whose strings may view the
				// reader's buffer (export.Parallel.Views): copies.
				last.first, last.lastName, last.email = strings.Clone(rec.TexterFirstName), strings.Clone(rec.TexterLastName), strings.Clone(rec.TexterEmail)
				last.key = strings.Clone(orNone(rec.TexterName()))
			}
			return append(dst, last.key)
		},
		Needs: []Requirement{{DimTexter, []export.Field{export.FieldTexterEmail, export.FieldTexterFirstName, export.FieldTexterLastName}, "texter"}},
		fresh: TexterDimension,
	}
}

// SendingNumberDimension groups rows by the texter's (sending) number;
// failed sends often have none and are grouped under NoneKey.
func SendingNumberDimension() Dimension {
	return Dimension{
		Name: DimSendingNumber,
		Keys: func(dst []string, rec *export.Record) []string {
			return append(dst, orNone(rec.UserNumber))
		},
		Needs: []Requirement{{DimSendingNumber, []export.Field{export.FieldUserNumber}, ""}},
	}
}

var codeNeeds = []export.Field{export.FieldErrorCodes}

// CodeDimension groups outbound rows by primary code: error codes, and
// the codes some non-ERROR rows carry (Spoke's -1 on SENDING, for
// instance). Rows without a code are grouped under NoneKey.
func CodeDimension() Dimension {
	return Dimension{
		Name: DimCode,
		Keys: func(dst []string, rec *export.Record) []string {
			if rec.Inbound {
				return dst
			}
			return append(dst, orNone(rec.PrimaryCode))
		},
		Needs:    []Requirement{{DimCode, codeNeeds, ""}},
		admitKey: admitCodeKey,
	}
}

// admitCodeKey is the admitKey of a dimension keyed by code.
func admitCodeKey(key string, admit func(string) string) string { return admit(key) }

// CategoryDimension groups outbound rows by the category of their primary
// code. An ERROR row without a code is "no_code"; other rows without a
// code are NoneKey.
//
// The category depends on the provider, known only once every row is
// read, so rows are counted by code and folded into categories by Resolve.
func CategoryDimension() Dimension {
	return Dimension{
		Name: DimCategory,
		Keys: func(dst []string, rec *export.Record) []string {
			switch {
			case rec.Inbound:
				return dst
			case rec.PrimaryCode == "" && rec.Status != export.StatusError:
				return append(dst, NoneKey)
			}
			return append(dst, rec.PrimaryCode) // "" resolves to no_code
		},
		Resolve: func(key string, cls *classify.Classifier) string {
			if key == NoneKey {
				return key
			}
			return string(cls.Entry(key).Category)
		},
		Needs:    []Requirement{{DimCategory, codeNeeds, ""}},
		admitKey: admitCodeKey,
	}
}

// maxCachedTimeKeys bounds the caches of formatted days and hours.
const maxCachedTimeKeys = 4096

// Time bucket formats. The hour keeps its UTC offset: when clocks go back
// the same local hour happens twice and must stay two buckets.
const (
	dayLayout  = "2006-01-02"
	hourLayout = "2006-01-02T15:00-07:00"
)

var timeNeeds = []export.Field{export.FieldAttemptedAt}

// DayDimension groups rows by the calendar day of their attempted-at in
// loc (UTC when nil); rows without a timestamp are NoneKey.
func DayDimension(loc *time.Location) Dimension {
	loc = orUTC(loc)
	cache := map[int]string{}
	return Dimension{
		Name: DimDay,
		Keys: func(dst []string, rec *export.Record) []string {
			if !rec.HasTime {
				return append(dst, NoneKey)
			}
			t := rec.AttemptedAt.In(loc)
			y, m, d := t.Date()
			k := y*10000 + int(m)*100 + d
			key, ok := cache[k]
			if !ok {
				key = t.Format(dayLayout)
				if len(cache) < maxCachedTimeKeys { // a broken export may have a time per row
					cache[k] = key
				}
			}
			return append(dst, key)
		},
		Compare: compareTimeKeys(dayLayout, loc),
		Needs:   []Requirement{{DimDay, timeNeeds, ""}},
		fresh:   func() Dimension { return DayDimension(loc) },
	}
}

// HourDimension groups rows by the hour of their attempted-at in loc (UTC
// when nil), keyed like 2024-11-03T01:00-04:00.
func HourDimension(loc *time.Location) Dimension {
	loc = orUTC(loc)
	cache := map[int64]string{}
	return Dimension{
		Name: DimHour,
		Keys: func(dst []string, rec *export.Record) []string {
			if !rec.HasTime {
				return append(dst, NoneKey)
			}
			t := rec.AttemptedAt.In(loc)
			// The instant the local hour began identifies the bucket, the
			// repeated hour of a DST change included.
			start := t.Unix() - int64(t.Minute()*60+t.Second())
			key, ok := cache[start]
			if !ok {
				key = t.Format(hourLayout)
				if len(cache) < maxCachedTimeKeys { // a broken export may have a time per row
					cache[start] = key
				}
			}
			return append(dst, key)
		},
		Compare: compareTimeKeys(hourLayout, loc),
		Needs:   []Requirement{{DimHour, timeNeeds, ""}},
		fresh:   func() Dimension { return HourDimension(loc) },
	}
}

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// compareTimeKeys orders time bucket keys by the instant they start:
// text order is wrong when clocks go back in a zone east of UTC
// (02:00+02:00 comes before 02:00+01:00).
func compareTimeKeys(layout string, loc *time.Location) func(a, b string) int {
	return func(a, b string) int {
		ta, errA := time.ParseInLocation(layout, a, loc)
		tb, errB := time.ParseInLocation(layout, b, loc)
		if errA != nil || errB != nil {
			return CompareKeys(a, b)
		}
		return ta.Compare(tb)
	}
}

// LinkDomainDimension groups outbound rows by the domains their text links
// to (a text with two domains counts in both); texts without a link are
// NoneKey.
func LinkDomainDimension() Dimension {
	return Dimension{
		Name: DimLinkDomain,
		Keys: func(dst []string, rec *export.Record) []string {
			if rec.Inbound {
				return dst
			}
			n := len(dst)
			dst = links.Domains(dst, rec.Text)
			if len(dst) == n {
				dst = append(dst, NoneKey)
			}
			return dst
		},
		Needs: []Requirement{{DimLinkDomain, []export.Field{export.FieldText}, ""}},
	}
}

// StepDimension groups outbound rows by their step (initial, follow-up,
// conversation), which idx knows once the engine's first pass filled it.
// Outbound rows that name no contact are NoneKey.
func StepDimension(idx *steps.Index) Dimension {
	return Dimension{
		Name: DimStep,
		Keys: func(dst []string, rec *export.Record) []string {
			if rec.Inbound {
				return dst
			}
			if st, ok := idx.Of(rec); ok {
				return append(dst, string(st))
			}
			return append(dst, NoneKey)
		},
		Compare:    func(a, b string) int { return cmp.Compare(steps.Order(a), steps.Order(b)) },
		NeedsSteps: true,
	}
}

// FileDimension groups rows by the input they came from (its path as
// given, "-" for standard input).
func FileDimension() Dimension {
	return Dimension{
		Name: DimFile,
		Keys: func(dst []string, rec *export.Record) []string {
			if rec.Source == nil {
				return append(dst, NoneKey)
			}
			return append(dst, rec.Source.Path)
		},
	}
}

// keySep joins the parts of a nested key; a unit separator, which no
// export value should hold (one that does is replaced).
const keySep = "\x1f"

// Nested combines dimensions: each group is one combination of their keys,
// e.g. campaign 112 and sending number +15555550100. Its name joins theirs
// with commas.
func Nested(dims ...Dimension) Dimension {
	names := make([]string, len(dims))
	var needs []Requirement
	needsSteps := false
	for i, d := range dims {
		names[i] = d.Name
		needs = append(needs, d.Needs...)
		needsSteps = needsSteps || d.NeedsSteps
	}
	bufs := make([][]string, len(dims))
	var admitKey func(string, func(string) string) string
	if slices.ContainsFunc(dims, func(d Dimension) bool { return d.admitKey != nil }) {
		admitKey = func(key string, admit func(string) string) string {
			parts := SplitKey(key)
			for i, d := range dims {
				if d.admitKey != nil && i < len(parts) {
					parts[i] = d.admitKey(parts[i], admit)
				}
			}
			return strings.Join(parts, keySep)
		}
	}
	return Dimension{
		Name: strings.Join(names, ","),
		Keys: func(dst []string, rec *export.Record) []string {
			for i, d := range dims {
				bufs[i] = d.Keys(bufs[i][:0], rec)
				if len(bufs[i]) == 0 {
					return dst
				}
			}
			return appendProduct(dst, "", true, bufs)
		},
		Resolve: func(key string, cls *classify.Classifier) string {
			parts := SplitKey(key)
			for i, d := range dims {
				if d.Resolve != nil && i < len(parts) {
					parts[i] = d.Resolve(parts[i], cls)
				}
			}
			return strings.Join(parts, keySep)
		},
		Compare: func(a, b string) int {
			pa, pb := SplitKey(a), SplitKey(b)
			for i, d := range dims {
				if i >= len(pa) || i >= len(pb) {
					break
				}
				if c := compareWith(d, pa[i], pb[i]); c != 0 {
					return c
				}
			}
			return len(pa) - len(pb)
		},
		Needs:      needs,
		NeedsSteps: needsSteps,
		admitKey:   admitKey,
		fresh: func() Dimension {
			parts := make([]Dimension, len(dims))
			for i, d := range dims {
				parts[i] = d.forWorker()
			}
			return Nested(parts...)
		},
	}
}

// appendProduct appends every combination of one key from each list,
// joined with keySep.
func appendProduct(dst []string, prefix string, first bool, lists [][]string) []string {
	if len(lists) == 0 {
		return append(dst, prefix)
	}
	for _, k := range lists[0] {
		k = strings.ReplaceAll(k, keySep, " ")
		if !first {
			k = prefix + keySep + k
		}
		dst = appendProduct(dst, k, false, lists[1:])
	}
	return dst
}

// SplitKey splits a group key into the keys of its dimensions (one for a
// simple dimension).
func SplitKey(key string) []string { return strings.Split(key, keySep) }

// CompareKeys is the default key order: integers by value (campaign 99
// before 112), before other keys in text order; NoneKey last. Integers
// of one value written apart ("7", "07", "+7") go by text, so that no
// two keys tie and rows never come out in a map's order.
func CompareKeys(a, b string) int {
	if a == b {
		return 0
	}
	if a == NoneKey || b == NoneKey {
		if a == NoneKey {
			return 1
		}
		return -1
	}
	ia, okA := parseKeyInt(a)
	ib, okB := parseKeyInt(b)
	switch {
	case okA && okB:
		return cmp.Or(cmp.Compare(ia, ib), strings.Compare(a, b))
	case okA:
		return -1
	case okB:
		return 1
	}
	return strings.Compare(a, b)
}

// parseKeyInt is strconv.ParseInt(s, 10, 64) without the error value:
// sorting 100,000 groups compares keys about 1.7 million times, and a
// key that is not a number made ParseInt allocate an error each time.
func parseKeyInt(s string) (int64, bool) {
	digits := s
	if len(digits) > 0 && (digits[0] == '-' || digits[0] == '+') {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 18 { // 18 digits cannot overflow
		if len(digits) > 18 {
			n, err := strconv.ParseInt(s, 10, 64)
			return n, err == nil
		}
		return 0, false
	}
	var n int64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if s[0] == '-' {
		n = -n
	}
	return n, true
}

func compareWith(d Dimension, a, b string) int {
	if a == NoneKey || b == NoneKey || d.Compare == nil {
		return CompareKeys(a, b)
	}
	return d.Compare(a, b)
}

// MissingIn returns the first column the dimension needs that src lacks.
// A 0-byte input (no header, no rows) lacks nothing.
func (d Dimension) MissingIn(src *export.Source) (Requirement, bool) {
	if src.Dialect == export.Empty {
		return Requirement{}, false
	}
	for _, r := range d.Needs {
		if !slices.ContainsFunc(r.Fields, src.Has) {
			return r, true
		}
	}
	return Requirement{}, false
}

func orNone(s string) string {
	if s == "" {
		return NoneKey
	}
	return s
}

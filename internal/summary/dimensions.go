package summary

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spoke-status/spoke-status/internal/classify"
	"github.com/spoke-status/spoke-status/internal/export"
	"github.com/spoke-status/spoke-status/internal/links"
)

// NoneKey is the key of rows whose dimension value is empty.
const NoneKey = "(none)"

// Requirement is a column a dimension needs: any of Columns must be in an
// input's header.
type Requirement struct {
	Dimension string   // the dimension that needs it, e.g. "texter"
	What      string   // what the column holds, for messages: "texter"
	Columns   []string // header names, any of which will do
}

// Dimension names accepted by NewDimension.
const (
	DimCampaign      = "campaign"
	DimTexter        = "texter"
	DimSendingNumber = "sending-number"
	DimCode          = "code"
	DimCategory      = "category"
	DimDay           = "day"
	DimHour          = "hour"
	DimLinkDomain    = "link-domain"
	DimFile          = "file"
)

// DimensionNames lists the dimensions NewDimension knows, in the order
// the help text gives them.
func DimensionNames() []string {
	return []string{DimCampaign, DimTexter, DimSendingNumber, DimCode, DimCategory, DimDay, DimHour, DimLinkDomain, DimFile}
}

// MaxNested is how many dimensions one breakdown may nest.
const MaxNested = 2

// NewDimension returns the named dimension; "a,b" nests two of them (each
// group is one pair of keys). loc is the time zone of day and hour
// buckets (UTC when nil).
//
// A dimension keeps caches: make one per Aggregator, and do not share it
// between goroutines.
func NewDimension(name string, loc *time.Location) (Dimension, error) {
	parts := strings.Split(name, ",")
	if len(parts) > MaxNested {
		return Dimension{}, fmt.Errorf("%q nests %d dimensions; at most %d can be nested", name, len(parts), MaxNested)
	}
	dims := make([]Dimension, 0, len(parts))
	for _, p := range parts {
		d, err := simpleDimension(strings.TrimSpace(p), loc)
		if err != nil {
			return Dimension{}, err
		}
		dims = append(dims, d)
	}
	if len(dims) == 1 {
		return dims[0], nil
	}
	if dims[0].Name == dims[1].Name {
		return Dimension{}, fmt.Errorf("%q names the same dimension twice", name)
	}
	return Nested(dims...), nil
}

func simpleDimension(name string, loc *time.Location) (Dimension, error) {
	switch name {
	case DimCampaign:
		return CampaignDimension(), nil
	case DimTexter:
		return TexterDimension(), nil
	case DimSendingNumber:
		return SendingNumberDimension(), nil
	case DimCode:
		return CodeDimension(), nil
	case DimCategory:
		return CategoryDimension(), nil
	case DimDay:
		return DayDimension(loc), nil
	case DimHour:
		return HourDimension(loc), nil
	case DimLinkDomain:
		return LinkDomainDimension(), nil
	case DimFile:
		return FileDimension(), nil
	}
	return Dimension{}, fmt.Errorf("unknown dimension %q (known: %s)", name, strings.Join(DimensionNames(), ", "))
}

// CampaignDimension groups rows by campaign id.
func CampaignDimension() Dimension {
	return Dimension{
		Name: DimCampaign,
		Keys: func(dst []string, rec *export.Record) []string {
			return append(dst, orNone(rec.CampaignID))
		},
		Needs: []Requirement{{DimCampaign, "campaign id", []string{"campaign_id", "campaignId"}}},
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
				last.first, last.lastName, last.email = rec.TexterFirstName, rec.TexterLastName, rec.TexterEmail
				last.key = orNone(rec.TexterName())
			}
			return append(dst, last.key)
		},
		Needs: []Requirement{{DimTexter, "texter", []string{"texter[email]", "texter[firstName]", "texter[lastName]"}}},
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
		Needs: []Requirement{{DimSendingNumber, "sending number", []string{"user_number", "userNumber"}}},
	}
}

var codeNeeds = []string{"error_code", "errorCode", "errorCodes"}

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
		Needs: []Requirement{{DimCode, "error code", codeNeeds}},
	}
}

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
		Needs: []Requirement{{DimCategory, "error code", codeNeeds}},
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

var timeNeeds = []string{"attempted_at", "attemptedAt"}

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
		Needs:   []Requirement{{DimDay, "attempted-at", timeNeeds}},
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
		Needs:   []Requirement{{DimHour, "attempted-at", timeNeeds}},
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
		Needs: []Requirement{{DimLinkDomain, "text", []string{"text"}}},
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
	for i, d := range dims {
		names[i] = d.Name
		needs = append(needs, d.Needs...)
	}
	bufs := make([][]string, len(dims))
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
		Needs: needs,
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
// before 112), before other keys in text order; NoneKey last.
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
	ia, errA := strconv.ParseInt(a, 10, 64)
	ib, errB := strconv.ParseInt(b, 10, 64)
	switch {
	case errA == nil && errB == nil:
		return cmp.Compare(ia, ib)
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return strings.Compare(a, b)
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
		if !src.HasColumn(r.Columns...) {
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

package summary

import "github.com/spoke-status/spoke-status/internal/export"

// NoneKey is the key of rows whose dimension value is empty.
const NoneKey = "(none)"

// CampaignDimension groups rows by campaign id.
func CampaignDimension() Dimension {
	return Dimension{Name: "campaign", Keys: func(dst []string, rec *export.Record) []string {
		return append(dst, orNone(rec.CampaignID))
	}}
}

func orNone(s string) string {
	if s == "" {
		return NoneKey
	}
	return s
}

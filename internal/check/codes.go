package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spoke-status/spoke-status/internal/registry"
)

// CodeThresholds returns the names of the thresholds that measure error
// codes (code and category rates). On an input without an error-code
// column they would measure nothing and always pass, so the caller refuses
// them.
func CodeThresholds(ths []Threshold) []string {
	var names []string
	for _, th := range ths {
		if th.Metric == CodeRate || th.Metric == CategoryRate {
			names = append(names, th.Name())
		}
	}
	return names
}

// ForeignCodes warns about code thresholds that cannot match the export:
// the code is not in it, and the registry has it only for providers other
// than the export's (e.g. 30007, a Twilio code, on a Telnyx instance). A
// code that is in the export is never foreign, whoever defines it: Spoke
// Rewired writes Twilio codes on every instance. Spoke's own codes belong
// to every instance. Nothing is said when the provider is not one real
// provider (unknown, mixed) or the registry lacks the code.
func ForeignCodes(ths []Threshold, provider registry.Provider, reg *registry.Registry, seen map[string]int64) []string {
	switch provider {
	case registry.Twilio, registry.Telnyx, registry.Bandwidth:
	default:
		return nil
	}
	var warnings []string
	for _, th := range ths {
		if th.Metric != CodeRate || seen[th.Code] > 0 {
			continue
		}
		owners := codeOwners(reg, th.Code)
		if len(owners) == 0 || slices.Contains(owners, string(provider)) || slices.Contains(owners, string(registry.Spoke)) {
			continue
		}
		warnings = append(warnings, fmt.Sprintf("%s: code %s is a %s code, not in this %s export: the check can only pass",
			th.Name(), th.Code, strings.Join(owners, "/"), provider))
	}
	return warnings
}

func codeOwners(reg *registry.Registry, code string) []string {
	var owners []string
	for _, e := range reg.Entries(code) {
		owners = append(owners, string(e.Provider))
	}
	return owners
}

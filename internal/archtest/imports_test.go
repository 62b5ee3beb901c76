package archtest

import (
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/spoke-status/spoke-status/"

// layers ranks every package of the module (docs/architecture.md, "The
// packages"): a package may import only packages of a lower layer. A new
// package must be given its layer here, which is the point: where it sits
// in the data flow is a decision.
var layers = map[string]int{
	// 0: leaves, no package of the module.
	"internal/cputime": 0, "internal/csvfast": 0, "internal/hashpart": 0, "internal/hitrate": 0, "internal/jsonquote": 0, "internal/keycap": 0, "internal/output": 0,
	"internal/phone": 0, "internal/progress": 0, "internal/registry": 0, "internal/sanitize": 0,
	"internal/segments": 0, "internal/stats": 0, "internal/synth": 0, "internal/archtest": 0,
	// 1: reading rows, what a code means, the links of a text.
	"internal/export": 1, "internal/classify": 1, "internal/links": 1,
	// 2: a contact's identity and moments, and the source beside the files.
	"internal/steps": 2, "internal/dbsource": 2, "internal/dbsource/dbtest": 2,
	// 3: per-row consumers.
	"internal/rowfilter": 3, "internal/contacts": 3, "internal/van": 3, "internal/signals": 3,
	// 4: aggregation.
	"internal/summary": 4,
	// 5: the engine that runs a summary, and check's evaluation of one.
	"internal/engine": 5, "internal/check": 5,
	// 6: rendering and row outputs.
	"internal/render": 6, "internal/rowout": 6,
	// 7: the HTML report, built from rendered pieces.
	"internal/report": 7,
	// 8: the command line, which alone knows flags and commands.
	"internal/cli": 8,
	// 9: the binaries.
	"cmd/spoke-status": 9, "cmd/spoke-synth": 9,
}

// imports lists each package of the module with the module's packages it
// imports (tests excluded), from go list.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"...").Output()
	if err != nil {
		t.Skipf("go list: %v", err) // no toolchain: nothing to check against
	}
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module)
		graph[pkg] = nil
		for _, imp := range fields[1:] {
			if rel, ok := strings.CutPrefix(imp, module); ok {
				graph[pkg] = append(graph[pkg], rel)
			}
		}
	}
	return graph
}

// violations lists the imports of graph that break the layers, and the
// packages without one.
func violations(graph map[string][]string) []string {
	var pkgs, bad []string
	for p := range graph {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, pkg := range pkgs {
		layer, ok := layers[pkg]
		if !ok {
			bad = append(bad, pkg+" has no layer: add it to layers here and to docs/architecture.md")
			continue
		}
		for _, imp := range graph[pkg] {
			if l, ok := layers[imp]; ok && l >= layer {
				bad = append(bad, fmt.Sprintf("%s (layer %d) imports %s (layer %d): a package imports only lower layers", pkg, layer, imp, l))
			}
		}
	}
	return bad
}

func TestImportsFollowTheLayers(t *testing.T) {
	for _, v := range violations(imports(t)) {
		t.Error(v)
	}
}

// The rules must be able to fail: render importing cli, engine importing
// render, and a package without a layer are all caught.
func TestLayersCatchForbiddenImports(t *testing.T) {
	for _, graph := range []map[string][]string{
		{"internal/render": {"internal/cli"}},
		{"internal/engine": {"internal/render"}},
		{"internal/summary": {"internal/summary"}},
		{"internal/newthing": nil},
	} {
		if len(violations(graph)) == 0 {
			t.Errorf("%v passed the layers", graph)
		}
	}
}

// Only the binary imports the command line: render, engine and every
// other package must stay usable without cobra's flags.
func TestNoPackageImportsCLI(t *testing.T) {
	for pkg, imps := range imports(t) {
		for _, imp := range imps {
			if imp == "internal/cli" && pkg != "cmd/spoke-status" {
				t.Errorf("%s imports internal/cli", pkg)
			}
		}
	}
}

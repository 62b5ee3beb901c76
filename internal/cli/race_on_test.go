//go:build race

package cli

// raceEnabled: the race detector slows the code tenfold; the largest
// generated exports are left to the plain run.
const raceEnabled = true

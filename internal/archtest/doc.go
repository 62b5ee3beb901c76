// Package archtest holds the test that enforces the import rules of
// docs/architecture.md: data flows one way, and no package imports the
// command line.
package archtest

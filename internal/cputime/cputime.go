// Package cputime reads the CPU time the process has used, for the
// benchmarks that report CPU per row or per contact: on a machine shared
// with other work it varies far less than wall time.
package cputime

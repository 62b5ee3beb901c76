//go:build unix

package cputime

import "syscall"

// Used is the process's user and system CPU time in nanoseconds, or 0
// where it cannot be read.
func Used() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

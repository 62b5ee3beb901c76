//go:build !linux

package hashpart

// adviseHugePages does nothing: huge pages are asked for on Linux only.
func adviseHugePages[E any](s []E) {}

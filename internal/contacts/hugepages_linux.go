package contacts

import (
	"syscall"
	"unsafe"
)

// madvHugePage is MADV_HUGEPAGE (include/uapi/asm-generic/mman-common.h).
const madvHugePage = 14

// adviseHugePages asks the kernel to back the memory of s with huge pages
// (2 MiB) when it is first touched, where transparent huge pages are in
// "madvise" mode (the usual default). s must be freshly allocated and not
// yet written. The contact table is written at random across a hundred
// megabytes: with 4 KiB pages, the first touch of each was a page fault
// (62,000 a run on the 2.5M-row export, a third of a CPU second of
// system time), and the lookups missed the TLB. It is only advice: on
// failure, or with huge pages off, the memory is as before.
func adviseHugePages[E any](s []E) {
	if len(s) == 0 {
		return
	}
	const page = 4096
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), uintptr(len(s))*unsafe.Sizeof(s[0]))
	skip := int((page - uintptr(unsafe.Pointer(unsafe.SliceData(b)))%page) % page) // madvise wants an aligned start
	if skip >= len(b) {
		return
	}
	_ = syscall.Madvise(b[skip:], madvHugePage)
}

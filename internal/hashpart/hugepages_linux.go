package hashpart

import (
	"syscall"
	"unsafe"
)

// madvHugePage is MADV_HUGEPAGE (include/uapi/asm-generic/mman-common.h).
const madvHugePage = 14

// adviseHugePages asks the kernel to back the memory of s with huge pages
// (2 MiB) when it is first touched, where transparent huge pages are in
// "madvise" mode (the usual default); s must be freshly allocated and not
// yet written. It is only advice: on failure, or with huge pages off, the
// memory is as before. (As package contacts does for its table: a leaf
// package cannot import it.)
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

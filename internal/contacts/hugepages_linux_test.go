package contacts

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestAdviseHugePages checks, in /proc/self/smaps, that the memory of the
// table's pages and index is marked for huge pages (VmFlags "hg"), and
// that a slice too small to hold an aligned page is left alone.
func TestAdviseHugePages(t *testing.T) {
	tests := []struct {
		name  string
		bytes int
		want  bool
	}{
		{"a chunk of pages", chunkPages * pageSize * int(unsafe.Sizeof(record{})), true},
		{"an index", 4 << 20, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := make([]uint32, tt.bytes/4)
			adviseHugePages(s)
			// The middle of the slice is away from any neighbour's flags.
			addr := uint64(uintptr(unsafe.Pointer(&s[len(s)/2])))
			flags, ok := vmFlagsAt(t, addr)
			if !ok {
				t.Skip("no /proc/self/smaps entry for the slice")
			}
			if got := strings.Contains(" "+flags+" ", " hg "); got != tt.want {
				t.Errorf("VmFlags %q: huge pages advised = %v, want %v", flags, got, tt.want)
			}
		})
	}
	adviseHugePages([]uint32{}) // an empty slice is left alone
	adviseHugePages(make([]byte, 10))
}

// vmFlagsAt returns the VmFlags line of the mapping that holds addr.
func vmFlagsAt(t *testing.T, addr uint64) (string, bool) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no smaps: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := mappingRange(line); ok {
			in = lo <= addr && addr < hi
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmFlags:")), true
		}
	}
	return "", false
}

// mappingRange parses the "lo-hi perms ..." line that starts a mapping.
func mappingRange(line string) (lo, hi uint64, ok bool) {
	r, _, found := strings.Cut(line, " ")
	a, b, found2 := strings.Cut(r, "-")
	if !found || !found2 {
		return 0, 0, false
	}
	lo, err1 := strconv.ParseUint(a, 16, 64)
	hi, err2 := strconv.ParseUint(b, 16, 64)
	return lo, hi, err1 == nil && err2 == nil
}

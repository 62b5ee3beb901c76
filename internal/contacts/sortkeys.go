package contacts

import (
	"math/bits"
	"slices"
)

// sortKeys sorts keys as slices.SortFunc(keys, t.compareKeys) does. When
// no key has a long cell, the comparison needs only the keys, and this
// quicksort compares them inline: pdqsort through a comparison function
// was about a quarter of the output's CPU time.
func (t *table) sortKeys(keys []sortKey) {
	for i := range keys {
		if keys[i].n == longCell {
			slices.SortFunc(keys, t.compareKeys)
			return
		}
	}
	quickSortKeys(keys, 2*bits.Len(uint(len(keys))))
}

// keyLess orders keys without long cells as compareKeys does.
func keyLess(x, y *sortKey) bool {
	if x.rank != y.rank {
		return x.rank < y.rank
	}
	if x.hi != y.hi {
		return x.hi < y.hi
	}
	if x.lo != y.lo {
		return x.lo < y.lo
	}
	return x.n < y.n
}

// quickSortKeys sorts k: median-of-three quicksort, insertion sort for
// short runs, and heapsort once depth is spent (no input makes it
// quadratic).
func quickSortKeys(k []sortKey, depth int) {
	for len(k) > 12 {
		if depth == 0 {
			heapSortKeys(k)
			return
		}
		depth--
		// The median of the first, middle and last key goes to k[0].
		m, l := len(k)/2, len(k)-1
		if keyLess(&k[m], &k[0]) {
			k[m], k[0] = k[0], k[m]
		}
		if keyLess(&k[l], &k[m]) {
			k[l], k[m] = k[m], k[l]
			if keyLess(&k[m], &k[0]) {
				k[m], k[0] = k[0], k[m]
			}
		}
		k[0], k[m] = k[m], k[0]
		pivot := k[0]
		// Hoare partition: k[1:i] <= pivot, k[j+1:] >= pivot.
		i, j := 1, l
		for {
			for i <= j && keyLess(&k[i], &pivot) {
				i++
			}
			for i <= j && keyLess(&pivot, &k[j]) {
				j--
			}
			if i >= j {
				break
			}
			k[i], k[j] = k[j], k[i]
			i++
			j--
		}
		k[0], k[j] = k[j], k[0]
		// Recurse into the shorter side, loop on the longer.
		if j < len(k)-j {
			quickSortKeys(k[:j], depth)
			k = k[j+1:]
		} else {
			quickSortKeys(k[j+1:], depth)
			k = k[:j]
		}
	}
	for i := 1; i < len(k); i++ {
		for j := i; j > 0 && keyLess(&k[j], &k[j-1]); j-- {
			k[j], k[j-1] = k[j-1], k[j]
		}
	}
}

func heapSortKeys(k []sortKey) {
	down := func(root, n int) {
		for {
			c := 2*root + 1
			if c >= n {
				return
			}
			if c+1 < n && keyLess(&k[c], &k[c+1]) {
				c++
			}
			if !keyLess(&k[root], &k[c]) {
				return
			}
			k[root], k[c] = k[c], k[root]
			root = c
		}
	}
	for i := len(k)/2 - 1; i >= 0; i-- {
		down(i, len(k))
	}
	for i := len(k) - 1; i > 0; i-- {
		k[0], k[i] = k[i], k[0]
		down(0, i)
	}
}

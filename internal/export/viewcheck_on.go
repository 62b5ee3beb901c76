//go:build viewcheck

package export

// viewCheck (go test -tags viewcheck ./...) makes the rows read with
// Parallel.Views view a copy that is overwritten once each row is
// handled: a consumer that keeps a string of a row without cloning it
// then reads 0xff bytes instead, and the goldens and the 1-vs-N tests
// fail.
const viewCheck = true

func scribble(b []byte) {
	for i := range b {
		b[i] = 0xff
	}
}

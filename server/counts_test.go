package server_test

import (
	"testing"

	"nadra/dataset"
)

// registryCounts returns the embedded registry's number of deposits and of
// those with a point, counted from the dataset itself, so that tests do not
// hard-code figures other changes to the data move.
func registryCounts(t testing.TB) (deposits, located int) {
	t.Helper()
	ds, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds.Deposits {
		if d.HasLocation() {
			located++
		}
	}
	return len(ds.Deposits), located
}

// estimateCount returns the number of published figures the embedded
// dataset ships.
func estimateCount(t testing.TB) int {
	t.Helper()
	ds, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	return len(ds.Estimates)
}

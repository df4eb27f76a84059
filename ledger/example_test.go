package ledger_test

import (
	"fmt"

	"nadra"
	"nadra/ledger"
)

// A period is a year, a quarter or a month; PeriodBounds gives its first
// and last day.
func ExamplePeriodBounds() {
	for _, p := range []string{"2025", "2025-Q3", "2024-02"} {
		start, end, err := ledger.PeriodBounds(p)
		fmt.Println(p, start, end, err)
	}
	// Output:
	// 2025 2025-01-01 2025-12-31 <nil>
	// 2025-Q3 2025-07-01 2025-09-30 <nil>
	// 2024-02 2024-02-01 2024-02-29 <nil>
}

// Money is integer minor units; ToUSD converts hryvnias at the rate
// written on the entry (UAH per USD), rounding half away from zero, with
// no float anywhere: UAH 1,000.00 at 41.25 is 24.242424… USD, so $24.24.
func ExampleToUSD() {
	m, err := nadra.ParseMoney("1000.00")
	if err != nil {
		fmt.Println(err)
		return
	}
	usd, err := ledger.ToUSD(m, nadra.CurrencyUAH, "41.25")
	fmt.Println(usd, err)
	// Output: 24.24 <nil>
}

// PeriodWithin says whether one period lies inside another.
func ExamplePeriodWithin() {
	fmt.Println(ledger.PeriodWithin("2025-08", "2025-Q3"), ledger.PeriodWithin("2025-Q4", "2025-09"))
	// Output: true false
}

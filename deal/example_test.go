package deal_test

import (
	"fmt"

	"nadra/deal"
)

func ExampleIRR() {
	for _, flows := range [][]float64{
		{-100, 60, 60},    // a conventional investment
		{-100, 230, -132}, // two sign changes, two roots
		{-100, -50},       // never breaks even
	} {
		roots, kind := deal.IRR(flows)
		fmt.Printf("%v: %s", flows, kind)
		for _, r := range roots {
			fmt.Printf(" %.2f%%", r*100)
		}
		fmt.Println()
	}
	// Output:
	// [-100 60 60]: unique 13.07%
	// [-100 230 -132]: multiple 20.00% 10.00%
	// [-100 -50]: none
}

func ExampleNPV() {
	fmt.Printf("%.2f\n", deal.NPV(0.07, []float64{-75, 0, 0, 0, 0, 0, 0, 0, 0, 0, 150}))
	// Output: 1.25
}

package supply_test

import (
	"fmt"

	"nadra/supply"
)

func ExampleCompute() {
	m := &supply.Market{Unit: "t", Producers: []supply.Producer{{"CN", 60}, {"AU", 30}, {"US", 10}}}
	ms := supply.Compute(m, nil)
	fmt.Printf("China %.0f%%, top-3 %.0f%%, HHI %.0f\n", *ms.China*100, ms.Top3*100, ms.HHI)
	// Output: China 60%, top-3 100%, HHI 4600
}

func ExampleMarket_With() {
	m := &supply.Market{Unit: "t", Producers: []supply.Producer{{"CN", 60}, {"AU", 40}}}
	after, _ := m.With(supply.Producer{Country: "UA", Quantity: 20})
	c := supply.Compare(m, after, nil)
	fmt.Printf("China %.1f%% -> %.1f%% (%+.1f pp)\n", *c.Before.China*100, *c.After.China*100, *c.Change.China*100)
	// Output: China 60.0% -> 50.0% (-10.0 pp)
}

func ExampleTaylorLife() {
	// 80 Mt of ore: Taylor's rule gives a life of about 19 years, so a
	// capacity of about 4.2 Mt of ore a year.
	life := supply.TaylorLife(80e6)
	fmt.Printf("%.1f years, %.1f Mt/yr\n", life, 80/life)
	// Output: 18.9 years, 4.2 Mt/yr
}

func ExampleNewRisk() {
	r := supply.NewRisk(2.73, supply.RiskInputs{EoLRIR: fp(0.01)})
	fmt.Printf("%.2f (%s)\n", r.Value, r.Variant)
	// Output: 2.70 (global-supply)
}

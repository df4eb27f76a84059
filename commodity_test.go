package nadra_test

import (
	"math"
	"strings"
	"testing"

	"nadra"
)

// TestCommodity_Validate_Price checks that a price is positive and finite:
// a NaN or infinite price would make every in-situ value non-finite.
func TestCommodity_Validate_Price(t *testing.T) {
	for _, tt := range []struct {
		price float64
		ok    bool
	}{
		{25000, true},
		{0, false},
		{-1, false},
		{math.NaN(), false},
		{math.Inf(1), false},
	} {
		c := nadra.Commodity{Code: "lithium", Name: "Lithium", Basis: "Li2O", PriceUSDPerT: fp(tt.price), PriceYear: ip(2024),
			PriceSource: "a source", ListsSource: "lists", Class: nadra.ClassMetallic}
		err := c.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("price %v: got %v, want ok=%v", tt.price, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "price_usd_per_t") {
			t.Errorf("price %v: %v does not name price_usd_per_t", tt.price, err)
		}
	}
}

func TestCommodity_Validate_Class(t *testing.T) {
	for _, tt := range []struct {
		class string
		ok    bool
	}{{"metallic", true}, {"energy", true}, {"industrial", true}, {"", false}, {"Metallic", false}, {"fuel", false}} {
		c := nadra.Commodity{Code: "coal", Name: "Coal", Basis: "ore", ListsSource: "lists", Class: nadra.CommodityClass(tt.class)}
		err := c.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("class %q: got %v, want ok=%v", tt.class, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "class") {
			t.Errorf("class %q: %v does not name the class", tt.class, err)
		}
	}
}

package numfmt

import "testing"

func TestFormats(t *testing.T) {
	tests := []struct{ got, want string }{
		{Thousands(222970), "222,970"},
		{Thousands(999.6), "1,000"},
		{Thousands(-1500), "-1,500"},
		{Thousands(-0.2), "0"},
		{Thousands(12), "12"},
		{Thousands(1234567890), "1,234,567,890"},
		{Quantity(0.534), "0.53"},
		{Quantity(41400), "41,400"},
		{Quantity(7), "7"},
		{Pct(0.215), "21.5%"},
		{Pct(1), "100.0%"},
		{Human(2.53e6), "2.53M"},
		{Human(-6.04e9), "-6.04bn"},
		{Human(35000), "35.0k"},
		{Human(12.5), "12.5"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

// TestDecimal: figures as written, never in exponent form (the deposit
// pages printed 1.5e+06 and 7.6775991e+07), grouped by thousands.
func TestDecimal(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{7.6775991e+07, "76,775,991"},
		{1.5e+06, "1,500,000"},
		{47.4524, "47.4524"},
		{0.53, "0.53"},
		{999, "999"},
		{1000, "1,000"},
		{-1234.5, "-1,234.5"},
		{0, "0"},
		{1e21, "1,000,000,000,000,000,000,000"},
		{0.000012, "0.000012"},
	} {
		if got := Decimal(tt.v); got != tt.want {
			t.Errorf("Decimal(%g) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// TestDollars: the one dollar formatter and its two variants, which
// differ only in the minus sign and the digits.
func TestDollars(t *testing.T) {
	for _, tt := range []struct {
		name string
		f    func(float64) string
		v    float64
		want string
	}{
		{"USD", USD, 1.2e6, "$1.20M"},
		{"USD", USD, -3000, "-$3.0k"},
		{"USD", USD, 12.4e12, "$12.40T"},
		{"USDText", USDText, -6.04e9, "−$6.04bn"},
		{"USDText", USDText, 950, "$950"},
		{"USDRound", USDRound, 1.24e9, "$1.2bn"},
		{"USDRound", USDRound, 350.4e6, "$350M"},
		{"USDRound", USDRound, 2e12, "$2.00tn"},
		{"USDRound", USDRound, 899.6, "$900"},
		{"USDRound", USDRound, -1.24e9, "−$1.2bn"},
	} {
		if got := tt.f(tt.v); got != tt.want {
			t.Errorf("%s(%g) = %q, want %q", tt.name, tt.v, got, tt.want)
		}
	}
}

func TestSmallHelpers(t *testing.T) {
	half := 0.5
	tests := []struct{ got, want string }{
		{PctOf(nil), "n/a"},
		{PctOf(&half), "50.0%"},
		{EstMark(true), "e"},
		{EstMark(false), ""},
		{Signed(2, Thousands), "+2"},
		{Signed(-2, Thousands), "-2"},
		{Signed(0, Thousands), "0"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

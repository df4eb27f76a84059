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

package render

import (
	"bytes"
	"io"
	"math"
	"strings"
	"testing"
)

func draw(t *testing.T, write func(io.Writer) error) string {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, []byte(b.String()))
	return b.String()
}

func TestHistogramChart_WriteSVG(t *testing.T) {
	h := &HistogramChart{ID: "h", Title: "US NPV", XLabel: "PV", Source: "Source: test & more", Color: ColorUS,
		Lo: -75e6, Hi: 425e6, Counts: []int{500, 100, 0, 200, 180}, Below: 10, Above: 10, N: 1000,
		Mean: 77.7e6, P5: -75e6, P50: 40e6, P95: 269e6}
	svg := draw(t, h.WriteSVG)
	for _, want := range []string{`aria-labelledby="h-title h-desc"`, "<title id=\"h-title\">US NPV</title>", "Mean $77.7 m", "P5–P95 -$75.0 m to $269 m",
		"2.0% of paths beyond the axis", "Source: test &amp; more", ">mean<", ">P95<", `class="zero"`, "US$ m, PV", ">40%<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("histogram lacks %q", want)
		}
	}
	if n := strings.Count(svg[strings.Index(svg, `<g class="bars"`):], "<rect"); n != 4 {
		t.Errorf("%d bars, want 4 (empty bins are not drawn)", n)
	}
	// No paths: a message, not a broken chart.
	empty := draw(t, (&HistogramChart{ID: "e", Title: "x", Lo: math.NaN(), Hi: math.NaN()}).WriteSVG)
	if !strings.Contains(empty, "No paths to show") {
		t.Error("empty histogram without its message")
	}
}

func TestFanChart_WriteSVG(t *testing.T) {
	f := &FanChart{ID: "fan", Title: "Fund receipts by year", YLabel: "a year", Source: "Source: test", Color: ColorFund}
	for y := 2025; y <= 2055; y++ {
		x := float64(y-2025) * 1e6
		f.Years = append(f.Years, y)
		f.P5, f.P25, f.P50 = append(f.P5, 0), append(f.P25, x/2), append(f.P50, x)
		f.P75, f.P95, f.Mean = append(f.P75, 1.5*x), append(f.P95, 3*x), append(f.Mean, 1.2*x)
	}
	svg := draw(t, f.WriteSVG)
	for _, want := range []string{"P5–P95", "P25–P75", "median", ">2030<", ">2055<", "US$ m a year", "peaks in 2055 at $36.0 m"} {
		if !strings.Contains(svg, want) {
			t.Errorf("fan chart lacks %q", want)
		}
	}
	// A recorded figure above every path: drawn, and the scale grows to
	// take it (P95 peaks at $90 m; the point is $120 m in 2030, at x =
	// x0 + 5/30 of the plot's width).
	f.Recorded, f.RecordedLabel = []FanPoint{{Year: 2030, Value: 120e6, Label: "due"}, {Year: 2070, Value: 1, Label: "outside"}}, "recorded (public journal)"
	svg = draw(t, f.WriteSVG)
	if n := strings.Count(svg, `class="recorded"`); n != 1 {
		t.Errorf("%d recorded points drawn, want 1 (2070 is outside the chart's years)", n)
	}
	for _, want := range []string{"recorded (public journal)", "<title>2030: due, $120 m</title>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("fan chart with a recorded point lacks %q", want)
		}
	}
	// Nothing flows on any path.
	z := &FanChart{ID: "z", Years: []int{2025, 2026}, P5: []float64{0, 0}, P25: []float64{0, 0}, P50: []float64{0, 0}, P75: []float64{0, 0}, P95: []float64{0, 0}, Mean: []float64{0, 0}}
	if !strings.Contains(draw(t, z.WriteSVG), "Nothing flows") {
		t.Error("empty fan chart without its message")
	}
}

func TestTornadoChart_WriteSVG(t *testing.T) {
	tc := &TornadoChart{ID: "tor", Title: "What moves it", XLabel: "mean PV", Source: "Source: test", Base: 241e6,
		LowLabel: "P10 / low", HighLabel: "P90 / high",
		Bars: []TornadoBar{{"discount_rate", "0.05", "0.10", 500e6, 180e6}, {"a very long input name that cannot fit: lithium", "P10", "P90", 200e6, 280e6}}}
	svg := draw(t, tc.WriteSVG)
	for _, want := range []string{"discount_rate", "base $241 m", "a very long input name t…", "<title>discount_rate: $500 m at 0.05 (P10 / low), $180 m at 0.10 (P90 / high)</title>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("tornado lacks %q", want)
		}
	}
	if !strings.Contains(draw(t, (&TornadoChart{ID: "n", Title: "t"}).WriteSVG), "No sensitivity runs") {
		t.Error("empty tornado without its message")
	}
}

func TestUSDScale(t *testing.T) {
	for _, tt := range []struct {
		max, v float64
		want   string
	}{
		{5e9, 2.1e8, "$0.21 bn"},
		{5e8, -6.49e7, "-$64.9 m"},
		{5e8, 2.69e8, "$269 m"},
		{500, 12, "$12.0"},
	} {
		if got := usdScaleFor(tt.max).label(tt.v); got != tt.want {
			t.Errorf("label(%g) = %q, want %q", tt.v, got, tt.want)
		}
	}
	ticks := niceTicks(0, 1.6e9, 4)
	if got := usdScaleFor(1.6e9).tick(ticks[1], ticks); got != "0.5" {
		t.Errorf("tick %g = %q", ticks[1], got)
	}
}

package render_test

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/paulmach/orb"

	"nadra/render"
)

// DateX turns dates into x values (days since 1970-01-01), so that a
// time axis is a number axis.
func ExampleDateX() {
	fmt.Println(render.DateX("1970-01-02"), render.DateX("2025-01-01")-render.DateX("2024-01-01"))
	// Output: 1 366
}

// YearTicks labels a time axis at each 1 January in range.
func ExampleYearTicks() {
	for _, t := range render.YearTicks(render.DateX("2022-02-23"), render.DateX("2025-06-30"), 10) {
		fmt.Print(t.Label, " ")
	}
	fmt.Println()
	// Output: 2023 2024 2025
}

// A LineChart is one self-contained SVG: axes, lines, legend and
// sources, with an accessible title.
func ExampleLineChart_WriteSVG() {
	c := &render.LineChart{ID: "share", Title: "Share occupied", Width: 600, Height: 300,
		X: render.Axis{Ticks: render.YearTicks(render.DateX("2023-01-01"), render.DateX("2025-01-01"), 5)},
		Y: render.Axis{Label: "%", ZeroBased: true},
		Series: []render.Series{{Name: "lithium", Color: "#b2182b", Step: true, Points: []render.XY{
			{X: render.DateX("2023-01-01"), Y: 25}, {X: render.DateX("2024-01-01"), Y: 50}, {X: render.DateX("2025-01-01"), Y: 67}}}},
		Sources: []string{"Source: a fixture"}}
	var b strings.Builder
	if err := c.WriteSVG(&b); err != nil {
		fmt.Println(err)
		return
	}
	svg := b.String()
	fmt.Println(strings.HasPrefix(svg, "<svg"), strings.HasSuffix(strings.TrimSpace(svg), "</svg>"))
	fmt.Println(regexp.MustCompile(`<title[^>]*>[^<]*</title>`).FindString(svg))
	// Output:
	// true true
	// <title id="share-title">Share occupied</title>
}

// A Projection maps longitude and latitude to SVG units: an equal-area
// projection fitted to a shape, with north up.
func ExampleNewProjection() {
	sq := orb.MultiPolygon{{{{37, 47.5}, {38, 47.5}, {38, 48.5}, {37, 48.5}, {37, 47.5}}}}
	p := render.NewProjection(sq, 0, 1000, 0)
	x0, y0 := p.XY(orb.Point{37, 48.5})
	x1, y1 := p.XY(orb.Point{38, 47.5})
	fmt.Println(x0 < x1, y0 < y1, p.Width())
	fmt.Println(p.PolygonPath(sq, 0.5)[:1])
	// Output:
	// true true 1000
	// M
}

// A HistogramChart draws the distribution of a Monte Carlo output.
func ExampleHistogramChart_WriteSVG() {
	h := &render.HistogramChart{ID: "npv", Title: "US net present value", Lo: -2e9, Hi: 2e9,
		Counts: []int{1, 4, 10, 4, 1}, N: 20, Mean: 0, P5: -1.5e9, P50: 0, P95: 1.5e9}
	var b strings.Builder
	if err := h.WriteSVG(&b); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Count(b.String(), "<rect") >= 5, strings.Contains(b.String(), "US net present value"))
	// Output: true true
}

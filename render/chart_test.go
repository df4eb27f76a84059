package render

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

func wellFormed(t *testing.T, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := dec.Token(); err == io.EOF {
			return
		} else if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, b)
		}
	}
}

func TestLineChart_WriteSVG(t *testing.T) {
	pct := func(v float64) string { return strconv.FormatFloat(v*100, 'f', 0, 64) + "%" }
	c := &LineChart{ID: "t", Title: "Share & more", Subtitle: "<sub>", Width: 640, Height: 360,
		X: Axis{Label: "Date", Ticks: YearTicks(DateX("2022-04-03"), DateX("2026-08-22"), 8)},
		Y: Axis{Label: "Share inaccessible (%)", ZeroBased: true, Format: pct},
		Series: []Series{
			{Name: "by count", Color: Palette[0], Step: true, Points: []XY{{DateX("2022-04-03"), 0.1, "a"}, {DateX("2023-01-01"), math.NaN(), ""}, {DateX("2024-01-01"), 0.3, "c"}, {DateX("2026-08-22"), 0.32, "d"}}},
			{Name: "by value", Color: Palette[1], Dash: "6 3", Points: []XY{{DateX("2022-04-03"), 0.2, "a"}, {DateX("2026-08-22"), 0.4, "b"}}},
		},
		Marks:   []Mark{{X: DateX("2025-06-15"), Label: "1", Title: "Shevchenkivske: controlled → occupied"}},
		Sources: []string{"Source: DeepStateMap"},
		Attrs:   map[string]string{"data-commodity": "lithium"},
	}
	var b bytes.Buffer
	if err := c.WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, b.Bytes())
	s := b.String()
	for _, want := range []string{`data-commodity="lithium"`, ">2026<", ">0%<", ">40%<", "Share inaccessible (%)", "Shevchenkivske", "Source: DeepStateMap", `stroke-dasharray="6 3"`} {
		if !strings.Contains(s, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	// The NaN leaves a gap: the count series has two subpaths.
	i := strings.Index(s, `data-name="by count"`)
	d := s[strings.Index(s[i:], ` d="`)+i+4:]
	d = d[:strings.IndexByte(d, '"')]
	if strings.Count(d, "M") != 2 || !strings.Contains(d, "H") {
		t.Errorf("count path %q: want two subpaths with steps", d)
	}
}

func TestBarChart_WriteSVG(t *testing.T) {
	c := &BarChart{ID: "b", Title: "Lithium", Width: 600, Labels: []string{"Australia", "China", "Ukraine"},
		Series: []BarSeries{{Name: "before", Color: Palette[0], Values: []float64{0.4, 0.2, math.NaN()}},
			{Name: "after", Color: Palette[1], Values: []float64{0.38, 0.19, 0.05}}},
		X: Axis{Label: "Share of world production (%)"}, Sources: []string{"USGS"}}
	var b bytes.Buffer
	if err := c.WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, b.Bytes())
	if n := strings.Count(b.String(), `class="bar`); n != 5 {
		t.Errorf("%d bars, want 5 (no bar for a NaN)", n)
	}
}

func TestYearTicks(t *testing.T) {
	ticks := YearTicks(DateX("2022-04-03"), DateX("2026-08-22"), 10)
	var got []string
	for _, tk := range ticks {
		got = append(got, tk.Label)
	}
	if strings.Join(got, ",") != "2023,2024,2025,2026" {
		t.Errorf("ticks %v", got)
	}
	if n := len(YearTicks(DateX("2000-01-01"), DateX("2030-01-01"), 8)); n > 8 {
		t.Errorf("%d ticks, want at most 8", n)
	}
}

package render

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestAppendTenths(t *testing.T) {
	for _, tt := range []struct {
		v    int
		want string
	}{{0, "0"}, {5, ".5"}, {-5, "-.5"}, {10, "1"}, {123, "12.3"}, {-120, "-12"}} {
		if got := string(appendTenths(nil, tt.v)); got != tt.want {
			t.Errorf("appendTenths(%d) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestProjection(t *testing.T) {
	// A square of about 100 km by 111 km near Kyiv.
	sq := orb.MultiPolygon{{{{30, 50}, {31.4, 50}, {31.4, 51}, {30, 51}, {30, 50}}}}
	p := NewProjection(sq, 0, 1000, 0)
	if math.Abs(p.Width()-1000) > 1e-9 {
		t.Fatalf("width %g", p.Width())
	}
	x0, y0 := p.XY(orb.Point{30, 50})
	x1, y1 := p.XY(orb.Point{30, 51})
	if y1 >= y0 {
		t.Fatalf("north is not up: y %g then %g", y0, y1)
	}
	// One degree of latitude is about 111 km.
	if km := math.Hypot(x1-x0, y1-y0) / p.Units(1); math.Abs(km-111.2) > 1 {
		t.Fatalf("one degree of latitude is %.1f km on the map", km)
	}
	// LonLat inverts XY.
	if got := p.LonLat(p.XY(orb.Point{30.7, 50.4})); math.Abs(got[0]-30.7) > 1e-7 || math.Abs(got[1]-50.4) > 1e-7 {
		t.Fatalf("LonLat(XY) = %v", got)
	}
	d := p.PolygonPath(sq, 1)
	if !strings.HasPrefix(d, "M") || !strings.HasSuffix(d, "z") || strings.Count(d, "M") != 1 {
		t.Fatalf("path %q", d)
	}
	// Slivers below the tolerance are dropped.
	tiny := orb.MultiPolygon{{{{30, 50}, {30.0001, 50}, {30.0001, 50.0001}, {30, 50}}}}
	if d := p.PolygonPath(tiny, 1); d != "" {
		t.Fatalf("sliver drawn: %q", d)
	}
}

func TestMap_WriteSVG(t *testing.T) {
	sq := orb.MultiPolygon{{{{30, 50}, {31.4, 50}, {31.4, 51}, {30, 51}, {30, 50}}}}
	p := NewProjection(sq, 10, 800, 50)
	m := &Map{Proj: p, Title: "A <title> & more", Attrs: map[string]string{"data-x": `"q"`},
		Layers:  []Layer{{Class: "a", D: p.PolygonPath(sq, 1), Fill: "#eee", Stroke: "#333", StrokeWidth: 1, Title: "Area"}},
		Points:  []Point{{X: 10, Y: 20, R: 5, Class: "dep", Href: "/deposits/x?a=1&b=2", Title: "X", Data: map[string]string{"name": "X & Y"}}},
		Legend:  []LegendItem{{Label: "Area", Fill: "#eee"}, {Label: "Point", Fill: "#000", Circle: true}},
		Sources: []string{"Source: somewhere"}}
	var b bytes.Buffer
	if err := m.WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(&b)
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, b.String())
		}
	}
}

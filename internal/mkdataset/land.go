package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
)

// topology is the part of a TopoJSON file that land-10m.json uses.
type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Objects map[string]struct {
		Type       string `json:"type"`
		Geometries []struct {
			Type string          `json:"type"`
			Arcs json.RawMessage `json:"arcs"`
		} `json:"geometries"`
	} `json:"objects"`
	Arcs [][][2]float64 `json:"arcs"`
}

// readLand decodes the "land" object of Natural Earth's land-10m.json as
// redistributed in the npm package world-atlas@2.0.2 (TopoJSON: quantized,
// delta-encoded arcs) and clips it to bound.
func readLand(path string, bound orb.Bound) (orb.MultiPolygon, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	arcs := make([]orb.LineString, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y float64
		ls := make(orb.LineString, len(a))
		for j, d := range a {
			x += d[0]
			y += d[1]
			ls[j] = orb.Point{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
		}
		arcs[i] = ls
	}
	ring := func(idx []int) orb.Ring {
		var r orb.Ring
		for k, i := range idx {
			var a orb.LineString
			if i >= 0 {
				a = arcs[i]
			} else { // ~i, reversed
				src := arcs[^i]
				a = make(orb.LineString, len(src))
				for j := range src {
					a[j] = src[len(src)-1-j]
				}
			}
			if k > 0 {
				a = a[1:]
			}
			r = append(r, a...)
		}
		return r
	}
	var out orb.MultiPolygon
	for _, g := range t.Objects["land"].Geometries {
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return nil, err
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, err
			}
		}
		for _, p := range polys {
			var poly orb.Polygon
			for _, r := range p {
				poly = append(poly, ring(r))
			}
			if !poly.Bound().Intersects(bound) {
				continue
			}
			c := clip.Polygon(bound, poly)
			if len(c) > 0 && len(c[0]) >= 4 {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// The map under a scenario, on the page and as a standalone SVG.

package server

import (
	"bytes"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"nadra/internal/numfmt"
	"nadra/render"

	"github.com/paulmach/orb"
)

// scenarioPaths are a scenario's areas as map path data.
type scenarioPaths struct{ area, gain, loss, drawn string }

// Colours of land changing hands on the scenario map.
const (
	colGain = "url(#hatch-gain)" // to occupied
	colLoss = "url(#hatch-loss)" // back to Ukraine
)

// scenarioMapStyle adds a ring to deposits that change hands.
const scenarioMapStyle = mapStyle + `.moved circle{stroke:#CC79A7;stroke-width:4}`

func (v *scenarioView) mapPaths(m *mapBase) scenarioPaths {
	v.pathsOnce.Do(func() {
		v.paths = scenarioPaths{
			area:  m.proj.PolygonPath(v.ev.Area, mapTolerance),
			gain:  m.proj.PolygonPath(v.ev.ToOccupied, mapTolerance),
			loss:  m.proj.PolygonPath(v.ev.ToControlled, mapTolerance),
			drawn: m.proj.PolygonPath(v.drawn, mapTolerance),
		}
	})
	return v.paths
}

// renderScenarioMap draws the map under a scenario: its occupied area,
// the land changing hands each way, and the deposits coloured by their
// status under it, those changing hands ringed.
func (s *Server) renderScenarioMap(v *scenarioView) ([]byte, error) {
	mb := s.mapBase()
	sp := v.mapPaths(mb)
	res := v.ev.Result
	moved := map[string]string{}
	for _, d := range res.Diff.ToOccupied {
		moved[d.ID] = "becomes occupied under the scenario"
	}
	for _, d := range res.Diff.ToControlled {
		moved[d.ID] = "returns to Ukrainian control under the scenario"
	}
	m := &render.Map{
		Proj:     mb.proj,
		Title:    "Under the scenario: " + v.label,
		Subtitle: fmt.Sprintf("Against %s: %s to occupied, %d back; %s km² to occupied, %s km² back.", v.baselineText, deposits(len(res.Diff.ToOccupied)), len(res.Diff.ToControlled), numfmt.Thousands(res.Diff.ToOccupiedKm2), numfmt.Thousands(res.Diff.ToControlledKm2)),
		Style:    scenarioMapStyle,
		Attrs: map[string]string{
			"data-expr": v.expr, "data-baseline": v.baseline,
			"data-to-occupied": strconv.Itoa(len(res.Diff.ToOccupied)), "data-to-controlled": strconv.Itoa(len(res.Diff.ToControlled)),
			"data-to-occupied-km2": strconv.FormatFloat(res.Diff.ToOccupiedKm2, 'f', 0, 64), "data-to-controlled-km2": strconv.FormatFloat(res.Diff.ToControlledKm2, 'f', 0, 64),
			"data-area-len": strconv.Itoa(len(sp.area)),
		},
		Layers: []render.Layer{mb.land, mb.sea,
			{Class: "occupied", D: sp.area, Fill: colOccupied, Title: "Occupied under the scenario"},
			{Class: "gain", D: sp.gain, Fill: colGain, Title: fmt.Sprintf("Changes to occupied: %s km²", numfmt.Thousands(res.Diff.ToOccupiedKm2))},
			{Class: "loss", D: sp.loss, Fill: colLoss, Title: fmt.Sprintf("Returns to Ukraine: %s km²", numfmt.Thousands(res.Diff.ToControlledKm2))},
			{Class: "drawn", D: sp.drawn, Stroke: "#CC79A7", StrokeWidth: 2.5, Dash: "6 3", Title: "The drawn area (file:drawn)"},
		},
		Legend: []render.LegendItem{
			{Label: "Occupied under the scenario", Fill: colOccupied},
			{Label: "Changes to occupied", Fill: colGain},
			{Label: "Returns to Ukraine", Fill: colLoss},
			legendBorder,
			legendControlledDeposit,
			legendOccupiedDeposit,
			{Label: "Ringed: changes hands", Fill: "#fff", Stroke: "#CC79A7", Circle: true},
		},
		SizeLegend:      mb.sizeLegend,
		SizeLegendTitle: sizeLegendTitle,
		Sources: []string{
			"Scenario: " + v.label + ". Baseline: " + v.baselineText + ". Control areas: DeepStateMap.",
			sourceBoundaries,
			"Lambert azimuthal equal-area projection centred 49°N 32°E. Scenarios have no grey zone. nadra " + s.Version + ".",
		},
	}
	if sp.drawn != "" {
		m.Legend = append(m.Legend[:3], append([]render.LegendItem{{Label: "Drawn area (file:drawn)", Fill: "none", Stroke: "#CC79A7", Dash: "6 3"}}, m.Legend[3:]...)...)
	}
	m.Layers = append(m.Layers, mb.oblasts...)
	m.Layers = append(m.Layers, mb.outline, mb.borders)
	for _, d := range res.Scenario.Deposits {
		if d.Lat == nil || d.Lon == nil {
			continue
		}
		x, y := mb.proj.XY(orb.Point{*d.Lon, *d.Lat})
		class := "dep s-" + string(d.Status)
		if d.InSituUSD == nil {
			class += " novalue"
		}
		title := depositTitle(&d)
		if why, ok := moved[d.ID]; ok {
			class += " moved"
			title = "Changes hands: " + why + ". " + title
		}
		m.Points = append(m.Points, render.Point{X: x, Y: y, R: depositRadius(d.InSituUSD), Class: class, Href: "/deposits/" + d.ID, Title: title,
			Data: map[string]string{"id": d.ID, "status": string(d.Status)}})
	}
	sort.SliceStable(m.Points, func(i, j int) bool { return m.Points[i].R > m.Points[j].R })
	var b bytes.Buffer
	if err := m.WriteSVG(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// handleScenarioMapSVG handles the "GET /scenarios/map.svg" route: the
// map under ?expr= against ?baseline=, as a standalone SVG to download.
func (s *Server) handleScenarioMapSVG(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v, err := s.evalScenario(r.Context(), scenarioQuery{expr: q.Get("expr"), baseline: q.Get("baseline")})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	svg, err := s.renderScenarioMap(v)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-cache")
	if q.Get("download") != "" {
		w.Header().Set("Content-Disposition", `attachment; filename="nadra-scenario.svg"`)
	}
	w.Write(svg)
}

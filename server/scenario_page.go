// The scenarios page: pick or type a scenario, draw an area, see what
// changes hands.

package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"nadra"
	"nadra/internal/numfmt"
	"nadra/scenario"
)

// deposits says "1 deposit" or "n deposits".
func deposits(n int) string {
	if n == 1 {
		return "1 deposit"
	}
	return strconv.Itoa(n) + " deposits"
}

// scenarioSummary says what changes hands in one sentence.
func scenarioSummary(d *nadra.ScenarioDiff) string {
	deps := deposits
	return fmt.Sprintf("Against the baseline, %s would become occupied and %s would return to Ukrainian control; %s km² of land would change to occupied and %s km² back to Ukraine (net %s km² occupied).",
		deps(len(d.ToOccupied)), deps(len(d.ToControlled)), numfmt.Thousands(d.ToOccupiedKm2), numfmt.Thousands(d.ToControlledKm2), signedThousands(d.NetKm2))
}

func signedThousands(v float64) string {
	if v > 0.5 {
		return "+" + numfmt.Thousands(v)
	}
	return numfmt.Thousands(v)
}

// scenariosPage is the scenarios page's data.
type scenariosPage struct {
	Scenarios       []nadra.Scenario
	Expr, Baseline  string
	Drawn           string // GeoJSON of a polygon drawn on the map, if any
	Selected        *nadra.Scenario
	Error           *ErrorResponse
	ErrExpr         string // the expression with the error, and its column
	ErrCol          int
	ErrParam        string
	Map             template.HTML
	MapURL          string
	Summary         string
	Diff            *nadra.ScenarioDiff
	Scenario, Base  nadra.CommodityAccess // totals
	ByCommodity     []nadra.CommodityMove
	Regions         string
	DefaultBaseline string
	Label, BaseText string // the scenario and the baseline, ids expanded
	URL             string // the view's own URL, drawn area included
}

// handleScenariosPage handles the "GET /scenarios" and "POST /scenarios"
// routes: pick a shipped scenario or type an expression, and see the map
// under it and what changes hands. POST carries a polygon drawn on the
// map (the drawn field, GeoJSON) for file:drawn.
func (s *Server) handleScenariosPage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, nadra.Errorf(nadra.EINVALID, "form: %v", err))
		return
	}
	list, err := s.scenarioList(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := &scenariosPage{Scenarios: list, Expr: strings.TrimSpace(r.Form.Get("expr")), Baseline: strings.TrimSpace(r.Form.Get("baseline")),
		Regions: scenario.RegionHelp, DefaultBaseline: DefaultBaseline}
	if _, ok := r.Form["expr"]; !ok && len(list) > 0 {
		p.Expr = list[0].ID // a first view: the first shipped scenario
	}
	if p.Baseline == "" {
		p.Baseline = DefaultBaseline
	}
	for i := range list {
		if list[i].ID == p.Expr {
			p.Selected = &list[i]
		}
	}
	q := scenarioQuery{expr: p.Expr, baseline: p.Baseline}
	q.drawn, p.Drawn, err = s.pageDrawn(r)
	if err != nil {
		s.scenarioPageError(w, r, p, err)
		return
	}
	v, err := s.evalScenario(r.Context(), q)
	if err != nil {
		s.scenarioPageError(w, r, p, err)
		return
	}
	svg, err := s.renderScenarioMap(v)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	res := v.ev.Result
	p.Map = template.HTML(svg)
	if q.drawn == nil {
		p.MapURL = "/scenarios/map.svg?" + url.Values{"expr": {p.Expr}, "baseline": {p.Baseline}}.Encode()
	}
	p.URL = scenariosURL(p.Expr, p.Baseline, p.Drawn)
	p.Diff = &res.Diff
	p.Label, p.BaseText = v.label, v.baselineText
	p.Summary = scenarioSummary(&res.Diff)
	p.Scenario, p.Base = res.Scenario.Total, v.ev.Baseline.Total
	p.ByCommodity = append(p.ByCommodity, res.Diff.ByCommodity...)
	sort.SliceStable(p.ByCommodity, func(i, j int) bool {
		return math.Abs(deref64(p.ByCommodity[i].NetToOccupiedInSituUSD)) > math.Abs(deref64(p.ByCommodity[j].NetToOccupiedInSituUSD))
	})
	s.render(w, r, http.StatusOK, "scenarios", "Scenarios", p)
}

// pageDrawn reads the page's drawn area: the FeatureCollection to
// evaluate as file:drawn and the GeoJSON the page's URL carries, or nil
// and "" when none was drawn. It comes as corners in the map's units
// (drawn_svg, from the page's script) or as GeoJSON (drawn), by POST or
// in the URL: the page's URL carries it as GeoJSON, so a link
// reproduces the view.
func (s *Server) pageDrawn(r *http.Request) (fc []byte, geojson string, err error) {
	d := strings.TrimSpace(r.Form.Get("drawn"))
	if len(d) > maxDrawnURL {
		return nil, "", nadra.Errorf(nadra.EINVALID, "drawn: %d bytes of GeoJSON; at most %d.", len(d), maxDrawnURL)
	}
	if pts := strings.TrimSpace(r.Form.Get("drawn_svg")); pts != "" {
		raw, err := s.drawnFromSVG(pts)
		if err != nil {
			return nil, "", err
		}
		d = string(raw)
	}
	if d == "" {
		return nil, "", nil
	}
	fc, err = featureCollection(json.RawMessage(d))
	if err != nil {
		return nil, "", err
	}
	return fc, d, nil
}

func deref64(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// maxDrawnCorners bounds a polygon drawn on the map, and maxDrawnURL
// the GeoJSON of a drawn area in a request (200 corners of the page's
// rounded coordinates take about 5 KB).
const (
	maxDrawnCorners = 200
	maxDrawnURL     = 16 << 10
)

// scenariosURL is the scenarios page's URL for a view: the expression,
// the baseline unless it is the default, and a drawn area as GeoJSON.
func scenariosURL(expr, baseline, drawn string) string {
	v := url.Values{"expr": {expr}}
	if baseline != "" && baseline != DefaultBaseline {
		v.Set("baseline", baseline)
	}
	if drawn != "" {
		v.Set("drawn", drawn)
	}
	return "/scenarios?" + v.Encode()
}

// drawnFromSVG turns the corners of a polygon drawn on the scenario map,
// "x,y x,y …" in the map's SVG units, into GeoJSON in WGS84.
func (s *Server) drawnFromSVG(pts string) ([]byte, error) {
	mb := s.mapBase()
	fields := strings.Fields(strings.ReplaceAll(pts, ";", " "))
	if len(fields) > maxDrawnCorners {
		return nil, nadra.Errorf(nadra.EINVALID, "drawn_svg: %d corners; at most %d.", len(fields), maxDrawnCorners)
	}
	var ring [][2]float64
	for _, f := range fields {
		xs, ys, ok := strings.Cut(f, ",")
		x, errX := strconv.ParseFloat(xs, 64)
		y, errY := strconv.ParseFloat(ys, 64)
		if !ok || errX != nil || errY != nil || math.IsNaN(x+y) || x < 0 || x > mb.proj.Width() || y < 0 || y > mb.proj.Height() {
			return nil, nadra.Errorf(nadra.EINVALID, "drawn_svg: %q is not a point x,y on the map.", f)
		}
		ll := mb.proj.LonLat(x, y)
		pt := [2]float64{math.Round(ll[0]*1e5) / 1e5, math.Round(ll[1]*1e5) / 1e5}
		if len(ring) > 0 && ring[len(ring)-1] == pt {
			continue
		}
		ring = append(ring, pt)
	}
	if len(ring) > 1 && ring[0] == ring[len(ring)-1] {
		ring = ring[:len(ring)-1]
	}
	if len(ring) < 3 {
		return nil, nadra.Errorf(nadra.EINVALID, "drawn_svg: an area needs at least 3 corners; got %d.", len(ring))
	}
	ring = append(ring, ring[0])
	b, err := json.Marshal(map[string]any{"type": "Polygon", "coordinates": [][][2]float64{ring}})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// scenarioPageError shows the page with the error at the form: a 400
// with the column marked for a syntax error, or a 503 past the time
// budget, so that the expression can be changed.
func (s *Server) scenarioPageError(w http.ResponseWriter, r *http.Request, p *scenariosPage, err error) {
	e := errorFor(err)
	if e.status >= 500 && e.Code != ETIMEOUT {
		s.pageError(w, r, err)
		return
	}
	s.logError(r, e, err)
	for k, v := range e.GetHeaders() { // Retry-After, at the time budget
		w.Header()[k] = v
	}
	p.Error = e
	var xe *exprError
	if errors.As(err, &xe) {
		p.ErrExpr, p.ErrCol, p.ErrParam = xe.Expr, xe.Col, xe.Param
	}
	s.render(w, r, e.status, "scenarios", "Scenarios", p)
}

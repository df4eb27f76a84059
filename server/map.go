package server

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"nadra"
	"nadra/internal/numfmt"
	"nadra/render"

	"github.com/paulmach/orb"
)

// Map geometry: the SVG is mapWidth nominal pixels wide; shapes are
// simplified to mapTolerance units (about 1.4 km), below what a screen
// shows at that width.
const (
	mapWidth     = 1000.0
	mapTop       = 58.0 // heading band
	mapTolerance = 1.0
)

// Colours: the Okabe–Ito palette for symbols (safe for the common kinds of
// colour blindness), and areas told apart by lightness and hatching as
// well as hue.
const (
	colLand       = "#f3efe6"
	colSea        = "#d4e5f2"
	colOccupied   = "#f4a582"
	colPre2022    = "url(#hatch-pre2022)"
	colGrey       = "url(#hatch-grey)"
	colOblast     = "#8c8c8c"
	colOutline    = "#333333"
	colBorder     = "#7f2704"
	colControlled = "#0072B2" // blue
	colOccDep     = "#111111" // black
	colGreyDep    = "#E69F00" // orange
)

const mapStyle = `.dep circle{stroke-width:1.5;vector-effect:non-scaling-stroke}` +
	`.s-controlled circle{fill:#0072B2;stroke:#fff}.s-occupied circle{fill:#111;stroke:#fff}.s-grey circle{fill:#E69F00;stroke:#111}` +
	`.novalue circle{fill:#fff;stroke-width:2.5}.s-controlled.novalue circle{stroke:#0072B2}.s-occupied.novalue circle{stroke:#111}.s-grey.novalue circle{stroke:#E69F00}` +
	`.dep:hover circle,.dep:focus circle{stroke:#CC79A7;stroke-width:4}.dep:focus{outline:none}`

// What every deposit map's legend and sources say alike (the map page
// and the scenario map).
var (
	legendBorder            = render.LegendItem{Label: "Border with Russia, Belarus", Fill: "none", Stroke: colBorder, Dash: "5 3"}
	legendControlledDeposit = render.LegendItem{Label: "Deposit: controlled", Fill: colControlled, Stroke: "#fff", Circle: true}
	legendOccupiedDeposit   = render.LegendItem{Label: "Deposit: occupied", Fill: colOccDep, Stroke: "#fff", Circle: true}
)

const (
	sizeLegendTitle  = "In-situ value, an upper bound (US$):"
	sourceBoundaries = "Boundaries © OpenStreetMap contributors (ODbL) via geoBoundaries. Deposits and figures: nadra's dataset, a source on every row."
)

// mapBase is the part of the map that never changes: the projection,
// land, sea, oblasts, outline and hostile borders.
type mapBase struct {
	proj               *render.Projection
	land, sea, outline render.Layer
	oblasts            []render.Layer
	borders            render.Layer
	sizeLegend         []render.SizeItem
}

// snapshotPaths are one snapshot's areas as path data.
type snapshotPaths struct{ occupied, pre2022, grey string }

var (
	baseOnce sync.Once
	base     *mapBase
)

func (s *Server) mapBase() *mapBase {
	baseOnce.Do(func() {
		b := s.Boundaries
		p := render.NewProjection(b.Outline, 12, mapWidth, mapTop)
		m := &mapBase{proj: p}
		m.land = render.Layer{Class: "land", D: p.PolygonPath(b.Outline, mapTolerance), Fill: colLand}
		m.sea = render.Layer{Class: "sea", D: p.PolygonPath(b.Sea, mapTolerance), Fill: colSea, Title: "Sea (territorial waters and the Sea of Azov)"}
		var codes []string
		for code := range b.Oblasts {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			m.oblasts = append(m.oblasts, render.Layer{Class: "oblast", D: p.PolygonPath(b.Oblasts[code], mapTolerance),
				Stroke: colOblast, StrokeWidth: 0.6, Title: nadra.Oblasts[code] + " (" + code + ")"})
		}
		m.outline = render.Layer{Class: "outline", D: p.PolygonPath(b.Outline, mapTolerance), Stroke: colOutline, StrokeWidth: 1.2}
		var borders orb.MultiLineString
		for _, k := range []string{"RU", "BY"} {
			borders = append(borders, b.Borders[k]...)
		}
		m.borders = render.Layer{Class: "hostile-border", D: p.LinePath(borders, mapTolerance), Stroke: colBorder, StrokeWidth: 2, Dash: "5 3",
			Title: "Land border with Russia and Belarus (hostile ground for distances)"}
		for _, v := range []float64{1e9, 5e9, 15e9} {
			m.sizeLegend = append(m.sizeLegend, render.SizeItem{R: depositRadius(&v), Label: "$" + strconv.FormatFloat(v/1e9, 'f', -1, 64) + "bn"})
		}
		base = m
	})
	return base
}

// depositRadius sizes a deposit's circle by in-situ value: area
// proportional to value, on a fixed scale so that maps of different dates
// compare. nil (value unknown) gets a small hollow circle.
func depositRadius(usd *float64) float64 {
	if usd == nil {
		return 4
	}
	return math.Max(4, 24*math.Sqrt(*usd/15e9))
}

func (e *classifierEntry) snapshotPaths(m *mapBase) snapshotPaths {
	e.pathsOnce.Do(func() {
		snap := e.c.Snapshot()
		e.paths = snapshotPaths{
			occupied: m.proj.PolygonPath(snap.Occupied, mapTolerance),
			pre2022:  m.proj.PolygonPath(snap.Pre2022, mapTolerance),
			grey:     m.proj.PolygonPath(snap.Grey, mapTolerance),
		}
	})
	return e.paths
}

// mapView is what the map page shows besides the SVG.
type mapView struct {
	Date, Snapshot, Commodity string
	Class                     string                // commodity class, "" for all
	Classes                   []string              // for the filter
	Row                       nadra.CommodityAccess // the commodity's row, or the total
	Info                      nadra.SnapshotInfo
	Snapshots                 []nadra.SnapshotInfo
	Headline                  string
	Commodities               []string // with deposits, for the filter
}

// headline says the share inaccessible in one sentence.
func headline(v *accessView, row nadra.CommodityAccess, commodity string) string {
	what := "deposits"
	if v.Report.Class != "" {
		what = v.Report.Class + " deposits"
	}
	if commodity != "" {
		what = strings.ReplaceAll(commodity, "_", " ") + " deposits"
	}
	if row.Coverage.Located == 0 || row.ShareCount == nil {
		return fmt.Sprintf("On %s no located %s.", v.Date, what)
	}
	s := fmt.Sprintf("On %s, %s of located %s (%d of %d) are occupied or in the grey zone",
		v.Date, pctStr(row.ShareCount), what, row.InaccessibleDeposits, row.Coverage.Located)
	if row.ShareValue != nil {
		s += fmt.Sprintf("; by in-situ value (an upper bound), %s of the %d valued", pctStr(row.ShareValue), row.Coverage.Valued)
	}
	return s + "."
}

// subtitle is the headline short enough for one line of the SVG.
func subtitle(v *accessView, row nadra.CommodityAccess, commodity string) string {
	what := "deposits"
	if v.Report.Class != "" {
		what = v.Report.Class + " deposits"
	}
	if commodity != "" {
		what = strings.ReplaceAll(commodity, "_", " ") + " deposits"
	}
	s := fmt.Sprintf("Snapshot %s. Occupied or grey: %s of located %s (%d of %d)", v.Info.Date, pctStr(row.ShareCount), what, row.InaccessibleDeposits, row.Coverage.Located)
	if row.ShareValue != nil {
		s += fmt.Sprintf(", %s of in-situ value (%d valued)", pctStr(row.ShareValue), row.Coverage.Valued)
	}
	return s + "."
}

func pctStr(p *float64) string {
	if p == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*p*100, 'f', 0, 64) + "%"
}

// renderMap draws the map at date for commodity and commodity class
// ("" for all).
func (s *Server) renderMap(ctx context.Context, date, commodity, classParam string) ([]byte, *mapView, error) {
	class, err := parseClass("class", classParam)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.accessAtClass(ctx, date, class)
	if err != nil {
		return nil, nil, err
	}
	row := v.Report.Total
	found := commodity == ""
	for _, r := range v.Report.ByCommodity {
		if r.Commodity == commodity {
			row, found = r, true
		}
	}
	if !found {
		in := ""
		if class != "" {
			in = " of class " + string(class)
		}
		return nil, nil, nadra.Errorf(nadra.EINVALID, "commodity: no deposits with commodity %q%s; expected one of %s.", commodity, in, strings.Join(commodityCodes(v.Report), ", "))
	}
	mv := &mapView{Date: v.Date, Snapshot: v.Info.Date, Commodity: commodity, Class: string(class), Row: row, Info: v.Info, Snapshots: v.Snapshots,
		Headline: headline(v, row, commodity), Commodities: commodityCodes(v.Report)}
	for _, c := range nadra.CommodityClasses {
		mv.Classes = append(mv.Classes, string(c))
	}

	mb := s.mapBase()
	sp := v.entry.snapshotPaths(mb)
	greyLabel := "Grey zone (contested)"
	if !v.Info.GreyKnown {
		greyLabel = "Grey zone: not in this source"
	}
	m := &render.Map{
		Proj:     mb.proj,
		Title:    "Ukraine's mineral deposits and the front line, " + v.Date,
		Subtitle: subtitle(v, row, commodity),
		Style:    mapStyle,
		Attrs: map[string]string{
			"data-date": v.Date, "data-snapshot": v.Info.Date, "data-commodity": commodity, "data-class": string(class),
			"data-share-count": floatAttr(row.ShareCount), "data-share-value": floatAttr(row.ShareValue),
			"data-inaccessible": strconv.Itoa(row.InaccessibleDeposits), "data-located": strconv.Itoa(row.Coverage.Located),
			"data-valued": strconv.Itoa(row.Coverage.Valued), "data-occupied-km2": strconv.FormatFloat(v.Info.OccupiedKm, 'f', 0, 64),
			"data-grey-known": strconv.FormatBool(v.Info.GreyKnown), "data-headline": mv.Headline,
		},
		Layers: []render.Layer{mb.land, mb.sea,
			{Class: "occupied", D: sp.occupied, Fill: colOccupied, Title: "Occupied since 24 February 2022 (on " + v.Info.Date + ")"},
			{Class: "occupied-pre2022", D: sp.pre2022, Fill: colPre2022, Title: "Occupied before 2022 (Crimea, parts of Donetsk and Luhansk)"},
			{Class: "grey", D: sp.grey, Fill: colGrey, Title: "Grey zone: contested (on " + v.Info.Date + ")"},
		},
		Legend: []render.LegendItem{
			{Label: "Occupied since 2022", Fill: colOccupied},
			{Label: "Occupied before 2022", Fill: colPre2022},
			{Label: greyLabel, Fill: colGrey},
			legendBorder,
			legendControlledDeposit,
			legendOccupiedDeposit,
			{Label: "Deposit: grey zone", Fill: colGreyDep, Stroke: "#111", Circle: true},
			{Label: "Hollow: value unknown", Fill: "#fff", Stroke: "#333", Circle: true},
		},
		SizeLegend:      mb.sizeLegend,
		SizeLegendTitle: sizeLegendTitle,
		Sources: []string{
			"Control areas: DeepStateMap, snapshot of " + v.Info.Date + " (" + v.Info.Source + ").",
			sourceBoundaries,
			"Lambert azimuthal equal-area projection centred 49°N 32°E. Value = contained quantity × price: an upper bound. nadra " + s.Version + ".",
		},
	}
	m.Layers = append(m.Layers, mb.oblasts...)
	m.Layers = append(m.Layers, mb.outline, mb.borders)

	for _, d := range v.Report.Deposits {
		if d.Lat == nil || d.Lon == nil {
			continue
		}
		if commodity != "" && !contains(d.Commodities, commodity) {
			continue
		}
		x, y := mb.proj.XY(orb.Point{*d.Lon, *d.Lat})
		class := "dep s-" + string(d.Status)
		if d.InSituUSD == nil {
			class += " novalue"
		}
		m.Points = append(m.Points, render.Point{X: x, Y: y, R: depositRadius(d.InSituUSD), Class: class,
			Href: "/deposits/" + d.ID, Title: depositTitle(&d), Data: map[string]string{
				"id": d.ID, "name": d.Name, "oblast": nadra.Oblasts[d.Oblast], "status": statusText(&d),
				"commodities": strings.Join(d.Commodities, ", "), "distance": distanceText(&d),
				"precision": kmText(d.PrecisionKm), "uncertain": strconv.FormatBool(d.Uncertain), "value": usdText(d.InSituUSD),
			}})
	}
	sort.SliceStable(m.Points, func(i, j int) bool { return m.Points[i].R > m.Points[j].R })
	var buf bytes.Buffer
	if err := m.WriteSVG(&buf); err != nil {
		return nil, nil, err
	}
	return buf.Bytes(), mv, nil
}

func commodityCodes(rep *nadra.AccessReport) []string {
	var out []string
	for _, r := range rep.ByCommodity {
		if r.Coverage.Located > 0 {
			out = append(out, r.Commodity)
		}
	}
	return out
}

func floatAttr(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', 4, 64)
}

func statusText(d *nadra.DepositAccess) string {
	switch d.Status {
	case nadra.StatusOccupied:
		if d.Since != nil {
			return "occupied since " + *d.Since
		}
		return "occupied"
	case nadra.StatusGrey:
		return "grey zone (contested)"
	}
	return string(d.Status)
}

func distanceText(d *nadra.DepositAccess) string {
	if d.DistanceKm == nil {
		return "unknown"
	}
	if d.Status == nadra.StatusControlled {
		return kmText(d.DistanceKm) + " km to hostile ground"
	}
	return kmText(d.DistanceKm) + " km to controlled ground"
}

func kmText(p *float64) string {
	if p == nil {
		return "?"
	}
	if *p >= 10 {
		return strconv.FormatFloat(*p, 'f', 0, 64)
	}
	return strconv.FormatFloat(*p, 'f', 1, 64)
}

// usdText formats dollars for people: "$1.2bn", "$350M", "unknown".
func usdText(p *float64) string {
	if p == nil {
		return "unknown"
	}
	return numfmt.USDRound(*p)
}

func depositTitle(d *nadra.DepositAccess) string {
	t := fmt.Sprintf("%s (%s): %s; %s; position ±%s km", d.Name, nadra.Oblasts[d.Oblast], statusText(d), distanceText(d), kmText(d.PrecisionKm))
	if d.Uncertain {
		t += " (status uncertain: the position's error exceeds the distance)"
	}
	t += "; " + strings.Join(d.Commodities, ", ")
	if d.InSituUSD != nil {
		t += "; in situ ≤ " + usdText(d.InSituUSD)
	}
	return t
}

// handleMapSVG handles the "GET /map.svg" route: the map at ?date= for
// ?commodity=, as a standalone SVG. The page fetches it on every slider
// move.
func (s *Server) handleMapSVG(w http.ResponseWriter, r *http.Request) {
	date, err := parseDate("date", r.URL.Query().Get("date"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	commodity, class := r.URL.Query().Get("commodity"), r.URL.Query().Get("class")
	if r.URL.Query().Get("download") == "" {
		// The same map for everyone until an import: kept compressed, with
		// an ETag (respcache.go).
		_, _, dk, err := s.access.state(r.Context())
		if err != nil {
			s.Error(w, r, err)
			return
		}
		ctx := context.WithoutCancel(r.Context())
		s.serveCached(w, r, "map.svg|"+dk+"|"+date+"|"+commodity+"|"+class, "image/svg+xml", func() ([]byte, error) {
			svg, _, err := s.renderMap(ctx, date, commodity, class)
			return svg, err
		})
		return
	}
	svg, mv, err := s.renderMap(r.Context(), date, commodity, class)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-cache")
	{
		name := "nadra-map-" + mv.Date
		if mv.Class != "" {
			name += "-" + mv.Class
		}
		if mv.Commodity != "" {
			name += "-" + mv.Commodity
		}
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.svg"`)
	}
	w.Write(svg)
}

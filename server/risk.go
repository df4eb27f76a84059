package server

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"nadra"
	"nadra/geo"
	"nadra/internal/decimal"
	"nadra/render"

	"github.com/danielgtaylor/huma/v2"
	"github.com/paulmach/orb"
)

// riskData is the risk series of every located deposit over every
// snapshot, computed once per registry and snapshot list.
type riskData struct {
	series    []nadra.DepositRisk
	byID      map[string]*nadra.DepositRisk
	unlocated []string
}

// riskSeries returns the risk series, computed once per state (registry
// and snapshot list) and cached like the timeline.
func (s *Server) riskSeries(ctx context.Context) (*riskData, error) {
	reg, infos, key, err := s.access.state(ctx)
	if err != nil {
		return nil, err
	}
	if len(infos) == 0 {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "No control snapshots in the database; import some with `nadra import control`.")
	}
	return s.risks.get(key, func() (*riskData, error) {
		snaps := make([]*nadra.Snapshot, len(infos))
		for i, info := range infos {
			sn, err := s.snapshot(ctx, info)
			if err != nil {
				return nil, err
			}
			snaps[i] = sn
		}
		rd := &riskData{series: geo.RiskSeries(snaps, s.Boundaries, reg.Deposits, 0), byID: map[string]*nadra.DepositRisk{}}
		for i := range rd.series {
			rd.byID[rd.series[i].ID] = &rd.series[i]
		}
		for _, d := range reg.Deposits {
			if !d.HasLocation() {
				rd.unlocated = append(rd.unlocated, d.ID)
			}
		}
		return rd, nil
	})
}

// licences returns the licence register, or none when the server has no
// licence service.
func (s *Server) licences(ctx context.Context) ([]*nadra.Licence, error) {
	if s.Licences == nil {
		return nil, nil
	}
	return s.Licences.FindLicences(ctx, nadra.LicenceFilter{})
}

// RiskInput is the risk report's query.
type RiskInput struct {
	Deposit  string `query:"deposit" maxLength:"64" doc:"Only this deposit (and its licences)." example:"dobra"`
	WithinKm string `query:"within_km" maxLength:"32" doc:"Only deposits whose uncertainty circle is within this many km (0 to 2000) of hostile ground on the latest snapshot." example:"50"`
}

// RiskOutput is the risk report.
type RiskOutput struct{ Body *nadra.RiskReport }

// UpdatesOutput says when the control snapshots were last brought up to date.
type UpdatesOutput struct{ Body *Updates }

// Updates is the state of the background fetches.
type Updates struct {
	// FetchEvery is nadra serve's --fetch-every, "" when off.
	FetchEvery string `json:"fetch_every"`
	// LastSuccess is the last fetch that succeeded; Last the last one,
	// whatever its outcome. nil when there has been none.
	LastSuccess *nadra.FetchRun `json:"last_success"`
	Last        *nadra.FetchRun `json:"last"`
	// LatestSnapshot is the date of the latest control snapshot stored.
	LatestSnapshot string `json:"latest_snapshot"`
}

func (s *Server) registerRiskRoutes() {
	register(s, s.api, huma.Operation{
		OperationID: "get-risk-report",
		Method:      http.MethodGet,
		Path:        "/risk",
		Summary:     "Distance to the front over every snapshot",
		Description: "For every located deposit, over every control snapshot: its status, the distance from its uncertainty circle (point ± precision_km) to hostile ground, the point's own distance, and the rate of approach in km a month since the snapshot before (positive: the front came closer); deposits closest first; then every licence at its deposit's distance. As `nadra report risk --json`.",
		Tags:        []string{"access"},
	}, s.handleRisk)
	register(s, s.api, huma.Operation{
		OperationID: "get-updates",
		Method:      http.MethodGet,
		Path:        "/updates",
		Summary:     "When the control snapshots were last updated",
		Description: "The background fetches of `nadra serve --fetch-every`: the last successful one and the last one, and the latest snapshot stored.",
		Tags:        []string{"access"},
	}, s.handleUpdates)
}

// parseWithinKm checks the within_km parameter.
func parseWithinKm(param, v string) (*float64, error) {
	if v == "" {
		return nil, nil
	}
	km, ok := decimal.Parse(v)
	if !ok {
		return nil, nadra.Errorf(nadra.EINVALID, "%s: %q is not a decimal number of km.", param, nadra.Truncate(v, 40))
	}
	if err := nadra.CheckKm(param, km); err != nil {
		return nil, err
	}
	return &km, nil
}

// handleRisk handles the "GET /api/v1/risk" route.
func (s *Server) handleRisk(ctx context.Context, in *RiskInput) (*RiskOutput, error) {
	within, err := parseWithinKm("within_km", in.WithinKm)
	if err != nil {
		return nil, err
	}
	rd, err := s.riskSeries(ctx)
	if err != nil {
		return nil, err
	}
	ls, err := s.licences(ctx)
	if err != nil {
		return nil, err
	}
	rep, err := nadra.BuildRiskReport(rd.series, ls, rd.unlocated, nadra.RiskOptions{DepositID: in.Deposit, WithinKm: within})
	if err != nil {
		return nil, err
	}
	return &RiskOutput{Body: rep}, nil
}

// handleUpdates handles the "GET /api/v1/updates" route.
func (s *Server) handleUpdates(ctx context.Context, _ *struct{}) (*UpdatesOutput, error) {
	u, err := s.updates(ctx)
	if err != nil {
		return nil, err
	}
	return &UpdatesOutput{Body: u}, nil
}

func (s *Server) updates(ctx context.Context) (*Updates, error) {
	u := &Updates{}
	if s.FetchEvery > 0 {
		u.FetchEvery = s.FetchEvery.String()
	}
	if s.Fetches != nil {
		var err error
		if u.LastSuccess, u.Last, err = s.Fetches.LastFetches(ctx); err != nil {
			return nil, err
		}
	}
	_, _, infos, err := s.access.load(ctx)
	if err != nil {
		return nil, err
	}
	if len(infos) > 0 {
		u.LatestSnapshot = infos[len(infos)-1].Date
	}
	return u, nil
}

// updateLine says in a sentence when the data was last updated, for the
// dashboard.
func updateLine(u *Updates) string {
	s := "Latest control snapshot: " + orUnknown(u.LatestSnapshot) + ". "
	switch {
	case u.LastSuccess != nil:
		s += fmt.Sprintf("Last successful update from DeepStateMap: %s UTC (%d new snapshots).",
			u.LastSuccess.FinishedAt.UTC().Format("2006-01-02 15:04"), u.LastSuccess.Imported)
	case u.FetchEvery != "":
		s += "No successful update from DeepStateMap yet."
	default:
		s += "Automatic updates are off (nadra serve --fetch-every 24h turns them on)."
	}
	if u.Last != nil && !u.Last.OK && (u.LastSuccess == nil || u.Last.ID != u.LastSuccess.ID) {
		s += fmt.Sprintf(" The last attempt, at %s UTC, failed and is being retried; the data shown is from before it.", u.Last.FinishedAt.UTC().Format("2006-01-02 15:04"))
	}
	if u.FetchEvery != "" {
		s += " Updates every " + u.FetchEvery + "."
	}
	return s
}

func orUnknown(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// closestRow is one row of the map page's "closest to the front" table.
type closestRow struct {
	Rank                 int
	ID, Name, Oblast     string
	Status               nadra.Status
	Km, PointKm, PrecKm  float64
	Rate                 *float64
	RateText, TrendClass string
	Licences             int
}

// closestView is the table at one date.
type closestView struct {
	Date, Snapshot, Commodity string
	Rows                      []closestRow
	Of                        int // deposits ranked
}

// maxClosest is how many rows the table shows.
const maxClosest = 10

// closest ranks the located deposits (of commodity, "" for all) that are
// not occupied on the snapshot in force on date by their distance to the
// front, closest first.
func (s *Server) closest(ctx context.Context, date, commodity string, snapshot string) (*closestView, error) {
	rd, err := s.riskSeries(ctx)
	if err != nil {
		return nil, err
	}
	ls, err := s.licences(ctx)
	if err != nil {
		return nil, err
	}
	count := map[string]int{}
	for _, l := range ls {
		count[l.DepositID]++
	}
	v := &closestView{Date: date, Snapshot: snapshot, Commodity: commodity}
	type cand struct {
		d *nadra.DepositRisk
		p nadra.RiskPoint
	}
	var cs []cand
	for i := range rd.series {
		d := &rd.series[i]
		if commodity != "" && !contains(d.Commodities, commodity) {
			continue
		}
		p, ok := d.PointAt(snapshot)
		if !ok || p.Status == nadra.StatusOccupied {
			continue
		}
		cs = append(cs, cand{d, p})
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.p.DistanceKm != b.p.DistanceKm {
			return a.p.DistanceKm < b.p.DistanceKm
		}
		if a.p.Status != b.p.Status {
			return a.p.Status == nadra.StatusControlled
		}
		if a.p.PointKm != b.p.PointKm {
			return a.p.PointKm < b.p.PointKm
		}
		return a.d.ID < b.d.ID
	})
	v.Of = len(cs)
	for i, c := range cs {
		if i == maxClosest {
			break
		}
		r := closestRow{Rank: i + 1, ID: c.d.ID, Name: c.d.Name, Oblast: nadra.Oblasts[c.d.Oblast], Status: c.p.Status,
			Km: c.p.DistanceKm, PointKm: c.p.PointKm, PrecKm: c.d.PrecisionKm, Rate: c.p.ApproachKmPerMonth, Licences: count[c.d.ID]}
		switch {
		case r.Rate == nil:
			r.RateText, r.TrendClass = "—", "none"
		case *r.Rate > 0:
			r.RateText, r.TrendClass = "+"+strconv.FormatFloat(*r.Rate, 'f', 2, 64), "closer"
		case *r.Rate < 0:
			r.RateText, r.TrendClass = "−"+strconv.FormatFloat(-*r.Rate, 'f', 2, 64), "farther"
		default:
			r.RateText, r.TrendClass = "0.00", "still"
		}
		v.Rows = append(v.Rows, r)
	}
	return v, nil
}

// handleClosest handles the "GET /map/closest" route: the map page's
// "closest to the front" table at ?date= for ?commodity=, as an HTML
// fragment the page swaps in when the slider moves.
func (s *Server) handleClosest(w http.ResponseWriter, r *http.Request) {
	date, err := parseDate("date", r.URL.Query().Get("date"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	commodity := r.URL.Query().Get("commodity")
	if err := s.checkCommodity(r.Context(), commodity); err != nil {
		s.Error(w, r, err)
		return
	}
	info, _, err := s.resolveSnapshot(r.Context(), date)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if date == "" {
		date = info.Date
	}
	v, err := s.closest(r.Context(), date, commodity, info.Date)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var b strings.Builder
	if err := s.web.templates["map"].ExecuteTemplate(&b, "closest", v); err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write([]byte(b.String()))
}

// checkCommodity refuses an unknown commodity code, naming the known ones.
func (s *Server) checkCommodity(ctx context.Context, code string) error {
	if code == "" {
		return nil
	}
	reg, _, _, err := s.access.load(ctx)
	if err != nil {
		return err
	}
	var codes []string
	for _, c := range reg.Commodities {
		if c.Code == code {
			return nil
		}
		codes = append(codes, c.Code)
	}
	return nadra.Errorf(nadra.EINVALID, "commodity: unknown commodity %q; expected one of %s.", nadra.Truncate(code, 40), strings.Join(codes, ", "))
}

// maxNeighbours is how many nearby deposits the deposit page's small
// multiples show beside the deposit itself.
const maxNeighbours = 5

// riskSection is the deposit page's "distance to the front" section.
type riskSection struct {
	Risk               *nadra.DepositRisk
	Chart, Narrow      template.HTML
	Neighbours         []string
	Licences           []*nadra.Licence
	Latest             nadra.RiskPoint
	HasRate, Occupied  bool
	ClosestKm          float64
	ClosestDate, Since string
}

// depositRisk builds the deposit page's section: small multiples of the
// front's distance to the deposit and to its nearest located neighbours,
// on shared axes, the page's date marked. nil when the deposit has no
// coordinates.
func (s *Server) depositRisk(ctx context.Context, id, date string) (*riskSection, error) {
	rd, err := s.riskSeries(ctx)
	if err != nil {
		return nil, err
	}
	d := rd.byID[id]
	if d == nil {
		return nil, nil
	}
	sec := &riskSection{Risk: d, Latest: d.Latest, ClosestKm: d.ClosestKm, ClosestDate: d.ClosestDate, HasRate: d.Latest.ApproachKmPerMonth != nil}
	ls, err := s.licences(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		if l.DepositID == id {
			sec.Licences = append(sec.Licences, l)
		}
	}
	// The nearest neighbours by geodesic distance between the points.
	here := orb.Point{d.Lon, d.Lat}
	type nb struct {
		d  *nadra.DepositRisk
		km float64
	}
	var nbs []nb
	for i := range rd.series {
		o := &rd.series[i]
		if o.ID != id {
			nbs = append(nbs, nb{o, geo.DistanceKm(here, orb.Point{o.Lon, o.Lat})})
		}
	}
	sort.SliceStable(nbs, func(i, j int) bool { return nbs[i].km < nbs[j].km })
	panels := []render.Panel{riskPanel(d, true, 0)}
	for i, n := range nbs {
		if i == maxNeighbours {
			break
		}
		panels = append(panels, riskPanel(n.d, false, n.km))
		sec.Neighbours = append(sec.Neighbours, n.d.ID)
	}
	marker := math.NaN()
	if date != "" {
		marker = render.DateX(date)
	}
	build := func(width, fs float64, cols int, ph float64) *render.SmallMultiples {
		return &render.SmallMultiples{
			ID:    "risk-" + strconv.Itoa(int(width)),
			Title: "Distance to the front: " + d.Name + " and its " + strconv.Itoa(len(panels)-1) + " nearest located deposits",
			Subtitle: "Km from each deposit's uncertainty circle (point ± precision) to hostile ground, on every control snapshot; " +
				"shaded while the point was occupied or grey. Same scales in every panel.",
			Width: width, Columns: cols, PanelHeight: ph, FontSize: fs,
			Y:      render.Axis{Label: "km to hostile ground", Format: func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }},
			Marker: marker, MarkerLabel: "The page's date, " + date,
			Threshold: math.NaN(),
			Legend:    []render.LegendItem{{Label: "occupied", Fill: "#f4a582"}, {Label: "grey zone", Fill: "#E69F00"}},
			Panels:    panels,
			Sources: []string{"Control areas: DeepStateMap, " + strconv.Itoa(len(d.Series)) + " snapshots " + d.Series[0].Date + " to " + d.Latest.Date + "; borders with Russia and Belarus count as hostile ground.",
				"Positions and precision: nadra's dataset. nadra report risk gives the numbers."},
		}
	}
	sec.Chart = chartHTML(build(1200, 14, 3, 130))
	sec.Narrow = chartHTML(build(380, 12, 1, 110))
	return sec, nil
}

// riskPanel draws one deposit's series as a panel.
func riskPanel(d *nadra.DepositRisk, self bool, awayKm float64) render.Panel {
	p := render.Panel{ID: d.ID, Title: d.Name, Highlight: self}
	if !self {
		p.Href = "/deposits/" + d.ID
		p.Title += " (" + strconv.FormatFloat(awayKm, 'f', 0, 64) + " km away)"
	}
	p.Subtitle = fmt.Sprintf("now %s, %s km · closest %s km", d.Latest.Status, kmTwo(d.Latest.DistanceKm), kmTwo(d.ClosestKm))
	band := -1 // the band the previous point extends, if any
	for i, pt := range d.Series {
		x := render.DateX(pt.Date)
		title := fmt.Sprintf("%s: %s, %s km from the circle (point %s km, ± %s km)", pt.Date, pt.Status, kmTwo(pt.DistanceKm), kmTwo(pt.PointKm), kmTwo(d.PrecisionKm))
		if pt.ApproachKmPerMonth != nil {
			title += "; " + signedRate(*pt.ApproachKmPerMonth)
		}
		p.Points = append(p.Points, render.XY{X: x, Y: pt.DistanceKm, Title: title})
		// A state holds from its snapshot to the next.
		end := x + 1
		if i+1 < len(d.Series) {
			end = render.DateX(d.Series[i+1].Date)
		}
		class := ""
		switch pt.Status {
		case nadra.StatusOccupied:
			class = "occupied"
		case nadra.StatusGrey:
			class = "grey"
		}
		switch {
		case band >= 0 && p.Bands[band].Class == class:
			p.Bands[band].X1 = end
		case class != "":
			p.Bands = append(p.Bands, render.Band{X0: x, X1: end, Class: class, Title: string(pt.Status) + " from " + pt.Date})
			band = len(p.Bands) - 1
		default:
			band = -1
		}
	}
	return p
}

func signedRate(r float64) string {
	switch {
	case r > 0:
		return "approaching " + strconv.FormatFloat(r, 'f', 1, 64) + " km/month"
	case r < 0:
		return "receding " + strconv.FormatFloat(-r, 'f', 1, 64) + " km/month"
	}
	return "still"
}

func kmTwo(v float64) string {
	if v >= 10 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

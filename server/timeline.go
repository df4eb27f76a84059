package server

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"math"
	"nadra/internal/numfmt"
	"net/http"
	"strconv"
	"strings"

	"nadra"
	"nadra/geo"
	"nadra/render"

	"github.com/danielgtaylor/huma/v2"
)

// TimelineInput is the timeline's query.
type TimelineInput struct {
	From      string `query:"from" doc:"First date YYYY-MM-DD; snapshots on or after it. Default: the first snapshot." example:"2024-01-01"`
	To        string `query:"to" doc:"Last date YYYY-MM-DD; snapshots on or before it. Default: the latest snapshot."`
	Commodity string `query:"commodity" doc:"Only this commodity's shares and the status changes of its deposits (see /commodities). Default: every commodity." example:"lithium"`
	Class     string `query:"class" doc:"Only commodities of this class: metallic, energy or industrial (USGS usage; see /commodities). The total and the status changes are over the class's commodities and deposits. Default: every class." example:"metallic"`
}

// TimelineOutput is the timeline.
type TimelineOutput struct {
	Body *nadra.Timeline
}

func (s *Server) registerTimelineRoutes() {
	register(s, s.api, huma.Operation{
		OperationID: "get-timeline",
		Method:      http.MethodGet,
		Path:        "/timeline",
		Summary:     "Access over time",
		Description: "One row per control snapshot: the occupied area (since 2022 and before) and the grey zone in km² (equal-area; null where the snapshot has no grey zone), and per commodity and in total the share of deposits inaccessible (occupied or grey) by count and by in-situ value, with coverage. Then the status changes: each deposit whose status differs between two consecutive snapshots, dated between them.",
		Tags:        []string{"access"},
	}, s.handleTimeline)
}

// handleTimeline handles the "GET /api/v1/timeline" route.
func (s *Server) handleTimeline(ctx context.Context, in *TimelineInput) (*TimelineOutput, error) {
	tl, err := s.timeline(ctx, in.From, in.To, in.Commodity, in.Class)
	if err != nil {
		return nil, err
	}
	return &TimelineOutput{Body: tl}, nil
}

// timeline checks the parameters and returns the timeline from from to
// to for commodity within a commodity class ("" for all), cut from the
// whole timeline of the class, which is computed once per registry and
// snapshot list (about a second for 55 snapshots).
func (s *Server) timeline(ctx context.Context, from, to, commodity, classParam string) (*nadra.Timeline, error) {
	class, err := parseClass("class", classParam)
	if err != nil {
		return nil, err
	}
	if from, err = parseDate("from", from); err != nil {
		return nil, err
	}
	if to, err = parseDate("to", to); err != nil {
		return nil, err
	}
	if from != "" && to != "" && from > to {
		return nil, nadra.Errorf(nadra.EINVALID, "from: %s is after to (%s).", from, to)
	}
	reg, infos, key, err := s.access.state(ctx)
	if err != nil {
		return nil, err
	}
	if class != "" {
		reg = reg.OfClass(class)
		key += "#" + string(class)
	}
	if commodity = strings.ToLower(strings.TrimSpace(commodity)); commodity != "" {
		if err := checkCommodity("commodity", commodity, reg); err != nil {
			return nil, err
		}
	}
	all, err := s.timelines.get(key, func() (*nadra.Timeline, error) {
		ctx := context.WithoutCancel(ctx) // shared: one client leaving must not spoil it
		snaps, err := s.Snapshots.FindSnapshotsIn(ctx, "", "")
		if err != nil {
			return nil, err
		}
		return geo.Timeline(snaps, geo.SnapshotAreas(infos), s.Boundaries, reg, ""), nil
	})
	if err != nil {
		return nil, err
	}
	tl := geo.SliceTimeline(all, reg, from, to, commodity)
	if len(tl.Rows) == 0 {
		first, last := "none", "none"
		if len(infos) > 0 {
			first, last = infos[0].Date, infos[len(infos)-1].Date
		}
		return nil, nadra.Errorf(nadra.ENOTFOUND, "No control snapshots between %s and %s; they run from %s to %s.", orDash(from), orDash(to), first, last)
	}
	if tl.Events == nil {
		tl.Events = []nadra.StatusChange{}
	}
	return tl, nil
}

// checkCommodity returns an EINVALID error naming param unless code is a
// commodity of the registry.
func checkCommodity(param, code string, reg geo.Registry) error {
	var codes []string
	for _, c := range reg.Commodities {
		if c.Code == code {
			return nil
		}
		codes = append(codes, c.Code)
	}
	return nadra.Errorf(nadra.EINVALID, "%s: unknown commodity %q; known: %s.", param, code, strings.Join(codes, ", "))
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// timelinePage is the timeline page's data.
type timelinePage struct {
	Commodity, CommodityName string // "" for all deposits
	Class                    string // commodity class, "" for all
	Classes                  []string
	From, To                 string // as asked
	Commodities              []*nadra.Commodity
	Snapshots                []nadra.SnapshotInfo
	Timeline                 *nadra.Timeline
	Headline                 string
	ShareChart, ShareNarrow  template.HTML
	AreaChart, AreaNarrow    template.HTML
	Events                   []timelineEvent
	Rows                     []timelineRow
	Error                    *ErrorResponse
}

type timelineEvent struct {
	N int
	nadra.StatusChange
}

type timelineRow struct {
	Date                 string
	OccupiedKm2          float64
	GreyKm2              *float64
	Share                nadra.TimelineShare
	Inaccessible         int
	ShareCount, ShareVal string
}

// handleTimelinePage handles the "GET /timeline" route: the share
// inaccessible by count and by value and the occupied area over every
// snapshot, with the status changes marked and listed. ?commodity=,
// ?from= and ?to= choose.
func (s *Server) handleTimelinePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := &timelinePage{Commodity: strings.ToLower(strings.TrimSpace(q.Get("commodity"))), From: q.Get("from"), To: q.Get("to"), Class: q.Get("class")}
	for _, c := range nadra.CommodityClasses {
		p.Classes = append(p.Classes, string(c))
	}
	reg, infos, _, err := s.access.state(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if class, err := nadra.ParseCommodityClass(p.Class); err == nil {
		reg = reg.OfClass(class) // the commodity list follows the class
	}
	p.Snapshots = infos
	for _, c := range reg.Commodities {
		if c.Code == p.Commodity {
			p.CommodityName = c.Name
		}
	}
	located := map[string]bool{}
	for _, d := range reg.Deposits {
		if d.HasLocation() {
			for _, c := range d.Commodities {
				located[c] = true
			}
		}
	}
	for _, c := range reg.Commodities {
		if located[c.Code] {
			p.Commodities = append(p.Commodities, c)
		}
	}
	tl, err := s.timeline(r.Context(), p.From, p.To, p.Commodity, p.Class)
	if err != nil {
		e := errorFor(err)
		if e.status >= 500 {
			s.pageError(w, r, err)
			return
		}
		p.Error = e
		s.render(w, r, e.status, "timeline", "Timeline", p)
		return
	}
	p.Timeline = tl
	for i, e := range tl.Events {
		p.Events = append(p.Events, timelineEvent{N: i + 1, StatusChange: e})
	}
	for _, row := range tl.Rows {
		sh := row.Total
		if p.Commodity != "" && len(row.Commodities) > 0 {
			sh = row.Commodities[0]
		}
		tr := timelineRow{Date: row.Date, OccupiedKm2: row.OccupiedKm2, GreyKm2: row.GreyKm2, Share: sh}
		if sh.ShareCount != nil {
			tr.Inaccessible = int(*sh.ShareCount*float64(sh.Located) + 0.5)
		}
		p.Rows = append(p.Rows, tr)
	}
	p.Headline = timelineHeadline(p)
	p.ShareChart = chartHTML(s.shareChart(p, 1200, 420, 14, 10))
	p.ShareNarrow = chartHTML(s.shareChart(p, 380, 330, 12, 4))
	p.AreaChart = chartHTML(s.areaChart(p, 1200, 340, 14, 10))
	p.AreaNarrow = chartHTML(s.areaChart(p, 380, 280, 12, 4))
	s.render(w, r, http.StatusOK, "timeline", "Timeline", p)
}

func timelineHeadline(p *timelinePage) string {
	what := "located deposits"
	if p.Class != "" {
		what = "located " + p.Class + " deposits"
	}
	if p.CommodityName != "" {
		what = "located " + strings.ToLower(p.CommodityName) + " deposits"
	}
	first, last := p.Rows[0], p.Rows[len(p.Rows)-1]
	s := fmt.Sprintf("From %s to %s the share of %s that are occupied or in the grey zone went from %s to %s by count",
		first.Date, last.Date, what, pctStr(first.Share.ShareCount), pctStr(last.Share.ShareCount))
	if first.Share.ShareValue != nil && last.Share.ShareValue != nil {
		s += fmt.Sprintf(", and from %s to %s by in-situ value", pctStr(first.Share.ShareValue), pctStr(last.Share.ShareValue))
	}
	s += fmt.Sprintf("; the occupied area from %s to %s km².", numfmt.Thousands(first.OccupiedKm2), numfmt.Thousands(last.OccupiedKm2))
	switch n := len(p.Events); n {
	case 0:
		s += " No deposit changed hands."
	case 1:
		s += " One deposit changed hands."
	default:
		s += fmt.Sprintf(" %d deposits changed hands.", n)
	}
	return s
}

// timelineSources are the charts' sources.
func timelineSources(p *timelinePage) []string {
	return []string{
		fmt.Sprintf("Control areas: DeepStateMap, %d snapshots %s to %s; a change is dated between the snapshots that bracket it.", len(p.Rows), p.Timeline.From, p.Timeline.To),
		"Deposits and figures: nadra's dataset, a source on every row. Value = contained quantity × price, an upper bound. nadra.",
	}
}

func (s *Server) shareChart(p *timelinePage, w, h, fs float64, years int) *render.LineChart {
	what := "all deposits"
	if p.CommodityName != "" {
		what = strings.ToLower(p.CommodityName) + " deposits"
	}
	var count, value []render.XY
	for _, r := range p.Rows {
		x := render.DateX(r.Date)
		c, v := math.NaN(), math.NaN()
		if r.Share.ShareCount != nil {
			c = *r.Share.ShareCount
		}
		if r.Share.ShareValue != nil {
			v = *r.Share.ShareValue
		}
		count = append(count, render.XY{X: x, Y: c, Title: fmt.Sprintf("%s: %s by count (%d of %d located)", r.Date, pctStr(r.Share.ShareCount), r.Inaccessible, r.Share.Located)})
		value = append(value, render.XY{X: x, Y: v, Title: fmt.Sprintf("%s: %s by in-situ value (%d deposits valued)", r.Date, pctStr(r.Share.ShareValue), r.Share.Valued)})
	}
	c := &render.LineChart{ID: "share-" + strconv.Itoa(int(w)), Width: w, Height: h, FontSize: fs,
		Title:    "Share of " + what + " occupied or in the grey zone",
		Subtitle: "By count of located deposits and by in-situ value; each point is a control snapshot.",
		X:        render.Axis{Label: "Control snapshot", Ticks: render.YearTicks(render.DateX(p.Timeline.From), render.DateX(p.Timeline.To), years)},
		Y:        render.Axis{Label: "Share inaccessible (%)", ZeroBased: true, Format: pctTick},
		Series: []render.Series{
			{Name: "by count", Class: "by-count", Color: render.Palette[0], Step: true, Points: count},
			{Name: "by value", Class: "by-value", Color: render.Palette[1], Dash: "7 4", Step: true, Points: value},
		},
		Sources: timelineSources(p),
		Attrs:   map[string]string{"data-commodity": p.Commodity, "data-rows": strconv.Itoa(len(p.Rows))},
	}
	c.Y.Min, c.Y.Max = 0, yMax(count, value)
	c.Marks = eventMarks(p)
	return c
}

// yMax is the share axis's top: the next tenth above the data, at most 1.
func yMax(series ...[]render.XY) float64 {
	m := 0.0
	for _, s := range series {
		for _, p := range s {
			if !math.IsNaN(p.Y) {
				m = math.Max(m, p.Y)
			}
		}
	}
	return math.Min(1, math.Max(0.1, math.Ceil(m*10+1e-9)/10))
}

func (s *Server) areaChart(p *timelinePage, w, h, fs float64, years int) *render.LineChart {
	var occ []render.XY
	for _, r := range p.Rows {
		t := fmt.Sprintf("%s: %s km² occupied", r.Date, numfmt.Thousands(r.OccupiedKm2))
		if r.GreyKm2 != nil {
			t += fmt.Sprintf(", %s km² grey zone", numfmt.Thousands(*r.GreyKm2))
		}
		occ = append(occ, render.XY{X: render.DateX(r.Date), Y: r.OccupiedKm2, Title: t})
	}
	c := &render.LineChart{ID: "area-" + strconv.Itoa(int(w)), Width: w, Height: h, FontSize: fs,
		Title:    "Occupied area of Ukraine",
		Subtitle: "Since 2022 and before (Crimea, parts of Donetsk and Luhansk); equal-area km². The axis does not start at 0.",
		X:        render.Axis{Label: "Control snapshot", Ticks: render.YearTicks(render.DateX(p.Timeline.From), render.DateX(p.Timeline.To), years)},
		Y:        render.Axis{Label: "Occupied (thousand km²)", Format: func(v float64) string { return strconv.FormatFloat(v/1000, 'f', -1, 64) }},
		Series:   []render.Series{{Name: "occupied", Class: "occupied", Color: "#D55E00", Points: occ}},
		Sources:  timelineSources(p)[:1],
	}
	c.Marks = eventMarks(p)
	return c
}

func eventMarks(p *timelinePage) []render.Mark {
	var marks []render.Mark
	for _, e := range p.Events {
		// Between the two snapshots that bracket the change.
		x := (render.DateX(e.After) + render.DateX(e.Before)) / 2
		marks = append(marks, render.Mark{X: x, Label: strconv.Itoa(e.N), Title: strconv.Itoa(e.N) + ". " + e.Text, Href: "#event-" + strconv.Itoa(e.N)})
	}
	return marks
}

func pctTick(v float64) string { return strconv.FormatFloat(v*100, 'f', 0, 64) + "%" }

// chartHTML draws a chart for a template. Charts write to a buffer and
// cannot fail.
func chartHTML(c interface{ WriteSVG(io.Writer) error }) template.HTML {
	var b bytes.Buffer
	c.WriteSVG(&b)
	return template.HTML(b.String())
}

package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"nadra/internal/notice"
	"nadra/internal/numfmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"nadra"

	"github.com/danielgtaylor/huma/v2"
)

//go:embed web/templates/*.html web/static/*
var webFS embed.FS

// page is one dashboard page in the navigation. Pages are listed in the
// order they appear; the timeline, scenario, supply and deal pages are
// appended here as their issues land, each with its register…Routes.
type page struct {
	Path, Title string
}

// Pages returns the dashboard's pages in navigation order, by path (Data
// & API, /api, comes last): nadra serve --help lists them.
func Pages() []string {
	var out []string
	for _, p := range pages {
		out = append(out, p.Path)
	}
	return append(out, "/api")
}

var pages = []page{
	{"/map", "Map"},
	{"/deposits", "Deposits"},
	{"/timeline", "Timeline"},
	{"/claims", "Claims"},
	{"/scenarios", "Scenarios"},
	{"/supply", "Supply"},
	{"/deal", "Deal"},
	{"/flows", "Flows"},
}

// pageDescriptions are the pages' meta descriptions, by path ("" is the
// default, "/deposits/" a deposit's page); the layout writes them through
// the description function.
var pageDescriptions = map[string]string{
	"":           "nadra: open data and models on the US–Ukraine critical-minerals deal, with a source for every figure.",
	"/map":       "Ukraine's mineral deposits and the front line on any date since 2022: which are occupied, which are near the front, with sources.",
	"/deposits":  "Every deposit in Ukraine's mineral registry with its control status on a chosen date, distance to the front, in-situ value and sources.",
	"/deposits/": "One deposit of Ukraine's mineral registry: its published estimates, value by commodity, sources and distance to the front over time.",
	"/timeline":  "The share of Ukraine's mineral deposits occupied or in the grey zone, by count and by value, on every control snapshot since 2022.",
	"/claims":    "Public claims about how much of Ukraine's mineral wealth is occupied, each checked against nadra's own figures and their sources.",
	"/scenarios": "What a ceasefire line, an exchange of territory or an area you draw would change: the deposits and the value that change hands.",
	"/supply":    "Who produces each critical mineral, China's share of supply, and what Ukraine's deposits could add.",
	"/deal":      "A Monte Carlo model of the US–Ukraine minerals deal: what the fund, the US and Ukraine receive under each version of the terms, and how sure that is.",
	"/flows":     "What has flowed under the US–Ukraine minerals deal: a signed, tamper-evident ledger of receipts, contributions and the fund's balances.",
	"/api":       "nadra's data and API: the OpenAPI document, OGC API - Features for QGIS and GDAL, exports in CSV, GeoJSON and Excel, and the licences.",
}

// pageDescription is the meta description of the page at path.
func pageDescription(path string) string {
	if d, ok := pageDescriptions[path]; ok {
		return d
	}
	if strings.HasPrefix(path, "/deposits/") {
		return pageDescriptions["/deposits/"]
	}
	return pageDescriptions[""]
}

func init() { templateFuncs["description"] = pageDescription }

// web holds the parsed templates and the static assets' version.
type web struct {
	templates map[string]*template.Template
	static    fs.FS
	version   string // hash of the assets, for cache busting
}

var templateFuncs = template.FuncMap{
	"pct":  pctStr,
	"pct1": func(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" },
	"usd":  usdText,
	"km":   kmText,
	"kmv":  kmTwo,
	"approach": func(p *float64) string {
		switch {
		case *p > 0:
			return "the front came closer by " + strconv.FormatFloat(*p, 'f', 2, 64) + " km a month"
		case *p < 0:
			return "the front moved away by " + strconv.FormatFloat(-*p, 'f', 2, 64) + " km a month"
		}
		return "the front did not move nearer or farther"
	},
	"rate": func(p *float64) string {
		if p == nil {
			return "—"
		}
		return strconv.FormatFloat(*p, 'f', 2, 64)
	},
	"oblast": func(code string) string { return nadra.Oblasts[code] },
	"join":   strings.Join,
	// num is a number for a data- attribute, for scripts to read; dec is
	// the same number for people (numfmt.Decimal: never 1.5e+06).
	"num": func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	},
	"dec": func(p *float64) string {
		if p == nil {
			return ""
		}
		return numfmt.Decimal(*p)
	},
	"qty": func(p *float64) string {
		if p == nil {
			return "—"
		}
		return humanQty(*p)
	},
	"int": func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	},
	"sourceURL": sourceURL,
	"figure":    claimFigureText,
	"partWhole": claimPartWhole,
	"verdictClass": func(v nadra.ClaimVerdict) string {
		switch v {
		case nadra.VerdictConsistent:
			return "v-yes"
		case nadra.VerdictNotConsistent:
			return "v-no"
		}
		return "v-na"
	},
	"caret":     func(col int) string { return strings.Repeat(" ", max(0, col-1)) + "^" },
	"signedKm":  signedThousands,
	"add1":      func(i int) int { return i + 1 },
	"thousands": numfmt.Thousands,
	"thousandsp": func(p *float64) string {
		if p == nil {
			return ""
		}
		return numfmt.Thousands(*p)
	},
	"sourceDate": func(s string) string {
		if i := strings.LastIndex(s, " ("); i >= 0 {
			return strings.TrimSuffix(s[i+2:], ")")
		}
		return ""
	},
}

// sourceURL returns the URL in a source entry ("URL (date)"), or "" when
// the source is a document without one.
func sourceURL(s string) string {
	f := strings.Fields(s)
	if len(f) > 0 && (strings.HasPrefix(f[0], "http://") || strings.HasPrefix(f[0], "https://")) {
		return f[0]
	}
	return ""
}

// humanQty writes a non-negative mass in tonnes: 511.9 kt.
func humanQty(v float64) string { return numfmt.Tonnes(v) }

func newWeb() *web {
	static, err := fs.Sub(webFS, "web/static")
	if err != nil {
		panic(err)
	}
	h := sha256.New()
	fs.WalkDir(webFS, "web", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := webFS.ReadFile(p)
			h.Write(b)
		}
		return nil
	})
	w := &web{templates: map[string]*template.Template{}, static: static, version: hex.EncodeToString(h.Sum(nil))[:10]}
	names, _ := fs.Glob(webFS, "web/templates/*.html")
	for _, n := range names {
		base := strings.TrimSuffix(n[len("web/templates/"):], ".html")
		if base == "layout" {
			continue
		}
		w.templates[base] = template.Must(template.New(base).Funcs(templateFuncs).ParseFS(webFS, "web/templates/layout.html", n))
	}
	return w
}

// navItem is one link of the navigation.
type navItem struct {
	Path, Title string
	Current     bool
}

// pageData is what every template gets.
type pageData struct {
	Title, Path  string
	Nav          []navItem
	Version      string
	AssetVersion string
	Page         any
	// NoControl is set when the store holds no control snapshot: every
	// page then says so (a build with -tags nosnapshots starts that way).
	NoControl bool
	// SnapshotsEmbedded tells whether this build carries the DeepState
	// snapshots (Server.SnapshotsEmbedded).
	SnapshotsEmbedded bool
}

// render writes a page through the layout. Errors before the first byte
// go through the funnel.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t := s.web.templates[name]
	pd := pageData{Title: title, Path: r.URL.Path, Version: s.Version, AssetVersion: s.web.version, Page: data,
		SnapshotsEmbedded: s.SnapshotsEmbedded}
	if _, _, infos, err := s.access.load(r.Context()); err == nil && len(infos) == 0 {
		pd.NoControl = true
	}
	for _, p := range pages {
		pd.Nav = append(pd.Nav, navItem{Path: p.Path, Title: p.Title, Current: strings.HasPrefix(r.URL.Path, p.Path)})
	}
	pd.Nav = append(pd.Nav, navItem{Path: "/api", Title: "Data & API", Current: r.URL.Path == "/api"})
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", pd); err != nil {
		s.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pageError shows an error as a page, with the status from the one code
// table, for routes people open in a browser.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	e := errorFor(err)
	s.logError(r, e, err)
	s.render(w, r, e.status, "error", http.StatusText(e.status), e)
}

func (s *Server) registerDashboardRoutes() {
	s.web = newWeb()
	s.handle("GET /{$}", "", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/map", http.StatusFound) })
	s.handle("GET /map", "page", s.handleMapPage)
	s.handle("GET /map.svg", "", s.handleMapSVG)
	s.handle("GET /map/closest", "", s.handleClosest)
	s.handle("GET /deposits", "page", s.handleDepositsPage)
	s.handle("GET /deposits/{id}", "page", s.handleDepositPage)
	s.handle("GET /timeline", "page", s.handleTimelinePage)
	s.handle("GET /claims", "page", s.handleClaimsPage)
	s.handle("GET /scenarios", "page", s.handleScenariosPage)
	s.handle("POST /scenarios", "page", s.handleScenariosPage)
	s.handle("GET /scenarios/map.svg", "", s.handleScenarioMapSVG)
	s.handle("GET /supply", "page", s.handleSupplyPage)
	s.handle("GET /api", "page", s.handleAPIPage)
	s.handle("GET /static/", "", s.handleStatic)
	s.handle("GET /favicon.ico", "", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/icon.svg", http.StatusMovedPermanently)
	})
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if allow := s.allowedMethods(r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.pageError(w, r, errMethod(r, allow))
			return
		}
		s.pageError(w, r, nadra.Errorf(nadra.ENOTFOUND, "No page at %s.", r.URL.Path))
	})
}

// mapPage is the map page's data.
type mapPage struct {
	*mapView
	SVG                 template.HTML
	DatesJSON           string
	Index, MaxIndex     int
	FirstDate, LastDate string
	Closest             *closestView
	Updated             string // when the data was last updated, a sentence
}

// handleMapPage handles the "GET /map" route: the map with a slider over
// every snapshot and a commodity filter. ?date= and ?commodity= choose
// the first view.
func (s *Server) handleMapPage(w http.ResponseWriter, r *http.Request) {
	date, err := parseDate("date", r.URL.Query().Get("date"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	svg, mv, err := s.renderMap(r.Context(), date, r.URL.Query().Get("commodity"), r.URL.Query().Get("class"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := &mapPage{mapView: mv, SVG: template.HTML(svg)}
	var dates []string
	for i, info := range mv.Snapshots {
		dates = append(dates, `"`+info.Date+`"`)
		if info.Date == mv.Snapshot {
			p.Index = i
		}
	}
	p.DatesJSON = "[" + strings.Join(dates, ",") + "]"
	p.MaxIndex = len(mv.Snapshots) - 1
	p.FirstDate, p.LastDate = mv.Snapshots[0].Date, mv.Snapshots[p.MaxIndex].Date
	if p.Closest, err = s.closest(r.Context(), mv.Date, mv.Commodity, mv.Snapshot); err != nil {
		s.pageError(w, r, err)
		return
	}
	u, err := s.updates(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p.Updated = updateLine(u)
	s.render(w, r, http.StatusOK, "map", "Map", p)
}

// depositRow is one row of the deposits table.
type depositRow struct {
	DepositItem
	Valuations []Valuation
	ValueTitle string // the sources of the in-situ value
	Hidden     bool   // filtered out by the page's state
}

// depositsPage is the deposits page's data.
type depositsPage struct {
	Date, Snapshot, SnapshotSource string
	Rows                           []depositRow
	Shown                          int
	Commodities                    []string
	Snapshots                      []nadra.SnapshotInfo
	Notes                          []string
	// The page's state, all in its URL: the text filter, the commodity
	// and status filters, the sort column and direction, and the date.
	Q, Commodity, Status, Sort, Dir string
	Columns                         []depositColumn
}

// depositColumn is a sortable column of the deposits table.
type depositColumn struct {
	Key, Label, Class string
	Number            bool
	Sort              string // "ascending", "descending" or "" (aria-sort)
}

// depositColumns are the deposits table's sortable columns, in order.
var depositColumns = []depositColumn{
	{Key: "name", Label: "Deposit"}, {Key: "oblast", Label: "Oblast"}, {Key: "commodities", Label: "Commodities"},
	{Key: "stage", Label: "Stage", Class: "opt"}, {Key: "status", Label: "Status"},
	{Key: "distance", Label: "Distance (km)", Class: "num", Number: true}, {Key: "precision", Label: "Position ± (km)", Class: "num opt", Number: true},
	{Key: "value", Label: "In-situ value (US$)", Class: "num", Number: true},
}

// depositStatuses are the status filter's values.
var depositStatuses = []string{"controlled", "occupied", "grey", "unknown"}

// handleDepositsPage handles the "GET /deposits" route: every deposit in
// a table that sorts and filters, statuses on ?date=. The page's state is
// in its URL (?q=, ?commodity=, ?status=, ?sort=, ?dir=, ?date=): the
// server filters and sorts as the page's script does, so a link shows the
// same view with or without script.
func (s *Server) handleDepositsPage(w http.ResponseWriter, r *http.Request) {
	qv := r.URL.Query()
	date, err := parseDate("date", qv.Get("date"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := &depositsPage{Q: strings.TrimSpace(qv.Get("q")), Commodity: strings.ToLower(strings.TrimSpace(qv.Get("commodity"))),
		Status: qv.Get("status"), Sort: qv.Get("sort"), Dir: qv.Get("dir")}
	if p.Status != "" && !contains(depositStatuses, p.Status) {
		s.pageError(w, r, nadra.Errorf(nadra.EINVALID, "status: %q is not one of %s.", nadra.Truncate(p.Status, 40), strings.Join(depositStatuses, ", ")))
		return
	}
	if p.Sort == "" {
		p.Sort = "name"
	}
	var keys []string
	for _, c := range depositColumns {
		keys = append(keys, c.Key)
	}
	if !contains(keys, p.Sort) {
		s.pageError(w, r, nadra.Errorf(nadra.EINVALID, "sort: %q is not a column; expected %s.", nadra.Truncate(p.Sort, 40), strings.Join(keys, ", ")))
		return
	}
	switch p.Dir {
	case "":
		p.Dir = "asc"
	case "asc", "desc":
	default:
		s.pageError(w, r, nadra.Errorf(nadra.EINVALID, "dir: %q; expected asc or desc.", nadra.Truncate(p.Dir, 40)))
		return
	}
	items, v, err := s.findDeposits(r.Context(), depositQuery{date: date})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	ests, err := s.Deposits.FindEstimates(r.Context(), "")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	byDep := map[string][]*nadra.Estimate{}
	for _, e := range ests {
		byDep[e.DepositID] = append(byDep[e.DepositID], e)
	}
	p.Date, p.Snapshot, p.SnapshotSource, p.Snapshots, p.Notes = v.Date, v.Info.Date, v.Info.Source, v.Snapshots, v.Report.Notes
	comms := map[string]bool{}
	text := strings.ToLower(p.Q)
	for _, it := range items {
		d := it.Deposit
		row := depositRow{DepositItem: it, Valuations: valuations(&d, byDep[d.ID], v.Registry.Commodities)}
		row.ValueTitle = valueTitle(row.Valuations)
		// The same filter as table.js: text in the names, oblast or
		// commodities; the commodity; the status.
		hay := strings.ToLower(d.Name + " " + d.NameUK + " " + it.OblastName + " " + strings.Join(d.Commodities, " "))
		row.Hidden = (text != "" && !strings.Contains(hay, text)) ||
			(p.Commodity != "" && !contains(d.Commodities, p.Commodity)) ||
			(p.Status != "" && string(it.Status) != p.Status)
		if !row.Hidden {
			p.Shown++
		}
		p.Rows = append(p.Rows, row)
		for _, c := range d.Commodities {
			comms[c] = true
		}
	}
	for c := range comms {
		p.Commodities = append(p.Commodities, c)
	}
	sort.Strings(p.Commodities)
	if p.Commodity != "" && !comms[p.Commodity] {
		s.pageError(w, r, nadra.Errorf(nadra.EINVALID, "commodity: no deposit holds %q; the commodities are %s.", nadra.Truncate(p.Commodity, 40), strings.Join(p.Commodities, ", ")))
		return
	}
	sortDepositRows(p.Rows, p.Sort, p.Dir == "desc")
	for _, c := range depositColumns {
		if c.Key == p.Sort {
			c.Sort = map[bool]string{false: "ascending", true: "descending"}[p.Dir == "desc"]
		}
		p.Columns = append(p.Columns, c)
	}
	s.render(w, r, http.StatusOK, "deposits", "Deposits", p)
}

// sortDepositRows sorts as table.js does: text by name in the locale's
// order (here: case-insensitive), numbers as numbers with unknown figures
// last either way.
func sortDepositRows(rows []depositRow, key string, desc bool) {
	text := func(r depositRow) string {
		switch key {
		case "oblast":
			return r.OblastName
		case "commodities":
			return strings.Join(r.Commodities, " ")
		case "stage":
			return string(r.Stage)
		case "status":
			return string(r.Status)
		}
		return r.Name
	}
	num := func(r depositRow) *float64 {
		switch key {
		case "distance":
			return r.DistanceKm
		case "precision":
			return r.PrecisionKm
		case "value":
			return r.InSituUSD
		}
		return nil
	}
	numeric := key == "distance" || key == "precision" || key == "value"
	sort.SliceStable(rows, func(i, j int) bool {
		if numeric {
			a, b := num(rows[i]), num(rows[j])
			switch {
			case a == nil || b == nil:
				return a != nil && b == nil
			case desc:
				return *a > *b
			}
			return *a < *b
		}
		a, b := strings.ToLower(text(rows[i])), strings.ToLower(text(rows[j]))
		if desc {
			return a > b
		}
		return a < b
	})
}

// valueTitle explains an in-situ value: each priced commodity's quantity,
// price, and their sources.
func valueTitle(vs []Valuation) string {
	var parts []string
	for _, v := range vs {
		if v.InSituUSD == nil {
			continue
		}
		parts = append(parts, v.Commodity+": "+humanQty(*v.ContainedT)+" "+v.Basis+" × $"+numfmt.Decimal(*v.PriceUSDPerT)+"/t = "+usdText(v.InSituUSD)+
			". Quantity: "+strings.Join(v.Sources, "; ")+". Price ("+strconv.Itoa(deref(v.PriceYear))+"): "+v.PriceSource+".")
	}
	if len(parts) == 0 {
		return "No priced contained quantity: value unknown."
	}
	return "In-situ value, an upper bound. " + strings.Join(parts, " ")
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// depositPage is one deposit's page data.
type depositPage struct {
	*DepositDetail
	SnapshotSource string
	Risk           *riskSection // nil without coordinates
}

// handleDepositPage handles the "GET /deposits/{id}" route.
func (s *Server) handleDepositPage(w http.ResponseWriter, r *http.Request) {
	date, err := parseDate("date", r.URL.Query().Get("date"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	det, err := s.depositDetail(r.Context(), r.PathValue("id"), date)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	info, _, err := s.resolveSnapshot(r.Context(), det.Snapshot)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	risk, err := s.depositRisk(r.Context(), det.ID, det.Date)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "deposit", det.Name, &depositPage{DepositDetail: det, SnapshotSource: info.Source, Risk: risk})
}

// apiPage lists the routes for people.
type apiPage struct {
	Routes []apiRoute
	Notice *notice.Notice // the licence of everything this binary carries
}

type apiRoute struct {
	Method, Path, Summary, Kind string
}

// handleAPIPage handles the "GET /api" route: the JSON API's routes, the
// OGC endpoint and how to open it in QGIS, and the exports.
func (s *Server) handleAPIPage(w http.ResponseWriter, r *http.Request) {
	p := &apiPage{}
	for _, rt := range s.Routes() {
		if rt.API != "api" && rt.API != "ogc" {
			continue
		}
		sum := ""
		doc := s.api.OpenAPI()
		prefix := APIPrefix
		if rt.API == "ogc" {
			doc, prefix = s.ogc.OpenAPI(), OGCPrefix
		}
		if pi := doc.Paths[strings.TrimPrefix(rt.Path, prefix)]; pi != nil {
			if op := map[string]*huma.Operation{"GET": pi.Get, "POST": pi.Post}[rt.Method]; op != nil {
				sum = op.Summary
			}
		}
		p.Routes = append(p.Routes, apiRoute{rt.Method, rt.Path, sum, rt.API})
	}
	n, err := notice.Build(s.Version, s.DataParts, s.SnapshotsEmbedded)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p.Notice = n
	s.render(w, r, http.StatusOK, "api", "Data & API", p)
}

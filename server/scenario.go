package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"math"
	"nadra/internal/numfmt"
	"net/http"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"nadra"
	"nadra/dataset"
	"nadra/geo"
	"nadra/render"
	"nadra/scenario"

	"github.com/danielgtaylor/huma/v2"
	"github.com/paulmach/orb"
)

// DefaultBaseline is what a scenario is compared with unless the request
// says otherwise: the latest control line.
const DefaultBaseline = "occupied@latest"

// ScenariosOutput lists the shipped scenarios.
type ScenariosOutput struct {
	Body struct {
		Scenarios []nadra.Scenario `json:"scenarios"`
		Regions   string           `json:"regions" doc:"The regions an expression may name."`
	}
}

// ScenarioEvalInput is a scenario evaluation's query.
type ScenarioEvalInput struct {
	Expr     string `query:"expr" required:"true" doc:"Scenario expression over regions (occupied@DATE, grey@DATE, oblast:UA-xx, file:NAME) with | (union), & (intersection) and - (difference; spaces around it), or a shipped scenario's id." example:"occupied@latest | oblast:UA-14 | oblast:UA-09"`
	Baseline string `query:"baseline" doc:"Expression to compare with. Default: occupied@latest." example:"occupied@2025-02-12"`
}

// ScenarioEvalBody is a scenario evaluation posted, possibly with a drawn
// polygon.
type ScenarioEvalBody struct {
	Expr     string `json:"expr" doc:"Scenario expression or shipped id, as for GET; file:drawn names the drawn polygon." example:"occupied@latest | file:drawn"`
	Baseline string `json:"baseline,omitempty" doc:"Expression to compare with. Default: occupied@latest."`
	// Drawn is GeoJSON: a FeatureCollection, a Feature, a Polygon or a
	// MultiPolygon, in WGS84 longitude and latitude.
	Drawn json.RawMessage `json:"drawn,omitempty" doc:"GeoJSON polygon(s) in WGS84 (FeatureCollection, Feature, Polygon or MultiPolygon) that the expression names as file:drawn."`
}

// ScenarioEvalPostInput wraps the body.
type ScenarioEvalPostInput struct {
	Body ScenarioEvalBody
}

// ScenarioEvalOutput is the scenario's access report and its diff.
type ScenarioEvalOutput struct {
	Body *nadra.ScenarioResult
}

func (s *Server) registerScenarioRoutes() {
	register(s, s.api, huma.Operation{
		OperationID: "list-scenarios",
		Method:      http.MethodGet,
		Path:        "/scenarios",
		Summary:     "List shipped scenarios",
		Description: "The named scenarios shipped with nadra (ceasefire lines, territorial demands), each with its expression and a source for the position it models.",
		Tags:        []string{"scenarios"},
	}, s.handleScenarioIndex)
	const evalDesc = "The access report as if the expression's area were the occupied ground (deposits inside it occupied, the rest controlled; scenarios have no grey zone), and what changes hands against the baseline: the deposits each way, the contained quantity and in-situ value per commodity, and the land in km² (equal-area, sea excluded). A syntax error is a 400 naming the parameter and the column. Limits: an expression has at most 1,024 bytes, 32 regions and 16 levels of parentheses (400 past them); an evaluation has a time budget (10 s by default, waiting for a slot included: 503 with Retry-After past it) and stops when its clients go away."
	register(s, s.api, huma.Operation{
		OperationID: "eval-scenario",
		Method:      http.MethodGet,
		Path:        "/scenarios/eval",
		Summary:     "Evaluate a scenario",
		Description: evalDesc,
		Tags:        []string{"scenarios"},
	}, s.handleScenarioEval)
	register(s, s.api, huma.Operation{
		OperationID: "eval-scenario-drawn",
		Method:      http.MethodPost,
		Path:        "/scenarios/eval",
		Summary:     "Evaluate a scenario with a drawn polygon",
		Description: evalDesc + " The body may carry a drawn polygon (at most 10,000 vertices), which the expression names as file:drawn; the server reads no files other than the shipped ones.",
		Tags:        []string{"scenarios"},
	}, s.handleScenarioEvalPost)
}

// handleScenarioIndex handles the "GET /api/v1/scenarios" route.
func (s *Server) handleScenarioIndex(ctx context.Context, _ *struct{}) (*ScenariosOutput, error) {
	list, err := s.scenarioList(ctx)
	if err != nil {
		return nil, err
	}
	out := &ScenariosOutput{}
	out.Body.Scenarios = list
	out.Body.Regions = scenario.RegionHelp
	return out, nil
}

// handleScenarioEval handles the "GET /api/v1/scenarios/eval" route.
func (s *Server) handleScenarioEval(ctx context.Context, in *ScenarioEvalInput) (*ScenarioEvalOutput, error) {
	v, err := s.evalScenario(ctx, scenarioQuery{expr: in.Expr, baseline: in.Baseline})
	if err != nil {
		return nil, err
	}
	return &ScenarioEvalOutput{Body: v.ev.Result}, nil
}

// handleScenarioEvalPost handles the "POST /api/v1/scenarios/eval" route.
func (s *Server) handleScenarioEvalPost(ctx context.Context, in *ScenarioEvalPostInput) (*ScenarioEvalOutput, error) {
	q := scenarioQuery{expr: in.Body.Expr, baseline: in.Body.Baseline}
	if len(in.Body.Drawn) > 0 && string(in.Body.Drawn) != "null" {
		fc, err := featureCollection(in.Body.Drawn)
		if err != nil {
			return nil, err
		}
		q.drawn = fc
	}
	v, err := s.evalScenario(ctx, q)
	if err != nil {
		return nil, err
	}
	return &ScenarioEvalOutput{Body: v.ev.Result}, nil
}

// featureCollection wraps drawn GeoJSON (a FeatureCollection, a Feature
// or a bare geometry) into a FeatureCollection and checks its polygons.
func featureCollection(raw json.RawMessage) ([]byte, error) {
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "drawn: not a GeoJSON object: %v.", err)
	}
	var fc []byte
	switch head.Type {
	case "FeatureCollection":
		fc = raw
	case "Feature":
		fc = []byte(`{"type":"FeatureCollection","features":[` + string(raw) + `]}`)
	case "Polygon", "MultiPolygon":
		fc = []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":` + string(raw) + `}]}`)
	default:
		return nil, nadra.Errorf(nadra.EINVALID, "drawn: GeoJSON type %q; expected a FeatureCollection, Feature, Polygon or MultiPolygon.", head.Type)
	}
	// The cheap checks (GeoJSON, rings, vertices) now; the repair is part
	// of the evaluation, under its budget.
	if _, err := scenario.Features(fc); err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "drawn: %s", nadra.ErrorMessage(err))
	}
	return jsonCompact(fc), nil
}

// scenarioQuery is a scenario to evaluate, with the parameter names its
// errors mention.
type scenarioQuery struct {
	expr, baseline string
	drawn          []byte // file:drawn, if posted
	exprParam      string // default "expr"
}

// scenarioView is an evaluated scenario, cached per expression,
// baseline, drawn polygon, registry and snapshot list.
type scenarioView struct {
	ev                  *scenario.Evaluation
	expr, baseline      string // as asked, trimmed
	exprText, baseText  string // the expressions evaluated (shipped ids expanded)
	label, baselineText string

	drawn orb.MultiPolygon // the drawn polygon, if any

	pathsOnce sync.Once
	paths     scenarioPaths
}

// scenarioPaths are a scenario's areas as map path data.
type scenarioPaths struct{ area, gain, loss, drawn string }

// exprError is a scenario expression that does not parse, with what a
// page needs to point at the column.
type exprError struct {
	Param, Expr string
	Col         int // 1-based
	err         *nadra.Error
}

func (e *exprError) Error() string { return e.err.Error() }
func (e *exprError) Unwrap() error { return e.err }

// evaluator returns the scenario evaluator of the server: snapshots from
// the cache, shipped scenario ids, and file:NAME only for shipped files
// and the drawn polygon; never a path on the server.
func (s *Server) evaluator(ctx context.Context, drawn []byte) (*scenario.Evaluator, error) {
	named, err := s.namedScenarios(ctx)
	if err != nil {
		return nil, err
	}
	return &scenario.Evaluator{
		SnapshotAt: func(date string) (*nadra.Snapshot, error) { return s.snapshotAt(ctx, date) },
		Boundaries: s.Boundaries,
		Named:      named,
		File: func(name string) ([]byte, string, error) {
			if name == "drawn" {
				if drawn == nil {
					return nil, "", nadra.Errorf(nadra.EINVALID, "no polygon was drawn; POST %s/scenarios/eval with one as drawn, or draw one on the scenarios page", APIPrefix)
				}
				return drawn, "drawn", nil
			}
			if data, ok := dataset.ScenarioFile(name); ok {
				return data, "shipped file " + name, nil
			}
			shipped := "none are shipped"
			if list := dataset.ScenarioFiles(); len(list) > 0 {
				shipped = "shipped: " + strings.Join(list, ", ")
			}
			return nil, "", nadra.Errorf(nadra.EINVALID, "no shipped file %q (%s); the server reads no other files, but a polygon posted as drawn is file:drawn", name, shipped)
		},
	}, nil
}

// bindScenario binds one expression, naming param in errors; a syntax
// error is an *exprError with the column.
func bindScenario(ctx context.Context, ev *scenario.Evaluator, param, expr string) (*scenario.Bound, error) {
	sc, err := ev.Bind(ctx, expr)
	if err != nil {
		return nil, scenarioError(ev, param, expr, err)
	}
	return sc, nil
}

// scenarioError names param in an error about expr, keeping the column
// of a syntax error.
func scenarioError(ev *scenario.Evaluator, param, expr string, err error) error {
	var pe *scenario.ParseError
	if errors.As(err, &pe) {
		msg := fmt.Sprintf("%s: column %d: %s", param, pe.Col, pe.Msg)
		if x, _ := ev.Expand(expr); x != strings.TrimSpace(expr) {
			msg += fmt.Sprintf(" (in %q)", x)
		}
		return &exprError{Param: param, Expr: pe.Expr, Col: pe.Col, err: nadra.Errorf(nadra.EINVALID, "%s.", strings.TrimSuffix(msg, "."))}
	}
	if nadra.ErrorCode(err) == nadra.EINVALID {
		return nadra.Errorf(nadra.EINVALID, "%s: %s", param, nadra.ErrorMessage(err))
	}
	return err
}

// scenarioSyntax parses expr (or a named scenario's expression) and
// checks its limits, reading only the catalog: errors name param, and a
// syntax error is an *exprError with the column.
func (s *Server) scenarioSyntax(ctx context.Context, expr, param string) (*scenario.Expr, error) {
	named, err := s.namedScenarios(ctx)
	if err != nil {
		return nil, err
	}
	syntax := &scenario.Evaluator{Named: named}
	x, _ := syntax.Expand(expr)
	e, err := scenario.Parse(x)
	if err != nil {
		return nil, scenarioError(syntax, param, expr, err)
	}
	return e, nil
}

// DefaultScenarioBudget bounds one scenario evaluation request, waiting
// for a free slot included.
const DefaultScenarioBudget = 10 * time.Second

// errScenarioBudget is the cause of a scenario evaluation's context
// ending at its time budget.
var errScenarioBudget = errors.New("scenario evaluation time budget exceeded")

// scenarioEvals runs the server's scenario evaluations: a few at a time,
// each shared by the requests that ask for it at once and stopped when
// the last of them goes, and remembers recent ones.
type scenarioEvals struct {
	// A scenario holds its areas and reports, a few MB: keep a
	// dashboard's worth.
	cache *sharedCache[*scenarioView]
	slots chan struct{}

	// Test hooks: start is called with an evaluation's context once it
	// has a slot, done with its outcome.
	start func(ctx context.Context)
	done  func(err error)
}

func newScenarioEvals() *scenarioEvals {
	// An evaluation's overlays run on one core: one per core, up to 4.
	n := min(max(1, runtime.GOMAXPROCS(0)), 4)
	return &scenarioEvals{cache: newSharedCache[*scenarioView](32), slots: make(chan struct{}, n)}
}

// evalScenario evaluates a scenario against its baseline, once per
// expression, baseline, drawn polygon and state of the database. Syntax
// and limit errors come at once; the evaluation then has ScenarioBudget,
// waiting for a free slot included (a 503 with Retry-After past it), and
// stops when every client waiting for it has gone.
func (s *Server) evalScenario(ctx context.Context, q scenarioQuery) (*scenarioView, error) {
	if q.exprParam == "" {
		q.exprParam = "expr"
	}
	q.expr, q.baseline = strings.TrimSpace(q.expr), strings.TrimSpace(q.baseline)
	if q.expr == "" {
		return nil, &exprError{Param: q.exprParam, Col: 1, err: nadra.Errorf(nadra.EINVALID, "%s: column 1: empty expression; expected a region such as occupied@latest or a shipped scenario's id.", q.exprParam)}
	}
	if q.baseline == "" {
		q.baseline = DefaultBaseline
	}
	// Syntax and limits first: only the catalog is needed to say where
	// an expression is wrong or too big.
	for _, p := range []struct{ param, expr string }{{q.exprParam, q.expr}, {"baseline", q.baseline}} {
		if _, err := s.scenarioSyntax(ctx, p.expr, p.param); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeoutCause(ctx, s.ScenarioBudget, errScenarioBudget)
	defer cancel()
	v, err := s.evalScenarioShared(ctx, q)
	if err != nil && ctx.Err() != nil {
		return nil, scenarioStopped(ctx, s.ScenarioBudget)
	}
	return v, err
}

// evalScenarioShared finds the evaluation in the cache, or joins the one
// under way, or starts it.
func (s *Server) evalScenarioShared(ctx context.Context, q scenarioQuery) (*scenarioView, error) {
	reg, _, key, err := s.access.state(ctx)
	if err != nil {
		return nil, err
	}
	dh := ""
	if q.drawn != nil {
		sum := sha256.Sum256(q.drawn)
		dh = hex.EncodeToString(sum[:8])
	}
	named, err := s.namedScenarios(ctx) // a named scenario's expression may change under its id
	if err != nil {
		return nil, err
	}
	ckey := strings.Join([]string{key, q.expr, q.baseline, dh, expand(named, q.expr), expand(named, q.baseline)}, "\x00")
	return s.scenarios.cache.get(ctx, ckey, func(ctx context.Context) (*scenarioView, error) {
		select {
		case s.scenarios.slots <- struct{}{}:
			defer func() { <-s.scenarios.slots }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if s.scenarios.start != nil {
			s.scenarios.start(ctx)
		}
		v, err := s.computeScenario(ctx, q, reg)
		if s.scenarios.done != nil {
			s.scenarios.done(err)
		}
		return v, err
	})
}

// computeScenario evaluates q under ctx, which ends when no client waits
// for the result any more.
func (s *Server) computeScenario(ctx context.Context, q scenarioQuery, reg geo.Registry) (*scenarioView, error) {
	ev, err := s.evaluator(ctx, q.drawn)
	if err != nil {
		return nil, err
	}
	var drawn orb.MultiPolygon
	if q.drawn != nil {
		// Repaired once here; file:drawn in the expressions reuses it.
		parts, err := ev.Resolve(ctx, scenario.Ref{Kind: "file", Arg: "drawn"})
		if err != nil {
			return nil, err
		}
		drawn = parts[0]
	}
	sc, err := bindScenario(ctx, ev, q.exprParam, q.expr)
	if err != nil {
		return nil, err
	}
	base, err := bindScenario(ctx, ev, "baseline", q.baseline)
	if err != nil {
		return nil, err
	}
	res, err := ev.Evaluate(ctx, sc, base, reg, time.Now().UTC().Format(nadra.DateLayout))
	if err != nil {
		return nil, err
	}
	v := &scenarioView{ev: res, expr: q.expr, baseline: q.baseline, label: sc.Source, baselineText: base.Source, drawn: drawn}
	v.exprText, _ = ev.Expand(q.expr)
	v.baseText, _ = ev.Expand(q.baseline)
	return v, nil
}

// scenarioStopped is the error of a scenario evaluation whose context
// ended: at its time budget (a 503 to retry), or because the client went
// away or the caller's own budget (the simulation's) ended.
func scenarioStopped(ctx context.Context, budget time.Duration) error {
	if errors.Is(context.Cause(ctx), errScenarioBudget) {
		return &ErrorResponse{Code: ETIMEOUT, status: http.StatusServiceUnavailable, retryAfter: budget,
			Message: fmt.Sprintf("The scenario evaluation did not finish within this server's time budget of %v (the server may be busy); try again later, or name fewer regions.", budget)}
	}
	return &ErrorResponse{Code: ECANCELED, status: statusClientClosed, Message: "The client went away; the scenario evaluation was stopped."}
}

// scenarioStatuses returns every deposit's status under expr ("" for the
// latest control snapshot) and the label of that snapshot or scenario,
// for the supply what-if. param names the parameter in errors.
func (s *Server) scenarioStatuses(ctx context.Context, param, expr string) (map[string]nadra.Status, string, error) {
	var rep *nadra.AccessReport
	if strings.TrimSpace(expr) == "" {
		v, err := s.accessAt(ctx, "")
		if err != nil {
			return nil, "", err
		}
		rep = v.Report
	} else {
		v, err := s.evalScenario(ctx, scenarioQuery{expr: expr, exprParam: param})
		if err != nil {
			return nil, "", err
		}
		rep = v.ev.Result.Scenario
	}
	st := make(map[string]nadra.Status, len(rep.Deposits))
	for _, d := range rep.Deposits {
		st[d.ID] = d.Status
	}
	return st, rep.Snapshot, nil
}

// jsonCompact is raw JSON without insignificant space, for hashing.
func jsonCompact(raw []byte) []byte {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}

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
			{Label: "Border with Russia, Belarus", Fill: "none", Stroke: colBorder, Dash: "5 3"},
			{Label: "Deposit: controlled", Fill: colControlled, Stroke: "#fff", Circle: true},
			{Label: "Deposit: occupied", Fill: colOccDep, Stroke: "#fff", Circle: true},
			{Label: "Ringed: changes hands", Fill: "#fff", Stroke: "#CC79A7", Circle: true},
		},
		SizeLegend:      mb.sizeLegend,
		SizeLegendTitle: "In-situ value, an upper bound (US$):",
		Sources: []string{
			"Scenario: " + v.label + ". Baseline: " + v.baselineText + ". Control areas: DeepStateMap.",
			"Boundaries © OpenStreetMap contributors (ODbL) via geoBoundaries. Deposits and figures: nadra's dataset, a source on every row.",
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

// scenariosPage is the scenarios page's data.
type scenariosPage struct {
	Scenarios       []dataset.Scenario
	Expr, Baseline  string
	Drawn           string // GeoJSON of a polygon drawn on the map, if any
	Selected        *dataset.Scenario
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
	// A drawn area comes as corners in the map's units (drawn_svg, from
	// the page's script) or as GeoJSON (drawn), by POST or in the URL: the
	// page's URL carries it as GeoJSON, so a link reproduces the view.
	d := strings.TrimSpace(r.Form.Get("drawn"))
	if len(d) > maxDrawnURL {
		s.scenarioPageError(w, r, p, nadra.Errorf(nadra.EINVALID, "drawn: %d bytes of GeoJSON; at most %d.", len(d), maxDrawnURL))
		return
	}
	if pts := strings.TrimSpace(r.Form.Get("drawn_svg")); pts != "" {
		raw, err := s.drawnFromSVG(pts)
		if err != nil {
			s.scenarioPageError(w, r, p, err)
			return
		}
		d = string(raw)
	}
	if d != "" {
		fc, err := featureCollection(json.RawMessage(d))
		if err != nil {
			s.scenarioPageError(w, r, p, err)
			return
		}
		q.drawn, p.Drawn = fc, d
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

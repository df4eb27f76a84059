package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"nadra"
	"nadra/dataset"
	"nadra/geo"

	"github.com/danielgtaylor/huma/v2"
)

// DefaultBaseline is what a scenario is compared with unless the request
// says otherwise: the latest control line.
const DefaultBaseline = "occupied@latest"

// ScenariosOutput lists the shipped scenarios.
type ScenariosOutput struct {
	Body struct {
		Scenarios []dataset.Scenario `json:"scenarios"`
		Regions   string             `json:"regions" doc:"The regions an expression may name."`
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
	const evalDesc = "The access report as if the expression's area were the occupied ground (deposits inside it occupied, the rest controlled; scenarios have no grey zone), and what changes hands against the baseline: the deposits each way, the contained quantity and in-situ value per commodity, and the land in km² (equal-area, sea excluded). A syntax error is a 400 naming the parameter and the column."
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
		Description: evalDesc + " The body may carry a drawn polygon, which the expression names as file:drawn; the server reads no files other than the shipped ones.",
		Tags:        []string{"scenarios"},
	}, s.handleScenarioEvalPost)
}

// handleScenarioIndex handles the "GET /api/v1/scenarios" route.
func (s *Server) handleScenarioIndex(ctx context.Context, _ *struct{}) (*ScenariosOutput, error) {
	list, err := dataset.Scenarios()
	if err != nil {
		return nil, err
	}
	out := &ScenariosOutput{}
	out.Body.Scenarios = list
	out.Body.Regions = geo.RegionHelp
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
	if _, err := geo.ScenarioPolygons(fc); err != nil {
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
	ev                  *geo.Evaluation
	expr, baseline      string // as asked, trimmed
	exprText, baseText  string // the expressions evaluated (shipped ids expanded)
	label, baselineText string

	pathsOnce sync.Once
	paths     scenarioPaths
}

// scenarioPaths are a scenario's areas as map path data.
type scenarioPaths struct{ area, gain, loss string }

// exprError is a scenario expression that does not parse, with what a
// page needs to point at the column.
type exprError struct {
	Param, Expr string
	Col         int // 1-based
	err         *nadra.Error
}

func (e *exprError) Error() string { return e.err.Error() }
func (e *exprError) Unwrap() error { return e.err }

// namedScenarios maps shipped ids to their expressions.
var namedScenarios = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	if list, err := dataset.Scenarios(); err == nil {
		for _, s := range list {
			m[s.ID] = s.Expression
		}
	}
	return m
})

// evaluator returns the scenario evaluator of the server: snapshots from
// the cache, shipped scenario ids, and file:NAME only for shipped files
// and the drawn polygon; never a path on the server.
func (s *Server) evaluator(ctx context.Context, drawn []byte) *geo.Evaluator {
	return &geo.Evaluator{
		SnapshotAt: func(date string) (*nadra.Snapshot, error) { return s.snapshotAt(ctx, date) },
		Boundaries: s.Boundaries,
		Named:      namedScenarios(),
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
	}
}

// bindScenario binds one expression, naming param in errors; a syntax
// error is an *exprError with the column.
func bindScenario(ev *geo.Evaluator, param, expr string) (*geo.Scenario, error) {
	sc, err := ev.Bind(expr)
	if err != nil {
		return nil, scenarioError(ev, param, expr, err)
	}
	return sc, nil
}

// scenarioError names param in an error about expr, keeping the column
// of a syntax error.
func scenarioError(ev *geo.Evaluator, param, expr string, err error) error {
	var pe *geo.ParseError
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

// evalScenario evaluates a scenario against its baseline, once per
// expression, baseline, drawn polygon and state of the database.
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
	// Syntax first: no database needed to say where an expression is wrong.
	syntax := &geo.Evaluator{Named: namedScenarios()}
	for _, p := range []struct{ param, expr string }{{q.exprParam, q.expr}, {"baseline", q.baseline}} {
		x, _ := syntax.Expand(p.expr)
		if _, err := geo.ParseScenario(x); err != nil {
			return nil, scenarioError(syntax, p.param, p.expr, err)
		}
	}
	reg, _, key, err := s.access.state(ctx)
	if err != nil {
		return nil, err
	}
	dh := ""
	if q.drawn != nil {
		sum := sha256.Sum256(q.drawn)
		dh = hex.EncodeToString(sum[:8])
	}
	ckey := strings.Join([]string{key, q.expr, q.baseline, dh}, "\x00")
	return s.scenarios.get(ckey, func() (*scenarioView, error) {
		ctx := context.WithoutCancel(ctx) // shared: one client leaving must not spoil it
		ev := s.evaluator(ctx, q.drawn)
		sc, err := bindScenario(ev, q.exprParam, q.expr)
		if err != nil {
			return nil, err
		}
		base, err := bindScenario(ev, "baseline", q.baseline)
		if err != nil {
			return nil, err
		}
		res, err := ev.Evaluate(sc, base, reg, time.Now().UTC().Format(nadra.DateLayout))
		if err != nil {
			return nil, err
		}
		v := &scenarioView{ev: res, expr: q.expr, baseline: q.baseline, label: sc.Source, baselineText: base.Source}
		v.exprText, _ = ev.Expand(q.expr)
		v.baseText, _ = ev.Expand(q.baseline)
		return v, nil
	})
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

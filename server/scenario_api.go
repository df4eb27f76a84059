// The scenario API: the routes, their inputs and outputs, and the drawn
// GeoJSON a request may carry.

package server

import (
	"context"
	"encoding/json"
	"net/http"

	"nadra"
	"nadra/scenario"

	"github.com/danielgtaylor/huma/v2"
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

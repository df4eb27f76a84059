// Evaluating a scenario: binding its expressions (shipped ids, shipped
// files and a drawn area), the time budget, and the evaluations shared
// between requests.

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
	"runtime"
	"strings"
	"sync"
	"time"

	"nadra"
	"nadra/geo"
	"nadra/scenario"

	"github.com/paulmach/orb"
)

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
			if data, ok := scenario.ShippedFile(s.ScenarioFiles, name); ok {
				return data, "shipped file " + name, nil
			}
			shipped := "none are shipped"
			if list := scenario.ShippedFiles(s.ScenarioFiles); len(list) > 0 {
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

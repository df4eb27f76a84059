package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"nadra"
	"nadra/supply"

	"github.com/danielgtaylor/huma/v2"
)

// SupplyOverviewInput is the supply overview's query.
type SupplyOverviewInput struct {
	Year int `query:"year" minimum:"0" doc:"Year; default the latest with data, per commodity." example:"2024"`
}

// SupplyOverviewOutput is one row per commodity.
type SupplyOverviewOutput struct {
	Body struct {
		Commodities []supply.OverviewRow `json:"commodities"`
		Notes       []string             `json:"notes"`
	}
}

// SupplyInput is one commodity's supply report and what-if.
type SupplyInput struct {
	Commodity     string   `path:"commodity" doc:"Supply commodity code, e.g. lithium, rare_earths (see /supply)." example:"lithium"`
	Stage         string   `query:"stage" doc:"mine or refining. Default: mine where there is one."`
	Year          int      `query:"year" minimum:"0" doc:"Year. Default: the latest with data."`
	Add           []string `query:"add,explode" doc:"What-if: add Q per year, in the table's unit, to country CC (ISO 3166-1 alpha-2), as CC:Q; repeat the parameter or separate with commas (no thousands separators)." example:"UA:40000"`
	AddAccessible string   `query:"add_accessible" doc:"What-if: add to Ukraine the potential annual output (Taylor's rule) of the registry's deposits that are controlled under this scenario expression or shipped id; latest for the latest control snapshot." example:"ceasefire-latest"`
	Deposits      string   `query:"deposits" doc:"Comma-separated deposit ids: only these deposits' potential; without add_accessible they are added whatever their status." example:"dobra,polokhivske"`
	Recovery      float64  `query:"recovery" default:"1" exclusiveMinimum:"0" maximum:"1" doc:"Fraction of contained metal recovered (1: no losses, an upper bound)."`
}

// SupplyOutput is the report.
type SupplyOutput struct {
	Body *supply.Report
}

func (s *Server) registerSupplyRoutes() {
	register(s, s.api, huma.Operation{
		OperationID: "get-supply-overview",
		Method:      http.MethodGet,
		Path:        "/supply",
		Summary:     "World supply by commodity",
		Description: "One row per commodity: China's share of world production, the Herfindahl-Hirschman index (0-10,000), the top producer, China's refining share where known, US net import reliance, and the deposits Ukraine's registry holds. Every figure's table is in the sources of GET /supply/{commodity}.",
		Tags:        []string{"supply"},
	}, s.handleSupplyIndex)
	register(s, s.api, huma.Operation{
		OperationID: "get-supply",
		Method:      http.MethodGet,
		Path:        "/supply/{commodity}",
		Summary:     "One commodity's supply and a what-if",
		Description: "Country shares, HHI, China's and the top three producers' shares, the governance-weighted HHI, the EU supply-risk indicator and US import reliance for one commodity, stage and year; with add, add_accessible or deposits, the same before and after adding supply, the change, and every assumption.",
		Tags:        []string{"supply"},
	}, s.handleSupplyView)
}

// supplyNotes explain the overview's columns.
var supplyNotes = []string{
	"china_share and hhi are shares of the sum of the table's rows and the Herfindahl-Hirschman index (0-10,000) of named producers; hhi_lower_bound marks an 'other countries' row or a share-only table.",
	"china_refining_share is China's share of the commodity's refining table, latest year; lithium, cobalt and graphite are approximate shares quoted from the IEA by a weak source.",
	"us_import_reliance is USGS net import reliance (E: net exporter).",
}

// handleSupplyIndex handles the "GET /api/v1/supply" route.
func (s *Server) handleSupplyIndex(ctx context.Context, in *SupplyOverviewInput) (*SupplyOverviewOutput, error) {
	inputs, err := s.supplyInputs(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := supply.Overview(inputs, in.Year)
	if err != nil {
		return nil, err
	}
	out := &SupplyOverviewOutput{}
	out.Body.Commodities, out.Body.Notes = rows, supplyNotes
	return out, nil
}

// handleSupplyView handles the "GET /api/v1/supply/{commodity}" route.
func (s *Server) handleSupplyView(ctx context.Context, in *SupplyInput) (*SupplyOutput, error) {
	q, err := supplyQuery(in)
	if err != nil {
		return nil, err
	}
	inputs, err := s.supplyInputs(ctx)
	if err != nil {
		return nil, err
	}
	rep, err := supply.NewReport(inputs, q)
	if err != nil {
		return nil, supplyError(err)
	}
	return &SupplyOutput{Body: rep}, nil
}

// supplyQuery checks the parameters, naming the bad one.
func supplyQuery(in *SupplyInput) (supply.Query, error) {
	q := supply.Query{Commodity: in.Commodity, Stage: strings.TrimSpace(in.Stage), Year: in.Year, Recovery: in.Recovery}
	if q.Recovery == 0 {
		q.Recovery = 1
	}
	if q.Stage != "" && !nadra.ValidStage(q.Stage) {
		return q, nadra.Errorf(nadra.EINVALID, "stage: %q; expected mine or refining.", q.Stage)
	}
	for _, v := range in.Add {
		for _, kv := range strings.Split(v, ",") {
			if strings.TrimSpace(kv) == "" {
				continue
			}
			p, err := supply.ParseAddition(kv)
			if err != nil {
				return q, nadra.Errorf(nadra.EINVALID, "add: %s", nadra.ErrorMessage(err))
			}
			q.Add = append(q.Add, p)
		}
	}
	if x := strings.TrimSpace(in.AddAccessible); x != "" {
		q.Accessible = &x
	}
	for _, id := range strings.Split(in.Deposits, ",") {
		if id = strings.TrimSpace(id); id != "" {
			q.Deposits = append(q.Deposits, id)
		}
	}
	return q, nil
}

// supplyError names the parameter a report's error is about.
func supplyError(err error) error {
	var qe *supply.QueryError
	code := nadra.ErrorCode(err)
	if !errors.As(err, &qe) || code == nadra.EINTERNAL {
		return err
	}
	param := qe.Field
	if param == "accessible" {
		param = "add_accessible"
	}
	msg := nadra.ErrorMessage(err)
	if !strings.HasPrefix(msg, param+":") {
		msg = param + ": " + msg
	}
	return nadra.Errorf(code, "%s", msg)
}

// supplyInputs returns the supply tables (re-read at most every
// registryTTL), the registry, and statuses under a scenario from the
// scenario cache.
func (s *Server) supplyInputs(ctx context.Context) (supply.Inputs, error) {
	data, err := s.supplyData(ctx)
	if err != nil {
		return supply.Inputs{}, err
	}
	reg, _, _, err := s.access.state(ctx)
	if err != nil {
		return supply.Inputs{}, err
	}
	return supply.Inputs{Data: data, Deposits: reg.Deposits, Estimates: reg.Estimates,
		Statuses: func(expr string) (map[string]nadra.Status, string, error) {
			return s.scenarioStatuses(ctx, "add_accessible", expr)
		}}, nil
}

// supplyCache holds the supply tables for registryTTL.
type supplyCache struct {
	mu   sync.Mutex
	at   time.Time
	data *nadra.SupplyData
}

func (s *Server) supplyData(ctx context.Context) (*nadra.SupplyData, error) {
	c := &s.supplyTables
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.data != nil && time.Since(c.at) < registryTTL {
		return c.data, nil
	}
	d, err := s.Supply.FindSupplyData(ctx)
	if err != nil {
		return nil, err
	}
	c.data, c.at = d, time.Now()
	return d, nil
}

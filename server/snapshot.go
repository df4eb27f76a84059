package server

import (
	"context"
	"net/http"

	"nadra"

	"github.com/danielgtaylor/huma/v2"
)

// SnapshotsOutput lists the control snapshots.
type SnapshotsOutput struct {
	Body struct {
		Snapshots []nadra.SnapshotInfo `json:"snapshots"`
	}
}

// CommoditiesOutput lists the commodities.
type CommoditiesOutput struct {
	Body struct {
		Commodities []*nadra.Commodity `json:"commodities"`
	}
}

func (s *Server) registerSnapshotRoutes() {
	register(s, s.api, huma.Operation{
		OperationID: "list-snapshots",
		Method:      http.MethodGet,
		Path:        "/snapshots",
		Summary:     "List control snapshots",
		Description: "Every control snapshot by date, with its source, whether its grey zone is known, and its occupied and grey areas in km² (equal-area).",
		Tags:        []string{"control"},
	}, s.handleSnapshotIndex)
}

// handleSnapshotIndex handles the "GET /api/v1/snapshots" route.
func (s *Server) handleSnapshotIndex(ctx context.Context, _ *struct{}) (*SnapshotsOutput, error) {
	infos, err := s.Snapshots.FindSnapshots(ctx)
	if err != nil {
		return nil, err
	}
	out := &SnapshotsOutput{}
	out.Body.Snapshots = infos
	if out.Body.Snapshots == nil {
		out.Body.Snapshots = []nadra.SnapshotInfo{}
	}
	return out, nil
}

func (s *Server) registerCommodityRoutes() {
	register(s, s.api, huma.Operation{
		OperationID: "list-commodities",
		Method:      http.MethodGet,
		Path:        "/commodities",
		Summary:     "List commodities",
		Description: "Commodity codes with their price basis, one indicative price with its year and source, and critical-list status.",
		Tags:        []string{"deposits"},
	}, s.handleCommodityIndex)
}

// handleCommodityIndex handles the "GET /api/v1/commodities" route.
func (s *Server) handleCommodityIndex(ctx context.Context, _ *struct{}) (*CommoditiesOutput, error) {
	cs, err := s.Commodities.FindCommodities(ctx)
	if err != nil {
		return nil, err
	}
	out := &CommoditiesOutput{}
	out.Body.Commodities = cs
	if cs == nil {
		out.Body.Commodities = []*nadra.Commodity{}
	}
	return out, nil
}

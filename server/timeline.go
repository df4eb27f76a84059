package server

import (
	"context"
	"net/http"
	"strings"

	"nadra"
	"nadra/geo"

	"github.com/danielgtaylor/huma/v2"
)

// TimelineInput is the timeline's query.
type TimelineInput struct {
	From      string `query:"from" doc:"First date YYYY-MM-DD; snapshots on or after it. Default: the first snapshot." example:"2024-01-01"`
	To        string `query:"to" doc:"Last date YYYY-MM-DD; snapshots on or before it. Default: the latest snapshot."`
	Commodity string `query:"commodity" doc:"Only this commodity's shares and the status changes of its deposits (see /commodities). Default: every commodity." example:"lithium"`
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
	tl, err := s.timeline(ctx, in.From, in.To, in.Commodity)
	if err != nil {
		return nil, err
	}
	return &TimelineOutput{Body: tl}, nil
}

// timeline checks the parameters and returns the timeline from from to
// to for commodity, cut from the whole timeline, which is computed once
// per registry and snapshot list (about a second for 54 snapshots).
func (s *Server) timeline(ctx context.Context, from, to, commodity string) (*nadra.Timeline, error) {
	var err error
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
	if commodity != "" {
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

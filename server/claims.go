package server

import (
	"context"
	"net/http"

	"nadra"
	"nadra/claims"
	"nadra/internal/numfmt"

	"github.com/danielgtaylor/huma/v2"
)

// ClaimsOutput is the claims report.
type ClaimsOutput struct {
	Body *nadra.ClaimsReport
}

func (s *Server) registerClaimsRoutes() {
	register(s, s.api, huma.Operation{
		OperationID: "get-claims",
		Method:      http.MethodGet,
		Path:        "/claims",
		Summary:     "Public claims tested",
		Description: "Every claim of the claims register (who, when, the exact words, the stated basis, the sources), with nadra's own figure under each method that fits (count, contained quantity, in-situ value, value net of recoverable cost; production share for supply claims), on the claim's own date and on the latest line, with and without the areas occupied before 2022, each with its coverage, the deposits behind it, a verdict (consistent, not consistent, not testable with this data) and one sentence why. As `nadra claims --json`.",
		Tags:        []string{"access"},
	}, s.handleClaims)
}

// handleClaims handles the "GET /api/v1/claims" route.
func (s *Server) handleClaims(ctx context.Context, _ *struct{}) (*ClaimsOutput, error) {
	rep, err := s.claims(ctx)
	if err != nil {
		return nil, err
	}
	return &ClaimsOutput{Body: rep}, nil
}

// claims tests the claims register (s.Claims) against the database, once
// per registry and snapshot list.
func (s *Server) claims(ctx context.Context) (*nadra.ClaimsReport, error) {
	reg, infos, key, err := s.access.state(ctx)
	if err != nil {
		return nil, err
	}
	return s.claimReports.get(key, func() (*nadra.ClaimsReport, error) {
		ctx := context.WithoutCancel(ctx) // shared: one client leaving must not spoil it
		if len(infos) == 0 {
			return nil, nadra.Errorf(nadra.ENOTFOUND, "No control snapshots in the database; import some with `nadra import control`.")
		}
		if s.Claims == nil {
			return nil, nadra.Errorf(nadra.EINTERNAL, "the server has no claims register")
		}
		cs, err := s.Claims()
		if err != nil {
			return nil, err
		}
		params, err := s.modelParams()
		if err != nil {
			return nil, err
		}
		net, err := claims.NetByDeposit(reg, params)
		if err != nil {
			return nil, err
		}
		data, err := s.supplyData(ctx)
		if err != nil {
			return nil, err
		}
		at := claims.SnapshotSituations(infos, func(date string) (*nadra.Snapshot, error) {
			info, _, err := s.resolveSnapshot(ctx, date)
			if err != nil {
				return nil, err
			}
			return s.snapshot(ctx, info)
		}, s.Boundaries)
		return claims.Evaluate(cs, claims.Inputs{Registry: reg, At: at, Latest: infos[len(infos)-1].Date, Net: net, Supply: data})
	})
}

// claimsPage is the claims page's data.
type claimsPage struct {
	Report *nadra.ClaimsReport
}

// handleClaimsPage handles the "GET /claims" route: each claim with its
// words, basis and sources, nadra's figures with their coverage and
// verdicts, and links to the deposits behind each figure.
func (s *Server) handleClaimsPage(w http.ResponseWriter, r *http.Request) {
	rep, err := s.claims(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "claims", "Claims", &claimsPage{Report: rep})
}

// claimFigureText is a figure as the page shows it: a share, a dollar
// amount, or "n/a".
func claimFigureText(f nadra.ClaimFigure) string {
	switch {
	case f.Value == nil:
		return "n/a"
	case f.Unit == "USD" && (f.Whole == nil || *f.Part == *f.Whole):
		return usdText(f.Value)
	}
	return pctStr(f.Value)
}

// claimPartWhole is the part and the whole a share divides.
func claimPartWhole(f nadra.ClaimFigure) string {
	if f.Part == nil || f.Whole == nil || (f.Unit == "USD" && *f.Part == *f.Whole) {
		return ""
	}
	switch f.Unit {
	case "USD":
		return usdText(f.Part) + " of " + usdText(f.Whole)
	case "deposits":
		return numfmt.Thousands(*f.Part) + " of " + numfmt.Thousands(*f.Whole) + " deposits"
	}
	return humanQty(*f.Part) + " of " + humanQty(*f.Whole) + " " + f.Unit[2:]
}

package server

import (
	"context"
	"math"
	"net/http"
	"sort"
	"strings"

	"nadra"
	"nadra/geo"

	"github.com/danielgtaylor/huma/v2"
	"github.com/paulmach/orb"
)

// DepositItem is a deposit with its control status on a date.
type DepositItem struct {
	nadra.Deposit
	OblastName string `json:"oblast_name"`
	// Status fields on the report's date; see nadra.DepositAccess.
	Status     nadra.Status `json:"status" enum:"controlled,occupied,grey,unknown"`
	Since      *string      `json:"since" doc:"\"2022\" or \"before 2022\" when occupied"`
	DistanceKm *float64     `json:"distance_km" doc:"Geodesic km to hostile ground (to controlled ground if occupied or grey); null without coordinates."`
	Uncertain  bool         `json:"uncertain" doc:"The point's own error (precision_km) could flip the status."`
	InSituUSD  *float64     `json:"in_situ_usd" doc:"Contained quantity × price summed over commodities: an upper bound, null when no figure can be priced."`
}

// DepositList is one page of deposits.
type DepositList struct {
	Date     string        `json:"date" doc:"The date statuses are on."`
	Snapshot string        `json:"snapshot" doc:"The control snapshot in force on that date."`
	Total    int           `json:"total" doc:"Matches before paging."`
	Offset   int           `json:"offset"`
	Limit    int           `json:"limit"`
	Deposits []DepositItem `json:"deposits"`
}

// Valuation is how nadra values one commodity of a deposit, with the
// source of every figure it uses.
type Valuation struct {
	Commodity    string   `json:"commodity"`
	Basis        string   `json:"basis" doc:"What a tonne of contained_t counts, e.g. Li2O."`
	ContainedT   *float64 `json:"contained_t" doc:"Headline contained quantity in tonnes of basis (nadra.HeadlineContained); null when no published figure gives one."`
	Sources      []string `json:"sources" doc:"Sources of the published figures the quantity rests on."`
	PriceUSDPerT *float64 `json:"price_usd_per_t"`
	PriceYear    *int     `json:"price_year"`
	PriceSource  string   `json:"price_source"`
	InSituUSD    *float64 `json:"in_situ_usd" doc:"contained_t × price: an upper bound."`
}

// DepositDetail is a deposit with its status, published estimates and
// valuation.
type DepositDetail struct {
	DepositItem
	Date       string            `json:"date"`
	Snapshot   string            `json:"snapshot"`
	Estimates  []*nadra.Estimate `json:"estimates"`
	Valuations []Valuation       `json:"valuations"`
}

// DepositsInput is the deposits list's query.
type DepositsInput struct {
	Commodity string `query:"commodity" doc:"Commodity code, e.g. lithium (see /commodities)." example:"lithium"`
	Oblast    string `query:"oblast" doc:"Oblast as an ISO 3166-2 code (UA-14) or English name (Donetsk)."`
	Status    string `query:"status" enum:"controlled,occupied,grey,unknown,inaccessible" doc:"Control status on date; inaccessible means occupied or grey."`
	Date      string `query:"date" doc:"Date YYYY-MM-DD for statuses; default the latest control snapshot." example:"2025-02-12"`
	BBox      string `query:"bbox" doc:"minLon,minLat,maxLon,maxLat in WGS84 degrees; deposits without coordinates never match." example:"36,47,38,48.5"`
	Q         string `query:"q" doc:"Case-insensitive text in the name or Ukrainian name."`
	Limit     int    `query:"limit" default:"100" minimum:"1" maximum:"1000"`
	Offset    int    `query:"offset" default:"0" minimum:"0" maximum:"1000000"`
}

// DepositsOutput is the deposits list.
type DepositsOutput struct{ Body *DepositList }

// DepositInput names one deposit.
type DepositInput struct {
	ID   string `path:"id" doc:"Deposit id, e.g. shevchenkivske."`
	Date string `query:"date" doc:"Date YYYY-MM-DD for the status; default the latest control snapshot."`
}

// DepositOutput is one deposit.
type DepositOutput struct{ Body *DepositDetail }

func (s *Server) registerDepositRoutes() {
	register(s, s.api, huma.Operation{
		OperationID: "list-deposits",
		Method:      http.MethodGet,
		Path:        "/deposits",
		Summary:     "List deposits",
		Description: "Deposits ordered by id, each with its control status on date. Filters combine with AND.",
		Tags:        []string{"deposits"},
	}, s.handleDepositIndex)
	register(s, s.api, huma.Operation{
		OperationID: "get-deposit",
		Method:      http.MethodGet,
		Path:        "/deposits/{id}",
		Summary:     "One deposit with its estimates and sources",
		Tags:        []string{"deposits"},
	}, s.handleDepositView)
}

// depositQuery is a parsed, checked DepositsInput.
type depositQuery struct {
	filter nadra.DepositFilter
	status string
	date   string
	bbox   *orb.Bound
}

func (s *Server) parseDepositQuery(ctx context.Context, in *DepositsInput) (depositQuery, error) {
	q := depositQuery{status: in.Status, filter: nadra.DepositFilter{Query: strings.TrimSpace(in.Q)}}
	var err error
	if q.date, err = parseDate("date", in.Date); err != nil {
		return q, err
	}
	if in.Commodity != "" {
		reg, _, _, err := s.access.load(ctx)
		if err != nil {
			return q, err
		}
		comms := reg.Commodities
		var codes []string
		for _, c := range comms {
			codes = append(codes, c.Code)
			if c.Code == in.Commodity {
				q.filter.Commodity = c.Code
			}
		}
		if q.filter.Commodity == "" {
			return q, nadra.Errorf(nadra.EINVALID, "commodity: unknown commodity %q; expected one of %s.", in.Commodity, strings.Join(codes, ", "))
		}
	}
	if in.Oblast != "" {
		if q.filter.Oblast = oblastCode(in.Oblast); q.filter.Oblast == "" {
			return q, nadra.Errorf(nadra.EINVALID, "oblast: unknown oblast %q; expected an ISO 3166-2 code such as UA-14 or a name such as Donetsk.", in.Oblast)
		}
	}
	if in.BBox != "" {
		b, err := parseBBox("bbox", in.BBox)
		if err != nil {
			return q, err
		}
		q.bbox = &b
	}
	return q, nil
}

// oblastCode returns the ISO code of an oblast given by code or English
// name, or "".
func oblastCode(s string) string { return nadra.OblastCode(s) }

// parseBBox parses "minLon,minLat,maxLon,maxLat" (or the six numbers of
// a 3D box, whose heights are ignored): decimal numbers, longitudes in
// -180..180, latitudes in -90..90, min ≤ max. NaN, infinities and
// anything else are refused, naming param.
func parseBBox(param, v string) (orb.Bound, error) {
	parts := strings.Split(v, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return orb.Bound{}, nadra.Errorf(nadra.EINVALID, "%s: %q is not a bounding box; expected 4 numbers minLon,minLat,maxLon,maxLat in degrees.", param, v)
	}
	var f []float64
	for _, p := range parts {
		x, ok := parseNumber(strings.TrimSpace(p))
		if !ok {
			return orb.Bound{}, nadra.Errorf(nadra.EINVALID, "%s: %q is not a finite decimal number; expected minLon,minLat,maxLon,maxLat in degrees.", param, strings.TrimSpace(p))
		}
		f = append(f, x)
	}
	if len(f) == 6 { // minLon,minLat,minZ,maxLon,maxLat,maxZ
		f = []float64{f[0], f[1], f[3], f[4]}
	}
	if f[0] > f[2] || f[1] > f[3] || f[1] < -90 || f[3] > 90 || f[0] < -180 || f[2] > 180 {
		return orb.Bound{}, nadra.Errorf(nadra.EINVALID, "%s: %q is not a bounding box; expected minLon ≤ maxLon and minLat ≤ maxLat within -180..180 and -90..90.", param, v)
	}
	return orb.Bound{Min: orb.Point{f[0], f[1]}, Max: orb.Point{f[2], f[3]}}, nil
}

// findDeposits returns the deposits matching q with their status, all of
// them (paging is the caller's).
func (s *Server) findDeposits(ctx context.Context, q depositQuery) ([]DepositItem, *accessView, error) {
	v, err := s.accessAt(ctx, q.date)
	if err != nil {
		if v, err = s.noControlView(ctx, q.date, err); err != nil {
			return nil, nil, err
		}
	}
	byID := accessByID(v.Report)
	var out []DepositItem
	query := strings.ToLower(q.filter.Query)
	for _, d := range v.Registry.Deposits {
		// The filter as sqlite applies it, over the registry already read.
		switch {
		case q.filter.Commodity != "" && !d.HasCommodity(q.filter.Commodity),
			q.filter.Oblast != "" && d.Oblast != q.filter.Oblast,
			query != "" && !strings.Contains(strings.ToLower(d.Name), query) && !strings.Contains(strings.ToLower(d.NameUK), query):
			continue
		}
		it := depositItem(d, byID[d.ID])
		if q.bbox != nil && (!d.HasLocation() || !q.bbox.Contains(orb.Point{*d.Lon, *d.Lat})) {
			continue
		}
		switch q.status {
		case "":
		case "inaccessible":
			if !it.Status.Inaccessible() {
				continue
			}
		default:
			if string(it.Status) != q.status {
				continue
			}
		}
		out = append(out, it)
	}
	return out, v, nil
}

func accessByID(rep *nadra.AccessReport) map[string]*nadra.DepositAccess {
	m := make(map[string]*nadra.DepositAccess, len(rep.Deposits))
	for i := range rep.Deposits {
		m[rep.Deposits[i].ID] = &rep.Deposits[i]
	}
	return m
}

func depositItem(d *nadra.Deposit, a *nadra.DepositAccess) DepositItem {
	it := DepositItem{Deposit: *d, OblastName: nadra.Oblasts[d.Oblast], Status: nadra.StatusUnknown}
	if a != nil {
		it.Status, it.Since, it.DistanceKm, it.Uncertain, it.InSituUSD = a.Status, a.Since, a.DistanceKm, a.Uncertain, a.InSituUSD
	}
	if it.Commodities == nil {
		it.Commodities = []string{}
	}
	if it.Sources == nil {
		it.Sources = []string{}
	}
	return it
}

// handleDepositIndex handles the "GET /api/v1/deposits" route.
func (s *Server) handleDepositIndex(ctx context.Context, in *DepositsInput) (*DepositsOutput, error) {
	q, err := s.parseDepositQuery(ctx, in)
	if err != nil {
		return nil, err
	}
	items, v, err := s.findDeposits(ctx, q)
	if err != nil {
		return nil, err
	}
	list := &DepositList{Date: v.Date, Snapshot: v.Info.Date, Total: len(items), Offset: in.Offset, Limit: in.Limit, Deposits: []DepositItem{}}
	if in.Offset < len(items) {
		items = items[in.Offset:]
		if len(items) > in.Limit {
			items = items[:in.Limit]
		}
		list.Deposits = items
	}
	return &DepositsOutput{Body: list}, nil
}

// handleDepositView handles the "GET /api/v1/deposits/{id}" route.
func (s *Server) handleDepositView(ctx context.Context, in *DepositInput) (*DepositOutput, error) {
	date, err := parseDate("date", in.Date)
	if err != nil {
		return nil, err
	}
	det, err := s.depositDetail(ctx, in.ID, date)
	if err != nil {
		return nil, err
	}
	return &DepositOutput{Body: det}, nil
}

func (s *Server) depositDetail(ctx context.Context, id, date string) (*DepositDetail, error) {
	d, err := s.Deposits.FindDepositByID(ctx, id)
	if err != nil {
		return nil, err
	}
	v, err := s.accessAt(ctx, date)
	if err != nil {
		return nil, err
	}
	ests, err := s.Deposits.FindEstimates(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	if ests == nil {
		ests = []*nadra.Estimate{}
	}
	return &DepositDetail{
		DepositItem: depositItem(d, accessByID(v.Report)[d.ID]),
		Date:        v.Date, Snapshot: v.Info.Date,
		Estimates:  ests,
		Valuations: valuations(d, ests, v.Registry.Commodities),
	}, nil
}

// valuations values each commodity of a deposit the way geo.Access does,
// keeping the sources of each figure.
func valuations(d *nadra.Deposit, ests []*nadra.Estimate, comms []*nadra.Commodity) []Valuation {
	byCode := map[string]*nadra.Commodity{}
	for _, c := range comms {
		byCode[c.Code] = c
	}
	codes := append([]string{}, d.Commodities...)
	for _, e := range ests {
		if !contains(codes, e.Commodity) {
			codes = append(codes, e.Commodity)
		}
	}
	out := []Valuation{}
	for _, code := range codes {
		v := Valuation{Commodity: code, Sources: []string{}}
		k := byCode[code]
		if k == nil {
			out = append(out, v)
			continue
		}
		v.Basis, v.PriceUSDPerT, v.PriceYear, v.PriceSource = k.Basis, k.PriceUSDPerT, k.PriceYear, k.PriceSource
		var mine []*nadra.Estimate
		for _, e := range ests {
			if e.Commodity == code {
				mine = append(mine, e)
			}
		}
		if h, ok := nadra.HeadlineContained(mine, k.Basis); ok {
			q := h.Quantity
			v.ContainedT = &q
			seen := map[string]bool{}
			for _, f := range h.Figures {
				for _, src := range f.Source {
					if !seen[src] {
						seen[src] = true
						v.Sources = append(v.Sources, src)
					}
				}
			}
			if k.PriceUSDPerT != nil {
				usd := q * *k.PriceUSDPerT
				v.InSituUSD = &usd
			}
		}
		out = append(out, v)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].InSituUSD != nil && out[j].InSituUSD == nil })
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// noControl is the situation when no control snapshot is loaded (a
// -tags nosnapshots build before the user imports any): every status is
// unknown and no distance is measured.
type noControl struct{}

func (noControl) Status(orb.Point) (nadra.Status, string) { return nadra.StatusUnknown, "" }
func (noControl) HostileKm(orb.Point) float64             { return math.Inf(1) }
func (noControl) ControlledKm(orb.Point) float64          { return math.Inf(1) }
func (noControl) Describe() (string, bool, []string) {
	return "no control data", false, []string{"No control snapshots are loaded, so every status is unknown; import your own with nadra import control."}
}

// noControlView lists the registry with every status unknown when the
// database holds no control snapshot at all, so that the deposits stay
// readable; otherwise it returns err, the access view's own error.
func (s *Server) noControlView(ctx context.Context, date string, err error) (*accessView, error) {
	if nadra.ErrorCode(err) != nadra.ENOTFOUND {
		return nil, err
	}
	reg, _, infos, lerr := s.access.load(ctx)
	if lerr != nil {
		return nil, lerr
	}
	if len(infos) > 0 {
		return nil, err // snapshots exist, just none on or before date
	}
	rep := geo.Access(date, noControl{}, reg, geo.AccessOptions{NoDistances: true})
	return &accessView{Date: date, Report: rep, Registry: reg}, nil
}

package geo

import (
	"fmt"
	"math"
	"sort"

	"nadra"

	"github.com/paulmach/orb"
)

// Registry is what the access report reads besides geometry: deposits,
// estimates and the commodities' prices.
//
// deal.Registry and supply.Inputs also start from deposits and estimates,
// and are kept apart on purpose: each adds what only its question needs
// (deal: the access report already computed, licences and the rate of
// approach; supply: the supply tables and a status lookup by scenario),
// and none needs the others' additions. One shared bundle would make each
// package depend on fields it never reads.
type Registry struct {
	Deposits    []*nadra.Deposit
	Estimates   []*nadra.Estimate
	Commodities []*nadra.Commodity
}

// Situation says what is occupied: a snapshot (Classifier) or a scenario
// (scenario.Situation).
type Situation interface {
	// Status returns a point's status and, when occupied, since when ("" if
	// unknown).
	Status(p orb.Point) (nadra.Status, string)
	// HostileKm is a controlled point's distance to hostile ground.
	HostileKm(p orb.Point) float64
	// ControlledKm is an occupied or grey point's distance to
	// Ukrainian-controlled ground, +Inf if there is none.
	ControlledKm(p orb.Point) float64
	// Describe returns what the report's "snapshot" field shows, whether the
	// grey zone is known, and notes for the report.
	Describe() (label string, greyKnown bool, notes []string)
}

// AccessOptions tune Access.
type AccessOptions struct {
	// NoDistances skips distances and uncertainty, which need an overlay:
	// the timeline needs only statuses.
	NoDistances bool
}

// Access builds the access report for date in situation sit: each
// deposit's status, distance and uncertainty, and the shares inaccessible
// per commodity and in total, by count, contained quantity and in-situ
// value, each with its coverage.
func Access(date string, sit Situation, reg Registry, opt AccessOptions) *nadra.AccessReport {
	return access(date, sit, reg, DepositFigures(reg), opt)
}

// access is Access with the deposits' figures computed by the caller, so
// the timeline computes them once for all snapshots.
func access(date string, sit Situation, reg Registry, figs map[string]map[string]Figure, opt AccessOptions) *nadra.AccessReport {
	label, greyKnown, sitNotes := sit.Describe()
	rep := &nadra.AccessReport{Date: date, Snapshot: label, GreyKnown: greyKnown}
	comm := map[string]*nadra.Commodity{}
	for _, k := range reg.Commodities {
		comm[k.Code] = k
	}
	rows := map[string]*nadra.CommodityAccess{}
	row := func(code string) *nadra.CommodityAccess {
		r := rows[code]
		if r == nil {
			r = &nadra.CommodityAccess{Commodity: code}
			if k := comm[code]; k != nil {
				r.Basis = k.Basis
			}
			rows[code] = r
		}
		return r
	}
	total := &nadra.CommodityAccess{Commodity: "total"}

	for _, d := range reg.Deposits {
		da := nadra.DepositAccess{ID: d.ID, Name: d.Name, Oblast: d.Oblast, Lat: d.Lat, Lon: d.Lon,
			PrecisionKm: d.PrecisionKm, Status: nadra.StatusUnknown, Commodities: d.Commodities}
		if d.HasLocation() {
			p := orb.Point{*d.Lon, *d.Lat}
			st, since := sit.Status(p)
			da.Status = st
			if since != "" {
				da.Since = &since
			}
			km := math.Inf(1)
			switch {
			case opt.NoDistances:
			case st == nadra.StatusControlled:
				km = sit.HostileKm(p)
			default:
				km = sit.ControlledKm(p)
			}
			if !math.IsInf(km, 0) {
				km = math.Round(km*100) / 100
				da.DistanceKm = &km
				da.Uncertain = d.PrecisionKm != nil && km < *d.PrecisionKm
			}
		}
		located, inacc := da.Status != nadra.StatusUnknown, da.Status.Inaccessible()

		// Commodities: those listed, plus any with estimates, in a fixed order.
		fig := figs[d.ID]
		codes := make([]string, 0, len(fig))
		for code := range fig {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		var depUSD *float64
		depContained := false
		for _, code := range codes {
			f := fig[code]
			r := row(code)
			r.Deposits++
			r.Coverage.Deposits++
			if !located {
				continue
			}
			r.Coverage.Located++
			if da.Uncertain {
				r.Coverage.Uncertain++
			}
			if inacc {
				r.InaccessibleDeposits++
			}
			if f.Contained == nil {
				continue
			}
			r.Coverage.Contained++
			depContained = true
			r.Contained = add(r.Contained, *f.Contained)
			r.InaccessibleContained = add(r.InaccessibleContained, 0)
			if inacc {
				r.InaccessibleContained = add(r.InaccessibleContained, *f.Contained)
			}
			if f.USD == nil {
				continue
			}
			r.Coverage.Valued++
			r.InSituUSD = add(r.InSituUSD, *f.USD)
			r.InaccessibleInSituUSD = add(r.InaccessibleInSituUSD, 0)
			if inacc {
				r.InaccessibleInSituUSD = add(r.InaccessibleInSituUSD, *f.USD)
			}
			depUSD = add(depUSD, *f.USD)
		}
		da.InSituUSD = depUSD

		total.Deposits++
		total.Coverage.Deposits++
		if located {
			total.Coverage.Located++
			if da.Uncertain {
				total.Coverage.Uncertain++
			}
			if inacc {
				total.InaccessibleDeposits++
			}
			if depContained {
				total.Coverage.Contained++
			}
			if depUSD != nil {
				total.Coverage.Valued++
				total.InSituUSD = add(total.InSituUSD, *depUSD)
				total.InaccessibleInSituUSD = add(total.InaccessibleInSituUSD, 0)
				if inacc {
					total.InaccessibleInSituUSD = add(total.InaccessibleInSituUSD, *depUSD)
				}
			}
		}
		rep.Deposits = append(rep.Deposits, da)
	}

	codes := make([]string, 0, len(rows))
	for code := range rows {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		r := rows[code]
		finishShares(r)
		rep.ByCommodity = append(rep.ByCommodity, *r)
	}
	finishShares(total)
	total.Contained, total.InaccessibleContained, total.ShareContained = nil, nil, nil // mixed units
	rep.Total = *total

	rep.Notes = append(rep.Notes,
		"Inaccessible means occupied (since 2022 or before) or in the grey zone on the snapshot date.",
		"Shares are over deposits with coordinates; coverage says how many deposits each figure rests on.",
		"In-situ value is contained quantity × price: an upper bound, not recoverable value.",
		"Contained quantity per deposit is its most recent published figure (parts of one estimate added); see nadra.HeadlineContained.",
	)
	rep.Notes = append(rep.Notes, sitNotes...)
	for _, k := range reg.Commodities {
		if k.PriceUSDPerT == nil && rows[k.Code] != nil && rows[k.Code].Coverage.Contained > 0 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("No price for %s, so its value is unknown.", k.Code))
		}
	}
	return rep
}

func finishShares(r *nadra.CommodityAccess) {
	if r.Coverage.Located > 0 {
		s := float64(r.InaccessibleDeposits) / float64(r.Coverage.Located)
		r.ShareCount = &s
	}
	r.ShareContained = ratio(r.InaccessibleContained, r.Contained)
	r.ShareValue = ratio(r.InaccessibleInSituUSD, r.InSituUSD)
}

func ratio(a, b *float64) *float64 {
	if a == nil || b == nil || *b == 0 {
		return nil
	}
	v := *a / *b
	return &v
}

func add(p *float64, v float64) *float64 {
	if p == nil {
		return &v
	}
	s := *p + v
	return &s
}

// OfClass returns the registry restricted to one commodity class: the
// class's commodities, the deposits that list one of them or have a
// figure for one (each with only those commodities), and those figures.
// A deposit of two classes (titanium and phosphate, say) is in both, with
// its value split by commodity.
func (r Registry) OfClass(class nadra.CommodityClass) Registry {
	return r.Only(func(c *nadra.Commodity) bool { return c.Class == class })
}

// Only returns the registry restricted to the commodities keep accepts,
// as OfClass does for a class.
func (r Registry) Only(keep func(*nadra.Commodity) bool) Registry {
	in := map[string]bool{}
	out := Registry{}
	for _, c := range r.Commodities {
		if keep(c) {
			in[c.Code] = true
			out.Commodities = append(out.Commodities, c)
		}
	}
	has := map[string]bool{}
	for _, e := range r.Estimates {
		if in[e.Commodity] {
			out.Estimates = append(out.Estimates, e)
			has[e.DepositID] = true
		}
	}
	for _, d := range r.Deposits {
		var codes []string
		for _, c := range d.Commodities {
			if in[c] {
				codes = append(codes, c)
			}
		}
		if len(codes) == 0 && !has[d.ID] {
			continue
		}
		x := *d
		x.Commodities = codes
		out.Deposits = append(out.Deposits, &x)
	}
	return out
}

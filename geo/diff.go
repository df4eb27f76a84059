package geo

import (
	"context"
	"sort"

	"nadra"

	"github.com/paulmach/orb"
)

// Diff compares a scenario's access report with a baseline's: the
// deposits that change hands each way, the contained quantity and in-situ
// value changing hands per commodity, and (from the two areas) the land
// changing hands. scenArea and baseArea are the occupied areas of the
// scenario and the baseline; land is the outline less the sea.
func Diff(scen, base *nadra.AccessReport, reg Registry, scenArea, baseArea, land orb.MultiPolygon) (nadra.ScenarioDiff, error) {
	d := DiffDeposits(scen, base, reg)
	gain, loss, err := ChangingHands(scenArea, baseArea, land)
	if err != nil {
		return d, err
	}
	d.ToOccupiedKm2 = Ukraine.AreaKm2(gain)
	d.ToControlledKm2 = Ukraine.AreaKm2(loss)
	d.NetKm2 = d.ToOccupiedKm2 - d.ToControlledKm2
	return d, nil
}

// ChangingHands returns the land that a scenario occupies and the baseline
// does not (gain), and the other way (loss): both clipped to land.
func ChangingHands(scenArea, baseArea, land orb.MultiPolygon) (gain, loss orb.MultiPolygon, err error) {
	return ChangingHandsContext(context.Background(), scenArea, baseArea, land)
}

// ChangingHandsContext is ChangingHands checking ctx between its four overlays.
func ChangingHandsContext(ctx context.Context, scenArea, baseArea, land orb.MultiPolygon) (gain, loss orb.MultiPolygon, err error) {
	steps := []func() error{
		func() (err error) { gain, err = Difference(scenArea, baseArea); return },
		func() (err error) { gain, err = Intersection(gain, land); return },
		func() (err error) { loss, err = Difference(baseArea, scenArea); return },
		func() (err error) { loss, err = Intersection(loss, land); return },
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if err := step(); err != nil {
			return nil, nil, err
		}
	}
	return gain, loss, nil
}

// DiffDeposits is Diff without the areas: the deposits and the resources
// changing hands.
func DiffDeposits(scen, base *nadra.AccessReport, reg Registry) nadra.ScenarioDiff {
	d := nadra.ScenarioDiff{Scenario: scen.Snapshot, Baseline: base.Snapshot,
		ToOccupied: []nadra.DepositMove{}, ToControlled: []nadra.DepositMove{}, ByCommodity: []nadra.CommodityMove{}}
	before := map[string]nadra.DepositAccess{}
	for _, x := range base.Deposits {
		before[x.ID] = x
	}
	figs := DepositFigures(reg)
	comm := map[string]*nadra.Commodity{}
	for _, c := range reg.Commodities {
		comm[c.Code] = c
	}
	rows := map[string]*nadra.CommodityMove{}
	row := func(code string) *nadra.CommodityMove {
		if rows[code] == nil {
			rows[code] = &nadra.CommodityMove{Commodity: code}
			if c := comm[code]; c != nil {
				rows[code].Basis = c.Basis
			}
		}
		return rows[code]
	}
	for _, x := range scen.Deposits {
		b, ok := before[x.ID]
		if !ok || x.Status == nadra.StatusUnknown || b.Status == nadra.StatusUnknown {
			continue
		}
		wasOut, isOut := b.Status.Inaccessible(), x.Status.Inaccessible()
		if wasOut == isOut {
			continue
		}
		mv := nadra.DepositMove{ID: x.ID, Name: x.Name, Oblast: x.Oblast, Commodities: x.Commodities,
			InSituUSD: x.InSituUSD, Uncertain: x.Uncertain || b.Uncertain}
		if isOut {
			d.ToOccupied = append(d.ToOccupied, mv)
		} else {
			d.ToControlled = append(d.ToControlled, mv)
		}
		for code, f := range figs[x.ID] {
			r := row(code)
			if isOut {
				r.ToOccupiedDeposits++
				r.ToOccupiedContained = addOpt(r.ToOccupiedContained, f.Contained)
				r.ToOccupiedInSituUSD = addOpt(r.ToOccupiedInSituUSD, f.USD)
			} else {
				r.ToControlledDeposits++
				r.ToControlledContained = addOpt(r.ToControlledContained, f.Contained)
				r.ToControlledInSituUSD = addOpt(r.ToControlledInSituUSD, f.USD)
			}
		}
	}
	codes := make([]string, 0, len(rows))
	for c := range rows {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		r := rows[c]
		if r.ToOccupiedInSituUSD != nil || r.ToControlledInSituUSD != nil {
			var net float64
			if r.ToOccupiedInSituUSD != nil {
				net += *r.ToOccupiedInSituUSD
			}
			if r.ToControlledInSituUSD != nil {
				net -= *r.ToControlledInSituUSD
			}
			r.NetToOccupiedInSituUSD = &net
		}
		d.ByCommodity = append(d.ByCommodity, *r)
	}
	return d
}

// Figure is one deposit's contained quantity (in its commodity's price
// basis) and in-situ value for one commodity; nil where unknown.
type Figure struct {
	Contained *float64
	USD       *float64
}

// DepositFigures returns, per deposit and commodity, the headline
// contained quantity and its in-situ value (see nadra.HeadlineContained).
func DepositFigures(reg Registry) map[string]map[string]Figure {
	comm := map[string]*nadra.Commodity{}
	for _, c := range reg.Commodities {
		comm[c.Code] = c
	}
	byDep := map[string]map[string][]*nadra.Estimate{}
	for _, e := range reg.Estimates {
		if byDep[e.DepositID] == nil {
			byDep[e.DepositID] = map[string][]*nadra.Estimate{}
		}
		byDep[e.DepositID][e.Commodity] = append(byDep[e.DepositID][e.Commodity], e)
	}
	out := map[string]map[string]Figure{}
	for _, d := range reg.Deposits {
		out[d.ID] = map[string]Figure{}
		codes := append([]string{}, d.Commodities...)
		for c := range byDep[d.ID] {
			if !containsStr(codes, c) {
				codes = append(codes, c)
			}
		}
		for _, code := range codes {
			var f Figure
			if k := comm[code]; k != nil {
				if h, ok := nadra.HeadlineContained(byDep[d.ID][code], k.Basis); ok {
					q := h.Quantity
					f.Contained = &q
					if k.PriceUSDPerT != nil {
						v := q * *k.PriceUSDPerT
						f.USD = &v
					}
				}
			}
			out[d.ID][code] = f
		}
	}
	return out
}

func addOpt(p, v *float64) *float64 {
	if v == nil {
		return p
	}
	return add(p, *v)
}

package geo

import (
	"nadra"

	"github.com/paulmach/orb"
)

// RiskSeries measures every located deposit against every snapshot (in
// date order): its status, the distance from its uncertainty circle and
// from its point to hostile ground (as Classifier.HostileKm measures it),
// and the rate at which the front approached it since the snapshot
// before (see nadra.RiskPoint). Deposits without coordinates are left
// out. workers <= 0 uses every CPU; the result does not depend on it.
//
// The borders' distance is the same on every snapshot, so it is taken
// once per deposit; each snapshot's areas are prepared once and measured
// by the indexed nearest-edge search.
func RiskSeries(snaps []*nadra.Snapshot, b *nadra.Boundaries, deposits []*nadra.Deposit, workers int) []nadra.DepositRisk {
	var deps []*nadra.Deposit
	for _, d := range deposits {
		if d.HasLocation() {
			deps = append(deps, d)
		}
	}
	pts := make([]orb.Point, len(deps))
	borderKm := make([]float64, len(deps))
	hasBorder := make([]bool, len(deps))
	borders := HostileBorders(b)
	for i, d := range deps {
		pts[i] = orb.Point{*d.Lon, *d.Lat}
		borderKm[i], hasBorder[i] = borders.DistanceKm(pts[i])
	}
	// grid[s][i] is deposit i on snapshot s.
	grid := make([][]nadra.RiskPoint, len(snaps))
	parallel(len(snaps), workers, func(s int) {
		sn := snaps[s]
		occ, pre, grey := NewRegion(sn.Occupied), NewRegion(sn.Pre2022), NewRegion(sn.Grey)
		row := make([]nadra.RiskPoint, len(deps))
		for i, p := range pts {
			rp := nadra.RiskPoint{Date: sn.Date, GreyKnown: sn.GreyKnown}
			switch {
			case pre.Contains(p), occ.Contains(p):
				rp.Status = nadra.StatusOccupied
			case grey.Contains(p):
				rp.Status = nadra.StatusGrey
			default:
				rp.Status = nadra.StatusControlled
				km := NearestKm(p, nil, pre, occ, grey)
				if hasBorder[i] && borderKm[i] < km {
					km = borderKm[i]
				}
				rp.PointKm = nadra.Round2(km)
			}
			rp.DistanceKm = nadra.CircleKm(rp.PointKm, precision(deps[i]))
			row[i] = rp
		}
		grid[s] = row
	})
	out := make([]nadra.DepositRisk, len(deps))
	for i, d := range deps {
		dr := nadra.DepositRisk{ID: d.ID, Name: d.Name, Oblast: d.Oblast, Commodities: d.Commodities,
			Lat: *d.Lat, Lon: *d.Lon, PrecisionKm: precision(d), Licences: []string{}, Series: make([]nadra.RiskPoint, len(snaps))}
		if dr.Commodities == nil {
			dr.Commodities = []string{}
		}
		for s := range snaps {
			rp := grid[s][i]
			if s > 0 {
				prev := dr.Series[s-1]
				onHostile := prev.Status != nadra.StatusControlled && rp.Status != nadra.StatusControlled
				if !onHostile && prev.GreyKnown == rp.GreyKnown {
					if v, err := nadra.ApproachRate(prev.Date, rp.Date, prev.PointKm, rp.PointKm); err == nil {
						rp.ApproachKmPerMonth = &v
					}
				}
			}
			dr.Series[s] = rp
			if s == 0 || rp.DistanceKm < dr.ClosestKm {
				dr.ClosestKm, dr.ClosestDate = rp.DistanceKm, rp.Date
			}
		}
		if len(snaps) > 0 {
			dr.Latest = dr.Series[len(snaps)-1]
		}
		out[i] = dr
	}
	return out
}

func precision(d *nadra.Deposit) float64 {
	if d.PrecisionKm == nil {
		return 0
	}
	return *d.PrecisionKm
}

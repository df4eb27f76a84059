package dataset

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"nadra"
	"nadra/geo"

	"github.com/paulmach/orb"
)

// places holds Ukraine's outline and oblasts from the embedded boundaries,
// prepared for point queries.
type places struct {
	outline *geo.Region
	oblasts map[string]*geo.Region
	codes   []string // oblast codes, sorted
}

var (
	placesOnce sync.Once
	placesVal  *places
	placesErr  error
)

func loadPlaces() (*places, error) {
	placesOnce.Do(func() {
		b, err := Boundaries()
		if err != nil {
			placesErr = err
			return
		}
		p := &places{outline: geo.NewRegion(b.Outline), oblasts: map[string]*geo.Region{}}
		for code, mp := range b.Oblasts {
			p.oblasts[code] = geo.NewRegion(mp)
			p.codes = append(p.codes, code)
		}
		sort.Strings(p.codes)
		placesVal = p
	})
	return placesVal, placesErr
}

// CheckLocation checks a located deposit, as every import does after
// Validate: it must have a coords_note, and its point must lie in
// Ukraine's outline, or within its precision_km of it (geodesic
// distance), and likewise in its stated oblast (embedded boundaries). It
// returns nil for a deposit without a location, and otherwise an EINVALID
// error "coords_note: problem", "lat/lon: problem" or "oblast: problem"
// that says how far outside the point is, and whether lat and lon look
// swapped. CheckLocation expects both coordinates and precision_km, which
// Validate ensures.
func CheckLocation(d *nadra.Deposit) error {
	if !d.HasLocation() || d.PrecisionKm == nil {
		return nil
	}
	if strings.TrimSpace(d.CoordsNote) == "" {
		return nadra.Errorf(nadra.EINVALID, "coords_note: required when lat/lon are given; say where the point comes from and why precision_km is what it is")
	}
	p, err := loadPlaces()
	if err != nil {
		return err
	}
	lat, lon, prec := *d.Lat, *d.Lon, *d.PrecisionKm
	pt := orb.Point{lon, lat}
	km, _ := p.outline.DistanceKm(pt)
	if km > prec {
		msg := fmt.Sprintf("lat/lon: the point %g, %g (lat, lon) lies %s km outside Ukraine, more than its precision_km (%g)",
			lat, lon, kmStr(km), prec)
		if swapped := (orb.Point{lat, lon}); lon >= -90 && lon <= 90 {
			if skm, _ := p.outline.DistanceKm(swapped); skm <= prec {
				msg += fmt.Sprintf("; lat and lon look swapped: %g, %g is in Ukraine", lon, lat)
			}
		}
		return nadra.Errorf(nadra.EINVALID, "%s", msg)
	}
	r := p.oblasts[d.Oblast]
	if r == nil {
		return nil // Validate refuses an unknown code; the embedded boundaries have all 27
	}
	if km, _ := r.DistanceKm(pt); km > prec {
		msg := fmt.Sprintf("oblast: the point %g, %g (lat, lon) lies %s km outside %s (%s), more than its precision_km (%g)",
			lat, lon, kmStr(km), d.Oblast, nadra.Oblasts[d.Oblast], prec)
		for _, code := range p.codes {
			if p.oblasts[code].Contains(pt) {
				msg += fmt.Sprintf("; it is in %s (%s)", code, nadra.Oblasts[code])
				break
			}
		}
		return nadra.Errorf(nadra.EINVALID, "%s", msg)
	}
	return nil
}

func kmStr(km float64) string {
	if km < 100 {
		return fmt.Sprintf("%.1f", km)
	}
	return fmt.Sprintf("%.0f", km)
}

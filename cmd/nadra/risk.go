package main

import (
	"context"
	"strconv"
	"strings"

	"nadra"
	"nadra/dataset"
	"nadra/geo"
	"nadra/internal/csvfmt"
	"nadra/internal/decimal"
)

const riskHelp = `Usage: nadra report risk [--deposit ID] [--within-km N] [--json | --csv]

How close the front line has come to each located deposit and licence, and
how fast it moves, over every control snapshot: each deposit's status, its
distance to hostile ground (the nearest occupied or grey area, or the
Russian or Belarusian border) and the rate of approach in km a month
between consecutive snapshots (positive: the front came closer).

Distances are counted from the deposit's uncertainty circle (its point ±
precision_km), not its point: the point's distance less precision_km, and
0 once the circle reaches hostile ground. The rate is measured on the
point. A licence's series is its deposit's.

The table lists the deposits closest first, with their latest distance,
the last rate and the closest the front has been; then the licences.
--deposit ID prints that deposit's whole series; --within-km N keeps the
deposits within N km (0 to 2000) on the latest snapshot. --json prints
every deposit's series; --csv one row per deposit and snapshot.`

func (m *Main) runReportRisk(ctx context.Context, args []string) error {
	fs := m.flags("report risk", riskHelp)
	deposit := fs.String("deposit", "", "only this deposit `ID` and its licences, with its whole series")
	within := fs.String("within-km", "", "only deposits within `N` km of hostile ground on the latest snapshot")
	var out outputFlags
	fs.BoolVar(&out.json, "json", false, "print JSON")
	fs.BoolVar(&out.csv, "csv", false, "print CSV: one row per deposit and snapshot")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if err := out.check(); err != nil {
		return err
	}
	opt := nadra.RiskOptions{DepositID: *deposit}
	if *within != "" {
		v, err := parseKm("--within-km", *within)
		if err != nil {
			return err
		}
		opt.WithinKm = &v
	}
	if *deposit != "" && (len(*deposit) > nadra.MaxIDLen || strings.ContainsAny(*deposit, "\x00\n")) {
		return nadra.Errorf(nadra.EINVALID, "--deposit: %q is not a deposit id (at most %d characters)", nadra.Truncate(*deposit, 40), nadra.MaxIDLen)
	}
	rep, err := m.riskReport(ctx, opt)
	if err != nil {
		return err
	}
	switch {
	case out.json:
		return writeJSON(m.Stdout, rep)
	case out.csv:
		return writeRiskCSV(m, rep)
	}
	printRisk(m, rep, *deposit != "")
	return nil
}

// parseKm reads a distance in km: a plain decimal from 0 to
// nadra.MaxRiskKm. Errors are EINVALID, naming the flag.
func parseKm(flag, s string) (float64, error) {
	v, ok := decimal.Parse(strings.TrimSpace(s))
	if !ok {
		return 0, nadra.Errorf(nadra.EINVALID, "%s: %q is not a decimal number of km", flag, nadra.Truncate(s, 40))
	}
	if err := nadra.CheckKm(flag, v); err != nil {
		return 0, err
	}
	return v, nil
}

// riskSeries measures every located deposit on every snapshot.
func (m *Main) riskSeries(ctx context.Context, from string) ([]nadra.DepositRisk, []*nadra.Deposit, error) {
	if err := m.open(ctx); err != nil {
		return nil, nil, err
	}
	deps, _, err := m.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
	if err != nil {
		return nil, nil, err
	}
	snaps, err := m.Snapshots.FindSnapshotsIn(ctx, from, "")
	if err != nil {
		return nil, nil, err
	}
	if len(snaps) == 0 {
		return nil, nil, nadra.Errorf(nadra.ENOTFOUND, "no control snapshots in the database; import some with `nadra import control`")
	}
	b, err := dataset.Boundaries()
	if err != nil {
		return nil, nil, err
	}
	return geo.RiskSeries(snaps, b, deps, 0), deps, nil
}

// riskReport builds the risk report over every snapshot.
func (m *Main) riskReport(ctx context.Context, opt nadra.RiskOptions) (*nadra.RiskReport, error) {
	series, deps, err := m.riskSeries(ctx, "")
	if err != nil {
		return nil, err
	}
	licences, err := m.Licences.FindLicences(ctx, nadra.LicenceFilter{})
	if err != nil {
		return nil, err
	}
	var unlocated []string
	for _, d := range deps {
		if !d.HasLocation() {
			unlocated = append(unlocated, d.ID)
		}
	}
	return nadra.BuildRiskReport(series, licences, unlocated, opt)
}

func rateStr(p *float64) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatFloat(*p, 'f', 2, 64)
}

func km2(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

func printRisk(m *Main, rep *nadra.RiskReport, series bool) {
	w := m.Stdout
	fprintf(w, "Distance to the front, %d control snapshots from %s to %s, counted from each deposit's uncertainty circle\n\n", rep.Snapshots, rep.From, rep.To)
	t := newTab(w)
	fprintf(t, "DEPOSIT\tOBLAST\tSTATUS %s\tKM\tPOINT KM\t± KM\tKM/MONTH\tCLOSEST KM\tON\tLICENCES\n", rep.To)
	for _, d := range rep.Deposits {
		lic := strings.Join(d.Licences, ",")
		if lic == "" {
			lic = "-"
		}
		fprintf(t, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, nadra.Oblasts[d.Oblast], d.Latest.Status, km2(d.Latest.DistanceKm), km2(d.Latest.PointKm),
			km2(d.PrecisionKm), rateStr(d.Latest.ApproachKmPerMonth), km2(d.ClosestKm), d.ClosestDate, lic)
	}
	if len(rep.Deposits) == 0 {
		fprintf(t, "(none)\n")
	}
	t.Flush()
	if series && len(rep.Deposits) == 1 {
		d := rep.Deposits[0]
		fprintf(w, "\n%s (%s), ± %s km, every snapshot:\n", d.Name, d.ID, km2(d.PrecisionKm))
		t = newTab(w)
		fprintf(t, "  SNAPSHOT\tSTATUS\tKM\tPOINT KM\tKM/MONTH\tGREY ZONE\n")
		for _, p := range d.Series {
			grey := "known"
			if !p.GreyKnown {
				grey = "not in the source"
			}
			fprintf(t, "  %s\t%s\t%s\t%s\t%s\t%s\n", p.Date, p.Status, km2(p.DistanceKm), km2(p.PointKm), rateStr(p.ApproachKmPerMonth), grey)
		}
		t.Flush()
	}
	if len(rep.Licences) > 0 {
		fprintf(w, "\nLicences (each at its deposit's distance):\n")
		t = newTab(w)
		fprintf(t, "  LICENCE\tKIND\tSTATUS\tDEPOSIT\tKM\tKM/MONTH\n")
		for _, l := range rep.Licences {
			status := l.Status
			if status == "" {
				status = "?"
			}
			if l.Latest == nil {
				fprintf(t, "  %s\t%s\t%s\t%s\tno distance: %s\t\n", l.ID, l.Kind, status, orDash(l.DepositID), l.Note)
				continue
			}
			fprintf(t, "  %s\t%s\t%s\t%s\t%s\t%s\n", l.ID, l.Kind, status, l.DepositID, km2(l.Latest.DistanceKm), rateStr(l.Latest.ApproachKmPerMonth))
		}
		t.Flush()
	}
	if len(rep.Unlocated) > 0 {
		fprintf(w, "\nNo coordinates, so no series (%d): %s\n", len(rep.Unlocated), wrap(strings.Join(rep.Unlocated, " "), 100, "  "))
	}
	fprintf(w, "\nNotes:\n")
	for _, n := range rep.Notes {
		fprintf(w, "  - %s\n", wrap(n, 96, "    "))
	}
}

func writeRiskCSV(m *Main, rep *nadra.RiskReport) error {
	w := csvfmt.NewWriter(m.Stdout)
	w.Write([]string{"deposit_id", "name", "oblast", "precision_km", "licences", "date", "status", "grey_known", "distance_km", "point_km", "approach_km_per_month"})
	for _, d := range rep.Deposits {
		for _, p := range d.Series {
			w.Write([]string{d.ID, d.Name, d.Oblast, strconv.FormatFloat(d.PrecisionKm, 'f', -1, 64), strings.Join(d.Licences, ";"), p.Date, string(p.Status),
				strconv.FormatBool(p.GreyKnown), strconv.FormatFloat(p.DistanceKm, 'f', 2, 64), strconv.FormatFloat(p.PointKm, 'f', 2, 64), csvFloat(p.ApproachKmPerMonth)})
		}
	}
	w.Flush()
	return w.Error()
}

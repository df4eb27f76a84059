package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"nadra"
	"nadra/dataset"
	"nadra/geo"
	"nadra/internal/csvfmt"
)

const reportHelp = `Usage: nadra report <report> [flags]

Reports:
  access    share of the registry's deposits behind the front line
  timeline  that share and the occupied area over every snapshot, with
            the deposits that changed hands
  supply    world supply concentration, dependence on China, and what
            Ukrainian supply would change
  risk      how close the front has come to each deposit and licence, and
            how fast it moves, over every snapshot`

func (m *Main) runReport(ctx context.Context, args []string) error {
	if ok, err := m.subcommandHelp("report", args, reportHelp, "which report? (access, timeline, supply or risk)"); !ok {
		return err
	}
	switch args[0] {
	case "access":
		return m.runReportAccess(ctx, args[1:])
	case "timeline":
		return m.runReportTimeline(ctx, args[1:])
	case "supply":
		return m.runReportSupply(ctx, args[1:])
	case "risk":
		return m.runReportRisk(ctx, args[1:])
	}
	return usagef("unknown report %q; expected access, timeline, supply or risk", args[0])
}

const accessHelp = `Usage: nadra report access [--date YYYY-MM-DD] [--class C] [--json | --csv]

For each deposit in the registry, its control status on the date (by the
latest control snapshot on or before it), its geodesic distance to hostile
ground (or, if occupied, to Ukrainian-controlled ground) and whether its
position's own error could flip its status. Then, per commodity and in
total, the share inaccessible (occupied or grey) by count of deposits, by
contained quantity and by in-situ value, with the coverage of each.

In-situ value is contained quantity × price: an upper bound, not what could
be recovered. --json prints the whole report; --csv prints the commodity
rows and the total.

--class metallic, energy or industrial limits the report to that class of
commodities (after USGS usage; see nadra.ClassSource): its commodities, the
deposits that hold one, and only their value.`

func (m *Main) runReportAccess(ctx context.Context, args []string) error {
	fs := m.flags("report access", accessHelp)
	date := fs.String("date", "", "date `YYYY-MM-DD` (default: the latest snapshot)")
	class := fs.String("class", "", "only commodities of this `class`: metallic, energy or industrial")
	var out outputFlags
	fs.BoolVar(&out.json, "json", false, "print JSON")
	fs.BoolVar(&out.csv, "csv", false, "print CSV")
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
	if *date != "" {
		if _, err := nadra.ParseDate(*date); err != nil {
			return usagef("--date: %s", nadra.ErrorMessage(err))
		}
	}
	if *class != "" {
		if _, err := nadra.ParseCommodityClass(*class); err != nil {
			return usagef("--class: %s", nadra.ErrorMessage(err))
		}
	}
	rep, err := m.accessReport(ctx, *date, nadra.CommodityClass(*class))
	if err != nil {
		return err
	}
	switch {
	case out.json:
		return writeJSON(m.Stdout, rep)
	case out.csv:
		return writeAccessCSV(m, rep)
	}
	printAccess(m, rep)
	return nil
}

// accessReport builds the report at date ("" for the latest snapshot),
// limited to one commodity class unless class is "".
func (m *Main) accessReport(ctx context.Context, date string, class nadra.CommodityClass) (*nadra.AccessReport, error) {
	if err := m.open(ctx); err != nil {
		return nil, err
	}
	if date == "" {
		infos, err := m.Snapshots.FindSnapshots(ctx)
		if err != nil {
			return nil, err
		}
		if len(infos) == 0 {
			return nil, nadra.Errorf(nadra.ENOTFOUND, "no control snapshots in the database")
		}
		date = infos[len(infos)-1].Date
	}
	snap, err := m.Snapshots.FindSnapshotAt(ctx, date)
	if err != nil {
		return nil, err
	}
	reg, err := m.registry(ctx)
	if err != nil {
		return nil, err
	}
	b, err := dataset.Boundaries()
	if err != nil {
		return nil, err
	}
	if class != "" {
		reg = reg.OfClass(class)
	}
	rep := geo.Access(date, geo.NewClassifier(snap, b), reg, geo.AccessOptions{})
	if class != "" {
		rep.Class = string(class)
		rep.Notes = append(rep.Notes, fmt.Sprintf("Limited to %s commodities (%s); a deposit of several classes counts here with its %s commodities only.", class, classCodes(reg), class))
	}
	return rep, nil
}

func classCodes(reg geo.Registry) string {
	var s []string
	for _, c := range reg.Commodities {
		s = append(s, c.Code)
	}
	return strings.Join(s, ", ")
}

func (m *Main) registry(ctx context.Context) (geo.Registry, error) {
	deps, _, err := m.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
	if err != nil {
		return geo.Registry{}, err
	}
	ests, err := m.Deposits.FindEstimates(ctx, "")
	if err != nil {
		return geo.Registry{}, err
	}
	comms, err := m.Commodities.FindCommodities(ctx)
	if err != nil {
		return geo.Registry{}, err
	}
	return geo.Registry{Deposits: deps, Estimates: ests, Commodities: comms}, nil
}

func printAccess(m *Main, rep *nadra.AccessReport) {
	w := m.Stdout
	if rep.Class != "" {
		fprintf(w, "Access report for %s (control snapshot of %s), %s commodities only\n\n", rep.Date, rep.Snapshot, rep.Class)
	} else {
		fprintf(w, "Access report for %s (control snapshot of %s)\n\n", rep.Date, rep.Snapshot)
	}
	t := newTab(w)
	fprintf(t, "COMMODITY\tDEPOSITS\tINACCESSIBLE\tBY COUNT\tCONTAINED\tBY CONTAINED\tIN-SITU (UPPER BOUND)\tBY VALUE\tCOVERAGE located/contained/valued\tUNCERTAIN\n")
	row := func(r nadra.CommodityAccess) {
		contained := qty(r.Contained)
		if r.Contained != nil && r.Basis != "" {
			contained += " t " + r.Basis
		}
		fprintf(t, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%d/%d/%d of %d\t%d\n", r.Commodity, r.Deposits, r.InaccessibleDeposits,
			pct(r.ShareCount), contained, pct(r.ShareContained), usd(r.InSituUSD), pct(r.ShareValue),
			r.Coverage.Located, r.Coverage.Contained, r.Coverage.Valued, r.Coverage.Deposits, r.Coverage.Uncertain)
	}
	for _, r := range rep.ByCommodity {
		row(r)
	}
	row(rep.Total)
	t.Flush()

	fprintf(w, "\nInaccessible deposits (occupied or grey):\n")
	t = newTab(w)
	for _, d := range rep.Deposits {
		if d.Status.Inaccessible() {
			since := ""
			if d.Since != nil {
				since = "since " + *d.Since
			}
			fprintf(t, "  %s\t%s\t%s\t%s\t%s km to controlled ground\n", d.ID, nadra.Oblasts[d.Oblast], d.Status, since, kmStr(d.DistanceKm))
		}
	}
	t.Flush()
	fprintf(w, "\nUncertain deposits (distance to the line is less than the point's own error, so the status could flip):\n")
	t = newTab(w)
	n := 0
	for _, d := range rep.Deposits {
		if d.Uncertain {
			n++
			fprintf(t, "  %s\t%s\t%s km from the line\tpoint may be off by %s km\n", d.ID, d.Status, kmStr(d.DistanceKm), kmStr(d.PrecisionKm))
		}
	}
	if n == 0 {
		fprintf(t, "  none\n")
	}
	t.Flush()
	var missing []string
	for _, d := range rep.Deposits {
		if d.Status == nadra.StatusUnknown {
			missing = append(missing, d.ID)
		}
	}
	if len(missing) > 0 {
		fprintf(w, "\nNo coordinates, so no status (%d): %s\n", len(missing), wrap(list(missing), 100, "  "))
	}
	fprintf(w, "\nNotes:\n")
	for _, n := range rep.Notes {
		fprintf(w, "  - %s\n", wrap(n, 96, "    "))
	}
}

func kmStr(p *float64) string {
	if p == nil {
		return "?"
	}
	return strconv.FormatFloat(*p, 'f', 1, 64)
}

func writeAccessCSV(m *Main, rep *nadra.AccessReport) error {
	w := csvfmt.NewWriter(m.Stdout)
	w.Write([]string{"date", "snapshot", "commodity", "basis", "deposits", "inaccessible_deposits", "share_count",
		"contained", "inaccessible_contained", "share_contained", "in_situ_usd", "inaccessible_in_situ_usd", "share_value",
		"coverage_located", "coverage_contained", "coverage_valued", "uncertain"})
	rows := append(append([]nadra.CommodityAccess{}, rep.ByCommodity...), rep.Total)
	for _, r := range rows {
		w.Write([]string{rep.Date, rep.Snapshot, r.Commodity, r.Basis, strconv.Itoa(r.Deposits), strconv.Itoa(r.InaccessibleDeposits),
			csvFloat(r.ShareCount), csvFloat(r.Contained), csvFloat(r.InaccessibleContained), csvFloat(r.ShareContained),
			csvFloat(r.InSituUSD), csvFloat(r.InaccessibleInSituUSD), csvFloat(r.ShareValue),
			strconv.Itoa(r.Coverage.Located), strconv.Itoa(r.Coverage.Contained), strconv.Itoa(r.Coverage.Valued), strconv.Itoa(r.Coverage.Uncertain)})
	}
	w.Flush()
	return w.Error()
}

const timelineHelp = `Usage: nadra report timeline [--from D] [--to D] [--commodity C] [--json | --csv]

One row per control snapshot: the occupied area (since 2022 and before) and
the grey zone in km² (equal-area; empty where the snapshot has no grey zone),
and per commodity the share of deposits inaccessible by count and by in-situ
value, with coverage. Then the status changes: each deposit whose status
differs between two consecutive snapshots.

It first says what its first snapshot is (with the default data, the line of
2022-02-23) and what it cannot see before it: the deposits already occupied
on that line were taken earlier, on dates it does not know, so they are
counted from the start and are not among the changes.`

func (m *Main) runReportTimeline(ctx context.Context, args []string) error {
	fs := m.flags("report timeline", timelineHelp)
	from := fs.String("from", "", "first date `YYYY-MM-DD`")
	to := fs.String("to", "", "last date `YYYY-MM-DD`")
	commodity := fs.String("commodity", "", "only this commodity's `code`")
	var out outputFlags
	fs.BoolVar(&out.json, "json", false, "print JSON")
	fs.BoolVar(&out.csv, "csv", false, "print CSV (one row per snapshot and commodity)")
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
	for _, d := range []*string{from, to} {
		if *d != "" {
			if _, err := nadra.ParseDate(*d); err != nil {
				return usagef("%s", nadra.ErrorMessage(err))
			}
		}
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	*commodity = strings.ToLower(strings.TrimSpace(*commodity)) // codes are lower case; Lithium means lithium
	tl, err := m.timeline(ctx, *from, *to, *commodity)
	if err != nil {
		return err
	}
	switch {
	case out.json:
		return writeJSON(m.Stdout, tl)
	case out.csv:
		return writeTimelineCSV(m, tl)
	}
	printTimeline(m, tl, *commodity)
	return nil
}

func (m *Main) timeline(ctx context.Context, from, to, commodity string) (*nadra.Timeline, error) {
	reg, err := m.registry(ctx)
	if err != nil {
		return nil, err
	}
	if commodity != "" {
		known := map[string]bool{}
		var codes []string
		for _, c := range reg.Commodities {
			known[c.Code] = true
			codes = append(codes, c.Code)
		}
		if !known[commodity] {
			return nil, nadra.Errorf(nadra.EINVALID, "unknown commodity %q; known: %s", commodity, strings.Join(codes, ", "))
		}
	}
	snaps, err := m.Snapshots.FindSnapshotsIn(ctx, from, to)
	if err != nil {
		return nil, err
	}
	if len(snaps) == 0 {
		if from == "" && to == "" {
			return nil, nadra.Errorf(nadra.ENOTFOUND, "no control snapshots in the database; import some with `nadra import control`")
		}
		return nil, nadra.Errorf(nadra.ENOTFOUND, "no control snapshots between %q and %q", from, to)
	}
	infos, err := m.Snapshots.FindSnapshots(ctx)
	if err != nil {
		return nil, err
	}
	b, err := dataset.Boundaries()
	if err != nil {
		return nil, err
	}
	return geo.Timeline(snaps, geo.SnapshotAreas(infos), b, reg, commodity), nil
}

func printTimeline(m *Main, tl *nadra.Timeline, commodity string) {
	w := m.Stdout
	fprintf(w, "Timeline %s to %s: share of deposits inaccessible (occupied or grey), by count / by in-situ value\n\n", tl.From, tl.To)
	if tl.Start != nil {
		fprintf(w, "%s\n\n", wrap(tl.Start.Text, 100, ""))
	}
	t := newTab(w)
	head := "DATE\tOCCUPIED km²\tGREY km²\tALL"
	var cols []string
	if len(tl.Rows) > 0 {
		for _, c := range tl.Rows[0].Commodities {
			if commodity != "" || c.Commodity == "lithium" || c.Commodity == "rare_earths" || c.Commodity == "titanium" ||
				c.Commodity == "graphite" || c.Commodity == "uranium" || c.Commodity == "manganese" {
				cols = append(cols, c.Commodity)
			}
		}
	}
	for _, c := range cols {
		head += "\t" + strings.ToUpper(c)
	}
	fprintf(t, "%s\n", head)
	cell := func(s nadra.TimelineShare) string { return pct(s.ShareCount) + " / " + pct(s.ShareValue) }
	for _, r := range tl.Rows {
		grey := "unknown"
		if r.GreyKm2 != nil {
			grey = strconv.FormatFloat(*r.GreyKm2, 'f', 0, 64)
		}
		line := fmt.Sprintf("%s\t%.0f\t%s\t%s", r.Date, r.OccupiedKm2, grey, cell(r.Total))
		for _, c := range cols {
			for _, s := range r.Commodities {
				if s.Commodity == c {
					line += "\t" + cell(s)
				}
			}
		}
		fprintf(t, "%s\n", line)
	}
	t.Flush()
	if commodity == "" {
		fprintf(w, "\n(Columns: all deposits and six headline commodities; --commodity C, --json or --csv give any other.)\n")
	}
	fprintf(w, "\nStatus changes (%d):\n", len(tl.Events))
	for _, e := range tl.Events {
		fprintf(w, "  %s\n", e.Text)
	}
	fprintf(w, "\nNotes:\n")
	for _, n := range tl.Notes {
		fprintf(w, "  - %s\n", wrap(n, 96, "    "))
	}
}

func writeTimelineCSV(m *Main, tl *nadra.Timeline) error {
	w := csvfmt.NewWriter(m.Stdout)
	w.Write([]string{"date", "occupied_km2", "grey_km2", "commodity", "share_count", "share_value", "located", "valued"})
	for _, r := range tl.Rows {
		for _, s := range append(append([]nadra.TimelineShare{}, r.Commodities...), r.Total) {
			w.Write([]string{r.Date, strconv.FormatFloat(r.OccupiedKm2, 'f', 1, 64), csvFloat(r.GreyKm2), s.Commodity,
				csvFloat(s.ShareCount), csvFloat(s.ShareValue), strconv.Itoa(s.Located), strconv.Itoa(s.Valued)})
		}
	}
	w.Flush()
	return w.Error()
}

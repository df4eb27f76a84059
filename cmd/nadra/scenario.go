package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"nadra"
	"nadra/dataset"
	"nadra/geo"

	"github.com/paulmach/orb"
)

const scenarioHelp = `Usage: nadra scenario <list|eval> [flags]

  list                 the named scenarios shipped with nadra, with sources
  eval EXPR            the access report under a scenario and what changes
                       hands against a baseline

A scenario is an expression over named regions that decides what is
occupied:

  occupied@DATE   occupied ground (since 2022 and before) in the snapshot
                  in force on DATE (YYYY-MM-DD or latest)
  grey@DATE       the grey zone of that snapshot (empty where unknown)
  oblast:UA-xx    an oblast, by ISO 3166-2 code (UA-14 Donetsk, UA-09
                  Luhansk, UA-23 Zaporizhzhia, UA-65 Kherson, ...)
  file:NAME       a GeoJSON polygon file you drew (path, or a shipped name)

combined with | (union), & (intersection) and - (difference), with
parentheses; & binds tighter than | and -. Put spaces around -, since dates
and codes contain hyphens. A shipped scenario's id may stand for its
expression. Examples:

  nadra scenario eval 'occupied@latest | oblast:UA-14 | oblast:UA-09'
  nadra scenario eval four-oblasts --json
  nadra scenario eval 'occupied@latest - file:swap.geojson' --baseline occupied@2025-02-12`

func (m *Main) runScenario(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		fmt.Fprintln(m.Stdout, scenarioHelp)
		if len(args) == 0 {
			return usagef("list or eval?")
		}
		return nil
	}
	switch args[0] {
	case "list":
		return m.runScenarioList(ctx, args[1:])
	case "eval":
		return m.runScenarioEval(ctx, args[1:])
	}
	return usagef("unknown subcommand %q; expected list or eval", args[0])
}

func (m *Main) runScenarioList(ctx context.Context, args []string) error {
	fs := m.flags("scenario list", "Usage: nadra scenario list [--json]\n\nThe named scenarios shipped in dataset/scenarios, each with a source for the position it models.")
	asJSON := fs.Bool("json", false, "print JSON")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	list, err := dataset.Scenarios()
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(m.Stdout, list)
	}
	for _, s := range list {
		fprintf(m.Stdout, "%s\n  %s\n  expression: %s\n  %s\n", s.ID, s.Name, s.Expression, wrap(s.Note, 90, "  "))
		for _, src := range s.Sources {
			fprintf(m.Stdout, "  source: %s\n", src)
		}
		fprintf(m.Stdout, "\n")
	}
	return nil
}

func (m *Main) runScenarioEval(ctx context.Context, args []string) error {
	fs := m.flags("scenario eval", scenarioHelp)
	baseline := fs.String("baseline", "occupied@latest", "baseline `EXPR` to diff against")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one EXPR (quote it), got %d arguments", len(pos))
	}
	res, err := m.evalScenario(ctx, pos[0], *baseline)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(m.Stdout, res)
	}
	printScenario(m, res)
	return nil
}

// expandScenario replaces a shipped scenario's id by its expression.
func expandScenario(expr string) (string, string) {
	expr = strings.TrimSpace(expr)
	if list, err := dataset.Scenarios(); err == nil {
		for _, s := range list {
			if s.ID == expr {
				return s.Expression, s.ID + " (" + s.Expression + ")"
			}
		}
	}
	return expr, expr
}

// scenarioSituation parses and binds an expression (or a shipped id).
func (m *Main) scenarioSituation(ctx context.Context, expr string) (*geo.ScenarioSituation, *geo.Scenario, error) {
	if err := m.open(ctx); err != nil {
		return nil, nil, err
	}
	e, label := expandScenario(expr)
	parsed, err := geo.ParseScenario(e)
	if err != nil {
		var pe *geo.ParseError
		if errors.As(err, &pe) {
			// The message carries the expression and a caret under the column.
			return nil, nil, nadra.Errorf(nadra.EINVALID, "%s", pe.Error())
		}
		return nil, nil, err
	}
	sc, err := geo.BindScenario(label, parsed, m.resolve(ctx))
	if err != nil {
		return nil, nil, err
	}
	b, err := dataset.Boundaries()
	if err != nil {
		return nil, nil, err
	}
	latest, err := m.snapshot(ctx, "latest")
	if err != nil {
		return nil, nil, err
	}
	return geo.NewScenarioSituation(sc, latest.Pre2022, b), sc, nil
}

// snapshot returns the snapshot in force on date ("latest" for the last),
// cached for the command's life.
func (m *Main) snapshot(ctx context.Context, date string) (*nadra.Snapshot, error) {
	if m.snapCache == nil {
		m.snapCache = map[string]*nadra.Snapshot{}
	}
	key := date
	if date == "latest" {
		date = "9999-12-31"
	}
	if s, ok := m.snapCache[key]; ok {
		return s, nil
	}
	s, err := m.Snapshots.FindSnapshotAt(ctx, date)
	if err != nil {
		return nil, err
	}
	m.snapCache[key] = s
	return s, nil
}

// resolve returns the region resolver for scenario expressions.
func (m *Main) resolve(ctx context.Context) geo.Resolver {
	return func(r geo.Ref) ([]orb.MultiPolygon, error) {
		switch r.Kind {
		case "occupied", "grey":
			s, err := m.snapshot(ctx, r.Arg)
			if err != nil {
				return nil, nadra.Errorf(nadra.EINVALID, "%s (column %d): %s", r, r.Col, nadra.ErrorMessage(err))
			}
			if r.Kind == "grey" {
				if !s.GreyKnown {
					return nil, nadra.Errorf(nadra.EINVALID, "%s (column %d): the snapshot of %s has no grey zone (its source does not say); use a date with one", r, r.Col, s.Date)
				}
				return []orb.MultiPolygon{s.Grey}, nil
			}
			return []orb.MultiPolygon{s.Occupied, s.Pre2022}, nil
		case "oblast":
			b, err := dataset.Boundaries()
			if err != nil {
				return nil, err
			}
			mp, ok := b.Oblasts[r.Arg]
			if !ok {
				return nil, nadra.Errorf(nadra.EINVALID, "%s (column %d): no such oblast in the boundaries", r, r.Col)
			}
			return []orb.MultiPolygon{mp}, nil
		case "file":
			return m.scenarioFile(r)
		}
		return nil, nadra.Errorf(nadra.EINVALID, "unknown region %s; known regions: %s", r, geo.RegionHelp)
	}
}

// scenarioFile reads file:NAME: a path (NAME or NAME.geojson), else a
// shipped file. Its polygons are repaired and unioned into one area.
func (m *Main) scenarioFile(r geo.Ref) ([]orb.MultiPolygon, error) {
	var data []byte
	var err error
	name := r.Arg
	for _, p := range []string{name, name + ".geojson"} {
		if data, err = os.ReadFile(p); err == nil {
			name = p
			break
		}
	}
	if data == nil {
		var ok bool
		if data, ok = dataset.ScenarioFile(r.Arg); !ok {
			shipped := dataset.ScenarioFiles()
			hint := "none are shipped"
			if len(shipped) > 0 {
				hint = "shipped: " + strings.Join(shipped, ", ")
			}
			return nil, nadra.Errorf(nadra.EINVALID, "%s (column %d): no file %q or %q, and no shipped file of that name (%s)", r, r.Col, r.Arg, r.Arg+".geojson", hint)
		}
	}
	fc, err := geo.DecodeFeatureCollection(data)
	if err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "%s: %s", name, err.Error())
	}
	var mp orb.MultiPolygon
	for _, f := range fc.Features {
		mp = append(mp, f.Polygons...)
	}
	if len(mp) == 0 {
		return nil, nadra.Errorf(nadra.EINVALID, "%s: no polygons; a scenario file needs at least one", name)
	}
	u, err := geo.Repair(mp)
	if err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "%s: %v", name, err)
	}
	return []orb.MultiPolygon{u}, nil
}

// scenarioAccess returns the access report under a scenario expression (or
// a shipped scenario's id): each deposit's status and distance as if the
// expression's area were the occupied ground. "" means the latest
// snapshot, with its grey zone. It is the one place other commands
// (supply's --add-accessible, simulate's --scenario) get
// scenario-conditioned statuses from.
func (m *Main) scenarioAccess(ctx context.Context, expr string) (*nadra.AccessReport, error) {
	if strings.TrimSpace(expr) == "" {
		return m.accessReport(ctx, "")
	}
	sit, _, err := m.scenarioSituation(ctx, expr)
	if err != nil {
		return nil, err
	}
	reg, err := m.registry(ctx)
	if err != nil {
		return nil, err
	}
	rep := geo.Access(m.Now().UTC().Format(nadra.DateLayout), sit, reg, geo.AccessOptions{})
	return rep, sit.Err()
}

func (m *Main) evalScenario(ctx context.Context, expr, baseline string) (*nadra.ScenarioResult, error) {
	sit, sc, err := m.scenarioSituation(ctx, expr)
	if err != nil {
		return nil, err
	}
	bsit, bsc, err := m.scenarioSituation(ctx, baseline)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	reg, err := m.registry(ctx)
	if err != nil {
		return nil, err
	}
	today := m.Now().UTC().Format(nadra.DateLayout)
	rep := geo.Access(today, sit, reg, geo.AccessOptions{})
	base := geo.Access(today, bsit, reg, geo.AccessOptions{})
	if err := sit.Err(); err != nil {
		return nil, err
	}
	area, err := sc.Area()
	if err != nil {
		return nil, err
	}
	barea, err := bsc.Area()
	if err != nil {
		return nil, err
	}
	b, err := dataset.Boundaries()
	if err != nil {
		return nil, err
	}
	land, err := geo.Land(b)
	if err != nil {
		return nil, err
	}
	diff, err := geo.Diff(rep, base, reg, area, barea, land)
	if err != nil {
		return nil, err
	}
	return &nadra.ScenarioResult{Scenario: rep, Diff: diff}, nil
}

func printScenario(m *Main, res *nadra.ScenarioResult) {
	w := m.Stdout
	rep, d := res.Scenario, res.Diff
	fprintf(w, "%s\nagainst the baseline %s\n\n", d.Scenario, strings.TrimPrefix(d.Baseline, "scenario: "))
	t := newTab(w)
	fprintf(t, "COMMODITY\tDEPOSITS\tOCCUPIED UNDER SCENARIO\tBY COUNT\tBY VALUE\tCOVERAGE located/valued\n")
	for _, r := range append(append([]nadra.CommodityAccess{}, rep.ByCommodity...), rep.Total) {
		fprintf(t, "%s\t%d\t%d\t%s\t%s\t%d/%d of %d\n", r.Commodity, r.Deposits, r.InaccessibleDeposits, pct(r.ShareCount), pct(r.ShareValue),
			r.Coverage.Located, r.Coverage.Valued, r.Coverage.Deposits)
	}
	t.Flush()
	fprintf(w, "\nLand changing hands (equal-area, sea excluded): %.0f km² to occupied, %.0f km² to controlled, net %+.0f km².\n",
		d.ToOccupiedKm2, d.ToControlledKm2, d.NetKm2)
	moves := func(title string, list []nadra.DepositMove) {
		fprintf(w, "\n%s (%d):\n", title, len(list))
		t := newTab(w)
		for _, x := range list {
			unc := ""
			if x.Uncertain {
				unc = "uncertain position"
			}
			fprintf(t, "  %s\t%s\t%s\t%s\t%s\n", x.ID, nadra.Oblasts[x.Oblast], strings.Join(x.Commodities, ","), usd(x.InSituUSD), unc)
		}
		if len(list) == 0 {
			fprintf(t, "  none\n")
		}
		t.Flush()
	}
	moves("Deposits that would become occupied", d.ToOccupied)
	moves("Deposits that would return to Ukrainian control", d.ToControlled)
	if len(d.ByCommodity) > 0 {
		fprintf(w, "\nResource value changing hands (in-situ, upper bound):\n")
		t := newTab(w)
		fprintf(t, "  COMMODITY\tTO OCCUPIED\tTO CONTROLLED\tCONTAINED TO OCCUPIED\tNET VALUE TO OCCUPIED\n")
		rows := append([]nadra.CommodityMove{}, d.ByCommodity...)
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Commodity < rows[j].Commodity })
		for _, r := range rows {
			c := qty(r.ToOccupiedContained)
			if r.ToOccupiedContained != nil {
				c += " t " + r.Basis
			}
			fprintf(t, "  %s\t%d deposits\t%d deposits\t%s\t%s\n", r.Commodity, r.ToOccupiedDeposits, r.ToControlledDeposits, c, usd(r.NetToOccupiedInSituUSD))
		}
		t.Flush()
	}
	fprintf(w, "\nNotes:\n")
	for _, n := range rep.Notes {
		fprintf(w, "  - %s\n", wrap(n, 96, "    "))
	}
}

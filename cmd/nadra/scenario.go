package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"sort"
	"strings"

	"nadra/internal/numfmt"

	"nadra"
	"nadra/dataset"
	"nadra/scenario"
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
expression. Limits: 1,024 bytes, 32 regions and 16 levels of parentheses
an expression, 10,000 vertices a file: polygon. Examples:

  nadra scenario eval 'occupied@latest | oblast:UA-14 | oblast:UA-09'
  nadra scenario eval four-oblasts --json
  nadra scenario eval 'occupied@latest - file:swap.geojson' --baseline occupied@2025-02-12`

func (m *Main) runScenario(ctx context.Context, args []string) error {
	if ok, err := m.subcommandHelp("scenario", args, scenarioHelp, "list or eval?"); !ok {
		return err
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
	if err := m.open(ctx); err != nil {
		return err
	}
	list, err := m.Catalog.FindScenarios(ctx)
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

// evaluator returns the scenario evaluator over the database: snapshots
// cached for the command's life, shipped scenario ids, and file:NAME read
// from a path (NAME or NAME.geojson) or else a shipped file.
func (m *Main) evaluator(ctx context.Context) (*scenario.Evaluator, error) {
	if err := m.open(ctx); err != nil {
		return nil, err
	}
	b, err := dataset.Boundaries()
	if err != nil {
		return nil, err
	}
	list, err := m.Catalog.FindScenarios(ctx)
	if err != nil {
		return nil, err
	}
	named := map[string]string{}
	for _, s := range list {
		named[s.ID] = s.Expression
	}
	return &scenario.Evaluator{
		SnapshotAt: func(date string) (*nadra.Snapshot, error) { return m.snapshot(ctx, date) },
		Boundaries: b,
		File:       func(name string) ([]byte, string, error) { return readScenarioFile(ctx, name) },
		Named:      named,
	}, nil
}

// bindScenario binds an expression (or a shipped id) for the command
// line: a syntax error shows the expression with a caret under the column.
func bindScenario(ctx context.Context, ev *scenario.Evaluator, expr string) (*scenario.Bound, error) {
	sc, err := ev.Bind(ctx, expr)
	var pe *scenario.ParseError
	if errors.As(err, &pe) {
		return nil, &syntaxError{pe: pe}
	}
	return sc, scenarioInterrupted(ctx, err)
}

// syntaxError is a scenario expression's syntax error, an EINVALID
// error whose message has three lines: what is wrong at which column,
// the expression, and a caret under the column. Run prints it as it is,
// where other messages are joined into one line.
type syntaxError struct {
	prefix string // what the expression is, "baseline: ", or ""
	pe     *scenario.ParseError
}

func (e *syntaxError) Error() string { return e.prefix + e.pe.Error() }

// Unwrap gives errors.As the EINVALID code and the parse error.
func (e *syntaxError) Unwrap() []error {
	return []error{&nadra.Error{Code: nadra.EINVALID, Message: e.Error()}, e.pe}
}

// scenarioInterrupted says so when err is ctx ending (Ctrl-C or SIGTERM)
// rather than a failure.
func scenarioInterrupted(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return nadra.Errorf(nadra.EINVALID, "interrupted; the scenario was not evaluated")
	}
	return err
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

// readScenarioFile reads file:NAME: the file NAME, else NAME.geojson,
// else a shipped file. A path that is a directory is passed over; one
// that is a device, a named pipe or a socket, or is larger than
// kindScenario's limit, is refused.
func readScenarioFile(ctx context.Context, name string) ([]byte, string, error) {
	dir := ""
	for _, p := range []string{name, name + ".geojson"} {
		st, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return nil, "", pathError(p, err)
		case st.IsDir():
			dir = p
			continue
		}
		data, err := readFile(ctx, p, nil, kindScenario)
		if err != nil {
			return nil, "", err
		}
		return data, p, nil
	}
	files, err := dataset.ScenarioFS()
	if err != nil {
		return nil, "", err
	}
	if data, ok := scenario.ShippedFile(files, name); ok {
		return data, "shipped " + name, nil
	}
	if dir != "" {
		return nil, "", nadra.Errorf(nadra.EINVALID, "%s: is a directory; expected a GeoJSON file", dir)
	}
	shipped := scenario.ShippedFiles(files)
	hint := "none are shipped"
	if len(shipped) > 0 {
		hint = "shipped: " + strings.Join(shipped, ", ")
	}
	return nil, "", nadra.Errorf(nadra.EINVALID, "no file %q or %q, and no shipped file of that name (%s)", name, name+".geojson", hint)
}

// scenarioAccess returns the access report under a scenario expression (or
// a shipped scenario's id): each deposit's status and distance as if the
// expression's area were the occupied ground. "" means the latest
// snapshot, with its grey zone. It is the one place other commands
// (supply's --add-accessible, simulate's --scenario) get
// scenario-conditioned statuses from.
func (m *Main) scenarioAccess(ctx context.Context, expr string) (*nadra.AccessReport, error) {
	if strings.TrimSpace(expr) == "" {
		return m.accessReport(ctx, "", "")
	}
	ev, err := m.evaluator(ctx)
	if err != nil {
		return nil, err
	}
	sc, err := bindScenario(ctx, ev, expr)
	if err != nil {
		return nil, err
	}
	reg, err := m.registry(ctx)
	if err != nil {
		return nil, err
	}
	rep, err := ev.Access(ctx, sc, reg, m.Now().UTC().Format(nadra.DateLayout))
	return rep, scenarioInterrupted(ctx, err)
}

func (m *Main) evalScenario(ctx context.Context, expr, baseline string) (*nadra.ScenarioResult, error) {
	ev, err := m.evaluator(ctx)
	if err != nil {
		return nil, err
	}
	sc, err := bindScenario(ctx, ev, expr)
	if err != nil {
		return nil, err
	}
	base, err := bindScenario(ctx, ev, baseline)
	var se *syntaxError
	if errors.As(err, &se) {
		return nil, &syntaxError{prefix: "baseline: ", pe: se.pe}
	}
	if nadra.ErrorCode(err) == nadra.EINVALID {
		return nil, nadra.Errorf(nadra.EINVALID, "baseline: %s", nadra.ErrorMessage(err)) // the message alone is printed
	} else if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	reg, err := m.registry(ctx)
	if err != nil {
		return nil, err
	}
	res, err := ev.Evaluate(ctx, sc, base, reg, m.Now().UTC().Format(nadra.DateLayout))
	if err != nil {
		return nil, scenarioInterrupted(ctx, err)
	}
	return res.Result, nil
}

// movedQty is a contained quantity changing hands one way: "–" when no
// deposit moves that way, "n/a" when some do but the quantity is unknown.
func movedQty(n int, p *float64, basis string) string {
	switch {
	case n == 0:
		return "–"
	case p == nil:
		return "n/a"
	}
	s := massText(*p)
	if basis != "" {
		s += " " + basis
	}
	return s
}

// movedUSD is movedQty for a value.
func movedUSD(n int, p *float64) string {
	if n == 0 {
		return "–"
	}
	return usd(p)
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
	net := "+" + numfmt.Thousands(d.NetKm2)
	if math.Round(d.NetKm2) < 0 {
		net = "−" + numfmt.Thousands(-d.NetKm2)
	} else if math.Round(d.NetKm2) == 0 {
		net = "0"
	}
	fprintf(w, "\nLand changing hands (equal-area, sea excluded): %s km² to occupied, %s km² to controlled, net %s km² to occupied.\n",
		numfmt.Thousands(d.ToOccupiedKm2), numfmt.Thousands(d.ToControlledKm2), net)
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
		fprintf(w, "\nResource value changing hands (in-situ, upper bound; contained in each commodity's basis):\n")
		t := newTab(w)
		fprintf(t, "  COMMODITY\tTO OCCUPIED\tBACK TO UKRAINE\tCONTAINED TO OCCUPIED\tCONTAINED BACK\tVALUE TO OCCUPIED\tVALUE BACK\tNET VALUE TO OCCUPIED\n")
		rows := append([]nadra.CommodityMove{}, d.ByCommodity...)
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Commodity < rows[j].Commodity })
		for _, r := range rows {
			fprintf(t, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Commodity,
				count(r.ToOccupiedDeposits, "deposit", "deposits"), count(r.ToControlledDeposits, "deposit", "deposits"),
				movedQty(r.ToOccupiedDeposits, r.ToOccupiedContained, r.Basis), movedQty(r.ToControlledDeposits, r.ToControlledContained, r.Basis),
				movedUSD(r.ToOccupiedDeposits, r.ToOccupiedInSituUSD), movedUSD(r.ToControlledDeposits, r.ToControlledInSituUSD),
				usd(r.NetToOccupiedInSituUSD))
		}
		t.Flush()
		fprintf(w, "  (–: nothing moves that way; n/a: deposits move, but their contained quantity or value is unknown.)\n")
	}
	fprintf(w, "\nNotes:\n")
	for _, n := range rep.Notes {
		fprintf(w, "  - %s\n", wrap(n, 96, "    "))
	}
}

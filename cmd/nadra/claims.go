package main

import (
	"context"
	"fmt"
	"strings"

	"nadra"
	"nadra/claims"
	"nadra/dataset"
)

const claimsHelp = `Usage: nadra claims [--json]

The public claims about Ukraine's mineral resources (dataset/claims.csv:
who said what, when, in their exact words, on what stated basis, with the
source), each tested against nadra's data: nadra's own figure under each
method that fits (by count of deposits, by contained quantity, by in-situ
value, by value net of recoverable cost from the deal model; China's share
of world production for supply claims), on the claim's own date and on the
latest line, with and without the areas occupied before 2022. Each figure
has its coverage, a verdict (consistent, not consistent, or not testable
with this data) and one sentence why; so has each claim.

--json prints every figure with the deposits behind it.`

func (m *Main) runClaims(ctx context.Context, args []string) error {
	fs := m.flags("claims", claimsHelp)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	rep, err := m.claims(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(m.Stdout, rep)
	}
	printClaims(m, rep)
	return nil
}

// claims tests the embedded claims register against the database.
func (m *Main) claims(ctx context.Context) (*nadra.ClaimsReport, error) {
	if err := m.open(ctx); err != nil {
		return nil, err
	}
	cs, err := dataset.Claims()
	if err != nil {
		return nil, err
	}
	reg, err := m.registry(ctx)
	if err != nil {
		return nil, err
	}
	infos, err := m.Snapshots.FindSnapshots(ctx)
	if err != nil {
		return nil, err
	}
	if len(infos) == 0 {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "no control snapshots in the database")
	}
	b, err := dataset.Boundaries()
	if err != nil {
		return nil, err
	}
	params, err := dataset.ModelParams()
	if err != nil {
		return nil, err
	}
	net, err := claims.NetByDeposit(reg, params)
	if err != nil {
		return nil, err
	}
	data, err := m.Supply.FindSupplyData(ctx)
	if err != nil {
		return nil, err
	}
	at := claims.SnapshotSituations(infos, func(date string) (*nadra.Snapshot, error) {
		return m.Snapshots.FindSnapshotAt(ctx, date)
	}, b)
	return claims.Evaluate(cs, claims.Inputs{Registry: reg, At: at, Latest: infos[len(infos)-1].Date, Net: net, Supply: data})
}

func printClaims(m *Main, rep *nadra.ClaimsReport) {
	w := m.Stdout
	fprintf(w, "Public claims tested against nadra's data (latest line: %s)\n", rep.Latest)
	for _, r := range rep.Claims {
		c := r.Claim
		fprintf(w, "\n%s  %s, %s\n", c.ID, c.Who, c.Date)
		fprintf(w, "  \"%s\"\n", wrap(c.Words, 96, "   "))
		fprintf(w, "  Basis stated: %s\n", wrap(c.Basis, 90, "    "))
		fprintf(w, "  Verdict: %s. %s\n", strings.ToUpper(string(r.Verdict)), wrap(r.Why, 90, "    "))
		t := newTab(w)
		fprintf(t, "    METHOD\tLINE\tPRE-2022\tNADRA\tPART / WHOLE\tCOVERAGE with/located/deposits\tVERDICT\n")
		for _, f := range r.Figures {
			pre := "with"
			if !f.Pre2022 {
				pre = "without"
			}
			if f.Method == nadra.MethodSupply {
				pre = "-"
			}
			line := f.Line
			if f.Snapshot != "" {
				line += " (" + f.Snapshot + ")"
			}
			fprintf(t, "    %s\t%s\t%s\t%s\t%s\t%d/%d/%d\t%s\n", f.Method, line, pre, figureText(c.Kind, f), partWhole(f),
				f.Coverage.WithFigure, f.Coverage.Located, f.Coverage.Deposits, f.Verdict)
		}
		t.Flush()
	}
	fprintf(w, "\nNotes:\n")
	for _, n := range rep.Notes {
		fprintf(w, "  - %s\n", wrap(n, 96, "    "))
	}
}

// figureText prints a figure's value: a share for a share claim or a
// supply share, otherwise a sum in USD (the value claims' figure is the
// occupied or total sum, not a share).
func figureText(kind nadra.ClaimKind, f nadra.ClaimFigure) string {
	switch {
	case f.Value == nil:
		return "n/a"
	case f.Unit == "USD" && kind != nadra.ClaimOccupiedShare:
		return usd(f.Value)
	}
	return pct(f.Value)
}

func partWhole(f nadra.ClaimFigure) string {
	if f.Part == nil || f.Whole == nil {
		return ""
	}
	switch f.Unit {
	case "USD":
		return usd(f.Part) + " / " + usd(f.Whole)
	case "deposits":
		return fmt.Sprintf("%.0f / %.0f", *f.Part, *f.Whole)
	}
	return qty(f.Part) + " / " + qty(f.Whole) + " " + f.Unit
}

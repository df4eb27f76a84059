package main

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"nadra"
	"nadra/dataset"
	"nadra/internal/csvfmt"
)

// importLicences parses a licences CSV against the database's commodities
// and deposits, then imports it in one transaction.
func (m *Main) importLicences(ctx context.Context, imp nadra.Import, data []byte, format string) (nadra.ImportResult, error) {
	switch strings.ToLower(format) {
	case "", "csv":
	default:
		return nadra.ImportResult{}, usagef("--format %q: licences are read from CSV only", format)
	}
	known, err := m.knownCommodities(ctx)
	if err != nil {
		return nadra.ImportResult{}, err
	}
	deps, _, err := m.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
	if err != nil {
		return nadra.ImportResult{}, err
	}
	ids := map[string]bool{}
	for _, d := range deps {
		ids[d.ID] = true
	}
	refs := dataset.LicenceRefs{Commodities: known, Deposits: ids, Today: m.Now().UTC().Format(nadra.DateLayout)}
	ls, err := interruptible(ctx, func() ([]*nadra.Licence, error) {
		return dataset.ParseLicencesCSV(imp.File, bytes.NewReader(data), refs)
	})
	if err != nil {
		return nadra.ImportResult{}, err
	}
	return m.Licences.ImportLicences(ctx, imp, ls)
}

const licencesHelp = `Usage: nadra licences [--deal TERMS] [--json | --csv]

Each licence in the register (special permits and PSAs, the embedded ones
and those you imported with "nadra import licences"): its deposit, the
deposit's status on the front by the latest control snapshot (as "nadra
report access" computes it), and whether the licence counts under the deal
TERMS, with the reason in a sentence.

TERMS is a shipped id (urif-2025, the default; draft-2025-02;
draft-2025-03) or the path of a terms file. Which licences count is data
in the terms file (revenue_base, commodities, in_force,
licensed_undeveloped, renewals_count); dataset/FORMAT.md, "Which licences
count", gives the rules. A verdict is eligible, not_eligible or
undetermined when the facts recorded do not decide it.`

// licenceLine is one licence in the "nadra licences" report.
type licenceLine struct {
	*nadra.Licence
	DepositName string `json:"deposit_name,omitempty"`
	// Front is the deposit's control status by the report's snapshot:
	// controlled, occupied, grey, or unknown without coordinates; "" for a
	// licence outside the registry or when there is no snapshot.
	Front       nadra.Status      `json:"front,omitempty"`
	FrontSince  *string           `json:"front_since,omitempty"`
	DistanceKm  *float64          `json:"distance_km,omitempty"` // to hostile ground, or to controlled ground if occupied
	Eligibility nadra.Eligibility `json:"eligibility"`
}

// licencesReport is what "nadra licences --json" prints.
type licencesReport struct {
	Deal     string         `json:"deal"`
	DealName string         `json:"deal_name"`
	InForce  string         `json:"in_force,omitempty"`
	Snapshot string         `json:"snapshot,omitempty"` // date of the control snapshot for Front
	Counts   map[string]int `json:"counts"`             // by verdict
	Licences []licenceLine  `json:"licences"`
}

func (m *Main) runLicences(ctx context.Context, args []string) error {
	fs := m.flags("licences", licencesHelp)
	deal := fs.String("deal", "urif-2025", "deal terms: a shipped id or a terms file")
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
	terms, err := m.loadTerms(ctx, *deal)
	if err != nil {
		return err
	}
	rep, err := m.licencesReport(ctx, terms)
	if err != nil {
		return err
	}
	switch {
	case out.json:
		return writeJSON(m.Stdout, rep)
	case out.csv:
		return writeLicencesCSV(m, rep)
	}
	printLicences(m, rep)
	return nil
}

// licencesReport judges every stored licence under terms and adds its
// deposit's status on the front by the latest snapshot.
func (m *Main) licencesReport(ctx context.Context, terms *nadra.DealTerms) (*licencesReport, error) {
	if err := m.open(ctx); err != nil {
		return nil, err
	}
	ls, err := m.Licences.FindLicences(ctx, nadra.LicenceFilter{})
	if err != nil {
		return nil, err
	}
	deps, _, err := m.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
	if err != nil {
		return nil, err
	}
	byID := map[string]*nadra.Deposit{}
	for _, d := range deps {
		byID[d.ID] = d
	}
	rep := &licencesReport{Deal: terms.ID, DealName: terms.Name, InForce: terms.InForce,
		Counts: map[string]int{nadra.Eligible: 0, nadra.NotEligible: 0, nadra.Undetermined: 0}, Licences: []licenceLine{}}
	front := map[string]nadra.DepositAccess{}
	acc, err := m.accessReport(ctx, "", "")
	switch {
	case nadra.ErrorCode(err) == nadra.ENOTFOUND:
	case err != nil:
		return nil, err
	default:
		rep.Snapshot = acc.Snapshot
		for _, d := range acc.Deposits {
			front[d.ID] = d
		}
	}
	for _, l := range ls {
		line := licenceLine{Licence: l}
		dep := byID[l.DepositID]
		if dep != nil {
			line.DepositName = dep.Name
			if a, ok := front[dep.ID]; ok {
				line.Front, line.FrontSince, line.DistanceKm = a.Status, a.Since, a.DistanceKm
			}
		}
		line.Eligibility = nadra.LicenceEligibility(terms, l, dep)
		rep.Counts[line.Eligibility.Verdict]++
		rep.Licences = append(rep.Licences, line)
	}
	return rep, nil
}

func printLicences(m *Main, rep *licencesReport) {
	w := m.Stdout
	fprintf(w, "Licences under %s: %s", rep.Deal, rep.DealName)
	if rep.InForce != "" {
		fprintf(w, ", in force %s", rep.InForce)
	}
	fprintf(w, "\n")
	if rep.Snapshot != "" {
		fprintf(w, "Front: each deposit's status by the control snapshot of %s\n\n", rep.Snapshot)
	} else {
		fprintf(w, "Front: no control snapshot in the database\n\n")
	}
	t := newTab(w)
	fprintf(t, "ID\tKIND\tDEPOSIT\tMINERALS\tGRANTED\tSTATUS\tFRONT\tVERDICT\n")
	for _, l := range rep.Licences {
		dep, front := l.DepositID, string(l.Front)
		if dep == "" {
			dep, front = "(not in the registry)", "-"
		}
		fprintf(t, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.ID, l.Kind, dep, strings.Join(l.Minerals, ","),
			orDash(l.Granted), orDash(l.Status), orDash(front), l.Eligibility.Verdict)
	}
	t.Flush()
	fprintf(w, "\nWhy:\n")
	for _, l := range rep.Licences {
		fprintf(w, "  %s, %s:\n    %s\n", l.ID, l.Holder, wrap(l.Eligibility.Reason, 92, "    "))
	}
	fprintf(w, "\n%s, of %d licences\n", verdictCounts(rep.Counts), len(rep.Licences))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeLicencesCSV(m *Main, rep *licencesReport) error {
	w := csvfmt.NewWriter(m.Stdout)
	w.Write([]string{"id", "kind", "holder", "deposit_id", "deposit_name", "minerals", "granted", "term_years", "status", "ended",
		"renewal", "developed_at_entry", "front", "front_snapshot", "deal", "verdict", "reason"})
	for _, l := range rep.Licences {
		term, dev := "", ""
		if l.TermYears != nil {
			term = strconv.Itoa(*l.TermYears)
		}
		if l.DevelopedAtEntry != nil {
			dev = strconv.FormatBool(*l.DevelopedAtEntry)
		}
		snap := ""
		if l.Front != "" {
			snap = rep.Snapshot
		}
		w.Write([]string{l.ID, l.Kind, l.Holder, l.DepositID, l.DepositName, strings.Join(l.Minerals, ";"), l.Granted, term,
			l.Status, l.Ended, strconv.FormatBool(l.Renewal), dev, string(l.Front), snap, rep.Deal, l.Eligibility.Verdict, l.Eligibility.Reason})
	}
	w.Flush()
	return w.Error()
}

// verdictCounts says how many licences have each verdict.
func verdictCounts(c map[string]int) string {
	return fmt.Sprintf("%d eligible, %d not eligible, %d undetermined", c[nadra.Eligible], c[nadra.NotEligible], c[nadra.Undetermined])
}

package main

import (
	"context"
	"fmt"
	"nadra/internal/numfmt"
	"path/filepath"
	"strings"

	"nadra"
	"nadra/dataset"
)

const dealHelp = `Usage: nadra deal <show|list> [flags]

Subcommands:
  list               the deal terms nadra ships
  show TERMS         one set of terms, term by term, with sources

TERMS is the id of shipped terms (urif-2025, draft-2025-02,
draft-2025-03) or the path of a terms file: copy one from dataset/deals,
change a term, and pass the path here or to "nadra simulate --deal".
The format is in dataset/FORMAT.md, "Deal terms".`

func (m *Main) runDeal(ctx context.Context, args []string) error {
	if ok, err := m.subcommandHelp("deal", args, dealHelp, "which subcommand? (show, list)"); !ok {
		return err
	}
	switch args[0] {
	case "show":
		return m.runDealShow(ctx, args[1:])
	case "list":
		return m.runDealList(ctx, args[1:])
	}
	return usagef("unknown subcommand %q; expected show or list", args[0])
}

func (m *Main) runDealList(ctx context.Context, args []string) error {
	fs := m.flags("deal list", "Usage: nadra deal list [--json]\n\nLists the deal terms nadra ships in dataset/deals.")
	var out outputFlags
	fs.BoolVar(&out.json, "json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	deals, err := m.Catalog.FindDeals(ctx)
	if err != nil {
		return err
	}
	if out.json {
		return writeJSON(m.Stdout, deals)
	}
	t := newTab(m.Stdout)
	fprintf(t, "ID\tSTATUS\tDATE\tNAME\n")
	for _, d := range deals {
		fprintf(t, "%s\t%s\t%s\t%s\n", d.ID, d.Status, d.Date, termsName(d))
	}
	return t.Flush()
}

const dealShowHelp = `Usage: nadra deal show TERMS [--json]

Prints one set of deal terms, term by term: the value, the note and the
sources. TERMS is a shipped id (see "nadra deal list") or a terms file.`

func (m *Main) runDealShow(ctx context.Context, args []string) error {
	fs := m.flags("deal show", dealShowHelp)
	var out outputFlags
	fs.BoolVar(&out.json, "json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one set of terms, e.g. nadra deal show urif-2025")
	}
	d, err := m.loadTerms(ctx, pos[0])
	if err != nil {
		return err
	}
	if out.json {
		return writeJSON(m.Stdout, d)
	}
	w := m.Stdout
	fprintf(w, "%s\n%s (%s, %s)\n\n%s\n\nSources:\n", d.ID, termsName(d), d.Status, d.Date, wrap(d.Summary, 96, ""))
	for _, s := range d.Sources {
		fprintf(w, "  - %s\n", s)
	}
	fprintf(w, "\nTerms (file %s):\n", d.File)
	for _, t := range d.Terms {
		fprintf(w, "\n  %s: %s\n", t.Key, wrap(formatTerm(&t), 90, "      "))
		if t.Note != "" {
			fprintf(w, "      %s\n", wrap(t.Note, 90, "      "))
		}
		for _, s := range t.Source {
			fprintf(w, "      source: %s\n", s)
		}
	}
	return nil
}

// formatTerm renders a term's value for people: money in dollars with
// units, shares as percentages.
func formatTerm(t *nadra.Term) string {
	switch v := t.Value.(type) {
	case float64:
		switch {
		case strings.HasSuffix(t.Key, "_usd"):
			return "$" + numfmt.Human(v)
		case strings.HasSuffix(t.Key, "share") || strings.HasSuffix(t.Key, "_rate"):
			return fmt.Sprintf("%g (%g%%)", v, v*100)
		}
	case []nadra.Flow:
		if len(v) == 0 {
			return "none"
		}
		var s []string
		for _, f := range v {
			s = append(s, fmt.Sprintf("$%s in %d", numfmt.Human(f.USD), f.Year))
		}
		return strings.Join(s, "; ")
	}
	return t.FormatValue()
}

// loadTerms returns the database's terms by id (shipped or imported), or
// reads a terms file (a regular file within kindTerms' limit).
func (m *Main) loadTerms(ctx context.Context, arg string) (*nadra.DealTerms, error) {
	if !strings.ContainsAny(arg, `/\`) && !strings.HasSuffix(arg, ".yaml") && !strings.HasSuffix(arg, ".yml") {
		if err := m.open(ctx); err != nil {
			return nil, err
		}
		all, err := m.Catalog.FindDeals(ctx)
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, d := range all {
			if d.ID == arg {
				return d, nil
			}
			ids = append(ids, d.ID)
		}
		return nil, nadra.Errorf(nadra.ENOTFOUND, "no deal terms %q; the database has %s, or give a path to a terms file", arg, strings.Join(ids, ", "))
	}
	data, err := readFile(ctx, arg, nil, kindTerms)
	if err != nil {
		return nil, err
	}
	ds, err := dataset.Default()
	if err != nil {
		return nil, err
	}
	return dataset.ParseTerms(filepath.Clean(arg), data, dataset.CommodityCodes(ds.Commodities))
}

// termsName is the terms' name without a closing remark on whether they
// were signed ("(signed)", "(not signed)"), which the status says: so
// that the status is printed once.
func termsName(d *nadra.DealTerms) string {
	name := strings.TrimSpace(d.Name)
	if i := strings.LastIndex(name, " ("); i > 0 && strings.HasSuffix(name, ")") && strings.Contains(name[i:], "signed") {
		return name[:i]
	}
	return name
}

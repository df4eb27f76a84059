package main

import (
	"context"
	"encoding/json"
	"fmt"

	"nadra"
)

const datasetHelp = `Usage: nadra dataset <status|diff|accept|keep> [flags]

Your database against the dataset embedded in this nadra binary. A new
nadra brings a new dataset; on first use it is merged into the database,
and it never overwrites, deletes or reorders a row that you imported or
changed: such rows are kept, and where the dataset has changed them too
(or withdrawn them) they are conflicts for you to settle.

  status           the two versions, and how many rows differ, by kind and state
  diff [REF...]    each row that differs, with the dataset's and the stored
                   value field by field (--all adds the rows you added)
  accept REF...    take the dataset's value for these rows (a row the dataset
                   withdrew is deleted, unless your data refers to it)
  keep REF...      keep your value; the row is no longer a conflict, until the
                   dataset changes it again

REF is kind:key as diff prints it: deposit:ID, licence:ID,
snapshot:YYYY-MM-DD, estimate:HASH, production:HASH, terms:ID (deal
terms) or scenario:ID (a named scenario). accept and keep
take --conflicts instead of refs, for every conflict. States:

  edited     you changed it; the dataset ships another value, unchanged since
  conflict   you changed it and the dataset has changed it since
  withdrawn  the dataset no longer ships it; kept because you changed it or
             your data refers to it
  added      your own row; the dataset does not ship it (diff --all)`

func (m *Main) runDataset(ctx context.Context, args []string) error {
	if ok, err := m.subcommandHelp("dataset", args, datasetHelp, "expected status, diff, accept or keep"); !ok {
		return err
	}
	sub := args[0]
	fs := m.flags("dataset "+sub, datasetHelp)
	var asJSON, all, conflicts *bool
	switch sub {
	case "status", "diff":
		asJSON = fs.Bool("json", false, "print JSON")
		if sub == "diff" {
			all = fs.Bool("all", false, "also list the rows you added, which the dataset does not ship")
		}
	case "accept", "keep":
		asJSON = fs.Bool("json", false, "print the result as JSON")
		conflicts = fs.Bool("conflicts", false, "settle every conflict")
	default:
		return usagef("unknown subcommand %q; expected status, diff, accept or keep", sub)
	}
	refs, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if sub == "status" && len(refs) > 0 {
		return usagef("status takes no arguments")
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	sd, err := m.Dataset()
	if err != nil {
		return err
	}
	switch sub {
	case "status":
		return m.datasetStatus(ctx, sd, *asJSON)
	case "diff":
		return m.datasetDiff(ctx, sd, refs, *all, *asJSON)
	}
	if *conflicts {
		if len(refs) > 0 {
			return usagef("give refs or --conflicts, not both")
		}
		rows, err := m.DB.DiffSeed(ctx, sd, false)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.State == nadra.SeedConflict {
				refs = append(refs, r.Ref)
			}
		}
		if len(refs) == 0 {
			fmt.Fprintln(m.Stdout, "no conflicts")
			return nil
		}
	}
	if len(refs) == 0 {
		return usagef("%s what? give refs as `nadra dataset diff` prints them, or --conflicts", sub)
	}
	var res *nadra.SeedResult
	if sub == "accept" {
		res, err = m.DB.AcceptSeed(ctx, sd, refs)
	} else {
		res, err = m.DB.KeepSeed(ctx, sd, refs)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(m.Stdout, res)
	}
	if sub == "accept" {
		fmt.Fprintf(m.Stdout, "took the dataset's value for %d rows: %d added, %d updated, %d removed (import %d)\n",
			len(refs), res.Inserted, res.Updated, res.Removed, res.ImportID)
	} else {
		fmt.Fprintf(m.Stdout, "kept your value for %d rows\n", len(refs))
	}
	return nil
}

// datasetStatusJSON is what `nadra dataset status --json` prints.
type datasetStatusJSON struct {
	Embedded string                    `json:"embedded_version"`
	Database string                    `json:"database_version"`
	Counts   map[string]map[string]int `json:"counts"` // kind -> state -> rows
}

func (m *Main) datasetStatus(ctx context.Context, sd nadra.Seed, asJSON bool) error {
	have, err := m.DB.SeedVersion(ctx)
	if err != nil {
		return err
	}
	rows, err := m.DB.DiffSeed(ctx, sd, true)
	if err != nil {
		return err
	}
	st := datasetStatusJSON{Embedded: sd.Version, Database: have, Counts: map[string]map[string]int{}}
	kinds := []string{"deposit", "estimate", "licence", "snapshot", "production", "terms", "scenario"}
	for _, k := range kinds {
		st.Counts[k] = map[string]int{}
	}
	for _, r := range rows {
		st.Counts[r.Kind][string(r.State)]++
	}
	if asJSON {
		return writeJSON(m.Stdout, st)
	}
	fmt.Fprintf(m.Stdout, "embedded dataset %s\ndatabase %s seeded from %s\n\n", sd.Version, m.dbName(), have)
	if len(rows) == 0 {
		fmt.Fprintln(m.Stdout, "every row is as the embedded dataset ships it")
		return nil
	}
	states := []nadra.SeedState{nadra.SeedConflict, nadra.SeedEdited, nadra.SeedWithdrawn, nadra.SeedAdded, nadra.SeedPending, nadra.SeedMissing}
	tw := newTab(m.Stdout)
	fmt.Fprint(tw, "kind")
	for _, s := range states {
		fmt.Fprintf(tw, "\t%s", s)
	}
	fmt.Fprintln(tw)
	for _, k := range kinds {
		fmt.Fprint(tw, k)
		for _, s := range states {
			fmt.Fprintf(tw, "\t%d", st.Counts[k][string(s)])
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	n := 0
	for _, k := range kinds {
		n += st.Counts[k][string(nadra.SeedConflict)]
	}
	if n > 0 {
		fmt.Fprintf(m.Stdout, "\n%d conflicts: the dataset changed rows you had changed. `nadra dataset diff` shows both values;\n`nadra dataset accept REF` takes the dataset's, `nadra dataset keep REF` keeps yours.\n", n)
	}
	return nil
}

func (m *Main) datasetDiff(ctx context.Context, sd nadra.Seed, refs []string, all, asJSON bool) error {
	rows, err := m.DB.DiffSeed(ctx, sd, all || len(refs) > 0)
	if err != nil {
		return err
	}
	if len(refs) > 0 {
		want := map[string]bool{}
		for _, r := range refs {
			want[r] = true
		}
		var sel []nadra.SeedRow
		for _, r := range rows {
			if want[r.Ref] {
				sel = append(sel, r)
				delete(want, r.Ref)
			}
		}
		for r := range want {
			return nadra.Errorf(nadra.ENOTFOUND, "%s: no such row differs from the embedded dataset", r)
		}
		rows = sel
	}
	if asJSON {
		return writeJSON(m.Stdout, rows)
	}
	if len(rows) == 0 {
		fmt.Fprintln(m.Stdout, "no differences from the embedded dataset")
		return nil
	}
	for i, r := range rows {
		if i > 0 {
			fmt.Fprintln(m.Stdout)
		}
		fmt.Fprintf(m.Stdout, "%-9s  %s  %s\n", r.State, r.Ref, r.Label)
		if r.Origin != "" {
			fmt.Fprintf(m.Stdout, "           stored: %s\n", r.Origin)
		}
		if r.Note != "" {
			fmt.Fprintf(m.Stdout, "           %s\n", r.Note)
		}
		if len(r.Fields) == 0 {
			continue
		}
		tw := newTab(m.Stdout)
		fmt.Fprintln(tw, "           field\tdataset\tstored")
		for _, f := range r.Fields {
			fmt.Fprintf(tw, "           %s\t%s\t%s\n", f.Field, diffValue(f.Dataset), diffValue(f.Stored))
		}
		tw.Flush()
	}
	return nil
}

// diffValue formats a field's value on one line: "—" for none.
func diffValue(v any) string {
	if v == nil {
		return "—"
	}
	if s, ok := v.(string); ok {
		if s == "" {
			return `""`
		}
		return truncate(oneLine(s), 60)
	}
	b, _ := json.Marshal(v)
	return truncate(string(b), 60)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

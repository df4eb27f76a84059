// Package flows writes the flows export of a journal, every entry with
// where it stands, as CSV or XLSX: what nadra ledger export-flows writes
// and GET /api/v1/ledger/flows serves, from the same code.
package flows

import (
	"fmt"
	"io"
	"strings"

	"nadra"
	"nadra/internal/csvfmt"
	"nadra/internal/xlsx"
	"nadra/ledger"
)

// Columns are the export's columns: where an entry sits in the journal
// and whether it is in force, then the entry's own columns (the entries
// CSV of dataset/FORMAT.md), then its amount in US dollars at its own
// rate.
var Columns = append(append([]string{"position", "in_force", "replaced_by", "original"}, ledger.EntryColumns...), "in_usd")

// Rows returns one row per entry of the journal, corrected ones included,
// in Columns: ints, bools and strings (amounts as decimal strings).
func Rows(v *ledger.View) ([][]any, error) {
	replacedBy := map[string]string{}
	original := map[string]string{}
	for _, e := range v.Effective {
		original[e.Entry.ID] = e.Original
		for _, id := range e.Replaced {
			replacedBy[id] = e.Entry.ID
			original[id] = e.Original
		}
	}
	rows := make([][]any, 0, len(v.Journal.Entries))
	for i, e := range v.Journal.Entries {
		usd, err := ledger.EntryUSD(e)
		if err != nil {
			return nil, nadra.Errorf(nadra.EINVALID, "%s: entry %d (%s): %s", v.Info.Name, i, e.ID, nadra.ErrorMessage(err))
		}
		rows = append(rows, []any{i, replacedBy[e.ID] == "", replacedBy[e.ID], original[e.ID],
			e.ID, e.Kind, e.Date, e.Period, e.Party, e.From, e.To, e.Stream, e.Amount.String(), e.Currency, e.FXRate, e.FXSource,
			e.Licence, e.Ref, strings.Join(e.Docs, csvfmt.SourceSep), e.Valuation, e.Corrects, e.Public, e.Memo, usd.String()})
	}
	return rows, nil
}

// WriteCSV writes the export as CSV, safe to open in a spreadsheet
// (csvfmt.Writer).
func WriteCSV(out io.Writer, v *ledger.View) error {
	rows, err := Rows(v)
	if err != nil {
		return err
	}
	w := csvfmt.NewWriter(out)
	w.Write(Columns)
	for _, r := range rows {
		rec := make([]string, len(r))
		for i, c := range r {
			rec[i] = fmt.Sprint(c)
		}
		w.Write(rec)
	}
	w.Flush()
	return w.Error()
}

// WriteXLSX writes the export as a workbook: the flows, their postings,
// and a sheet saying which journal they come from. Amounts are numbers;
// text cells are text, never formulas.
func WriteXLSX(out io.Writer, v *ledger.View) error {
	rows, err := Rows(v)
	if err != nil {
		return err
	}
	amountCols := map[string]bool{"amount": true, "in_usd": true, "debit": true, "credit": true}
	// Amounts are numbers in the workbook: decimal strings become floats
	// for Excel; the CSV keeps them exact.
	numbers := func(head []string, rows [][]any) [][]any {
		out := make([][]any, len(rows))
		for r, row := range rows {
			cells := make([]any, len(row))
			for i, c := range row {
				cells[i] = c
				if s, ok := c.(string); ok && i < len(head) && amountCols[head[i]] && s != "" {
					if m, err := nadra.ParseMoney(s); err == nil {
						cells[i] = m.Float()
					}
				}
			}
			out[r] = cells
		}
		return out
	}
	var posts [][]any
	for i, e := range v.Journal.Entries {
		for _, p := range e.Postings {
			posts = append(posts, []any{i, e.ID, e.Party, p.Account, p.Debit.String(), p.Credit.String(), e.Currency})
		}
	}
	postHead := []string{"position", "id", "party", "account", "debit", "credit", "currency"}
	about := [][]any{
		{"journal", v.Info.Name},
		{"entries", v.Info.Entries},
		{"in force", v.Info.InForce},
		{"what it is", v.Info.Note},
		{"US dollars", v.Info.USD},
	}
	return xlsx.Write(out, []xlsx.Sheet{
		{Name: "flows", Header: Columns, Rows: numbers(Columns, rows)},
		{Name: "postings", Header: postHead, Rows: numbers(postHead, posts)},
		{Name: "about", Header: []string{"item", "value"}, Rows: about},
	})
}

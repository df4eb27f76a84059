// Package flows writes the flows export of a journal, every entry with
// where it stands, as CSV or XLSX: what nadra ledger export-flows writes
// and GET /api/v1/ledger/flows serves, from the same code.
package flows

import (
	"fmt"
	"io"
	"strings"

	"nadra"
	"nadra/dataset"
	"nadra/ledger"

	"github.com/xuri/excelize/v2"
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
			e.Licence, e.Ref, strings.Join(e.Docs, dataset.SourceSep), e.Valuation, e.Corrects, e.Public, e.Memo, usd.String()})
	}
	return rows, nil
}

// WriteCSV writes the export as CSV, safe to open in a spreadsheet
// (dataset.CSVWriter).
func WriteCSV(out io.Writer, v *ledger.View) error {
	rows, err := Rows(v)
	if err != nil {
		return err
	}
	w := dataset.NewCSVWriter(out)
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
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	amountCols := map[string]bool{"amount": true, "in_usd": true, "debit": true, "credit": true}
	sheet := func(name string, head []string, rows [][]any, first bool) error {
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		h := make([]any, len(head))
		for i, c := range head {
			h[i] = c
		}
		if err := f.SetSheetRow(name, "A1", &h); err != nil {
			return err
		}
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
			cell, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := f.SetSheetRow(name, cell, &cells); err != nil {
				return err
			}
		}
		last, _ := excelize.ColumnNumberToName(len(head))
		f.SetRowStyle(name, 1, 1, bold)
		f.SetColWidth(name, "A", last, 16)
		f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
		if len(rows) > 0 {
			f.AutoFilter(name, fmt.Sprintf("A1:%s%d", last, len(rows)+1), nil)
		}
		return nil
	}
	if err := sheet("flows", Columns, rows, true); err != nil {
		return err
	}
	var posts [][]any
	for i, e := range v.Journal.Entries {
		for _, p := range e.Postings {
			posts = append(posts, []any{i, e.ID, e.Party, p.Account, p.Debit.String(), p.Credit.String(), e.Currency})
		}
	}
	if err := sheet("postings", []string{"position", "id", "party", "account", "debit", "credit", "currency"}, posts, false); err != nil {
		return err
	}
	about := [][]any{
		{"journal", v.Info.Name},
		{"entries", v.Info.Entries},
		{"in force", v.Info.InForce},
		{"what it is", v.Info.Note},
		{"US dollars", v.Info.USD},
	}
	if err := sheet("about", []string{"item", "value"}, about, false); err != nil {
		return err
	}
	return f.Write(out)
}

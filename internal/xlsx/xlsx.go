// Package xlsx writes workbooks for Excel and pandas: one sheet per table,
// a bold, frozen header row with a filter, numbers as numbers, text as
// text (never a formula), an unknown value as an empty cell (never 0),
// and each sheet's <dimension> the range it really uses, so that readers
// that trust the tag (openpyxl's read-only mode, some ETL tools) see every
// cell. The exports of the CLI and the server, and the ledger's flows,
// are written by it.
package xlsx

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// MediaType is the media type of a workbook.
const MediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Sheet is one worksheet: a header row and rows of strings, numbers,
// booleans or pointers to them (nil is an empty cell).
type Sheet struct {
	Name   string
	Header []string
	Rows   [][]any
}

// Dimension returns the range a sheet of header and rows uses, as its
// <dimension> tag gives it: "A1:C4" for three columns and three rows
// under the header.
func Dimension(columns, rows int) string {
	last, _ := excelize.ColumnNumberToName(max(1, columns))
	return fmt.Sprintf("A1:%s%d", last, rows+1)
}

// Write writes the sheets as a workbook to w.
func Write(w io.Writer, sheets []Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sh.Name); err != nil {
			return err
		}
		head := make([]any, len(sh.Header))
		for j, h := range sh.Header {
			head[j] = h
		}
		if err := f.SetSheetRow(sh.Name, "A1", &head); err != nil {
			return err
		}
		for r, row := range sh.Rows {
			cells := make([]any, len(row))
			for j, c := range row {
				cells[j] = Value(c)
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := f.SetSheetRow(sh.Name, cell, &cells); err != nil {
				return err
			}
		}
		last, _ := excelize.ColumnNumberToName(max(1, len(sh.Header)))
		if err := f.SetRowStyle(sh.Name, 1, 1, bold); err != nil {
			return err
		}
		if err := f.SetColWidth(sh.Name, "A", last, 16); err != nil {
			return err
		}
		if err := f.SetPanes(sh.Name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		if len(sh.Rows) > 0 {
			if err := f.AutoFilter(sh.Name, Dimension(len(sh.Header), len(sh.Rows)), nil); err != nil {
				return err
			}
		}
		// excelize leaves <dimension ref="A1"> after SetSheetRow; readers
		// that trust it would see one cell.
		if err := f.SetSheetDimension(sh.Name, Dimension(len(sh.Header), len(sh.Rows))); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// Value is the cell value of v: pointers dereferenced, nil for a nil
// pointer (an empty cell).
func Value(v any) any {
	switch x := v.(type) {
	case *float64:
		if x == nil {
			return nil
		}
		return *x
	case *string:
		if x == nil {
			return nil
		}
		return *x
	case *int:
		if x == nil {
			return nil
		}
		return *x
	case *bool:
		if x == nil {
			return nil
		}
		return *x
	}
	return v
}

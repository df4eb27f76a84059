package csvfmt

import (
	"io"
	"strings"

	"nadra"
)

// EstimateColumns are the columns of estimates.csv. See dataset/FORMAT.md.
var EstimateColumns = []string{"deposit_id", "commodity", "ore_mt", "grade", "grade_unit", "contained_t",
	"basis", "category", "year", "note", "source"}

// WriteEstimates writes estimates in nadra's CSV format.
func WriteEstimates(w io.Writer, estimates []*nadra.Estimate) error {
	cw := NewWriter(w)
	cw.Write(EstimateColumns)
	for _, e := range estimates {
		cw.Write([]string{e.DepositID, e.Commodity, Float(e.OreMt), Float(e.Grade), string(e.GradeUnit),
			Float(e.ContainedT), e.Basis, e.Category, Int(e.Year), e.Note, strings.Join(e.Source, SourceSep)})
	}
	cw.Flush()
	return cw.Error()
}

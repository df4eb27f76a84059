package csvfmt

import (
	"io"
	"strings"

	"nadra"
)

// DepositColumns are the columns of deposits.csv, in the order nadra
// writes them. See dataset/FORMAT.md.
var DepositColumns = []string{"id", "name", "name_uk", "oblast", "lat", "lon", "precision_km",
	"commodities", "stage", "coords_note", "note", "sources"}

// DepositStatusColumns are the columns an export adds after
// DepositColumns when it gives each deposit's status on a date (nadra
// export deposits --date, the XLSX and GeoJSON exports). They are derived,
// not data: import accepts and ignores them, so an export with statuses
// imports as the same deposits. See dataset/FORMAT.md.
var DepositStatusColumns = []string{"oblast_name", "date", "snapshot", "status", "since", "distance_km", "uncertain", "in_situ_usd"}

// WriteDeposits writes deposits in nadra's CSV format, which
// dataset.ParseDepositsCSV reads back unchanged.
func WriteDeposits(w io.Writer, deposits []*nadra.Deposit) error {
	cw := NewWriter(w)
	cw.Write(DepositColumns)
	for _, d := range deposits {
		cw.Write([]string{d.ID, d.Name, d.NameUK, d.Oblast, Float(d.Lat), Float(d.Lon), Float(d.PrecisionKm),
			strings.Join(d.Commodities, ";"), string(d.Stage), d.CoordsNote, d.Note, strings.Join(d.Sources, SourceSep)})
	}
	cw.Flush()
	return cw.Error()
}

// Package export writes nadra's exports, the same bytes from the command
// line (nadra export) and the server (GET /api/v1/exports/{kind}): the
// deposits, the published estimates, a control snapshot and the access
// report, each in every format it comes in (CSV, GeoJSON, XLSX).
//
// Deposits carry their status on a date as extra columns: in GeoJSON and
// XLSX always (on the latest snapshot unless a date is given), in CSV
// when a date is given. Without a date the CSV is exactly nadra's import
// format; with one, the status columns follow the import columns, and
// import ignores them (csvfmt.DepositStatusColumns).
package export

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"nadra"
	"nadra/internal/csvfmt"
	"nadra/internal/xlsx"
)

// Media types of the exports.
const (
	MediaCSV     = "text/csv; charset=utf-8"
	MediaGeoJSON = "application/geo+json"
	MediaXLSX    = xlsx.MediaType
)

// Kinds are the exports, in the order help texts list them.
var Kinds = []string{"deposits", "estimates", "control", "access"}

// formats lists, per kind, the formats it comes in; the first is the
// default.
var formats = map[string][]string{
	"deposits":  {"csv", "geojson", "xlsx"},
	"estimates": {"csv", "geojson", "xlsx"},
	"control":   {"geojson"},
	"access":    {"csv", "xlsx"},
}

// Formats returns the formats kind comes in, the default first; nil for
// an unknown kind.
func Formats(kind string) []string { return formats[kind] }

// Format checks format for kind and returns it, or kind's default when
// format is "". The error is EINVALID and says what is offered.
func Format(kind, format string) (string, error) {
	fs, ok := formats[kind]
	if !ok {
		return "", nadra.Errorf(nadra.EINVALID, "unknown export %q; expected %s", nadra.Truncate(kind, 40), strings.Join(Kinds, ", "))
	}
	if format == "" {
		return fs[0], nil
	}
	for _, f := range fs {
		if f == format {
			return f, nil
		}
	}
	return "", nadra.Errorf(nadra.EINVALID, "%s cannot be exported as %q; expected %s", kind, nadra.Truncate(format, 40), strings.Join(fs, " or "))
}

// MediaType is the media type of a format.
func MediaType(format string) string {
	switch format {
	case "csv":
		return MediaCSV
	case "geojson":
		return MediaGeoJSON
	case "xlsx":
		return MediaXLSX
	}
	return "application/octet-stream"
}

// Statuses are the deposits' statuses on a date: the access report and
// the control snapshot it rests on.
type Statuses struct {
	Snapshot nadra.SnapshotInfo
	Report   *nadra.AccessReport // its Date is the date asked
}

// byID indexes the report's deposits.
func (s *Statuses) byID() map[string]nadra.DepositAccess {
	out := make(map[string]nadra.DepositAccess, len(s.Report.Deposits))
	for _, d := range s.Report.Deposits {
		out[d.ID] = d
	}
	return out
}

// statusColumns are the columns a deposit's status adds, after the import
// columns.
var statusColumns = csvfmt.DepositStatusColumns

// statusCells are a deposit's status columns' values.
func statusCells(d *nadra.Deposit, a nadra.DepositAccess, st *Statuses) []any {
	return []any{nadra.Oblasts[d.Oblast], st.Report.Date, st.Snapshot.Date, string(a.Status), a.Since, a.DistanceKm, a.Uncertain, a.InSituUSD}
}

// Name is an export's file name without the extension: nadra-deposits,
// nadra-deposits-2025-02-12, nadra-control-2025-02-01.
func Name(kind, date string) string {
	if date == "" {
		return "nadra-" + kind
	}
	return "nadra-" + kind + "-" + date
}

// Deposits writes the deposits in format. st gives their statuses: in CSV
// only when given; GeoJSON and XLSX need it.
func Deposits(w io.Writer, format string, deps []*nadra.Deposit, ests []*nadra.Estimate, st *Statuses) error {
	switch format {
	case "csv":
		if st == nil {
			return csvfmt.WriteDeposits(w, deps)
		}
		return depositsCSV(w, deps, st)
	case "geojson":
		var extra func(*nadra.Deposit) map[string]any
		if st != nil {
			byID := st.byID()
			extra = func(d *nadra.Deposit) map[string]any {
				a := byID[d.ID]
				m := map[string]any{}
				for i, v := range statusCells(d, a, st) {
					m[statusColumns[i]] = v
				}
				delete(m, "oblast_name") // QGIS has the oblast code; the name is for spreadsheets
				return m
			}
		}
		return writeJSON(w, depositFeatures(deps, extra))
	case "xlsx":
		if st == nil {
			return fmt.Errorf("export: the deposits workbook needs statuses")
		}
		byID := st.byID()
		head := append(append([]string{}, csvfmt.DepositColumns...), statusColumns...)
		var rows [][]any
		for _, d := range deps {
			rows = append(rows, append(depositCells(d), statusCells(d, byID[d.ID], st)...))
		}
		var erows [][]any
		for _, e := range ests {
			erows = append(erows, estimateRow(e))
		}
		return xlsx.Write(w, []xlsx.Sheet{
			{Name: "deposits", Header: head, Rows: rows},
			{Name: "estimates", Header: csvfmt.EstimateColumns, Rows: erows},
			About(st),
		})
	}
	return nadra.Errorf(nadra.EINVALID, "deposits cannot be exported as %q", format)
}

// depositCells are a deposit's import columns as cells.
func depositCells(d *nadra.Deposit) []any {
	return []any{d.ID, d.Name, d.NameUK, d.Oblast, d.Lat, d.Lon, d.PrecisionKm,
		strings.Join(d.Commodities, ";"), string(d.Stage), d.CoordsNote, d.Note, strings.Join(d.Sources, csvfmt.SourceSep)}
}

// depositsCSV writes the import columns and the status columns.
func depositsCSV(w io.Writer, deps []*nadra.Deposit, st *Statuses) error {
	cw := csvfmt.NewWriter(w)
	cw.Write(append(append([]string{}, csvfmt.DepositColumns...), statusColumns...))
	byID := st.byID()
	for _, d := range deps {
		cells := append(depositCells(d), statusCells(d, byID[d.ID], st)...)
		rec := make([]string, len(cells))
		for i, c := range cells {
			rec[i] = Cell(c)
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// Estimates writes the published resource figures in format; GeoJSON puts
// each at its deposit's point.
func Estimates(w io.Writer, format string, ests []*nadra.Estimate, deps []*nadra.Deposit) error {
	switch format {
	case "csv":
		return csvfmt.WriteEstimates(w, ests)
	case "geojson":
		return writeJSON(w, estimateFeatures(ests, deps))
	case "xlsx":
		var rows [][]any
		for _, e := range ests {
			rows = append(rows, estimateRow(e))
		}
		return xlsx.Write(w, []xlsx.Sheet{{Name: "estimates", Header: csvfmt.EstimateColumns, Rows: rows}})
	}
	return nadra.Errorf(nadra.EINVALID, "estimates cannot be exported as %q", format)
}

func estimateRow(e *nadra.Estimate) []any {
	return []any{e.DepositID, e.Commodity, e.OreMt, e.Grade, string(e.GradeUnit), e.ContainedT, e.Basis, e.Category, e.Year, e.Note, strings.Join(e.Source, csvfmt.SourceSep)}
}

// AccessColumns are the access report's columns, one row per commodity
// and the total (as nadra report access --csv prints them).
var AccessColumns = []string{"date", "snapshot", "commodity", "basis", "deposits", "inaccessible_deposits", "share_count",
	"contained", "inaccessible_contained", "share_contained", "in_situ_usd", "inaccessible_in_situ_usd", "share_value",
	"coverage_located", "coverage_contained", "coverage_valued", "uncertain"}

// AccessRows are the report's rows in AccessColumns.
func AccessRows(rep *nadra.AccessReport) [][]any {
	var out [][]any
	for _, r := range append(append([]nadra.CommodityAccess{}, rep.ByCommodity...), rep.Total) {
		out = append(out, []any{rep.Date, rep.Snapshot, r.Commodity, r.Basis, r.Deposits, r.InaccessibleDeposits, r.ShareCount,
			r.Contained, r.InaccessibleContained, r.ShareContained, r.InSituUSD, r.InaccessibleInSituUSD, r.ShareValue,
			r.Coverage.Located, r.Coverage.Contained, r.Coverage.Valued, r.Coverage.Uncertain})
	}
	return out
}

// Access writes the access report: its commodity rows (CSV), or the whole
// report with each deposit and what it rests on (XLSX).
func Access(w io.Writer, format string, st *Statuses) error {
	rows := AccessRows(st.Report)
	switch format {
	case "csv":
		cw := csvfmt.NewWriter(w)
		cw.Write(AccessColumns)
		for _, r := range rows {
			rec := make([]string, len(r))
			for i, c := range r {
				rec[i] = Cell(c)
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	case "xlsx":
		dhead := []string{"id", "name", "oblast", "lat", "lon", "precision_km", "status", "since", "distance_km", "uncertain", "commodities", "in_situ_usd"}
		var drows [][]any
		for _, d := range st.Report.Deposits {
			drows = append(drows, []any{d.ID, d.Name, d.Oblast, d.Lat, d.Lon, d.PrecisionKm, string(d.Status), d.Since, d.DistanceKm, d.Uncertain, strings.Join(d.Commodities, ";"), d.InSituUSD})
		}
		return xlsx.Write(w, []xlsx.Sheet{{Name: "by_commodity", Header: AccessColumns, Rows: rows}, {Name: "deposits", Header: dhead, Rows: drows}, About(st)})
	}
	return nadra.Errorf(nadra.EINVALID, "access cannot be exported as %q", format)
}

// About is a workbook's sheet saying what it rests on.
func About(st *Statuses) xlsx.Sheet {
	rows := [][]any{
		{"date", st.Report.Date},
		{"control snapshot", st.Snapshot.Date},
		{"snapshot source", st.Snapshot.Source},
		{"grey zone known", st.Snapshot.GreyKnown},
	}
	for _, n := range st.Report.Notes {
		rows = append(rows, []any{"note", n})
	}
	rows = append(rows, []any{"data", "nadra's embedded dataset and imports; every row carries its source. See dataset/README.md for origins and licences (OpenStreetMap ODbL via geoBoundaries; DeepStateMap control areas) and nadra version --licences."})
	return xlsx.Sheet{Name: "about", Header: []string{"field", "value"}, Rows: rows}
}

// Cell formats one value for CSV: empty for unknown.
func Cell(v any) string {
	switch x := xlsx.Value(v).(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	case nadra.Status:
		return string(x)
	}
	return fmt.Sprint(v)
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"nadra"
	"nadra/dataset"

	"github.com/danielgtaylor/huma/v2"
	"github.com/xuri/excelize/v2"
)

// Media types of the exports.
const (
	mediaCSV     = "text/csv; charset=utf-8"
	mediaGeoJSON = "application/geo+json"
	mediaXLSX    = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// exportFormats lists, per kind, the formats it comes in; the first is
// the default.
var exportFormats = map[string][]string{
	"deposits":  {"csv", "geojson", "xlsx"},
	"estimates": {"csv", "geojson", "xlsx"},
	"control":   {"geojson"},
	"access":    {"csv", "xlsx"},
}

// ExportInput is an export's request.
type ExportInput struct {
	Kind   string `path:"kind" enum:"deposits,estimates,control,access" doc:"deposits: nadra's import columns (CSV), points with status on date (GeoJSON), or both (XLSX). estimates: published resource figures. control: the control snapshot in force on date. access: the access report's commodity rows (CSV) or the whole report (XLSX)."`
	Format string `query:"format" enum:"csv,geojson,xlsx" doc:"Default: csv, or geojson for control."`
	Date   string `query:"date" doc:"Date YYYY-MM-DD for statuses or the snapshot; default the latest control snapshot." example:"2025-02-12"`
}

// ExportOutput is a file.
type ExportOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

func (s *Server) registerExportRoutes() {
	register(s, s.api, huma.Operation{
		OperationID: "export",
		Method:      http.MethodGet,
		Path:        "/exports/{kind}",
		Summary:     "Export as CSV, GeoJSON or XLSX",
		Description: "Files for QGIS, Excel and pandas, with the source of every row. Formats per kind: deposits csv|geojson|xlsx, estimates csv|geojson|xlsx, control geojson, access csv|xlsx.",
		Tags:        []string{"exports"},
		Responses: map[string]*huma.Response{
			"200": {Description: "The file, as an attachment.", Content: map[string]*huma.MediaType{
				"text/csv":                 {Schema: &huma.Schema{Type: "string"}},
				mediaGeoJSON:               {Schema: &huma.Schema{Type: "object"}},
				mediaXLSX:                  {Schema: &huma.Schema{Type: "string", Format: "binary"}},
				"application/octet-stream": {Schema: &huma.Schema{Type: "string", Format: "binary"}},
			}},
		},
	}, s.handleExport)
}

// handleExport handles the "GET /api/v1/exports/{kind}" route.
func (s *Server) handleExport(ctx context.Context, in *ExportInput) (*ExportOutput, error) {
	formats := exportFormats[in.Kind]
	f := in.Format
	if f == "" {
		f = formats[0]
	}
	if !contains(formats, f) {
		return nil, nadra.Errorf(nadra.EINVALID, "format: %s cannot be exported as %q; expected %s.", in.Kind, f, strings.Join(formats, " or "))
	}
	date, err := parseDate("date", in.Date)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	name := "nadra-" + in.Kind
	switch in.Kind {
	case "deposits":
		name, err = s.exportDeposits(ctx, &buf, f, date)
	case "estimates":
		err = s.exportEstimates(ctx, &buf, f)
	case "control":
		var info nadra.SnapshotInfo
		if info, _, err = s.resolveSnapshot(ctx, date); err == nil {
			var snap *nadra.Snapshot
			if snap, err = s.Snapshots.FindSnapshotAt(ctx, info.Date); err == nil {
				err = dataset.WriteSnapshotGeoJSON(&buf, snap)
				name = "nadra-control-" + snap.Date
			}
		}
	case "access":
		name, err = s.exportAccess(ctx, &buf, f, date)
	}
	if err != nil {
		return nil, err
	}
	out := &ExportOutput{Body: buf.Bytes(), ContentDisposition: fmt.Sprintf(`attachment; filename="%s.%s"`, name, f)}
	switch f {
	case "csv":
		out.ContentType = mediaCSV
	case "geojson":
		out.ContentType = mediaGeoJSON
	case "xlsx":
		out.ContentType = mediaXLSX
	}
	return out, nil
}

func (s *Server) exportDeposits(ctx context.Context, buf *bytes.Buffer, format, date string) (string, error) {
	if format == "csv" {
		if date != "" {
			return "", nadra.Errorf(nadra.EINVALID, "date: the deposits CSV keeps nadra's import columns and has no status; use format=geojson or xlsx for statuses on a date.")
		}
		deps, _, err := s.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
		if err != nil {
			return "", err
		}
		return "nadra-deposits", dataset.WriteDepositsCSV(buf, deps)
	}
	v, err := s.accessAt(ctx, date)
	if err != nil {
		return "", err
	}
	byID := accessByID(v.Report)
	name := "nadra-deposits-" + v.Date
	if format == "geojson" {
		fc := dataset.DepositFeatures(v.Registry.Deposits, func(d *nadra.Deposit) map[string]any {
			a := byID[d.ID]
			return map[string]any{"date": v.Date, "snapshot": v.Info.Date, "status": a.Status, "since": a.Since,
				"distance_km": a.DistanceKm, "uncertain": a.Uncertain, "in_situ_usd": a.InSituUSD}
		})
		return name, json.NewEncoder(buf).Encode(fc)
	}
	head := append(append([]string{}, dataset.DepositColumns...), "oblast_name", "date", "snapshot", "status", "since", "distance_km", "uncertain", "in_situ_usd")
	var rows [][]any
	for _, d := range v.Registry.Deposits {
		a := byID[d.ID]
		rows = append(rows, []any{d.ID, d.Name, d.NameUK, d.Oblast, d.Lat, d.Lon, d.PrecisionKm,
			strings.Join(d.Commodities, ";"), string(d.Stage), d.CoordsNote, d.Note, strings.Join(d.Sources, dataset.SourceSep),
			nadra.Oblasts[d.Oblast], v.Date, v.Info.Date, string(a.Status), a.Since, a.DistanceKm, a.Uncertain, a.InSituUSD})
	}
	var erows [][]any
	for _, e := range v.Registry.Estimates {
		erows = append(erows, estimateRow(e))
	}
	return name, writeXLSX(buf, []sheet{
		{"deposits", head, rows},
		{"estimates", dataset.EstimateColumns, erows},
		aboutSheet(v),
	})
}

func estimateRow(e *nadra.Estimate) []any {
	return []any{e.DepositID, e.Commodity, e.OreMt, e.Grade, string(e.GradeUnit), e.ContainedT, e.Basis, e.Category, e.Year, e.Note, strings.Join(e.Source, dataset.SourceSep)}
}

func (s *Server) exportEstimates(ctx context.Context, buf *bytes.Buffer, format string) error {
	ests, err := s.Deposits.FindEstimates(ctx, "")
	if err != nil {
		return err
	}
	switch format {
	case "csv":
		return dataset.WriteEstimatesCSV(buf, ests)
	case "geojson":
		deps, _, err := s.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
		if err != nil {
			return err
		}
		return json.NewEncoder(buf).Encode(dataset.EstimateFeatures(ests, deps))
	}
	var rows [][]any
	for _, e := range ests {
		rows = append(rows, estimateRow(e))
	}
	return writeXLSX(buf, []sheet{{"estimates", dataset.EstimateColumns, rows}})
}

var accessColumns = []string{"date", "snapshot", "commodity", "basis", "deposits", "inaccessible_deposits", "share_count",
	"contained", "inaccessible_contained", "share_contained", "in_situ_usd", "inaccessible_in_situ_usd", "share_value",
	"coverage_located", "coverage_contained", "coverage_valued", "uncertain"}

func accessRows(rep *nadra.AccessReport) [][]any {
	var out [][]any
	for _, r := range append(append([]nadra.CommodityAccess{}, rep.ByCommodity...), rep.Total) {
		out = append(out, []any{rep.Date, rep.Snapshot, r.Commodity, r.Basis, r.Deposits, r.InaccessibleDeposits, r.ShareCount,
			r.Contained, r.InaccessibleContained, r.ShareContained, r.InSituUSD, r.InaccessibleInSituUSD, r.ShareValue,
			r.Coverage.Located, r.Coverage.Contained, r.Coverage.Valued, r.Coverage.Uncertain})
	}
	return out
}

func (s *Server) exportAccess(ctx context.Context, buf *bytes.Buffer, format, date string) (string, error) {
	v, err := s.accessAt(ctx, date)
	if err != nil {
		return "", err
	}
	name := "nadra-access-" + v.Date
	rows := accessRows(v.Report)
	if format == "csv" {
		w := dataset.NewCSVWriter(buf)
		w.Write(accessColumns)
		for _, r := range rows {
			rec := make([]string, len(r))
			for i, c := range r {
				rec[i] = cellString(c)
			}
			w.Write(rec)
		}
		w.Flush()
		return name, w.Error()
	}
	dhead := []string{"id", "name", "oblast", "lat", "lon", "precision_km", "status", "since", "distance_km", "uncertain", "commodities", "in_situ_usd"}
	var drows [][]any
	for _, d := range v.Report.Deposits {
		drows = append(drows, []any{d.ID, d.Name, d.Oblast, d.Lat, d.Lon, d.PrecisionKm, string(d.Status), d.Since, d.DistanceKm, d.Uncertain, strings.Join(d.Commodities, ";"), d.InSituUSD})
	}
	return name, writeXLSX(buf, []sheet{{"by_commodity", accessColumns, rows}, {"deposits", dhead, drows}, aboutSheet(v)})
}

// aboutSheet says what a workbook rests on.
func aboutSheet(v *accessView) sheet {
	rows := [][]any{
		{"date", v.Date},
		{"control snapshot", v.Info.Date},
		{"snapshot source", v.Info.Source},
		{"grey zone known", v.Info.GreyKnown},
	}
	for _, n := range v.Report.Notes {
		rows = append(rows, []any{"note", n})
	}
	rows = append(rows, []any{"data", "nadra's embedded dataset and imports; every row carries its source. See dataset/README.md for origins and licences (OpenStreetMap ODbL via geoBoundaries; DeepStateMap control areas)."})
	return sheet{"about", []string{"field", "value"}, rows}
}

// cellString formats one value for CSV: empty for unknown.
func cellString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case *string:
		if x == nil {
			return ""
		}
		return *x
	case *float64:
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'g', -1, 64)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case *int:
		if x == nil {
			return ""
		}
		return strconv.Itoa(*x)
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// sheet is one worksheet: a header row and rows of strings, numbers,
// booleans or pointers to them (nil is an empty cell, never 0).
type sheet struct {
	Name   string
	Header []string
	Rows   [][]any
}

// writeXLSX writes a workbook with a bold, frozen header row and a filter
// on each sheet.
func writeXLSX(buf *bytes.Buffer, sheets []sheet) error {
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
				cells[j] = cellValue(c)
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := f.SetSheetRow(sh.Name, cell, &cells); err != nil {
				return err
			}
		}
		last, _ := excelize.ColumnNumberToName(len(sh.Header))
		f.SetRowStyle(sh.Name, 1, 1, bold)
		f.SetColWidth(sh.Name, "A", last, 16)
		f.SetPanes(sh.Name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
		if len(sh.Rows) > 0 {
			f.AutoFilter(sh.Name, fmt.Sprintf("A1:%s%d", last, len(sh.Rows)+1), nil)
		}
	}
	return f.Write(buf)
}

func cellValue(v any) any {
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
	}
	return v
}

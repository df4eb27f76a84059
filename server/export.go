package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"

	"nadra"
	"nadra/geo"
	"nadra/internal/export"

	"github.com/danielgtaylor/huma/v2"
)

// Media types of the exports.
const (
	mediaCSV     = export.MediaCSV
	mediaGeoJSON = export.MediaGeoJSON
	mediaXLSX    = export.MediaXLSX
)

// ExportInput is an export's request.
type ExportInput struct {
	Kind   string `path:"kind" doc:"deposits: nadra's import columns (CSV; with date, the status columns after them), points with status on date (GeoJSON), or both (XLSX). estimates: published resource figures. control: the control snapshot in force on date. access: the access report's commodity rows (CSV) or the whole report (XLSX)." example:"deposits"`
	Format string `query:"format" enum:"csv,geojson,xlsx" doc:"Default: csv, or geojson for control."`
	Date   string `query:"date" doc:"Date YYYY-MM-DD for statuses or the snapshot; default the latest control snapshot (and, for the deposits CSV, no statuses)." example:"2025-02-12"`
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
		Description: "Files for QGIS, Excel and pandas, with the source of every row; the same bytes as nadra export KIND --format F [--date D]. Formats per kind: deposits csv|geojson|xlsx, estimates csv|geojson|xlsx, control geojson, access csv|xlsx.",
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
	if export.Formats(in.Kind) == nil {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "No export %q; the exports are %s.", nadra.Truncate(in.Kind, 40), strings.Join(export.Kinds, ", "))
	}
	f, err := export.Format(in.Kind, in.Format)
	if err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "format: %s.", nadra.ErrorMessage(err))
	}
	date, err := parseDate("date", in.Date)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	name := export.Name(in.Kind, "")
	switch in.Kind {
	case "deposits":
		name, err = s.exportDeposits(ctx, &buf, f, date)
	case "estimates":
		var deps []*nadra.Deposit
		var ests []*nadra.Estimate
		if ests, err = s.Deposits.FindEstimates(ctx, ""); err == nil {
			if deps, _, err = s.Deposits.FindDeposits(ctx, nadra.DepositFilter{}); err == nil {
				err = export.Estimates(&buf, f, ests, deps)
			}
		}
	case "control":
		var info nadra.SnapshotInfo
		if info, _, err = s.resolveSnapshot(ctx, date); err == nil {
			var snap *nadra.Snapshot
			if snap, err = s.Snapshots.FindSnapshotAt(ctx, info.Date); err == nil {
				err = geo.WriteSnapshotGeoJSON(&buf, snap)
				name = export.Name("control", snap.Date)
			}
		}
	case "access":
		var v *accessView
		if v, err = s.accessAt(ctx, date); err == nil {
			name = export.Name("access", v.Date)
			err = export.Access(&buf, f, &export.Statuses{Snapshot: v.Info, Report: v.Report})
		}
	}
	if err != nil {
		return nil, err
	}
	return &ExportOutput{Body: buf.Bytes(), ContentType: export.MediaType(f),
		ContentDisposition: fmt.Sprintf(`attachment; filename="%s.%s"`, name, f)}, nil
}

// exportDeposits writes the deposits: with their statuses on date (the
// latest snapshot by default) in GeoJSON and XLSX, and in CSV when a date
// is given.
func (s *Server) exportDeposits(ctx context.Context, buf *bytes.Buffer, format, date string) (string, error) {
	if format == "csv" && date == "" {
		deps, _, err := s.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
		if err != nil {
			return "", err
		}
		return export.Name("deposits", ""), export.Deposits(buf, format, deps, nil, nil)
	}
	v, err := s.accessAt(ctx, date)
	if err != nil {
		return "", err
	}
	return export.Name("deposits", v.Date), export.Deposits(buf, format, v.Registry.Deposits, v.Registry.Estimates, &export.Statuses{Snapshot: v.Info, Report: v.Report})
}

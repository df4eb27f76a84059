package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"nadra"
	"nadra/dataset"
)

const exportHelp = `Usage: nadra export <deposits|estimates|control> [--format csv|geojson] [-o FILE]

  deposits   CSV in nadra's import columns, or GeoJSON points for QGIS;
             with --date, GeoJSON adds each deposit's status, since,
             distance_km and uncertain on that date
  estimates  CSV of published resource figures, or GeoJSON with each
             figure at its deposit's point (null geometry if it has none)
  control    the control snapshot in force on --date, as GeoJSON in nadra's
             own format

Output goes to standard output unless -o names a file, which is written
whole or not at all.`

func (m *Main) runExport(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		fmt.Fprintln(m.Stdout, exportHelp)
		if len(args) == 0 {
			return usagef("what to export? (deposits, estimates or control)")
		}
		return nil
	}
	kind := args[0]
	if kind != "deposits" && kind != "estimates" && kind != "control" {
		return usagef("unknown kind %q; expected deposits, estimates or control", kind)
	}
	fs := m.flags("export "+kind, exportHelp)
	format := fs.String("format", "", "csv or geojson (default: csv, or geojson for control)")
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	date := fs.String("date", "", "date `YYYY-MM-DD` for statuses (deposits) or the snapshot (control; default latest)")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *date != "" {
		if _, err := nadra.ParseDate(*date); err != nil {
			return usagef("--date: %s", nadra.ErrorMessage(err))
		}
	}
	f := *format
	switch {
	case f == "" && kind == "control":
		f = "geojson"
	case f == "":
		f = "csv"
	case f != "csv" && f != "geojson":
		return usagef("--format %q: expected csv or geojson", f)
	}
	if kind == "control" && f != "geojson" {
		return usagef("control can be exported as geojson only")
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	var buf bytes.Buffer
	switch kind {
	case "deposits":
		err = m.exportDeposits(ctx, &buf, f, *date)
	case "estimates":
		err = m.exportEstimates(ctx, &buf, f)
	case "control":
		d := *date
		if d == "" {
			d = "9999-12-31"
		}
		var s *nadra.Snapshot
		if s, err = m.Snapshots.FindSnapshotAt(ctx, d); err == nil {
			err = dataset.WriteSnapshotGeoJSON(&buf, s)
		}
	}
	if err != nil {
		return err
	}
	return m.writeOutput(*out, buf.Bytes())
}

func (m *Main) exportDeposits(ctx context.Context, w io.Writer, format, date string) error {
	deps, _, err := m.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
	if err != nil {
		return err
	}
	if format == "csv" {
		if date != "" {
			return usagef("--date applies to GeoJSON exports; the CSV keeps nadra's import columns")
		}
		return dataset.WriteDepositsCSV(w, deps)
	}
	var extra func(*nadra.Deposit) map[string]any
	if date != "" {
		rep, err := m.accessReport(ctx, date)
		if err != nil {
			return err
		}
		byID := map[string]nadra.DepositAccess{}
		for _, d := range rep.Deposits {
			byID[d.ID] = d
		}
		extra = func(d *nadra.Deposit) map[string]any {
			a := byID[d.ID]
			return map[string]any{"date": rep.Date, "snapshot": rep.Snapshot, "status": a.Status, "since": a.Since,
				"distance_km": a.DistanceKm, "uncertain": a.Uncertain, "in_situ_usd": a.InSituUSD}
		}
	}
	fc := dataset.DepositFeatures(deps, extra)
	b, err := json.Marshal(fc)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// writeOutput writes data to path atomically, or to stdout when path is "".
func (m *Main) writeOutput(path string, data []byte) error {
	if path == "" || path == "-" {
		_, err := m.Stdout.Write(data)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nadra.Errorf(nadra.EINVALID, "cannot write %s: %v", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return nadra.Errorf(nadra.EINVALID, "cannot write %s: %v", path, err)
	}
	if err := tmp.Close(); err != nil {
		return nadra.Errorf(nadra.EINVALID, "cannot write %s: %v", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nadra.Errorf(nadra.EINVALID, "cannot write %s: %v", path, err)
	}
	fmt.Fprintf(m.Stderr, "wrote %s (%d bytes)\n", path, len(data))
	return nil
}

func (m *Main) exportEstimates(ctx context.Context, w io.Writer, format string) error {
	ests, err := m.Deposits.FindEstimates(ctx, "")
	if err != nil {
		return err
	}
	if format == "csv" {
		return dataset.WriteEstimatesCSV(w, ests)
	}
	deps, _, err := m.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
	if err != nil {
		return err
	}
	b, err := json.Marshal(dataset.EstimateFeatures(ests, deps))
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

package main

import (
	"context"
	"fmt"
	"log/slog"

	"nadra/dataset"
	"nadra/server"
)

const serveHelp = `Usage: nadra serve [--addr HOST:PORT] [--db PATH]

Serves the dashboard (map with a time slider, deposits table, timeline,
scenarios, supply), the JSON API under /api/v1 (OpenAPI document at
/api/v1/openapi.json) and OGC API -
Features under /ogc, for QGIS and GDAL (ogrinfo OAPIF:http://HOST:PORT/ogc).
On a fresh machine the database is created from the embedded dataset.
Everything works offline. Requests are logged to standard error. Stop with
Ctrl-C (SIGINT) or SIGTERM: requests in flight are finished first.`

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.flags("serve", serveHelp)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT`; port 0 picks a free one")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	b, err := dataset.Boundaries()
	if err != nil {
		return err
	}
	s := server.NewServer()
	s.Addr = *addr
	s.Version = Version
	s.Logger = slog.New(slog.NewTextHandler(m.Stderr, nil))
	s.Deposits, s.Snapshots, s.Commodities, s.Supply, s.Boundaries = m.Deposits, m.Snapshots, m.Commodities, m.Supply, b
	if err := s.Open(); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "nadra: serving on %s/ (database %s); Ctrl-C stops\n", s.URL(), m.DBPath)
	<-ctx.Done()
	s.Logger.Info("shutting down", "reason", context.Cause(ctx))
	if err := s.Close(); err != nil {
		return err
	}
	s.Logger.Info("stopped")
	return nil
}

package main

import (
	"context"
	"path/filepath"
	"testing"

	"nadra"
)

// BenchmarkReportRisk is nadra report risk over every deposit, licence
// and snapshot of the default dataset, as the command runs it after the
// database is open: reading the deposits, every snapshot's geometry and
// the licences, measuring every located deposit on every snapshot, and
// building the report. Goal: under 200 ms.
//
//	go test ./cmd/nadra -run '^$' -bench ReportRisk -benchtime 20x
func BenchmarkReportRisk(b *testing.B) {
	path := filepath.Join(b.TempDir(), "nadra.db")
	m, _, _ := newTestMain(path)
	ctx := context.Background()
	if err := m.open(ctx); err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := m.riskReport(ctx, nadra.RiskOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Deposits) == 0 || rep.Snapshots == 0 {
			b.Fatal("empty report")
		}
	}
}

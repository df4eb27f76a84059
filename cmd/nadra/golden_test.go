package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"nadra"
	"nadra/dataset"
	"nadra/internal/wire"
	"nadra/server"
)

// The golden tests pin the text and JSON of every CLI report, so that a
// refactor that changes what a user reads fails here. They run on a small
// dataset built below (goldenSeed), not on the embedded one, so that a
// data edit does not break them. Deal terms, scenarios and the model's
// parameters are still the embedded ones (the commands read them from the
// dataset package); after an edit there, review the diff and refresh with
//
//	go test ./cmd/nadra -run TestGolden -update

// goldenSeed is the fixture dataset: two commodities, five deposits (one
// without a position), three control snapshots that push a square front
// west over a fixture field in Donetsk oblast, and the supply of lithium
// and graphite for one year. Every figure is made up for the test.
func goldenSeed() nadra.Seed {
	f := func(v float64) *float64 { return &v }
	y := func(v int) *int { return &v }
	src := []string{"test fixture (2026)"}
	lists := "test fixture (2026)"
	comm := []*nadra.Commodity{
		{Code: "lithium", Name: "Lithium", Basis: "LCE", PriceUSDPerT: f(10000), PriceYear: y(2024), PriceSource: "test fixture (2026)",
			USCritical2025: true, EUCritical2023: true, ListsSource: lists, Class: nadra.ClassMetallic},
		{Code: "graphite", Name: "Graphite (natural)", Basis: "C", PriceUSDPerT: f(1000), PriceYear: y(2024), PriceSource: "test fixture (2026)",
			USCritical2025: true, EUCritical2023: true, ListsSource: lists, Class: nadra.ClassIndustrial},
	}
	dep := func(id, name, oblast string, lat, lon float64, stage nadra.Stage, cs ...string) *nadra.Deposit {
		return &nadra.Deposit{ID: id, Name: name, NameUK: name, Oblast: oblast, Lat: f(lat), Lon: f(lon), PrecisionKm: f(2),
			Commodities: cs, Stage: stage, CoordsNote: "fixture", Sources: src}
	}
	deps := []*nadra.Deposit{
		dep("fx-east", "East field", "UA-14", 48.0, 38.0, nadra.StageOccurrence, "lithium"),
		dep("fx-mid", "Middle field", "UA-14", 48.0, 37.2, nadra.StageExplored, "lithium", "graphite"),
		dep("fx-west", "West field", "UA-12", 48.3, 35.0, nadra.StageExplored, "graphite"),
		dep("fx-north", "North field", "UA-18", 50.5, 28.5, nadra.StageOccurrence, "lithium"),
		{ID: "fx-lost", Name: "Lost field", NameUK: "Lost field", Oblast: "UA-14", Commodities: []string{"graphite"},
			CoordsNote: "position not published", Sources: src},
	}
	est := func(id, c, basis string, ore, contained float64) *nadra.Estimate {
		return &nadra.Estimate{DepositID: id, Commodity: c, OreMt: f(ore), ContainedT: f(contained), Basis: basis,
			Category: "C1+C2", Year: y(2020), Source: src}
	}
	ests := []*nadra.Estimate{
		est("fx-east", "lithium", "LCE", 10, 200000),
		est("fx-mid", "lithium", "LCE", 20, 500000),
		est("fx-mid", "graphite", "C", 30, 1500000),
		est("fx-west", "graphite", "C", 40, 2000000),
		est("fx-north", "lithium", "LCE", 5, 100000),
	}
	box := func(w, s, e, n float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}}}
	}
	snaps := []*nadra.Snapshot{
		{Date: "2023-01-01", Source: "test fixture (2026)", Occupied: box(37.6, 47.5, 38.5, 48.5)},
		{Date: "2024-01-01", Source: "test fixture (2026)", GreyKnown: true, Occupied: box(37.6, 47.5, 38.5, 48.5), Grey: box(37.1, 47.5, 37.6, 48.5)},
		{Date: "2025-01-01", Source: "test fixture (2026)", GreyKnown: true, Occupied: box(37.0, 47.5, 38.5, 48.5), Grey: box(36.8, 47.5, 37.0, 48.5)},
	}
	prod := func(c, country string, q float64) *nadra.Production {
		return &nadra.Production{Commodity: c, Stage: nadra.StageMine, Country: country, Year: 2024, Quantity: f(q), Source: src}
	}
	sup := &nadra.SupplyData{
		Series: []*nadra.SupplySeries{
			{Commodity: "lithium", Stage: nadra.StageMine, Name: "Lithium mine production", Registry: "lithium", Unit: "t Li content", Basis: "Li", PerTonne: f(1)},
			{Commodity: "graphite", Stage: nadra.StageMine, Name: "Graphite mine production", Registry: "graphite", Unit: "t", Basis: "C", PerTonne: f(1)},
		},
		Production: []*nadra.Production{
			prod("lithium", "AU", 90000), prod("lithium", "CL", 50000), prod("lithium", "CN", 40000), prod("lithium", "world", 200000),
			prod("graphite", "CN", 1200000), prod("graphite", "MZ", 100000), prod("graphite", "BR", 60000), prod("graphite", "world", 1500000),
		},
		Reliance: []*nadra.ImportReliance{
			{Commodity: "lithium", Stage: nadra.StageMine, Year: 2024, Percent: f(50), Bound: nadra.BoundAbove, Source: src},
			{Commodity: "graphite", Stage: nadra.StageMine, Year: 2024, Percent: f(100), Bound: nadra.BoundExact, Source: src},
		},
		Governance: []*nadra.Governance{
			{Country: "AU", Year: 2023, Voice: 1.4, Stability: 0.9, Effectiveness: 1.5, Regulatory: 1.7, RuleOfLaw: 1.6, Corruption: 1.8, Source: src},
			{Country: "CN", Year: 2023, Voice: -1.6, Stability: -0.3, Effectiveness: 0.5, Regulatory: -0.3, RuleOfLaw: -0.1, Corruption: 0.1, Source: src},
		},
		Countries: []*nadra.Country{
			{Code: "AU", Name: "Australia"}, {Code: "BR", Name: "Brazil"}, {Code: "CL", Name: "Chile"},
			{Code: "CN", Name: "China"}, {Code: "MZ", Name: "Mozambique"}, {Code: "UA", Name: "Ukraine"},
		},
	}
	// Deal terms and named scenarios are the shipped ones (the catalog), so
	// that deal show, simulate and the scenario map have something to read.
	deals, err := dataset.Deals()
	if err != nil {
		panic(err)
	}
	scenarios, err := dataset.Scenarios()
	if err != nil {
		panic(err)
	}
	return nadra.Seed{Version: "golden-fixture", Commodities: comm, Deposits: deps, Estimates: ests, Snapshots: snaps, Supply: sup,
		Deals: deals, Scenarios: scenarios}
}

// goldenMain returns a Main on buffers over a fresh database seeded with
// goldenSeed, at a fixed clock.
func goldenMain(t *testing.T, db string) (*Main, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	m, out, errb := newTestMain(db)
	m.DatasetVersion = func() (string, error) { return "golden-fixture", nil }
	m.Dataset = func() (nadra.Seed, error) { return goldenSeed(), nil }
	m.Now = func() time.Time { return time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC) }
	return m, out, errb
}

// TestGolden runs every report of the CLI on the fixture dataset and
// compares standard output with testdata/golden/NAME.golden.
func TestGolden(t *testing.T) {
	db := filepath.Join(t.TempDir(), "golden.db")
	m, _, errb := goldenMain(t, db)
	if err := m.open(context.Background()); err != nil {
		t.Fatalf("seeding the fixture: %v\n%s", err, errb)
	}
	m.Close()
	tests := []struct {
		name string
		args []string
	}{
		{"access", []string{"report", "access", "--date", "2024-06-01"}},
		{"access-json", []string{"report", "access", "--date", "2024-06-01", "--json"}},
		{"access-latest", []string{"report", "access"}},
		{"timeline", []string{"report", "timeline"}},
		{"timeline-json", []string{"report", "timeline", "--json"}},
		{"supply", []string{"report", "supply"}},
		{"supply-json", []string{"report", "supply", "--json"}},
		{"supply-lithium", []string{"report", "supply", "--commodity", "lithium", "--add-accessible", "latest"}},
		{"supply-lithium-json", []string{"report", "supply", "--commodity", "lithium", "--add", "UA=10000", "--json"}},
		{"supply-nothing-added", []string{"report", "supply", "--commodity", "graphite", "--add-accessible", "latest", "--deposits", "fx-lost"}},
		{"supply-nothing-added-json", []string{"report", "supply", "--commodity", "graphite", "--add-accessible", "latest", "--deposits", "fx-lost", "--json"}},
		{"scenario-eval", []string{"scenario", "eval", "occupied@latest | grey@latest", "--baseline", "occupied@2023-01-01"}},
		{"scenario-eval-json", []string{"scenario", "eval", "occupied@latest | grey@latest", "--baseline", "occupied@2023-01-01", "--json"}},
		{"deal-show", []string{"deal", "show", "urif-2025"}},
		{"deal-show-json", []string{"deal", "show", "urif-2025", "--json"}},
		{"simulate", []string{"simulate", "--seed", "7", "--paths", "200"}},
		{"simulate-json", []string{"simulate", "--seed", "7", "--paths", "200", "--json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, out, errb := goldenMain(t, db)
			if code := m.Run(context.Background(), tt.args); code != 0 {
				t.Fatalf("nadra %s: exit %d: %s", strings.Join(tt.args, " "), code, errb)
			}
			// The run's wall-clock time and the machine's cores are the
			// figures that may differ from one run to the next.
			got := elapsedJSON.ReplaceAll(out.Bytes(), []byte(`"seconds": 0`))
			got = elapsedText.ReplaceAll(got, []byte("Computed in 0 s with N workers"))
			golden(t, filepath.Join("testdata", "golden", tt.name+".golden"), got)
		})
	}
}

// elapsedJSON and elapsedText match the wall-clock time (and workers)
// that simulate reports.
var (
	elapsedJSON = regexp.MustCompile(`"seconds": [0-9.e+-]+`)
	elapsedText = regexp.MustCompile(`Computed in [0-9.]+ s with [0-9]+ workers?`)
)

// golden compares got with the file at path; with -update it writes got
// there first.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/nadra -run TestGolden -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("output differs from %s (review, then go test ./cmd/nadra -run TestGolden -update):\n%s", path, firstDiff(string(want), string(got)))
	}
}

// firstDiff returns the first line where want and got differ, with its
// number.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, w, g)
		}
	}
	return "(same lines, different bytes)"
}

// TestGoldenSVG serves the fixture dataset as nadra serve does and pins
// the SVG of the map, the scenario map, the timeline chart and the deal
// charts at a fixed date and seed (testdata/golden/*.svg.golden). Charts
// inside a page are cut out of it, so that a change to the page around
// them does not count.
func TestGoldenSVG(t *testing.T) {
	db := filepath.Join(t.TempDir(), "golden.db")
	m, _, errb := goldenMain(t, db)
	ctx := context.Background()
	if err := m.open(ctx); err != nil {
		t.Fatalf("seeding the fixture: %v\n%s", err, errb)
	}
	defer m.Close()
	s := server.NewServer()
	s.Addr, s.Version, s.Logger = "127.0.0.1:0", "golden", slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := wire.Server(s, m.stores()); err != nil {
		t.Fatal(err)
	}
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tests := []struct {
		name, path string
		whole      bool // the response is the SVG; else the page's <svg> elements
	}{
		{"map", "/map.svg?date=2024-06-01", true},
		{"map-lithium", "/map.svg?date=2025-01-01&commodity=lithium", true},
		{"scenario-map", "/scenarios/map.svg?" + url.Values{"expr": {"occupied@latest | grey@latest"}, "baseline": {"occupied@2023-01-01"}}.Encode(), true},
		{"timeline", "/timeline", false},
		{"deal", "/deal/results?seed=7&paths=200", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Get(s.URL() + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d %v\n%s", tt.path, resp.StatusCode, err, body)
			}
			if !tt.whole {
				svgs := svgElement.FindAll(body, -1)
				if len(svgs) == 0 {
					t.Fatalf("GET %s: no <svg> in the page", tt.path)
				}
				body = append(bytes.Join(svgs, []byte("\n")), '\n')
			}
			golden(t, filepath.Join("testdata", "golden", tt.name+".svg.golden"), body)
		})
	}
}

// svgElement matches one inline chart, from <svg to its </svg>. Charts
// do not nest.
var svgElement = regexp.MustCompile(`(?s)<svg[ >].*?</svg>`)

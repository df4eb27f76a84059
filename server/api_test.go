package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/xuri/excelize/v2"
)

// TestAPI_Routes calls every JSON API route against a real server.
func TestAPI_Routes(t *testing.T) {
	s := MustOpenServer(t, nil)

	t.Run("Deposits", func(t *testing.T) {
		var list struct {
			Date, Snapshot       string
			Total, Offset, Limit int
			Deposits             []struct {
				ID, Name, Oblast, Status string
				Commodities              []string
				Lat, Lon                 *float64
				DistanceKm               *float64 `json:"distance_km"`
				Sources                  []string
			}
		}
		s.Get(t, "/api/v1/deposits").JSON(t, &list)
		if list.Total != 77 || len(list.Deposits) != 77 || list.Snapshot != "2026-08-22" {
			t.Fatalf("total %d, %d deposits, snapshot %s", list.Total, len(list.Deposits), list.Snapshot)
		}
		for _, d := range list.Deposits {
			if len(d.Sources) == 0 || d.Status == "" {
				t.Fatalf("deposit %s without sources or status", d.ID)
			}
		}
		// Paging.
		s.Get(t, "/api/v1/deposits?limit=10&offset=70").JSON(t, &list)
		if list.Total != 77 || len(list.Deposits) != 7 || list.Offset != 70 {
			t.Fatalf("page: total %d, %d deposits", list.Total, len(list.Deposits))
		}
		// Filters.
		s.Get(t, "/api/v1/deposits?commodity=lithium").JSON(t, &list)
		for _, d := range list.Deposits {
			if !strings.Contains(strings.Join(d.Commodities, ","), "lithium") {
				t.Fatalf("%s has no lithium", d.ID)
			}
		}
		nLithium := list.Total
		if nLithium < 3 {
			t.Fatalf("%d lithium deposits", nLithium)
		}
		s.Get(t, "/api/v1/deposits?oblast=Donetsk&status=occupied&date=2025-02-12").JSON(t, &list)
		if list.Total == 0 || list.Date != "2025-02-12" || list.Snapshot != "2025-02-01" {
			t.Fatalf("occupied in Donetsk: %d, date %s, snapshot %s", list.Total, list.Date, list.Snapshot)
		}
		for _, d := range list.Deposits {
			if d.Oblast != "UA-14" || d.Status != "occupied" {
				t.Fatalf("%+v", d)
			}
		}
		s.Get(t, "/api/v1/deposits?bbox=36,47,38,48.5").JSON(t, &list)
		for _, d := range list.Deposits {
			if *d.Lon < 36 || *d.Lon > 38 || *d.Lat < 47 || *d.Lat > 48.5 {
				t.Fatalf("%s outside bbox", d.ID)
			}
		}
		s.Get(t, "/api/v1/deposits?q=shevchenk").JSON(t, &list)
		if list.Total != 1 || list.Deposits[0].ID != "shevchenkivske" {
			t.Fatalf("q: %+v", list)
		}
		// Occupied deposits grew between 2022 and 2026.
		var early, late struct{ Total int }
		s.Get(t, "/api/v1/deposits?status=inaccessible&date=2022-04-03").JSON(t, &early)
		s.Get(t, "/api/v1/deposits?status=inaccessible").JSON(t, &late)
		if early.Total == 0 || late.Total <= early.Total {
			t.Fatalf("inaccessible: %d in 2022, %d now", early.Total, late.Total)
		}
	})

	t.Run("Deposit", func(t *testing.T) {
		var d struct {
			ID, Status, Snapshot string
			Estimates            []struct {
				Commodity string
				Source    []string
			}
			Valuations []struct {
				Commodity   string
				ContainedT  *float64 `json:"contained_t"`
				Sources     []string
				PriceSource string `json:"price_source"`
			}
			Sources []string
		}
		s.Get(t, "/api/v1/deposits/shevchenkivske?date=2025-02-12").JSON(t, &d)
		if d.ID != "shevchenkivske" || d.Snapshot != "2025-02-01" || len(d.Estimates) == 0 || len(d.Sources) == 0 {
			t.Fatalf("%+v", d)
		}
		for _, e := range d.Estimates {
			if len(e.Source) == 0 {
				t.Fatalf("estimate without source: %+v", e)
			}
		}
		valued := false
		for _, v := range d.Valuations {
			if v.ContainedT != nil {
				valued = true
				if len(v.Sources) == 0 {
					t.Fatalf("valuation without sources: %+v", v)
				}
			}
		}
		if !valued {
			t.Fatalf("no valuation: %+v", d.Valuations)
		}
	})

	t.Run("Snapshots", func(t *testing.T) {
		var out struct {
			Snapshots []struct {
				Date       string
				OccupiedKm float64 `json:"occupied_km2"`
			}
		}
		s.Get(t, "/api/v1/snapshots").JSON(t, &out)
		if len(out.Snapshots) != 54 || out.Snapshots[0].Date != "2022-04-03" || out.Snapshots[0].OccupiedKm < 100000 {
			t.Fatalf("%d snapshots, first %+v", len(out.Snapshots), out.Snapshots[0])
		}
	})

	t.Run("Commodities", func(t *testing.T) {
		var out struct{ Commodities []struct{ Code string } }
		s.Get(t, "/api/v1/commodities").JSON(t, &out)
		if len(out.Commodities) != 30 {
			t.Fatalf("%d commodities", len(out.Commodities))
		}
	})

	t.Run("Access", func(t *testing.T) {
		var rep struct {
			Date, Snapshot string
			Total          struct {
				Deposits   int
				ShareCount *float64 `json:"share_count"`
			}
			ByCommodity []struct{ Commodity string } `json:"by_commodity"`
		}
		s.Get(t, "/api/v1/access?date=2025-02-12").JSON(t, &rep)
		if rep.Date != "2025-02-12" || rep.Snapshot != "2025-02-01" || rep.Total.Deposits != 77 || rep.Total.ShareCount == nil || len(rep.ByCommodity) == 0 {
			t.Fatalf("%+v", rep)
		}
	})

	t.Run("Exports", func(t *testing.T) {
		r := s.Get(t, "/api/v1/exports/deposits?format=csv")
		recs, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
		if err != nil || len(recs) != 78 || recs[0][0] != "id" {
			t.Fatalf("deposits CSV: %d rows, %v", len(recs), err)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("Content-Type %q", ct)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="nadra-deposits.csv"`) {
			t.Fatalf("Content-Disposition %q", cd)
		}
		r = s.Get(t, "/api/v1/exports/deposits?format=geojson&date=2025-02-12")
		var fc struct {
			Type     string
			Features []struct{ Properties map[string]any }
		}
		r.JSON(t, &fc)
		if fc.Type != "FeatureCollection" || len(fc.Features) != 77 || fc.Features[0].Properties["snapshot"] != "2025-02-01" {
			t.Fatalf("deposits GeoJSON: %s, %d features", fc.Type, len(fc.Features))
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/geo+json" {
			t.Fatalf("Content-Type %q", ct)
		}
		r = s.Get(t, "/api/v1/exports/deposits?format=xlsx&date=2025-02-12")
		f, err := excelize.OpenReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatalf("deposits XLSX: %v", err)
		}
		rows, err := f.GetRows("deposits")
		if err != nil || len(rows) != 78 || rows[0][0] != "id" {
			t.Fatalf("XLSX deposits sheet: %d rows, %v", len(rows), err)
		}
		if got := f.GetSheetList(); strings.Join(got, ",") != "deposits,estimates,about" {
			t.Fatalf("sheets %v", got)
		}
		r = s.Get(t, "/api/v1/exports/estimates?format=csv")
		if recs, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll(); err != nil || len(recs) != 42 {
			t.Fatalf("estimates CSV: %d rows, %v", len(recs), err)
		}
		for _, q := range []string{"estimates?format=geojson", "estimates?format=xlsx", "control?date=2025-02-12", "access?format=csv", "access?format=xlsx&date=2024-01-01"} {
			if r := s.Get(t, "/api/v1/exports/"+q); r.Status != 200 || len(r.Body) < 100 {
				t.Fatalf("%s: %d %s", q, r.Status, r.Body)
			}
		}
		var ctl struct {
			Date     string
			Features []struct{ Properties struct{ Status string } }
		}
		s.Get(t, "/api/v1/exports/control?date=2025-02-12").JSON(t, &ctl)
		if ctl.Date != "2025-02-01" || len(ctl.Features) < 2 {
			t.Fatalf("control: %+v", ctl)
		}
	})

	t.Run("Deal", func(t *testing.T) { testDealRoutes(t, s) }) // deal_test.go
}

// TestOpenAPI validates the generated document and checks that every JSON
// API route is in it.
func TestOpenAPI(t *testing.T) {
	s := MustOpenServer(t, nil)
	r := s.Get(t, "/api/v1/openapi.json")
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OpenAPI document: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi %q, want 3.1", doc.OpenAPI)
	}
	n := 0
	for _, rt := range s.Routes() {
		if rt.API != "api" {
			continue
		}
		n++
		p := doc.Paths.Find(strings.TrimPrefix(rt.Path, "/api/v1"))
		if p == nil || p.GetOperation(rt.Method) == nil {
			t.Errorf("%s %s is not in the OpenAPI document", rt.Method, rt.Path)
		}
	}
	if n < 6 {
		t.Fatalf("only %d API routes", n)
	}
	// The same for OGC API - Features, whose definition is OpenAPI 3.0.
	r = s.Get(t, "/ogc/api")
	if ct := r.Header.Get("Content-Type"); ct != "application/vnd.oai.openapi+json;version=3.0" {
		t.Fatalf("Content-Type %q", ct)
	}
	odoc, err := openapi3.NewLoader().LoadFromData(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := odoc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OGC OpenAPI document: %v", err)
	}
	for _, rt := range s.Routes() {
		if rt.API == "ogc" && rt.Path != "/ogc/api" {
			p := odoc.Paths.Find(strings.TrimPrefix(rt.Path, "/ogc"))
			if p == nil || p.GetOperation(rt.Method) == nil {
				t.Errorf("%s %s is not in the OGC OpenAPI document", rt.Method, rt.Path)
			}
		}
	}
}

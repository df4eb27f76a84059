package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/url"
	"strconv"
	"strings"
	"sync"
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
		n := shipped(t).Deposits
		s.Get(t, "/api/v1/deposits").JSON(t, &list)
		if list.Total != n || len(list.Deposits) != n || list.Snapshot != shipped(t).Latest {
			t.Fatalf("total %d, %d deposits, snapshot %s", list.Total, len(list.Deposits), list.Snapshot)
		}
		for _, d := range list.Deposits {
			if len(d.Sources) == 0 || d.Status == "" {
				t.Fatalf("deposit %s without sources or status", d.ID)
			}
		}
		// Paging: the last page, 6 rows from offset n-6.
		s.Get(t, "/api/v1/deposits?limit=10&offset="+strconv.Itoa(n-6)).JSON(t, &list)
		if list.Total != n || len(list.Deposits) != 6 || list.Offset != n-6 {
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
		if len(out.Snapshots) != 55 || out.Snapshots[0].Date != "2022-02-23" || out.Snapshots[0].OccupiedKm < 40000 || out.Snapshots[1].OccupiedKm < 100000 {
			t.Fatalf("%d snapshots, first %+v", len(out.Snapshots), out.Snapshots[0])
		}
	})

	t.Run("Commodities", func(t *testing.T) {
		var out struct{ Commodities []struct{ Code string } }
		s.Get(t, "/api/v1/commodities").JSON(t, &out)
		if len(out.Commodities) != 33 {
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
		if n := shipped(t).Deposits; rep.Date != "2025-02-12" || rep.Snapshot != "2025-02-01" || rep.Total.Deposits != n || rep.Total.ShareCount == nil || len(rep.ByCommodity) == 0 {
			t.Fatalf("%+v", rep)
		}
	})

	t.Run("Timeline", func(t *testing.T) {
		type share struct {
			Commodity  string
			ShareCount *float64 `json:"share_count"`
			ShareValue *float64 `json:"share_value"`
			Located    int
		}
		var tl struct {
			From, To string
			Rows     []struct {
				Date        string
				OccupiedKm2 float64  `json:"occupied_km2"`
				GreyKm2     *float64 `json:"grey_km2"`
				Commodities []share
				Total       share
			}
			Events []struct {
				DepositID               string `json:"deposit_id"`
				From, To, After, Before string
			} `json:"events"`
		}
		s.Get(t, "/api/v1/timeline").JSON(t, &tl)
		// Eleven deposits fall between the line of 2022-02-23 and the first
		// map of the invasion (2022-04-03), the Bilozerskyi district's three
		// among them, then Soledar, Shevchenkivske and the Pokrovsk coal
		// district.
		if len(tl.Rows) != 55 || tl.From != "2022-02-23" || tl.To != "2026-08-22" || len(tl.Rows[0].Commodities) < 10 || len(tl.Events) != 14 {
			t.Fatalf("%d rows %s to %s, %d commodities, %d events", len(tl.Rows), tl.From, tl.To, len(tl.Rows[0].Commodities), len(tl.Events))
		}
		s.Get(t, "/api/v1/timeline?commodity=lithium&from=2025-01-01&to=2025-12-31").JSON(t, &tl)
		if len(tl.Rows) != 12 || tl.From != "2025-01-01" || len(tl.Rows[0].Commodities) != 1 || tl.Rows[0].Commodities[0].Commodity != "lithium" {
			t.Fatalf("lithium 2025: %d rows from %s, %+v", len(tl.Rows), tl.From, tl.Rows[0].Commodities)
		}
		// Shevchenkivske falls between June and July 2025: the lithium share
		// by count rises there, and it is the one event.
		byDate := map[string]float64{}
		for _, r := range tl.Rows {
			byDate[r.Date] = *r.Commodities[0].ShareCount
		}
		if byDate["2025-07-01"] <= byDate["2025-06-01"] || len(tl.Events) != 1 || tl.Events[0].DepositID != "shevchenkivske" ||
			tl.Events[0].After != "2025-06-01" || tl.Events[0].Before != "2025-07-01" {
			t.Fatalf("lithium share %v, events %+v", byDate, tl.Events)
		}
		s.Get(t, "/api/v1/timeline?commodity=unobtainium").Err(t, 400, "invalid", "commodity")
		s.Get(t, "/api/v1/timeline?from=2025-13-01").Err(t, 400, "invalid", "from")
		s.Get(t, "/api/v1/timeline?from=2025-02-01&to=2024-01-01").Err(t, 400, "invalid", "from")
		s.Get(t, "/api/v1/timeline?from=2030-01-01").Err(t, 404, "not_found", "2022-02-23")
	})

	t.Run("Scenarios", func(t *testing.T) {
		var list struct {
			Scenarios []struct {
				ID, Name, Expression string
				Sources              []string
			}
			Regions string
		}
		s.Get(t, "/api/v1/scenarios").JSON(t, &list)
		if len(list.Scenarios) < 4 || !strings.Contains(list.Regions, "oblast:UA-xx") {
			t.Fatalf("%+v", list)
		}
		for _, sc := range list.Scenarios {
			if len(sc.Sources) == 0 || sc.Expression == "" {
				t.Fatalf("scenario %s without source or expression", sc.ID)
			}
		}
	})

	type scenarioResult struct {
		Scenario struct {
			Snapshot string
			Total    struct {
				InaccessibleDeposits int `json:"inaccessible_deposits"`
			}
		}
		Diff struct {
			Scenario, Baseline string
			ToOccupied         []struct{ ID string } `json:"to_occupied"`
			ToControlled       []struct{ ID string } `json:"to_controlled"`
			ByCommodity        []struct {
				Commodity              string
				NetToOccupiedInSituUSD *float64 `json:"net_to_occupied_in_situ_usd"`
			} `json:"by_commodity"`
			ToOccupiedKm2   float64 `json:"to_occupied_km2"`
			ToControlledKm2 float64 `json:"to_controlled_km2"`
		}
	}
	t.Run("ScenarioEval", func(t *testing.T) {
		var res scenarioResult
		// A shipped scenario by its id: the four oblasts Russia claims.
		s.Get(t, "/api/v1/scenarios/eval?expr=four-oblasts").JSON(t, &res)
		// Every registry deposit in those oblasts is behind the latest line
		// already, so only land changes hands.
		if len(res.Diff.ToControlled) != 0 || res.Diff.ToOccupiedKm2 < 10000 || res.Diff.ToControlledKm2 != 0 ||
			!strings.Contains(res.Diff.Scenario, "four-oblasts") || !strings.Contains(res.Diff.Baseline, "occupied@latest") {
			t.Fatalf("four oblasts: %d to occupied, %d back, %.0f km², %q vs %q", len(res.Diff.ToOccupied), len(res.Diff.ToControlled),
				res.Diff.ToOccupiedKm2, res.Diff.Scenario, res.Diff.Baseline)
		}
		// An expression and a baseline: back to the line of 2025-02-12.
		s.Get(t, "/api/v1/scenarios/eval?expr="+url.QueryEscape("occupied@2025-02-12")+"&baseline="+url.QueryEscape("occupied@latest")).JSON(t, &res)
		if len(res.Diff.ToControlled) != 2 || res.Diff.ToControlled[0].ID != "pokrovsk-coal" || res.Diff.ToControlled[1].ID != "shevchenkivske" || res.Diff.ToControlledKm2 < 3000 {
			t.Fatalf("2025-02-12: %+v", res.Diff)
		}
		// POST with a drawn square around Dobra, named file:drawn.
		body := `{"expr":"occupied@latest | file:drawn","drawn":{"type":"Polygon","coordinates":[[[30.9,48.2],[31.2,48.2],[31.2,48.5],[30.9,48.5],[30.9,48.2]]]}}`
		r := s.Do(t, "POST", "/api/v1/scenarios/eval", strings.NewReader(body))
		r.JSON(t, &res)
		if r.Status != 200 || len(res.Diff.ToOccupied) != 1 || res.Diff.ToOccupied[0].ID != "dobra" || res.Diff.ToOccupiedKm2 < 500 {
			t.Fatalf("drawn: %d %+v", r.Status, res.Diff)
		}
		// Errors name the parameter and the column.
		s.Get(t, "/api/v1/scenarios/eval?expr="+url.QueryEscape("occupied@latest | | oblast:UA-14")).Err(t, 400, "invalid", "expr: column 19")
		s.Get(t, "/api/v1/scenarios/eval?expr=four-oblasts&baseline="+url.QueryEscape("occupied@latest -oblast:UA-14")).Err(t, 400, "invalid", "baseline: column 17")
		s.Get(t, "/api/v1/scenarios/eval?expr=donbas").Err(t, 400, "invalid", "oblast:UA-xx")
		s.Get(t, "/api/v1/scenarios/eval?expr=occupied@2019-01-01").Err(t, 400, "invalid", "the first is 2022-02-23")
		s.Get(t, "/api/v1/scenarios/eval").Err(t, 400, "invalid", "expr")
		// No file on the server is read: only shipped files and the drawn one.
		s.Get(t, "/api/v1/scenarios/eval?expr="+url.QueryEscape("file:/etc/passwd")).Err(t, 400, "invalid", "reads no other files")
		s.Get(t, "/api/v1/scenarios/eval?expr=file:drawn").Err(t, 400, "invalid", "no polygon was drawn")
		s.Do(t, "POST", "/api/v1/scenarios/eval", strings.NewReader(`{"expr":"file:drawn","drawn":{"type":"Point","coordinates":[30,48]}}`)).Err(t, 400, "invalid", "drawn")
		s.DoForm(t, "/api/v1/scenarios/eval", "expr=four-oblasts").Err(t, 415, "unsupported_media_type", "content type")
		s.Do(t, "POST", "/api/v1/scenarios/eval", strings.NewReader(`{"expr":"file:drawn","drawn":{"type":"Polygon","coordinates":[[[30,48],[31,48],[31,49]]]}}`)).Err(t, 400, "invalid", "drawn")
	})

	t.Run("ConcurrentScenario", func(t *testing.T) {
		// Clients asking for the same new scenario at once share one
		// evaluation and get the same answer.
		var wg sync.WaitGroup
		bodies := make([]string, 6)
		for i := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				path := "/api/v1/scenarios/eval?expr=donetsk-luhansk"
				if i%2 == 1 {
					path = "/api/v1/supply/lithium?add_accessible=donetsk-luhansk"
				}
				r := s.Get(t, path)
				if r.Status != 200 {
					t.Errorf("%s: %d %s", path, r.Status, r.Body)
				}
				bodies[i] = string(r.Body)
			}()
		}
		wg.Wait()
		for i := 2; i < len(bodies); i++ {
			if bodies[i] != bodies[i%2] {
				t.Fatalf("answers differ")
			}
		}
	})

	t.Run("Supply", func(t *testing.T) {
		var ov struct {
			Commodities []struct {
				Commodity string
				China     *float64 `json:"china_share"`
				HHI       float64
			}
			Notes []string
		}
		s.Get(t, "/api/v1/supply").JSON(t, &ov)
		if len(ov.Commodities) < 10 || len(ov.Notes) == 0 {
			t.Fatalf("%d commodities", len(ov.Commodities))
		}
		type metrics struct {
			China *float64 `json:"china"`
			HHI   float64  `json:"hhi"`
		}
		var rep struct {
			Commodity, Stage, Headline string
			Year                       int
			After                      *struct{}
			Metrics                    struct{ Before, After metrics }
			Additions                  []struct {
				Country  string
				Quantity float64
			}
			Potentials []struct {
				DepositID string `json:"deposit_id"`
				Status    string
				Added     bool
			}
			Sources []string
		}
		s.Get(t, "/api/v1/supply/lithium").JSON(t, &rep)
		if rep.Commodity != "lithium" || rep.Stage != "mine" || rep.After != nil || len(rep.Sources) == 0 || rep.Metrics.Before.HHI == 0 {
			t.Fatalf("lithium: %+v", rep)
		}
		before := rep.Metrics.Before.HHI
		s.Get(t, "/api/v1/supply/lithium?add=UA:40000&add=CN:1,US:2").JSON(t, &rep)
		if rep.After == nil || len(rep.Additions) != 3 || rep.Metrics.After.HHI == before || !strings.Contains(rep.Headline, "percentage points") {
			t.Fatalf("what-if: %+v", rep)
		}
		// The deposits accessible under a scenario: under the four-oblasts
		// demand, Shevchenkivske and Kruta Balka are not added.
		s.Get(t, "/api/v1/supply/lithium?add_accessible=four-oblasts").JSON(t, &rep)
		added := map[string]bool{}
		for _, p := range rep.Potentials {
			added[p.DepositID] = p.Added
		}
		if len(rep.Potentials) != 4 || added["shevchenkivske"] || !added["polokhivske"] {
			t.Fatalf("accessible: %+v", rep.Potentials)
		}
		s.Get(t, "/api/v1/supply/lithium?deposits=dobra&stage=mine&recovery=0.8").JSON(t, &rep)
		if len(rep.Potentials) != 1 || !rep.Potentials[0].Added {
			t.Fatalf("deposits: %+v", rep.Potentials)
		}
		s.Get(t, "/api/v1/supply/copper").Err(t, 400, "invalid", "commodity: unknown commodity")
		s.Get(t, "/api/v1/supply/lithium?stage=smelting").Err(t, 400, "invalid", "stage")
		s.Get(t, "/api/v1/supply/lithium?year=1999").Err(t, 404, "not_found", "year: ")
		s.Get(t, "/api/v1/supply/lithium?add=UA:forty").Err(t, 400, "invalid", "add: ")
		s.Get(t, "/api/v1/supply/lithium?add=Ukraine:1").Err(t, 400, "invalid", "ISO 3166-1")
		s.Get(t, "/api/v1/supply/lithium?recovery=1.5").Err(t, 400, "invalid", "recovery")
		s.Get(t, "/api/v1/supply/lithium?deposits=atlantis").Err(t, 400, "invalid", "deposits: ")
		s.Get(t, "/api/v1/supply/lithium?add_accessible="+url.QueryEscape("occupied@latest |")).Err(t, 400, "invalid", "add_accessible: column 18")
		s.Get(t, "/api/v1/supply/germanium?add=UA:1").Err(t, 400, "invalid", "shares of world output only")
		s.Get(t, "/api/v1/supply?year=1999").Err(t, 404, "not_found", "1999")
	})

	t.Run("Exports", func(t *testing.T) {
		r := s.Get(t, "/api/v1/exports/deposits?format=csv")
		recs, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
		if n := shipped(t).Deposits; err != nil || len(recs) != n+1 || recs[0][0] != "id" { // a header and a row per deposit
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
		if n := shipped(t).Deposits; fc.Type != "FeatureCollection" || len(fc.Features) != n || fc.Features[0].Properties["snapshot"] != "2025-02-01" {
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
		if n := shipped(t).Deposits; err != nil || len(rows) != n+1 || rows[0][0] != "id" { // a header and a row per deposit
			t.Fatalf("XLSX deposits sheet: %d rows, %v", len(rows), err)
		}
		if got := f.GetSheetList(); strings.Join(got, ",") != "deposits,estimates,about" {
			t.Fatalf("sheets %v", got)
		}
		r = s.Get(t, "/api/v1/exports/estimates?format=csv")
		if recs, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll(); err != nil || len(recs) != shipped(t).Estimates+1 {
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

// TestAPI_Class: the class filter of the timeline and the map limits them
// to the class's commodities and deposits, and a bad class is a 400.
func TestAPI_Class(t *testing.T) {
	s := MustOpenServer(t, nil)
	type share struct {
		Commodity string
		Located   int
	}
	var all, metal, energy struct {
		Rows []struct {
			Commodities []share
			Total       share
		}
	}
	s.Get(t, "/api/v1/timeline?from=2025-02-01&to=2025-02-01").JSON(t, &all)
	s.Get(t, "/api/v1/timeline?from=2025-02-01&to=2025-02-01&class=metallic").JSON(t, &metal)
	s.Get(t, "/api/v1/timeline?from=2025-02-01&to=2025-02-01&class=energy").JSON(t, &energy)
	if len(metal.Rows) != 1 || len(energy.Rows) != 1 {
		t.Fatalf("rows: %d, %d", len(metal.Rows), len(energy.Rows))
	}
	// Located deposits per class add up to at least all located deposits
	// (a deposit of two classes counts in both), and each class is fewer.
	m, e, a := metal.Rows[0].Total.Located, energy.Rows[0].Total.Located, all.Rows[0].Total.Located
	if m == 0 || e == 0 || m >= a || e >= a {
		t.Fatalf("located: metallic %d, energy %d, all %d", m, e, a)
	}
	for _, c := range energy.Rows[0].Commodities {
		if c.Commodity != "uranium" && c.Commodity != "coal" {
			t.Fatalf("energy timeline has %s", c.Commodity)
		}
	}
	s.Get(t, "/api/v1/timeline?class=fuel").Err(t, 400, "invalid", "class")
	s.Get(t, "/api/v1/timeline?class=energy&commodity=lithium").Err(t, 400, "invalid", "commodity")
	svg := s.Get(t, "/map.svg?date=2025-02-12&class=energy")
	if svg.Status != 200 || !bytes.Contains(svg.Body, []byte(`data-class="energy"`)) || bytes.Contains(svg.Body, []byte(`/deposits/shevchenkivske"`)) {
		t.Fatalf("energy map: %d, class attribute or a lithium deposit wrong", svg.Status)
	}
	s.Get(t, "/map.svg?class=fuel").Err(t, 400, "invalid", "class")
	if p := s.Get(t, "/timeline?class=metallic"); p.Status != 200 || !bytes.Contains(p.Body, []byte(`data-class="metallic"`)) {
		t.Fatalf("timeline page: %d", p.Status)
	}
	if p := s.Get(t, "/map?class=metallic"); p.Status != 200 || !bytes.Contains(p.Body, []byte(`<option value="metallic" selected>`)) {
		t.Fatalf("map page: %d", p.Status)
	}
}

// TestSupply_CRMA: the Supply page and the supply API carry the EU CRMA
// benchmark with its simplification.
func TestSupply_CRMA(t *testing.T) {
	s := MustOpenServer(t, nil)
	p := s.Get(t, "/supply?commodity=graphite")
	if p.Status != 200 || !bytes.Contains(p.Body, []byte(`id="crma"`)) || !bytes.Contains(p.Body, []byte("World production shares stand in")) {
		t.Fatalf("supply page: %d, no CRMA table", p.Status)
	}
	var rep struct {
		CRMA struct {
			Today       struct{ Pass bool }
			WithUkraine *struct{ Pass bool } `json:"with_ukraine"`
		}
	}
	s.Get(t, "/api/v1/supply/graphite").JSON(t, &rep)
	if rep.CRMA.WithUkraine == nil {
		t.Fatalf("graphite: no Ukrainian supply in the CRMA test")
	}
}

package server_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"nadra/server"
)

// simulateResult is the part of POST /api/v1/simulate's answer the
// tests read.
type simulateResult struct {
	Paths    int    `json:"paths"`
	Seed     uint64 `json:"seed"`
	Control  string `json:"control_status"`
	Cached   bool   `json:"cached"`
	Settings struct {
		Discount    float64 `json:"discount"`
		PriceLevel  float64 `json:"price_level"`
		HazardScale float64 `json:"hazard_scale"`
	} `json:"settings"`
	Terms []struct {
		ID        string   `json:"id"`
		Overrides []string `json:"overrides"`
		Metrics   map[string]struct {
			N    int      `json:"n"`
			Mean *float64 `json:"mean"`
		} `json:"metrics"`
		Fan []struct {
			Year          int
			P5, P25, P75  *float64
			P50, P95, Avg *float64
		} `json:"fund_receipts_by_year"`
	} `json:"terms"`
	VS *struct {
		Base, Other string
	} `json:"vs"`
	Tornado *struct {
		Paths int
		Rows  []struct{ Input string }
	} `json:"tornado"`
	Histograms []struct {
		Metric          string
		Counts          []int
		Below, Above, N int
		Lo, Hi          *float64
	} `json:"histograms"`
	NotValued  []map[string]any `json:"not_valued"`
	Conclusion string           `json:"conclusion"`
}

// Post is Do with POST and a JSON body.
func (s *TestServer) Post(tb testing.TB, path, body string) Response {
	tb.Helper()
	req, err := http.NewRequest("POST", s.URL()+path, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return do(tb, req)
}

func do(tb testing.TB, req *http.Request) Response {
	tb.Helper()
	addLedgerToken(tb, req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return Response{resp.StatusCode, resp.Header, b}
}

// testDealRoutes calls the deal routes: the terms, and the simulation
// with its defaults, overrides, cache and refusals. TestAPI_Routes runs
// it with the other JSON routes.
func testDealRoutes(t *testing.T, s *TestServer) {
	t.Run("Deals", func(t *testing.T) {
		var list struct {
			Deals []struct {
				ID      string
				Sources []string
			}
		}
		s.Get(t, "/api/v1/deals").JSON(t, &list)
		if len(list.Deals) != 3 {
			t.Fatalf("%d deals", len(list.Deals))
		}
		for _, d := range list.Deals {
			if len(d.Sources) == 0 {
				t.Fatalf("%s without sources", d.ID)
			}
		}
		var d struct {
			ID, Status string
			Terms      []struct {
				Key    string
				Value  any
				Source []string
			}
		}
		s.Get(t, "/api/v1/deals/urif-2025").JSON(t, &d)
		if d.ID != "urif-2025" || d.Status != "signed" || len(d.Terms) < 8 {
			t.Fatalf("%+v", d)
		}
		for _, tm := range d.Terms {
			if len(tm.Source) == 0 {
				t.Fatalf("term %s without a source", tm.Key)
			}
			if tm.Key == "ukraine_share" && tm.Value != 0.5 {
				t.Fatalf("ukraine_share %v", tm.Value)
			}
		}
		s.Get(t, "/api/v1/deals/no-such-terms").Err(t, 404, "not_found", "urif-2025")
	})

	t.Run("Simulate", func(t *testing.T) {
		var r simulateResult
		s.Post(t, "/api/v1/simulate", `{"paths": 2000}`).JSON(t, &r)
		if r.Paths != 2000 || r.Seed != 1 || len(r.Terms) != 1 || r.Terms[0].ID != "urif-2025" || r.Cached || r.Tornado != nil ||
			!strings.HasPrefix(r.Control, "latest control snapshot 2026-08-22") || len(r.Terms[0].Fan) != 31 || len(r.NotValued) == 0 {
			t.Fatalf("defaults: paths %d, seed %d, %d terms, cached %v, control %q", r.Paths, r.Seed, len(r.Terms), r.Cached, r.Control)
		}
		if r.Settings.Discount != 0.07 || r.Settings.PriceLevel != 1 || r.Settings.HazardScale != 1 {
			t.Fatalf("default settings %+v", r.Settings)
		}
		if !strings.HasPrefix(r.Conclusion, "Under the signed terms (urif-2025) the fund's receipts") {
			t.Fatalf("conclusion %q", r.Conclusion)
		}
		if len(r.Histograms) != 3 {
			t.Fatalf("%d histograms", len(r.Histograms))
		}
		for _, h := range r.Histograms {
			n := h.Below + h.Above
			for _, c := range h.Counts {
				n += c
			}
			if n != h.N || h.N != 2000 || len(h.Counts) != 40 || *h.Lo >= *h.Hi {
				t.Fatalf("histogram %s: %d counted of %d, %d bins", h.Metric, n, h.N, len(h.Counts))
			}
		}
		// The same request again: from the cache, the same numbers.
		var again simulateResult
		s.Post(t, "/api/v1/simulate", `{"paths": 2000, "seed": 1}`).JSON(t, &again)
		if !again.Cached || again.Conclusion != r.Conclusion {
			t.Fatalf("second run: cached %v\n%s\n%s", again.Cached, again.Conclusion, r.Conclusion)
		}

		// Overrides, a comparison, the tornado and a scenario.
		var o simulateResult
		s.Post(t, "/api/v1/simulate", `{"paths": 1000, "seed": 7, "vs": "draft-2025-02", "tornado_paths": 100, "bins": 10,
			"price_level": 1.5, "hazard_scale": 2, "discount": 0.05, "ukraine_share": 0.3, "aid_usd_per_year": 2e9,
			"scenario": "occupied@2022-11-01"}`).JSON(t, &o)
		if o.VS == nil || o.VS.Other != "draft-2025-02" || len(o.Terms) != 2 || o.Tornado == nil || o.Tornado.Paths != 100 || len(o.Tornado.Rows) < 10 {
			t.Fatalf("vs %+v, %d terms, tornado %+v", o.VS, len(o.Terms), o.Tornado)
		}
		if o.Settings.PriceLevel != 1.5 || o.Settings.HazardScale != 2 || o.Settings.Discount != 0.05 || len(o.Histograms[0].Counts) != 10 {
			t.Fatalf("settings %+v", o.Settings)
		}
		if len(o.Terms[0].Overrides) != 1 || !strings.Contains(o.Conclusion, "with Ukraine's share set to 30% (the text: 50%)") {
			t.Fatalf("overrides %v; conclusion %q", o.Terms[0].Overrides, o.Conclusion)
		}
		if !strings.Contains(o.Control, "scenario occupied@2022-11-01") {
			t.Fatalf("control %q", o.Control)
		}

		// The default size, 10,000 paths.
		var d simulateResult
		s.Post(t, "/api/v1/simulate", `{}`).JSON(t, &d)
		if d.Paths != 10000 || d.Terms[0].Metrics["fund_receipts_pv"].N != 10000 {
			t.Fatalf("default paths %d", d.Paths)
		}
	})

	t.Run("SimulateRefuses", func(t *testing.T) {
		for _, tt := range []struct {
			body, param string
		}{
			{`{"paths": 100001}`, "cap of 100000 paths"},
			{`{"paths": -5}`, "paths -5"},
			{`{"paths": "many"}`, "paths"},
			{`{"deal": "draft-2099"}`, "deal: no deal terms"},
			{`{"vs": "nothing"}`, "vs: no deal terms"},
			{`{"discount": 2}`, "discount 2"},
			{`{"price_level": 0}`, "price_level 0"},
			{`{"hazard_scale": -1}`, "hazard_scale -1"},
			{`{"ukraine_share": 1.2}`, "ukraine_share 1.2"},
			{`{"aid_usd_per_year": -1}`, "aid_usd_per_year"},
			{`{"nominal": true}`, "nominal needs inflation"},
			{`{"tornado_paths": 50000}`, "tornado_paths 50000"},
			{`{"bins": 1000}`, "bins 1000"},
			{`{"end_year": 1990}`, "end_year 1990"},
			{`{"scenario": "occupied@2022-11-01 |"}`, "scenario: column"},
			{`{"scenario": "martian@2022"}`, "scenario"},
			{`{"scenario": "file:/etc/passwd"}`, "the server reads no other files"},
			{`{"pathz": 10}`, "pathz"},
			{`{"paths": 10`, "body"},
		} {
			s.Post(t, "/api/v1/simulate", tt.body).Err(t, 400, "invalid", tt.param)
		}
		req, _ := http.NewRequest("POST", s.URL()+"/api/v1/simulate", strings.NewReader(`paths=10`))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		do(t, req).Err(t, 415, "unsupported_media_type", "Content-Type: application/json")
	})

	t.Run("Page", func(t *testing.T) {
		if r := s.Get(t, "/deal?price_level=1.5&paths=1000"); r.Status != 200 || !strings.Contains(string(r.Body), `id="hist-fund_receipts_pv-title"`) {
			t.Fatalf("deal page: %d", r.Status)
		}
		r := s.Get(t, "/deal/results?hazard_scale=3&paths=1000")
		if r.Status != 200 || strings.Count(string(r.Body), `<svg`) != 5 || !strings.Contains(string(r.Body), "hazard_scale=3") {
			t.Fatalf("results fragment: %d", r.Status)
		}
		if r := s.Get(t, "/deal/results?scenario=four-oblasts&paths=1000"); r.Status != 200 || !strings.Contains(string(r.Body), "control status from the scenario four-oblasts (occupied@latest") {
			t.Fatalf("results under a shipped scenario: %d", r.Status)
		}
		s.Get(t, "/deal/results?discount=lots").Err(t, 400, "invalid", "discount")
		s.Get(t, "/deal/results?paths=1000000").Err(t, 400, "invalid", "cap")
		if r := s.Get(t, "/deal?deal=nope"); r.Status != 400 || !strings.Contains(string(r.Body), "deal: no deal terms") {
			t.Fatalf("bad terms on the page: %d", r.Status)
		}
	})
}

// TestSimulate_Limits checks a lower paths cap and the time budget. The
// budget is met by a hook that waits for the simulation's context to end,
// so nothing depends on how fast the machine is.
func TestSimulate_Limits(t *testing.T) {
	s := MustOpenServer(t, func(s *server.Server) {
		s.MaxSimulatePaths = 5000
		s.SimulateBudget = time.Millisecond
		server.SetSimulateHooks(s, func(ctx context.Context) { <-ctx.Done() }, nil)
	})
	s.Post(t, "/api/v1/simulate", `{"paths": 6000}`).Err(t, 400, "invalid", "cap of 5000 paths")
	s.Post(t, "/api/v1/simulate", `{"paths": 100}`).Err(t, 503, "timeout", "time budget of 1ms")
	if r := s.Get(t, "/healthz"); r.Status != 200 {
		t.Fatalf("healthz after a timeout: %d", r.Status)
	}
}

// TestSimulate_ClientGoesAway checks that a simulation stops when its
// client goes away: the hook holds the simulation until its context ends,
// which only the client's leaving can do (the budget is an hour), and
// the simulation then returns context.Canceled.
func TestSimulate_ClientGoesAway(t *testing.T) {
	started := make(chan struct{}, 1)
	done := make(chan error, 1)
	s := MustOpenServer(t, func(s *server.Server) {
		s.SimulateBudget = time.Hour
		server.SetSimulateHooks(s,
			func(ctx context.Context) {
				started <- struct{}{}
				<-ctx.Done()
			},
			func(err error) { done <- err })
	})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", s.URL()+"/api/v1/simulate", strings.NewReader(`{"paths": 100000}`))
	req.Header.Set("Content-Type", "application/json")
	errc := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	select {
	case <-started:
	case <-time.After(time.Minute):
		t.Fatal("the simulation never started")
	}
	cancel() // the client goes away
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("client: %v", err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("the simulation returned %v, want context.Canceled", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the simulation did not stop when its client went away")
	}
	// The server logs it and keeps serving.
	for i := 0; !strings.Contains(s.Log.String(), "status=499"); i++ {
		if i > 6000 { // a minute: only a hung server gets here
			t.Fatalf("no log line with status 499:\n%s", s.Log)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if r := s.Get(t, "/healthz"); r.Status != 200 {
		t.Fatalf("healthz: %d", r.Status)
	}
}

// TestSimulate_BudgetIncludesScenario: the simulation's budget covers
// the evaluation of its scenario. The scenario hook holds the evaluation
// until its context ends, which only the simulation's budget (1 ms; the
// scenarios' own is an hour) can do; the simulation never starts.
func TestSimulate_BudgetIncludesScenario(t *testing.T) {
	simStarted := make(chan struct{}, 1)
	s := MustOpenServer(t, func(s *server.Server) {
		s.SimulateBudget = time.Millisecond
		s.ScenarioBudget = time.Hour
		server.SetScenarioHooks(s, func(ctx context.Context) { <-ctx.Done() }, nil)
		server.SetSimulateHooks(s, func(context.Context) { simStarted <- struct{}{} }, nil)
	})
	res := make(chan Response, 1)
	go func() {
		res <- s.Post(t, "/api/v1/simulate", `{"paths": 100, "scenario": "occupied@latest | oblast:UA-23"}`)
	}()
	select {
	case r := <-res:
		r.Err(t, 503, "timeout", "simulation did not finish within this server's time budget of 1ms")
		if got := r.Header.Get("Retry-After"); got != "1" {
			t.Fatalf("Retry-After %q, want \"1\"", got)
		}
	case <-time.After(time.Minute):
		t.Fatal("the simulation's budget did not stop its scenario's evaluation")
	}
	if len(simStarted) != 0 {
		t.Fatal("the simulation started after its budget was spent")
	}
	// A syntax error is still a 400, whatever the budget.
	s.Post(t, "/api/v1/simulate", `{"paths": 100, "scenario": "occupied@latest |"}`).Err(t, 400, "invalid", "scenario: column 18")
}

// TestSimulate_PlanActual: the simulation places the ledger's recorded
// receipts beside its fan. On the public journal (the log is empty), the
// Maidanska permit's UAH 31,700,000.00 at 43.24 makes UAH 15,850,000.00,
// $366,558.74, due to the fund in 2026; the Deal page marks it on the fan
// and in its table.
func TestSimulate_PlanActual(t *testing.T) {
	s := MustOpenServer(t, nil)
	var r struct {
		Plan *struct {
			Journal string `json:"journal"`
			Years   []struct {
				Year       int     `json:"year"`
				Series     string  `json:"series"`
				Recorded   float64 `json:"recorded_usd"`
				InModel    bool    `json:"in_model"`
				Percentile float64 `json:"percentile"`
				Below      int     `json:"paths_below"`
				Equal      int     `json:"paths_equal"`
				Paths      int     `json:"paths"`
			} `json:"years"`
		} `json:"plan_against_actual"`
	}
	s.Post(t, "/api/v1/simulate", `{"paths": 400}`).JSON(t, &r)
	if r.Plan == nil || r.Plan.Journal != "public" || len(r.Plan.Years) != 1 {
		t.Fatalf("plan against actual: %+v", r.Plan)
	}
	y := r.Plan.Years[0]
	if y.Year != 2026 || y.Series != "due" || y.Recorded != 366558.74 || !y.InModel || y.Paths != 400 ||
		y.Percentile != (float64(y.Below)+float64(y.Equal)/2)/400 {
		t.Fatalf("2026: %+v", y)
	}
	r.Plan = nil
	s.Post(t, "/api/v1/simulate", `{"paths": 400, "journal": "none"}`).JSON(t, &r)
	if r.Plan != nil {
		t.Errorf("journal none: %+v", r.Plan)
	}
	s.Post(t, "/api/v1/simulate", `{"paths": 400, "journal": "nope"}`).Err(t, 400, "invalid", "journal")
	page := string(s.Get(t, "/deal?paths=1000").Body)
	for _, want := range []string{`id="plan-table"`, "due to the fund", `class="recorded"`, "recorded, public journal"} {
		if !strings.Contains(page, want) {
			t.Errorf("the deal page lacks %q", want)
		}
	}
}

package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"nadra/server"
)

// regions joins n oblast regions with " | ", and returns the 1-based
// column where the last one starts.
func regions(n int) (string, int) {
	codes := []string{"UA-14", "UA-09", "UA-23", "UA-65"}
	var b strings.Builder
	col := 0
	for i := range n {
		if i > 0 {
			b.WriteString(" | ")
		}
		col = b.Len() + 1
		b.WriteString("oblast:" + codes[i%len(codes)])
	}
	return b.String(), col
}

// drawnRing is a Polygon of n positions (n-1 corners on a circle around
// Zaporizhzhia), as JSON.
func drawnRing(n int) string {
	ring := make([][2]float64, 0, n)
	for i := range n - 1 {
		a := 2 * math.Pi * float64(i) / float64(n-1)
		ring = append(ring, [2]float64{35 + 0.5*math.Cos(a), 47.5 + 0.3*math.Sin(a)})
	}
	ring = append(ring, ring[0])
	b, _ := json.Marshal(map[string]any{"type": "Polygon", "coordinates": [][][2]float64{ring}})
	return string(b)
}

// TestScenario_Limits checks that expressions and drawn polygons over the
// limits are refused at once with a 400 naming the parameter and the
// limit, on every route that takes a scenario; the issue's 1.1 KB and
// 45 KB expressions among them.
func TestScenario_Limits(t *testing.T) {
	s := MustOpenServer(t, func(s *server.Server) {
		// Nothing here may reach an evaluation.
		server.SetScenarioHooks(s, func(context.Context) { t.Error("an evaluation started") }, nil)
	})
	over, col := regions(33)
	issue1k := strings.Repeat("occupied@2025-02-12 | oblast:UA-14 - oblast:UA-23 | ", 21) + "oblast:UA-09"
	issue45k, _ := regions(3000)
	deep := strings.Repeat("(", 17) + "oblast:UA-14" + strings.Repeat(")", 17)
	long := "oblast:UA-14" + strings.Repeat(" ", 1025-len("oblast:UA-14| oblast:UA-09")) + "| oblast:UA-09" // 1,025 bytes
	q := url.QueryEscape
	for _, tt := range []struct {
		name, method, path, body string
		want                     string
	}{
		{"bytes", "GET", "/api/v1/scenarios/eval?expr=" + q(long), "", "expr: the expression is 1025 bytes long; at most 1024 bytes"},
		{"bytes, 1.1 KB", "GET", "/api/v1/scenarios/eval?expr=" + q(issue1k), "", fmt.Sprintf("expr: the expression is %d bytes long; at most 1024", len(issue1k))},
		{"bytes, 45 KB", "POST", "/api/v1/scenarios/eval", `{"expr": "` + issue45k + `"}`, fmt.Sprintf("expr: the expression is %d bytes long; at most 1024", len(issue45k))},
		{"bytes, baseline", "GET", "/api/v1/scenarios/eval?expr=four-oblasts&baseline=" + q(long), "", "baseline: the expression is 1025 bytes"},
		{"regions", "GET", "/api/v1/scenarios/eval?expr=" + q(over), "", fmt.Sprintf("expr: column %d: more than 32 regions; an expression may name at most 32", col)},
		{"depth", "GET", "/api/v1/scenarios/eval?expr=" + q(deep), "", "expr: column 17: parentheses nested more than 16 deep"},
		{"drawn vertices", "POST", "/api/v1/scenarios/eval", `{"expr": "file:drawn", "drawn": ` + drawnRing(10001) + `}`, "drawn: 10001 vertices; a scenario polygon file may have at most 10000"},
		{"drawn vertices, unused", "POST", "/api/v1/scenarios/eval", `{"expr": "four-oblasts", "drawn": ` + drawnRing(10001) + `}`, "drawn: 10001 vertices"},
		{"simulate", "POST", "/api/v1/simulate", `{"paths": 100, "scenario": "` + issue45k + `"}`, "scenario: the expression is 44997 bytes long"},
		{"simulate, regions", "POST", "/api/v1/simulate", `{"paths": 100, "scenario": "` + over + `"}`, "scenario: column"},
		{"supply", "GET", "/api/v1/supply/lithium?add_accessible=" + q(over), "", "add_accessible: column"},
		{"map", "GET", "/scenarios/map.svg?expr=" + q(issue1k), "", "expr: the expression is"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var r Response
			if tt.method == "GET" {
				r = s.Get(t, tt.path)
			} else {
				r = s.Post(t, tt.path, tt.body)
			}
			r.Err(t, 400, "invalid", tt.want)
		})
	}
}

// TestScenario_AtLimits evaluates an expression with the most regions and
// a drawn polygon with the most vertices allowed.
func TestScenario_AtLimits(t *testing.T) {
	s := MustOpenServer(t, func(s *server.Server) { s.ScenarioBudget = time.Hour }) // not a test of speed
	at, _ := regions(32)
	if r := s.Get(t, "/api/v1/scenarios/eval?expr="+url.QueryEscape(at)); r.Status != 200 {
		t.Fatalf("32 regions: got %d %s, want 200", r.Status, r.Body)
	}
	if r := s.Post(t, "/api/v1/scenarios/eval", `{"expr": "occupied@latest | file:drawn", "drawn": `+drawnRing(10000)+`}`); r.Status != 200 {
		t.Fatalf("10,000 vertices: got %d %s, want 200", r.Status, r.Body)
	}
}

// retryAfter checks a 503 past a time budget: Retry-After in whole
// seconds, at least 1.
func retryAfter(tb testing.TB, r Response, want string) {
	tb.Helper()
	if got := r.Header.Get("Retry-After"); got != want {
		tb.Fatalf("Retry-After %q, want %q", got, want)
	}
}

// TestScenario_Budget: an evaluation that runs past the budget is stopped
// and answered with a 503 and Retry-After, on the API, the map and the
// page. The hook holds each evaluation until its context ends, which
// only the budget can do here.
func TestScenario_Budget(t *testing.T) {
	done := make(chan error, 10)
	s := MustOpenServer(t, func(s *server.Server) {
		s.ScenarioBudget = time.Millisecond
		server.SetScenarioHooks(s, func(ctx context.Context) { <-ctx.Done() }, func(err error) { done <- err })
	})
	r := s.Get(t, "/api/v1/scenarios/eval?expr=four-oblasts")
	r.Err(t, 503, "timeout", "time budget of 1ms")
	retryAfter(t, r, "1")
	r = s.Get(t, "/scenarios/map.svg?expr=four-oblasts")
	r.Err(t, 503, "timeout", "time budget of 1ms")
	retryAfter(t, r, "1")
	r = s.Get(t, "/api/v1/supply/lithium?add_accessible=four-oblasts")
	r.Err(t, 503, "timeout", "scenario evaluation did not finish")
	// The page keeps the form, with the error, so the expression can change.
	r = s.Get(t, "/scenarios?expr=four-oblasts")
	if r.Status != 503 || !strings.Contains(string(r.Body), "time budget of 1ms") || !strings.Contains(string(r.Body), `name="expr"`) {
		t.Fatalf("page: got %d, want 503 with the form and the error:\n%.2000s", r.Status, r.Body)
	}
	retryAfter(t, r, "1")
	// Every stopped evaluation gives its slot back (those that started
	// ended with their context's error).
	freed := make(chan func())
	go func() { freed <- server.HoldScenarioSlots(s.Server) }()
	select {
	case release := <-freed:
		release()
	case <-time.After(time.Minute):
		t.Fatal("an evaluation past its budget kept its slot")
	}
	for len(done) > 0 {
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("the evaluation returned %v, want context.Canceled", err)
		}
	}
	if r := s.Get(t, "/healthz"); r.Status != 200 {
		t.Fatalf("healthz after timeouts: %d", r.Status)
	}
}

// TestScenario_Busy: with every evaluation slot taken, a request waits
// within its budget and then gets a 503 with Retry-After; its evaluation
// never starts. Once the slots are free, evaluations start again.
func TestScenario_Busy(t *testing.T) {
	var started atomic.Int32
	s := MustOpenServer(t, func(s *server.Server) {
		s.ScenarioBudget = time.Millisecond
		server.SetScenarioHooks(s, func(context.Context) { started.Add(1) }, nil)
	})
	release := server.HoldScenarioSlots(s.Server)
	for _, path := range []string{"/api/v1/scenarios/eval?expr=donetsk-luhansk", "/api/v1/scenarios/eval?expr=four-oblasts"} {
		r := s.Get(t, path)
		r.Err(t, 503, "timeout", "time budget of 1ms (the server may be busy)")
		retryAfter(t, r, "1")
	}
	if n := started.Load(); n != 0 {
		t.Fatalf("%d evaluations started with no free slot", n)
	}
	release()
	if r := s.Get(t, "/healthz"); r.Status != 200 {
		t.Fatalf("healthz: %d", r.Status)
	}
}

// getAsync sends GET path with ctx and returns the outcome on a channel:
// the status, or the client's error.
func getAsync(s *TestServer, ctx context.Context, path string) <-chan error {
	out := make(chan error, 1)
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL()+path, nil)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != 200 {
				err = fmt.Errorf("status %d", resp.StatusCode)
			}
		}
		out <- err
	}()
	return out
}

// waitUntil waits until cond holds: synchronisation with the server's
// goroutines, not a timing assumption (a minute means a hang).
func waitUntil(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	for i := 0; !cond(); i++ {
		if i > 6000 {
			tb.Fatalf("waited a minute for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func receive[T any](tb testing.TB, what string, c <-chan T) T {
	tb.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(time.Minute):
		tb.Fatalf("waited a minute for %s", what)
	}
	panic("unreachable")
}

// TestScenario_ClientGoesAway: an evaluation stops when its only client
// goes away: the hook holds it until its context ends, which only the
// client's leaving can do (the budget is an hour).
func TestScenario_ClientGoesAway(t *testing.T) {
	started := make(chan struct{}, 1)
	done := make(chan error, 1)
	s := MustOpenServer(t, func(s *server.Server) {
		s.ScenarioBudget = time.Hour
		server.SetScenarioHooks(s,
			func(ctx context.Context) {
				started <- struct{}{}
				<-ctx.Done()
			},
			func(err error) { done <- err })
	})
	ctx, cancel := context.WithCancel(context.Background())
	res := getAsync(s, ctx, "/api/v1/scenarios/eval?expr=four-oblasts")
	receive(t, "the evaluation to start", started)
	cancel() // the client goes away
	if err := receive(t, "the client", res); !errors.Is(err, context.Canceled) {
		t.Fatalf("client: %v", err)
	}
	if err := receive(t, "the evaluation to stop", done); !errors.Is(err, context.Canceled) {
		t.Fatalf("the evaluation returned %v, want context.Canceled", err)
	}
	waitUntil(t, "a log line with status 499", func() bool { return strings.Contains(s.Log.String(), "status=499") })
	if r := s.Get(t, "/healthz"); r.Status != 200 {
		t.Fatalf("healthz: %d", r.Status)
	}
}

// TestScenario_SharedEvaluation: clients asking for the same scenario at
// once share one evaluation. When one of two leaves, the evaluation goes
// on for the other; when both leave, it stops, and the next request starts
// a new one rather than joining the one that stopped.
func TestScenario_SharedEvaluation(t *testing.T) {
	started := make(chan context.Context, 4)
	done := make(chan error, 4)
	var gate atomic.Pointer[chan struct{}] // the hook holds evaluations until it closes
	s := MustOpenServer(t, func(s *server.Server) {
		s.ScenarioBudget = time.Hour
		server.SetScenarioHooks(s,
			func(ctx context.Context) {
				started <- ctx
				select {
				case <-*gate.Load():
				case <-ctx.Done():
				}
			},
			func(err error) { done <- err })
	})
	waiting := func(n int) func() bool { return func() bool { return server.ScenarioWaiting(s.Server) == n } }

	t.Run("OneLeaves", func(t *testing.T) {
		g := make(chan struct{})
		gate.Store(&g)
		const path = "/api/v1/scenarios/eval?expr=donetsk-luhansk"
		ctxA, leaveA := context.WithCancel(context.Background())
		a := getAsync(s, ctxA, path)
		ev := receive(t, "the evaluation to start", started)
		b := getAsync(s, context.Background(), path)
		waitUntil(t, "two clients waiting", waiting(2))
		leaveA()
		if err := receive(t, "client A", a); !errors.Is(err, context.Canceled) {
			t.Fatalf("client A: %v", err)
		}
		waitUntil(t, "one client waiting", waiting(1))
		if err := ev.Err(); err != nil {
			t.Fatalf("the shared evaluation stopped (%v) when one of its two clients left", err)
		}
		close(g)
		if err := receive(t, "client B", b); err != nil {
			t.Fatalf("client B: %v", err)
		}
		if err := receive(t, "the evaluation", done); err != nil {
			t.Fatalf("the evaluation returned %v", err)
		}
		if len(started) != 0 {
			t.Fatalf("%d more evaluations started; the two clients should share one", len(started))
		}
	})

	t.Run("AllLeave", func(t *testing.T) {
		g := make(chan struct{})
		gate.Store(&g)
		const path = "/api/v1/scenarios/eval?expr=ceasefire-2025-02-12"
		ctx, leave := context.WithCancel(context.Background())
		a := getAsync(s, ctx, path)
		ev := receive(t, "the evaluation to start", started)
		b := getAsync(s, ctx, path)
		waitUntil(t, "two clients waiting", waiting(2))
		leave()
		for _, c := range []<-chan error{a, b} {
			if err := receive(t, "a client", c); !errors.Is(err, context.Canceled) {
				t.Fatalf("client: %v", err)
			}
		}
		if err := receive(t, "the evaluation to stop", done); !errors.Is(err, context.Canceled) || ev.Err() == nil {
			t.Fatalf("the evaluation returned %v when its last client left, want context.Canceled", err)
		}
		// The next request starts afresh and gets its answer.
		close(g)
		if err := receive(t, "a new client", getAsync(s, context.Background(), path)); err != nil {
			t.Fatalf("a new client after the others left: %v", err)
		}
		if ev2 := receive(t, "a new evaluation", started); ev2 == ev {
			t.Fatal("the new request joined the stopped evaluation")
		}
	})
}

// TestScenario_ShippedFiles: file:NAME reads the server's ScenarioFiles
// and nothing else. A polygon shipped as NAME gives the same evaluation
// as the same polygon posted as file:drawn; without ScenarioFiles the
// name is refused, saying none are shipped.
func TestScenario_ShippedFiles(t *testing.T) {
	ring := drawnRing(64)
	fc := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":` + ring + `}]}`
	s := MustOpenServer(t, func(s *server.Server) {
		s.ScenarioFiles = fstest.MapFS{"blob.geojson": {Data: []byte(fc)}}
	})
	type diff struct {
		Diff struct {
			ToOccupied      []struct{ ID string } `json:"to_occupied"`
			ToOccupiedKm2   float64               `json:"to_occupied_km2"`
			ToControlledKm2 float64               `json:"to_controlled_km2"`
		} `json:"diff"`
	}
	var shipped, drawn diff
	s.Get(t, "/api/v1/scenarios/eval?"+url.Values{"expr": {"occupied@latest | file:blob"}}.Encode()).JSON(t, &shipped)
	s.Post(t, "/api/v1/scenarios/eval", `{"expr": "occupied@latest | file:drawn", "drawn": `+ring+`}`).JSON(t, &drawn)
	if shipped.Diff.ToOccupiedKm2 <= 0 || fmt.Sprint(shipped) != fmt.Sprint(drawn) {
		t.Fatalf("file:blob: got %+v, want what file:drawn gives, %+v, with land changing hands", shipped, drawn)
	}
	r := s.Get(t, "/api/v1/scenarios/eval?"+url.Values{"expr": {"file:other"}}.Encode())
	r.Err(t, http.StatusBadRequest, "invalid", `no shipped file "other" (shipped: blob)`)

	bare := MustOpenServer(t, func(s *server.Server) { s.ScenarioFiles = nil })
	r = bare.Get(t, "/api/v1/scenarios/eval?"+url.Values{"expr": {"file:blob"}}.Encode())
	r.Err(t, http.StatusBadRequest, "invalid", `no shipped file "blob" (none are shipped)`)
}

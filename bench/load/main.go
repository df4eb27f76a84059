// Command load is a bounded loopback load test of nadra serve: N clients
// request the deposits list, the map SVG (walking the snapshots, as the
// slider does) and a 10,000-path deal simulation (a new seed each time,
// so that none comes from the cache) for a fixed time each, then it
// reports requests per second and the 50th and 99th percentile latencies
// per route. Meanwhile a probe asks /healthz every 200 ms, and at the end
// it checks that the server still answers.
//
//	go run ./bench/load                       # an in-process server on a free port
//	go run ./bench/load -url http://127.0.0.1:8080 -c 50 -d 10s
//	go run ./bench/load -routes simulate -sim-paths 10000
//
//	go run ./bench/load -routes ogc-item,ogc-oblasts  # one OGC feature; the oblasts page, gzip accepted
//	go run ./bench/load -sizes                # bytes per response, plain and with gzip (and zstd) accepted
//
//	go run ./bench/load -url http://127.0.0.1:8080 -featureserv http://127.0.0.1:9000   # against pg_featureserv (bench/featureserv.sh)
//
// It only targets loopback addresses, and stops by itself.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"nadra/internal/numfmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"nadra/dataset"
	"nadra/internal/wire"
	"nadra/server"
	"nadra/sqlite"
)

func main() {
	target := flag.String("url", "", "base URL of a running nadra serve on loopback (default: start one in-process)")
	clients := flag.Int("c", 50, "concurrent clients (at most 200)")
	dur := flag.Duration("d", 10*time.Second, "duration per route (at most 60s)")
	only := flag.String("routes", "deposits,map,simulate", "routes to load, comma-separated: deposits, map, simulate, ogc-item, ogc-oblasts")
	simPaths := flag.Int("sim-paths", 10_000, "paths of each simulation (at most the server's cap, 100,000)")
	sizes := flag.Bool("sizes", false, "print the bytes of a few responses, plain and compressed, instead of loading")
	fsURL := flag.String("featureserv", "", "base URL of a pg_featureserv on loopback serving the same data: compare it with -url (bench/featureserv.sh)")
	fsSchema := flag.String("featureserv-schema", "featureserv", "the schema of pg_featureserv's deposits and oblasts tables")
	rounds := flag.Int("rounds", 3, "with -featureserv: turns of each query on each server, A B A B …")
	flag.Parse()
	if *fsURL != "" {
		if err := compareFeatureserv(*target, *fsURL, *fsSchema, *clients, *dur, *rounds); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		return
	}
	if *sizes {
		if err := printSizes(*target); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*target, *clients, *dur, *only, *simPaths); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(target string, clients int, dur time.Duration, only string, simPaths int) error {
	if clients < 1 || clients > 200 {
		return errors.New("-c must be 1 to 200")
	}
	if dur <= 0 || dur > time.Minute {
		return errors.New("-d must be more than 0 and at most 60s")
	}
	if simPaths < 1 || simPaths > 100_000 {
		return errors.New("-sim-paths must be 1 to 100000")
	}
	target, cleanup, err := loopbackTarget(target)
	if err != nil {
		return err
	}
	defer cleanup()
	dates, err := snapshotDates(target)
	if err != nil {
		return err
	}
	fmt.Printf("nadra load test: %s, %d clients, %v per route, %d CPUs\n\n", target, clients, dur, runtimeCPUs())
	fmt.Printf("%-36s %9s %9s %9s %9s %7s %16s\n", "route", "requests", "req/s", "p50", "p99", "errors", "/healthz max")
	want := map[string]bool{}
	for _, k := range strings.Split(only, ",") {
		want[strings.TrimSpace(k)] = true
	}
	var ids []string
	if want["ogc-item"] {
		if ids, err = depositIDs(target); err != nil {
			return err
		}
	}
	simBody := func(i int) string { return fmt.Sprintf(`{"paths": %d, "seed": %d}`, simPaths, i+2) }
	routes := []struct {
		key, name string
		do        func(c *http.Client, i int) error
	}{
		{"deposits", "GET /api/v1/deposits", func(c *http.Client, i int) error { _, err := get(c, target+"/api/v1/deposits"); return err }},
		{"map", "GET /map.svg (54 dates)", func(c *http.Client, i int) error {
			_, err := get(c, target+"/map.svg?date="+dates[i%len(dates)])
			return err
		}},
		{"simulate", fmt.Sprintf("POST /api/v1/simulate (%s paths)", numfmt.Thousands(float64(simPaths))), func(c *http.Client, i int) error {
			return post(c, target+"/api/v1/simulate", simBody(i))
		}},
		{"ogc-item", "GET /ogc/…/deposits/items/{id}", func(c *http.Client, i int) error {
			_, err := get(c, target+"/ogc/collections/deposits/items/"+ids[i%len(ids)])
			return err
		}},
		{"ogc-oblasts", "GET /ogc/…/oblasts/items (gzip)", func(c *http.Client, i int) error {
			_, err := getEncoded(c, target+"/ogc/collections/oblasts/items", "gzip")
			return err
		}},
	}
	// Warm the caches once per date, as a running server would be, and
	// run one simulation (the model's first build reads the registry).
	if want["map"] {
		for _, d := range dates {
			if _, err := get(http.DefaultClient, target+"/map.svg?date="+d); err != nil {
				return err
			}
		}
	}
	if want["simulate"] {
		if err := post(http.DefaultClient, target+"/api/v1/simulate", simBody(-1)); err != nil {
			return err
		}
	}
	for _, rt := range routes {
		if !want[rt.key] {
			continue
		}
		probe := startProbe(target)
		r := hammer(clients, dur, rt.do)
		worst, failed := probe()
		hz := worst.Round(time.Millisecond).String()
		if failed > 0 {
			hz += fmt.Sprintf(" (%d failed)", failed)
		}
		fmt.Printf("%-36s %9d %9.1f %9s %9s %7d %16s\n", rt.name, r.n, float64(r.n)/r.elapsed.Seconds(), r.p(50), r.p(99), r.errors, hz)
		for msg, n := range r.errorKinds {
			fmt.Printf("    %d× %s\n", n, msg)
		}
	}
	if _, err := get(http.DefaultClient, target+"/healthz"); err != nil {
		return fmt.Errorf("server down after the load: %w", err)
	}
	fmt.Println("\n/healthz answers 200 after the load: the server stayed up.")
	return nil
}

// loopbackTarget checks that target is on this machine, or starts an
// in-process server when it is empty; cleanup stops that server.
func loopbackTarget(target string) (string, func(), error) {
	cleanup := func() {}
	if target == "" {
		s, stop, err := startServer()
		if err != nil {
			return "", nil, err
		}
		target, cleanup = s.URL(), stop
	}
	u, err := url.Parse(target)
	if err != nil {
		cleanup()
		return "", nil, err
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		cleanup()
		return "", nil, fmt.Errorf("%s is not a loopback address; this load test only targets this machine", u.Hostname())
	}
	return target, cleanup, nil
}

// sizedRoutes are the responses printSizes weighs: the largest JSON,
// GeoJSON and SVG a client asks for, and one feature.
var sizedRoutes = []string{
	"/ogc/collections/oblasts/items",
	"/ogc/collections/deposits/items",
	"/ogc/collections/control-areas/items?datetime=2025-02-12",
	"/ogc/collections/deposits/items/dobra",
	"/api/v1/deposits",
	"/api/v1/timeline",
	"/map.svg",
	"/deposits",
}

// printSizes prints the bytes on the wire of each of sizedRoutes, as sent
// to a client that accepts no encoding, gzip, and zstd, with the
// Content-Encoding the server chose.
func printSizes(target string) error {
	target, cleanup, err := loopbackTarget(target)
	if err != nil {
		return err
	}
	defer cleanup()
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 30 * time.Second}
	fmt.Printf("nadra response sizes: %s\n\n", target)
	fmt.Printf("%-58s %10s %16s %16s\n", "route", "identity", "gzip", "zstd")
	for _, r := range sizedRoutes {
		cells := []string{}
		for _, enc := range []string{"", "gzip", "zstd"} {
			n, got, err := fetchSize(c, target+r, enc)
			if err != nil {
				return fmt.Errorf("%s: %w", r, err)
			}
			cell := numfmt.Thousands(float64(n))
			if enc != "" {
				if got == "" {
					got = "none"
				}
				cell += " (" + got + ")"
			}
			cells = append(cells, cell)
		}
		fmt.Printf("%-58s %10s %16s %16s\n", r, cells[0], cells[1], cells[2])
	}
	return nil
}

// fetchSize returns the bytes of a response's body as sent, and its
// Content-Encoding.
func fetchSize(c *http.Client, u, enc string) (int64, string, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return 0, "", err
	}
	if enc != "" {
		req.Header.Set("Accept-Encoding", enc)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != 200 {
		err = &statusError{resp.StatusCode, ""}
	}
	return n, resp.Header.Get("Content-Encoding"), err
}

// getEncoded requests u accepting enc, and reads the body as sent.
func getEncoded(c *http.Client, u, enc string) (int64, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept-Encoding", enc)
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != 200 {
		err = &statusError{resp.StatusCode, ""}
	}
	return n, err
}

// depositIDs returns the ids of the OGC deposits collection.
func depositIDs(base string) ([]string, error) {
	resp, err := http.Get(base + "/ogc/collections/deposits/items?limit=1000")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct{ Features []struct{ ID string } }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	var ids []string
	for _, f := range out.Features {
		ids = append(ids, f.ID)
	}
	if len(ids) == 0 {
		return nil, errors.New("no deposits")
	}
	return ids, nil
}

// startProbe asks /healthz every 200 ms until the returned function is
// called, which reports the slowest answer and the failures.
func startProbe(base string) func() (time.Duration, int) {
	stop := make(chan struct{})
	var worst atomic.Int64
	var failed atomic.Int32
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c := &http.Client{Timeout: 30 * time.Second}
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			t0 := time.Now()
			if _, err := get(c, base+"/healthz"); err != nil {
				failed.Add(1)
			}
			if d := int64(time.Since(t0)); d > worst.Load() {
				worst.Store(d)
			}
		}
	}()
	return func() (time.Duration, int) {
		close(stop)
		wg.Wait()
		return time.Duration(worst.Load()), int(failed.Load())
	}
}

type result struct {
	n, errors  int
	errorKinds map[string]int
	elapsed    time.Duration
	lat        []time.Duration
}

func (r result) p(q float64) string {
	if len(r.lat) == 0 {
		return "-"
	}
	i := int(float64(len(r.lat)-1) * q / 100)
	return r.lat[i].Round(100 * time.Microsecond).String()
}

// hammer runs clients loops of requests for dur.
func hammer(clients int, dur time.Duration, do func(c *http.Client, i int) error) result {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	return hammerWith(&http.Client{Transport: tr, Timeout: 30 * time.Second}, clients, dur, do)
}

// hammerWith runs clients loops of requests for dur, on c.
func hammerWith(c *http.Client, clients int, dur time.Duration, do func(c *http.Client, i int) error) result {
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var mu sync.Mutex
	res := result{errorKinds: map[string]int{}}
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var lat []time.Duration
			kinds := map[string]int{}
			for i := w; ctx.Err() == nil; i += clients {
				t0 := time.Now()
				if err := do(c, i); err != nil {
					kinds[errorKind(err)]++
					continue
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			for k, n := range kinds {
				res.errors += n
				res.errorKinds[k] += n
			}
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.n = len(res.lat)
	sort.Slice(res.lat, func(i, j int) bool { return res.lat[i] < res.lat[j] })
	return res
}

func get(c *http.Client, u string) (int64, error) {
	resp, err := c.Get(u)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != 200 {
		err = &statusError{resp.StatusCode, ""}
	}
	return n, err
}

// post sends a JSON body and reads the answer, which must be a 200.
func post(c *http.Client, u, body string) error {
	resp, err := c.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != 200 {
		var e struct{ Code, Message string }
		json.Unmarshal(b, &e)
		err = &statusError{resp.StatusCode, e.Code}
	}
	return err
}

// statusError is an answer other than 200.
type statusError struct {
	status int
	code   string
}

func (e *statusError) Error() string { return fmt.Sprintf("status %d %s", e.status, e.code) }

// errorKind groups errors for the report: by status and code, or the
// transport's error.
func errorKind(err error) string {
	var se *statusError
	if errors.As(err, &se) {
		return se.Error()
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}

func snapshotDates(base string) ([]string, error) {
	resp, err := http.Get(base + "/api/v1/snapshots")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct{ Snapshots []struct{ Date string } }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	var dates []string
	for _, s := range out.Snapshots {
		dates = append(dates, s.Date)
	}
	if len(dates) == 0 {
		return nil, errors.New("no snapshots")
	}
	return dates, nil
}

// startServer serves a fresh database seeded from the embedded dataset on
// a free loopback port.
func startServer() (*server.Server, func(), error) {
	dir, err := os.MkdirTemp("", "nadra-load")
	if err != nil {
		return nil, nil, err
	}
	db := sqlite.NewDB(filepath.Join(dir, "nadra.db"))
	if err := db.Open(); err != nil {
		return nil, nil, err
	}
	cleanup := func() { db.Close(); os.RemoveAll(dir) }
	// The seed and the wiring are nadra's own (dataset.Seed, wire.Server),
	// licences included.
	sd, err := dataset.Seed()
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	if _, err := db.ImportSeed(context.Background(), sd); err != nil {
		cleanup()
		return nil, nil, err
	}
	s := server.NewServer()
	s.Addr = "127.0.0.1:0"
	s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil)) // one line per request would dominate
	if err := wire.Server(s, wire.SQLite(db)); err != nil {
		cleanup()
		return nil, nil, err
	}
	if err := s.Open(); err != nil {
		cleanup()
		return nil, nil, err
	}
	return s, func() { s.Close(); cleanup() }, nil
}

func runtimeCPUs() int { return runtime.NumCPU() }

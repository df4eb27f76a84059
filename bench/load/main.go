// Command load is a bounded loopback load test of nadra serve: N clients
// request the deposits list and the map SVG (walking the snapshots, as the
// slider does) for a fixed time, then it reports requests per second and
// the 50th and 99th percentile latencies per route, and checks that the
// server still answers /healthz.
//
//	go run ./bench/load                       # an in-process server on a free port
//	go run ./bench/load -url http://127.0.0.1:8080 -c 50 -d 10s
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
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"time"

	"nadra/dataset"
	"nadra/server"
	"nadra/sqlite"
)

func main() {
	target := flag.String("url", "", "base URL of a running nadra serve on loopback (default: start one in-process)")
	clients := flag.Int("c", 50, "concurrent clients (at most 200)")
	dur := flag.Duration("d", 10*time.Second, "duration per route (at most 60s)")
	flag.Parse()
	if err := run(*target, *clients, *dur); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(target string, clients int, dur time.Duration) error {
	if clients < 1 || clients > 200 {
		return errors.New("-c must be 1 to 200")
	}
	if dur <= 0 || dur > time.Minute {
		return errors.New("-d must be more than 0 and at most 60s")
	}
	if target == "" {
		s, cleanup, err := startServer()
		if err != nil {
			return err
		}
		defer cleanup()
		target = s.URL()
	}
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%s is not a loopback address; this load test only targets this machine", u.Hostname())
	}
	dates, err := snapshotDates(target)
	if err != nil {
		return err
	}
	fmt.Printf("nadra load test: %s, %d clients, %v per route, %d CPUs\n\n", target, clients, dur, runtimeCPUs())
	fmt.Printf("%-28s %9s %9s %9s %9s %7s\n", "route", "requests", "req/s", "p50", "p99", "errors")
	routes := []struct {
		name string
		path func(i int) string
	}{
		{"GET /api/v1/deposits", func(i int) string { return "/api/v1/deposits" }},
		{"GET /map.svg (54 dates)", func(i int) string { return "/map.svg?date=" + dates[i%len(dates)] }},
	}
	// Warm the caches once per date, as a running server would be.
	for _, d := range dates {
		if _, err := get(http.DefaultClient, target+"/map.svg?date="+d); err != nil {
			return err
		}
	}
	for _, rt := range routes {
		r := hammer(target, clients, dur, rt.path)
		fmt.Printf("%-28s %9d %9.0f %9s %9s %7d\n", rt.name, r.n, float64(r.n)/r.elapsed.Seconds(), r.p(50), r.p(99), r.errors)
	}
	if _, err := get(http.DefaultClient, target+"/healthz"); err != nil {
		return fmt.Errorf("server down after the load: %w", err)
	}
	fmt.Println("\n/healthz answers 200 after the load: the server stayed up.")
	return nil
}

type result struct {
	n, errors int
	elapsed   time.Duration
	lat       []time.Duration
}

func (r result) p(q float64) string {
	if len(r.lat) == 0 {
		return "-"
	}
	i := int(float64(len(r.lat)-1) * q / 100)
	return r.lat[i].Round(100 * time.Microsecond).String()
}

// hammer runs clients loops of requests for dur.
func hammer(base string, clients int, dur time.Duration, path func(int) string) result {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var mu sync.Mutex
	var res result
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var lat []time.Duration
			errs := 0
			for i := w; ctx.Err() == nil; i += clients {
				t0 := time.Now()
				if _, err := get(c, base+path(i)); err != nil {
					errs++
					continue
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			res.errors += errs
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
		err = fmt.Errorf("%s: status %d", u, resp.StatusCode)
	}
	return n, err
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
	ds, err := dataset.Default()
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	sup, err := dataset.Supply()
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	if err := db.ImportSeed(context.Background(), sqlite.Seed{Version: ds.SHA256, Commodities: ds.Commodities,
		Deposits: ds.Deposits, Estimates: ds.Estimates, Snapshots: ds.Snapshots, Supply: sup}); err != nil {
		cleanup()
		return nil, nil, err
	}
	b, err := dataset.Boundaries()
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	s := server.NewServer()
	s.Addr = "127.0.0.1:0"
	s.Logger = slog.New(slog.NewTextHandler(io.Discard, nil)) // one line per request would dominate
	s.Deposits, s.Snapshots, s.Commodities, s.Boundaries = sqlite.NewDepositService(db), sqlite.NewSnapshotService(db), sqlite.NewCommodityService(db), b
	s.Supply = sqlite.NewSupplyService(db)
	if err := s.Open(); err != nil {
		cleanup()
		return nil, nil, err
	}
	return s, func() { s.Close(); cleanup() }, nil
}

func runtimeCPUs() int { return runtime.NumCPU() }

package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"nadra/internal/numfmt"
)

// The comparison with CrunchyData's pg_featureserv (bench/featureserv.sh):
// the same queries against nadra serve and pg_featureserv, both on one
// PostGIS database, after checking that both answer with the same
// features, properties and coordinates; then each query, plain and with
// gzip accepted, loaded in turns, nadra first: A B A B A B.
//
//	go run ./bench/load -url http://127.0.0.1:8080 -featureserv http://127.0.0.1:9000 -c 50 -d 5s -rounds 3

// eastBBox is eastern Ukraine: Kharkiv, Luhansk and Donetsk oblasts and the
// east of Zaporizhzhia and Dnipropetrovsk.
const eastBBox = "35,46.5,40.3,50.5"

// abQuery is one query of the comparison, as each server spells it: the
// path and query of request i.
type abQuery struct {
	name      string
	nadra, fs func(i int) string
	// items queries answer a FeatureCollection; the others one feature.
	items bool
}

// featureservQueries are the compared queries. schema is where the
// benchmark's tables are, which pg_featureserv names its collections
// after (featureserv.deposits); ids are the deposits', which the single
// feature cycles through on both servers alike.
func featureservQueries(schema string, ids []string) []abQuery {
	n := func(p string) func(int) string { return func(int) string { return "/ogc/collections/" + p } }
	f := func(p string) func(int) string { return func(int) string { return "/collections/" + schema + "." + p } }
	return []abQuery{
		{name: "deposits/items?limit=100", items: true, nadra: n("deposits/items?limit=100"), fs: f("deposits/items?limit=100")},
		{name: "deposits/items?bbox=" + eastBBox, items: true, nadra: n("deposits/items?bbox=" + eastBBox), fs: f("deposits/items?bbox=" + eastBBox)},
		{name: fmt.Sprintf("deposits/items/{id} (%d ids in turn)", len(ids)),
			nadra: func(i int) string { return "/ogc/collections/deposits/items/" + url.PathEscape(ids[i%len(ids)]) },
			fs: func(i int) string {
				return "/collections/" + schema + ".deposits/items/" + url.PathEscape(ids[i%len(ids)])
			}},
		{name: "oblasts/items", items: true, nadra: n("oblasts/items"), fs: f("oblasts/items")},
	}
}

// compareFeatureserv checks that nadra at nadraURL and pg_featureserv at
// fsURL answer every query alike, then loads each in turns and prints a
// markdown table.
func compareFeatureserv(nadraURL, fsURL, schema string, clients int, dur time.Duration, rounds int) error {
	if clients < 1 || clients > 200 {
		return errors.New("-c must be 1 to 200")
	}
	if dur <= 0 || dur > time.Minute {
		return errors.New("-d must be more than 0 and at most 60s")
	}
	if rounds < 1 || rounds > 10 {
		return errors.New("-rounds must be 1 to 10")
	}
	if nadraURL == "" {
		return errors.New("-featureserv needs -url, the nadra serve to compare")
	}
	for _, u := range []string{nadraURL, fsURL} {
		if _, cleanup, err := loopbackTarget(u); err != nil {
			return err
		} else {
			cleanup()
		}
	}
	ids, err := depositIDs(nadraURL)
	if err != nil {
		return fmt.Errorf("nadra: %w", err)
	}
	qs := featureservQueries(schema, ids)
	if err := checkEquivalent(nadraURL, fsURL, qs, len(ids)); err != nil {
		return err
	}
	fmt.Printf("\nnadra %s against pg_featureserv %s: %d keep-alive clients, %v a turn, %d turns each (A B A B …), %d CPUs\n",
		nadraURL, fsURL, clients, dur, rounds, runtimeCPUs())
	fmt.Printf("load average before: %s\n\n", loadAverage())
	fmt.Println("| query | Accept-Encoding | nadra req/s | pg_featureserv req/s | nadra ÷ pg_featureserv | nadra p50 / p99 | pg_featureserv p50 / p99 | nadra bytes | pg_featureserv bytes |")
	fmt.Println("|---|---|--:|--:|--:|--:|--:|--:|--:|")
	var turns []string
	failed := 0
	for _, q := range qs {
		for _, enc := range []string{"", "gzip"} {
			// Warm both: nadra builds each response once, pg_featureserv
			// plans its queries and fills its pool.
			for i := 0; i < len(ids); i++ {
				abRun(nadraURL, q.nadra, enc, 1, 0, i)
				abRun(fsURL, q.fs, enc, 1, 0, i)
				if q.items {
					break
				}
			}
			var a, b []abResult
			for r := 0; r < rounds; r++ {
				a = append(a, abRun(nadraURL, q.nadra, enc, clients, dur, -1))
				b = append(b, abRun(fsURL, q.fs, enc, clients, dur, -1))
			}
			na, fa := mergeAB(a), mergeAB(b)
			ratio := "-"
			if fa.rate() > 0 {
				ratio = fmt.Sprintf("%.1f×", na.rate()/fa.rate())
			}
			ae := enc
			if ae == "" {
				ae = "none"
			}
			fmt.Printf("| %s | %s | %s | %s | %s | %s / %s | %s / %s | %s | %s |\n", q.name, ae,
				numfmt.Thousands(na.rate()), numfmt.Thousands(fa.rate()), ratio,
				na.p(50), na.p(99), fa.p(50), fa.p(99), na.bytesCell(), fa.bytesCell())
			turns = append(turns, fmt.Sprintf("%s, %s: nadra %s; pg_featureserv %s", q.name, ae, turnRates(a), turnRates(b)))
			for _, r := range []struct {
				who string
				r   abResult
			}{{"nadra", na}, {"pg_featureserv", fa}} {
				for msg, n := range r.r.errorKinds {
					fmt.Fprintf(os.Stderr, "%s, %s, %s: %d× %s\n", q.name, ae, r.who, n, msg)
					failed += n
				}
			}
		}
	}
	fmt.Printf("\nload average after: %s\n\nreq/s of each turn:\n", loadAverage())
	for _, t := range turns {
		fmt.Println("  " + t)
	}
	if failed > 0 {
		return fmt.Errorf("%d requests failed (above)", failed)
	}
	return nil
}

// abResult is one turn of load on one server.
type abResult struct {
	result
	bytes, encoded int64 // bytes of the bodies as sent; responses with a Content-Encoding
}

func (r abResult) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.n) / r.elapsed.Seconds()
}

// bytesCell is the mean body on the wire, with the share compressed.
func (r abResult) bytesCell() string {
	if r.n == 0 {
		return "-"
	}
	s := numfmt.Thousands(float64(r.bytes) / float64(r.n))
	switch {
	case r.encoded == int64(r.n):
		s += " gzip"
	case r.encoded > 0:
		s += fmt.Sprintf(" (%d%% gzip)", r.encoded*100/int64(r.n))
	}
	return s
}

func turnRates(rs []abResult) string {
	var out []string
	for _, r := range rs {
		out = append(out, numfmt.Thousands(r.rate()))
	}
	return strings.Join(out, ", ")
}

// mergeAB pools the turns: requests over the time they took, and the
// percentiles of every latency.
func mergeAB(rs []abResult) abResult {
	m := abResult{result: result{errorKinds: map[string]int{}}}
	for _, r := range rs {
		m.n += r.n
		m.errors += r.errors
		m.elapsed += r.elapsed
		m.lat = append(m.lat, r.lat...)
		m.bytes += r.bytes
		m.encoded += r.encoded
		for k, n := range r.errorKinds {
			m.errorKinds[k] += n
		}
	}
	sort.Slice(m.lat, func(i, j int) bool { return m.lat[i] < m.lat[j] })
	return m
}

// abRun loads base with path's requests from clients keep-alive clients
// for dur, accepting enc ("" for none). With dur 0 it sends the one
// request only, number only.
func abRun(base string, path func(int) string, enc string, clients int, dur time.Duration, only int) abResult {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var nbytes, encoded atomic.Int64
	do := func(c *http.Client, i int) error {
		req, err := http.NewRequest(http.MethodGet, base+path(i), nil)
		if err != nil {
			return err
		}
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		n, err := io.Copy(io.Discard, resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = &statusError{resp.StatusCode, ""}
		}
		if got := resp.Header.Get("Content-Encoding"); err == nil && got != "" && got != enc {
			err = fmt.Errorf("answered with Content-Encoding %q to Accept-Encoding %q", got, enc)
		}
		if err != nil {
			return err
		}
		nbytes.Add(n)
		if resp.Header.Get("Content-Encoding") != "" {
			encoded.Add(1)
		}
		return nil
	}
	if dur == 0 {
		do(c, only)
		return abResult{}
	}
	r := hammerWith(c, clients, dur, do)
	return abResult{result: r, bytes: nbytes.Load(), encoded: encoded.Load()}
}

// geoFeature is what the check compares of a feature.
type geoFeature struct {
	ID         any            `json:"id"`
	Geometry   any            `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

// checkEquivalent asks both servers each query, plain and with gzip
// accepted, and checks they answer the same features (ids, and how many),
// with the same properties and coordinates. pg_featureserv lists the id
// column among the properties too; that one is left out. The single
// feature is checked for every id.
func checkEquivalent(nadraURL, fsURL string, qs []abQuery, nids int) error {
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 30 * time.Second}
	for _, q := range qs {
		n := 1
		if !q.items {
			n = nids
		}
		count := 0
		for i := 0; i < n; i++ {
			for _, enc := range []string{"", "gzip"} {
				a, err := fetchFeatures(c, nadraURL+q.nadra(i), enc, q.items)
				if err != nil {
					return fmt.Errorf("nadra: %w", err)
				}
				b, err := fetchFeatures(c, fsURL+q.fs(i), enc, q.items)
				if err != nil {
					return fmt.Errorf("pg_featureserv: %w", err)
				}
				if err := sameFeatures(a, b); err != nil {
					return fmt.Errorf("%s (request %d, Accept-Encoding %q): nadra and pg_featureserv differ: %w", q.name, i, enc, err)
				}
				if len(a) == 0 {
					return fmt.Errorf("%s: no features; the benchmark needs some", q.name)
				}
				count = len(a)
			}
		}
		what := fmt.Sprintf("%d features", count)
		if !q.items {
			what = fmt.Sprintf("each of %d ids", n)
		}
		fmt.Printf("same answer from both, plain and gzip: %s (%s)\n", q.name, what)
	}
	return nil
}

// fetchFeatures gets u accepting enc, and decodes its features (one when
// items is false), decompressing gzip itself.
func fetchFeatures(c *http.Client, u, enc string, items bool) ([]geoFeature, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if enc != "" {
		req.Header.Set("Accept-Encoding", enc)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: status %d: %.200s", u, resp.StatusCode, body)
	}
	switch ce := resp.Header.Get("Content-Encoding"); ce {
	case "":
	case "gzip":
		if enc != "gzip" {
			return nil, fmt.Errorf("%s: gzip sent though not accepted", u)
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", u, err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			return nil, fmt.Errorf("%s: gzip: %w", u, err)
		}
	default:
		return nil, fmt.Errorf("%s: Content-Encoding %q", u, ce)
	}
	if !items {
		var f geoFeature
		if err := json.Unmarshal(body, &f); err != nil {
			return nil, fmt.Errorf("%s: %w", u, err)
		}
		return []geoFeature{f}, nil
	}
	var fc struct{ Features []geoFeature }
	if err := json.Unmarshal(body, &fc); err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	return fc.Features, nil
}

// sameFeatures compares nadra's features a with pg_featureserv's b as
// sets by id: the same ids, and for each the same geometry (coordinates
// as numbers) and properties.
func sameFeatures(a, b []geoFeature) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d features against %d", len(a), len(b))
	}
	byID := map[string]geoFeature{}
	for _, f := range b {
		id := fmt.Sprint(f.ID)
		if p, ok := f.Properties["id"]; ok && fmt.Sprint(p) == id {
			delete(f.Properties, "id")
		}
		byID[id] = f
	}
	for _, f := range a {
		id := fmt.Sprint(f.ID)
		g, ok := byID[id]
		if !ok {
			return fmt.Errorf("feature %q missing from pg_featureserv's answer", id)
		}
		if !reflect.DeepEqual(f.Geometry, g.Geometry) {
			return fmt.Errorf("feature %q: geometry %.200v against %.200v", id, f.Geometry, g.Geometry)
		}
		if len(f.Properties) != len(g.Properties) {
			return fmt.Errorf("feature %q: %d properties against %d", id, len(f.Properties), len(g.Properties))
		}
		for k, v := range f.Properties {
			if w, ok := g.Properties[k]; !ok || !reflect.DeepEqual(v, w) {
				return fmt.Errorf("feature %q: property %s is %#v against %#v", id, k, v, w)
			}
		}
	}
	return nil
}

// loadAverage is /proc/loadavg's 1, 5 and 15 minute load, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

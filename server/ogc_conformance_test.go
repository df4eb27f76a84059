package server_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
)

// rawGet sends a GET with the given headers and reads the body as sent
// (no transparent decompression).
func rawGet(t testing.TB, u string, headers ...string) Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Response{resp.StatusCode, resp.Header, b}
}

// TestOGC_StatusCodes: every status code as OGC API - Features Part 1
// (OGC 17-069r4) has it: 404 for an unknown collection or feature (not
// 400), 400 for an unknown query parameter (/req/core/query-param-unknown)
// or a bad value (/req/core/query-param-invalid), a limit over the
// maximum taken as the maximum, 405 for another method, 304 for a
// matching If-None-Match.
func TestOGC_StatusCodes(t *testing.T) {
	s := MustOpenServer(t, nil)
	for _, tt := range []struct {
		method, path string
		status       int
		want         string // in the error message
	}{
		{"GET", "/ogc", 200, ""},
		{"GET", "/ogc/", 200, ""},
		{"GET", "/ogc/conformance", 200, ""},
		{"GET", "/ogc/collections", 200, ""},
		{"GET", "/ogc/api", 200, ""},
		{"GET", "/ogc/collections/deposits", 200, ""},
		{"GET", "/ogc/collections/deposits/queryables", 200, ""},
		{"GET", "/ogc/collections/deposits/items", 200, ""},
		{"GET", "/ogc/collections/deposits/items/dobra", 200, ""},
		{"GET", "/ogc/collections/nope", 404, `No collection "nope"`},
		{"GET", "/ogc/collections/nope/items", 404, `No collection "nope"`},
		{"GET", "/ogc/collections/nope/items/dobra", 404, `No collection "nope"`},
		{"GET", "/ogc/collections/nope/queryables", 404, `No collection "nope"`},
		{"GET", "/ogc/collections/deposits/items/nope", 404, `No feature "nope" in deposits`},
		{"GET", "/ogc/collections/oblasts/items/UA-99", 404, `No feature "UA-99"`},
		{"GET", "/ogc/collections/control-areas/items/2025-02-02_occupied", 404, "2025-02-02_occupied"},
		{"GET", "/ogc/collections/deposits/items?unknownQueryParameter98765=1", 400, "unknownQueryParameter98765: no such parameter"},
		{"GET", "/ogc/collections?unknownQueryParameter98765=1", 400, "no such parameter"},
		{"GET", "/ogc/collections/deposits/items?limit=0", 400, "limit"},
		{"GET", "/ogc/collections/deposits/items?limit=ten", 400, "limit"},
		{"GET", "/ogc/collections/deposits/items?limit=5000", 200, ""},
		{"GET", "/ogc/collections/deposits/items?offset=-1", 400, "offset"},
		{"GET", "/ogc/collections/deposits/items?bbox=1,2,3", 400, "bbox"},
		{"GET", "/ogc/collections/deposits/items?bbox=40,50,30,45", 400, "bbox"},
		{"GET", "/ogc/collections/deposits/items?datetime=2025-02-30", 400, "there is no 30 February 2025"},
		{"GET", "/ogc/collections/deposits/items?datetime=../..", 400, "open at both ends"},
		{"GET", "/ogc/collections/deposits/items?f=xml", 400, "f: "},
		{"GET", "/ogc/collections/deposits/items?sortby=colour", 400, `sortby: deposits has no property "colour"`},
		{"GET", "/ogc/collections/deposits/items?properties=name,colour", 400, `properties: deposits has no property "colour"`},
		{"GET", "/ogc/collections/deposits/items?status=captured", 400, "status: \"captured\" is not one of"},
		{"GET", "/ogc/collections/deposits/items?uncertain=maybe", 400, "uncertain"},
		{"GET", "/ogc/collections/deposits/items?iso=UA-14", 400, "iso: no such parameter here"},
		{"GET", "/ogc/collections/deposits/items?limit=1&limit=2", 400, "given 2 times with different values"},
		{"GET", "/ogc/collections/deposits/items?limit=1&limit=1", 200, ""},
		{"POST", "/ogc/collections/deposits/items", 405, "Method POST not allowed"},
		{"DELETE", "/ogc/collections/deposits/items/dobra", 405, "not allowed"},
	} {
		r := s.Do(t, tt.method, tt.path, nil)
		if r.Status != tt.status {
			t.Errorf("%s %s: %d, want %d: %.300s", tt.method, tt.path, r.Status, tt.status, r.Body)
			continue
		}
		if tt.want != "" {
			var e struct{ Code, Message string }
			r.JSON(t, &e)
			if !strings.Contains(e.Message, tt.want) {
				t.Errorf("%s %s: message %q lacks %q", tt.method, tt.path, e.Message, tt.want)
			}
		}
	}
	// A limit over the maximum is the maximum, not an error.
	var page ogcItems
	s.Get(t, "/ogc/collections/control-areas/items?limit=5000").JSON(t, &page)
	if page.NumberReturned != min(1000, page.NumberMatched) || page.NumberMatched < 100 || !strings.Contains(page.Links.href("self"), "limit=1000") {
		t.Errorf("limit=5000: %d of %d returned, self %q; want limit 1000", page.NumberReturned, page.NumberMatched, page.Links.href("self"))
	}
	// HEAD: the headers, no body.
	if r := s.Do(t, "HEAD", "/ogc/collections/deposits/items", nil); r.Status != 200 || len(r.Body) != 0 || r.Header.Get("Etag") == "" {
		t.Errorf("HEAD: %d, %d bytes, ETag %q", r.Status, len(r.Body), r.Header.Get("Etag"))
	}
}

// TestOGC_Conformance runs the assertions of the Part 1 test suite that
// can be automated against nadra: the landing page's links and what they
// lead to, the conformance classes, a valid collection description with
// extents, and paging through every collection by next links, with
// numberMatched and numberReturned adding up and no next link at the end.
func TestOGC_Conformance(t *testing.T) {
	s := MustOpenServer(t, nil)
	var landing struct {
		Title string
		Links []struct{ Href, Rel, Type string }
	}
	s.Get(t, "/ogc").JSON(t, &landing)
	rels := map[string]string{}
	for _, l := range landing.Links {
		rels[l.Rel] = l.Href
		// /req/core/root-success: every link resolves, as the type it says.
		r := s.Get(t, strings.TrimPrefix(l.Href, s.URL()))
		if r.Status != 200 || !strings.HasPrefix(l.Href, s.URL()) {
			t.Errorf("landing link %s %s: %d", l.Rel, l.Href, r.Status)
			continue
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, strings.Split(l.Type, ";")[0]) {
			t.Errorf("landing link %s: Content-Type %q, the link says %q", l.Rel, ct, l.Type)
		}
	}
	for _, rel := range []string{"self", "service-desc", "service-doc", "conformance", "data"} {
		if rels[rel] == "" {
			t.Errorf("the landing page has no %s link", rel)
		}
	}
	var conf struct{ ConformsTo []string }
	s.Get(t, "/ogc/conformance").JSON(t, &conf)
	for _, c := range []string{"ogcapi-features-1/1.0/conf/core", "ogcapi-features-1/1.0/conf/geojson", "ogcapi-features-1/1.0/conf/oas30",
		"ogcapi-features-3/1.0/conf/queryables", "ogcapi-features-3/1.0/conf/queryables-query-parameters"} {
		if !strings.Contains(strings.Join(conf.ConformsTo, " "), "http://www.opengis.net/spec/"+c) {
			t.Errorf("conformance lacks %s", c)
		}
	}
	var snaps struct{ Snapshots []struct{ Date string } }
	s.Get(t, "/api/v1/snapshots").JSON(t, &snaps)
	first, last := snaps.Snapshots[0].Date, snaps.Snapshots[len(snaps.Snapshots)-1].Date
	var cols struct {
		Links       []struct{ Href, Rel string }
		Collections []struct {
			ID     string
			Links  ogcLinks
			Extent struct {
				Spatial  struct{ BBox [][]float64 }
				Temporal *struct{ Interval [][]*string }
			}
		}
	}
	s.Get(t, "/ogc/collections").JSON(t, &cols)
	for _, c := range cols.Collections {
		if c.Links.href("self") == "" || c.Links.href("items") == "" || c.Links.href("http://www.opengis.net/def/rel/ogc/1.0/queryables") == "" {
			t.Errorf("%s: links %+v", c.ID, c.Links)
		}
		if len(c.Extent.Spatial.BBox) != 1 || len(c.Extent.Spatial.BBox[0]) != 4 {
			t.Errorf("%s: bbox %v", c.ID, c.Extent.Spatial.BBox)
		}
		// The temporal extent is the snapshots' first and last dates.
		temporal := c.ID == "deposits" || c.ID == "control-areas"
		switch {
		case temporal && (c.Extent.Temporal == nil || *c.Extent.Temporal.Interval[0][0] != first+"T00:00:00Z" || *c.Extent.Temporal.Interval[0][1] != last+"T00:00:00Z"):
			t.Errorf("%s: temporal extent %+v, want %s to %s", c.ID, c.Extent.Temporal, first, last)
		case !temporal && c.Extent.Temporal != nil:
			t.Errorf("%s has a temporal extent", c.ID)
		}
		// Page through by next links: /req/core/fc-links, fc-next-1..3,
		// fc-numberMatched, fc-numberReturned, fc-timeStamp.
		next := c.Links.href("items") + "?limit=17"
		total, matched, pages := 0, -1, 0
		seen := map[string]bool{}
		for next != "" {
			pages++
			r := s.Get(t, strings.TrimPrefix(next, s.URL()))
			if r.Status != 200 || r.Header.Get("Content-Type") != "application/geo+json" {
				t.Fatalf("%s: %d %s", next, r.Status, r.Header.Get("Content-Type"))
			}
			var page struct {
				Type           string
				TimeStamp      string
				NumberMatched  int
				NumberReturned int
				Links          ogcLinks
				Features       []struct {
					Type, ID string
					Geometry json.RawMessage
				}
			}
			r.JSON(t, &page)
			if _, err := time.Parse(time.RFC3339, page.TimeStamp); err != nil || page.Type != "FeatureCollection" {
				t.Fatalf("%s: type %q, timeStamp %q", next, page.Type, page.TimeStamp)
			}
			if page.NumberReturned != len(page.Features) || page.Links.href("self") == "" {
				t.Fatalf("%s: numberReturned %d for %d features; self %q", next, page.NumberReturned, len(page.Features), page.Links.href("self"))
			}
			if matched >= 0 && page.NumberMatched != matched {
				t.Fatalf("%s: numberMatched changed from %d to %d", next, matched, page.NumberMatched)
			}
			matched = page.NumberMatched
			for _, f := range page.Features {
				if f.Type != "Feature" || f.ID == "" || seen[f.ID] {
					t.Fatalf("%s: feature %q (type %q) missing or repeated", next, f.ID, f.Type)
				}
				seen[f.ID] = true
			}
			total += page.NumberReturned
			next = page.Links.href("next")
			if next == "" && total != matched {
				t.Fatalf("%s: no next link after %d of %d features", c.ID, total, matched)
			}
			if pages > 1000 {
				t.Fatalf("%s: paging does not end", c.ID)
			}
		}
		if want := (matched + 16) / 17; pages != max(1, want) {
			t.Errorf("%s: %d pages of 17 for %d features, want %d", c.ID, pages, matched, want)
		}
	}
}

// TestOGC_ControlAreasDatetime: an instant gives the snapshot in force on
// it, the latest on or before it (by the snapshot list, asked separately),
// also between two snapshots; an interval, every snapshot in it, three
// layers each at most.
func TestOGC_ControlAreasDatetime(t *testing.T) {
	s := MustOpenServer(t, nil)
	var snaps struct{ Snapshots []struct{ Date string } }
	s.Get(t, "/api/v1/snapshots").JSON(t, &snaps)
	dates := []string{}
	for _, x := range snaps.Snapshots {
		dates = append(dates, x.Date)
	}
	inForce := func(d string) string {
		i := sort.SearchStrings(dates, d+"~") - 1 // the last date ≤ d
		return dates[i]
	}
	for _, instant := range []string{"2025-02-12", dates[10], dayBefore(t, dates[11]), "2025-02-12T23:59:59Z", "2030-01-01"} {
		var page ogcItems
		s.Get(t, "/ogc/collections/control-areas/items?datetime="+url.QueryEscape(instant)).JSON(t, &page)
		want := inForce(instant[:10])
		if page.NumberMatched < 1 || page.NumberMatched > 3 {
			t.Fatalf("%s: %d areas", instant, page.NumberMatched)
		}
		for _, f := range page.Features {
			if f.Properties["date"] != want || !strings.HasPrefix(f.ID, want+"_") {
				t.Errorf("datetime %s: area %s of %v, want the snapshot of %s", instant, f.ID, f.Properties["date"], want)
			}
		}
	}
	var page ogcItems
	s.Get(t, "/ogc/collections/control-areas/items?limit=1000&datetime="+dates[3]+"/"+dates[6]).JSON(t, &page)
	got := map[string]bool{}
	for _, f := range page.Features {
		got[f.Properties["date"].(string)] = true
	}
	if len(got) != 4 || !got[dates[3]] || !got[dates[6]] {
		t.Errorf("interval %s/%s: snapshots %v", dates[3], dates[6], got)
	}
	if r := s.Get(t, "/ogc/collections/control-areas/items?datetime=2021-01-01"); r.Status != 404 {
		t.Errorf("before the first snapshot: %d %s", r.Status, r.Body)
	}
}

func dayBefore(t testing.TB, d string) string {
	tm, err := time.Parse("2006-01-02", d)
	if err != nil {
		t.Fatal(err)
	}
	return tm.AddDate(0, 0, -1).Format("2006-01-02")
}

// TestOGC_QueryablesSortbyProperties: the queryables are a JSON Schema of
// the properties items filter on; each filter keeps exactly the features
// whose property equals the value (counted here from the unfiltered
// page); sortby orders, unknown values last either way; properties keeps
// only the properties named.
func TestOGC_QueryablesSortbyProperties(t *testing.T) {
	s := MustOpenServer(t, nil)
	r := s.Get(t, "/ogc/collections/deposits/queryables")
	var q struct {
		Schema     string `json:"$schema"`
		ID         string `json:"$id"`
		Type       string
		Properties map[string]struct {
			Type string
			Enum []string
		}
	}
	r.JSON(t, &q)
	if r.Header.Get("Content-Type") != "application/schema+json" || q.Type != "object" || !strings.Contains(q.Schema, "json-schema.org") || !strings.HasSuffix(q.ID, "/ogc/collections/deposits/queryables") {
		t.Fatalf("queryables: %s %+v", r.Header.Get("Content-Type"), q)
	}
	for _, p := range []string{"status", "oblast", "stage", "uncertain", "name"} {
		if _, ok := q.Properties[p]; !ok {
			t.Errorf("queryables lack %s", p)
		}
	}
	var all ogcItems
	s.Get(t, "/ogc/collections/deposits/items?limit=1000").JSON(t, &all)
	for _, f := range []struct{ k, v string }{{"status", "occupied"}, {"status", "controlled"}, {"oblast", "UA-14"}, {"uncertain", "true"}, {"stage", "producing"}} {
		want := 0
		for _, x := range all.Features {
			if got := x.Properties[f.k]; got == f.v || (got == true && f.v == "true") {
				want++
			}
		}
		var page ogcItems
		s.Get(t, "/ogc/collections/deposits/items?limit=1000&"+f.k+"="+f.v).JSON(t, &page)
		if page.NumberMatched != want || want == 0 {
			t.Errorf("%s=%s: %d matched, want %d", f.k, f.v, page.NumberMatched, want)
		}
		for _, x := range page.Features {
			if got := x.Properties[f.k]; got != f.v && !(got == true && f.v == "true") {
				t.Errorf("%s=%s: feature %s has %v", f.k, f.v, x.ID, got)
			}
		}
	}
	// Two filters: AND.
	var both ogcItems
	s.Get(t, "/ogc/collections/deposits/items?status=occupied&oblast=UA-14").JSON(t, &both)
	for _, x := range both.Features {
		if x.Properties["status"] != "occupied" || x.Properties["oblast"] != "UA-14" {
			t.Errorf("status and oblast: %s is %v in %v", x.ID, x.Properties["status"], x.Properties["oblast"])
		}
	}

	var sorted ogcItems
	s.Get(t, "/ogc/collections/deposits/items?limit=1000&sortby=-in_situ_usd,name").JSON(t, &sorted)
	nulls := false
	for i, x := range sorted.Features {
		v, ok := x.Properties["in_situ_usd"].(float64)
		if !ok {
			nulls = true
			continue
		}
		if nulls {
			t.Fatalf("%s has a value after unknown values", x.ID)
		}
		if i > 0 {
			if p, ok := sorted.Features[i-1].Properties["in_situ_usd"].(float64); ok && p < v {
				t.Fatalf("%s (%g) after %s (%g): not descending", x.ID, v, sorted.Features[i-1].ID, p)
			}
		}
	}
	if !nulls {
		t.Errorf("no deposit without a value: the null ordering is untested")
	}
	var byName ogcItems
	s.Get(t, "/ogc/collections/oblasts/items?sortby=%2Bname").JSON(t, &byName) // "+name", encoded
	for i := 1; i < len(byName.Features); i++ {
		if byName.Features[i-1].Properties["name"].(string) > byName.Features[i].Properties["name"].(string) {
			t.Fatalf("oblasts by name: %v before %v", byName.Features[i-1].Properties["name"], byName.Features[i].Properties["name"])
		}
	}

	var some ogcItems
	s.Get(t, "/ogc/collections/deposits/items?limit=5&properties=name,status").JSON(t, &some)
	for _, x := range some.Features {
		if len(x.Properties) != 2 || x.Properties["name"] == nil || x.Properties["status"] == nil || x.ID == "" || len(x.Geometry) == 0 {
			t.Errorf("properties=name,status: %s has %v", x.ID, x.Properties)
		}
	}
	if !strings.Contains(some.Links.href("next"), "properties=name,status") {
		t.Errorf("next link drops properties: %s", some.Links.href("next"))
	}
	var none ogcItems
	s.Get(t, "/ogc/collections/deposits/items?limit=2&properties=").JSON(t, &none)
	if len(none.Features) != 2 || len(none.Features[0].Properties) != 0 {
		t.Errorf("properties=: %v", none.Features)
	}
	var one struct{ Properties map[string]any }
	s.Get(t, "/ogc/collections/deposits/items/dobra?properties=status").JSON(t, &one)
	if len(one.Properties) != 1 {
		t.Errorf("a feature with properties=status: %v", one.Properties)
	}
}

// TestOGC_ItemLookup: every deposit's feature, looked up directly, is the
// feature the items give it, on the latest snapshot and on a date.
func TestOGC_ItemLookup(t *testing.T) {
	s := MustOpenServer(t, nil)
	for _, dt := range []string{"", "2022-05-01"} {
		var all ogcItems
		s.Get(t, "/ogc/collections/deposits/items?limit=1000&datetime="+dt).JSON(t, &all)
		for _, f := range all.Features {
			var one struct {
				ID         string
				Geometry   json.RawMessage
				Properties map[string]any
			}
			s.Get(t, "/ogc/collections/deposits/items/"+f.ID+"?datetime="+dt).JSON(t, &one)
			a, _ := json.Marshal(f.Properties)
			b, _ := json.Marshal(one.Properties)
			if one.ID != f.ID || !bytes.Equal(a, b) || !bytes.Equal(f.Geometry, one.Geometry) {
				t.Fatalf("%s on %q: the item differs from the items' feature:\n%s\n%s", f.ID, dt, b, a)
			}
		}
	}
}

// TestCompression: a large answer comes compressed with the encoding the
// client prefers of those nadra has (zstd, then gzip), and decodes to the
// same bytes as uncompressed; a small one, or one to a client that
// accepts none, is not compressed; every compressible answer says Vary.
// The OGC answers keep one ETag across encodings, and If-None-Match
// gives a 304 without a body.
func TestCompression(t *testing.T) {
	s := MustOpenServer(t, nil)
	for _, path := range []string{"/ogc/collections/oblasts/items", "/api/v1/deposits", "/map.svg", "/deposits", "/api/v1/openapi.json", "/static/app.css"} {
		plain := rawGet(t, s.URL()+path)
		if plain.Status != 200 || plain.Header.Get("Content-Encoding") != "" || !strings.Contains(plain.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("%s plain: %d, Content-Encoding %q, Vary %q", path, plain.Status, plain.Header.Get("Content-Encoding"), plain.Header.Get("Vary"))
		}
		for _, tt := range []struct{ accept, want string }{
			{"gzip", "gzip"}, {"gzip, deflate, br, zstd", "zstd"}, {"zstd;q=0, gzip", "gzip"}, {"*", "zstd"}, {"gzip;q=0", ""}, {"identity", ""},
		} {
			r := rawGet(t, s.URL()+path, "Accept-Encoding", tt.accept)
			if got := r.Header.Get("Content-Encoding"); got != tt.want {
				t.Errorf("%s, Accept-Encoding %q: Content-Encoding %q, want %q", path, tt.accept, got, tt.want)
				continue
			}
			body := decode(t, tt.want, r.Body)
			if !bytes.Equal(body, plain.Body) && !strings.HasPrefix(path, "/ogc") {
				t.Errorf("%s %s: decodes to %d bytes, plain is %d", path, tt.want, len(body), len(plain.Body))
			}
			if strings.HasPrefix(path, "/ogc") && !sameFeatures(body, plain.Body) {
				t.Errorf("%s %s: decodes to other features", path, tt.want)
			}
			if tt.want != "" && len(r.Body)*2 > len(plain.Body) {
				t.Errorf("%s %s: %d bytes of %d: less than half saved", path, tt.want, len(r.Body), len(plain.Body))
			}
		}
	}
	if r := rawGet(t, s.URL()+"/healthz", "Accept-Encoding", "gzip"); r.Header.Get("Content-Encoding") != "" {
		t.Errorf("/healthz (%d bytes) compressed", len(r.Body))
	}
	if r := rawGet(t, s.URL()+"/api/v1/exports/deposits?format=xlsx", "Accept-Encoding", "gzip"); r.Header.Get("Content-Encoding") != "" {
		t.Errorf("an XLSX (a zip already) compressed again")
	}
	// One ETag for every encoding of a cached answer; a 304 for it.
	u := s.URL() + "/ogc/collections/oblasts/items"
	a, b := rawGet(t, u), rawGet(t, u, "Accept-Encoding", "gzip")
	etag := a.Header.Get("Etag")
	if etag == "" || b.Header.Get("Etag") != etag || a.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("ETags %q and %q, Cache-Control %q", etag, b.Header.Get("Etag"), a.Header.Get("Cache-Control"))
	}
	for _, inm := range []string{etag, strings.TrimPrefix(etag, "W/"), `"other", ` + etag, "*"} {
		r := rawGet(t, u, "If-None-Match", inm, "Accept-Encoding", "gzip")
		if r.Status != 304 || len(r.Body) != 0 || r.Header.Get("Etag") != etag {
			t.Errorf("If-None-Match %s: %d, %d bytes, ETag %q", inm, r.Status, len(r.Body), r.Header.Get("Etag"))
		}
	}
	if r := rawGet(t, u, "If-None-Match", `W/"other"`); r.Status != 200 {
		t.Errorf("a stale ETag: %d", r.Status)
	}
	// Another query is another answer.
	if r := rawGet(t, u+"?limit=3"); r.Header.Get("Etag") == etag {
		t.Errorf("limit=3 has the same ETag as the whole page")
	}
}

// decode undoes a Content-Encoding.
func decode(t testing.TB, enc string, b []byte) []byte {
	t.Helper()
	switch enc {
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return out
	case "zstd":
		d, err := zstd.NewReader(nil)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		out, err := d.DecodeAll(b, nil)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	return b
}

// sameFeatures compares two feature collections without their timeStamp.
func sameFeatures(a, b []byte) bool {
	var x, y map[string]any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	delete(x, "timeStamp")
	delete(y, "timeStamp")
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

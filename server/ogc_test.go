package server_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

type ogcLinks []struct{ Href, Rel, Type string }

func (l ogcLinks) href(rel string) string {
	for _, x := range l {
		if x.Rel == rel {
			return x.Href
		}
	}
	return ""
}

type ogcItems struct {
	Type     string
	Features []struct {
		ID         string
		Geometry   json.RawMessage
		Properties map[string]any
	}
	Links          ogcLinks
	NumberMatched  int
	NumberReturned int
}

func TestOGC(t *testing.T) {
	s := MustOpenServer(t, nil)
	var landing struct{ Links ogcLinks }
	s.Get(t, "/ogc").JSON(t, &landing)
	for _, rel := range []string{"self", "service-desc", "conformance", "data"} {
		if landing.Links.href(rel) == "" {
			t.Fatalf("landing page lacks a %s link: %+v", rel, landing.Links)
		}
	}
	var conf struct{ ConformsTo []string }
	s.Get(t, "/ogc/conformance").JSON(t, &conf)
	if !strings.Contains(strings.Join(conf.ConformsTo, " "), "conf/core") {
		t.Fatalf("%v", conf.ConformsTo)
	}
	var cols struct {
		Collections []struct {
			ID     string
			Links  ogcLinks
			Extent struct {
				Temporal *struct{ Interval [][]*string }
			}
		}
	}
	s.Get(t, "/ogc/collections").JSON(t, &cols)
	if len(cols.Collections) != 3 {
		t.Fatalf("%d collections", len(cols.Collections))
	}
	for _, c := range cols.Collections {
		if c.Links.href("items") == "" {
			t.Fatalf("%s has no items link", c.ID)
		}
		if r := s.Get(t, "/ogc/collections/"+c.ID); r.Status != 200 {
			t.Fatalf("%s: %d", c.ID, r.Status)
		}
	}

	t.Run("Paging", func(t *testing.T) {
		var page ogcItems
		r := s.Get(t, "/ogc/collections/deposits/items?limit=30&offset=30")
		if ct := r.Header.Get("Content-Type"); ct != "application/geo+json" {
			t.Fatalf("Content-Type %q", ct)
		}
		r.JSON(t, &page)
		n := shipped(t).Deposits
		if page.Type != "FeatureCollection" || page.NumberMatched != n || page.NumberReturned != 30 || len(page.Features) != 30 {
			t.Fatalf("matched %d, returned %d", page.NumberMatched, page.NumberReturned)
		}
		next, prev := page.Links.href("next"), page.Links.href("prev")
		if !strings.Contains(next, "offset=60") || !strings.Contains(prev, "offset=0") || !strings.HasPrefix(next, "http://") {
			t.Fatalf("next %q prev %q", next, prev)
		}
		// The last page: one feature from offset n-1.
		s.Get(t, "/ogc/collections/deposits/items?limit=30&offset="+strconv.Itoa(n-1)).JSON(t, &page)
		if page.NumberReturned != 1 || page.Links.href("next") != "" {
			t.Fatalf("last page: %d, next %q", page.NumberReturned, page.Links.href("next"))
		}
	})

	t.Run("Datetime", func(t *testing.T) {
		status := func(dt string) map[string]any {
			var page ogcItems
			s.Get(t, "/ogc/collections/deposits/items?limit=100&datetime="+dt).JSON(t, &page)
			for _, f := range page.Features {
				if f.ID == "shevchenkivske" {
					return f.Properties
				}
			}
			t.Fatalf("no shevchenkivske")
			return nil
		}
		early, late := status("2022-05-01"), status("2026-01-01T12:00:00Z")
		if early["snapshot"] != "2022-05-01" || late["snapshot"] != "2026-01-01" || early["status"] == late["status"] {
			t.Fatalf("shevchenkivske: %v then %v", early["status"], late["status"])
		}
		var ctl ogcItems
		s.Get(t, "/ogc/collections/control-areas/items?datetime=2025-02-12").JSON(t, &ctl)
		if ctl.NumberMatched < 2 || ctl.NumberMatched > 3 {
			t.Fatalf("control areas on one date: %d", ctl.NumberMatched)
		}
		for _, f := range ctl.Features {
			if f.Properties["date"] != "2025-02-01" || f.Properties["area_km2"].(float64) <= 0 {
				t.Fatalf("%+v", f.Properties)
			}
		}
		s.Get(t, "/ogc/collections/control-areas/items?datetime=2024-01-01/2024-12-31&limit=1").JSON(t, &ctl)
		if ctl.NumberMatched != 36 { // 12 snapshots × occupied, before 2022, grey
			t.Fatalf("control areas in 2024: %d", ctl.NumberMatched)
		}
		s.Get(t, "/ogc/collections/control-areas/items?datetime=yesterday").Err(t, 400, "invalid", "datetime")
	})

	t.Run("BBox", func(t *testing.T) {
		var page ogcItems
		s.Get(t, "/ogc/collections/oblasts/items?bbox=37.5,47.5,38,48").JSON(t, &page)
		if page.NumberMatched == 0 || page.NumberMatched > 4 {
			t.Fatalf("oblasts in a small box: %d", page.NumberMatched)
		}
		s.Get(t, "/ogc/collections/deposits/items?bbox=30,45,31").Err(t, 400, "invalid", "bbox")
	})

	t.Run("Item", func(t *testing.T) {
		var f struct {
			ID         string
			Properties map[string]any
			Links      ogcLinks
		}
		s.Get(t, "/ogc/collections/deposits/items/shevchenkivske?datetime=2022-05-01").JSON(t, &f)
		if f.ID != "shevchenkivske" || f.Properties["snapshot"] != "2022-05-01" || f.Links.href("self") == "" {
			t.Fatalf("%+v", f)
		}
		s.Get(t, "/ogc/collections/oblasts/items/UA-14").JSON(t, &f)
		if f.Properties["name"] != "Donetsk" {
			t.Fatalf("%+v", f.Properties)
		}
		s.Get(t, "/ogc/collections/control-areas/items/2025-02-01_occupied").JSON(t, &f)
		if f.Properties["status"] != "occupied" {
			t.Fatalf("%+v", f.Properties)
		}
		s.Get(t, "/ogc/collections/control-areas/items/2025-02-02_occupied").Err(t, 404, "not_found", "2025-02-02")
	})
}

// TestOGC_GDAL reads the OGC endpoint with GDAL's own client against a
// live server. CI installs gdal-bin; elsewhere the test skips.
func TestOGC_GDAL(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo not found: install gdal-bin (apt-get install -y gdal-bin) to run the GDAL client test")
	}
	s := MustOpenServer(t, nil)
	url := "OAPIF:" + s.URL() + "/ogc"
	out, err := exec.Command("ogrinfo", "-ro", "-so", url).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	t.Logf("ogrinfo %s:\n%s", url, out)
	for _, want := range []string{"deposits (title: Mineral deposits) (Point)", "oblasts (title: Oblasts) (Multi Polygon)", "control-areas (title: Control areas) (Multi Polygon)"} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("ogrinfo lacks %q", want)
		}
	}
	out, err = exec.Command("ogrinfo", "-ro", "-so", url, "deposits").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo deposits: %v\n%s", err, out)
	}
	n := shipped(t).Deposits
	for _, want := range []string{fmt.Sprintf("Feature Count: %d", n), "status: String", "distance_km: Real", "sources: String", "in_situ_usd: Real"} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("ogrinfo deposits lacks %q:\n%s", want, out)
		}
	}
	dst := filepath.Join(t.TempDir(), "out.geojson")
	out, err = exec.Command("ogr2ogr", "-f", "GeoJSON", dst, url, "deposits").CombinedOutput()
	if err != nil {
		t.Fatalf("ogr2ogr: %v\n%s", err, out)
	}
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Geometry   *struct{ Coordinates []float64 }
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	n, wantLocated := shipped(t).Deposits, shipped(t).Located
	if len(fc.Features) != n {
		t.Fatalf("ogr2ogr wrote %d features, want %d", len(fc.Features), n)
	}
	located := 0
	for _, f := range fc.Features {
		p := f.Properties
		if p["id"] == "" || p["name"] == "" || p["sources"] == "" || p["status"] == nil {
			t.Fatalf("feature lacks attributes: %v", p)
		}
		if f.Geometry != nil {
			located++
			if p["status"] == "unknown" {
				t.Fatalf("located deposit without a status: %v", p)
			}
		}
	}
	if located != wantLocated {
		t.Fatalf("%d located deposits, want %d", located, wantLocated)
	}
}

// TestOGC_GDALDatetimeProperties: GDAL reads control-areas with datetime
// and deposits with properties. GDAL's OAPIF driver repeats the query of
// its connection URL on every request it makes (the collection, the
// items, the API definition), so those routes accept the items'
// parameters. The areas are the snapshot in force on 2025-02-12, the
// latest on or before it by /api/v1/snapshots; the deposits carry only
// the properties asked for.
func TestOGC_GDALDatetimeProperties(t *testing.T) {
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Skip("ogr2ogr not found: install gdal-bin (apt-get install -y gdal-bin) to run the GDAL client test")
	}
	s := MustOpenServer(t, nil)
	var snaps struct{ Snapshots []struct{ Date string } }
	s.Get(t, "/api/v1/snapshots").JSON(t, &snaps)
	inForce := ""
	for _, x := range snaps.Snapshots {
		if x.Date <= "2025-02-12" {
			inForce = x.Date
		}
	}
	read := func(conn string) []map[string]any {
		t.Helper()
		dst := filepath.Join(t.TempDir(), "out.geojson")
		out, err := exec.Command("ogr2ogr", "-f", "GeoJSON", dst, conn).CombinedOutput()
		if err != nil {
			t.Fatalf("ogr2ogr %s: %v\n%s", conn, err, out)
		}
		b, err := os.ReadFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		var fc struct {
			Features []struct{ Properties map[string]any }
		}
		if err := json.Unmarshal(b, &fc); err != nil {
			t.Fatal(err)
		}
		var props []map[string]any
		for _, f := range fc.Features {
			props = append(props, f.Properties)
		}
		return props
	}
	areas := read("OAPIF:" + s.URL() + "/ogc/collections/control-areas?datetime=2025-02-12")
	if len(areas) < 2 || len(areas) > 3 {
		t.Fatalf("GDAL read %d control areas for 2025-02-12, want the 2 or 3 layers of one snapshot", len(areas))
	}
	for _, p := range areas {
		if p["date"] != inForce || p["area_km2"].(float64) <= 0 {
			t.Errorf("GDAL: area %v of %v, want the snapshot of %s", p["status"], p["date"], inForce)
		}
	}
	deps := read("OAPIF:" + s.URL() + "/ogc/collections/deposits?properties=name,status")
	if n := shipped(t).Deposits; len(deps) != n {
		t.Fatalf("GDAL read %d deposits with properties, want %d", len(deps), n)
	}
	for _, p := range deps {
		delete(p, "id") // GDAL's own field for the feature id
		if len(p) != 2 || p["name"] == nil || p["status"] == nil {
			t.Fatalf("GDAL: a deposit with properties=name,status has %v", p)
		}
	}
}

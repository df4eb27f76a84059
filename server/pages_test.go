package server_test

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
)

// TestPages_Errors checks that the analysis pages show bad input as a 400
// page that names the parameter, and that the scenario map downloads.
func TestPages_Errors(t *testing.T) {
	s := MustOpenServer(t, nil)
	for _, tt := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"GET", "/timeline?from=yesterday", "", 400, "from: &#34;yesterday&#34; is not a date"},
		{"GET", "/timeline?commodity=unobtainium", "", 400, "commodity: unknown commodity"},
		{"GET", "/scenarios?expr=" + url.QueryEscape("occupied@latest | | oblast:UA-14"), "", 400, "expr: column 19"},
		{"GET", "/scenarios?expr=four-oblasts&baseline=donbas", "", 400, "baseline: column 1: unknown region"},
		{"POST", "/scenarios", "expr=" + url.QueryEscape("occupied@latest | file:drawn") + "&drawn_svg=1,2+3,4", 400, "at least 3 corners"},
		{"POST", "/scenarios", "expr=file:drawn&drawn_svg=1,2+3,4+x,y", 400, "drawn_svg: &#34;x,y&#34;"},
		{"POST", "/scenarios", "expr=file:drawn&drawn=" + url.QueryEscape(`{"type":"Point","coordinates":[30,48]}`), 400, "drawn: GeoJSON type"},
		{"GET", "/supply?commodity=copper", "", 400, "commodity: unknown commodity"},
		{"GET", "/supply?commodity=lithium&add_country=UA&add_qty=-5", "", 400, "must not be negative"},
		{"GET", "/supply?commodity=lithium&add_qty=5", "", 400, "add_country"},
		{"GET", "/supply?commodity=germanium&add_country=UA&add_qty=1", "", 400, "shares of world output only"},
		{"GET", "/supply?commodity=lithium&year=1999", "", 404, "years with data"},
		{"GET", "/scenarios", "", 200, "ceasefire"},
		{"GET", "/scenarios?expr=file:drawn&drawn=" + url.QueryEscape(`{"type":"Polygon","coordinates":[[`+strings.Repeat("[30.1,48.1],", 1700)+`[30.1,48.1]]]}`), "", 400, "drawn: 20448 bytes of GeoJSON; at most 16384."},
		{"GET", "/scenarios?expr=" + url.QueryEscape("occupied@latest | file:drawn") + "&drawn=" + url.QueryEscape(`{"type":"Polygon","coordinates":[[[30.9,48.2],[31.2,48.2],[31.2,48.5],[30.9,48.5],[30.9,48.2]]]}`), "", 200, "Drawn area (file:drawn)"},
		{"POST", "/scenarios", "expr=" + url.QueryEscape("occupied@latest | file:drawn") + "&drawn_svg=" + url.QueryEscape("470,270 490,270 490,290 470,290"), 200, "Drawn area (file:drawn)"},
	} {
		var r Response
		if tt.method == "POST" {
			r = s.DoForm(t, tt.path, tt.body)
		} else {
			r = s.Get(t, tt.path)
		}
		if r.Status != tt.status || !bytes.Contains(r.Body, []byte(tt.want)) {
			t.Errorf("%s %s: %d, want %d with %q", tt.method, tt.path, r.Status, tt.status, tt.want)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s %s: Content-Type %q", tt.method, tt.path, ct)
		}
	}
	r := s.Get(t, "/scenarios/map.svg?expr=four-oblasts&download=1")
	if r.Status != 200 || r.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(r.Header.Get("Content-Disposition"), "nadra-scenario.svg") {
		t.Fatalf("map.svg: %d %v", r.Status, r.Header)
	}
	s.Get(t, "/scenarios/map.svg?expr=donbas").Err(t, 400, "invalid", "expr: column 1: unknown region")
}

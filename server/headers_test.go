package server_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"nadra/server"
)

// TestServer_SecurityHeaders checks the headers on every kind of
// response: page, JSON, SVG, static file, export, OGC, errors, redirect.
func TestServer_SecurityHeaders(t *testing.T) {
	s := MustOpenServer(t, nil)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/map", 200},
		{"GET", "/deposits/shevchenkivske", 200},
		{"GET", "/map.svg", 200},
		{"GET", "/static/app.css", 200},
		{"GET", "/static/map.js", 200},
		{"GET", "/api/v1/deposits?limit=1", 200},
		{"GET", "/api/v1/openapi.json", 200},
		{"GET", "/api/v1/exports/deposits?format=csv", 200},
		{"GET", "/api/v1/exports/access?format=xlsx", 200},
		{"GET", "/ogc/collections/oblasts/items?limit=1", 200},
		{"GET", "/ogc/api", 200},
		{"GET", "/healthz", 200},
		{"GET", "/", 302},
		{"GET", "/no-page", 404},
		{"GET", "/api/v1/nothing", 404},
		{"GET", "/static/", 404},
		{"DELETE", "/api/v1/deposits", 405},
		{"GET", "/api/v1/deposits?bbox=NaN,0,0,0", 400},
	} {
		req, err := http.NewRequest(p.method, s.URL()+p.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != p.status {
			t.Errorf("%s %s: status %d, want %d", p.method, p.path, resp.StatusCode, p.status)
		}
		for k, want := range map[string]string{
			"Content-Security-Policy": server.ContentSecurityPolicy,
			"X-Content-Type-Options":  "nosniff",
			"X-Frame-Options":         "DENY",
			"Referrer-Policy":         "same-origin",
		} {
			if got := resp.Header.Get(k); got != want {
				t.Errorf("%s %s: %s %q, want %q", p.method, p.path, k, got, want)
			}
		}
	}
	csp := server.ContentSecurityPolicy
	for _, want := range []string{"default-src 'self'", "script-src 'self';", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-") {
		t.Errorf("CSP %q allows unsafe-*", csp)
	}
}

// TestServer_InlineStyles checks that every inline <style> a page or SVG
// carries is allowed by a hash in the policy (the browser would drop it
// otherwise), and that pages have no inline script, event handler or
// style attribute, which the policy refuses.
func TestServer_InlineStyles(t *testing.T) {
	s := MustOpenServer(t, nil)
	styleRE := regexp.MustCompile(`(?s)<style>(.*?)</style>`)
	inline := regexp.MustCompile(`(?i)<script>|<script [^>]*>[^<]|\son[a-z]+=|\sstyle=|javascript:`)
	for _, path := range []string{"/map", "/map.svg", "/deposits", "/deposits/shevchenkivske", "/timeline", "/claims", "/scenarios",
		"/scenarios?expr=four-oblasts", "/scenarios/map.svg?expr=four-oblasts", "/supply?commodity=lithium&add_country=UA&add_qty=40000",
		"/api", "/deal", "/deal/results", "/no-page"} {
		r := s.Get(t, path)
		if r.Status >= 500 {
			t.Fatalf("%s: %d", path, r.Status)
		}
		for _, m := range styleRE.FindAllSubmatch(r.Body, -1) {
			h := sha256.Sum256(m[1])
			if src := "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"; !strings.Contains(server.ContentSecurityPolicy, src) {
				t.Errorf("%s: <style> %.60q… is not allowed by the policy (%s)", path, m[1], src)
			}
		}
		if m := inline.Find(r.Body); m != nil {
			t.Errorf("%s: inline script or style %q", path, m)
		}
	}
}

// TestServer_StaticFilesOnly checks that /static/ serves files, not
// directory listings.
func TestServer_StaticFilesOnly(t *testing.T) {
	s := MustOpenServer(t, nil)
	s.Get(t, "/static/").Err(t, http.StatusNotFound, "not_found", "/static/")
	s.Get(t, "/static/nothing.css").Err(t, http.StatusNotFound, "not_found", "nothing.css")
	r := s.Get(t, "/static/app.css?v=1")
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") || r.Header.Get("Cache-Control") == "" {
		t.Fatalf("app.css: %d %q %q", r.Status, r.Header.Get("Content-Type"), r.Header.Get("Cache-Control"))
	}
	if r := s.Get(t, "/static/icon.svg"); r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "image/svg+xml") {
		t.Fatalf("icon.svg: %d %q", r.Status, r.Header.Get("Content-Type"))
	}
}

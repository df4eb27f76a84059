package server

import (
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"net/http"
	"strings"

	"nadra"
)

// ContentSecurityPolicy is the policy every response carries. The pages
// load their scripts and styles from /static only: no inline script, no
// inline event handler, no style attribute. The one exception is the
// <style> element of the map SVGs (a downloaded map keeps its look), which
// is allowed by its hash, so that any other inline style is still refused.
// Nothing is framed, and nothing is loaded from elsewhere: the dashboard
// works offline.
var ContentSecurityPolicy = strings.Join([]string{
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self' " + styleHash(mapStyle) + " " + styleHash(scenarioMapStyle),
	"img-src 'self'",
	"connect-src 'self'",
	"font-src 'self'",
	"object-src 'none'",
	"base-uri 'none'",
	"form-action 'self'",
	"frame-ancestors 'none'",
}, "; ")

// styleHash is the CSP source expression that allows one <style>
// element's exact content.
func styleHash(css string) string {
	h := sha256.Sum256([]byte(css))
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}

// securityHeaders sets the headers every response carries, pages, JSON,
// SVG, static files, exports, OGC and errors alike: the content security
// policy, no MIME sniffing, no framing (X-Frame-Options for browsers
// that predate frame-ancestors), and no referrer to other sites.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// handleStatic handles the "GET /static/" route: the embedded CSS, script
// and icon, by name; a directory is not a file (404, no listing). Names
// carry no version, so pages add ?v=hash.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	if st, err := fs.Stat(s.web.static, name); name == "" || !fs.ValidPath(name) || err != nil || !st.Mode().IsRegular() {
		s.Error(w, r, nadra.Errorf(nadra.ENOTFOUND, "No file %s; /static/ serves the dashboard's stylesheets, scripts and icon by name.", r.URL.Path))
		return
	}
	if r.URL.Query().Get("v") != "" {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	http.ServeFileFS(w, r, s.web.static, name)
}

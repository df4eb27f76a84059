package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"

	"nadra"
)

// The dashboard's sign-in. A person pastes their API token into the
// sign-in form; the server checks it and keeps it in a session cookie
// (HttpOnly, SameSite=Strict, Secure over TLS), which authenticates the
// dashboard's pages only, never /api or /ogc. Each request re-checks the
// token with the store, so a revoked or expired token ends the session at
// once, on every server of a deployment. Each form a signed-in page shows
// carries the session's CSRF token, the SHA-256 of the token's secret
// under a label: unguessable without the cookie, the same on every
// server, and checked on every form post together with
// http.CrossOriginProtection.

// sessionCookie names the session cookie.
const sessionCookie = "nadra_session"

// maxSession bounds a session's cookie: it ends after this long or when
// its token expires, whichever is first.
const maxSession = 12 * time.Hour

// sessionToken returns the token of the request's session cookie, or nil
// for none, or one that is not in force. A bad cookie counts as a failed
// authentication.
func (s *Server) sessionToken(r *http.Request) *nadra.Token {
	c, err := r.Cookie(sessionCookie)
	if err != nil || s.Tokens == nil {
		return nil
	}
	if !nadra.LooksLikeToken(c.Value) {
		s.authFailures.fail(clientIP(r), time.Now())
		return nil
	}
	if s.authFailures.blocked(clientIP(r), time.Now()) > 0 {
		return nil
	}
	t, err := s.Tokens.Authenticate(r.Context(), nadra.HashToken(c.Value))
	if err != nil {
		s.authFailures.fail(clientIP(r), time.Now())
		return nil
	}
	return t
}

// csrfToken is the CSRF token of the session whose cookie holds secret.
func csrfToken(secret string) string {
	h := sha256.Sum256([]byte("nadra csrf\x00" + secret))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// checkForm refuses a form post from another site, or without the CSRF
// token of the request's session (403).
func (s *Server) checkForm(r *http.Request, sent string) error {
	if err := s.crossOrigin.Check(r); err != nil {
		return nadra.Errorf(nadra.EFORBIDDEN, "Cross-site form refused (%v).", err)
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nadra.Errorf(nadra.EFORBIDDEN, "The form's session has ended; sign in again.")
	}
	if want := csrfToken(c.Value); subtle.ConstantTimeCompare([]byte(sent), []byte(want)) != 1 {
		return nadra.Errorf(nadra.EFORBIDDEN, "The form lacks this session's CSRF token (csrf); reload the page and send it again.")
	}
	return nil
}

// signinData is what the sign-in page shows.
type signinData struct {
	Next, Error string
	User        *nadra.Token
	CSRF        string
}

// safeNext returns next when it is a path on this server, else "/import".
func safeNext(next string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/import"
	}
	return next
}

// registerSigninRoutes registers the sign-in, sign-out and import pages.
func (s *Server) registerSigninRoutes() {
	s.handle("GET /signin", "page", s.handleSigninPage)
	s.handle("POST /signin", "page", s.handleSignin)
	s.handle("POST /signout", "page", s.handleSignout)
	s.handle("GET /import", "page", s.handleImportPage)
	s.handle("POST /import", "page", s.handleImportForm)
}

// handleSigninPage handles the "GET /signin" route.
func (s *Server) handleSigninPage(w http.ResponseWriter, r *http.Request) {
	d := signinData{Next: safeNext(r.URL.Query().Get("next")), User: tokenFrom(r.Context())}
	if c, err := r.Cookie(sessionCookie); err == nil && d.User != nil {
		d.CSRF = csrfToken(c.Value)
	}
	s.render(w, r, http.StatusOK, "signin", "Sign in", d)
}

// handleSignin handles the "POST /signin" route: a pasted token becomes
// the session's cookie. The form needs no CSRF token (there is no session
// yet), but a post from another site is refused.
func (s *Server) handleSignin(w http.ResponseWriter, r *http.Request) {
	d := signinData{Next: safeNext(r.PostFormValue("next"))}
	fail := func(status int, msg string) {
		d.Error = msg
		s.render(w, r, status, "signin", "Sign in", d)
	}
	if err := s.crossOrigin.Check(r); err != nil {
		fail(http.StatusForbidden, "Cross-site sign-in refused.")
		return
	}
	ip := clientIP(r)
	if wait := s.authFailures.blocked(ip, time.Now()); wait > 0 {
		w.Header().Set("Retry-After", tooManyFailures(wait).GetHeaders().Get("Retry-After"))
		fail(http.StatusTooManyRequests, tooManyFailures(wait).Message)
		return
	}
	secret := strings.TrimSpace(r.PostFormValue("token"))
	var tok *nadra.Token
	var err error
	switch {
	case !nadra.LooksLikeToken(secret):
		err = nadra.Errorf(nadra.EUNAUTHORIZED, "That is not a nadra token: it starts with nadra_ and has 43 more characters (nadra token create makes one).")
	case s.Tokens == nil:
		err = nadra.Errorf(nadra.EUNAUTHORIZED, "This server keeps no tokens.")
	default:
		tok, err = s.Tokens.Authenticate(r.Context(), nadra.HashToken(secret))
	}
	if err != nil {
		if nadra.ErrorCode(err) != nadra.EUNAUTHORIZED {
			s.pageError(w, r, err)
			return
		}
		s.authFailures.fail(ip, time.Now())
		fail(http.StatusUnauthorized, nadra.ErrorMessage(err))
		return
	}
	expires := time.Now().Add(maxSession)
	if tok.Expires.Before(expires) {
		expires = tok.Expires
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", Expires: expires, MaxAge: int(time.Until(expires).Seconds()),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

// handleSignout handles the "POST /signout" route.
func (s *Server) handleSignout(w http.ResponseWriter, r *http.Request) {
	if err := s.checkForm(r, r.PostFormValue("csrf")); err != nil {
		s.pageError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// importPageData is what the import page shows.
type importPageData struct {
	User   *nadra.Token
	CSRF   string
	Kinds  []string
	Kind   string
	Result *ImportOutput
	Error  string
}

// importPageUser returns the signed-in editor of an import page request,
// or redirects to the sign-in (no session) or answers 403 (another role).
func (s *Server) importPageUser(w http.ResponseWriter, r *http.Request) (*nadra.Token, string, bool) {
	tok := tokenFrom(r.Context())
	c, err := r.Cookie(sessionCookie)
	if tok == nil || err != nil {
		http.Redirect(w, r, "/signin?next=/import", http.StatusSeeOther)
		return nil, "", false
	}
	if _, err := requireRole(r.Context(), "The import page", nadra.AccountEditor); err != nil {
		s.pageError(w, r, err)
		return nil, "", false
	}
	return tok, csrfToken(c.Value), true
}

// handleImportPage handles the "GET /import" route: the upload form.
func (s *Server) handleImportPage(w http.ResponseWriter, r *http.Request) {
	tok, csrf, ok := s.importPageUser(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "import", "Import", importPageData{User: tok, CSRF: csrf, Kinds: importKinds, Kind: "deposits"})
}

// handleImportForm handles the "POST /import" route: the upload, through
// the same import as POST /api/v1/import/{kind}.
func (s *Server) handleImportForm(w http.ResponseWriter, r *http.Request) {
	tok, csrf, ok := s.importPageUser(w, r)
	if !ok {
		return
	}
	d := importPageData{User: tok, CSRF: csrf, Kinds: importKinds}
	mr, err := r.MultipartReader()
	if err != nil {
		s.pageError(w, r, nadra.Errorf(nadra.EINVALID, "The form is not a multipart upload: %v", err))
		return
	}
	in := ImportInput{}
	var sent string
	var fileName string
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		switch p.FormName() {
		case "csrf":
			sent = readSmall(p)
		case "kind":
			in.Kind = readSmall(p)
		case "date":
			in.Date = readSmall(p)
		case "file":
			// The CSRF token comes first in the form: no file is read
			// for a form without it.
			if err := s.checkForm(r, sent); err != nil {
				s.pageError(w, r, err)
				return
			}
			if in.RawBody, err = io.ReadAll(p); err != nil {
				s.pageError(w, r, err)
				return
			}
			fileName = p.FileName()
		}
	}
	if err := s.checkForm(r, sent); err != nil {
		s.pageError(w, r, err)
		return
	}
	d.Kind = in.Kind
	valid := false
	for _, k := range importKinds {
		valid = valid || k == in.Kind
	}
	if !valid {
		d.Error = "Choose what to import: " + strings.Join(importKinds, ", ") + "."
		s.render(w, r, http.StatusBadRequest, "import", "Import", d)
		return
	}
	if fileName != "" {
		in.File = safeFileName(fileName)
	}
	out, err := s.handleImport(r.Context(), &in)
	if err != nil {
		e := errorFor(err)
		s.logError(r, e, err)
		d.Error = e.Message
		s.render(w, r, e.status, "import", "Import", d)
		return
	}
	d.Result = out
	s.render(w, r, http.StatusOK, "import", "Import", d)
}

// readSmall reads a short form value.
func readSmall(p *multipart.Part) string {
	b, _ := io.ReadAll(io.LimitReader(p, 256))
	return strings.TrimSpace(string(b))
}

// safeFileName is a browser's file name without its folder.
func safeFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	return name
}

package server

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"nadra"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// Authentication. A client sends an API token (nadra token create) as
// "Authorization: Bearer nadra_…". authenticate reads it on every request:
// no header is an anonymous request, which may read (unless the server is
// Private) and may not write; a header that is not a token in force is a
// 401 at once, whatever the route, and counts against the client's
// failure budget (failLimiter). Each write route names the role it needs
// (requireRole), and refuses with 401 without a token and 403 with a token
// of another role, saying what is missing. Only the Authorization header
// is read there: a browser never sends it by itself, so no other site's
// page can make a browser write through the API. The dashboard's session
// cookie (signin.go) authenticates its pages only.

// bearerScheme is the OpenAPI security scheme of API tokens.
const bearerScheme = "bearer"

// bearerSchemeDoc describes it.
const bearerSchemeDoc = "An API token made with nadra token create --user NAME --role ROLE, sent as Authorization: Bearer nadra_… . " +
	"Roles: viewer (reads; needed only when the server runs with --private), analyst (also saves scenarios and drawn areas), " +
	"editor (also imports), party (posts ledger entries and co-signatures for its own party, US or UA), auditor (co-signs as auditor), " +
	"admin (what an editor does; lists and revokes tokens). A missing token on a write is a 401; an unknown, expired or revoked one a 401 on any route; " +
	"a token whose role does not allow the route a 403. Failed authentications are limited per client address (429 with Retry-After past the limit)."

// Defaults of the failure limiter: a client may fail authentication
// DefaultAuthBurst times at once, then once every DefaultAuthRefill.
const (
	DefaultAuthBurst  = 10
	DefaultAuthRefill = 6 * time.Second
)

type tokenKey struct{}

// tokenFrom returns the token a request was authenticated with, or nil.
func tokenFrom(ctx context.Context) *nadra.Token {
	t, _ := ctx.Value(tokenKey{}).(*nadra.Token)
	return t
}

// withToken returns ctx carrying t.
func withToken(ctx context.Context, t *nadra.Token) context.Context {
	return context.WithValue(ctx, tokenKey{}, t)
}

// unauthorized is a 401 for a missing or bad token, with the header that
// names the scheme.
func unauthorized(format string, args ...any) *ErrorResponse {
	return &ErrorResponse{Code: nadra.EUNAUTHORIZED, status: http.StatusUnauthorized, Message: fmt.Sprintf(format, args...),
		authenticate: `Bearer realm="nadra"`}
}

// publicPath reports whether a path is served to anyone even when the
// server is Private: the health check, the dashboard's static files and
// its icon and its sign-in page.
func publicPath(p string) bool {
	return p == "/healthz" || strings.HasPrefix(p, "/static/") || p == "/favicon.ico" || p == "/signin"
}

// authenticate reads the request's bearer token (or, on dashboard pages,
// its session: signin.go) and puts it in the request's context. On a
// private server a page without a session redirects to the sign-in.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		var tok *nadra.Token
		if h != "" {
			var err error
			if tok, err = s.checkBearer(r, h); err != nil {
				s.Error(w, r, err)
				return
			}
		} else if !apiPath(r.URL.Path) {
			tok = s.sessionToken(r)
		}
		if tok == nil && s.Private && !publicPath(r.URL.Path) {
			if !apiPath(r.URL.Path) && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.Error(w, r, unauthorized("This server is private: every request needs a token (viewer or any other role). Send Authorization: Bearer TOKEN; an admin makes one with nadra token create --user NAME --role viewer."))
			return
		}
		if tok != nil {
			r = r.WithContext(withToken(r.Context(), tok))
		}
		next.ServeHTTP(w, r)
	})
}

// apiPath reports whether p is under the JSON API or OGC API.
func apiPath(p string) bool {
	return p == APIPrefix || strings.HasPrefix(p, APIPrefix+"/") || p == OGCPrefix || strings.HasPrefix(p, OGCPrefix+"/")
}

// checkBearer checks an Authorization header: a failure is a 401 that
// counts against the client's budget, or a 429 once it is spent.
func (s *Server) checkBearer(r *http.Request, h string) (*nadra.Token, error) {
	ip := clientIP(r)
	if wait := s.authFailures.blocked(ip, time.Now()); wait > 0 {
		return nil, tooManyFailures(wait)
	}
	fail := func(err *ErrorResponse) (*nadra.Token, error) {
		if wait := s.authFailures.fail(ip, time.Now()); wait > 0 {
			return nil, tooManyFailures(wait)
		}
		return nil, err
	}
	scheme, secret, _ := strings.Cut(h, " ")
	secret = strings.TrimSpace(secret)
	switch {
	case !strings.EqualFold(scheme, "Bearer"):
		return fail(unauthorized("Authorization: expected \"Bearer\" and a token (nadra_…), got the scheme %.20q.", scheme))
	case !nadra.LooksLikeToken(secret):
		return fail(unauthorized("Authorization: the bearer token is not a nadra token (nadra_ and 43 characters); make one with nadra token create."))
	case s.Tokens == nil:
		return fail(unauthorized("This server keeps no tokens."))
	}
	t, err := s.Tokens.Authenticate(r.Context(), nadra.HashToken(secret))
	if err != nil {
		if nadra.ErrorCode(err) != nadra.EUNAUTHORIZED {
			return nil, err
		}
		return fail(unauthorized("Authorization: %s.", strings.TrimSuffix(nadra.ErrorMessage(err), ".")))
	}
	return t, nil
}

// tooManyFailures is the 429 of a client whose failure budget is spent.
func tooManyFailures(wait time.Duration) *ErrorResponse {
	return &ErrorResponse{Code: ETOOMANY, status: http.StatusTooManyRequests, retryAfter: wait,
		Message: fmt.Sprintf("Too many failed authentications from your address; try again in %d s.", int(math.Ceil(wait.Seconds())))}
}

// clientIP is the address the failure budget is kept for: the peer's. A
// server behind a proxy sees the proxy's address for every client, so
// there the proxy should limit failures itself (README, "Accounts").
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// requireRole returns the request's token when its role allows need:
// EUNAUTHORIZED without a token, EFORBIDDEN with a token of another role,
// each saying what is missing.
func requireRole(ctx context.Context, route, need string, also ...string) (*nadra.Token, error) {
	t := tokenFrom(ctx)
	names := append([]string{need}, also...)
	if t == nil {
		return nil, unauthorized("%s needs a token with the role %s: send Authorization: Bearer TOKEN (an admin makes one with nadra token create --user NAME --role %s).",
			route, strings.Join(names, " or "), need)
	}
	for _, n := range names {
		if nadra.RoleAllows(t.Role, n) {
			return t, nil
		}
	}
	return nil, nadra.Errorf(nadra.EFORBIDDEN, "%s needs the role %s; your token %s (%s) is %s.", route, strings.Join(names, " or "), t.ID, t.User, roleName(t))
}

func roleName(t *nadra.Token) string {
	if t.Party != "" {
		return "a party token of " + t.Party
	}
	return "a" + map[bool]string{true: "n", false: ""}[strings.ContainsRune("aeiou", rune(t.Role[0]))] + " " + t.Role + " token"
}

// needRole is a huma middleware that refuses a request without a token of
// one of the roles, before the body is read.
func (s *Server) needRole(need string, also ...string) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		r, w := humago.Unwrap(ctx)
		if _, err := requireRole(r.Context(), ctx.Operation().Method+" "+APIPrefix+ctx.Operation().Path, need, also...); err != nil {
			s.Error(w, r, err)
			return
		}
		next(ctx)
	}
}

// bearerSecurity is the OpenAPI security requirement of a route that
// needs a token.
var bearerSecurity = []map[string][]string{{bearerScheme: {}}}

// registerAuthScheme adds the bearer scheme to the OpenAPI document.
func (s *Server) registerAuthScheme() {
	oa := s.api.OpenAPI()
	if oa.Components.SecuritySchemes == nil {
		oa.Components.SecuritySchemes = map[string]*huma.SecurityScheme{}
	}
	oa.Components.SecuritySchemes[bearerScheme] = &huma.SecurityScheme{Type: "http", Scheme: "bearer", Description: bearerSchemeDoc}
}

// failLimiter is a token bucket per client address for failed
// authentications: each address may fail burst times, and regains one
// failure every refill.
type failLimiter struct {
	mu      sync.Mutex
	burst   float64
	refill  time.Duration
	buckets map[string]*bucket
}

type bucket struct {
	left float64 // failures the address may still make
	at   time.Time
}

// maxBuckets bounds the addresses kept; past it, the full buckets (which
// say nothing) are dropped.
const maxBuckets = 10000

func newFailLimiter(burst int, refill time.Duration) *failLimiter {
	return &failLimiter{burst: float64(burst), refill: refill, buckets: map[string]*bucket{}}
}

// level returns ip's bucket brought up to now, or nil if it is full.
func (l *failLimiter) level(ip string, now time.Time) *bucket {
	b := l.buckets[ip]
	if b == nil {
		return nil
	}
	b.left = math.Min(l.burst, b.left+float64(now.Sub(b.at))/float64(l.refill))
	b.at = now
	if b.left >= l.burst {
		delete(l.buckets, ip)
		return nil
	}
	return b
}

// blocked returns how long ip must wait before it may try again, or 0.
func (l *failLimiter) blocked(ip string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.level(ip, now); b != nil && b.left < 1 {
		return time.Duration((1 - b.left) * float64(l.refill))
	}
	return 0
}

// fail records a failure by ip; it returns how long ip must now wait when
// that failure spent its budget, or 0.
func (l *failLimiter) fail(ip string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.level(ip, now)
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			for k, v := range l.buckets {
				if l.level(k, now) == nil || v.left >= l.burst-1 {
					delete(l.buckets, k)
				}
			}
		}
		b = &bucket{left: l.burst, at: now}
		l.buckets[ip] = b
	}
	if b.left < 1 {
		return time.Duration((1 - b.left) * float64(l.refill))
	}
	b.left--
	return 0
}

// Package server is nadra's HTTP face: the JSON API under /api/v1 (with
// its OpenAPI document generated from the code by huma), OGC API -
// Features under /ogc for QGIS and GDAL, and the dashboard, whose maps
// and charts are SVG drawn by the render package. It wraps net/http so
// that cmd/nadra never imports it.
//
// Every resource registers its routes in one register…Routes function,
// and every error goes out through one funnel (Error, apiError) as JSON
// {code, message}.
//
// Adding a resource (the timeline, scenario, supply and simulation routes
// came this way):
//
//   - Give Server the service as an exported field (say Supply
//     nadra.SupplyService) and set it in cmd/nadra/serve.go.
//   - In a file named after the resource (server/supply.go), write
//     registerSupplyRoutes with register(s, s.api, huma.Operation{…},
//     s.handleSupplyView) per route, input and output structs whose tags
//     document the parameters, and call it from NewServer. The route then
//     appears in /api/v1/openapi.json, and TestOpenAPI checks that it does.
//   - Return *nadra.Error values (EINVALID naming the parameter, ENOTFOUND);
//     anything else is logged and answered as a 500 without internals.
//   - Long computations take the handler's context, which is cancelled
//     when the client goes away; WriteTimeout bounds the rest. Shared,
//     cached computations run on context.WithoutCancel, or, for scenario
//     evaluations, on a context that ends when the last client waiting
//     for them goes (sharedCache).
//   - Statuses on a date come from accessAt, which caches classifiers and
//     reports; statuses under a scenario from evalScenario, which caches
//     evaluations. Anything derived from the registry and the snapshots
//     is cached in a onceCache under accessCache.state's key, so an import
//     through the CLI shows within registryTTL, or at once when the store
//     has a change feed (Changes).
//   - A dashboard page is an entry in pages (web.go), a template
//     web/templates/NAME.html defining "content" (and "scripts" for its
//     script in web/static), a handler that calls s.render, and charts
//     drawn by the render package (wide and narrow, see chartHTML). A form
//     whose results should update in place carries data-swap="swap" and
//     its page a #swap region (web/static/swap.js).
package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"io/fs"
	"nadra"
	"nadra/deal"
	"nadra/internal/notice"
	"nadra/ledger"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// Defaults for a Server's limits.
const (
	DefaultMaxBodyBytes = 1 << 20 // 1 MiB
	DefaultReadTimeout  = 15 * time.Second
	DefaultWriteTimeout = 60 * time.Second // exports and simulations
	DefaultIdleTimeout  = 120 * time.Second
	// ShutdownTimeout bounds how long Close waits for requests in flight.
	ShutdownTimeout = 10 * time.Second
)

// APIPrefix is where the JSON API lives.
const APIPrefix = "/api/v1"

// Server serves nadra over HTTP. Fill in the services, then call Open.
type Server struct {
	// Addr is the TCP address to listen on, such as "127.0.0.1:8080", or
	// "127.0.0.1:0" for any free port.
	Addr    string
	Version string
	Logger  *slog.Logger

	Deposits    nadra.DepositService
	Snapshots   nadra.SnapshotService
	Commodities nadra.CommodityService
	Supply      nadra.SupplyService
	// Ledger is the ledger's log (sqlite.LedgerService).
	Ledger LedgerService
	// Licences is the licence register: for the deal model's eligibility,
	// the ledger's due (which receipts count) and the Flows page's
	// licences. The deal model answers 500 without it.
	Licences nadra.LicenceService
	// PublicJournal returns the public journal shipped with nadra
	// (dataset.Public), the views' journal=public; nil when the server
	// has none. Set by cmd/nadra: the server does not read the embedded
	// ledger data itself.
	PublicJournal func() (*ledger.PublicJournal, error)
	// Catalog holds the deal terms and the named scenarios (catalog.go).
	Catalog nadra.CatalogService
	// ModelParams returns the deal model's parameters (dataset.ModelParams),
	// set by cmd/nadra like PublicJournal.
	ModelParams func() (*deal.Params, error)
	// Claims returns the public claims register (dataset.Claims) that the
	// claims page tests, set by cmd/nadra like PublicJournal.
	Claims func() ([]*nadra.Claim, error)
	// ScenarioFiles holds the polygon files shipped for file:NAME,
	// NAME.geojson at its root (dataset.ScenarioFS); nil ships none. The
	// server reads no other files.
	ScenarioFiles fs.FS
	// DataParts are the embedded dataset's parts with their licences
	// (dataset.Parts), for the Data & API page's notice.
	DataParts []notice.Part
	// SnapshotsEmbedded tells whether this build carries the DeepState
	// snapshots (dataset.SnapshotsEmbedded), for the pages and the notice.
	SnapshotsEmbedded bool
	Watches           nadra.WatchService
	Fetches           nadra.FetchService
	// FeedKey names the Atom feed for good (sqlite.DB.FeedKey).
	FeedKey string
	// FetchEvery is nadra serve's --fetch-every, shown on the dashboard;
	// 0 when off.
	FetchEvery time.Duration
	// Boundaries are Ukraine's outline, oblasts, sea and borders.
	Boundaries *nadra.Boundaries
	// Changes, when set, tells the server of the writes to its store by
	// any process (postgres: LISTEN/NOTIFY; changes.go), so that it drops
	// what it cached at once, instead of re-reading every registryTTL.
	Changes nadra.ChangeFeed
	// Tokens authenticates bearer tokens (auth.go); without it every
	// request that needs a token is refused.
	Tokens nadra.TokenService
	// Audit keeps the audit trail: each write over HTTP appends a record
	// (audit.go), and GET /api/v1/audit lists them.
	Audit nadra.AuditStore
	// Private makes every read need a token too (nadra serve --private).
	Private bool
	// Import runs one import as the CLI does (cmd/nadra sets it); the
	// import routes answer 404 without it (imports.go).
	Import func(ctx context.Context, req ImportRequest) (nadra.ImportResult, error)

	// Limits; NewServer sets the defaults.
	MaxBodyBytes                           int64
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxSimulatePaths caps the paths of one simulation request, and
	// SimulateBudget bounds its time.
	MaxSimulatePaths int
	SimulateBudget   time.Duration
	// ScenarioBudget bounds the time of one scenario evaluation request.
	ScenarioBudget time.Duration
	// LedgerWriteBudget bounds one write to the ledger, waiting for the
	// write slot included.
	LedgerWriteBudget time.Duration
	// LedgerViewMax bounds the log's entries the accounting views are
	// computed over (DefaultLedgerViewMax).
	LedgerViewMax int

	mux    *http.ServeMux
	api    huma.API // /api/v1
	ogc    huma.API // /ogc
	routes []Route
	access *accessCache
	web    *web
	sim    *simulator

	// Results that change only with an import, keyed by the registry's
	// and the snapshot list's content (accessCache.state).
	timelines    *onceCache[*nadra.Timeline]
	claimReports *onceCache[*nadra.ClaimsReport]
	risks        *onceCache[*riskData]
	scenarios    *scenarioEvals
	supplyTables supplyCache
	// responses are whole responses kept with their encodings and ETags
	// (OGC items and features, the map SVG): respcache.go.
	responses *respCache

	// The ledger's writes go one at a time, and a few exports stream at
	// once; cross-site browser writes are refused (ledger.go).
	ledgerWrites, ledgerExports chan struct{}
	crossOrigin                 *http.CrossOriginProtection
	authFailures                *failLimiter // failed authentications per client address (auth.go)
	ledgerCorrections           correctionsCache
	ledgerLog                   logJournal // the log's entries, for the views

	started time.Time // the feed's updated time when it has no entries
	changes changeWatch

	ln       net.Listener
	srv      *http.Server
	serveErr chan error
	inFlight atomic.Int64
}

// Route is one route the server answers, for documentation and tests.
type Route struct {
	Method, Path string
	// API is "api" for the JSON API, "ogc" for OGC API - Features, "page"
	// for dashboard pages and "" for the rest.
	API string
}

// NewServer returns a server with its routes registered and default
// limits. Services are read at request time, so they may be set after.
func NewServer() *Server {
	s := &Server{
		Addr:         "127.0.0.1:8080",
		Version:      "dev",
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		MaxBodyBytes: DefaultMaxBodyBytes,
		ReadTimeout:  DefaultReadTimeout,
		WriteTimeout: DefaultWriteTimeout,
		IdleTimeout:  DefaultIdleTimeout,
		mux:          http.NewServeMux(),

		MaxSimulatePaths: DefaultMaxSimulatePaths,
		SimulateBudget:   DefaultSimulateBudget,
		sim:              newSimulator(),
		ScenarioBudget:   DefaultScenarioBudget,
		scenarios:        newScenarioEvals(),
	}
	s.access = newAccessCache(s)
	s.timelines = newOnceCache[*nadra.Timeline](4)
	s.claimReports = newOnceCache[*nadra.ClaimsReport](4)
	s.risks = newOnceCache[*riskData](4)
	s.responses = newRespCache(defaultRespCacheBytes)
	s.started = time.Now().UTC()
	s.authFailures = newFailLimiter(DefaultAuthBurst, DefaultAuthRefill)
	s.api = s.newAPI(APIPrefix, "nadra API",
		"JSON API of nadra: deposits with provenance, control snapshots and the access report (how much of Ukraine's mineral registry lies behind the front line). Every figure carries its source. Errors are {code, message}.")
	s.ogc = s.newAPI(OGCPrefix, "nadra OGC API - Features",
		"OGC API - Features (Part 1: Core) over nadra's deposits, oblasts and control areas, for QGIS and GDAL.")

	s.handle("GET /healthz", "", s.handleHealthz)
	s.registerAuthScheme()

	// The JSON API: one register…Routes per resource. Simulation routes
	// are added the same way.
	s.registerDepositRoutes()
	s.registerCommodityRoutes()
	s.registerSnapshotRoutes()
	s.registerAccessRoutes()
	s.registerTimelineRoutes()
	s.registerClaimsRoutes()
	s.registerScenarioRoutes()
	s.registerSupplyRoutes()
	s.registerExportRoutes()
	s.registerDealRoutes()
	s.registerLedgerRoutes()
	s.registerLedgerViewRoutes()
	s.registerRiskRoutes()
	s.registerWatchRoutes()
	s.registerImportRoutes()
	s.registerTokenRoutes()
	s.registerAudit([]int{http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests})

	s.registerOGCRoutes()
	s.registerDashboardRoutes()
	s.registerDealPageRoutes()
	s.registerFlowsPageRoutes()
	s.registerSigninRoutes()

	// Anything else: JSON 404 or 405 under /api and /ogc, an HTML 404
	// elsewhere.
	s.mux.HandleFunc("/api/", s.handleNotFound)
	s.mux.HandleFunc(OGCPrefix+"/", s.handleNotFound)

	// Every operation registered: what independent checkers ask of the
	// OpenAPI documents (openapidoc.go).
	s.completeOpenAPI(s.api)
	s.completeOpenAPI(s.ogc)
	return s
}

// newAPI returns a huma API mounted at prefix, without huma's docs page
// (it loads scripts from a CDN, and the dashboard works offline) and
// without $schema links in bodies.
func (s *Server) newAPI(prefix, title, desc string) huma.API {
	cfg := huma.DefaultConfig(title, s.Version)
	cfg.Info.Description = desc
	cfg.DocsPath = ""
	cfg.SchemasPath = ""
	cfg.CreateHooks = nil
	f := s.jsonFormat()
	cfg.Formats = map[string]huma.Format{
		"application/json":     f,
		"json":                 f,
		"application/geo+json": f,
	}
	if prefix == OGCPrefix {
		cfg.OpenAPIPath = "" // served by handleOGCAPI with the media type GDAL expects
	}
	cfg.Servers = []*huma.Server{{URL: prefix}}
	api := huma.NewAPI(cfg, rootAdapter{humago.NewAdapter(s.mux, prefix), s.mux, prefix})
	if prefix == APIPrefix {
		api.UseMiddleware(s.strictQuery)
	}
	return api
}

// jsonFormat is huma's JSON format, except that a body that does not
// encode is never sent as a 200. huma sets the status before it encodes
// the body and, when encoding fails (a NaN or an infinity in the output,
// which is a bug), would write "error marshaling response" under that
// status. Here the body is encoded first; on failure the status, which
// statusWriter holds back until the first byte, becomes a 500 with the
// usual JSON error, and the detail goes to the log.
func (s *Server) jsonFormat() huma.Format {
	return huma.Format{
		Marshal: func(w io.Writer, v any) error {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			err := enc.Encode(v)
			if err == nil {
				_, err = w.Write(buf.Bytes())
				return err
			}
			sw, ok := w.(*statusWriter)
			if !ok || !sw.reset() {
				return err // huma reports it; cannot happen behind Handler
			}
			s.Logger.Error("cannot encode response", "method", sw.req.Method, "path", sw.req.URL.Path, "err", err)
			sw.Header().Set("Content-Type", "application/json")
			sw.WriteHeader(http.StatusInternalServerError)
			_, err = io.WriteString(sw, internalErrorJSON+"\n")
			return err
		},
		Unmarshal: json.Unmarshal,
	}
}

// rootAdapter mounts an operation on "/" at exactly the prefix (and the
// prefix with a slash), where humago would register a pattern that
// matches every path under it.
type rootAdapter struct {
	huma.Adapter
	mux    *http.ServeMux
	prefix string
}

// Handle implements huma.Adapter.
func (a rootAdapter) Handle(op *huma.Operation, h func(huma.Context)) {
	if op.Path != "/" {
		a.Adapter.Handle(op, h)
		return
	}
	f := func(w http.ResponseWriter, r *http.Request) { h(humago.NewContext(op, r, w)) }
	a.mux.HandleFunc(op.Method+" "+a.prefix, f)
	a.mux.HandleFunc(op.Method+" "+a.prefix+"/{$}", f)
}

// register adds a JSON API operation, recording the route.
func register[I, O any](s *Server, api huma.API, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	prefix, kind := APIPrefix, "api"
	if api == s.ogc {
		prefix, kind = OGCPrefix, "ogc"
	}
	s.routes = append(s.routes, Route{Method: op.Method, Path: prefix + op.Path, API: kind})
	huma.Register(api, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			return nil, s.apiError(requestFrom(ctx), err)
		}
		return out, nil
	})
}

// handle adds a plain route ("GET /path") to the mux, recording it.
func (s *Server) handle(pattern, kind string, h http.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	s.routes = append(s.routes, Route{Method: method, Path: path, API: kind})
	s.mux.HandleFunc(pattern, h)
}

// Routes lists every route, sorted by path and method.
func (s *Server) Routes() []Route {
	out := append([]Route(nil), s.routes...)
	if s.api != nil {
		out = append(out, Route{"GET", APIPrefix + "/openapi.json", ""}, Route{"GET", APIPrefix + "/openapi.yaml", ""})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// OpenAPI returns the JSON API's OpenAPI document.
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

// Handler returns the server's handler with its middleware: compression,
// request logging, the security headers, panic recovery, authentication,
// the body limit and the OGC routes' parameter check.
func (s *Server) Handler() http.Handler {
	return s.compress(s.logRequests(s.securityHeaders(s.recoverPanics(s.authenticate(s.limitBody(s.ogcParamCheck(s.mux)))))))
}

// Open starts listening on Addr and serving in the background.
func (s *Server) Open() error {
	if s.Deposits == nil || s.Snapshots == nil || s.Commodities == nil || s.Supply == nil || s.Ledger == nil || s.Boundaries == nil {
		return fmt.Errorf("server: services and boundaries required")
	}
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return nadra.Errorf(nadra.EINVALID, "cannot listen on %s: %v", s.Addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       s.ReadTimeout,
		WriteTimeout:      s.WriteTimeout,
		IdleTimeout:       s.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
	s.serveErr = make(chan error, 1)
	go func() { s.serveErr <- s.srv.Serve(ln) }()
	s.watchChanges()
	return nil
}

// ListenAddr returns the address the server listens on, such as
// 0.0.0.0:8080, with the port chosen for port 0; nil before Open.
func (s *Server) ListenAddr() *net.TCPAddr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr().(*net.TCPAddr)
}

// URL returns a base URL that reaches the server from this machine, such
// as "http://127.0.0.1:8080": loopback when it listens on every interface.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	a := s.ln.Addr().(*net.TCPAddr)
	host := a.IP.String()
	if a.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(a.Port))
}

// Close stops accepting connections and waits up to ShutdownTimeout for
// requests in flight to finish.
func (s *Server) Close() error {
	if s.srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	s.stopWatching()
	if serr := <-s.serveErr; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	s.srv = nil
	return err
}

type ctxKey int

const requestKey ctxKey = 0

// requestFrom returns the request a context belongs to, for logging and
// links in huma handlers, which see only the context.
func requestFrom(ctx context.Context) *http.Request {
	if r, ok := ctx.Value(requestKey).(*http.Request); ok {
		return r
	}
	return &http.Request{Method: "?", URL: nil, Host: "localhost"}
}

// statusWriter records the status and size of a response. It holds the
// status back until the first byte of the body (or the handler's end), so
// that a response whose body turns out not to encode can still become a
// 500: see reset and jsonFormat.
type statusWriter struct {
	http.ResponseWriter
	req    *http.Request
	status int  // the status sent, or to send with the first byte
	sent   bool // the status line and headers are on the wire
	bytes  int64
}

// WriteHeader records the status; the first call wins, as in net/http.
func (w *statusWriter) WriteHeader(code int) {
	if code < 200 { // 1xx: informational, sent at once
		w.ResponseWriter.WriteHeader(code)
		return
	}
	if w.status == 0 {
		w.status = code
	}
}

// sendHeader sends the status and headers, 200 if none was set.
func (w *statusWriter) sendHeader() {
	if w.sent {
		return
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.sent = true
	w.ResponseWriter.WriteHeader(w.status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.sendHeader()
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Flush implements http.Flusher, sending the status first.
func (w *statusWriter) Flush() {
	w.sendHeader()
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// reset discards the status and the headers that describe a body, so that
// an error can be written instead; it reports false when the status has
// already been sent.
func (w *statusWriter) reset() bool {
	if w.sent {
		return false
	}
	w.status = 0
	h := w.Header()
	for _, k := range []string{"Content-Type", "Content-Length", "Content-Disposition", "Content-Encoding", "Etag", "Last-Modified", "Cache-Control", "Link"} {
		h.Del(k)
	}
	return true
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request with log/slog.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		r = r.WithContext(context.WithValue(r.Context(), requestKey, r))
		sw := &statusWriter{ResponseWriter: w, req: r}
		s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		next.ServeHTTP(sw, r)
		sw.sendHeader() // a status without a body (204, 304, a redirect without one)
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.Logger.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("query", r.URL.RawQuery),
			slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes),
			slog.Duration("duration", time.Since(start)), slog.String("remote", r.RemoteAddr))
	})
}

// recoverPanics turns a panic in a handler into a logged 500; the server
// keeps serving.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v) // the client went away; net/http handles it quietly
			}
			s.Logger.Error("panic in handler", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if sw, ok := w.(*statusWriter); ok && !sw.reset() {
				return // headers already sent: nothing more to say
			}
			s.writeJSON(w, r, http.StatusInternalServerError, &ErrorResponse{Code: nadra.EINTERNAL, Message: "Internal error."})
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody refuses bodies over MaxBodyBytes (an import's bound on the
// import routes): at once when the length is declared, and on reading
// otherwise.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.MaxBodyBytes
		if p := r.URL.Path; strings.HasPrefix(p, APIPrefix+"/import/") || p == "/import" {
			limit = max(limit, MaxImportBytes)
			if p == APIPrefix+"/import/control" || p == "/import" {
				limit = max(limit, MaxControlImportBytes)
			}
		}
		// An import without a token is refused (401) before its body is
		// read, whatever its length.
		anonymousImport := limit > s.MaxBodyBytes && tokenFrom(r.Context()) == nil
		if r.ContentLength > limit && !anonymousImport {
			s.Error(w, r, &http.MaxBytesError{Limit: limit})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// handleHealthz handles the "GET /healthz" route: 200 when the database
// answers.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Snapshots.FindSnapshots(r.Context()); err != nil {
		s.Error(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok", "version": s.Version})
}

// handleNotFound answers paths no route matches: 405 with Allow when the
// path exists for other methods, else 404; JSON under /api and /ogc.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	if allow := s.allowedMethods(r); len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.Error(w, r, errMethod(r, allow))
		return
	}
	s.Error(w, r, nadra.Errorf(nadra.ENOTFOUND, "No route %s; see %s/openapi.json and %s.", r.URL.Path, APIPrefix, OGCPrefix))
}

// allowedMethods returns the methods that have a route for r's path, other
// than r's own method.
func (s *Server) allowedMethods(r *http.Request) []string {
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pat := s.mux.Handler(probe); pat != "" && !strings.HasSuffix(pat, "/") {
			allow = append(allow, m)
		}
	}
	return allow
}

func errMethod(r *http.Request, allow []string) error {
	return &ErrorResponse{Code: EMETHODNOTALLOWED, status: http.StatusMethodNotAllowed,
		Message: fmt.Sprintf("Method %s not allowed on %s; use %s.", r.Method, r.URL.Path, strings.Join(allow, " or "))}
}

// internalErrorJSON is the body of a 500.
const internalErrorJSON = `{"code":"internal","message":"Internal error."}`

// writeJSON writes v as JSON with status. A value that does not encode (a
// NaN or an infinity) is a bug: it is logged and answered as a 500.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		s.Logger.Error("cannot encode response", "method", r.Method, "path", r.URL.Path, "err", err)
		status, b = http.StatusInternalServerError, []byte(internalErrorJSON)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"nadra"
	"nadra/dataset"
	"nadra/internal/wire"
	"nadra/mock"
	"nadra/server"
	"nadra/sqlite"
)

// seeded is a database seeded once from the embedded dataset; each test
// opens it again.
var seeded string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "nadra-server")
	if err != nil {
		panic(err)
	}
	seeded = filepath.Join(dir, "nadra.db")
	if err := seed(seeded); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func seed(path string) error {
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		return err
	}
	defer db.Close()
	sd, err := dataset.Seed()
	if err != nil {
		return err
	}
	_, err = db.ImportSeed(context.Background(), sd)
	return err
}

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServer is a server on a free loopback port over the seeded
// database, and its log.
type TestServer struct {
	*server.Server
	Log *syncBuffer
}

// MustOpenServer starts a server on 127.0.0.1:0. edit, if not nil, may
// replace services before it opens.
func MustOpenServer(tb testing.TB, edit func(*server.Server)) *TestServer {
	tb.Helper()
	db := sqlite.NewDB(seeded)
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	log := &syncBuffer{}
	s := server.NewServer()
	s.Addr = "127.0.0.1:0"
	s.Version = "test"
	s.Logger = slog.New(slog.NewTextHandler(log, nil))
	if err := wire.Server(s, wire.SQLite(db)); err != nil {
		tb.Fatal(err)
	}
	if edit != nil {
		edit(s)
	}
	if err := s.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Error(err)
		}
		db.Close()
	})
	return &TestServer{Server: s, Log: log}
}

// Response is a response read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends a request and reads the response.
func (s *TestServer) Do(tb testing.TB, method, path string, body io.Reader) Response {
	tb.Helper()
	req, err := http.NewRequest(method, s.URL()+path, body)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return Response{resp.StatusCode, resp.Header, b}
}

// DoForm posts a URL-encoded form.
func (s *TestServer) DoForm(tb testing.TB, path, form string) Response {
	tb.Helper()
	resp, err := http.Post(s.URL()+path, "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return Response{resp.StatusCode, resp.Header, b}
}

// Get is Do with GET.
func (s *TestServer) Get(tb testing.TB, path string) Response {
	tb.Helper()
	return s.Do(tb, "GET", path, nil)
}

// JSON decodes the body into v, failing the test on error.
func (r Response) JSON(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decode %q: %v", r.Body, err)
	}
}

// Err checks that the response is an error with status and code whose
// message contains want.
func (r Response) Err(tb testing.TB, status int, code, want string) {
	tb.Helper()
	var e struct{ Code, Message string }
	if r.Status != status {
		tb.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	r.JSON(tb, &e)
	if e.Code != code || !strings.Contains(e.Message, want) {
		tb.Fatalf("error %+v, want code %q and a message with %q", e, code, want)
	}
	if ct := r.Header.Get("Content-Type"); !strings.Contains(ct, "json") {
		tb.Fatalf("Content-Type %q, want JSON", ct)
	}
}

func TestServer_Healthz(t *testing.T) {
	s := MustOpenServer(t, nil)
	r := s.Get(t, "/healthz")
	if r.Status != 200 || !bytes.Contains(r.Body, []byte(`"ok"`)) {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	if !strings.Contains(s.Log.String(), "path=/healthz") {
		t.Fatalf("request not logged: %s", s.Log)
	}
}

func TestServer_Errors(t *testing.T) {
	s := MustOpenServer(t, nil)
	t.Run("BadParameter", func(t *testing.T) {
		s.Get(t, "/api/v1/deposits?limit=abc").Err(t, 400, "invalid", "limit")
		s.Get(t, "/api/v1/deposits?limit=5000").Err(t, 400, "invalid", "limit")
		s.Get(t, "/api/v1/deposits?status=lost").Err(t, 400, "invalid", "status")
		s.Get(t, "/api/v1/deposits?date=12-02-2025").Err(t, 400, "invalid", "date")
		s.Get(t, "/api/v1/deposits?bbox=1,2,3").Err(t, 400, "invalid", "bbox")
		s.Get(t, "/api/v1/deposits?commodity=unobtainium").Err(t, 400, "invalid", "commodity")
		s.Get(t, "/api/v1/deposits?oblast=Atlantis").Err(t, 400, "invalid", "oblast")
		s.Get(t, "/api/v1/exports/control?format=csv").Err(t, 400, "invalid", "format")
		s.Get(t, "/map.svg?date=yesterday").Err(t, 400, "invalid", "date")
	})
	t.Run("NotFound", func(t *testing.T) {
		s.Get(t, "/api/v1/deposits/no-such-deposit").Err(t, 404, "not_found", "no-such-deposit")
		s.Get(t, "/api/v1/nothing").Err(t, 404, "not_found", "/api/v1/nothing")
		s.Get(t, "/api/v1/access?date=2020-01-01").Err(t, 404, "not_found", "2022-02-23")
		s.Get(t, "/ogc/collections/nothing").Err(t, 404, "not_found", `No collection "nothing"`) // OGC API - Features Part 1: a 404
		s.Get(t, "/ogc/collections/deposits/items/nothing").Err(t, 404, "not_found", "nothing")
		if r := s.Get(t, "/no-page"); r.Status != 404 || !bytes.Contains(r.Body, []byte("No page at /no-page")) {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
	})
	t.Run("MethodNotAllowed", func(t *testing.T) {
		r := s.Do(t, "DELETE", "/api/v1/deposits", nil)
		r.Err(t, 405, "method_not_allowed", "GET")
		if r.Header.Get("Allow") != "GET" {
			t.Fatalf("Allow %q", r.Header.Get("Allow"))
		}
		if r := s.Do(t, "POST", "/map", nil); r.Status != 405 || r.Header.Get("Allow") != "GET" {
			t.Fatalf("POST /map: %d, Allow %q", r.Status, r.Header.Get("Allow"))
		}
	})
	t.Run("TooLarge", func(t *testing.T) {
		big := bytes.Repeat([]byte("x"), server.DefaultMaxBodyBytes+1)
		s.Do(t, "POST", "/api/v1/deposits", bytes.NewReader(big)).Err(t, 413, "too_large", "limit")
	})
}

func TestServer_Panic(t *testing.T) {
	s := MustOpenServer(t, func(s *server.Server) {
		real := s.Deposits
		s.Deposits = &mock.DepositService{
			FindDepositByIDFn: func(ctx context.Context, id string) (*nadra.Deposit, error) {
				if id == "boom" {
					panic("secret internals")
				}
				return real.FindDepositByID(ctx, id)
			},
			FindDepositsFn: real.FindDeposits,
			FindEstimatesFn: func(ctx context.Context, id string) ([]*nadra.Estimate, error) {
				if id == "shevchenkivske" {
					return nil, io.ErrUnexpectedEOF // an internal error
				}
				return real.FindEstimates(ctx, id)
			},
		}
	})
	r := s.Get(t, "/api/v1/deposits/boom")
	r.Err(t, 500, "internal", "Internal error.")
	if bytes.Contains(r.Body, []byte("secret")) {
		t.Fatalf("internals leaked: %s", r.Body)
	}
	if !strings.Contains(s.Log.String(), "secret internals") {
		t.Fatalf("panic not logged: %s", s.Log)
	}
	// An error that is not a *nadra.Error is a 500 without internals.
	r = s.Get(t, "/api/v1/deposits/shevchenkivske")
	r.Err(t, 500, "internal", "Internal error.")
	if bytes.Contains(r.Body, []byte("EOF")) {
		t.Fatalf("internals leaked: %s", r.Body)
	}
	// The server keeps serving.
	if r := s.Get(t, "/api/v1/deposits/azovske"); r.Status != 200 {
		t.Fatalf("after a panic: %d %s", r.Status, r.Body)
	}
}

// TestServer_WithoutInjected: what cmd/nadra injects (the claims
// register, the licence register) is never read behind the server's
// back: without it the route that needs it is an internal error, logged
// with the reason, and the rest keeps serving.
func TestServer_WithoutInjected(t *testing.T) {
	tests := []struct {
		name         string
		edit         func(*server.Server)
		method, path string
		body         string
		log          string
	}{
		{"claims", func(s *server.Server) { s.Claims = nil }, "GET", "/api/v1/claims", "", "the server has no claims register"},
		{"licences", func(s *server.Server) { s.Licences = nil }, "POST", "/api/v1/simulate", `{"paths": 100}`, "the server has no licence register"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustOpenServer(t, tt.edit)
			s.Do(t, tt.method, tt.path, strings.NewReader(tt.body)).Err(t, 500, "internal", "Internal error.")
			if !strings.Contains(s.Log.String(), tt.log) {
				t.Fatalf("log: got %q, want %q in it", s.Log, tt.log)
			}
			if r := s.Get(t, "/api/v1/deposits/azovske"); r.Status != 200 {
				t.Fatalf("after: %d %s", r.Status, r.Body)
			}
		})
	}
}

package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"nadra"
	"nadra/server"
)

// send sends a request with an Authorization header (none when auth is
// ""), bypassing the ledger tests' automatic tokens.
func send(t *testing.T, url, method, path, auth, ctype, body string) Response {
	t.Helper()
	req, err := http.NewRequest(method, url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: b.Bytes()}
}

// computations are the POST routes that compute an answer and store
// nothing: they need no token.
var computations = map[string]bool{
	"POST /api/v1/simulate":       true,
	"POST /api/v1/scenarios/eval": true,
	"POST /scenarios":             true, // the Scenarios page's form: an evaluation
}

// TestAuth_WriteRoutes: every route that is not a read or a computation
// refuses a request without a token with a 401 that names the role it
// needs and the Bearer scheme; a new write route fails this test until
// it does.
func TestAuth_WriteRoutes(t *testing.T) {
	ls := MustOpenLedgerServer(t, func(s *server.Server) {
		s.Import = func(context.Context, server.ImportRequest) (nadra.ImportResult, error) {
			t.Error("an import without a token reached the store")
			return nadra.ImportResult{}, nil
		}
	})
	writes := 0
	for _, r := range ls.Routes() {
		if r.Method == "GET" || r.Method == "HEAD" || computations[r.Method+" "+r.Path] || r.API == "page" {
			continue // the pages' forms: TestSignin_Forms
		}
		writes++
		path := strings.NewReplacer("{kind}", "deposits", "{id}", "tok_000000000000").Replace(r.Path)
		resp := send(t, ls.URL(), r.Method, path, "", "application/json", `{}`)
		resp.Err(t, 401, "unauthorized", "needs a token with the role")
		if h := resp.Header.Get("WWW-Authenticate"); h != `Bearer realm="nadra"` {
			t.Errorf("%s %s: WWW-Authenticate %q", r.Method, path, h)
		}
	}
	// POST /ledger/entries, /ledger/cosignatures, /import/{kind}; DELETE
	// /tokens/{id}.
	if writes != 4 {
		t.Fatalf("%d write routes, want 4", writes)
	}
}

// TestAuth_Ledger: a party token posts its own party's entries only, and
// adds its own party's co-signature; an auditor token an auditor's; other
// roles are 403, and unknown, malformed or revoked tokens 401.
func TestAuth_Ledger(t *testing.T) {
	ls := MustOpenLedgerServer(t, nil)
	ctx := context.Background()
	bearer := func(s string) string { return "Bearer " + s }
	post := func(auth, path, body string) Response {
		return send(t, ls.URL(), "POST", "/api/v1/ledger"+path, auth, "application/json", body)
	}
	us := postBody(sign(t, usCommit(), ls.US))
	post(bearer(ls.TokenEditor), "/entries", us).Err(t, 403, "forbidden", "needs the role party; your token")
	post(bearer(ls.TokenAuditor), "/entries", us).Err(t, 403, "forbidden", "is an auditor token")
	post(bearer(ls.TokenUA), "/entries", us).Err(t, 403, "forbidden", "entry 1 (us-2025-09-commit) is US's; your token")
	post(bearer("nadra_"+strings.Repeat("A", 43)), "/entries", us).Err(t, 401, "unauthorized", "not known to this server")
	post("Basic dXM6cGFzcw==", "/entries", us).Err(t, 401, "unauthorized", `expected "Bearer"`)
	if before := ls.state(t); !strings.HasPrefix(before, "0 entries") {
		t.Fatalf("refused posts changed the log: %s", before)
	}
	if r := post(bearer(ls.TokenUS), "/entries", us); r.Status != 201 {
		t.Fatalf("US's token posting US's entry: %d %s", r.Status, r.Body)
	}
	cp, _, err := ls.Store.Checkpoint(ctx, "nadra.test/log")
	if err != nil {
		t.Fatal(err)
	}
	byUS := cosignBody(ls.cosign(t, string(cp.Note), ls.US))
	post(bearer(ls.TokenUA), "/cosignatures", byUS).Err(t, 403, "forbidden", "carries no co-signature by UA")
	post(bearer(ls.TokenAuditor), "/cosignatures", byUS).Err(t, 403, "forbidden", "carries no auditor's co-signature")
	post(bearer(ls.TokenEditor), "/cosignatures", byUS).Err(t, 403, "forbidden", "needs the role party or auditor")
	if r := post(bearer(ls.TokenUS), "/cosignatures", byUS); r.Status != 200 {
		t.Fatalf("US co-signing: %d %s", r.Status, r.Body)
	}
	if r := post(bearer(ls.TokenAuditor), "/cosignatures", cosignBody(ls.cosign(t, string(cp.Note), ls.Auditor))); r.Status != 200 {
		t.Fatalf("the auditor co-signing: %d %s", r.Status, r.Body)
	}
	// A revoked token is refused at once.
	toks, _ := ls.Tokens.FindTokens(ctx)
	for _, tok := range toks {
		if tok.Party == nadra.PartyUA {
			if _, err := ls.Tokens.RevokeToken(ctx, tok.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	post(bearer(ls.TokenUA), "/entries", postBody(sign(t, uaCash(), ls.UA))).Err(t, 401, "unauthorized", "was revoked on")
	// Reads stay public.
	if r := ls.Get(t, "/api/v1/ledger/entries"); r.Status != 200 {
		t.Fatalf("reading without a token: %d", r.Status)
	}
}

// TestAuth_Import: an editor's (or an admin's) import reaches the store
// with the file, its name, its hash and the user; a raw body and a
// multipart form give the same bytes; a viewer is refused.
func TestAuth_Import(t *testing.T) {
	var got []server.ImportRequest
	ls := MustOpenLedgerServer(t, func(s *server.Server) {
		s.Import = func(_ context.Context, req server.ImportRequest) (nadra.ImportResult, error) {
			got = append(got, req)
			return nadra.ImportResult{ImportID: 7, Inserted: 2}, nil
		}
	})
	viewer := mustToken(t, ls.Tokens, nadra.AccountViewer, "")
	admin := mustToken(t, ls.Tokens, nadra.AccountAdmin, "")
	const csv = "id,name\nx,X\n"
	send(t, ls.URL(), "POST", "/api/v1/import/deposits?file=d.csv", "Bearer "+viewer, "text/csv", csv).Err(t, 403, "forbidden", "needs the role editor; your token")
	r := send(t, ls.URL(), "POST", "/api/v1/import/deposits?file=d.csv", "Bearer "+ls.TokenEditor, "text/csv", csv)
	var out struct {
		Kind, File, SHA256 string
		ImportID           int64 `json:"import_id"`
		Inserted           int
	}
	r.JSON(t, &out)
	// sha256("id,name\nx,X\n"), from sha256sum.
	const sum = "631ea306746359a13535c109ece631d9307a7482bffbb2284ed05af4c98c5338"
	if r.Status != 200 || out.File != "d.csv" || out.Inserted != 2 || out.ImportID != 7 || out.SHA256 != sum {
		t.Fatalf("editor import: %d %s", r.Status, r.Body)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "mine.csv")
	fw.Write([]byte(csv))
	mw.Close()
	if r := send(t, ls.URL(), "POST", "/api/v1/import/estimates", "Bearer "+admin, mw.FormDataContentType(), form.String()); r.Status != 200 {
		t.Fatalf("admin multipart import: %d %s", r.Status, r.Body)
	}
	if len(got) != 2 {
		t.Fatalf("%d imports reached the store, want 2", len(got))
	}
	for i, want := range []server.ImportRequest{{Kind: "deposits", File: "d.csv", User: "editor"}, {Kind: "estimates", File: "mine.csv", User: "admin"}} {
		g := got[i]
		if g.Kind != want.Kind || g.File != want.File || g.User != want.User || string(g.Data) != csv {
			t.Errorf("import %d: got %+v, want %+v with the CSV", i, g, want)
		}
		if g.SHA256 != sum {
			t.Errorf("import %d: sha256 %s, want %s", i, g.SHA256, sum)
		}
	}
}

// TestAuth_Private: a private server answers reads with a token only; its
// health check stays open.
func TestAuth_Private(t *testing.T) {
	ls := MustOpenLedgerServer(t, func(s *server.Server) { s.Private = true })
	viewer := mustToken(t, ls.Tokens, nadra.AccountViewer, "")
	for _, p := range []string{"/api/v1/deposits", "/ogc/collections", "/map", "/api/v1/openapi.json"} {
		if p == "/map" {
			// A page without a session goes to the sign-in.
			c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := c.Get(ls.URL() + p)
			if err != nil || resp.StatusCode != 303 || resp.Header.Get("Location") != "/signin?next=%2Fmap" {
				t.Fatalf("GET /map on a private server: %v %v %v", resp.StatusCode, resp.Header, err)
			}
			resp.Body.Close()
			continue
		}
		send(t, ls.URL(), "GET", p, "", "", "").Err(t, 401, "unauthorized", "This server is private")
		if r := send(t, ls.URL(), "GET", p, "Bearer "+viewer, "", ""); r.Status != 200 {
			t.Errorf("GET %s with a viewer token: %d", p, r.Status)
		}
	}
	if r := send(t, ls.URL(), "GET", "/healthz", "", "", ""); r.Status != 200 {
		t.Errorf("/healthz on a private server: %d", r.Status)
	}
}

// TestAuth_RateLimit: a client may fail DefaultAuthBurst times; the next
// attempt, even with a good token, is a 429 with Retry-After of
// DefaultAuthRefill (one failure regained every 6 s: the wait is 6 s less
// the time the attempts took, rounded up).
func TestAuth_RateLimit(t *testing.T) {
	ls := MustOpenLedgerServer(t, nil)
	bad := "Bearer nadra_" + strings.Repeat("B", 43)
	for i := 0; i < server.DefaultAuthBurst; i++ {
		send(t, ls.URL(), "GET", "/api/v1/deposits", bad, "", "").Err(t, 401, "unauthorized", "not known")
	}
	r := send(t, ls.URL(), "GET", "/api/v1/deposits", "Bearer "+ls.TokenEditor, "", "")
	r.Err(t, 429, "too_many_requests", "Too many failed authentications")
	if ra := r.Header.Get("Retry-After"); ra != "6" && ra != "5" {
		t.Fatalf("Retry-After %q, want 6 (or 5 on a slow machine)", ra)
	}
	// Without a token the reads go on: only authentication is limited.
	if r := ls.Get(t, "/api/v1/deposits"); r.Status != 200 {
		t.Fatalf("a read without a token after the limit: %d", r.Status)
	}
}

// TestAuth_OpenAPI: the write routes name the bearer scheme in the
// document, and the scheme is described.
func TestAuth_OpenAPI(t *testing.T) {
	s := MustOpenServer(t, nil)
	doc := s.OpenAPI()
	if sc := doc.Components.SecuritySchemes["bearer"]; sc == nil || sc.Scheme != "bearer" || !strings.Contains(sc.Description, "nadra token create") {
		t.Fatalf("bearer scheme: %+v", sc)
	}
	for _, p := range []string{"/import/{kind}", "/ledger/entries", "/ledger/cosignatures"} {
		op := doc.Paths[p].Post
		if op == nil || len(op.Security) == 0 {
			t.Fatalf("POST %s has no security", p)
		}
		if _, ok := op.Security[0]["bearer"]; !ok {
			t.Errorf("POST %s: security %v lacks bearer", p, op.Security)
		}
	}
}

// TestAuth_Tokens: an admin lists the tokens (never a secret) and revokes
// one, which is refused at once; other roles are 403.
func TestAuth_Tokens(t *testing.T) {
	ls := MustOpenLedgerServer(t, nil)
	admin := mustToken(t, ls.Tokens, nadra.AccountAdmin, "")
	send(t, ls.URL(), "GET", "/api/v1/tokens", "Bearer "+ls.TokenEditor, "", "").Err(t, 403, "forbidden", "needs the role admin; your token")
	send(t, ls.URL(), "GET", "/api/v1/tokens", "", "", "").Err(t, 401, "unauthorized", "needs a token with the role admin")
	r := send(t, ls.URL(), "GET", "/api/v1/tokens", "Bearer "+admin, "", "")
	var list struct{ Tokens []nadra.Token }
	r.JSON(t, &list)
	// US, UA, auditor, editor (MustOpenLedgerServer) and the admin.
	if r.Status != 200 || len(list.Tokens) != 5 {
		t.Fatalf("list: %d %s", r.Status, r.Body)
	}
	for _, sec := range []string{admin, ls.TokenEditor, ls.TokenUS} {
		if strings.Contains(string(r.Body), sec) {
			t.Fatal("the list shows a secret")
		}
	}
	var editorID string
	for _, tok := range list.Tokens {
		if tok.Role == nadra.AccountEditor {
			editorID = tok.ID
		}
	}
	if r := send(t, ls.URL(), "DELETE", "/api/v1/tokens/"+editorID, "Bearer "+admin, "", ""); r.Status != 200 {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	send(t, ls.URL(), "DELETE", "/api/v1/tokens/"+editorID, "Bearer "+admin, "", "").Err(t, 409, "conflict", "already revoked")
	send(t, ls.URL(), "DELETE", "/api/v1/tokens/tok_nope", "Bearer "+admin, "", "").Err(t, 404, "not_found", "no token")
	send(t, ls.URL(), "GET", "/api/v1/deposits", "Bearer "+ls.TokenEditor, "", "").Err(t, 401, "unauthorized", "was revoked on")
}

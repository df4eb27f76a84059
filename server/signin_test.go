package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nadra"
	"nadra/server"

	"github.com/chromedp/chromedp"
)

// importRecorder is an import that records what reaches it.
type importRecorder struct{ got []server.ImportRequest }

func (ir *importRecorder) Import(_ context.Context, req server.ImportRequest) (nadra.ImportResult, error) {
	ir.got = append(ir.got, req)
	if strings.Contains(string(req.Data), "bad") {
		return nadra.ImportResult{}, &nadra.InputError{File: req.File, Line: 2, Feature: -1, Field: "lat", Problem: `"bad" is not a number`}
	}
	return nadra.ImportResult{ImportID: 3, Inserted: 1}, nil
}

// TestSignin_Forms: the sign-in sets an HttpOnly, SameSite=Strict
// session cookie (not Secure without TLS); the import form takes a file
// only with the session's CSRF token, from the same site, from an editor;
// a wrong token signs no one in.
func TestSignin_Forms(t *testing.T) {
	ir := &importRecorder{}
	ls := MustOpenLedgerServer(t, func(s *server.Server) { s.Import = ir.Import })
	viewer := mustToken(t, ls.Tokens, nadra.AccountViewer, "")
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := func(path string, v url.Values) *http.Response {
		resp, err := c.PostForm(ls.URL()+path, v)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := form("/signin", url.Values{"token": {"nadra_" + strings.Repeat("C", 43)}}); r.StatusCode != 401 {
		t.Fatalf("an unknown token: %d", r.StatusCode)
	}
	// Without a session the import page sends to the sign-in.
	resp, err := c.Get(ls.URL() + "/import")
	if err != nil || resp.StatusCode != 303 || resp.Header.Get("Location") != "/signin?next=/import" {
		t.Fatalf("GET /import signed out: %v %v", resp.StatusCode, err)
	}
	r := form("/signin", url.Values{"token": {ls.TokenEditor}, "next": {"https://evil.example/"}})
	if r.StatusCode != 303 || r.Header.Get("Location") != "/import" {
		t.Fatalf("sign-in: %d to %q, want 303 to /import (never another site)", r.StatusCode, r.Header.Get("Location"))
	}
	ck := r.Cookies()
	if len(ck) != 1 || !ck[0].HttpOnly || ck[0].SameSite != http.SameSiteStrictMode || ck[0].Secure || ck[0].Path != "/" {
		t.Fatalf("session cookie: %+v", ck)
	}
	// The session authenticates pages, never the API.
	if r := send(t, ls.URL(), "POST", "/api/v1/import/deposits", "", "text/csv", "x"); r.Status != 401 {
		t.Fatalf("the API without a bearer token: %d", r.Status)
	}
	upload := func(csrf, extra string) *http.Response {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		if csrf != "" {
			mw.WriteField("csrf", csrf)
		}
		mw.WriteField("kind", "deposits")
		fw, _ := mw.CreateFormFile("file", `C:\data\field.csv`)
		fw.Write([]byte("id,name\nx,X" + extra + "\n"))
		mw.Close()
		req, _ := http.NewRequest("POST", ls.URL()+"/import", &b)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	readBody := func(r *http.Response) string {
		defer r.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(r.Body)
		return b.String()
	}
	if r := upload("", ""); r.StatusCode != 403 || !strings.Contains(readBody(r), "CSRF token") {
		t.Fatalf("upload without the CSRF token: %d", r.StatusCode)
	}
	if r := upload("forged", ""); r.StatusCode != 403 {
		t.Fatalf("upload with a forged CSRF token: %d", r.StatusCode)
	}
	page, _ := c.Get(ls.URL() + "/import")
	body := readBody(page)
	i := strings.Index(body, `name="csrf" value="`)
	if i < 0 {
		t.Fatalf("the import page has no CSRF field:\n%s", body)
	}
	csrf := body[i+len(`name="csrf" value="`):]
	csrf = csrf[:strings.IndexByte(csrf, '"')]
	if len(ir.got) != 0 {
		t.Fatalf("%d refused uploads reached the import", len(ir.got))
	}
	if r := upload(csrf, ""); r.StatusCode != 200 || !strings.Contains(readBody(r), "Imported deposits from field.csv: 1 added") {
		t.Fatalf("upload: %d", r.StatusCode)
	}
	if r := upload(csrf, ",bad"); r.StatusCode != 400 || !strings.Contains(readBody(r), "field.csv:2: lat: &#34;bad&#34; is not a number") {
		t.Fatalf("a bad file: %d", r.StatusCode)
	}
	if len(ir.got) != 2 || ir.got[0].User != "editor" || ir.got[0].File != "field.csv" {
		t.Fatalf("imports: %+v", ir.got)
	}
	// A viewer signs in but may not import.
	jar2, _ := cookiejar.New(nil)
	c.Jar = jar2
	form("/signin", url.Values{"token": {viewer}})
	if resp, _ := c.Get(ls.URL() + "/import"); resp.StatusCode != 403 {
		t.Fatalf("a viewer on the import page: %d", resp.StatusCode)
	}
}

// TestBrowser_Signin: an editor pastes a token, lands on the import page,
// uploads a file and sees what was imported; the cookie is out of
// scripts' reach; sign-out ends the session.
func TestBrowser_Signin(t *testing.T) {
	ir := &importRecorder{}
	ls := MustOpenLedgerServer(t, func(s *server.Server) { s.Import = ir.Import })
	file := filepath.Join(t.TempDir(), "survey.csv")
	if err := os.WriteFile(file, []byte("id,name\nx,X\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := MustOpenBrowser(t, ls.TestServer)
	b.Expect("status of 401") // the wrong token, on purpose
	b.Open(t, "/import")
	if p := Eval[string](t, b, `location.pathname`); p != "/signin" {
		t.Fatalf("signed out, /import shows %s", p)
	}
	b.Do(t, chromedp.SendKeys("#token", "nadra_"+strings.Repeat("D", 43)), chromedp.Click("#signin"), chromedp.WaitVisible("#signin-error"))
	b.Do(t, chromedp.SendKeys("#token", ls.TokenEditor), chromedp.Click("#signin"), chromedp.WaitVisible("#import-form"))
	if c := Eval[string](t, b, `document.cookie`); c != "" {
		t.Fatalf("document.cookie %q: the session cookie must be HttpOnly", c)
	}
	b.Do(t, chromedp.SetUploadFiles("#file", []string{file}), chromedp.Click("#import"), chromedp.WaitVisible("#import-result"))
	if got := Eval[string](t, b, `document.getElementById("import-result").textContent`); got != "Imported deposits from survey.csv: 1 added, 0 updated, 0 unchanged (import 3)." {
		t.Fatalf("result: %q", got)
	}
	if len(ir.got) != 1 || string(ir.got[0].Data) != "id,name\nx,X\n" {
		t.Fatalf("imports: %+v", ir.got)
	}
	b.Screenshot(t, "import")
	b.Do(t, chromedp.Click("#signout"), chromedp.WaitVisible("#signin-form"))
	b.Open(t, "/import")
	if p := Eval[string](t, b, `location.pathname`); p != "/signin" {
		t.Fatalf("after sign-out, /import shows %s", p)
	}
}

package main_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestE2E_HTTPImport: an editor imports deposits over HTTP through the
// CLI's code: the row lands and reads back; a bad file is a 400 naming
// file, line and field, and changes nothing; the same file twice changes
// nothing; a viewer is refused.
func TestE2E_HTTPImport(t *testing.T) {
	dir := t.TempDir()
	editor := strings.TrimSpace(mustRun(t, dir, "token", "create", "--user", "olena", "--role", "editor").stdout)
	viewer := strings.TrimSpace(mustRun(t, dir, "token", "create", "--user", "ivan", "--role", "viewer").stdout)
	url := startServe(t, dir)
	send := func(token, path, body string) (int, string) {
		req, _ := http.NewRequest("POST", url+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	const head = "id,name,name_uk,oblast,lat,lon,precision_km,commodities,stage,coords_note,note,sources\n"
	good := head + "http-site,HTTP site,,UA-14,48.1,37.6,3,lithium,explored,surveyed point,,https://example.org/report (2026-01-01)\n"
	bad := good + "bad-site,Bad,,UA-14,48.1,0x25,3,lithium,explored,surveyed point,,https://example.org/report (2026-01-01)\n"

	if st, body := send(viewer, "/api/v1/import/deposits?file=mine.csv", good); st != 403 || !strings.Contains(body, "needs the role editor") {
		t.Fatalf("viewer: %d %s", st, body)
	}
	if st, body := send(editor, "/api/v1/import/deposits?file=mine.csv", bad); st != 400 || !strings.Contains(body, `mine.csv:3: lon: \"0x25\"`) {
		t.Fatalf("bad file: %d %s", st, body)
	}
	if r, err := http.Get(url + "/api/v1/deposits/http-site"); err != nil || r.StatusCode != 404 {
		t.Fatalf("after a refused file the first row is stored: %v %v", r.StatusCode, err)
	}
	st, body := send(editor, "/api/v1/import/deposits?file=mine.csv", good)
	var res struct {
		Inserted, Updated, Unchanged int
		File                         string
	}
	json.Unmarshal([]byte(body), &res)
	if st != 200 || res.Inserted != 1 || res.File != "mine.csv" {
		t.Fatalf("import: %d %s", st, body)
	}
	r, err := http.Get(url + "/api/v1/deposits/http-site")
	if err != nil || r.StatusCode != 200 {
		t.Fatalf("the imported deposit: %v %v", r.StatusCode, err)
	}
	r.Body.Close()
	st, body = send(editor, "/api/v1/import/deposits?file=mine.csv", good)
	json.Unmarshal([]byte(body), &res)
	if st != 200 || res.Inserted != 0 || res.Unchanged != 1 {
		t.Fatalf("the same file again: %d %s", st, body)
	}
	// Scenarios, as nadra import scenarios takes them: a bad expression
	// names its line and field and stores nothing; a good file is listed.
	const scHead = "id,name,expression,source,note\n"
	if st, body := send(editor, "/api/v1/import/scenarios?file=sc.csv", scHead+"east-http,East,oblast:UA-14 |,https://example.org/s (2026-01-02),\n"); st != 400 || !strings.Contains(body, "sc.csv:2") || !strings.Contains(body, "expression") {
		t.Fatalf("bad scenario: %d %s", st, body)
	}
	if st, body := send(editor, "/api/v1/import/scenarios?file=sc.csv", scHead+"east-http,East,oblast:UA-14 | oblast:UA-09,https://example.org/s (2026-01-02),\n"); st != 200 || !strings.Contains(body, `"inserted":1`) {
		t.Fatalf("scenarios: %d %s", st, body)
	}
	if r := mustRun(t, dir, "scenario", "list"); !strings.Contains(r.stdout, "east-http") {
		t.Fatalf("the scenario imported over HTTP is not listed:\n%s", r.stdout)
	}
}

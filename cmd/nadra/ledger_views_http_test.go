package main_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestE2E_LedgerViews_HTTP: the views over HTTP are what the CLI prints,
// byte for byte for the flows' CSV and value for value for the JSON, on
// the log and on the public journal, from "nadra serve" on the database
// the CLI posted to.
func TestE2E_LedgerViews_HTTP(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"US", "UA"} {
		mustRun(t, dir, "ledger", "keygen", "--party", p, "--out", strings.ToLower(p)+".key")
		mustRun(t, dir, "ledger", "register", strings.ToLower(p)+".key.pub")
	}
	head := "id,kind,date,period,party,from,to,stream,amount,currency,fx_rate,fx_source,licence,ref,docs,valuation,corrects,public,memo\n"
	writeFile(t, filepath.Join(dir, "us.csv"), head+
		"us-cash,contribution_cash,2026-01-20,2026-Q1,US,US,fund,,25000000.00,USD,,,,W-1,wire W-1 (2026-01-20),,,,\n"+
		"us-cash-fix,contribution_cash,2026-01-20,2026-Q1,US,US,fund,,24999000.00,USD,,,,W-1,wire W-1 net of fees (2026-01-22),,us-cash,,\n")
	writeFile(t, filepath.Join(dir, "ua.csv"), head+
		"ua-cash,contribution_cash,2026-01-20,2026-Q1,UA,US,fund,,25000000.00,USD,,,,W-1,fund bank statement (2026-01-31),,,,\n"+
		"ua-fee,receipt,2026-02-26,2026-Q1,UA,solartek-esko,UA,fee,31700000.00,UAH,43.24,NBU (2026-02-26),maidanska-solartek,,Prozorro.Sales (2026-02-26),,,,\n"+
		"ua-transfer,transfer,2026-03-20,2026-Q1,UA,UA,fund,,2000000.00,UAH,40,NBU (2026-03-20),maidanska-solartek,T-1,payment order T-1 (2026-03-20),,,,\n")
	mustRun(t, dir, "ledger", "post", "us.csv", "--key", "us.key")
	mustRun(t, dir, "ledger", "post", "ua.csv", "--key", "ua.key")

	url := startServe(t, dir)
	get := func(path string) []byte {
		t.Helper()
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		return b
	}
	for _, tt := range []struct {
		cli  []string
		path string
	}{
		{[]string{"ledger", "balance", "--json"}, "/api/v1/ledger/balances"},
		{[]string{"ledger", "balance", "--party", "UA", "--as-of", "2026-02-28", "--json"}, "/api/v1/ledger/balances?party=UA&as_of=2026-02-28"},
		{[]string{"ledger", "balance", "--journal", "public", "--period", "2026-Q1", "--json"}, "/api/v1/ledger/balances?journal=public&period=2026-Q1"},
		{[]string{"ledger", "due", "--json"}, "/api/v1/ledger/due"},
		{[]string{"ledger", "due", "--journal", "public", "--json"}, "/api/v1/ledger/due?journal=public"},
		{[]string{"ledger", "due", "--deal", "draft-2025-02", "--period", "2026", "--json"}, "/api/v1/ledger/due?deal=draft-2025-02&period=2026"},
		{[]string{"ledger", "reconcile", "--json"}, "/api/v1/ledger/reconciliation"},
		{[]string{"ledger", "reconcile", "--rel", "0", "--floor", "500", "--json"}, "/api/v1/ledger/reconciliation?rel=0&floor=500"},
		{[]string{"ledger", "reconcile", "--journal", "public", "--period", "2025", "--json"}, "/api/v1/ledger/reconciliation?journal=public&period=2025"},
	} {
		var cli, api any
		if err := json.Unmarshal([]byte(mustRun(t, dir, tt.cli...).stdout), &cli); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(get(tt.path), &api); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(cli, api) {
			c, _ := json.Marshal(cli)
			a, _ := json.Marshal(api)
			t.Errorf("nadra %s and GET %s differ:\n%s\n%s", strings.Join(tt.cli, " "), tt.path, c, a)
		}
	}
	// A sanity check that the comparison saw the log: W-1 matched, the
	// correction in force.
	if b := get("/api/v1/ledger/reconciliation"); !bytes.Contains(b, []byte(`"us-cash-fix":"us-cash"`)) {
		t.Errorf("the reconciliation does not show the correction: %s", b)
	}

	// The flows: the same CSV, byte for byte; the same workbook's cells.
	for _, journal := range []string{"log", "public"} {
		cli := mustRun(t, dir, "ledger", "export-flows", "--journal", journal).stdout
		if api := get("/api/v1/ledger/flows?format=csv&journal=" + journal); string(api) != cli {
			t.Errorf("flows of %s: the API's CSV differs from export-flows':\n%s\n%s", journal, api, cli)
		}
		xlsx := filepath.Join(dir, journal+".xlsx")
		mustRun(t, dir, "ledger", "export-flows", "--journal", journal, "--format", "xlsx", "-o", xlsx)
		want := workbook(t, []byte(mustRead(t, xlsx)))
		if got := workbook(t, get("/api/v1/ledger/flows?format=xlsx&journal="+journal)); !reflect.DeepEqual(got, want) {
			t.Errorf("flows of %s: the API's workbook differs from export-flows':\n%v\n%v", journal, got, want)
		}
		if len(want["flows"]) < 2 {
			t.Errorf("flows of %s: %d rows", journal, len(want["flows"]))
		}
	}
}

// workbook returns every sheet's cells, by sheet name.
func workbook(t *testing.T, b []byte) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		out[s] = rows
	}
	return out
}

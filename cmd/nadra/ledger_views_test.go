package main_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Views' JSON, as much of it as the tests read.
type viewJournal struct {
	Name    string `json:"name"`
	Signed  bool   `json:"signed"`
	Public  bool   `json:"public"`
	Entries int    `json:"entries"`
	InForce int    `json:"in_force"`
	Note    string `json:"note"`
	USD     string `json:"usd_method"`
}

type viewAmounts struct {
	USD   string `json:"usd"`
	UAH   string `json:"uah"`
	InUSD string `json:"in_usd"`
}

type viewSide struct {
	Amount   viewAmounts       `json:"amount"`
	Entries  []string          `json:"entries"`
	Replaces map[string]string `json:"replaces"`
}

type viewItem struct {
	Status       string    `json:"status"`
	Basis        string    `json:"basis"`
	Kind         string    `json:"kind"`
	From         string    `json:"from"`
	Period       string    `json:"period"`
	Ref          string    `json:"ref"`
	US           *viewSide `json:"us"`
	UA           *viewSide `json:"ua"`
	Diff         string    `json:"difference"`
	DiffUSD      string    `json:"difference_usd"`
	ExceedsRel   bool      `json:"exceeds_relative"`
	ExceedsFloor bool      `json:"exceeds_floor"`
}

type viewRecon struct {
	Journal viewJournal `json:"journal"`
	R       struct {
		Thresholds struct {
			Rel   float64 `json:"relative"`
			Floor string  `json:"floor_usd"`
		} `json:"thresholds"`
		Source        string     `json:"thresholds_source"`
		Matched       []viewItem `json:"matched"`
		Discrepancies []viewItem `json:"discrepancies"`
		USOnly        []viewItem `json:"us_only"`
		UAOnly        []viewItem `json:"ua_only"`
	} `json:"reconciliation"`
}

type viewDueLicence struct {
	Licence    string      `json:"licence"`
	Receipts   viewAmounts `json:"receipts"`
	Due        viewAmounts `json:"due"`
	Unknown    viewAmounts `json:"unknown_due"`
	PaidUA     viewAmounts `json:"paid_per_ua"`
	ReceivedUS viewAmounts `json:"received_per_us"`
	ArrearsUA  viewAmounts `json:"arrears_per_ua"`
	Incomplete bool        `json:"arrears_incomplete"`
}

type viewDue struct {
	Journal viewJournal `json:"journal"`
	Due     struct {
		Terms   string `json:"terms"`
		Periods []struct {
			Period   string           `json:"period"`
			Licences []viewDueLicence `json:"licences"`
			Total    viewDueLicence   `json:"total"`
		} `json:"periods"`
		Total   viewDueLicence `json:"total"`
		Unknown []struct {
			Licence  string      `json:"licence"`
			Receipts viewAmounts `json:"receipts"`
			Due      viewAmounts `json:"due"`
			Reason   string      `json:"reason"`
		} `json:"eligibility_unknown"`
		Capital []struct {
			Partner     string      `json:"partner"`
			Year        int         `json:"year"`
			Books       string      `json:"books"`
			Scheduled   string      `json:"scheduled_usd"`
			Committed   viewAmounts `json:"committed"`
			Cash        viewAmounts `json:"cash"`
			Counted     string      `json:"counted_usd"`
			Outstanding string      `json:"outstanding_vs_schedule_usd"`
		} `json:"capital"`
	} `json:"due"`
	Missing []struct {
		Flow string `json:"flow"`
		Kind string `json:"kind"`
	} `json:"not_public"`
}

type viewBalance struct {
	Journal  viewJournal `json:"journal"`
	Balances []struct {
		AsOf    string   `json:"as_of"`
		Periods []string `json:"periods"`
		Books   []struct {
			Party    string `json:"party"`
			Entries  int    `json:"entries"`
			Balanced bool   `json:"balanced"`
			Accounts []struct {
				Account string      `json:"account"`
				Balance viewAmounts `json:"balance"`
			} `json:"accounts"`
		} `json:"books"`
	} `json:"balances"`
}

func mustJSON(t *testing.T, r result, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("not JSON: %v\n%.2000s", err, r.stdout)
	}
}

// mustUsage runs the binary and fails unless it exits 2 (a usage error)
// with want on standard error.
func mustUsage(t *testing.T, dir, want string, args ...string) {
	t.Helper()
	r := run(t, dir, args...)
	if r.code != 2 || !strings.Contains(r.stderr, want) {
		t.Fatalf("nadra %s: exit %d, stderr %q; want exit 2 and %q", strings.Join(args, " "), r.code, r.stderr, want)
	}
}

// TestE2E_LedgerViews_Public runs every view on the public journal, the
// default while the log is empty, and checks the figures the public
// sources give.
func TestE2E_LedgerViews_Public(t *testing.T) {
	dir := t.TempDir()

	var due viewDue
	mustJSON(t, mustRun(t, dir, "ledger", "due", "--json"), &due)
	if due.Journal.Name != "public" || due.Journal.Signed || !due.Journal.Public || due.Journal.Entries != 5 || !strings.Contains(due.Journal.Note, "signed by neither party") ||
		!strings.Contains(due.Journal.USD, "its own entry") {
		t.Fatalf("journal: %+v", due.Journal)
	}
	// The permit's UAH 31,700,000.00: half is UAH 15,850,000.00; at its
	// own rate, 15,850,000.00 / 43.24 = $366,558.74 (366,558.7419…). The
	// licence register holds the permit (maidanska-solartek, granted
	// 2026-02-26, after entry into force on 2025-05-23): it counts, and
	// no public source shows a transfer, so all of it is unpaid.
	if len(due.Due.Unknown) != 0 {
		t.Fatalf("eligibility unknown: %+v; want none, the register decides the permit", due.Due.Unknown)
	}
	half := viewAmounts{"0.00", "15850000.00", "366558.74"}
	if due.Due.Total.Due != half || due.Due.Total.Incomplete || due.Due.Total.ArrearsUA != half {
		t.Fatalf("total: %+v; want UAH 15,850,000.00 due and unpaid", due.Due.Total)
	}
	if len(due.Due.Periods) != 1 || due.Due.Periods[0].Period != "2026-Q1" || len(due.Due.Periods[0].Licences) != 1 ||
		due.Due.Periods[0].Licences[0].Licence != "maidanska-solartek" || due.Due.Periods[0].Licences[0].Receipts != (viewAmounts{"0.00", "31700000.00", "733117.48"}) {
		t.Fatalf("periods: %+v", due.Due.Periods)
	}
	// Capital: $75M scheduled and committed for each partner in 2025,
	// per both books; nothing public paid in, so all of it outstanding.
	if len(due.Due.Capital) != 4 {
		t.Fatalf("capital rows: %+v", due.Due.Capital)
	}
	for _, r := range due.Due.Capital {
		if r.Year != 2025 || r.Scheduled != "75000000.00" || r.Committed.InUSD != "75000000.00" || r.Counted != "0.00" || r.Outstanding != "75000000.00" {
			t.Fatalf("capital %s in %s books: %+v", r.Partner, r.Books, r)
		}
	}
	missing := map[string]bool{}
	for _, m := range due.Missing {
		missing[m.Kind] = true
	}
	if !missing["contribution_cash"] || !missing["transfer"] || !missing["contribution_inkind"] {
		t.Fatalf("not public: %+v", due.Missing)
	}

	var rec viewRecon
	mustJSON(t, mustRun(t, dir, "ledger", "reconcile", "--json"), &rec)
	// Both commitments stated alike by each side; the receipt by UA alone.
	if len(rec.R.Matched) != 2 || len(rec.R.Discrepancies) != 0 || len(rec.R.USOnly) != 0 || len(rec.R.UAOnly) != 1 {
		t.Fatalf("reconciliation: %+v", rec.R)
	}
	for _, it := range rec.R.Matched {
		if it.Kind != "commitment" || it.Basis != "aggregate" || it.Diff != "0.00" || it.US.Amount.USD != "75000000.00" || it.UA.Amount.USD != "75000000.00" {
			t.Fatalf("matched: %+v", it)
		}
	}
	if rec.R.Thresholds.Rel != 0.01 || rec.R.Thresholds.Floor != "100000.00" || !strings.Contains(rec.R.Source, "USEITI") {
		t.Fatalf("thresholds: %+v %s", rec.R.Thresholds, rec.R.Source)
	}

	var bal viewBalance
	mustJSON(t, mustRun(t, dir, "ledger", "balance", "--journal", "public", "--period", "2025", "--party", "UA", "--json"), &bal)
	if len(bal.Balances) != 1 || bal.Balances[0].AsOf != "2025-12-31" || len(bal.Balances[0].Books) != 1 {
		t.Fatalf("balance: %+v", bal)
	}
	b := bal.Balances[0].Books[0]
	// UA's books at the end of 2025: its two commitment statements, $75M
	// each: us:commitment and ua:commitment debited, the :committed
	// accounts credited. The permit of 2026 is not yet in.
	got := map[string]string{}
	for _, a := range b.Accounts {
		got[a.Account] = a.Balance.InUSD
	}
	want := map[string]string{"us:commitment": "75000000.00", "us:committed": "-75000000.00", "ua:commitment": "75000000.00", "ua:committed": "-75000000.00"}
	if b.Party != "UA" || b.Entries != 2 || !b.Balanced || len(got) != len(want) {
		t.Fatalf("UA books: %+v", b)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("UA books, %s = %s, want %s", k, got[k], v)
		}
	}

	r := mustRun(t, dir, "ledger", "due")
	for _, s := range []string{"Journal: public", "signed by neither party", "USD: US dollar figures convert", "maidanska-solartek",
		"Not in the public journal", "an absence, not a zero"} {
		if !strings.Contains(r.stdout, s) {
			t.Fatalf("ledger due lacks %q:\n%s", s, r.stdout)
		}
	}
}

// TestE2E_LedgerViews_Log posts both parties' statements, with a
// correction, and checks that the views read the log by default, apply
// the correction, reconcile with the thresholds given, and export the
// flows; an entries file is a journal too; bad flags are refused.
func TestE2E_LedgerViews_Log(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"US", "UA"} {
		mustRun(t, dir, "ledger", "keygen", "--party", p, "--out", strings.ToLower(p)+".key")
		mustRun(t, dir, "ledger", "register", strings.ToLower(p)+".key.pub")
	}
	head := "id,kind,date,period,party,from,to,stream,amount,currency,fx_rate,fx_source,licence,ref,docs,valuation,corrects,public,memo\n"
	writeFile(t, filepath.Join(dir, "us.csv"), head+
		"us-cash,contribution_cash,2026-01-20,2026-Q1,US,US,fund,,25000000.00,USD,,,,W-1,wire W-1 (2026-01-20),,,,\n"+
		"us-transfer,transfer,2026-03-20,2026-Q1,US,UA,fund,,2000000.00,UAH,40,NBU (2026-03-20),maidanska,T-1,fund statement (2026-03-31),,,,\n")
	writeFile(t, filepath.Join(dir, "ua.csv"), head+
		"ua-cash,contribution_cash,2026-01-20,2026-Q1,UA,US,fund,,25000000.00,USD,,,,W-1,fund bank statement (2026-01-31),,,,\n"+
		"ua-fee,receipt,2026-02-26,2026-Q1,UA,solartek-esko,UA,fee,31700000.00,UAH,43.24,NBU (2026-02-26),maidanska,,Prozorro.Sales (2026-02-26),,,,\n"+
		"ua-transfer,transfer,2026-03-20,2026-Q1,UA,UA,fund,,2000000.00,UAH,40,NBU (2026-03-20),maidanska,T-1,payment order T-1 (2026-03-20),,,,\n")
	mustRun(t, dir, "ledger", "post", "us.csv", "--key", "us.key")
	mustRun(t, dir, "ledger", "post", "ua.csv", "--key", "ua.key")
	// The US corrects its wire: $24,999,000.00, net of bank fees.
	writeFile(t, filepath.Join(dir, "fix.csv"), head+
		"us-cash-fix,contribution_cash,2026-01-20,2026-Q1,US,US,fund,,24999000.00,USD,,,,W-1,wire W-1 net of fees (2026-01-22),,us-cash,,\n")
	mustRun(t, dir, "ledger", "post", "fix.csv", "--key", "us.key")

	var bal viewBalance
	mustJSON(t, mustRun(t, dir, "ledger", "balance", "--json"), &bal)
	if bal.Journal.Name != "log" || !bal.Journal.Signed || bal.Journal.Entries != 6 || bal.Journal.InForce != 5 {
		t.Fatalf("journal: %+v", bal.Journal)
	}
	total := bal.Balances[len(bal.Balances)-1]
	for _, b := range total.Books {
		if !b.Balanced {
			t.Fatalf("%s books do not balance", b.Party)
		}
		for _, a := range b.Accounts {
			// The correction replaces the wire: fund:cash in the US books
			// is $24,999,000.00 plus the transfer's 2,000,000.00 UAH /
			// 40 = $50,000.00.
			if b.Party == "US" && a.Account == "fund:cash" && a.Balance != (viewAmounts{"24999000.00", "2000000.00", "25049000.00"}) {
				t.Fatalf("US fund:cash = %+v", a.Balance)
			}
		}
	}

	// W-1: $24,999,000.00 against $25,000,000.00, $1,000.00 apart, 0.004%
	// of UA's statement (the payee side): within 1% and $100,000. With
	// thresholds of 0 and $500, a discrepancy.
	var rec viewRecon
	mustJSON(t, mustRun(t, dir, "ledger", "reconcile", "--json"), &rec)
	var w1 *viewItem
	for i, it := range rec.R.Matched {
		if it.Ref == "W-1" {
			w1 = &rec.R.Matched[i]
		}
	}
	if w1 == nil || w1.Diff != "-1000.00" || w1.ExceedsRel || w1.ExceedsFloor || len(rec.R.Discrepancies) != 0 || len(rec.R.UAOnly) != 1 ||
		w1.US.Replaces["us-cash-fix"] != "us-cash" {
		t.Fatalf("reconcile: %+v", rec.R)
	}
	mustJSON(t, mustRun(t, dir, "ledger", "reconcile", "--rel", "0", "--floor", "500", "--json"), &rec)
	if len(rec.R.Discrepancies) != 1 || rec.R.Discrepancies[0].Ref != "W-1" || rec.R.Discrepancies[0].DiffUSD != "1000.00" {
		t.Fatalf("strict reconcile: %+v", rec.R.Discrepancies)
	}
	r := mustRun(t, dir, "ledger", "reconcile", "--csv")
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(rows) != 4 || rows[0][0] != "journal" || rows[1][0] != "log" {
		t.Fatalf("reconcile CSV: %v\n%s", err, r.stdout)
	}

	// The transfer of UAH 2,000,000.00 against a licence whose
	// eligibility is unknown: a surplus by the known due, marked
	// incomplete.
	var due viewDue
	mustJSON(t, mustRun(t, dir, "ledger", "due", "--json"), &due)
	l := due.Due.Periods[0].Licences[0]
	if l.Licence != "maidanska" || l.PaidUA != (viewAmounts{"0.00", "2000000.00", "50000.00"}) || l.ArrearsUA.UAH != "-2000000.00" || !l.Incomplete ||
		l.Unknown.UAH != "15850000.00" {
		t.Fatalf("due, maidanska: %+v", l)
	}

	// The flows, every entry: the corrected wire is out of force.
	mustRun(t, dir, "ledger", "export-flows", "-o", "flows.csv")
	f, err := os.ReadFile(filepath.Join(dir, "flows.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err = csv.NewReader(strings.NewReader(string(f))).ReadAll()
	if err != nil || len(rows) != 7 {
		t.Fatalf("flows CSV: %d rows, %v", len(rows), err)
	}
	if rows[1][4] != "us-cash" || rows[1][1] != "false" || rows[1][2] != "us-cash-fix" || rows[6][1] != "true" || rows[6][3] != "us-cash" {
		t.Fatalf("flows CSV: %q\n%q", rows[1], rows[6])
	}
	mustRun(t, dir, "ledger", "export-flows", "--format", "xlsx", "-o", "flows.xlsx")
	x, err := excelize.OpenFile(filepath.Join(dir, "flows.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := strings.Join(x.GetSheetList(), ","); got != "flows,postings,about" {
		t.Fatalf("sheets %s", got)
	}
	if v, _ := x.GetCellValue("flows", "E2"); v != "us-cash" {
		t.Fatalf("flows!E2 = %q", v)
	}
	if typ, _ := x.GetCellType("flows", "M2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Fatalf("flows!M2 (amount) is not a number: %v", typ)
	}
	if v, _ := x.GetCellValue("about", "B2"); v != "log" {
		t.Fatalf("about!B2 = %q", v)
	}
	// -o never writes over the database.
	mustFail(t, dir, "database", "ledger", "export-flows", "-o", "nadra.db")

	// An entries file is a journal, signed by no one.
	writeFile(t, filepath.Join(dir, "draft.csv"), head+
		"d1,commitment,2026-04-01,2026-Q2,UA,UA,fund,,1000.00,USD,,,,,draft (2026-04-01),,,,\n")
	mustJSON(t, mustRun(t, dir, "ledger", "balance", "--journal", "draft.csv", "--json"), &bal)
	if bal.Journal.Name != "draft.csv" || bal.Journal.Signed || bal.Journal.Entries != 1 {
		t.Fatalf("file journal: %+v", bal.Journal)
	}
	writeFile(t, filepath.Join(dir, "dup.csv"), head+
		"d1,commitment,2026-04-01,2026-Q2,UA,UA,fund,,1000.00,USD,,,,,draft (2026-04-01),,,,\n"+
		"d1,commitment,2026-04-01,2026-Q2,UA,UA,fund,,2000.00,USD,,,,,draft (2026-04-01),,,,\n")
	mustFail(t, dir, "dup.csv: entry 1 (d1): the id is used by entry 0", "ledger", "due", "--journal", "dup.csv")

	for _, tt := range []struct {
		want string
		args []string
	}{
		{"--rel \"1e-2\"", []string{"reconcile", "--rel", "1e-2"}},
		{"--rel \"0x1\"", []string{"reconcile", "--rel", "0x1"}},
		{"--rel \"1.5\"", []string{"reconcile", "--rel", "1.5"}},
		{"--rel \"-0.1\"", []string{"reconcile", "--rel", "-0.1"}},
		{"--floor \"-1\"", []string{"reconcile", "--floor", "-1"}},
		{"--floor \"1_000\"", []string{"reconcile", "--floor", "1_000"}},
		{"--as-of", []string{"balance", "--as-of", "2026-13-01"}},
		{"not both", []string{"balance", "--as-of", "2026-01-01", "--period", "2026"}},
		{"--period", []string{"due", "--period", "2026-Q5"}},
		{"--period", []string{"reconcile", "--period", "26"}},
		{"--party \"XX\"", []string{"balance", "--party", "XX"}},
		{"give -o FILE", []string{"export-flows", "--format", "xlsx"}},
		{"--format \"pdf\"", []string{"export-flows", "--format", "pdf"}},
		{"cannot be used together", []string{"due", "--json", "--csv"}},
	} {
		mustUsage(t, dir, tt.want, append([]string{"ledger"}, tt.args...)...)
	}
	mustFail(t, dir, "no deal terms \"nope\"", "ledger", "due", "--deal", "nope")
}

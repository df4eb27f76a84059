package ledger_test

import (
	"reflect"
	"strings"
	"testing"

	"nadra"
	"nadra/ledger"
)

// opt changes a test entry.
type opt func(*nadra.Entry)

func uah(rate string) opt {
	return func(e *nadra.Entry) { e.Currency, e.FXRate, e.FXSource = nadra.CurrencyUAH, rate, "NBU (2026-01-01)" }
}
func stream(s string) opt   { return func(e *nadra.Entry) { e.Stream = s } }
func licence(l string) opt  { return func(e *nadra.Entry) { e.Licence = l } }
func ref(r string) opt      { return func(e *nadra.Entry) { e.Ref = r } }
func corrects(c string) opt { return func(e *nadra.Entry) { e.Corrects = c } }
func postings(ps ...nadra.Posting) opt {
	return func(e *nadra.Entry) { e.Postings = ps }
}

// mkEntry makes a valid entry: kind, date, period, the posting party,
// payer and payee, and the amount in USD unless an option says UAH.
func mkEntry(t testing.TB, id, kind, date, period, party, from, to, amount string, opts ...opt) *nadra.Entry {
	t.Helper()
	m, err := nadra.ParseMoney(amount)
	if err != nil {
		t.Fatal(err)
	}
	e := &nadra.Entry{ID: id, Kind: kind, Date: date, Period: period, Party: party, From: from, To: to,
		Amount: m, Currency: nadra.CurrencyUSD, Docs: []string{"test document (2026-01-01)"}}
	if kind == nadra.KindReceipt {
		e.Stream, e.Licence = nadra.ReceiptRent, "lic"
	}
	if kind == nadra.KindContributionInKind {
		e.Valuation = "test valuation (2026-01-01)"
	}
	for _, o := range opts {
		o(e)
	}
	if e.Postings == nil {
		e.Postings = e.StandardPostings()
	}
	if err := e.Validate(); err != nil {
		t.Fatalf("test entry %s: %v", id, err)
	}
	return e
}

func mustMoney(t testing.TB, s string) nadra.Money {
	t.Helper()
	m, err := nadra.ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// am builds Amounts from decimal strings: USD as posted, UAH as posted,
// and both in US dollars.
func am(t testing.TB, usd, uah, inUSD string) ledger.Amounts {
	t.Helper()
	return ledger.Amounts{USD: mustMoney(t, usd), UAH: mustMoney(t, uah), InUSD: mustMoney(t, inUSD)}
}

func mustEffective(t testing.TB, es ...*nadra.Entry) []ledger.Effective {
	t.Helper()
	eff, err := (&ledger.Journal{Name: "test", Entries: es}).Effective()
	if err != nil {
		t.Fatal(err)
	}
	return eff
}

func TestPeriodBounds(t *testing.T) {
	tests := []struct {
		p, start, end string
	}{
		{"2025", "2025-01-01", "2025-12-31"},
		{"2025-Q1", "2025-01-01", "2025-03-31"},
		{"2025-Q4", "2025-10-01", "2025-12-31"},
		{"2024-02", "2024-02-01", "2024-02-29"}, // a leap year
		{"2025-02", "2025-02-01", "2025-02-28"},
		{"2026-12", "2026-12-01", "2026-12-31"},
	}
	for _, tt := range tests {
		s, e, err := ledger.PeriodBounds(tt.p)
		if err != nil || s != tt.start || e != tt.end {
			t.Fatalf("PeriodBounds(%q) = %s, %s, %v; want %s, %s", tt.p, s, e, err, tt.start, tt.end)
		}
	}
	for _, bad := range []string{"", "25", "2025-Q5", "2025-Q0", "2025-13", "2025-1", "2025-00", "2025Q1", " 2025", "2025-q1"} {
		if _, _, err := ledger.PeriodBounds(bad); err == nil {
			t.Fatalf("PeriodBounds(%q): no error", bad)
		}
	}
}

func TestPeriodWithin(t *testing.T) {
	tests := []struct {
		p, outer string
		want     bool
	}{
		{"2026-Q1", "2026", true},
		{"2026-02", "2026-Q1", true},
		{"2026-04", "2026-Q1", false},
		{"2026", "2026-Q1", false}, // a year is wider than its quarter
		{"2026", "2026", true},
		{"2025-Q4", "2026", false},
		{"bad", "2026", false},
	}
	for _, tt := range tests {
		if got := ledger.PeriodWithin(tt.p, tt.outer); got != tt.want {
			t.Fatalf("PeriodWithin(%q, %q) = %v, want %v", tt.p, tt.outer, got, tt.want)
		}
	}
}

func TestToUSD(t *testing.T) {
	tests := []struct {
		name, amount, cur, rate, want string
	}{
		{"USD as posted", "75000000.00", "USD", "", "75000000.00"},
		// 31,700,000.00 / 43.24 = 733,117.4838… → 733,117.48
		{"the Maidanska permit", "31700000.00", "UAH", "43.24", "733117.48"},
		// 0.01 / 2 = 0.005: half a cent rounds away from zero
		{"half a cent up", "0.01", "UAH", "2", "0.01"},
		{"half a cent down", "-0.01", "UAH", "2", "-0.01"},
		// 0.01 / 3 = 0.00333…
		{"a third of a cent", "0.01", "UAH", "3", "0.00"},
		// 41.29 / 41.2865 = 1.000084…
		{"rate with four decimals", "41.29", "UAH", "41.2865", "1.00"},
		// 100.00 / 0.333333 = 300.0003…
		{"rate with six decimals", "100.00", "UAH", "0.333333", "300.00"},
		// 1.00 / 0.000001 = 1,000,000.00
		{"the smallest rate", "1.00", "UAH", "0.000001", "1000000.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustMoney(t, tt.amount)
			got, err := ledger.ToUSD(m, tt.cur, tt.rate)
			if err != nil || got != mustMoney(t, tt.want) {
				t.Fatalf("ToUSD(%s %s at %s) = %s, %v; want %s", tt.amount, tt.cur, tt.rate, got, err, tt.want)
			}
		})
	}
	// 10^13 UAH at 0.000001 UAH per USD is 10^19 US dollars: refused,
	// never wrapped around.
	if _, err := ledger.ToUSD(nadra.MaxMoney, "UAH", "0.000001"); err == nil {
		t.Fatalf("ToUSD(MaxMoney at 0.000001): no error")
	}
	for _, bad := range []string{"", "0", "0.0", "1e3", "-1", "1.2345678", "abc"} {
		if _, err := ledger.ToUSD(100, "UAH", bad); err == nil {
			t.Fatalf("ToUSD at rate %q: no error", bad)
		}
	}
}

func TestJournal_Effective(t *testing.T) {
	d := "2026-01-10"
	a1 := mkEntry(t, "a1", nadra.KindCommitment, d, "2026", "US", "US", "fund", "10.00")
	b1 := mkEntry(t, "b1", nadra.KindReceipt, d, "2026", "UA", "co", "UA", "20.00", uah("40"))
	a2 := mkEntry(t, "a2", nadra.KindCommitment, d, "2026", "US", "US", "fund", "11.00", corrects("a1"))
	a3 := mkEntry(t, "a3", nadra.KindCommitment, d, "2026", "US", "US", "fund", "12.00", corrects("a2"))
	b2 := mkEntry(t, "b2", nadra.KindReceipt, d, "2026", "UA", "co", "UA", "21.00", uah("40"), corrects("b1"))
	b3 := mkEntry(t, "b3", nadra.KindReceipt, d, "2026", "UA", "co", "UA", "22.00", uah("40"), corrects("b1"))
	c1 := mkEntry(t, "c1", nadra.KindContributionCash, d, "2026", "US", "US", "fund", "5.00")
	eff := mustEffective(t, a1, b1, a2, a3, b2, b3, c1)
	type got struct {
		id, original string
		pos          int
		replaced     []string
	}
	var g []got
	for _, e := range eff {
		g = append(g, got{e.Entry.ID, e.Original, e.Position, e.Replaced})
	}
	want := []got{
		{"a3", "a1", 3, []string{"a1", "a2"}}, // a chain: the latest wins, naming the original
		{"b3", "b1", 5, []string{"b1", "b2"}}, // two corrections of b1: the later wins
		{"c1", "c1", 6, nil},
	}
	if !reflect.DeepEqual(g, want) {
		t.Fatalf("got %+v, want %+v", g, want)
	}

	bad := []struct {
		name    string
		entries []*nadra.Entry
		want    string
	}{
		{"duplicate id", []*nadra.Entry{a1, mkEntry(t, "a1", nadra.KindCommitment, d, "2026", "US", "US", "fund", "1.00")}, "entry 1 (a1): the id is used by entry 0"},
		{"unknown", []*nadra.Entry{a1, mkEntry(t, "x", nadra.KindCommitment, d, "2026", "US", "US", "fund", "1.00", corrects("zz"))}, "entry 1 (x): corrects zz, which is not an earlier entry"},
		{"a later entry", []*nadra.Entry{a2, a1}, "entry 0 (a2): corrects a1, which is not an earlier entry"},
		{"the other party's", []*nadra.Entry{b1, mkEntry(t, "x", nadra.KindReceipt, d, "2026", "US", "co", "UA", "1.00", corrects("b1"))}, "corrects b1, which is UA's entry"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := (&ledger.Journal{Name: "f.csv", Entries: tt.entries}).Effective()
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "f.csv") {
				t.Fatalf("got %v, want an error naming f.csv and %q", err, tt.want)
			}
		})
	}
}

// balanceOf returns an account's balance in a party's books.
func balanceOf(tb *ledger.TrialBalance, party, account string) (ledger.Amounts, bool) {
	for _, b := range tb.Books {
		if b.Party != party {
			continue
		}
		for _, a := range b.Accounts {
			if a.Account == account {
				return a.Balance, true
			}
		}
	}
	return ledger.Amounts{}, false
}

func TestBalances(t *testing.T) {
	es := []*nadra.Entry{
		mkEntry(t, "us-commit", nadra.KindCommitment, "2025-09-17", "2025", "US", "US", "fund", "75000000.00"),
		mkEntry(t, "us-cash", nadra.KindContributionCash, "2026-01-20", "2026-Q1", "US", "US", "fund", "25000000.00"),
		// 41,000,000.00 UAH / 41 = $1,000,000.00
		mkEntry(t, "ua-rent", nadra.KindReceipt, "2026-02-10", "2026-Q1", "UA", "co", "UA", "41000000.00", uah("41")),
		// A transfer for 2026-Q1 paid on 2026-04-15, after the quarter:
		// 20,500,000.00 / 41 = $500,000.00
		mkEntry(t, "ua-transfer", nadra.KindTransfer, "2026-04-15", "2026-Q1", "UA", "UA", "fund", "20500000.00", uah("41")),
		// The receipt corrected: 43,000,000.00 / 43 = $1,000,000.00
		mkEntry(t, "ua-rent-fix", nadra.KindReceipt, "2026-02-10", "2026-Q1", "UA", "co", "UA", "43000000.00", uah("43"), corrects("ua-rent")),
	}
	tbs, err := ledger.BalancesByPeriod(mustEffective(t, es...), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tbs) != 3 || tbs[0].AsOf != "2025-12-31" || tbs[1].AsOf != "2026-03-31" || tbs[2].AsOf != "" {
		t.Fatalf("got as-of days %v, want 2025-12-31, 2026-03-31 and the total", tbs)
	}
	tests := []struct {
		tb             int
		party, account string
		want           ledger.Amounts
	}{
		// 2025: the US commitment only.
		{0, "US", "us:commitment", am(t, "75000000.00", "0", "75000000.00")},
		{0, "US", "us:committed", am(t, "-75000000.00", "0", "-75000000.00")},
		// 2026-Q1: the US cash; UA's receipt as corrected; the transfer,
		// dated after the quarter's end, not yet.
		{1, "US", "fund:cash", am(t, "25000000.00", "0", "25000000.00")},
		{1, "US", "us:capital", am(t, "-25000000.00", "0", "-25000000.00")},
		{1, "UA", "ua:special-fund", am(t, "0", "43000000.00", "1000000.00")},
		{1, "UA", "ua:receipts:rent", am(t, "0", "-43000000.00", "-1000000.00")},
		// All entries: the transfer moves 20,500,000.00 out of the special
		// fund: 43,000,000.00 − 20,500,000.00 = 22,500,000.00 UAH;
		// $1,000,000.00 − $500,000.00 = $500,000.00.
		{2, "UA", "ua:special-fund", am(t, "0", "22500000.00", "500000.00")},
		{2, "UA", "fund:cash", am(t, "0", "20500000.00", "500000.00")},
		{2, "UA", "ua:capital", am(t, "0", "-20500000.00", "-500000.00")},
		{2, "UA", "ua:contributed", am(t, "0", "20500000.00", "500000.00")},
	}
	for _, tt := range tests {
		got, ok := balanceOf(tbs[tt.tb], tt.party, tt.account)
		if !ok || got != tt.want {
			t.Fatalf("%s: %s %s = %+v (found %v), want %+v", tbs[tt.tb], tt.party, tt.account, got, ok, tt.want)
		}
	}
	if _, ok := balanceOf(tbs[1], "UA", "fund:cash"); ok {
		t.Fatalf("as of 2026-03-31 the transfer of 2026-04-15 is counted")
	}
	// UA's debits in all: 43,000,000.00 (receipt) + 2 × 20,500,000.00
	// (the transfer's two debit lines) = 84,000,000.00 UAH; in USD
	// $1,000,000.00 + 2 × $500,000.00 = $2,000,000.00. The corrected
	// receipt of 41,000,000.00 is not counted.
	for _, b := range tbs[2].Books {
		if b.Party == "UA" {
			if want := am(t, "0", "84000000.00", "2000000.00"); b.Debits != want || b.Credits != want || !b.Balanced || b.Entries != 2 {
				t.Fatalf("UA books: debits %+v credits %+v balanced %v entries %d; want %+v each, balanced, 2 entries", b.Debits, b.Credits, b.Balanced, b.Entries, want)
			}
		}
	}
	one, err := ledger.Balances(mustEffective(t, es...), "2025-12-31", []string{"UA"})
	if err != nil || len(one.Books) != 1 || one.Books[0].Party != "UA" || one.Books[0].Entries != 0 || !one.Books[0].Balanced {
		t.Fatalf("UA's books as of 2025-12-31: %+v, %v; want empty and balanced", one, err)
	}
}

// TestBalances_SplitPostings converts a UAH entry with two debit lines:
// the entry's 100.00 UAH at 3 UAH per USD is 33.33 USD (33.333…), spread
// over 33.33 and 66.67 UAH by largest remainder: 33.33×33.33/100 =
// 11.108889 and 66.67×33.33/100 = 22.221111, floors 11.10 and 22.22 (one
// cent short), the cent to the larger remainder (0.8889): 11.11 and
// 22.22. The credit line gets all 33.33: debits equal credits in USD.
func TestBalances_SplitPostings(t *testing.T) {
	e := mkEntry(t, "x", nadra.KindExpense, "2026-01-01", "2026", "UA", "fund", "auditor", "100.00", uah("3"),
		postings(nadra.Posting{Account: "fund:expenses:audit", Debit: 3333}, nadra.Posting{Account: "fund:expenses:legal", Debit: 6667},
			nadra.Posting{Account: "fund:cash", Credit: 10000}))
	tb, err := ledger.Balances(mustEffective(t, e), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	for acct, want := range map[string]ledger.Amounts{
		"fund:expenses:audit": am(t, "0", "33.33", "11.11"),
		"fund:expenses:legal": am(t, "0", "66.67", "22.22"),
		"fund:cash":           am(t, "0", "-100.00", "-33.33"),
	} {
		if got, _ := balanceOf(tb, "UA", acct); got != want {
			t.Fatalf("%s = %+v, want %+v", acct, got, want)
		}
	}
}

func TestAmounts_String(t *testing.T) {
	tests := []struct {
		a    ledger.Amounts
		want string
	}{
		{am(t, "75000000.00", "0", "75000000.00"), "$75000000.00"},
		{am(t, "0", "31700000.00", "733117.48"), "UAH 31700000.00 = $733117.48"},
		{am(t, "10.00", "400.00", "20.00"), "$10.00 + UAH 400.00 = $20.00"},
		// UAH 100.00 due at 40 ($2.50) less UAH 100.00 paid at 41 ($2.44).
		{am(t, "0", "0", "0.06"), "UAH 0.00 = $0.06"},
		{am(t, "-2.50", "0", "-2.50"), "$-2.50"},
	}
	for _, tt := range tests {
		if got := tt.a.String(); got != tt.want {
			t.Fatalf("%+v.String() = %q, want %q", tt.a, got, tt.want)
		}
	}
}

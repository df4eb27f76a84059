package ledger_test

import (
	"math"
	"sort"
	"testing"

	"nadra"
	"nadra/ledger"
)

// reconJournal holds both parties' statements of ten flows (2026-Q1
// unless said). The thresholds are 1% and $100,000.00 unless a test says.
func reconJournal(t testing.TB) []*nadra.Entry {
	q1, d := "2026-Q1", "2026-02-01"
	return []*nadra.Entry{
		// 1. Both quote W-1 and agree.
		mkEntry(t, "us-1", nadra.KindContributionCash, d, q1, "US", "US", "fund", "25000000.00", ref("W-1")),
		mkEntry(t, "ua-1", nadra.KindContributionCash, d, q1, "UA", "US", "fund", "25000000.00", ref("W-1")),
		// 2. UA's cash, W-2: the payee side is the US (the payer's
		// partner). 10,000,000 − 10,150,000 = −150,000: 1.5% of
		// 10,000,000 and above $100,000: a discrepancy.
		mkEntry(t, "us-2", nadra.KindContributionCash, d, q1, "US", "UA", "fund", "10000000.00", ref("W-2")),
		mkEntry(t, "ua-2", nadra.KindContributionCash, d, q1, "UA", "UA", "fund", "10150000.00", ref("W-2")),
		// 3. W-3: 200,000 is above the floor but 200,000 / 49,800,000 =
		// 0.40% of UA's (the payee side's) statement: within.
		mkEntry(t, "us-3", nadra.KindContributionCash, d, q1, "US", "US", "fund", "50000000.00", ref("W-3")),
		mkEntry(t, "ua-3", nadra.KindContributionCash, d, q1, "UA", "US", "fund", "49800000.00", ref("W-3")),
		// 4. C-1: 100,000 / 1,900,000 = 5.26% but exactly the floor,
		// which a difference must exceed: within.
		mkEntry(t, "us-4", nadra.KindCommitment, d, q1, "US", "US", "fund", "2000000.00", ref("C-1")),
		mkEntry(t, "ua-4", nadra.KindCommitment, d, q1, "UA", "US", "fund", "1900000.00", ref("C-1")),
		// 5. No refs: the US splits a transfer in two, UA states it as
		// one, at another rate. 1,000,000 + 2,000,000 = 3,000,000 UAH on
		// both sides: they agree in hryvnias.
		mkEntry(t, "us-5a", nadra.KindTransfer, d, q1, "US", "UA", "fund", "1000000.00", uah("40")),
		mkEntry(t, "us-5b", nadra.KindTransfer, d, q1, "US", "UA", "fund", "2000000.00", uah("40")),
		mkEntry(t, "ua-5", nadra.KindTransfer, d, q1, "UA", "UA", "fund", "3000000.00", uah("41")),
		// 6. 2026-Q2, licence L: 50,000,000 − 40,000,000 = 10,000,000
		// UAH, 20% of the US (payee side) statement; at the US side's
		// rate, 10,000,000 / 40 = $250,000.00: a discrepancy.
		mkEntry(t, "us-6", nadra.KindTransfer, "2026-05-01", "2026-Q2", "US", "UA", "fund", "50000000.00", uah("40"), licence("L")),
		mkEntry(t, "ua-6", nadra.KindTransfer, "2026-05-01", "2026-Q2", "UA", "UA", "fund", "40000000.00", uah("40"), licence("L")),
		// 7. AID-1 in two currencies: $10,000,000.00 against 400,000,000
		// UAH / 41 = $9,756,097.56 (9,756,097.5609…); the difference
		// $243,902.44 is 2.5% of UA's (the payee's) statement: a
		// discrepancy.
		mkEntry(t, "us-7", nadra.KindContributionInKind, d, q1, "US", "US", "UA", "10000000.00", ref("AID-1")),
		mkEntry(t, "ua-7", nadra.KindContributionInKind, d, q1, "UA", "US", "UA", "400000000.00", uah("41"), ref("AID-1")),
		// 8. An expense the US quotes INV-7 for and UA quotes nothing:
		// matched on the aggregate key. Neither party is the payee: the
		// larger statement is the base; 20,000 / 120,000 = 16.7%, under
		// the floor: within.
		mkEntry(t, "us-8", nadra.KindExpense, d, q1, "US", "fund", "auditor", "120000.00", ref("INV-7")),
		mkEntry(t, "ua-8", nadra.KindExpense, d, q1, "UA", "fund", "auditor", "100000.00"),
		// 9. Stated by the US only.
		mkEntry(t, "us-9", nadra.KindInvestment, d, q1, "US", "fund", "dobra-jv", "12000000.00"),
		// 10. Stated by UA only.
		mkEntry(t, "ua-10", nadra.KindReceipt, d, q1, "UA", "co", "UA", "31700000.00", uah("43.24"), stream("fee")),
	}
}

func TestReconcile(t *testing.T) {
	rep, err := ledger.Reconcile(mustEffective(t, reconJournal(t)...), ledger.DefaultThresholds, "")
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		status, basis, currency, base string
		diff, diffUSD                 string
		rel                           float64
		exRel, exFloor                bool
	}
	tests := map[string]want{
		"contribution_cash US→fund 2026-Q1 ref W-1": {ledger.StatusMatched, ledger.BasisRef, "USD", "UA", "0.00", "0.00", 0, false, false},
		"contribution_cash UA→fund 2026-Q1 ref W-2": {ledger.StatusDiscrepancy, ledger.BasisRef, "USD", "US", "-150000.00", "150000.00", 0.015, true, true},
		"contribution_cash US→fund 2026-Q1 ref W-3": {ledger.StatusMatched, ledger.BasisRef, "USD", "UA", "200000.00", "200000.00", 200000.0 / 49800000, false, true},
		"commitment US→fund 2026-Q1 ref C-1":        {ledger.StatusMatched, ledger.BasisRef, "USD", "UA", "100000.00", "100000.00", 100000.0 / 1900000, true, false},
		"transfer UA→fund 2026-Q1":                  {ledger.StatusMatched, ledger.BasisAggregate, "UAH", "US", "0.00", "0.00", 0, false, false},
		"transfer UA→fund 2026-Q2 licence L":        {ledger.StatusDiscrepancy, ledger.BasisAggregate, "UAH", "US", "10000000.00", "250000.00", 0.2, true, true},
		"contribution_inkind US→UA 2026-Q1 ref AID-1": {ledger.StatusDiscrepancy, ledger.BasisRef, "in_usd", "UA", "243902.44", "243902.44",
			243902.44 / 9756097.56, true, true},
		"expense fund→auditor 2026-Q1": {ledger.StatusMatched, ledger.BasisAggregate, "USD", "US", "20000.00", "20000.00", 20000.0 / 120000, true, false},
	}
	seen := map[string]bool{}
	for _, it := range append(append([]ledger.ReconItem{}, rep.Matched...), rep.Discrepancies...) {
		w, ok := tests[it.Key()]
		if !ok {
			t.Fatalf("unexpected item %s: %+v", it.Key(), it)
		}
		seen[it.Key()] = true
		if it.Status != w.status || it.Basis != w.basis || it.Currency != w.currency || it.Base != w.base ||
			it.Diff != mustMoney(t, w.diff) || it.DiffUSD != mustMoney(t, w.diffUSD) || math.Abs(it.Rel-w.rel) > 1e-9 ||
			it.ExceedsRel != w.exRel || it.ExceedsFloor != w.exFloor {
			t.Fatalf("%s: got %+v, want %+v", it.Key(), it, w)
		}
	}
	if len(seen) != len(tests) {
		t.Fatalf("saw %d of the %d compared items", len(seen), len(tests))
	}
	if len(rep.Discrepancies) != 3 || len(rep.Matched) != 5 {
		t.Fatalf("%d discrepancies and %d matched, want 3 and 5", len(rep.Discrepancies), len(rep.Matched))
	}
	// The aggregate match of the expense keeps the ref the US quoted.
	for _, it := range rep.Matched {
		if it.Kind == nadra.KindExpense && (len(it.US.Refs) != 1 || it.US.Refs[0] != "INV-7" || len(it.UA.Refs) != 0) {
			t.Fatalf("the expense's refs: US %v, UA %v", it.US.Refs, it.UA.Refs)
		}
	}
	if len(rep.USOnly) != 1 || rep.USOnly[0].US.Entries[0] != "us-9" || rep.USOnly[0].UA != nil {
		t.Fatalf("US only: %+v", rep.USOnly)
	}
	// 31,700,000.00 / 43.24 = $733,117.48.
	if len(rep.UAOnly) != 1 || rep.UAOnly[0].UA.Amount != am(t, "0", "31700000.00", "733117.48") || rep.UAOnly[0].Stream != "fee" {
		t.Fatalf("UA only: %+v", rep.UAOnly)
	}
	// Discrepancies in order: 2026-Q1 cash, 2026-Q1 in-kind, 2026-Q2.
	var order []string
	for _, it := range rep.Discrepancies {
		order = append(order, it.Key())
	}
	if want := []string{"contribution_cash UA→fund 2026-Q1 ref W-2", "contribution_inkind US→UA 2026-Q1 ref AID-1", "transfer UA→fund 2026-Q2 licence L"}; !equal(order, want) {
		t.Fatalf("order %q, want %q", order, want)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestReconcile_Thresholds(t *testing.T) {
	eff := mustEffective(t, reconJournal(t)...)
	tests := []struct {
		name  string
		th    ledger.Thresholds
		want  []string // the discrepancies' keys, sorted
		items int
	}{
		// 0.1% and $0: every non-zero difference is one.
		{"strict", ledger.Thresholds{Rel: 0.001, Floor: 0}, []string{
			"commitment US→fund 2026-Q1 ref C-1", "contribution_cash UA→fund 2026-Q1 ref W-2", "contribution_cash US→fund 2026-Q1 ref W-3",
			"contribution_inkind US→UA 2026-Q1 ref AID-1", "expense fund→auditor 2026-Q1", "transfer UA→fund 2026-Q2 licence L"}, 10},
		// 50% and $1,000,000: none.
		{"lenient", ledger.Thresholds{Rel: 0.5, Floor: 1_000_000_00}, nil, 10},
		// 2% and $100,000: W-2 (1.5%) drops out.
		{"two percent", ledger.Thresholds{Rel: 0.02, Floor: 100_000_00}, []string{
			"contribution_inkind US→UA 2026-Q1 ref AID-1", "transfer UA→fund 2026-Q2 licence L"}, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := ledger.Reconcile(eff, tt.th, "")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range rep.Discrepancies {
				got = append(got, it.Key())
			}
			sort.Strings(got)
			if !equal(got, tt.want) || len(rep.Items()) != tt.items {
				t.Fatalf("got %q in %d items, want %q in %d", got, len(rep.Items()), tt.want, tt.items)
			}
		})
	}
	rep, err := ledger.Reconcile(eff, ledger.DefaultThresholds, "2026-Q2")
	if err != nil || len(rep.Items()) != 1 || rep.Discrepancies[0].Period != "2026-Q2" {
		t.Fatalf("2026-Q2 only: %+v, %v", rep, err)
	}
	if _, err := ledger.Reconcile(eff, ledger.Thresholds{Rel: -1}, ""); err == nil {
		t.Fatalf("a negative threshold: no error")
	}
}

// TestReconcile_Corrections: the US corrects its statement of W-9 from
// $5,000,000.00 to $5,200,000.00, UA's: the corrected statement is the
// one compared, and the item names the original it replaces.
func TestReconcile_Corrections(t *testing.T) {
	d := "2026-02-01"
	eff := mustEffective(t,
		mkEntry(t, "us-w9", nadra.KindContributionCash, d, "2026-Q1", "US", "US", "fund", "5000000.00", ref("W-9")),
		mkEntry(t, "ua-w9", nadra.KindContributionCash, d, "2026-Q1", "UA", "US", "fund", "5200000.00", ref("W-9")),
		mkEntry(t, "us-w9-fix", nadra.KindContributionCash, d, "2026-Q1", "US", "US", "fund", "5200000.00", ref("W-9"), corrects("us-w9")))
	rep, err := ledger.Reconcile(eff, ledger.DefaultThresholds, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Matched) != 1 || len(rep.Items()) != 1 {
		t.Fatalf("got %+v, want one matched item", rep)
	}
	it := rep.Matched[0]
	if it.Diff != 0 || !equal(it.US.Entries, []string{"us-w9-fix"}) || it.US.Replaces["us-w9-fix"] != "us-w9" || it.UA.Replaces != nil ||
		it.Note != "the two statements agree; US's us-w9-fix corrects us-w9" {
		t.Fatalf("got %+v (note %q)", it, it.Note)
	}
}

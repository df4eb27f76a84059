package ledger_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"nadra"
	"nadra/ledger"
)

// randomJournal makes a journal of n valid entries of every kind, in USD
// and in UAH at random rates, some with their own postings split over
// several lines, some correcting an earlier entry of their party.
func randomJournal(t testing.TB, r *rand.Rand, n int) []*nadra.Entry {
	t.Helper()
	var es []*nadra.Entry
	byParty := map[string][]string{}
	for i := 0; i < n; i++ {
		party := []string{"US", "UA"}[r.IntN(2)]
		kind := nadra.EntryKinds[r.IntN(len(nadra.EntryKinds))]
		var from, to string
		switch kind {
		case nadra.KindCommitment, nadra.KindContributionCash:
			from, to = []string{"US", "UA"}[r.IntN(2)], "fund"
		case nadra.KindContributionInKind:
			from, to = "US", "UA"
		case nadra.KindReceipt:
			from, to = fmt.Sprintf("co-%d", r.IntN(3)), "UA"
		case nadra.KindTransfer:
			from, to = "UA", "fund"
		case nadra.KindInvestment, nadra.KindExpense:
			from, to = "fund", fmt.Sprintf("project-%d", r.IntN(3))
		case nadra.KindDistribution:
			from, to = "fund", []string{"US", "UA"}[r.IntN(2)]
		}
		year := 2025 + r.IntN(3)
		month := 1 + r.IntN(12)
		e := &nadra.Entry{ID: fmt.Sprintf("e%d", i), Kind: kind, Party: party, From: from, To: to,
			Date:   fmt.Sprintf("%d-%02d-%02d", year, month, 1+r.IntN(28)),
			Period: []string{fmt.Sprintf("%d", year), fmt.Sprintf("%d-Q%d", year, (month+2)/3), fmt.Sprintf("%d-%02d", year, month)}[r.IntN(3)],
			Amount: nadra.Money(1 + r.Int64N(1_000_000_000_00)), Currency: "USD", Docs: []string{"doc (2026-01-01)"}}
		if r.IntN(2) == 0 {
			e.Currency, e.FXSource = "UAH", "NBU (2026-01-01)"
			e.FXRate = fmt.Sprintf("%d.%04d", 1+r.IntN(60), r.IntN(10000))
		}
		switch kind {
		case nadra.KindReceipt:
			e.Stream = []string{"rent", "royalty", "fee", "psa_share"}[r.IntN(4)]
			e.Licence = fmt.Sprintf("lic-%d", r.IntN(4))
		case nadra.KindContributionInKind:
			e.Valuation = "MoD report (2026-01-01)"
		}
		if r.IntN(4) == 0 {
			// Own postings: the amount split over 1–4 debit lines and
			// 1–4 credit lines.
			split := func(k int) []nadra.Money {
				parts := make([]nadra.Money, k)
				left := e.Amount
				for j := 0; j < k-1 && left > 1; j++ {
					parts[j] = 1 + nadra.Money(r.Int64N(int64(left-1)))
					left -= parts[j]
				}
				parts[k-1] += left
				return parts
			}
			e.Postings = nil
			for j, m := range split(1 + r.IntN(4)) {
				if m > 0 {
					e.Postings = append(e.Postings, nadra.Posting{Account: fmt.Sprintf("dr:a%d", j), Debit: m})
				}
			}
			for j, m := range split(1 + r.IntN(4)) {
				if m > 0 {
					e.Postings = append(e.Postings, nadra.Posting{Account: fmt.Sprintf("cr:a%d", j), Credit: m})
				}
			}
		} else {
			e.Postings = e.StandardPostings()
		}
		if prev := byParty[party]; len(prev) > 0 && r.IntN(5) == 0 {
			e.Corrects = prev[r.IntN(len(prev))]
		}
		if err := e.Validate(); err != nil {
			t.Fatalf("generated entry %d: %v", i, err)
		}
		byParty[party] = append(byParty[party], e.ID)
		es = append(es, e)
	}
	return es
}

// TestBalances_Property: in every random journal, at every period end
// and in total, each party's debits equal its credits, in each currency
// and in US dollars; its accounts' balances sum to zero; the debits in
// each currency are the sum of the debit lines of the party's effective
// entries to that day, counted here independently; and the total equals
// the books as of the latest date.
func TestBalances_Property(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 2026))
	for iter := 0; iter < 300; iter++ {
		es := randomJournal(t, r, 1+r.IntN(60))
		eff, err := (&ledger.Journal{Name: "random", Entries: es}).Effective()
		if err != nil {
			t.Fatal(err)
		}
		tbs, err := ledger.BalancesByPeriod(eff, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range tbs {
			for _, b := range tb.Books {
				if !b.Balanced || b.Debits != b.Credits {
					t.Fatalf("iteration %d, %s, %s books: debits %+v, credits %+v", iter, tb, b.Party, b.Debits, b.Credits)
				}
				var sum ledger.Amounts
				for _, a := range b.Accounts {
					sum.USD += a.Balance.USD
					sum.UAH += a.Balance.UAH
					sum.InUSD += a.Balance.InUSD
				}
				if !sum.IsZero() {
					t.Fatalf("iteration %d, %s, %s books: the balances sum to %+v, want zero", iter, tb, b.Party, sum)
				}
				var want ledger.Amounts
				n := 0
				for _, ef := range eff {
					e := ef.Entry
					if e.Party != b.Party || tb.AsOf != "" && e.Date > tb.AsOf {
						continue
					}
					n++
					for _, p := range e.Postings {
						if e.Currency == "USD" {
							want.USD += p.Debit
						} else {
							want.UAH += p.Debit
						}
					}
				}
				if b.Debits.USD != want.USD || b.Debits.UAH != want.UAH || b.Entries != n {
					t.Fatalf("iteration %d, %s, %s books: debits %+v in %d entries; the effective entries' debit lines sum to %+v in %d", iter, tb, b.Party, b.Debits, b.Entries, want, n)
				}
			}
		}
		latest := ""
		for _, e := range es {
			if e.Date > latest {
				latest = e.Date
			}
		}
		at, err := ledger.Balances(eff, latest, nil)
		if err != nil {
			t.Fatal(err)
		}
		total := tbs[len(tbs)-1]
		for i := range at.Books {
			if fmt.Sprint(at.Books[i]) != fmt.Sprint(total.Books[i]) {
				t.Fatalf("iteration %d: the books as of %s differ from the total:\n%+v\n%+v", iter, latest, at.Books[i], total.Books[i])
			}
		}
	}
}

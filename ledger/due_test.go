package ledger_test

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"nadra"
	"nadra/ledger"
)

// dueTerms: half of rent and permit receipts; US cash $75M in 2025,
// Ukraine's $50M in 2025 and $25M in 2026; in-kind aid counts.
func dueTerms() *nadra.DealTerms {
	return &nadra.DealTerms{ID: "test-terms", UkraineShare: 0.5, Streams: []string{nadra.StreamRent, nadra.StreamPermits},
		USCash: []nadra.Flow{{Year: 2025, USD: 75e6}}, UkraineCash: []nadra.Flow{{Year: 2025, USD: 50e6}, {Year: 2026, USD: 25e6}},
		InKindAidCounts: true}
}

// registerTable is the eligibility function under test: lic-a is
// eligible, lic-b is not, and nothing else is known.
func registerTable(id string) (bool, string, bool) {
	switch id {
	case "lic-a":
		return true, "granted after entry into force", true
	case "lic-b":
		return false, "a renewal", true
	}
	return false, "not in the register", false
}

func dueJournal(t testing.TB) []*nadra.Entry {
	return []*nadra.Entry{
		// 10,000,000.01 UAH / 40 = 250,000.00025 → $250,000.00.
		mkEntry(t, "r1", nadra.KindReceipt, "2026-02-10", "2026-Q1", "UA", "co-a", "UA", "10000000.01", uah("40"), licence("lic-a")),
		// lic-b is a renewal: not due.
		mkEntry(t, "r2", nadra.KindReceipt, "2026-02-11", "2026-Q1", "UA", "co-b", "UA", "8000000.00", uah("40"), licence("lic-b"), stream("fee")),
		// lic-c is not in the register: 4,000,000.00 / 40 = $100,000.00,
		// as corrected from 3,000,000.00.
		mkEntry(t, "r3", nadra.KindReceipt, "2026-02-12", "2026-Q1", "UA", "co-c", "UA", "3000000.00", uah("40"), licence("lic-c"), stream("fee")),
		mkEntry(t, "r3-fix", nadra.KindReceipt, "2026-02-12", "2026-Q1", "UA", "co-c", "UA", "4000000.00", uah("40"), licence("lic-c"), stream("fee"), corrects("r3")),
		// The state's PSA share is outside these terms' streams.
		mkEntry(t, "r4", nadra.KindReceipt, "2026-05-01", "2026-Q2", "UA", "co-a", "UA", "6000000.00", uah("50"), licence("lic-a"), stream("psa_share")),
		// A royalty is rent: 2,000,000.00 / 50 = $40,000.00.
		mkEntry(t, "r5", nadra.KindReceipt, "2026-05-05", "2026-Q2", "UA", "co-a", "UA", "2000000.00", uah("50"), licence("lic-a"), stream("royalty")),
		// A receipt in the US books is not what is due.
		mkEntry(t, "r6", nadra.KindReceipt, "2026-02-10", "2026-Q1", "US", "co-a", "UA", "1000000.00", uah("40"), licence("lic-a")),
		// Transfers: 4,000,000.00 / 40 = $100,000.00, per both books.
		mkEntry(t, "t1", nadra.KindTransfer, "2026-03-20", "2026-Q1", "UA", "UA", "fund", "4000000.00", uah("40"), licence("lic-a")),
		mkEntry(t, "t2", nadra.KindTransfer, "2026-03-21", "2026-Q1", "US", "UA", "fund", "4000000.00", uah("40"), licence("lic-a")),
		// 3,000,000.00 / 50 = $60,000.00, naming no licence, in UA's
		// books only.
		mkEntry(t, "t3", nadra.KindTransfer, "2026-06-30", "2026-Q2", "UA", "UA", "fund", "3000000.00", uah("50")),
	}
}

func TestDue(t *testing.T) {
	rep, err := ledger.Due(mustEffective(t, dueJournal(t)...), ledger.DueOptions{Terms: dueTerms(), Eligible: registerTable})
	if err != nil {
		t.Fatal(err)
	}
	zero := ledger.Amounts{}
	type line struct {
		period, licence string
		receipts, due   ledger.Amounts
		unknown         ledger.Amounts
		paid, received  ledger.Amounts
		arrUA, arrUS    ledger.Amounts
	}
	var got []line
	for _, p := range rep.Periods {
		for _, l := range append(p.Licences, p.Total) {
			got = append(got, line{p.Period, l.Licence, l.Receipts, l.Due, l.Unknown, l.PaidUA, l.ReceivedUS, l.ArrearsUA, l.ArrearsUS})
		}
	}
	want := []line{
		// 2026-Q1, lic-a: due = 0.5 × 10,000,000.01 = 5,000,000.005 →
		// 5,000,000.01 UAH (half a kopiyka rounds away from zero); in
		// USD 0.5 × $250,000.00 = $125,000.00. Paid 4,000,000.00
		// ($100,000.00) per both books: arrears 1,000,000.01 UAH,
		// $25,000.00.
		{"2026-Q1", "lic-a", am(t, "0", "10000000.01", "250000.00"), am(t, "0", "5000000.01", "125000.00"), zero,
			am(t, "0", "4000000.00", "100000.00"), am(t, "0", "4000000.00", "100000.00"), am(t, "0", "1000000.01", "25000.00"), am(t, "0", "1000000.01", "25000.00")},
		// lic-c: 0.5 × 4,000,000.00 = 2,000,000.00 ($50,000.00) would be
		// due, eligibility unknown: in no due and no arrears.
		{"2026-Q1", "lic-c", zero, zero, am(t, "0", "2000000.00", "50000.00"), zero, zero, zero, zero},
		{"2026-Q1", "", am(t, "0", "10000000.01", "250000.00"), am(t, "0", "5000000.01", "125000.00"), am(t, "0", "2000000.00", "50000.00"),
			am(t, "0", "4000000.00", "100000.00"), am(t, "0", "4000000.00", "100000.00"), am(t, "0", "1000000.01", "25000.00"), am(t, "0", "1000000.01", "25000.00")},
		// 2026-Q2, lic-a: 0.5 × 2,000,000.00 = 1,000,000.00 ($20,000.00),
		// nothing paid against it.
		{"2026-Q2", "lic-a", am(t, "0", "2000000.00", "40000.00"), am(t, "0", "1000000.00", "20000.00"), zero, zero, zero,
			am(t, "0", "1000000.00", "20000.00"), am(t, "0", "1000000.00", "20000.00")},
		// The transfer naming no licence: a surplus of 3,000,000.00
		// ($60,000.00) per UA's books; the US books do not show it.
		{"2026-Q2", "", zero, zero, zero, am(t, "0", "3000000.00", "60000.00"), zero, am(t, "0", "-3000000.00", "-60000.00"), zero},
		// Q2 in total: 1,000,000.00 − 3,000,000.00 = −2,000,000.00 UAH
		// ($20,000.00 − $60,000.00 = −$40,000.00) per UA; +1,000,000.00
		// ($20,000.00) per the US.
		{"2026-Q2", "", am(t, "0", "2000000.00", "40000.00"), am(t, "0", "1000000.00", "20000.00"), zero,
			am(t, "0", "3000000.00", "60000.00"), zero, am(t, "0", "-2000000.00", "-40000.00"), am(t, "0", "1000000.00", "20000.00")},
	}
	if !reflect.DeepEqual(got, want) {
		for i := range got {
			if i >= len(want) || !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("row %d: got %+v, want %+v", i, got[i], want[min(i, len(want)-1)])
			}
		}
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	// Carried forward: per UA, 1,000,000.01 − 2,000,000.00 = −999,999.99
	// UAH and $25,000.00 − $40,000.00 = −$15,000.00; per the US,
	// 1,000,000.01 + 1,000,000.00 = 2,000,000.01 UAH and $45,000.00.
	q2 := rep.Periods[1]
	if q2.CarriedUA != am(t, "0", "-999999.99", "-15000.00") || q2.CarriedUS != am(t, "0", "2000000.01", "45000.00") {
		t.Fatalf("carried to 2026-Q2: per UA %+v, per US %+v", q2.CarriedUA, q2.CarriedUS)
	}
	if rep.Periods[0].CarriedUA != am(t, "0", "1000000.01", "25000.00") {
		t.Fatalf("carried to 2026-Q1: %+v", rep.Periods[0].CarriedUA)
	}
	// lic-c's unknown due makes 2026-Q1's arrears, and every carried
	// figure from then on, incomplete; lic-a's are complete.
	if !rep.Periods[0].Licences[1].Incomplete || rep.Periods[0].Licences[0].Incomplete || !rep.Periods[0].Total.Incomplete ||
		rep.Periods[1].Total.Incomplete || !rep.Periods[1].CarriedIncomplete {
		t.Fatalf("incomplete flags: %+v", rep.Periods)
	}
	if len(rep.Unknown) != 1 || rep.Unknown[0].Licence != "lic-c" || rep.Unknown[0].Due != am(t, "0", "2000000.00", "50000.00") ||
		rep.Unknown[0].Reason != "not in the register" || !reflect.DeepEqual(rep.Unknown[0].Entries, []string{"r3-fix"}) ||
		rep.Unknown[0].Replaces["r3-fix"] != "r3" {
		t.Fatalf("eligibility unknown: %+v", rep.Unknown)
	}
	var notDue []string
	for _, l := range rep.NotDue {
		notDue = append(notDue, strings.Join(l.Entries, ",")+": "+l.Reason)
	}
	wantNotDue := []string{
		"r2: licence not eligible: a renewal",
		"r4: the terms' revenue streams do not include psa_share (a receipt's psa_share)",
		"r6: a receipt in the US books; what is due is computed from UA's books, the state's own receipts",
	}
	if !reflect.DeepEqual(notDue, wantNotDue) {
		t.Fatalf("not due: %q, want %q", notDue, wantNotDue)
	}

	// --period 2026-Q2: Q1's arrears are brought forward, Q1's lines
	// left out.
	rep, err = ledger.Due(mustEffective(t, dueJournal(t)...), ledger.DueOptions{Terms: dueTerms(), Eligible: registerTable, Period: "2026-Q2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Periods) != 1 || rep.Periods[0].Period != "2026-Q2" || rep.BroughtForwardUA != am(t, "0", "1000000.01", "25000.00") ||
		rep.Periods[0].CarriedUA != am(t, "0", "-999999.99", "-15000.00") || len(rep.Unknown) != 0 || len(rep.NotDue) != 1 ||
		!rep.BroughtForwardIncomplete || !rep.Periods[0].CarriedIncomplete {
		t.Fatalf("2026-Q2 alone: %+v", rep)
	}

	// Without an eligibility rule, nothing is counted: every eligible
	// stream's receipt is listed apart.
	rep, err = ledger.Due(mustEffective(t, dueJournal(t)...), ledger.DueOptions{Terms: dueTerms()})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Total.Due.IsZero() || len(rep.Unknown) != 4 {
		t.Fatalf("no rule: due %+v, %d unknown lines; want nothing due and 4 lines (r1, r2, r3, r5)", rep.Total.Due, len(rep.Unknown))
	}
}

func TestDue_Capital(t *testing.T) {
	es := []*nadra.Entry{
		mkEntry(t, "c1", nadra.KindCommitment, "2025-09-17", "2025", "US", "US", "fund", "75000000.00"),
		mkEntry(t, "c2", nadra.KindCommitment, "2025-09-17", "2025", "UA", "UA", "fund", "75000000.00"),
		mkEntry(t, "c3", nadra.KindContributionCash, "2025-11-03", "2025-Q4", "US", "US", "fund", "25000000.00"),
		// UA's books state the same US cash as 24,000,000.00.
		mkEntry(t, "c4", nadra.KindContributionCash, "2025-11-03", "2025-Q4", "UA", "US", "fund", "24000000.00"),
		mkEntry(t, "c5", nadra.KindContributionInKind, "2025-12-01", "2025", "US", "US", "UA", "10000000.00"),
		// 410,000,000.00 UAH / 41 = $10,000,000.00.
		mkEntry(t, "c6", nadra.KindContributionCash, "2026-02-01", "2026", "UA", "UA", "fund", "410000000.00", uah("41")),
		mkEntry(t, "c7", nadra.KindContributionCash, "2025-12-15", "2025", "UA", "UA", "fund", "5000000.00"),
	}
	tests := []struct {
		name   string
		inkind bool
		want   []string // partner books year: scheduled committed cash inkind counted out-vs-schedule out-vs-committed
	}{
		{"in-kind counts", true, []string{
			// 75 − (25 + 10) = 40 outstanding against both.
			"US US 2025: 75000000.00 75000000.00 25000000.00 10000000.00 35000000.00 40000000.00 40000000.00",
			// UA's books: 75 − 24 = 51 against the schedule; no US
			// commitment in UA's books: 0 − 24 = −24.
			"US UA 2025: 75000000.00 0.00 24000000.00 0.00 24000000.00 51000000.00 -24000000.00",
			"UA US 2025: 50000000.00 0.00 0.00 0.00 0.00 50000000.00 0.00",
			// Cumulative: 50 + 25 − 0 = 75.
			"UA US 2026: 25000000.00 0.00 0.00 0.00 0.00 75000000.00 0.00",
			// 50 − 5 = 45; 75 − 5 = 70.
			"UA UA 2025: 50000000.00 75000000.00 5000000.00 0.00 5000000.00 45000000.00 70000000.00",
			// Cumulative: 50 + 25 − (5 + 10) = 60; 75 − (5 + 10) = 60.
			"UA UA 2026: 25000000.00 0.00 10000000.00 0.00 10000000.00 60000000.00 60000000.00",
		}},
		{"in-kind does not count", false, []string{
			// 75 − 25 = 50.
			"US US 2025: 75000000.00 75000000.00 25000000.00 10000000.00 25000000.00 50000000.00 50000000.00",
			"US UA 2025: 75000000.00 0.00 24000000.00 0.00 24000000.00 51000000.00 -24000000.00",
			"UA US 2025: 50000000.00 0.00 0.00 0.00 0.00 50000000.00 0.00",
			"UA US 2026: 25000000.00 0.00 0.00 0.00 0.00 75000000.00 0.00",
			"UA UA 2025: 50000000.00 75000000.00 5000000.00 0.00 5000000.00 45000000.00 70000000.00",
			"UA UA 2026: 25000000.00 0.00 10000000.00 0.00 10000000.00 60000000.00 60000000.00",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			terms := dueTerms()
			terms.InKindAidCounts = tt.inkind
			rep, err := ledger.Due(mustEffective(t, es...), ledger.DueOptions{Terms: terms, Eligible: registerTable})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rep.Capital {
				got = append(got, strings.Join([]string{r.Partner, r.Books, strconv.Itoa(r.Year) + ":", r.Scheduled.String(), r.Committed.InUSD.String(),
					r.Cash.InUSD.String(), r.InKind.InUSD.String(), r.Counted.String(), r.OutstandingSchedule.String(), r.OutstandingCommitted.String()}, " "))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestDue_Errors(t *testing.T) {
	eff := mustEffective(t, dueJournal(t)...)
	if _, err := ledger.Due(eff, ledger.DueOptions{}); err == nil {
		t.Fatalf("no terms: no error")
	}
	bad := dueTerms()
	bad.UkraineShare = 1.5
	if _, err := ledger.Due(eff, ledger.DueOptions{Terms: bad}); err == nil {
		t.Fatalf("a share of 1.5: no error")
	}
	if _, err := ledger.Due(eff, ledger.DueOptions{Terms: dueTerms(), Period: "2026-Q9"}); err == nil {
		t.Fatalf("period 2026-Q9: no error")
	}
}

// TestRegisterEligibility: the register's verdicts under the terms, and
// licences it does not hold or cannot decide are unknown.
func TestRegisterEligibility(t *testing.T) {
	terms := &nadra.DealTerms{ID: "t", RevenueBase: nadra.BaseNew, InForce: "2025-05-23", LicensedUndeveloped: true,
		Commodities: []string{"graphite", "lithium"}}
	producing := true
	licences := []*nadra.Licence{
		{ID: "new", Kind: nadra.LicenceSpecialPermit, DepositID: "d1", Minerals: []string{"graphite"}, Granted: "2026-02-26"},
		{ID: "old-producing", Kind: nadra.LicenceSpecialPermit, DepositID: "d1", Minerals: []string{"graphite"}, Granted: "2002", DevelopedAtEntry: &producing},
		{ID: "iron", Kind: nadra.LicenceSpecialPermit, Minerals: []string{"iron"}, Granted: "2026-01-01"},
		{ID: "no-date", Kind: nadra.LicenceSpecialPermit, DepositID: "d2", Minerals: []string{"lithium"}},
	}
	deposits := []*nadra.Deposit{{ID: "d1", Stage: nadra.StageProducing}, {ID: "d2", Stage: nadra.StageProducing}}
	elig := ledger.RegisterEligibility(terms, licences, deposits)
	tests := []struct {
		id              string
		eligible, known bool
		reason          string
	}{
		{"new", true, true, "after the agreement came into force on 2025-05-23"},
		{"old-producing", false, true, "developed"},
		{"iron", false, true, "no mineral on the agreement's list: iron"},
		{"no-date", false, false, "eligibility unknown"},
		{"absent", false, false, `licence "absent" is not in the licence register`},
	}
	for _, tt := range tests {
		e, why, known := elig(tt.id)
		if e != tt.eligible || known != tt.known || !strings.Contains(why, tt.reason) {
			t.Errorf("%s: %v %v %q; want %v %v and %q", tt.id, e, known, why, tt.eligible, tt.known, tt.reason)
		}
	}
}

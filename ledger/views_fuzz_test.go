package ledger_test

import (
	"testing"

	"nadra"
	"nadra/ledger"
)

// FuzzViews: any entries file the parser accepts either fails the
// journal's checks (ids, corrections) with an error or goes through every
// view without an error, and each party's books balance: whatever
// nadra.Entry.Validate accepts, the views can count.
func FuzzViews(f *testing.F) {
	head := "id,kind,date,period,party,from,to,stream,amount,currency,fx_rate,fx_source,licence,ref,docs,valuation,corrects,public,memo\n"
	f.Add([]byte(head +
		"a,commitment,2025-09-17,2025,US,US,fund,,75000000.00,USD,,,,,x (2025),,,true,\n" +
		"b,receipt,2026-02-26,2026-Q1,UA,co,UA,fee,31700000.00,UAH,43.24,NBU (2026),lic,,y (2026),,,true,\n" +
		"c,receipt,2026-02-26,2026-Q1,UA,co,UA,fee,31000000.00,UAH,43.24,NBU (2026),lic,,y (2026),,b,true,\n"))
	f.Add([]byte(head +
		"t,transfer,2026-04-02,2026-Q1,UA,UA,fund,,1.01,UAH,0.000001,NBU (2026),,W-1,z (2026),,,,\n" +
		"v,receipt,2026-04-02,2026-Q1,UA,co,UA,rent,10000000.00,UAH,0.001,NBU (2026),l,W-1,z (2026),,,,\n" +
		"u,transfer,2026-04-02,2026-Q1,US,UA,fund,,1.00,UAH,999999.999999,NBU (2026),,W-1,z (2026),,,,\n"))
	f.Add([]byte(`{"id":"d","kind":"expense","date":"2026-01-20","period":"2026","party":"UA","from":"fund","to":"x","amount":"100.00","currency":"UAH","fx_rate":"3","fx_source":"s (2026)","docs":["z (2026)"],"postings":[{"account":"a","debit":"33.33","credit":"0"},{"account":"b","debit":"66.67","credit":"0"},{"account":"c","debit":"0","credit":"100.00"}]}`))
	terms := &nadra.DealTerms{ID: "fuzz", UkraineShare: 0.5, Streams: []string{nadra.StreamRent, nadra.StreamPermits},
		USCash: []nadra.Flow{{Year: 2025, USD: 75e6}}, InKindAidCounts: true}
	elig := func(l string) (bool, string, bool) { return len(l)%2 == 0, "by length", len(l)%3 != 0 }
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ledger.ParseEntries("fuzz", data)
		if err != nil {
			return
		}
		eff, err := (&ledger.Journal{Name: "fuzz", Entries: entries}).Effective()
		if err != nil {
			return
		}
		tbs, err := ledger.BalancesByPeriod(eff, nil)
		if err != nil {
			t.Fatalf("balances: %v", err)
		}
		for _, tb := range tbs {
			for _, b := range tb.Books {
				if !b.Balanced {
					t.Fatalf("%s, %s books do not balance: %+v %+v", tb, b.Party, b.Debits, b.Credits)
				}
			}
		}
		if _, err := ledger.Due(eff, ledger.DueOptions{Terms: terms, Eligible: elig}); err != nil {
			t.Fatalf("due: %v", err)
		}
		if _, err := ledger.Reconcile(eff, ledger.DefaultThresholds, ""); err != nil {
			t.Fatalf("reconcile: %v", err)
		}
	})
}

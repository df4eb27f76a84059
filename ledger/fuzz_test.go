package ledger_test

import (
	"bytes"
	"testing"

	"nadra/ledger"
)

// FuzzParseEntries: the entries parser never panics, and what it accepts
// is valid and survives its canonical encoding unchanged.
func FuzzParseEntries(f *testing.F) {
	f.Add([]byte(`{"id":"a","kind":"contribution_cash","date":"2026-01-20","period":"2026-Q1","party":"US","from":"US","to":"fund","amount":"1.00","currency":"USD","docs":["x (2026)"]}`))
	f.Add([]byte(`[{"id":"b","kind":"receipt","date":"2026-02-26","period":"2026","party":"UA","from":"lic","to":"UA","stream":"fee","amount":"31700000.00","currency":"UAH","fx_rate":"41.5","fx_source":"NBU (2026-02-26)","licence":"l","docs":["y (2026)"]}]`))
	f.Add([]byte("id,kind,date,period,party,from,to,stream,amount,currency,fx_rate,fx_source,licence,ref,docs,valuation,corrects,public,memo\n" +
		"c,expense,2026-03-01,2026-03,US,fund,admin,,12.50,USD,,,,,inv (2026),,,false,\n"))
	f.Add([]byte(`{"id":"d","kind":"transfer","date":"2026-01-20","period":"2026","party":"UA","from":"UA","to":"fund","amount":"5","currency":"USD","docs":["z (2026)"],"postings":[{"account":"fund:cash","debit":"5","credit":"0"},{"account":"ua:capital","debit":"0","credit":"5"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ledger.ParseEntries("fuzz", data)
		if err != nil {
			return
		}
		for _, e := range entries {
			if err := e.Validate(); err != nil {
				t.Fatalf("accepted an invalid entry %+v: %v", e, err)
			}
			c := ledger.Canonical(e)
			again, err := ledger.ParseEntries("canonical", c)
			if err != nil || len(again) != 1 {
				t.Fatalf("canonical form %s does not parse: %v", c, err)
			}
			if !bytes.Equal(ledger.Canonical(again[0]), c) {
				t.Fatalf("canonical form changes on a round trip:\n%s\n%s", c, ledger.Canonical(again[0]))
			}
		}
	})
}

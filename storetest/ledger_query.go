package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"nadra"
	"nadra/ledger"
)

// queryFixture posts seven entries and returns the log:
//
//	0 us-1        US cash         2025
//	1 ua-1        UA cash         2025-Q4
//	2 ua-r1       UA receipt      2026-02   dobra
//	3 ua-r2       UA receipt      2026-Q1   polokhivske
//	4 us-1-fix    US cash         2025      corrects us-1
//	5 us-1-fix2   US cash         2025-12   corrects us-1 (the latest)
//	6 ua-r1-fix   UA receipt      2026-02   dobra, corrects ua-r1
func queryFixture(t *testing.T, open Opener) *ledgerFixture {
	f := newLedger(t, open)
	receipt := func(id, period, licence string) *nadra.Entry {
		e := &nadra.Entry{ID: id, Kind: nadra.KindReceipt, Date: "2026-02-26", Period: period, Party: nadra.PartyUA,
			From: "licensee", To: nadra.PartyUA, Stream: nadra.ReceiptFee, Amount: 100, Currency: nadra.CurrencyUSD,
			Licence: licence, Docs: []string{"order (2026-02-26)"}}
		e.Postings = e.StandardPostings()
		return e
	}
	cash := func(party, id, period, corrects string) *nadra.Entry {
		e := cashEntry(party, id, 100)
		e.Period, e.Corrects = period, corrects
		return e
	}
	fix := receipt("ua-r1-fix", "2026-02", "dobra")
	fix.Corrects = "ua-r1"
	var notes [][]byte
	for _, e := range []*nadra.Entry{cash("US", "us-1", "2025", ""), cash("UA", "ua-1", "2025-Q4", ""),
		receipt("ua-r1", "2026-02", "dobra"), receipt("ua-r2", "2026-Q1", "polokhivske"),
		cash("US", "us-1-fix", "2025", "us-1"), cash("US", "us-1-fix2", "2025-12", "us-1"), fix} {
		notes = append(notes, f.sign(t, e))
	}
	if _, err := f.s.Append(context.Background(), notes); err != nil {
		t.Fatal(err)
	}
	return f
}

func testLedgerService_FindRecords(t *testing.T, open Opener) {
	f := queryFixture(t, open)
	ctx := context.Background()
	tests := []struct {
		name   string
		filter nadra.LedgerFilter
		want   string // the ids on the page
		total  int64
	}{
		{"All", nadra.LedgerFilter{}, "us-1 ua-1 ua-r1 ua-r2 us-1-fix us-1-fix2 ua-r1-fix", 7},
		{"Page", nadra.LedgerFilter{Offset: 1, Limit: 2}, "ua-1 ua-r1", 7},
		{"PastTheEnd", nadra.LedgerFilter{Offset: 7, Limit: 2}, "", 7},
		{"Party", nadra.LedgerFilter{Party: "US"}, "us-1 us-1-fix us-1-fix2", 3},
		{"Kind", nadra.LedgerFilter{Kind: nadra.KindReceipt}, "ua-r1 ua-r2 ua-r1-fix", 3},
		// A year holds its quarters and months; a quarter its months.
		{"Year", nadra.LedgerFilter{Period: "2025"}, "us-1 ua-1 us-1-fix us-1-fix2", 4},
		{"Quarter", nadra.LedgerFilter{Period: "2025-Q4"}, "ua-1 us-1-fix2", 2},
		{"QuarterOfMonths", nadra.LedgerFilter{Period: "2026-Q1"}, "ua-r1 ua-r2 ua-r1-fix", 3},
		{"Month", nadra.LedgerFilter{Period: "2026-02"}, "ua-r1 ua-r1-fix", 2},
		{"MonthNotInYearOnly", nadra.LedgerFilter{Period: "2025-10"}, "", 0},
		{"Licence", nadra.LedgerFilter{Licence: "dobra"}, "ua-r1 ua-r1-fix", 2},
		{"Combined", nadra.LedgerFilter{Party: "UA", Kind: nadra.KindReceipt, Period: "2026", Limit: 1, Offset: 1}, "ua-r2", 3},
		{"NoMatch", nadra.LedgerFilter{Party: "US", Kind: nadra.KindReceipt}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, total, err := f.s.FindRecords(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range recs {
				ids = append(ids, r.Entry.ID)
				if r.Signer != r.Entry.Party || len(r.Note) == 0 {
					t.Fatalf("record %+v: signer or note missing", r)
				}
			}
			if got := strings.Join(ids, " "); got != tt.want || total != tt.total {
				t.Fatalf("got %q (total %d), want %q (total %d)", got, total, tt.want, tt.total)
			}
		})
	}
	for _, bad := range []nadra.LedgerFilter{{Party: "EU"}, {Kind: "gift"}, {Period: "2026-Q5"}, {Period: "26"}, {Offset: -1}} {
		if _, _, err := f.s.FindRecords(ctx, bad); nadra.ErrorCode(err) != nadra.EINVALID {
			t.Errorf("%+v: error %v, want invalid", bad, err)
		}
	}
}

func testLedgerService_Corrections(t *testing.T, open Opener) {
	f := queryFixture(t, open)
	ctx := context.Background()
	got, next, err := f.s.Corrections(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	// us-1 is corrected twice (entries 4 and 5); the later correction wins.
	if fmt.Sprint(got) != "map[ua-r1:ua-r1-fix us-1:us-1-fix2]" || next != 7 {
		t.Fatalf("got %v, next %d", got, next)
	}
	// From entry 5 on: us-1-fix2 and ua-r1-fix.
	if got, _, _ := f.s.Corrections(ctx, 5); fmt.Sprint(got) != "map[ua-r1:ua-r1-fix us-1:us-1-fix2]" {
		t.Fatalf("from 5: %v", got)
	}
	// From entry 6 on: only ua-r1-fix.
	if got, _, _ := f.s.Corrections(ctx, 6); fmt.Sprint(got) != "map[ua-r1:ua-r1-fix]" {
		t.Fatalf("from 6: %v", got)
	}
	// Nothing new.
	if got, next, err := f.s.Corrections(ctx, 7); err != nil || len(got) != 0 || next != 7 {
		t.Fatalf("from 7: %v %d %v", got, next, err)
	}
}

func testLedgerService_FindCheckpoints(t *testing.T, open Opener) {
	f := queryFixture(t, open)
	ctx := context.Background()
	if cs, total, err := f.s.FindCheckpoints(ctx, 0, 1, true); err != nil || total != 0 || len(cs) != 0 {
		t.Fatalf("no checkpoint yet: %v %d %v", cs, total, err)
	}
	// Checkpoints at sizes 7 and 8; US co-signs the first.
	first, _, err := f.s.Checkpoint(ctx, "nadra.test/log")
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := f.s.Keys(ctx)
	ring, err := ledger.NewKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := ring.Cosign(first.Note, f.us)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddCosignature(ctx, msg); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Append(ctx, [][]byte{f.sign(t, cashEntry("UA", "ua-9", 1))}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.Checkpoint(ctx, ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		offset, limit int
		newest        bool
		want          string // size: signers
	}{
		{0, 0, false, "7:nadra.test/log,US 8:nadra.test/log"},
		{0, 1, true, "8:nadra.test/log"},
		{1, 1, true, "7:nadra.test/log,US"},
		{2, 1, true, ""},
	}
	for _, tt := range tests {
		cs, total, err := f.s.FindCheckpoints(ctx, tt.offset, tt.limit, tt.newest)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cs {
			got = append(got, fmt.Sprintf("%d:%s", c.Size, strings.Join(c.SignedBy, ",")))
		}
		if strings.Join(got, " ") != tt.want || total != 2 {
			t.Errorf("%+v: got %q (total %d), want %q (total 2)", tt, strings.Join(got, " "), total, tt.want)
		}
	}
}

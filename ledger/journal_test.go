package ledger_test

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"nadra"
	"nadra/ledger"
)

func TestParseRel(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0.01", 0.01, true}, {"0", 0, true}, {"1", 1, true}, {"0.000000001", 1e-9, true}, {"1.000", 1, true},
		{"", 0, false}, {"1.5", 0, false}, {"-0.1", 0, false}, {"+0.1", 0, false}, {"1e-2", 0, false}, {"0x1", 0, false},
		{"NaN", 0, false}, {"Inf", 0, false}, {".5", 0, false}, {"0.", 0, false}, {"0,5", 0, false}, {"0_1", 0, false},
		{"0.0000000001", 0, false}, {"1000", 0, false},
	}
	for _, tt := range tests {
		got, err := ledger.ParseRel(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseRel(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && (nadra.ErrorCode(err) != nadra.EINVALID || !strings.Contains(nadra.ErrorMessage(err), "expected a fraction from 0 to 1")) {
			t.Errorf("ParseRel(%q): error %v", tt.in, err)
		}
	}
}

func TestParseFloor(t *testing.T) {
	tests := []struct {
		in   string
		want nadra.Money
		ok   bool
	}{
		{"100000", 10_000_000, true}, {"100000.00", 10_000_000, true}, {"0", 0, true}, {"0.5", 50, true},
		{"-1", 0, false}, {"1e5", 0, false}, {"NaN", 0, false}, {"Inf", 0, false}, {"1.234", 0, false}, {"", 0, false},
		{"99999999999999999", 0, false}, {"1_000", 0, false},
	}
	for _, tt := range tests {
		got, err := ledger.ParseFloor(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseFloor(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// FuzzParseThresholds: whatever it accepts is finite, within bounds, and
// reads back the same from its own decimal form.
func FuzzParseThresholds(f *testing.F) {
	for _, s := range []string{"0.01", "1", "0", "100000.00", "1e-2", "NaN", "-0", "0.999999999", "999.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if r, err := ledger.ParseRel(s); err == nil {
			if !(r >= 0 && r <= 1) || math.IsNaN(r) {
				t.Fatalf("ParseRel(%q) = %v", s, r)
			}
			if back, err := ledger.ParseRel(strconv.FormatFloat(r, 'f', -1, 64)); err == nil && back != r {
				t.Fatalf("ParseRel(%q) = %v, read back as %v", s, r, back)
			}
		}
		if m, err := ledger.ParseFloor(s); err == nil {
			if m < 0 || m > nadra.MaxMoney {
				t.Fatalf("ParseFloor(%q) = %v", s, m)
			}
			if back, err := ledger.ParseFloor(m.String()); err != nil || back != m {
				t.Fatalf("ParseFloor(%q) = %v, read back as %v, %v", s, m, back, err)
			}
		}
	})
}

// TestViews: each kind of journal says what it is, and a view's report
// names the journal in an error about an entry.
func TestViews(t *testing.T) {
	commit := mkEntry(t, "us-commit", nadra.KindCommitment, "2025-09-17", "2025", "US", "US", "fund", "75000000.00")
	pub := mkEntry(t, "ua-fee", nadra.KindReceipt, "2026-02-26", "2026-Q1", "UA", "solartek-esko", "UA", "31700000.00", uah("43.24"), stream("fee"))
	pub.Public = true

	v, err := ledger.LogView([]*nadra.Entry{commit, pub})
	if err != nil {
		t.Fatal(err)
	}
	if i := v.Info; i.Name != "log" || !i.Signed || i.Public || i.Entries != 2 || i.InForce != 2 || i.Note != "the log: each entry signed by the party that posted it; 1 of them public figures (their docs), not the party's own books" || v.Missing != nil {
		t.Errorf("log: %+v", v.Info)
	}
	v, err = ledger.PublicView(&ledger.PublicJournal{File: "dataset/ledger/public.csv", Entries: []*nadra.Entry{pub}, Missing: []ledger.MissingFlow{{Flow: "cash"}}})
	if err != nil {
		t.Fatal(err)
	}
	if i := v.Info; i.Name != "public" || i.Signed || !i.Public || !strings.HasPrefix(i.Note, "the public journal (dataset/ledger/public.csv): public figures") || len(v.Missing) != 1 {
		t.Errorf("public: %+v", v.Info)
	}
	dv, err := v.Due(ledger.DueOptions{Terms: &nadra.DealTerms{ID: "t", UkraineShare: 0.5, Streams: []string{nadra.StreamPermits}}})
	if err != nil || len(dv.Missing) != 1 || dv.Journal.Name != "public" {
		t.Errorf("due on the public journal: %+v, %v", dv, err)
	}
	v, err = ledger.FileView("f.csv", []*nadra.Entry{commit})
	if err != nil || v.Info.Name != "f.csv" || v.Info.Signed || v.Info.Note != "an entries file, signed by no one" {
		t.Errorf("file: %+v, %v", v, err)
	}

	// Balances: a day or a period, not both; the period's end.
	if _, err := v.Balances(ledger.BalancesOptions{AsOf: "2025-12-31", Period: "2025"}); nadra.ErrorCode(err) != nadra.EINVALID {
		t.Errorf("as of and period: %v", err)
	}
	rep, err := v.Balances(ledger.BalancesOptions{Period: "2025-Q3"})
	if err != nil || len(rep.Balances) != 1 || rep.Balances[0].AsOf != "2025-09-30" || rep.Balances[0].Periods[0] != "2025-Q3" {
		t.Errorf("period 2025-Q3: %+v, %v", rep, err)
	}
	// An entry whose rate does not read (a journal built in code, not
	// parsed): the error names the journal and the entry.
	bad := *pub
	bad.ID, bad.FXRate = "ua-bad", "forty"
	v, err = ledger.FileView("bad.csv", []*nadra.Entry{&bad})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Reconcile(ledger.DefaultThresholds, ""); err == nil || !strings.HasPrefix(nadra.ErrorMessage(err), "bad.csv: entry 0 (ua-bad)") {
		t.Errorf("reconcile: %v", err)
	}
	// A correction of another party's entry in a file is refused.
	fix := mkEntry(t, "ua-fix", nadra.KindCommitment, "2025-09-17", "2025", "UA", "US", "fund", "1.00", corrects("us-commit"))
	if _, err := ledger.FileView("f.csv", []*nadra.Entry{commit, fix}); err == nil || !strings.Contains(err.Error(), "a party corrects its own") {
		t.Errorf("a correction of the other party's entry: %v", err)
	}
}

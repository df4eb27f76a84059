package supply_test

import (
	"strings"
	"testing"

	"nadra"
	"nadra/dataset"
	"nadra/supply"
)

func mustInputs(tb testing.TB, statuses map[string]nadra.Status) supply.Inputs {
	tb.Helper()
	ds, err := dataset.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return supply.Inputs{Data: mustSupply(tb), Deposits: ds.Deposits, Estimates: ds.Estimates,
		Statuses: func(expr string) (map[string]nadra.Status, string, error) {
			if expr == "bad" {
				return nil, "", nadra.Errorf(nadra.EINVALID, "column 1: no")
			}
			return statuses, "stub " + expr, nil
		}}
}

func TestNewReport(t *testing.T) {
	in := mustInputs(t, map[string]nadra.Status{"dobra": nadra.StatusControlled, "polokhivske": nadra.StatusControlled,
		"shevchenkivske": nadra.StatusOccupied, "kruta-balka": nadra.StatusOccupied})
	t.Run("Add", func(t *testing.T) {
		r, err := supply.NewReport(in, supply.Query{Commodity: "lithium", Add: []supply.Producer{{Country: "UA", Quantity: 40000}}, Recovery: 1})
		if err != nil {
			t.Fatal(err)
		}
		if r.After == nil || r.Metrics.Change.China == nil || *r.Metrics.Change.China >= 0 || !strings.Contains(r.Headline, "percentage points") {
			t.Fatalf("after %v, change %+v, headline %q", r.After, r.Metrics.Change, r.Headline)
		}
		if len(r.Additions) != 1 || r.Additions[0].From != "add" {
			t.Fatalf("additions %+v", r.Additions)
		}
	})
	t.Run("Accessible", func(t *testing.T) {
		expr := "some-scenario"
		r, err := supply.NewReport(in, supply.Query{Commodity: "lithium", Accessible: &expr, Recovery: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range r.Potentials {
			if p.Added != (p.Skipped == "" && p.Status == nadra.StatusControlled) {
				t.Errorf("%s (%s) added %v", p.DepositID, p.Status, p.Added)
			}
		}
		if !strings.Contains(strings.Join(r.Assumptions, " "), "stub some-scenario") {
			t.Errorf("assumptions do not name the snapshot: %q", r.Assumptions)
		}
		bad := "bad"
		if _, err := supply.NewReport(in, supply.Query{Commodity: "lithium", Accessible: &bad, Recovery: 1}); err == nil || !strings.Contains(err.Error(), "column 1") {
			t.Errorf("statuses error: %v", err)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		for _, tt := range []struct {
			q    supply.Query
			code string
			want string
		}{
			{supply.Query{Commodity: "copper", Recovery: 1}, nadra.EINVALID, "available: beryllium"},
			{supply.Query{Commodity: "lithium", Stage: "smelting", Recovery: 1}, nadra.EINVALID, "available: mine, refining"},
			{supply.Query{Commodity: "lithium", Year: 1999, Recovery: 1}, nadra.ENOTFOUND, "years with data"},
			{supply.Query{Commodity: "lithium", Deposits: []string{"atlantis"}, Recovery: 1}, nadra.EINVALID, "lithium deposits: dobra"},
			{supply.Query{Commodity: "lithium", Recovery: 0}, nadra.EINVALID, "recovery"},
		} {
			_, err := supply.NewReport(in, tt.q)
			if nadra.ErrorCode(err) != tt.code || !strings.Contains(nadra.ErrorMessage(err), tt.want) {
				t.Errorf("%+v: %v, want %s %q", tt.q, err, tt.code, tt.want)
			}
		}
	})
}

func TestOverview(t *testing.T) {
	rows, err := supply.Overview(mustInputs(t, nil), 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if r.Commodity == "rare_earths" {
			found = true
			if r.China == nil || *r.China < 0.5 || r.UkraineDeposit == 0 {
				t.Errorf("rare earths: %+v", r)
			}
		}
	}
	if !found || len(rows) < 10 {
		t.Fatalf("%d rows, rare earths found %v", len(rows), found)
	}
	if _, err := supply.Overview(mustInputs(t, nil), 1999); nadra.ErrorCode(err) != nadra.ENOTFOUND {
		t.Errorf("1999: %v", err)
	}
}

func TestParseAddition(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want supply.Producer
		err  string
	}{
		{"UA=40000", supply.Producer{Country: "UA", Quantity: 40000}, ""},
		{"ua:1_000", supply.Producer{}, "not a number"},
		{"ua:0x1p10", supply.Producer{}, "not a number"},
		{"UA=-1", supply.Producer{}, "must not be negative"},
		{"UA=forty", supply.Producer{}, "is not a number"},
		{"40000", supply.Producer{}, "expected COUNTRY=QUANTITY"},
		{"Ukraine=1", supply.Producer{}, "ISO 3166-1"},
		{"world:5", supply.Producer{}, "ISO 3166-1"},
	} {
		got, err := supply.ParseAddition(tt.in)
		if tt.err == "" && (err != nil || got != tt.want) {
			t.Errorf("ParseAddition(%q) = %+v, %v", tt.in, got, err)
		}
		if tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("ParseAddition(%q) error %v, want %q", tt.in, err, tt.err)
		}
	}
}

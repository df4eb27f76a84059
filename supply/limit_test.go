package supply_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"nadra"
	"nadra/supply"
)

// worldSum is the sum of a table's rows for one year, world row and
// withheld figures left out, computed from the rows themselves.
func worldSum(d *nadra.SupplyData, commodity, stage string, year int) float64 {
	t := 0.0
	for _, p := range d.Production {
		if p.Commodity == commodity && p.Stage == stage && p.Year == year && p.Country != nadra.CountryWorld && p.Quantity != nil {
			t += *p.Quantity
		}
	}
	return t
}

// TestNewReport_AdditionLimit checks that a what-if adds at most
// MaxAdditionFactor times world production, and that sums past the
// largest float64 (issue 9: UA:1e308,CN:1e308 made every share NaN and
// the server answer "error marshaling response") are refused with the
// field named.
func TestNewReport_AdditionLimit(t *testing.T) {
	in := mustInputs(t, nil)
	world := worldSum(in.Data, "lithium", "mine", 2025)
	if world <= 0 {
		t.Fatalf("no lithium mine production in 2025")
	}
	limit := supply.MaxAdditionFactor * world
	for _, tt := range []struct {
		name string
		add  []supply.Producer
		ok   bool
	}{
		{"AtTheLimit", []supply.Producer{{Country: "UA", Quantity: limit}}, true},
		{"SplitAtTheLimit", []supply.Producer{{Country: "UA", Quantity: limit / 2}, {Country: "CN", Quantity: limit / 2}}, true},
		{"OverTheLimit", []supply.Producer{{Country: "UA", Quantity: limit * 1.000001}}, false},
		{"TogetherOver", []supply.Producer{{Country: "UA", Quantity: limit * 0.6}, {Country: "CA", Quantity: limit * 0.6}}, false},
		{"Huge", []supply.Producer{{Country: "UA", Quantity: 1e300}}, false},
		{"SumOverflows", []supply.Producer{{Country: "UA", Quantity: 1e308}, {Country: "CN", Quantity: 1e308}}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := supply.NewReport(in, supply.Query{Commodity: "lithium", Year: 2025, Add: tt.add, Recovery: 1})
			if tt.ok {
				if err != nil {
					t.Fatalf("got %v, want a report", err)
				}
				if _, err := json.Marshal(rep); err != nil {
					t.Fatalf("report does not encode: %v", err)
				}
				return
			}
			var qe *supply.QueryError
			if !errors.As(err, &qe) || qe.Field != "add" || nadra.ErrorCode(err) != nadra.EINVALID {
				t.Fatalf("got %v, want an EINVALID QueryError on add", err)
			}
			if msg := nadra.ErrorMessage(err); !strings.Contains(msg, "100 times world production") || strings.Contains(msg, "Inf") || strings.Contains(msg, "NaN") {
				t.Fatalf("message %q", msg)
			}
		})
	}
}

// TestNewReport_Finite builds the report of every table and year in the
// dataset, plain and with additions up to the limit, and checks that each
// encodes as JSON: no NaN or infinity anywhere in the output.
func TestNewReport_Finite(t *testing.T) {
	in := mustInputs(t, nil)
	n := 0
	for _, s := range in.Data.Series {
		for _, y := range supply.Years(s, in.Data.Production) {
			world := worldSum(in.Data, s.Commodity, s.Stage, y)
			adds := [][]supply.Producer{nil,
				{{Country: "UA", Quantity: 1}},
				{{Country: "UA", Quantity: world}, {Country: "CN", Quantity: world}},
				{{Country: "UA", Quantity: supply.MaxAdditionFactor * world}},
			}
			for _, add := range adds {
				rep, err := supply.NewReport(in, supply.Query{Commodity: s.Commodity, Stage: s.Stage, Year: y, Add: add, Recovery: 1})
				if err != nil {
					if s.ShareOnly() && len(add) > 0 {
						continue // tonnes cannot be added to shares
					}
					t.Fatalf("%s %s %d add %v: %v", s.Commodity, s.Stage, y, add, err)
				}
				if _, err := json.Marshal(rep); err != nil {
					t.Errorf("%s %s %d add %v: %v", s.Commodity, s.Stage, y, add, err)
				}
				n++
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d reports built", n)
	}
	rows, err := supply.Overview(in, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := json.Marshal(rows); err != nil {
		t.Errorf("overview: %v", err)
	}
}

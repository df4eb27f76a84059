package dataset_test

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"nadra"
	"nadra/dataset"
)

func TestSupply(t *testing.T) {
	d, err := dataset.Supply()
	if err != nil {
		t.Fatal(err)
	}
	series := d.SeriesMap()
	named := map[string]bool{nadra.CountryOther: true, nadra.CountryWorld: true}
	for _, c := range d.Countries {
		named[c.Code] = true
	}
	t.Run("EveryCountryNamed", func(t *testing.T) {
		for _, p := range d.Production {
			if !named[p.Country] {
				t.Errorf("production %s/%s %d: country %q has no name in countries.csv", p.Commodity, p.Stage, p.Year, p.Country)
			}
		}
		for _, r := range d.Reserves {
			if !named[r.Country] {
				t.Errorf("reserves %s: country %q has no name", r.Commodity, r.Country)
			}
		}
	})
	t.Run("IssueCommoditiesCovered", func(t *testing.T) {
		for _, k := range []string{"rare_earths/mine", "lithium/mine", "graphite/mine", "titanium/mine", "titanium/refining",
			"uranium/mine", "manganese/mine", "gallium/refining", "germanium/refining", "nickel/mine", "cobalt/mine",
			"beryllium/mine", "zirconium/mine", "tantalum/mine", "niobium/mine"} {
			n := 0
			for _, p := range d.Production {
				if p.SeriesKey() == k {
					n++
				}
			}
			if series[k] == nil || n == 0 {
				t.Errorf("%s: %d rows", k, n)
			}
		}
	})
	t.Run("RegistryCodes", func(t *testing.T) {
		ds, err := dataset.Default()
		if err != nil {
			t.Fatal(err)
		}
		known := dataset.CommodityCodes(ds.Commodities)
		for _, s := range d.Series {
			if s.Registry != "" && !known[s.Registry] {
				t.Errorf("series %s: registry code %q is not in commodities.csv", s.Key(), s.Registry)
			}
		}
	})
	t.Run("GovernanceMeansMatchShared", func(t *testing.T) {
		// The 36 producers of ../shared/data/model/wgi.csv carry a mean
		// computed there; ours is computed here from the same six.
		data, err := os.ReadFile(filepath.Join("..", "..", "shared", "data", "model", "wgi.csv"))
		if err != nil {
			t.Skip("../shared/data/model/wgi.csv not present: skipping the cross-check of WGI means")
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")[1:]
		byISO3 := map[string]string{"CHN": "CN", "USA": "US", "UKR": "UA", "COD": "CD", "RUS": "RU", "AUS": "AU"}
		checked := 0
		for _, l := range lines {
			f := strings.Split(l, ",")
			code := byISO3[f[1]]
			if code == "" {
				continue
			}
			want, err := strconv.ParseFloat(f[9], 64)
			if err != nil {
				t.Fatalf("shared wgi.csv: %v", err)
			}
			for _, g := range d.Governance {
				if g.Country == code {
					if got := g.Mean(); math.Abs(got-want) > 0.0006 {
						t.Errorf("%s mean %.4f, shared %s", code, got, f[9])
					}
					checked++
				}
			}
		}
		if checked != len(byISO3) {
			t.Errorf("checked %d countries", checked)
		}
	})
}

func TestParseProductionCSV(t *testing.T) {
	d, err := dataset.Supply()
	if err != nil {
		t.Fatal(err)
	}
	series := d.SeriesMap()
	refs := dataset.ProductionRefs{Series: series, Countries: dataset.CountryCodes(d.Countries), LastYear: 2026}
	head := strings.Join(dataset.ProductionColumns, ",") + "\n"
	src := `,"USGS MCS 2026, https://pubs.usgs.gov/periodicals/mcs2026/ (2026-02)"`
	tests := []struct {
		name, body string
		line       int
		field, in  string
	}{
		{"OK", "lithium,mine,,UA,2026,40000,,false,estimate" + src + "\n", 0, "", ""},
		{"UnknownSeries", "copper,mine,,CL,2024,5000,,false," + src + "\n", 2, "commodity", "known series: beryllium/mine"},
		{"UnknownStage", "lithium,smelting,,CN,2024,1,,false," + src + "\n", 2, "stage", "expected mine or refining"},
		{"BadCountry", "lithium,mine,,China,2024,1,,false," + src + "\n", 2, "country", "ISO 3166-1"},
		{"NegativeQuantity", "lithium,mine,,CN,2024,-5,,false," + src + "\n", 2, "quantity", "zero or more"},
		{"NonNumeric", "lithium,mine,,CN,2024,lots,,false," + src + "\n", 2, "quantity", "not a number"},
		{"ShareInQuantitySeries", "lithium,mine,,CN,2024,,20,false," + src + "\n", 2, "share_pct", "give quantity"},
		{"NoFigureNoNote", "lithium,mine,,US,2024,,,false," + src + "\n", 2, "note", "must say why"},
		{"UndatedSource", "lithium,mine,,CN,2024,1,,false,,USGS\n", 2, "source", "lacks a date"},
		{"Repeat", "lithium,mine,,CN,2024,1,,false," + src + "\nlithium,mine,,CN,2024,2,,false," + src + "\n", 3, "", "repeats the row on line 2"},
		{"SharesOver100", "germanium,refining,,CN,2024,,83,false," + src + "\ngermanium,refining,,RU,2024,,20,false," + src +
			"\ngermanium,refining,,US,2025,,50,false," + src + "\n", 2, "share_pct", "germanium refining 2024: published shares add up to 103.0%; at most 100.5% is allowed (100% and 0.5 points for rounding) (lines 2, 3)"},
		{"QuantitiesOverWorld", "lithium,mine,,CN,2024,80,,false," + src + "\nlithium,mine,,AU,2024,40,,false," + src +
			"\nlithium,mine,,world,2024,100,,false," + src + "\n", 2, "share_pct", "(lines 2, 3)"},
		// (638 + 425) / 1000 = 106.3%, over the 105% allowed: the message
		// gives the real limit and says how to give a newer world total.
		{"QuantitiesOverWorldLimit", "lithium,mine,,CN,2024,638,,false," + src + "\nlithium,mine,,AU,2024,425,,false," + src +
			"\nlithium,mine,,world,2024,1000,,false," + src + "\n", 2, "share_pct",
			"country quantities add up to 106.3% of the published world total; at most 105% is allowed (world totals are rounded); if the total is out of date, add a world row for lithium mine 2024 with the newer total"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := dataset.ParseProductionCSV("p.csv", strings.NewReader(head+tt.body), refs)
			if tt.line == 0 {
				if err != nil || len(rows) != 1 || *rows[0].Quantity != 40000 {
					t.Fatalf("%v %v", rows, err)
				}
				return
			}
			var ie *nadra.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v (%T), want an InputError", err, err)
			}
			if ie.Line != tt.line || ie.Field != tt.field || !strings.Contains(ie.Problem, tt.in) {
				t.Errorf("got %q (line %d field %q), want line %d field %q containing %q", err, ie.Line, ie.Field, tt.line, tt.field, tt.in)
			}
			if nadra.ErrorCode(err) != nadra.EINVALID {
				t.Errorf("code %s", nadra.ErrorCode(err))
			}
		})
	}
	t.Run("RoundTrip", func(t *testing.T) {
		var buf bytes.Buffer
		if err := dataset.WriteProductionCSV(&buf, d.Production); err != nil {
			t.Fatal(err)
		}
		again, err := dataset.ParseProductionCSV("again.csv", &buf, refs)
		if err != nil || len(again) != len(d.Production) {
			t.Fatalf("%v, %d rows", err, len(again))
		}
	})
}

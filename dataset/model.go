package dataset

import (
	"bytes"
	"math"
	"strings"
	"sync"

	"nadra"
	"nadra/deal"
)

// Model parameter files, in dataset/model. See FORMAT.md, "Model
// parameters".
var (
	ParameterColumns = []string{"key", "scope", "value", "low", "high", "unit", "status", "source", "note"}
	StudyColumns     = []string{"commodity", "project", "metric", "value", "per", "unit", "year", "source"}
	ProductColumns   = []string{"commodity", "product", "basis", "content", "source", "deposit_id"}
	ProjectColumns   = []string{"deposit_id", "commodity", "input", "value", "low", "high", "unit", "status", "source", "note"}
	LeadTimeColumns  = []string{"stage", "min_years", "mode_years", "max_years", "status", "source", "note"}
	PriceColumns     = []string{"series", "commodity", "year", "price", "unit", "source"}
	HazardColumns    = []string{"min_km", "max_km", "exposure", "lost", "rate", "source"}
)

// ModelParams returns the deal model's parameters shipped in
// dataset/model, parsed once per process.
func ModelParams() (*deal.Params, error) {
	paramsOnce.Do(func() { params, paramsErr = loadParams() })
	return params, paramsErr
}

var (
	paramsOnce sync.Once
	params     *deal.Params
	paramsErr  error
)

func loadParams() (*deal.Params, error) {
	read := func(name string) []byte {
		b, err := dealFiles.ReadFile("model/" + name)
		if err != nil {
			return nil
		}
		return b
	}
	p := &deal.Params{}
	var err error
	if p.Values, err = ParseParametersCSV("dataset/model/parameters.csv", read("parameters.csv")); err != nil {
		return nil, err
	}
	if p.Studies, err = ParseStudiesCSV("dataset/model/studies.csv", read("studies.csv")); err != nil {
		return nil, err
	}
	if p.Products, err = ParseProductsCSV("dataset/model/products.csv", read("products.csv")); err != nil {
		return nil, err
	}
	if p.LeadTimes, err = ParseLeadTimesCSV("dataset/model/lead_times.csv", read("lead_times.csv")); err != nil {
		return nil, err
	}
	if p.Prices, err = ParsePricesCSV("dataset/model/prices.csv", read("prices.csv")); err != nil {
		return nil, err
	}
	if p.Projects, err = ParseProjectsCSV("dataset/model/projects.csv", read("projects.csv")); err != nil {
		return nil, err
	}
	if b := read("hazard.csv"); b != nil {
		if p.Hazard, err = ParseHazardCSV("dataset/model/hazard.csv", b); err != nil {
			return nil, err
		}
	}
	return p, nil
}

var paramStatuses = map[string]bool{deal.StatusFact: true, deal.StatusDerived: true, deal.StatusUnverified: true, deal.StatusAssumption: true}

// rows iterates over the records of a model CSV file.
func rows(file string, data []byte, columns []string, each func(t *table) error) error {
	data, err := readAll(file, bytes.NewReader(data))
	if err != nil {
		return err
	}
	t, err := newTable(file, data, columns)
	if err != nil {
		return err
	}
	for {
		ok, err := t.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if err := each(t); err != nil {
			return err
		}
	}
}

// required parses a required finite number.
func (t *table) required(c string) (float64, error) {
	v, err := t.float(c)
	if err != nil {
		return 0, err
	}
	if v == nil {
		return 0, t.errf(c, "required")
	}
	return *v, nil
}

// sourced checks a source column: one or more sources, each dated.
func (t *table) sourced(c string) (string, error) {
	s := t.str(c)
	list := splitSources(s)
	if len(list) == 0 {
		return "", t.errf(c, "required: every value needs a source")
	}
	for _, x := range list {
		if err := nadra.ValidateSource(x); err != nil {
			return "", t.errf(c, "%s", nadra.ErrorMessage(err))
		}
	}
	return s, nil
}

// ParseParametersCSV reads parameters.csv: one scalar per row with its
// range, unit, status and source.
func ParseParametersCSV(file string, data []byte) ([]deal.Value, error) {
	var out []deal.Value
	seen := map[string]bool{}
	err := rows(file, data, ParameterColumns, func(t *table) error {
		v := deal.Value{Key: t.str("key"), Scope: t.str("scope"), Unit: t.str("unit"), Status: t.str("status"), Note: t.str("note"),
			Low: math.NaN(), High: math.NaN()}
		if v.Key == "" {
			return t.errf("key", "required")
		}
		k := v.Key + "\x1f" + v.Scope
		if seen[k] {
			return t.errf("key", "%s for %q given twice", v.Key, v.Scope)
		}
		seen[k] = true
		var err error
		if v.Value, err = t.required("value"); err != nil {
			return err
		}
		for _, c := range []struct {
			col string
			dst *float64
		}{{"low", &v.Low}, {"high", &v.High}} {
			p, err := t.float(c.col)
			if err != nil {
				return err
			}
			if p != nil {
				*c.dst = *p
			}
		}
		if math.IsNaN(v.Low) != math.IsNaN(v.High) {
			return t.errf("low", "give both low and high, or neither")
		}
		if !math.IsNaN(v.Low) && !(v.Low <= v.Value && v.Value <= v.High) {
			return t.errf("value", "%g is outside its range [%g, %g]", v.Value, v.Low, v.High)
		}
		if v.Value < 0 {
			return t.errf("value", "negative %g; every model parameter is a non-negative amount, rate or share", v.Value)
		}
		if !paramStatuses[v.Status] {
			return t.errf("status", "%q unknown; expected fact, derived, unverified or assumption", v.Status)
		}
		if v.Source, err = t.sourced("source"); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// ParseStudiesCSV reads studies.csv: capex and opex figures from
// published studies.
func ParseStudiesCSV(file string, data []byte) ([]deal.Study, error) {
	var out []deal.Study
	err := rows(file, data, StudyColumns, func(t *table) error {
		s := deal.Study{Commodity: t.str("commodity"), Project: t.str("project"), Metric: t.str("metric"), Unit: t.str("unit"), Year: t.str("year")}
		if s.Metric != deal.MetricCapex && s.Metric != deal.MetricOpex {
			return t.errf("metric", "%q unknown; expected %s or %s", s.Metric, deal.MetricCapex, deal.MetricOpex)
		}
		s.Per = t.str("per")
		if s.Per != "product" && nadra.Bases[s.Per].Code == "" {
			return t.errf("per", "%q unknown; expected product or a basis code such as LCE", s.Per)
		}
		var err error
		if s.Value, err = t.required("value"); err != nil {
			return err
		}
		if s.Value <= 0 {
			return t.errf("value", "must be positive")
		}
		if s.Source, err = t.sourced("source"); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

// ParseProductsCSV reads products.csv: what a mine of each commodity
// sells and its content.
func ParseProductsCSV(file string, data []byte) ([]deal.Product, error) {
	var out []deal.Product
	seen := map[string]bool{}
	err := rows(file, data, ProductColumns, func(t *table) error {
		p := deal.Product{Commodity: t.str("commodity"), Name: t.str("product"), Basis: t.str("basis"), DepositID: t.str("deposit_id")}
		k := p.Commodity + "\x1f" + p.DepositID
		if seen[k] {
			return t.errf("commodity", "a second product for %s%s; expected one per commodity and deposit", p.Commodity, map[bool]string{true: " at " + p.DepositID}[p.DepositID != ""])
		}
		seen[k] = true
		if nadra.Bases[p.Basis].Code == "" {
			return t.errf("basis", "unknown basis %q", p.Basis)
		}
		var err error
		if p.Content, err = t.required("content"); err != nil {
			return err
		}
		if !(p.Content > 0 && p.Content <= 1) {
			return t.errf("content", "%g outside (0, 1]", p.Content)
		}
		if p.Source, err = t.sourced("source"); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// ParseLeadTimesCSV reads lead_times.csv.
func ParseLeadTimesCSV(file string, data []byte) ([]deal.LeadTime, error) {
	var out []deal.LeadTime
	err := rows(file, data, LeadTimeColumns, func(t *table) error {
		l := deal.LeadTime{Stage: t.str("stage"), Status: t.str("status"), Note: t.str("note")}
		var err error
		if l.Min, err = t.required("min_years"); err != nil {
			return err
		}
		if l.Mode, err = t.required("mode_years"); err != nil {
			return err
		}
		if l.Max, err = t.required("max_years"); err != nil {
			return err
		}
		if !(0 <= l.Min && l.Min <= l.Mode && l.Mode <= l.Max && l.Max <= 60) {
			return t.errf("min_years", "expected 0 <= min <= mode <= max <= 60")
		}
		if !paramStatuses[l.Status] {
			return t.errf("status", "%q unknown", l.Status)
		}
		if l.Source, err = t.sourced("source"); err != nil {
			return err
		}
		out = append(out, l)
		return nil
	})
	return out, err
}

// ParsePricesCSV reads prices.csv, the annual price history used for
// correlations.
func ParsePricesCSV(file string, data []byte) ([]deal.PricePoint, error) {
	var out []deal.PricePoint
	err := rows(file, data, PriceColumns, func(t *table) error {
		p := deal.PricePoint{Series: t.str("series"), Commodity: t.str("commodity"), Unit: t.str("unit")}
		y, err := t.integer("year")
		if err != nil {
			return err
		}
		if y == nil {
			return t.errf("year", "required")
		}
		p.Year = *y
		if p.Price, err = t.required("price"); err != nil {
			return err
		}
		if p.Price <= 0 {
			return t.errf("price", "must be positive")
		}
		if p.Source, err = t.sourced("source"); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// ParseHazardCSV reads hazard.csv, the empirical conflict hazard by
// distance band.
func ParseHazardCSV(file string, data []byte) ([]deal.HazardBin, error) {
	var out []deal.HazardBin
	err := rows(file, data, HazardColumns, func(t *table) error {
		var h deal.HazardBin
		var err error
		for _, c := range []struct {
			col string
			dst *float64
		}{{"min_km", &h.MinKm}, {"max_km", &h.MaxKm}, {"exposure", &h.Exposure}, {"lost", &h.Lost}, {"rate", &h.Rate}} {
			if *c.dst, err = t.required(c.col); err != nil {
				return err
			}
			if *c.dst < 0 {
				return t.errf(c.col, "negative")
			}
		}
		if h.Rate > 1 {
			return t.errf("rate", "%g is over 1", h.Rate)
		}
		if h.Source, err = t.sourced("source"); err != nil {
			return err
		}
		out = append(out, h)
		return nil
	})
	return out, err
}

// ParseProjectsCSV reads projects.csv: published figures about single
// projects, which the model uses instead of Taylor's rule and the cost
// curves (FORMAT.md, "projects.csv").
func ParseProjectsCSV(file string, data []byte) ([]deal.ProjectInput, error) {
	var out []deal.ProjectInput
	seen := map[string]bool{}
	known := map[string]bool{}
	for _, k := range deal.ProjectInputKeys {
		known[k] = true
	}
	err := rows(file, data, ProjectColumns, func(t *table) error {
		v := deal.ProjectInput{DepositID: t.str("deposit_id"), Commodity: t.str("commodity"), Input: t.str("input"), Unit: t.str("unit"),
			Status: t.str("status"), Note: t.str("note"), Low: math.NaN(), High: math.NaN()}
		if len(v.DepositID) > nadra.MaxIDLen || !slugRE.MatchString(v.DepositID) {
			return t.errf("deposit_id", "%q is not a deposit id (a slug)", nadra.Truncate(v.DepositID, 80))
		}
		if !known[v.Input] {
			return t.errf("input", "%q unknown; expected one of %s", nadra.Truncate(v.Input, 40), strings.Join(deal.ProjectInputKeys, ", "))
		}
		perCommodity := v.Input == deal.InputCapacity || v.Input == deal.InputRefCapacity
		switch {
		case perCommodity && v.Commodity == "":
			return t.errf("commodity", "required for %s: the capacity is of one commodity's product", v.Input)
		case !perCommodity && v.Commodity != "":
			return t.errf("commodity", "must be empty for %s, which is of the whole project", v.Input)
		}
		k := v.DepositID + "\x1f" + v.Commodity + "\x1f" + v.Input
		if seen[k] {
			return t.errf("input", "%s for %s given twice", v.Input, v.DepositID)
		}
		seen[k] = true
		var err error
		if v.Value, err = t.required("value"); err != nil {
			return err
		}
		for _, c := range []struct {
			col string
			dst *float64
		}{{"low", &v.Low}, {"high", &v.High}} {
			p, err := t.float(c.col)
			if err != nil {
				return err
			}
			if p != nil {
				*c.dst = *p
			}
		}
		if math.IsNaN(v.Low) != math.IsNaN(v.High) {
			return t.errf("low", "give both low and high, or neither")
		}
		if !math.IsNaN(v.Low) && !(v.Low <= v.Value && v.Value <= v.High) {
			return t.errf("value", "%g is outside its range [%g, %g]", v.Value, v.Low, v.High)
		}
		switch v.Input {
		case deal.InputExisting, deal.InputLeftOut, deal.InputCeasefire:
			if v.Value != 0 && v.Value != 1 {
				return t.errf("value", "%g: %s is 1 (yes) or 0 (no)", v.Value, v.Input)
			}
		case deal.InputLead, deal.InputConstruction:
			if v.Value < 0 || v.Value > 60 || (!math.IsNaN(v.Low) && v.Low < 0) || (!math.IsNaN(v.High) && v.High > 60) {
				return t.errf("value", "%g years: expected 0 to 60", v.Value)
			}
		default:
			if !(v.Value > 0) {
				return t.errf("value", "%g: expected a positive amount", v.Value)
			}
		}
		if !paramStatuses[v.Status] {
			return t.errf("status", "%q unknown; expected fact, derived, unverified or assumption", v.Status)
		}
		if v.Source, err = t.sourced("source"); err != nil {
			return err
		}
		if err := checkNote(t, v.Note); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

func checkNote(t *table, note string) error {
	if len(note) > nadra.MaxNoteLen {
		return t.errf("note", "%d characters; at most %d allowed", len(note), nadra.MaxNoteLen)
	}
	return nil
}

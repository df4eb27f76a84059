package deal

import (
	"sort"
	"strings"
)

// ProjectsReport is the per-project view of a simulation, what "nadra
// simulate --projects --json" prints: every project with its inputs, each
// beside its published figure and source (Calibration), and its results;
// the deposits left out with the reason; and the fund's receipts by
// commodity under each set of terms.
type ProjectsReport struct {
	Paths       int              `json:"paths"`
	Seed        uint64           `json:"seed"`
	Control     string           `json:"control_status"`
	Settings    Settings         `json:"settings"`
	Headline    []HeadlineReport `json:"headline" doc:"The fund's receipts (PV) under each set of terms, and by commodity."`
	Projects    []ProjectView    `json:"projects"`
	Lost        []NotValued      `json:"occupied_or_grey"`
	NotValued   []NotValued      `json:"not_valued"`
	Calibration []Calibration    `json:"calibration" doc:"Every per-project input beside its published figure and source, and the ratio of the model's own value to it."`
	Assumptions []ValueReport    `json:"assumptions"`
	Missing     []string         `json:"missing"`
}

// ProjectView is one project: its inputs and their sources, and its
// results.
type ProjectView struct {
	Project
	Results ProjectReport `json:"results"`
}

// HeadlineReport is the fund's receipts under one set of terms and their
// split by commodity, from the per-project results.
type HeadlineReport struct {
	Terms          string             `json:"terms"`
	FundReceiptsPV SummaryReport      `json:"fund_receipts_pv"`
	ByCommodity    []CommodityReceipt `json:"by_commodity"`
}

// CommodityReceipt is the mean PV of the fund's receipts from the
// projects of one commodity (a project of several is listed under all of
// them joined with "+"), and its share of the total.
type CommodityReceipt struct {
	Commodity string `json:"commodity"`
	FundPV    Num    `json:"fund_receipts_pv"`
	Share     Num    `json:"share"`
}

// NewProjectsReport returns the per-project view of r.
func NewProjectsReport(r *Result, control string) *ProjectsReport {
	m := r.Model
	out := &ProjectsReport{Paths: r.Paths, Seed: r.Seed, Control: control, Settings: m.Settings, Lost: m.Lost, NotValued: m.NotValued,
		Missing: r.Missing, Projects: []ProjectView{}, Calibration: []Calibration{}}
	results := ProjectReports(r.Projects)
	for i, p := range m.Projects {
		out.Projects = append(out.Projects, ProjectView{Project: p, Results: results[i]})
		out.Calibration = append(out.Calibration, p.Calibration...)
	}
	for _, v := range r.Assumed {
		out.Assumptions = append(out.Assumptions, ValueReport{v.Key, v.Scope, v.Unit, v.Status, v.Source, v.Note, Num(v.Value), Num(v.Low), Num(v.High)})
	}
	for k, tr := range r.Terms {
		h := HeadlineReport{Terms: tr.ID, FundReceiptsPV: Summary(tr.Metrics["fund_receipts_pv"])}
		by := map[string]float64{}
		for _, pr := range r.Projects {
			if k >= len(pr.Terms) || !pr.Terms[k].InBase {
				continue
			}
			by[strings.Join(pr.Commodities, "+")] += pr.Terms[k].FundPV.Mean
		}
		var keys []string
		for c := range by {
			keys = append(keys, c)
		}
		sort.Slice(keys, func(i, j int) bool {
			return by[keys[i]] > by[keys[j]] || by[keys[i]] == by[keys[j]] && keys[i] < keys[j]
		})
		total := tr.Metrics["fund_receipts_pv"].Mean
		for _, c := range keys {
			share := Num(0)
			if total > 0 {
				share = Num(by[c] / total)
			}
			h.ByCommodity = append(h.ByCommodity, CommodityReceipt{c, Num(by[c]), share})
		}
		out.Headline = append(out.Headline, h)
	}
	return out
}

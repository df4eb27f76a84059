// Package claims tests public claims about Ukraine's mineral resources
// against nadra's registry, control snapshots, deal model and supply
// tables. It is pure: the caller supplies the data and the situations.
//
// For each claim it computes nadra's own figure under each method that
// fits the claim's kind (by count, by contained quantity, by in-situ
// value, by value net of recoverable cost; by world production share),
// on the claim's own date and on the latest line, with and without the
// areas occupied before 2022, each with its coverage, a verdict and one
// sentence why. The rules are in README.md ("Claims") and below.
package claims

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"nadra"
	"nadra/deal"
	"nadra/geo"
	"nadra/internal/numfmt"
	"nadra/supply"
)

// Coverage thresholds: below them a figure is "not testable with this
// data". A share by count needs MinLocated located deposits in its
// universe; a share or value by quantity needs MinWithFigure deposits
// with the figure, and at least MinCoverage of the located deposits.
const (
	MinLocated    = 5
	MinWithFigure = 3
	MinCoverage   = 0.5
)

// Inputs are what the claims are tested against.
type Inputs struct {
	Registry geo.Registry
	// At returns the situation on date (the latest snapshot on or before
	// it, or the first snapshot for an earlier date) and that snapshot's
	// date.
	At func(date string) (geo.Situation, string, error)
	// Latest is the latest snapshot's date.
	Latest string
	// Net is each deposit's value net of recoverable cost by commodity,
	// for the deposits the deal model values (deal.NetValues).
	Net map[string]map[string]float64
	// Supply is the world supply data; nil leaves supply claims untested.
	Supply *nadra.SupplyData
}

// Evaluate tests every claim.
func Evaluate(cs []*nadra.Claim, in Inputs) (*nadra.ClaimsReport, error) {
	rep := &nadra.ClaimsReport{Latest: in.Latest, Claims: []nadra.ClaimResult{}}
	for _, c := range cs {
		r, err := evaluate(c, in)
		if err != nil {
			return nil, fmt.Errorf("claim %s: %w", c.ID, err)
		}
		rep.Claims = append(rep.Claims, r)
	}
	rep.Notes = []string{
		"Inaccessible means occupied (since 2022 or before) or in the grey zone on the snapshot's date.",
		"\"Without pre-2022\" leaves the deposits in areas occupied before 2022 out of both the part and the whole: the share of what Ukraine held on 2022-02-23.",
		"In-situ value is contained quantity × one indicative price: an upper bound. Net value is what the deal model recovers, less its opex and capex, undiscounted, before rent and tax; it exists only for lithium, titanium, graphite and uranium.",
		fmt.Sprintf("A figure is not testable when it rests on fewer than %d located deposits (count), or on fewer than %d deposits with its figure or under %.0f%% of the located ones (quantity and value).", MinLocated, MinWithFigure, MinCoverage*100),
		"The registry is not exhaustive: a sum of values is a lower bound for its scope, so a sum below a claimed total cannot refute it.",
	}
	return rep, nil
}

func evaluate(c *nadra.Claim, in Inputs) (nadra.ClaimResult, error) {
	res := nadra.ClaimResult{Claim: *c, Figures: []nadra.ClaimFigure{}}
	var err error
	switch c.Kind {
	case nadra.ClaimSupplyShare:
		res.Figures = supplyFigures(c, in)
	default:
		res.Figures, err = registryFigures(c, in)
		if err != nil {
			return res, err
		}
	}
	res.Verdict, res.Why = summarise(c, res.Figures)
	return res, nil
}

// scope returns the registry restricted to the claim's scope.
func scope(reg geo.Registry, s string) (geo.Registry, error) {
	switch s {
	case "all":
		return reg, nil
	case "critical":
		return reg.Only(func(c *nadra.Commodity) bool { return c.USCritical2025 || c.EUCritical2023 }), nil
	}
	for _, k := range nadra.CommodityClasses {
		if string(k) == s {
			return reg.OfClass(k), nil
		}
	}
	for _, c := range reg.Commodities {
		if c.Code == s {
			return reg.Only(func(x *nadra.Commodity) bool { return x.Code == s }), nil
		}
	}
	return geo.Registry{}, nadra.Errorf(nadra.EINVALID, "scope %q: expected all, critical, metallic, energy, industrial or a commodity code", s)
}

// methods returns the methods to compute for a claim.
func methods(c *nadra.Claim, reg geo.Registry) []nadra.ClaimMethod {
	var out []nadra.ClaimMethod
	switch c.Kind {
	case nadra.ClaimOccupiedShare:
		out = []nadra.ClaimMethod{nadra.MethodCount, nadra.MethodInSitu, nadra.MethodNet}
		if len(reg.Commodities) == 1 {
			out = []nadra.ClaimMethod{nadra.MethodCount, nadra.MethodContained, nadra.MethodInSitu, nadra.MethodNet}
		}
	case nadra.ClaimOccupiedValue, nadra.ClaimTotalValue:
		out = []nadra.ClaimMethod{nadra.MethodInSitu, nadra.MethodNet}
	case nadra.ClaimTarget:
		out = []nadra.ClaimMethod{nadra.MethodInSitu}
	}
	return out
}

// stated reports whether a method fits the claim's stated basis.
func stated(c *nadra.Claim, m nadra.ClaimMethod) bool {
	if len(c.Methods) == 0 {
		return true
	}
	for _, x := range c.Methods {
		if x == m {
			return true
		}
	}
	return false
}

type line struct{ name, date string }

func registryFigures(c *nadra.Claim, in Inputs) ([]nadra.ClaimFigure, error) {
	reg, err := scope(in.Registry, c.Scope)
	if err != nil {
		return nil, err
	}
	figs := geo.DepositFigures(reg)
	lines := []line{{"claim date", c.Date}}
	if in.Latest != "" {
		lines = append(lines, line{"latest", in.Latest})
	}
	var out []nadra.ClaimFigure
	for _, ln := range lines {
		sit, snap, err := in.At(ln.date)
		if err != nil {
			return nil, err
		}
		rep := geo.Access(ln.date, sit, reg, geo.AccessOptions{NoDistances: true})
		for _, pre := range []bool{true, false} {
			for _, m := range methods(c, reg) {
				f := measure(c, reg, figs, in.Net, rep, m, pre)
				f.Line, f.Snapshot, f.Pre2022 = ln.name, snap, pre
				judge(c, &f)
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// measure computes one figure from the statuses of rep.
func measure(c *nadra.Claim, reg geo.Registry, figs map[string]map[string]geo.Figure, net map[string]map[string]float64,
	rep *nadra.AccessReport, m nadra.ClaimMethod, pre bool) nadra.ClaimFigure {
	f := nadra.ClaimFigure{Method: m, Deposits: []string{}}
	basis := ""
	if len(reg.Commodities) == 1 {
		basis = reg.Commodities[0].Basis
	}
	switch m {
	case nadra.MethodCount:
		f.Unit = "deposits"
	case nadra.MethodContained:
		f.Unit = "t " + basis
	default:
		f.Unit = "USD"
	}
	var part, whole float64
	for _, d := range rep.Deposits {
		if !pre && d.Since != nil && *d.Since == nadra.SinceBefore {
			continue
		}
		f.Coverage.Deposits++
		if d.Status == nadra.StatusUnknown {
			continue
		}
		f.Coverage.Located++
		if d.InSituUSD != nil {
			f.Coverage.Valued++
		}
		var v float64
		has := false
		switch m {
		case nadra.MethodCount:
			v, has = 1, true
		case nadra.MethodContained:
			for _, x := range figs[d.ID] {
				if x.Contained != nil {
					v, has = *x.Contained, true
				}
			}
		case nadra.MethodInSitu:
			if d.InSituUSD != nil {
				v, has = *d.InSituUSD, true
			}
		case nadra.MethodNet:
			for code, usd := range net[d.ID] {
				if inScope(reg, code) {
					v += usd
					has = true
				}
			}
		}
		if !has {
			continue
		}
		f.Coverage.WithFigure++
		inacc := d.Status.Inaccessible()
		switch c.Kind {
		case nadra.ClaimOccupiedShare, nadra.ClaimOccupiedValue:
			whole += v
			if inacc {
				part += v
				f.Deposits = append(f.Deposits, d.ID)
			}
		default: // totals
			whole += v
			part += v
			f.Deposits = append(f.Deposits, d.ID)
		}
	}
	sort.Strings(f.Deposits)
	if f.Coverage.WithFigure == 0 {
		return f
	}
	p, w := part, whole
	f.Part, f.Whole = &p, &w
	switch c.Kind {
	case nadra.ClaimOccupiedShare:
		if whole > 0 {
			s := part / whole
			f.Value = &s
		}
	default:
		f.Value = &p
	}
	return f
}

func inScope(reg geo.Registry, code string) bool {
	for _, c := range reg.Commodities {
		if c.Code == code {
			return true
		}
	}
	return false
}

// testable returns "" when a figure's coverage allows a test, or why not.
func testable(f *nadra.ClaimFigure) string {
	cov := f.Coverage
	if f.Value == nil {
		switch {
		case cov.WithFigure == 0 && f.Method == nadra.MethodNet:
			return "the deal model values none of these deposits (it has costs for lithium, titanium, graphite and uranium only)"
		case cov.Located == 0:
			return "nadra's registry holds no located deposit in this scope"
		case cov.WithFigure == 0:
			return fmt.Sprintf("none of the %d located deposits carries %s figure", cov.Located, aMethod(f.Method))
		}
		return "the whole is zero or negative, so the share is undefined"
	}
	if f.Method == nadra.MethodCount {
		if cov.Located < MinLocated {
			return fmt.Sprintf("only %d located deposits in scope (at least %d needed)", cov.Located, MinLocated)
		}
		return ""
	}
	if cov.WithFigure < MinWithFigure || float64(cov.WithFigure) < MinCoverage*float64(cov.Located) {
		return fmt.Sprintf("only %d of %d located deposits carry %s figure (at least %d and %.0f%% needed)",
			cov.WithFigure, cov.Located, aMethod(f.Method), MinWithFigure, MinCoverage*100)
	}
	return ""
}

func aMethod(m nadra.ClaimMethod) string {
	if m == nadra.MethodInSitu {
		return "an " + methodWord(m)
	}
	return "a " + methodWord(m)
}

func methodWord(m nadra.ClaimMethod) string {
	switch m {
	case nadra.MethodContained:
		return "contained-quantity"
	case nadra.MethodInSitu:
		return "in-situ value"
	case nadra.MethodNet:
		return "net-value"
	}
	return string(m)
}

// judge sets a figure's verdict and its one sentence.
func judge(c *nadra.Claim, f *nadra.ClaimFigure) {
	if c.Kind == nadra.ClaimTarget {
		f.Verdict = nadra.VerdictNotTestable
		f.Why = "A drafted or demanded amount, not a valuation; " + describe(f) + " is shown for scale."
		return
	}
	if why := testable(f); why != "" {
		f.Verdict, f.Why = nadra.VerdictNotTestable, "Not testable: "+why+"."
		return
	}
	got, want := *f.Value, *c.Value
	share := c.Kind == nadra.ClaimOccupiedShare || c.Kind == nadra.ClaimSupplyShare
	tol := 0.0
	if c.Tolerance != nil {
		tol = *c.Tolerance
	}
	lo, hi := want-tol, want+tol
	if !share {
		lo, hi = want*(1-tol), want*(1+tol)
	}
	claimed := claimText(c)
	switch {
	case c.Op == nadra.OpLess && got < want, c.Op == nadra.OpMore && got > want, c.Op == nadra.OpAbout && got >= lo && got <= hi:
		f.Verdict = nadra.VerdictConsistent
		f.Why = fmt.Sprintf("nadra's %s fits the claim's %s.", describe(f), claimed)
	case !share && c.Kind != nadra.ClaimSupplyShare && (c.Op == nadra.OpMore || got < lo):
		// A sum over a partial registry is a lower bound: a smaller sum
		// cannot refute a larger claim.
		f.Verdict = nadra.VerdictNotTestable
		f.Why = fmt.Sprintf("nadra's %s is below the claim's %s, but it covers only the registry's valued deposits (%d of %d located), a lower bound.",
			describe(f), claimed, f.Coverage.WithFigure, f.Coverage.Located)
	default:
		f.Verdict = nadra.VerdictNotConsistent
		f.Why = fmt.Sprintf("nadra's %s is outside the claim's %s.", describe(f), claimed)
	}
}

func claimText(c *nadra.Claim) string {
	v := *c.Value
	share := c.Kind == nadra.ClaimOccupiedShare || c.Kind == nadra.ClaimSupplyShare
	num := func(x float64) string {
		if share {
			return numfmt.Pct(x)
		}
		return numfmt.USD(x)
	}
	switch c.Op {
	case nadra.OpLess:
		return "less than " + num(v)
	case nadra.OpMore:
		return "more than " + num(v)
	}
	t := *c.Tolerance
	if share {
		return fmt.Sprintf("about %s (%s to %s)", num(v), num(v-t), num(v+t))
	}
	return fmt.Sprintf("about %s (%s to %s)", num(v), num(v*(1-t)), num(v*(1+t)))
}

func describe(f *nadra.ClaimFigure) string {
	where := ""
	if f.Snapshot != "" {
		where = " on the line of " + f.Snapshot
		if !f.Pre2022 {
			where += " without the areas occupied before 2022"
		}
	}
	if f.Value == nil {
		return methodWord(f.Method) + where + ": none"
	}
	switch {
	case f.Method == nadra.MethodSupply:
		return fmt.Sprintf("production share of %s", numfmt.Pct(*f.Value))
	case f.Unit == "USD" && f.Whole != nil && *f.Part != *f.Whole:
		return fmt.Sprintf("share by %s of %s%s (%s of %s)", methodWord(f.Method), numfmt.Pct(*f.Value), where, numfmt.USD(*f.Part), numfmt.USD(*f.Whole))
	case f.Unit == "USD" && f.Whole == nil:
		return fmt.Sprintf("%s of %s%s", methodWord(f.Method), numfmt.USD(*f.Value), where)
	case f.Unit == "USD":
		return fmt.Sprintf("%s of %s%s", methodWord(f.Method), numfmt.USD(*f.Value), where)
	case f.Method == nadra.MethodCount:
		return fmt.Sprintf("share by count of %s%s (%.0f of %.0f deposits)", numfmt.Pct(*f.Value), where, *f.Part, *f.Whole)
	}
	return fmt.Sprintf("share by %s of %s%s", methodWord(f.Method), numfmt.Pct(*f.Value), where)
}

// supplyFigures gives the named country's share of world production of
// the claim's commodity and stage in the latest year with data up to the
// claim's year.
func supplyFigures(c *nadra.Claim, in Inputs) []nadra.ClaimFigure {
	f := nadra.ClaimFigure{Method: nadra.MethodSupply, Line: "claim date", Unit: "share of world", Deposits: []string{}}
	if in.Supply == nil {
		f.Verdict, f.Why = nadra.VerdictNotTestable, "Not testable: no supply data."
		return []nadra.ClaimFigure{f}
	}
	s, err := supply.FindSeries(in.Supply, c.Scope, c.Stage)
	if err != nil {
		f.Verdict, f.Why = nadra.VerdictNotTestable, fmt.Sprintf("Not testable: nadra has no %s %s production table (%s).", c.Scope, c.Stage, nadra.ErrorMessage(err))
		return []nadra.ClaimFigure{f}
	}
	year := 0
	fmt.Sscanf(c.Date[:4], "%d", &year)
	best := 0
	for _, y := range supply.Years(s, in.Supply.Production) {
		if y <= year && y > best {
			best = y
		}
	}
	if best == 0 {
		f.Verdict, f.Why = nadra.VerdictNotTestable, fmt.Sprintf("Not testable: no %s %s production figures up to %d.", c.Scope, c.Stage, year)
		return []nadra.ClaimFigure{f}
	}
	mk, err := supply.NewMarket(s, in.Supply.Production, best)
	if err != nil {
		f.Verdict, f.Why = nadra.VerdictNotTestable, "Not testable: "+nadra.ErrorMessage(err)+"."
		return []nadra.ClaimFigure{f}
	}
	ms := supply.Compute(mk, nil)
	var share *float64
	for _, sh := range ms.Shares {
		if sh.Country == c.Country {
			v := sh.Share
			share = &v
		}
	}
	f.Snapshot = ""
	f.Line = fmt.Sprintf("%d", best)
	if share == nil {
		f.Verdict, f.Why = nadra.VerdictNotTestable, fmt.Sprintf("Not testable: the %d %s %s table gives no figure for %s.", best, c.Scope, c.Stage, c.Country)
		return []nadra.ClaimFigure{f}
	}
	f.Value = share
	f.Coverage = nadra.ClaimCoverage{}
	judgeSupply(c, &f, best)
	return []nadra.ClaimFigure{f}
}

func judgeSupply(c *nadra.Claim, f *nadra.ClaimFigure, year int) {
	got, want := *f.Value, *c.Value
	tol := 0.0
	if c.Tolerance != nil {
		tol = *c.Tolerance
	}
	ok := c.Op == nadra.OpLess && got < want || c.Op == nadra.OpMore && got > want ||
		c.Op == nadra.OpAbout && math.Abs(got-want) <= tol+1e-12
	if ok {
		f.Verdict = nadra.VerdictConsistent
		f.Why = fmt.Sprintf("%s's %d %s share of world %s production in nadra's tables, %s, fits the claim's %s.", c.Country, year, c.Stage, c.Scope, numfmt.Pct(got), claimText(c))
		return
	}
	f.Verdict = nadra.VerdictNotConsistent
	f.Why = fmt.Sprintf("%s's %d %s share of world %s production in nadra's tables, %s, is outside the claim's %s.", c.Country, year, c.Stage, c.Scope, numfmt.Pct(got), claimText(c))
}

// summarise gives the claim's verdict from the figures on its own date
// that fit its stated basis and its pre-2022 reading.
func summarise(c *nadra.Claim, figs []nadra.ClaimFigure) (nadra.ClaimVerdict, string) {
	var yes, no, untestable []string
	for _, f := range figs {
		if f.Line != "claim date" && f.Method != nadra.MethodSupply {
			continue
		}
		if f.Method != nadra.MethodSupply && !stated(c, f.Method) {
			continue
		}
		if c.Pre2022 == nadra.Pre2022Included && !f.Pre2022 || c.Pre2022 == nadra.Pre2022Excluded && f.Pre2022 {
			continue
		}
		d := describe(&f)
		switch f.Verdict {
		case nadra.VerdictConsistent:
			yes = append(yes, d)
		case nadra.VerdictNotConsistent:
			no = append(no, d)
		default:
			untestable = append(untestable, f.Why)
		}
	}
	switch {
	case c.Kind == nadra.ClaimTarget:
		return nadra.VerdictNotTestable, "A drafted or demanded amount, not a valuation of resources, so nothing in nadra's data can confirm or refute it."
	case len(yes) > 0:
		return nadra.VerdictConsistent, "Consistent under one reading at least: " + yes[0] + "."
	case len(no) > 0:
		return nadra.VerdictNotConsistent, "Not consistent under any testable reading of its stated basis: " + no[0] + "."
	case len(untestable) > 0:
		return nadra.VerdictNotTestable, strings.TrimSuffix(untestable[0], ".") + "."
	}
	return nadra.VerdictNotTestable, "No method fits the claim's stated basis."
}

// NetByDeposit returns each deposit's net value by commodity from the
// deal model (deal.NetValues), in the form Inputs.Net takes.
func NetByDeposit(reg geo.Registry, p *deal.Params) (map[string]map[string]float64, error) {
	nv, _, err := deal.NetValues(reg.Deposits, reg.Estimates, p)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]float64{}
	for id, v := range nv {
		out[id] = v.USD
	}
	return out, nil
}

// SnapshotSituations returns Inputs.At over a snapshot list: the snapshot
// in force on a date (the first snapshot for an earlier date), read with
// find and classified against b, each built once.
func SnapshotSituations(infos []nadra.SnapshotInfo, find func(date string) (*nadra.Snapshot, error), b *nadra.Boundaries) func(string) (geo.Situation, string, error) {
	cache := map[string]*geo.Classifier{}
	return func(date string) (geo.Situation, string, error) {
		if len(infos) == 0 {
			return nil, "", nadra.Errorf(nadra.ENOTFOUND, "no control snapshots")
		}
		use := infos[0].Date
		for _, i := range infos {
			if i.Date <= date {
				use = i.Date
			}
		}
		if c := cache[use]; c != nil {
			return c, use, nil
		}
		s, err := find(use)
		if err != nil {
			return nil, "", err
		}
		c := geo.NewClassifier(s, b)
		cache[use] = c
		return c, use, nil
	}
}

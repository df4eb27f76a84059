// Package deal values a minerals-for-support deal for each party: the
// projects the state's receipts come from, the fund that shares them, and
// the Monte Carlo that puts a distribution on the result. It is pure: no
// I/O, randomness only through the streams montecarlo hands it.
//
// # Projects
//
// Projects builds one project per deposit that has a resource estimate
// and is Ukrainian-controlled under the scenario's access report. Occupied
// and grey deposits yield nothing; deposits without an estimate, a
// location or a priced and costed product are returned as NotValued, with
// the reason, and are never counted as zero. For each priced commodity:
//
//   - contained q (t of the product's basis) is nadra.HeadlineContained;
//   - recoverable product P = q·recovery/content (content: t of basis per
//     t of product, e.g. 0.06 t Li2O per t SC6);
//   - life L = a·T^b by Taylor's rule, T the ore tonnes (published, or
//     contained over the latest published grade); without either, the
//     fallback life;
//   - capacity K = P/L a year; capex = K·(median capex per t/yr of the
//     studies); opex per t is the studies' median.
//
// # One path
//
// Model.Sample draws, in a fixed order, per project a lead-time quantile,
// an overrun normal, a grade quantile and a loss uniform, then per year one
// correlated normal per commodity. Model.Eval then computes:
//
//   - prices: P_t = P_0·exp(σW_t − σ²t/2), W a correlated random walk, so
//     E[P_t] = P_0 (no real drift);
//   - first production t_p = round(triangular(lead)), at least 1 for a new
//     mine; capex spread over the n_c = min(construction years, t_p) years
//     before it;
//   - the build decision at s = t_p − n_c, at the hurdle rate h, taking
//     that year's prices as expected prices and the capex as estimated:
//     build if g·Σ(x_l·a_l − b)·D_0·v^n_c − capex/n_c·Σ_{j<n_c} v^j +
//     CIT·(capex/N)·E_0·v^n_c > 0, with v = 1/(1+h), a_l the revenue after
//     rent and tax at the starting price, b the opex after tax, D_0 and
//     E_0 the discounted production and depreciation annuities;
//   - production: g·f_k·K, g the grade factor 1 ± spread, f_k the ramp-up
//     schedule; revenue, opex, the state's take (rent or PSA share), CIT
//     on profit after straight-line depreciation of the actual capex
//     (overrun included), operating cash after tax;
//   - conflict loss: from year floor(ln u / ln(1−h(d))), h(d) = h0·e^(−d/d0),
//     the project produces and spends nothing.
//
// # The fund
//
// For each set of terms (a Fund), year by year: Ukraine pays its share of
// the take of the projects in its base (BaseNew excludes producing mines;
// the commodity must be in scope); the partners pay their cash; the US
// capital account grows by the cash and, where the terms count it, by
// in-kind aid (and aid already given, at the start). When a project it may
// co-invest in starts construction, the fund takes a stake of
// min(coinvest, cash/capex) and thereafter pays that share of its capex
// and receives that share of its operating cash. From the end of the
// reinvestment years, all positive cash is distributed by the Waterfall.
// Party flows are contributions (negative) and distributions (positive);
// NPVs use the run's discount rate, and IRR reports none, one or several
// roots.
//
// Simulate runs one or two sets of terms on the same paths, summarises
// every output, computes the deterministic case (every scale zero, every
// draw at its centre) and the tornado: each input held at its 10th and
// 90th percentile on every path, with common random numbers.
package deal

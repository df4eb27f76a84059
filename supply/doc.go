// Package supply measures how concentrated the world supply of a mineral
// is and what new supply would change: country shares, the
// Herfindahl-Hirschman index (HHI), China's and the top three producers'
// shares, the governance-weighted HHI and the EU supply-risk indicator
// (JRC methodology, Blengini et al. 2017, EUR 28654), and the potential
// annual output of deposits by Taylor's rule.
//
// It is pure: no I/O, no clock, no randomness. Callers pass production
// rows, governance scores and estimates in. NewReport and Overview
// assemble whole reports (metrics, what-if, assumptions, notes and
// sources) from Inputs, so that the CLI (report supply) and the server
// (/api/v1/supply, the supply page) give the same answer; deposit
// statuses under a scenario come in through a function.
//
// Conventions, chosen once here and stated in every report:
//
//   - Shares are fractions of the sum of the table's rows for one
//     commodity, stage and year, "other countries" included, so they add
//     up to 1. The published world total is kept beside the sum, not used
//     as the denominator: USGS rounds it, and it can exclude a withheld
//     country.
//   - The "other countries" bucket is many small producers: it counts in
//     the denominator but adds nothing to the HHI, which is therefore a
//     lower bound (by at most the bucket's share squared).
//   - A table published as shares only (no tonnages) leaves part of the
//     world unattributed: its HHI is a lower bound too, and China's share
//     is unknown, not zero, when China is not listed.
//   - Governance is the mean of the six Worldwide Governance Indicators,
//     rescaled to 0 (best) to 10 (worst) as the EU method does:
//     (2.5 − WGI) × 2. Producers without a score are left out of the
//     governance-weighted HHI and the coverage says how much that is.
package supply

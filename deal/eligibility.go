package deal

import (
	"strings"

	"nadra"
)

// ProjectEligibility decides whether the state's receipts from a project
// count in the fund's base under terms t, with the reason, from the
// licence register (nadra.LicenceEligibility) and the project:
//
//   - with licences in the register for the deposit, the one the project
//     would produce under decides: the latest granted that is still in
//     force (or whose status is not recorded), else the latest. A project
//     producing at the start was developed when the agreement came into
//     force, whatever the licence records;
//   - without one, a producing project counts only where the terms count
//     every licence (revenue base all); a project licensed or in
//     development is judged as a licence granted on a date not recorded;
//     any other project needs a licence not yet granted, which would be
//     new.
//
// Eligibility verdicts other than eligible keep a project out of the
// base: undetermined ones too, with the reason saying what is missing.
func ProjectEligibility(t *nadra.DealTerms, pr *Project) nadra.Eligibility {
	var minerals []string
	for _, l := range pr.Lines {
		minerals = append(minerals, l.Commodity)
	}
	if pr.Existing && t.RevenueBase != nadra.BaseAll {
		why := "producing at the start, so licensed and developed before the agreement came into force; the terms count only new licences and sites not yet developed"
		if l := governingLicence(pr.licences); l != nil {
			why = "licence " + l.ID + ": " + why
		} else {
			why += "; the register holds no licence for it"
		}
		return nadra.Eligibility{Verdict: nadra.NotEligible, Reason: why}
	}
	if l := governingLicence(pr.licences); l != nil {
		c := *l
		if pr.Existing && (c.DevelopedAtEntry == nil || !*c.DevelopedAtEntry) {
			yes := true
			c.DevelopedAtEntry = &yes
		}
		e := nadra.LicenceEligibility(t, &c, pr.deposit)
		e.Reason = "licence " + l.ID + ": " + e.Reason
		if pr.Existing && (l.DevelopedAtEntry == nil || !*l.DevelopedAtEntry) {
			e.Reason += " (producing at the start, so taken as developed)"
		}
		if l.Status == nadra.LicenceRevoked || l.Status == nadra.LicenceExpired {
			e.Reason += "; it has since ended, and a licence granted now would be new"
		}
		return e
	}
	var on []string
	for _, m := range minerals {
		if t.InScope(m) {
			on = append(on, m)
		}
	}
	if len(on) == 0 {
		return nadra.Eligibility{Verdict: nadra.NotEligible, Reason: "no mineral on the agreement's list: " + strings.Join(minerals, ", ")}
	}
	switch {
	case pr.Existing && t.RevenueBase == nadra.BaseAll:
		return nadra.Eligibility{Verdict: nadra.Eligible, Reason: "producing before the agreement, which the terms count (revenue base: all); the register holds no licence for it"}
	case pr.Existing:
		return nadra.Eligibility{Verdict: nadra.NotEligible, Reason: "producing before the agreement came into force, and the terms count only new licences and sites not yet developed; the register holds no licence for it"}
	case pr.Stage == nadra.StageLicensed || pr.Stage == nadra.StageDevelopment:
		l := &nadra.Licence{ID: pr.DepositID, Kind: nadra.LicenceSpecialPermit, DepositID: pr.DepositID, Minerals: minerals}
		e := nadra.LicenceEligibility(t, l, pr.deposit)
		e.Reason = "licensed before the model's start, but the register holds no licence for it: " + e.Reason
		return e
	case t.RevenueBase == nadra.BaseAll:
		return nadra.Eligibility{Verdict: nadra.Eligible, Reason: "the terms count every licence (revenue base: all)"}
	}
	if t.InForce == "" {
		return nadra.Eligibility{Verdict: nadra.Undetermined, Reason: "no licence yet, and the terms do not say when the agreement came into force (term in_force)"}
	}
	return nadra.Eligibility{Verdict: nadra.Eligible, Reason: "no licence yet: one granted to develop it would come after the agreement came into force on " + t.InForce + ", so it would be new"}
}

// governingLicence returns the licence a project would produce under:
// the latest granted of those in force or without a recorded status,
// else the latest granted of all; nil without licences. Tendered
// licences are not granted and come last.
func governingLicence(ls []*nadra.Licence) *nadra.Licence {
	var best *nadra.Licence
	rank := func(l *nadra.Licence) int {
		switch l.Status {
		case nadra.LicenceActive, nadra.LicenceAwarded, nadra.LicenceSuspended, "":
			return 2
		case nadra.LicenceTendered:
			return 0
		}
		return 1
	}
	for _, l := range ls {
		if best == nil || rank(l) > rank(best) || rank(l) == rank(best) && l.Granted > best.Granted {
			best = l
		}
	}
	return best
}

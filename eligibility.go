package nadra

import (
	"fmt"
	"strings"
)

// Eligibility verdicts. Sent over the wire: append only.
const (
	Eligible     = "eligible"     // the licence's receipts count under the terms
	NotEligible  = "not_eligible" // they do not
	Undetermined = "undetermined" // the facts recorded do not decide it; the reason says which is missing
)

// Eligibility is whether a licence's receipts count under a deal's terms,
// with the reason in a sentence.
type Eligibility struct {
	Verdict string `json:"verdict"`
	Reason  string `json:"reason"`
}

// Counts reports whether the verdict is Eligible.
func (e Eligibility) Counts() bool { return e.Verdict == Eligible }

// preProduction are the registry stages of a deposit that has never been
// a producing mine: a deposit at one of them today was not producing
// when the agreement came into force either.
var preProduction = []Stage{StageOccurrence, StageExplored, StageLicensed, StageTendered, StageDevelopment}

// LicenceEligibility decides whether the state's receipts from licence l
// count under terms t, as the terms file says (FORMAT.md, "Deal terms"
// and "Which licences count"), and says why in a sentence. dep is the
// licence's registry deposit, or nil. The rules, in order:
//
//   - a tendered licence is not granted yet, and does not count;
//   - under a list of commodities, a licence none of whose minerals is on
//     it does not count;
//   - under revenue base all, every other licence counts;
//   - under revenue base new, a licence granted on or after the day the
//     agreement came into force (in_force) counts, unless it is a renewal
//     and renewals_count is false; an older one counts only when
//     licensed_undeveloped is true, it had not ended by then (nor, with no
//     status recorded, had its term run out), and its site was not yet
//     developed then. When the licence does not record that, a deposit at
//     a stage before production (occurrence to development) answers it.
//
// When the grant date is unknown, or straddles the day of entry into
// force (2025-05 against 2025-05-23), both readings are tried: the
// verdict stands if they agree and is Undetermined otherwise; a licence
// that ended before entry into force was granted before it.
//
// It is pure: the ledger's obligations and the deal model call it with
// the licences and deposits they hold.
func LicenceEligibility(t *DealTerms, l *Licence, dep *Deposit) Eligibility {
	if l.Status == LicenceTendered {
		return Eligibility{NotEligible, "not granted yet: the licence is tendered"}
	}
	var on, off []string
	for _, m := range l.Minerals {
		if t.InScope(m) {
			on = append(on, m)
		} else {
			off = append(off, m)
		}
	}
	if len(on) == 0 {
		return Eligibility{NotEligible, "no mineral on the agreement's list: " + strings.Join(off, ", ")}
	}
	e := eligibility(t, l, dep)
	if len(off) > 0 && e.Verdict != NotEligible {
		e.Reason += "; not on the agreement's list, so not counted: " + strings.Join(off, ", ")
	}
	return e
}

func eligibility(t *DealTerms, l *Licence, dep *Deposit) Eligibility {
	if t.RevenueBase == BaseAll {
		return Eligibility{Eligible, "the terms count every licence (revenue base: all)"}
	}
	if t.InForce == "" {
		return Eligibility{Undetermined, "the terms do not say when the agreement came into force (term in_force), so new licences cannot be told from older ones"}
	}
	day, err := parseSpan(t.InForce)
	if err != nil || day.unit != "day" {
		return Eligibility{Undetermined, fmt.Sprintf("the terms' in_force %q is not a date YYYY-MM-DD", t.InForce)}
	}
	newV, newWhy := newLicence(t, l)
	oldV, oldWhy := olderLicence(t, l, dep, day)
	if end, err := parseSpan(l.Ended); err == nil && end.last.Before(day.first) {
		// It ended before entry into force, so it was granted before too.
		lead := "granted on a date not recorded"
		if l.Granted != "" {
			lead = "granted " + l.Granted
		}
		return Eligibility{oldV, fmt.Sprintf("%s, before the agreement came into force on %s, and %s", lead, t.InForce, oldWhy)}
	}
	if l.Granted != "" {
		if g, err := parseSpan(l.Granted); err == nil {
			switch {
			case !g.first.Before(day.first):
				if newV == NotEligible {
					return Eligibility{newV, fmt.Sprintf("granted %s, after the agreement came into force, but %s", l.Granted, strings.TrimPrefix(newWhy, "being "))}
				}
				if g.first.Equal(day.first) && g.unit == "day" {
					return Eligibility{newV, fmt.Sprintf("granted %s, the day the agreement came into force", l.Granted)}
				}
				return Eligibility{newV, fmt.Sprintf("granted %s, after the agreement came into force on %s", l.Granted, t.InForce)}
			case g.last.Before(day.first):
				return Eligibility{oldV, fmt.Sprintf("granted %s, before the agreement came into force on %s, and %s", l.Granted, t.InForce, oldWhy)}
			}
			lead := fmt.Sprintf("granted %s, the %s the agreement came into force (%s)", l.Granted, g.unit, t.InForce)
			return either(lead, newV, newWhy, oldV, oldWhy)
		}
	}
	return either("the grant date is not recorded", newV, newWhy, oldV, oldWhy)
}

// either merges the two readings of a licence whose grant date does not
// say whether it came before or after entry into force.
func either(lead, newV, newWhy, oldV, oldWhy string) Eligibility {
	verb := map[string]string{Eligible: "count", NotEligible: "not count", Undetermined: "be undetermined"}
	if newV == oldV && newV != Undetermined {
		return Eligibility{newV, fmt.Sprintf("%s, but either way it would %s: if granted since, %s; if granted before, %s", lead, verb[newV], newWhy, oldWhy)}
	}
	return Eligibility{Undetermined, fmt.Sprintf("%s: if granted since, it would %s, %s; if granted before, it would %s, as %s", lead, verb[newV], newWhy, verb[oldV], oldWhy)}
}

// newLicence judges a licence granted on or after entry into force.
func newLicence(t *DealTerms, l *Licence) (string, string) {
	if l.Renewal && !t.RenewalsCount {
		return NotEligible, "being a renewal of an earlier licence, which the terms do not count"
	}
	if l.Renewal {
		return Eligible, "being a renewal, which the terms count (renewals_count)"
	}
	return Eligible, "being a new licence"
}

// olderLicence judges a licence granted before entry into force on day.
// Its reason completes "granted X, before the agreement came into force
// on D, and …".
func olderLicence(t *DealTerms, l *Licence, dep *Deposit, day dateSpan) (string, string) {
	if !t.LicensedUndeveloped {
		return NotEligible, "the terms count only licences granted since"
	}
	if l.DevelopedAtEntry != nil && *l.DevelopedAtEntry {
		// Whether or not the licence was still in force then.
		return NotEligible, "the site was already developed then"
	}
	ended := map[string]string{LicenceRevoked: "it was revoked", LicenceExpired: "it expired"}[l.Status]
	switch {
	case l.Ended != "":
		end, err := parseSpan(l.Ended)
		switch {
		case err != nil:
		case end.last.Before(day.first):
			return NotEligible, fmt.Sprintf("%s in %s, before then", ended, l.Ended)
		case end.first.Before(day.first):
			return Undetermined, fmt.Sprintf("%s in %s, the %s of entry into force, and which came first is not recorded", ended, l.Ended, end.unit)
		}
	case l.Status == LicenceRevoked || l.Status == LicenceExpired:
		if runs, to, ok := termEnd(l); ok && l.Status == LicenceExpired && runs.last.Before(day.first) {
			return NotEligible, fmt.Sprintf("it expired: its %d-year term ran to %s, before then", *l.TermYears, to)
		}
		return Undetermined, ended + " on a date not recorded"
	case l.Status == "":
		if runs, to, ok := termEnd(l); ok && runs.last.Before(day.first) {
			return Undetermined, fmt.Sprintf("its %d-year term ran to %s; whether it was extended is not recorded", *l.TermYears, to)
		}
	}
	if l.DevelopedAtEntry != nil {
		return Eligible, "the site was not yet developed then, which the terms count (licensed_undeveloped)"
	}
	if dep != nil && oneOf(string(dep.Stage), stageStrings(preProduction)) {
		return Eligible, fmt.Sprintf("the site was not yet producing then: the licence does not say, but the registry gives %s the stage %s, before production, which the terms count (licensed_undeveloped)", dep.ID, dep.Stage)
	}
	if dep != nil && dep.Stage != "" {
		return Undetermined, fmt.Sprintf("whether the site was developed then is not recorded (the registry gives %s the stage %s today)", dep.ID, dep.Stage)
	}
	return Undetermined, "whether the site was developed then is not recorded"
}

// termEnd returns the span in which a licence's term runs out, written
// at the precision of its grant date.
func termEnd(l *Licence) (dateSpan, string, bool) {
	if l.TermYears == nil || l.Granted == "" {
		return dateSpan{}, "", false
	}
	g, err := parseSpan(l.Granted)
	if err != nil {
		return dateSpan{}, "", false
	}
	n := *l.TermYears
	end := dateSpan{first: g.first.AddDate(n, 0, 0), last: g.last.AddDate(n, 0, 0), unit: g.unit}
	layout := map[string]string{"year": "2006", "month": "2006-01", "day": DateLayout}[g.unit]
	return end, end.first.Format(layout), true
}

func stageStrings(s []Stage) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = string(x)
	}
	return out
}

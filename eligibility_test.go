package nadra_test

import (
	"strings"
	"testing"

	"nadra"
)

func bp(b bool) *bool { return &b }

// TestLicenceEligibility walks the rules of FORMAT.md, "Which licences
// count", one case each. Every expected reason is written out by hand
// from the rule, not produced by the code.
func TestLicenceEligibility(t *testing.T) {
	signed := &nadra.DealTerms{ID: "signed", RevenueBase: nadra.BaseNew, InForce: "2025-05-23", LicensedUndeveloped: true,
		Commodities: []string{"lithium", "graphite", "titanium", "zirconium", "uranium"}}
	renewals := *signed
	renewals.RenewalsCount = true
	newOnly := *signed
	newOnly.LicensedUndeveloped = false
	noDate := *signed
	noDate.InForce = ""
	draft := &nadra.DealTerms{ID: "draft", RevenueBase: nadra.BaseAll} // commodities [all]: nil

	lic := func(granted string, set func(*nadra.Licence)) *nadra.Licence {
		l := &nadra.Licence{ID: "l", Kind: nadra.LicenceSpecialPermit, Holder: "h", Minerals: []string{"lithium"}, Granted: granted, Status: nadra.LicenceActive}
		if set != nil {
			set(l)
		}
		return l
	}
	licensed := &nadra.Deposit{ID: "bal", Stage: nadra.StageLicensed}
	producing := &nadra.Deposit{ID: "zav", Stage: nadra.StageProducing}
	const before = ", before the agreement came into force on 2025-05-23, and "

	tests := []struct {
		name    string
		terms   *nadra.DealTerms
		l       *nadra.Licence
		dep     *nadra.Deposit
		verdict string
		reason  string
	}{
		{"NewPSA", signed, lic("2026-01-12", nil), nil, nadra.Eligible,
			"granted 2026-01-12, after the agreement came into force on 2025-05-23"},
		{"OnTheDay", signed, lic("2025-05-23", nil), nil, nadra.Eligible,
			"granted 2025-05-23, the day the agreement came into force"},
		{"DayBefore", signed, lic("2025-05-22", func(l *nadra.Licence) { l.DevelopedAtEntry = bp(true) }), nil, nadra.NotEligible,
			"granted 2025-05-22" + before + "the site was already developed then"},
		{"Renewal", signed, lic("2026-03", func(l *nadra.Licence) { l.Renewal = true }), nil, nadra.NotEligible,
			"granted 2026-03, after the agreement came into force, but a renewal of an earlier licence, which the terms do not count"},
		{"RenewalCounted", &renewals, lic("2026-03", func(l *nadra.Licence) { l.Renewal = true }), nil, nadra.Eligible,
			"granted 2026-03, after the agreement came into force on 2025-05-23"},
		{"OffTheList", signed, lic("2026-01-12", func(l *nadra.Licence) { l.Minerals = []string{"iron"} }), nil, nadra.NotEligible,
			"no mineral on the agreement's list: iron"},
		{"PartlyOnTheList", signed, lic("2026-01-12", func(l *nadra.Licence) { l.Minerals = []string{"lithium", "iron", "silver"} }), nil, nadra.Eligible,
			"granted 2026-01-12, after the agreement came into force on 2025-05-23; not on the agreement's list, so not counted: iron, silver"},
		{"Tendered", signed, lic("", func(l *nadra.Licence) { l.Status = nadra.LicenceTendered }), nil, nadra.NotEligible,
			"not granted yet: the licence is tendered"},
		{"OldProducing", signed, lic("2018", func(l *nadra.Licence) { l.DevelopedAtEntry = bp(true) }), nil, nadra.NotEligible,
			"granted 2018" + before + "the site was already developed then"},
		{"OldUndeveloped", signed, lic("2017", func(l *nadra.Licence) { l.DevelopedAtEntry = bp(false) }), nil, nadra.Eligible,
			"granted 2017" + before + "the site was not yet developed then, which the terms count (licensed_undeveloped)"},
		{"OldByDepositStage", signed, lic("2018", nil), licensed, nadra.Eligible,
			"granted 2018" + before + "the site was not yet producing then: the licence does not say, but the registry gives bal the stage licensed, before production, which the terms count (licensed_undeveloped)"},
		{"OldProducingDeposit", signed, lic("2002", nil), producing, nadra.Undetermined,
			"granted 2002" + before + "whether the site was developed then is not recorded (the registry gives zav the stage producing today)"},
		{"OldNoDeposit", signed, lic("2002", nil), nil, nadra.Undetermined,
			"granted 2002" + before + "whether the site was developed then is not recorded"},
		{"OldNotCounted", &newOnly, lic("2018", func(l *nadra.Licence) { l.DevelopedAtEntry = bp(false) }), nil, nadra.NotEligible,
			"granted 2018" + before + "the terms count only licences granted since"},
		{"RevokedBefore", signed, lic("2021-04-14", func(l *nadra.Licence) {
			l.Status, l.Ended, l.DevelopedAtEntry = nadra.LicenceRevoked, "2021-08", bp(false)
		}), nil, nadra.NotEligible, "granted 2021-04-14" + before + "it was revoked in 2021-08, before then"},
		{"RevokedThatMonth", signed, lic("2021", func(l *nadra.Licence) {
			l.Status, l.Ended, l.DevelopedAtEntry = nadra.LicenceRevoked, "2025-05", bp(false)
		}), nil, nadra.Undetermined, "granted 2021" + before + "it was revoked in 2025-05, the month of entry into force, and which came first is not recorded"},
		{"RevokedAfter", signed, lic("2004-12-31", func(l *nadra.Licence) {
			l.Status, l.Ended, l.DevelopedAtEntry = nadra.LicenceRevoked, "2026-03-10", bp(false)
		}), nil, nadra.Eligible, "granted 2004-12-31" + before + "the site was not yet developed then, which the terms count (licensed_undeveloped)"},
		{"RevokedUndated", signed, lic("2021", func(l *nadra.Licence) { l.Status, l.DevelopedAtEntry = nadra.LicenceRevoked, bp(false) }), nil, nadra.Undetermined,
			"granted 2021" + before + "it was revoked on a date not recorded"},
		// 2017-02-28 plus 5 years is 2022-02-28, before 2025-05-23.
		{"ExpiredByTerm", signed, lic("2017-02-28", func(l *nadra.Licence) { l.Status, l.TermYears = nadra.LicenceExpired, ip(5) }), licensed, nadra.NotEligible,
			"granted 2017-02-28" + before + "it expired: its 5-year term ran to 2022-02-28, before then"},
		{"TermRanOut", signed, lic("2017-02-28", func(l *nadra.Licence) { l.Status, l.TermYears = "", ip(5) }), licensed, nadra.Undetermined,
			"granted 2017-02-28" + before + "its 5-year term ran to 2022-02-28; whether it was extended is not recorded"},
		// A month's grant: the term runs out somewhere in 2022-02.
		{"TermRanOutMonth", signed, lic("2017-02", func(l *nadra.Licence) { l.Status, l.TermYears = "", ip(5) }), licensed, nadra.Undetermined,
			"granted 2017-02" + before + "its 5-year term ran to 2022-02; whether it was extended is not recorded"},
		// 2021-08-05 plus 5 years is 2026-08-05: still running.
		{"TermRunning", signed, lic("2021-08-05", func(l *nadra.Licence) { l.Status, l.TermYears, l.DevelopedAtEntry = "", ip(5), bp(false) }), nil, nadra.Eligible,
			"granted 2021-08-05" + before + "the site was not yet developed then, which the terms count (licensed_undeveloped)"},
		{"ActiveSoExtended", signed, lic("2017-02-28", func(l *nadra.Licence) { l.TermYears, l.DevelopedAtEntry = ip(5), bp(false) }), nil, nadra.Eligible,
			"granted 2017-02-28" + before + "the site was not yet developed then, which the terms count (licensed_undeveloped)"},
		{"UndatedProducing", signed, lic("", func(l *nadra.Licence) { l.DevelopedAtEntry = bp(true) }), nil, nadra.Undetermined,
			"the grant date is not recorded: if granted since, it would count, being a new licence; if granted before, it would not count, as the site was already developed then"},
		{"UndatedUndeveloped", signed, lic("", nil), licensed, nadra.Eligible,
			"the grant date is not recorded, but either way it would count: if granted since, being a new licence; if granted before, the site was not yet producing then: the licence does not say, but the registry gives bal the stage licensed, before production, which the terms count (licensed_undeveloped)"},
		{"UndatedButEndedBefore", signed, lic("", func(l *nadra.Licence) { l.Status, l.Ended = nadra.LicenceRevoked, "2021" }), nil, nadra.NotEligible,
			"granted on a date not recorded" + before + "it was revoked in 2021, before then"},
		{"MonthOfEntry", signed, lic("2025-05", func(l *nadra.Licence) { l.DevelopedAtEntry = bp(false) }), nil, nadra.Eligible,
			"granted 2025-05, the month the agreement came into force (2025-05-23), but either way it would count: if granted since, being a new licence; if granted before, the site was not yet developed then, which the terms count (licensed_undeveloped)"},
		{"YearOfEntryRenewal", signed, lic("2025", func(l *nadra.Licence) { l.Renewal, l.DevelopedAtEntry = true, bp(true) }), nil, nadra.NotEligible,
			"granted 2025, the year the agreement came into force (2025-05-23), but either way it would not count: if granted since, being a renewal of an earlier licence, which the terms do not count; if granted before, the site was already developed then"},
		{"YearOfEntryUnknownSite", signed, lic("2025", nil), nil, nadra.Undetermined,
			"granted 2025, the year the agreement came into force (2025-05-23): if granted since, it would count, being a new licence; if granted before, it would be undetermined, as whether the site was developed then is not recorded"},
		{"NoInForce", &noDate, lic("2026-01-12", nil), nil, nadra.Undetermined,
			"the terms do not say when the agreement came into force (term in_force), so new licences cannot be told from older ones"},
		{"DraftCountsAll", draft, lic("2002", func(l *nadra.Licence) { l.Minerals, l.DevelopedAtEntry, l.Renewal = []string{"iron"}, bp(true), true }), producing, nadra.Eligible,
			"the terms count every licence (revenue base: all)"},
		{"DraftTendered", draft, lic("", func(l *nadra.Licence) { l.Status = nadra.LicenceTendered }), nil, nadra.NotEligible,
			"not granted yet: the licence is tendered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nadra.LicenceEligibility(tt.terms, tt.l, tt.dep)
			if got.Verdict != tt.verdict || got.Reason != tt.reason {
				t.Fatalf("got %s: %q,\nwant %s: %q", got.Verdict, got.Reason, tt.verdict, tt.reason)
			}
			if got.Counts() != (tt.verdict == nadra.Eligible) {
				t.Fatalf("Counts() = %v for %s", got.Counts(), got.Verdict)
			}
		})
	}
}

// TestLicence_Validate: one bad field at a time, each named.
func TestLicence_Validate(t *testing.T) {
	known := map[string]bool{"lithium": true, "graphite": true}
	ok := func() *nadra.Licence {
		return &nadra.Licence{ID: "dobra-psa", Kind: nadra.LicencePSA, Holder: "Dobra Lithium Holdings", DepositID: "dobra",
			Minerals: []string{"lithium"}, Granted: "2026-01-12", Status: nadra.LicenceAwarded, Sources: []string{"https://e.org (2026-01-12)"}}
	}
	if err := ok().Validate(known); err != nil {
		t.Fatalf("valid licence: %v", err)
	}
	tests := []struct {
		name string
		set  func(*nadra.Licence)
		want string
	}{
		{"BadID", func(l *nadra.Licence) { l.ID = "Dobra PSA" }, "id: "},
		{"BadKind", func(l *nadra.Licence) { l.Kind = "concession" }, `kind: "concession" unknown`},
		{"NoHolder", func(l *nadra.Licence) { l.Holder = " " }, "holder: required"},
		{"BadDeposit", func(l *nadra.Licence) { l.DepositID = "Dobra" }, "deposit_id: "},
		{"NoMinerals", func(l *nadra.Licence) { l.Minerals = nil }, "minerals: at least one"},
		{"UnknownMineral", func(l *nadra.Licence) { l.Minerals = []string{"unobtainium"} }, `minerals: unknown commodity "unobtainium"`},
		{"MineralTwice", func(l *nadra.Licence) { l.Minerals = []string{"lithium", "lithium"} }, "listed twice"},
		{"BadStatus", func(l *nadra.Licence) { l.Status = "pending" }, `status: "pending" unknown`},
		{"TermZero", func(l *nadra.Licence) { l.TermYears = ip(0) }, "term_years: 0 out of range"},
		{"TermHuge", func(l *nadra.Licence) { l.TermYears = ip(101) }, "term_years: 101 out of range"},
		{"GrantedFeb30", func(l *nadra.Licence) { l.Granted = "2026-02-30" }, "granted: "},
		{"GrantedSlashes", func(l *nadra.Licence) { l.Granted = "12/01/2026" }, "granted: "},
		{"GrantedSoviet", func(l *nadra.Licence) { l.Granted = "1985" }, "granted: 1985 is before 1991"},
		{"TenderedButGranted", func(l *nadra.Licence) { l.Status = nadra.LicenceTendered }, "granted: a tendered licence is not granted yet"},
		{"EndedButActive", func(l *nadra.Licence) { l.Ended = "2026-03" }, "ended: only a revoked or expired licence has an end"},
		{"EndedBeforeGrant", func(l *nadra.Licence) { l.Status, l.Ended = nadra.LicenceRevoked, "2025" }, "ended: 2025 is before the grant (2026-01-12)"},
		{"NoSource", func(l *nadra.Licence) { l.Sources = nil }, "sources: at least one source"},
		{"UndatedSource", func(l *nadra.Licence) { l.Sources = []string{"https://e.org"} }, "lacks a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := ok()
			tt.set(l)
			err := l.Validate(known)
			if nadra.ErrorCode(err) != nadra.EINVALID || !strings.Contains(nadra.ErrorMessage(err), tt.want) {
				t.Fatalf("got %v, want an invalid error containing %q", err, tt.want)
			}
		})
	}
	if err := nadra.ValidateLicenceDate("granted", "2026-03", "2026-02-27"); !strings.Contains(nadra.ErrorMessage(err), "in the future") {
		t.Fatalf("a date after today: got %v", err)
	}
	if err := nadra.ValidateLicenceDate("granted", "2026-02", "2026-02-27"); err != nil {
		t.Fatalf("this month: got %v, want nil", err)
	}
}

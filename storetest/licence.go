package storetest

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"nadra"
)

func ip(v int) *int            { return &v }
func bp(v bool) *bool          { return &v }
func src(s ...string) []string { return s }

func testLicenceService_ImportLicences(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	seed(t, db)
	s := db.Licences
	imp := nadra.Import{Kind: "licences", File: "l.csv"}
	psa := &nadra.Licence{ID: "dobra-psa", Kind: nadra.LicencePSA, Holder: "Dobra Lithium Holdings", DepositID: "dobra",
		Minerals: []string{"lithium"}, Granted: "2026-01-12", Status: nadra.LicenceAwarded, DevelopedAtEntry: bp(false), Sources: src("a (2026-01-12)")}
	free := &nadra.Licence{ID: "off-registry", Kind: nadra.LicenceSpecialPermit, Holder: "X LLC", Minerals: []string{"titanium", "lithium"},
		Granted: "2017-02", TermYears: ip(5), Renewal: true, Note: "site not in the registry", Sources: src("b (2017)")}

	t.Run("OK", func(t *testing.T) {
		res, err := s.ImportLicences(ctx, imp, []*nadra.Licence{psa, free})
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted != 2 || res.Updated != 0 || res.Unchanged != 0 || res.ImportID == 0 {
			t.Fatalf("got %+v, want 2 inserted", res)
		}
		got, err := s.FindLicences(ctx, nadra.LicenceFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != "dobra-psa" || got[1].ID != "off-registry" {
			t.Fatalf("got %d licences, want dobra-psa then off-registry", len(got))
		}
		for i, want := range []*nadra.Licence{psa, free} {
			g := *got[i]
			if g.Origin != "l.csv" || g.UpdatedAt.IsZero() {
				t.Errorf("%s: origin %q, updated %v", g.ID, g.Origin, g.UpdatedAt)
			}
			g.Origin, g.UpdatedAt = "", time.Time{}
			if !reflect.DeepEqual(&g, want) {
				t.Errorf("stored %+v,\nwant %+v", g, *want)
			}
		}
		// An unknown developed_at_entry stays unknown, not false.
		if got[1].DevelopedAtEntry != nil || got[1].DepositID != "" {
			t.Errorf("off-registry: developed %v, deposit %q; want nil and empty", got[1].DevelopedAtEntry, got[1].DepositID)
		}
	})
	t.Run("SameFileTwiceChangesNothing", func(t *testing.T) {
		res, err := s.ImportLicences(ctx, imp, []*nadra.Licence{psa, free})
		if err != nil {
			t.Fatal(err)
		}
		if res.Inserted+res.Updated != 0 || res.Unchanged != 2 || res.ImportID != 0 {
			t.Fatalf("got %+v, want 2 unchanged and no import recorded", res)
		}
	})
	t.Run("Update", func(t *testing.T) {
		p := *psa
		p.Status = nadra.LicenceActive
		res, err := s.ImportLicences(ctx, nadra.Import{Kind: "licences", File: "signed.csv"}, []*nadra.Licence{&p})
		if err != nil || res.Updated != 1 {
			t.Fatalf("got %+v, %v; want 1 updated", res, err)
		}
		l, err := s.FindLicenceByID(ctx, "dobra-psa")
		if err != nil || l.Status != nadra.LicenceActive || l.Origin != "signed.csv" {
			t.Fatalf("got %+v, %v", l, err)
		}
	})
	t.Run("ByDeposit", func(t *testing.T) {
		ls, err := s.FindLicences(ctx, nadra.LicenceFilter{DepositID: "dobra"})
		if err != nil || len(ls) != 1 || ls[0].ID != "dobra-psa" {
			t.Fatalf("got %v, %v", ls, err)
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		if _, err := s.FindLicenceByID(ctx, "nope"); nadra.ErrorCode(err) != nadra.ENOTFOUND {
			t.Fatalf("got %v, want not_found", err)
		}
	})
	// A bad row anywhere changes nothing: the good rows before it do not land.
	for _, tt := range []struct {
		name string
		l    nadra.Licence
		want string
	}{
		{"UnknownDeposit", nadra.Licence{DepositID: "atlantis"}, `licence 2 (x): deposit_id: "atlantis" is not a deposit in the registry`},
		{"UnknownMineral", nadra.Licence{Minerals: []string{"graphite"}}, `licence 2 (x): minerals: unknown commodity "graphite"`},
		{"BadDate", nadra.Licence{Granted: "2025-02-30"}, "licence 2 (x): granted: "},
	} {
		t.Run("Err"+tt.name, func(t *testing.T) {
			l := tt.l
			l.ID, l.Kind, l.Holder, l.Sources = "x", nadra.LicenceSpecialPermit, "h", src("c (2025)")
			if l.Minerals == nil {
				l.Minerals = []string{"lithium"}
			}
			fresh := &nadra.Licence{ID: "fresh", Kind: nadra.LicencePSA, Holder: "h", Minerals: []string{"lithium"}, Sources: src("d (2025)")}
			_, err := s.ImportLicences(ctx, imp, []*nadra.Licence{fresh, &l})
			if nadra.ErrorCode(err) != nadra.EINVALID || !strings.Contains(nadra.ErrorMessage(err), tt.want) {
				t.Fatalf("got %v, want invalid: %s", err, tt.want)
			}
			if _, err := s.FindLicenceByID(ctx, "fresh"); nadra.ErrorCode(err) != nadra.ENOTFOUND {
				t.Fatalf("the good row before the bad one landed: %v", err)
			}
		})
	}
}

// licencesA is datasetA with a licence register.
func licencesA() nadra.Seed {
	s := datasetA()
	s.Commodities = append(s.Commodities, &nadra.Commodity{Code: "iron", Name: "Iron", Basis: "Fe_ore", ListsSource: "x (2025)", Class: nadra.ClassMetallic})
	s.Licences = []*nadra.Licence{
		{ID: "dobra-psa", Kind: nadra.LicencePSA, Holder: "Dobra JV", DepositID: "dobra", Minerals: []string{"lithium"}, Granted: "2026-01-12", Status: nadra.LicenceAwarded, Sources: src("a (2026-01-12)")},
		{ID: "kal-permit", Kind: nadra.LicenceSpecialPermit, Holder: "Kal LLC", DepositID: "kal", Minerals: []string{"graphite"}, Granted: "2018", Status: nadra.LicenceActive, Sources: src("b (2018)")},
		{ID: "polo-permit", Kind: nadra.LicenceSpecialPermit, Holder: "Polo LLC", DepositID: "polo", Minerals: []string{"lithium"}, Granted: "2017", TermYears: ip(20), Sources: src("c (2017)")},
		{ID: "shev-permit", Kind: nadra.LicenceSpecialPermit, Holder: "Petro", DepositID: "shev", Minerals: []string{"lithium"}, Granted: "2020-11", Sources: src("d (2021)")},
		{ID: "zav-permit", Kind: nadra.LicenceSpecialPermit, Holder: "Zav Graphite", DepositID: "zav", Minerals: []string{"graphite"}, Granted: "2002", DevelopedAtEntry: bp(true), Sources: src("e (2025)")},
	}
	return s
}

// licencesB is the next version: it changes dobra-psa (which the user
// changed too), leaves kal-permit (which the user changed) as it was,
// corrects shev-permit, withdraws polo-permit and zav-permit with their
// deposits, and adds a licence on the new deposit.
func licencesB() nadra.Seed {
	s := datasetB()
	s.Commodities = licencesA().Commodities
	a := licencesA().Licences
	dobra, kal, shev := *a[0], *a[1], *a[3]
	dobra.Note = "PSA being drafted"
	shev.Status, shev.Ended = nadra.LicenceRevoked, "2021"
	s.Licences = []*nadra.Licence{&dobra, &kal, &shev,
		{ID: "newb-permit", Kind: nadra.LicenceSpecialPermit, Holder: "B LLC", DepositID: "new-b", Minerals: []string{"graphite"}, Granted: "2025", Sources: src("f (2026)")}}
	return s
}

// TestDB_ImportSeed_UpgradeLicences plays an upgrade of the licence
// register across two dataset versions: nothing the user imported or
// changed is overwritten, deleted or reordered; a licence the ledger names
// is never deleted, nor the deposit a licence refers to; the dataset's
// other changes apply.
func testDB_ImportSeed_UpgradeLicences(t *testing.T, open Opener) {
	ctx := context.Background()
	f := newLedger(t, open)
	db := f.db
	if _, err := db.Seed.ImportSeed(ctx, licencesA()); err != nil {
		t.Fatal(err)
	}
	userEdits(t, db)
	lics := db.Licences
	a := licencesA().Licences
	dobra, kal := *a[0], *a[1]
	dobra.Status = nadra.LicenceActive // the user has news the dataset lacks
	kal.TermYears = ip(20)
	mine := &nadra.Licence{ID: "my-permit", Kind: nadra.LicenceSpecialPermit, Holder: "Me", DepositID: "dobra", Minerals: []string{"lithium"}, Sources: src("me (2026)")}
	if _, err := lics.ImportLicences(ctx, nadra.Import{Kind: "licences", File: "mine.csv"}, []*nadra.Licence{&dobra, &kal, mine}); err != nil {
		t.Fatal(err)
	}
	// The state records rent paid under zav-permit: the ledger names it.
	rent := &nadra.Entry{ID: "ua-rent-1", Kind: nadra.KindReceipt, Date: "2025-10-01", Period: "2025-Q4", Party: nadra.PartyUA,
		From: "zav-graphite", To: nadra.PartyUA, Stream: nadra.ReceiptRent, Amount: 100_000_00, Currency: nadra.CurrencyUSD,
		Licence: "zav-permit", Docs: []string{"payment order 1 (2025-10-01)"}}
	rent.Postings = rent.StandardPostings()
	if _, err := f.s.Append(ctx, [][]byte{f.sign(t, rent)}); err != nil {
		t.Fatal(err)
	}
	order := func() []string {
		ls, err := lics.FindLicences(ctx, nadra.LicenceFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, l := range ls {
			ids = append(ids, l.ID+"@"+l.Origin)
		}
		return ids
	}

	res, err := db.Seed.ImportSeed(ctx, licencesB())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("UserLicencesUntouched", func(t *testing.T) {
		l, err := lics.FindLicenceByID(ctx, "dobra-psa")
		if err != nil || l.Status != nadra.LicenceActive || l.Note != "" || l.Origin != "mine.csv" {
			t.Fatalf("dobra-psa = %+v, %v; want the user's active one from mine.csv", l, err)
		}
		if l, err := lics.FindLicenceByID(ctx, "kal-permit"); err != nil || l.TermYears == nil || *l.TermYears != 20 {
			t.Fatalf("kal-permit = %+v, %v; want the user's 20-year term", l, err)
		}
		if _, err := lics.FindLicenceByID(ctx, "my-permit"); err != nil {
			t.Fatalf("the user's own licence: %v", err)
		}
	})
	t.Run("DatasetChangesApplied", func(t *testing.T) {
		if l, err := lics.FindLicenceByID(ctx, "shev-permit"); err != nil || l.Status != nadra.LicenceRevoked || l.Origin != "dataset" {
			t.Fatalf("shev-permit = %+v, %v; want revoked from the dataset", l, err)
		}
		if _, err := lics.FindLicenceByID(ctx, "newb-permit"); err != nil {
			t.Fatalf("newb-permit: %v", err)
		}
		if _, err := lics.FindLicenceByID(ctx, "polo-permit"); nadra.ErrorCode(err) != nadra.ENOTFOUND {
			t.Fatalf("polo-permit, withdrawn and untouched: %v, want removed", err)
		}
		// Inserted: new-b, the 2025-03-01 snapshot, newb-permit. Updated:
		// shev, the 2025-02-01 snapshot, CN, shev-permit. Removed:
		// polo-permit only; zav stays, for zav-permit refers to it.
		if res.Inserted != 3 || res.Updated != 4 || res.Removed != 1 {
			t.Fatalf("result %+v, want 3 inserted, 4 updated, 1 removed", res)
		}
	})
	t.Run("LedgerAndLicencesKeepWhatTheyName", func(t *testing.T) {
		if _, err := lics.FindLicenceByID(ctx, "zav-permit"); err != nil {
			t.Fatalf("zav-permit, which the ledger names, was removed: %v", err)
		}
		if _, err := db.Deposits.FindDepositByID(ctx, "zav"); err != nil {
			t.Fatalf("zav, which zav-permit refers to, was removed: %v", err)
		}
		notes := map[string]string{}
		for _, r := range res.Kept {
			notes[r.Ref] = r.Note
		}
		if notes["licence:zav-permit"] != "kept: 1 ledger entries name it" || notes["deposit:zav"] != "kept: 1 licences in the database refer to it" {
			t.Fatalf("kept notes %q and %q", notes["licence:zav-permit"], notes["deposit:zav"])
		}
		if _, err := db.Seed.AcceptSeed(ctx, licencesB(), []string{"licence:zav-permit"}); nadra.ErrorCode(err) != nadra.ECONFLICT ||
			!strings.Contains(nadra.ErrorMessage(err), "1 ledger entries name it") {
			t.Fatalf("accepting zav-permit's withdrawal: %v, want a conflict naming the ledger", err)
		}
	})
	t.Run("KeptListed", func(t *testing.T) {
		got := states(res.Kept)
		for ref, want := range map[string]nadra.SeedState{
			"licence:dobra-psa":  nadra.SeedConflict,
			"licence:kal-permit": nadra.SeedEdited,
			"licence:zav-permit": nadra.SeedWithdrawn,
			"deposit:zav":        nadra.SeedWithdrawn,
		} {
			if got[ref] != want {
				t.Errorf("%s: %q, want %q", ref, got[ref], want)
			}
		}
		if _, ok := got["licence:my-permit"]; ok {
			t.Errorf("the user's own licence is listed as kept")
		}
		for _, r := range res.Kept {
			if r.Ref == "licence:dobra-psa" {
				want := []nadra.SeedField{{Field: "note", Dataset: "PSA being drafted", Stored: ""},
					{Field: "status", Dataset: nadra.LicenceAwarded, Stored: nadra.LicenceActive}}
				if !reflect.DeepEqual(r.Fields, want) {
					t.Errorf("dobra-psa fields %+v, want %+v", r.Fields, want)
				}
			}
		}
	})
	t.Run("SameVersionAgainChangesNothing", func(t *testing.T) {
		before := order()
		again, err := db.Seed.ImportSeed(ctx, licencesB())
		if err != nil {
			t.Fatal(err)
		}
		if again.Inserted+again.Updated+again.Removed != 0 {
			t.Fatalf("a second import of B changed rows: %+v", again)
		}
		if after := order(); !reflect.DeepEqual(before, after) {
			t.Fatalf("licences changed: %v, then %v", before, after)
		}
	})
	t.Run("NextVersionConflictsAgain", func(t *testing.T) {
		c := licencesB()
		c.Version = "C"
		c.Licences[0].Holder = "Dobra Lithium Holdings JV, LLC"
		res, err := db.Seed.ImportSeed(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if st := states(res.Kept)["licence:dobra-psa"]; st != nadra.SeedConflict {
			t.Fatalf("dobra-psa after C: %q, want conflict", st)
		}
		if l, _ := lics.FindLicenceByID(ctx, "dobra-psa"); l.Holder != "Dobra JV" || l.Status != nadra.LicenceActive {
			t.Fatalf("C overwrote the user's dobra-psa: %+v", l)
		}
	})
	t.Run("Settle", func(t *testing.T) {
		if _, err := db.Seed.AcceptSeed(ctx, licencesB(), []string{"licence:kal-permit"}); err != nil {
			t.Fatal(err)
		}
		if l, _ := lics.FindLicenceByID(ctx, "kal-permit"); l.TermYears != nil || l.Origin != "dataset" {
			t.Fatalf("accepted kal-permit = %+v, want the dataset's, without a term", l)
		}
	})
}

package dataset_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nadra"
	"nadra/dataset"
	"nadra/ledger"
)

// TestPublicJournal: the public journal loads, every entry is a public
// figure with dated sources, the journal's ids and corrections hold, and
// its figures are the ones the sources give.
func TestPublicJournal(t *testing.T) {
	es, err := dataset.PublicJournal()
	if err != nil {
		t.Fatal(err)
	}
	eff, err := (&ledger.Journal{Name: "public", Entries: es}).Effective()
	if err != nil {
		t.Fatal(err)
	}
	if len(eff) != len(es) {
		t.Fatalf("%d entries, %d in force: the public journal corrects nothing", len(es), len(eff))
	}
	byID := map[string]*nadra.Entry{}
	for _, e := range es {
		if !e.Public || len(e.Docs) == 0 || e.Memo == "" {
			t.Fatalf("%s: public %v, %d docs, memo %q: every entry is a public figure with its sources and a note", e.ID, e.Public, len(e.Docs), e.Memo)
		}
		for _, d := range e.Docs {
			if !strings.Contains(d, "http") {
				t.Fatalf("%s: doc %q has no address", e.ID, d)
			}
		}
		byID[e.ID] = e
	}
	tests := []struct {
		id, kind, party, from, amount, currency, rate string
	}{
		// DFC's seed capital, as DFC and as Ukraine's Prime Minister
		// stated it; Ukraine's match, as each stated it.
		{"pub-us-2025-09-17-dfc-commitment", nadra.KindCommitment, "US", "US", "75000000.00", "USD", ""},
		{"pub-ua-2025-09-17-dfc-commitment", nadra.KindCommitment, "UA", "US", "75000000.00", "USD", ""},
		{"pub-us-2025-09-17-ua-commitment", nadra.KindCommitment, "US", "UA", "75000000.00", "USD", ""},
		{"pub-ua-2025-09-17-ua-commitment", nadra.KindCommitment, "UA", "UA", "75000000.00", "USD", ""},
		// The Maidanska permit sold for UAH 31.7 million on 2026-02-26;
		// NBU's rate for that day, 43.24.
		{"pub-ua-2026-02-26-burtynske-maidanska-permit", nadra.KindReceipt, "UA", "solartek-esko", "31700000.00", "UAH", "43.24"},
	}
	if len(es) != len(tests) {
		t.Fatalf("%d entries, want %d", len(es), len(tests))
	}
	for _, tt := range tests {
		e := byID[tt.id]
		if e == nil {
			t.Fatalf("no entry %s", tt.id)
		}
		if e.Kind != tt.kind || e.Party != tt.party || e.From != tt.from || e.Amount.String() != tt.amount || e.Currency != tt.currency || e.FXRate != tt.rate {
			t.Fatalf("%s: got %s %s from %s %s %s at %q, want %s %s from %s %s %s at %q", tt.id, e.Kind, e.Party, e.From, e.Amount, e.Currency, e.FXRate,
				tt.kind, tt.party, tt.from, tt.amount, tt.currency, tt.rate)
		}
	}
	ms, err := dataset.PublicMissing()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, m := range ms {
		kinds[m.Kind] = true
	}
	for _, k := range []string{nadra.KindContributionCash, nadra.KindTransfer, nadra.KindContributionInKind} {
		if !kinds[k] {
			t.Fatalf("the missing flows do not say why there is no %s", k)
		}
	}
}

// TestPublicJournal_SharedFacts checks the public journal's figures
// against the project's shared fact sheets, when they are at hand.
func TestPublicJournal_SharedFacts(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "shared", "data", "econ", "flows_facts.md"))
	if err != nil {
		t.Skipf("the shared fact sheets are not here (%v); the public journal's own sources stand", err)
	}
	facts := string(b)
	for _, want := range []string{"2025-09-17 | DFC $75M seed commitment; Ukraine to match → $150M", "2026-02-26 | 20-yr graphite permit (Maidanska, Burtyn) sold UAH 31.7M to Solartek Esko"} {
		if !strings.Contains(facts, want) {
			t.Fatalf("flows_facts.md no longer says %q", want)
		}
	}
}

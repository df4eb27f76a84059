package dataset

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"strings"
	"sync"

	"nadra"
	"nadra/ledger"
)

// The public journal: the flows under the URIF agreement that public
// sources give a figure for, re-keyed as ledger entries (FORMAT.md,
// "Ledger entries"), each marked public with its sources. Neither party
// signed them, so they are not in any log: the ledger's views read them
// from here (nadra ledger balance --journal public).

//go:embed ledger/public.csv ledger/public_missing.csv
var ledgerFiles embed.FS

// PublicJournalFile is the public journal's name in messages.
const PublicJournalFile = "dataset/ledger/public.csv"

// PublicJournal returns the entries of the public journal in file order.
// Each is public, and each of its docs is dated.
func PublicJournal() ([]*nadra.Entry, error) {
	publicOnce.Do(func() { publicEntries, publicErr = loadPublic() })
	return publicEntries, publicErr
}

var (
	publicOnce    sync.Once
	publicEntries []*nadra.Entry
	publicErr     error
)

func loadPublic() ([]*nadra.Entry, error) {
	b, err := ledgerFiles.ReadFile("ledger/public.csv")
	if err != nil {
		return nil, err
	}
	es, err := ledger.ParseEntries(PublicJournalFile, b)
	if err != nil {
		return nil, err
	}
	for i, e := range es {
		if !e.Public {
			return nil, fmt.Errorf("%s: entry %d (%s): public: every entry of the public journal is a public figure", PublicJournalFile, i, e.ID)
		}
		for _, d := range e.Docs {
			if err := nadra.ValidateSource(d); err != nil {
				return nil, fmt.Errorf("%s: entry %d (%s): docs: %s", PublicJournalFile, i, e.ID, nadra.ErrorMessage(err))
			}
		}
		if e.FXSource != "" {
			if err := nadra.ValidateSource(e.FXSource); err != nil {
				return nil, fmt.Errorf("%s: entry %d (%s): fx_source: %s", PublicJournalFile, i, e.ID, nadra.ErrorMessage(err))
			}
		}
	}
	return es, nil
}

// MissingFlow is a flow the public journal has no entry for, because no
// public source gives its amount (ledger.MissingFlow).
type MissingFlow = ledger.MissingFlow

var missingColumns = []string{"flow", "kind", "party", "period", "why", "sources"}

// PublicMissing returns the flows the public journal lacks and why, from
// dataset/ledger/public_missing.csv.
func PublicMissing() ([]MissingFlow, error) {
	const name = "dataset/ledger/public_missing.csv"
	b, err := ledgerFiles.ReadFile("ledger/public_missing.csv")
	if err != nil {
		return nil, err
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != strings.Join(missingColumns, ",") {
		return nil, fmt.Errorf("%s: expected the columns %s", name, strings.Join(missingColumns, ","))
	}
	var out []MissingFlow
	for i, r := range recs[1:] {
		m := MissingFlow{Flow: r[0], Kind: r[1], Party: r[2], Period: r[3], Why: r[4], Sources: splitSources(r[5])}
		if m.Flow == "" || m.Why == "" || len(m.Sources) == 0 {
			return nil, fmt.Errorf("%s:%d: flow, why and sources are required", name, i+2)
		}
		for _, s := range m.Sources {
			if err := nadra.ValidateSource(s); err != nil {
				return nil, fmt.Errorf("%s:%d: sources: %s", name, i+2, nadra.ErrorMessage(err))
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// Public returns the public journal and the flows it lacks, for the
// views (ledger.PublicView).
func Public() (*ledger.PublicJournal, error) {
	es, err := PublicJournal()
	if err != nil {
		return nil, err
	}
	ms, err := PublicMissing()
	if err != nil {
		return nil, err
	}
	return &ledger.PublicJournal{File: PublicJournalFile, Entries: es, Missing: ms}, nil
}

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"nadra"
	"nadra/internal/seedmerge"
)

// SeedVersion returns the version of the dataset last seeded, or "".
func (db *DB) SeedVersion(ctx context.Context) (string, error) {
	return db.Meta(ctx, "dataset_version")
}

// ImportSeed imports the embedded dataset in one transaction, as an import
// of kind "dataset", and records its version. It never overwrites,
// deletes or reorders a row that a user imported or changed; the rules are
// internal/seedmerge's, shared with every store.
func (db *DB) ImportSeed(ctx context.Context, seed nadra.Seed) (*nadra.SeedResult, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	res, err := seedmerge.Import(ctx, seedTx{tx}, seed)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, formatError(err)
	}
	return res, nil
}

// DiffSeed lists every stored row that differs from the dataset seed, by
// kind and key, without changing anything. With all false it leaves out
// the user's own rows (SeedAdded).
func (db *DB) DiffSeed(ctx context.Context, seed nadra.Seed, all bool) ([]nadra.SeedRow, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return seedmerge.Diff(ctx, seedTx{tx}, seed, all)
}

// AcceptSeed settles rows in favour of the dataset, in one transaction:
// each ref (as DiffSeed gives it) takes the dataset's value, or, if the
// dataset withdrew it, is deleted, unless user data refers to it. The
// change is recorded as an import of kind "dataset" with file "accepted".
// It returns ENOTFOUND for a ref that names no differing row.
func (db *DB) AcceptSeed(ctx context.Context, seed nadra.Seed, refs []string) (*nadra.SeedResult, error) {
	return db.settleSeed(ctx, seed, refs, true)
}

// KeepSeed settles rows in favour of the database: each ref stays as
// stored, and no longer counts as a conflict, until the dataset changes
// it again. A withdrawn row becomes the user's own. Nothing else changes.
func (db *DB) KeepSeed(ctx context.Context, seed nadra.Seed, refs []string) (*nadra.SeedResult, error) {
	return db.settleSeed(ctx, seed, refs, false)
}

func (db *DB) settleSeed(ctx context.Context, seed nadra.Seed, refs []string, accept bool) (*nadra.SeedResult, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	res, err := seedmerge.Settle(ctx, seedTx{tx}, seed, refs, accept)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, formatError(err)
	}
	return res, nil
}

// seedTx is the merge's view of a transaction (seedmerge.Tx).
type seedTx struct{ tx *Tx }

var _ seedmerge.Tx = seedTx{}

func (s seedTx) Stored(ctx context.Context, kind string) (map[string]*seedmerge.Stored, error) {
	tx := s.tx
	out := map[string]*seedmerge.Stored{}
	// origins reads each row's import id and whether that import is a
	// dataset import, by key, from a query returning (key, import_id, kind).
	origins := func(q string) (map[string]seedmerge.Stored, error) {
		org := map[string]seedmerge.Stored{}
		err := scanRows(ctx, tx, q, func(r *sql.Rows) error {
			var key, kind string
			var id int64
			if err := r.Scan(&key, &id, &kind); err != nil {
				return err
			}
			org[key] = seedmerge.Stored{ImportID: id, FromDataset: kind == "dataset"}
			return nil
		})
		return org, err
	}
	add := func(org map[string]seedmerge.Stored, v seedmerge.Value) {
		o := org[v.Key]
		o.Value = v
		out[v.Key] = &o
	}
	switch kind {
	case seedmerge.KindDeposit:
		org, err := origins(`SELECT d.id, d.import_id, i.kind FROM deposits d JOIN imports i ON i.id = d.import_id`)
		if err != nil {
			return nil, err
		}
		ds, _, err := findDeposits(ctx, tx, nadra.DepositFilter{})
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			add(org, seedmerge.DepositValue(d))
		}
	case seedmerge.KindEstimate:
		org, err := origins(`SELECT e.key, e.import_id, i.kind FROM estimates e JOIN imports i ON i.id = e.import_id`)
		if err != nil {
			return nil, err
		}
		es, err := findEstimates(ctx, tx, "")
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			add(org, seedmerge.EstimateValue(e))
		}
	case seedmerge.KindLicence:
		org, err := origins(`SELECT l.id, l.import_id, i.kind FROM licences l JOIN imports i ON i.id = l.import_id`)
		if err != nil {
			return nil, err
		}
		ls, err := findLicences(ctx, tx, nadra.LicenceFilter{})
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			add(org, seedmerge.LicenceValue(l))
		}
	case seedmerge.KindSnapshot:
		err := scanRows(ctx, tx, `SELECT s.date, s.source, s.grey_known, s.occupied_km2, s.grey_km2, s.sha256, s.import_id, i.kind
			FROM snapshots s JOIN imports i ON i.id = s.import_id`, func(r *sql.Rows) error {
			var date, source, sum, kind string
			var greyKnown bool
			var occ float64
			var grey *float64
			var id int64
			if err := r.Scan(&date, &source, &greyKnown, &occ, &grey, &sum, &id, &kind); err != nil {
				return err
			}
			out[date] = &seedmerge.Stored{Value: seedmerge.SnapshotValue(date, source, greyKnown, occ, grey, sum), ImportID: id, FromDataset: kind == "dataset"}
			return nil
		})
		if err != nil {
			return nil, err
		}
	case seedmerge.KindProduction:
		org, err := origins(`SELECT p.commodity || char(31) || p.stage || char(31) || p.product || char(31) || p.country || char(31) || p.year,
			p.import_id, i.kind FROM production p JOIN imports i ON i.id = p.import_id`)
		if err != nil {
			return nil, err
		}
		ps, err := findProduction(ctx, tx, nadra.ProductionFilter{})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			add(org, seedmerge.ProductionValue(p))
		}
	case seedmerge.KindTerms:
		org, err := origins(`SELECT t.id, t.import_id, i.kind FROM deal_terms t JOIN imports i ON i.id = t.import_id`)
		if err != nil {
			return nil, err
		}
		ds, err := findDeals(ctx, tx, "")
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			add(org, seedmerge.TermsValue(d))
		}
	case seedmerge.KindScenario:
		org, err := origins(`SELECT s.id, s.import_id, i.kind FROM scenarios s JOIN imports i ON i.id = s.import_id`)
		if err != nil {
			return nil, err
		}
		ss, err := findScenarios(ctx, tx, "")
		if err != nil {
			return nil, err
		}
		for i := range ss {
			add(org, seedmerge.ScenarioValue(&ss[i]))
		}
	default:
		return nil, fmt.Errorf("seed: unknown kind %q", kind)
	}
	return out, nil
}

func (s seedTx) Bases(ctx context.Context, kind string) (map[string]string, error) {
	out := map[string]string{}
	err := scanRows(ctx, s.tx, `SELECT key, sha256 FROM dataset_rows WHERE kind = ?`, func(r *sql.Rows) error {
		var k, v string
		if err := r.Scan(&k, &v); err != nil {
			return err
		}
		out[k] = v
		return nil
	}, kind)
	return out, err
}

func (s seedTx) SetBase(ctx context.Context, kind, key, sum string) error {
	_, err := s.tx.ExecContext(ctx, `INSERT INTO dataset_rows (kind, key, sha256) VALUES (?, ?, ?)
		ON CONFLICT (kind, key) DO UPDATE SET sha256 = excluded.sha256`, kind, key, sum)
	return formatError(err)
}

func (s seedTx) DeleteBase(ctx context.Context, kind, key string) error {
	_, err := s.tx.ExecContext(ctx, `DELETE FROM dataset_rows WHERE kind = ? AND key = ?`, kind, key)
	return formatError(err)
}

func (s seedTx) Put(ctx context.Context, kind string, item any, importID int64) error {
	ctx, tx := ctx, s.tx
	switch v := item.(type) {
	case *nadra.Deposit:
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM deposits WHERE id = ?`, v.ID).Scan(&n); err != nil {
			return err
		}
		if err := upsertDeposit(ctx, tx, v, importID); err != nil {
			return formatError(err)
		}
		action := "inserted"
		if n > 0 {
			action = "updated"
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO deposit_changes (import_id, deposit_id, action) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, importID, v.ID, action)
		return formatError(err)
	case *nadra.Estimate:
		return upsertEstimate(ctx, tx, v, importID)
	case *nadra.Licence:
		return upsertLicence(ctx, tx, v, importID)
	case *nadra.Snapshot:
		return upsertSnapshot(ctx, tx, v, importID)
	case *nadra.Production:
		return upsertProduction(ctx, tx, v, importID)
	case *nadra.DealTerms:
		return upsertTerms(ctx, tx, v, importID)
	case *nadra.Scenario:
		return upsertScenario(ctx, tx, v, importID)
	}
	return fmt.Errorf("seed: cannot store a %T as a %s", item, kind)
}

func (s seedTx) Remove(ctx context.Context, kind, key string) (string, error) {
	tx := s.tx
	del := func(q string) (string, error) {
		_, err := tx.ExecContext(ctx, q, key)
		return "", formatError(err)
	}
	if why, err := s.Held(ctx, kind, key); err != nil || why != "" {
		return why, err
	}
	switch kind {
	case seedmerge.KindDeposit:
		return del(`DELETE FROM deposits WHERE id = ?`)
	case seedmerge.KindEstimate:
		return del(`DELETE FROM estimates WHERE key = ?`)
	case seedmerge.KindLicence:
		return del(`DELETE FROM licences WHERE id = ?`)
	case seedmerge.KindSnapshot:
		return del(`DELETE FROM snapshots WHERE date = ?`)
	case seedmerge.KindProduction:
		return del(`DELETE FROM production WHERE commodity || char(31) || stage || char(31) || product || char(31) || country || char(31) || year = ?`)
	case seedmerge.KindTerms:
		return del(`DELETE FROM deal_terms WHERE id = ?`)
	case seedmerge.KindScenario:
		return del(`DELETE FROM scenarios WHERE id = ?`)
	}
	return "", fmt.Errorf("seed: unknown kind %q", kind)
}

// Held says which rows refer to a deposit (figures, licences) or a licence
// (ledger entries: the ledger is never rewritten, so what it names stays).
func (s seedTx) Held(ctx context.Context, kind, key string) (string, error) {
	count := func(q string) (int, error) {
		var n int
		err := s.tx.QueryRowContext(ctx, q, key).Scan(&n)
		return n, formatError(err)
	}
	for _, c := range []struct{ kind, q, what string }{
		{seedmerge.KindDeposit, `SELECT COUNT(*) FROM estimates WHERE deposit_id = ?`, "%d resource figures in the database refer to it"},
		{seedmerge.KindDeposit, `SELECT COUNT(*) FROM licences WHERE deposit_id = ?`, "%d licences in the database refer to it"},
		{seedmerge.KindLicence, `SELECT COUNT(*) FROM ledger_entries WHERE licence = ?`, "%d ledger entries name it"},
	} {
		if c.kind != kind {
			continue
		}
		n, err := count(c.q)
		if err != nil {
			return "", err
		}
		if n > 0 {
			return fmt.Sprintf(c.what, n), nil
		}
	}
	return "", nil
}

func (s seedTx) ImportOrigins(ctx context.Context) (map[int64]string, error) {
	out := map[int64]string{}
	err := scanRows(ctx, s.tx, `SELECT id, kind, file, sha256, created_at FROM imports`, func(r *sql.Rows) error {
		var id int64
		var kind, file, sum, at string
		if err := r.Scan(&id, &kind, &file, &sum, &at); err != nil {
			return err
		}
		t, _ := time.Parse(time.RFC3339, at)
		out[id] = seedmerge.Origin(id, kind, file, sum, t)
		return nil
	})
	return out, err
}

func (s seedTx) CreateImport(ctx context.Context, imp nadra.Import) (int64, error) {
	id, err := createImport(ctx, s.tx, imp, nadra.ImportResult{})
	return id, formatError(err)
}

func (s seedTx) FinishImport(ctx context.Context, id int64, res nadra.ImportResult) error {
	return formatError(finishImport(ctx, s.tx, id, res))
}

func (s seedTx) PutReference(ctx context.Context, seed nadra.Seed, importID int64) error {
	if err := upsertCommodities(ctx, s.tx, seed.Commodities, importID); err != nil {
		return err
	}
	if seed.Supply != nil {
		return seedSupply(ctx, s.tx, importID, seed.Supply)
	}
	return nil
}

func (s seedTx) SetVersion(ctx context.Context, version string) error {
	return formatError(setMeta(ctx, s.tx, "dataset_version", version))
}

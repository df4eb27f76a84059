package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"nadra"
	"nadra/internal/seedmerge"

	"github.com/jackc/pgx/v5"
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
	return db.seedWrite(ctx, func(tx seedmerge.Tx) (*nadra.SeedResult, error) { return seedmerge.Import(ctx, tx, seed) })
}

// DiffSeed lists every stored row that differs from the dataset seed,
// without changing anything. With all false it leaves out the user's own
// rows (SeedAdded).
func (db *DB) DiffSeed(ctx context.Context, seed nadra.Seed, all bool) ([]nadra.SeedRow, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.rollback()
	return seedmerge.Diff(ctx, seedTx{tx}, seed, all)
}

// AcceptSeed settles rows in favour of the dataset, in one transaction.
func (db *DB) AcceptSeed(ctx context.Context, seed nadra.Seed, refs []string) (*nadra.SeedResult, error) {
	return db.seedWrite(ctx, func(tx seedmerge.Tx) (*nadra.SeedResult, error) { return seedmerge.Settle(ctx, tx, seed, refs, true) })
}

// KeepSeed settles rows in favour of the database, in one transaction.
func (db *DB) KeepSeed(ctx context.Context, seed nadra.Seed, refs []string) (*nadra.SeedResult, error) {
	return db.seedWrite(ctx, func(tx seedmerge.Tx) (*nadra.SeedResult, error) { return seedmerge.Settle(ctx, tx, seed, refs, false) })
}

func (db *DB) seedWrite(ctx context.Context, fn func(seedmerge.Tx) (*nadra.SeedResult, error)) (*nadra.SeedResult, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.rollback()
	res, err := fn(seedTx{tx})
	if err != nil {
		return nil, err
	}
	if res.Inserted+res.Updated+res.Removed > 0 || res.ImportID != 0 {
		// A seed also rewrites commodities and the supply tables.
		tx.touch(nadra.ChangeRegistry, nadra.ChangeSnapshots, nadra.ChangeSupply, nadra.ChangeLicences, nadra.ChangeCatalog)
	}
	if err := tx.commit(ctx); err != nil {
		return nil, err
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
		err := scanRows(ctx, tx, q, func(r pgx.Rows) error {
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
		err := scanRows(ctx, tx, `SELECT to_char(s.date, 'YYYY-MM-DD'), s.source, s.grey_known, s.occupied_km2, s.grey_km2, s.sha256, s.import_id, i.kind
			FROM snapshots s JOIN imports i ON i.id = s.import_id`, func(r pgx.Rows) error {
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
		org, err := origins(`SELECT p.commodity || chr(31) || p.stage || chr(31) || p.product || chr(31) || p.country || chr(31) || p.year,
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
	err := scanRows(ctx, s.tx, `SELECT key, sha256 FROM dataset_rows WHERE kind = $1`, func(r pgx.Rows) error {
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
	_, err := s.tx.Exec(ctx, `INSERT INTO dataset_rows (kind, key, sha256) VALUES ($1, $2, $3)
		ON CONFLICT (kind, key) DO UPDATE SET sha256 = excluded.sha256`, kind, key, sum)
	return formatError(err)
}

func (s seedTx) DeleteBase(ctx context.Context, kind, key string) error {
	_, err := s.tx.Exec(ctx, `DELETE FROM dataset_rows WHERE kind = $1 AND key = $2`, kind, key)
	return formatError(err)
}

func (s seedTx) Put(ctx context.Context, kind string, item any, importID int64) error {
	tx := s.tx
	switch v := item.(type) {
	case *nadra.Deposit:
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM deposits WHERE id = $1)`, v.ID).Scan(&exists); err != nil {
			return formatError(err)
		}
		if err := upsertDeposit(ctx, tx, v, importID); err != nil {
			return err
		}
		action := "inserted"
		if exists {
			action = "updated"
		}
		_, err := tx.Exec(ctx, `INSERT INTO deposit_changes (import_id, deposit_id, action) VALUES ($1, $2, $3)
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
	del := func(q string, args ...any) (string, error) {
		_, err := tx.Exec(ctx, q, args...)
		return "", formatError(err)
	}
	if why, err := s.Held(ctx, kind, key); err != nil || why != "" {
		return why, err
	}
	switch kind {
	case seedmerge.KindDeposit:
		return del(`DELETE FROM deposits WHERE id = $1`, key)
	case seedmerge.KindEstimate:
		return del(`DELETE FROM estimates WHERE key = $1`, key)
	case seedmerge.KindLicence:
		return del(`DELETE FROM licences WHERE id = $1`, key)
	case seedmerge.KindSnapshot:
		return del(`DELETE FROM snapshots WHERE date = $1::date`, key)
	case seedmerge.KindProduction:
		f := strings.Split(key, "\x1f")
		if len(f) != 5 {
			return "", fmt.Errorf("seed: production key %q has %d fields, want 5", key, len(f))
		}
		year, err := strconv.Atoi(f[4])
		if err != nil {
			return "", fmt.Errorf("seed: production key %q: %v", key, err)
		}
		return del(`DELETE FROM production WHERE commodity = $1 AND stage = $2 AND product = $3 AND country = $4 AND year = $5`, f[0], f[1], f[2], f[3], year)
	case seedmerge.KindTerms:
		return del(`DELETE FROM deal_terms WHERE id = $1`, key)
	case seedmerge.KindScenario:
		return del(`DELETE FROM scenarios WHERE id = $1`, key)
	}
	return "", fmt.Errorf("seed: unknown kind %q", kind)
}

// Held says which rows refer to a deposit (figures, licences) or a licence
// (ledger entries: the ledger is never rewritten, so what it names stays).
func (s seedTx) Held(ctx context.Context, kind, key string) (string, error) {
	for _, c := range []struct{ kind, q, what string }{
		{seedmerge.KindDeposit, `SELECT COUNT(*) FROM estimates WHERE deposit_id = $1`, "%d resource figures in the database refer to it"},
		{seedmerge.KindDeposit, `SELECT COUNT(*) FROM licences WHERE deposit_id = $1`, "%d licences in the database refer to it"},
		{seedmerge.KindLicence, `SELECT COUNT(*) FROM ledger_entries WHERE licence = $1`, "%d ledger entries name it"},
	} {
		if c.kind != kind {
			continue
		}
		var n int
		if err := s.tx.QueryRow(ctx, c.q, key).Scan(&n); err != nil {
			return "", formatError(err)
		}
		if n > 0 {
			return fmt.Sprintf(c.what, n), nil
		}
	}
	return "", nil
}

func (s seedTx) ImportOrigins(ctx context.Context) (map[int64]string, error) {
	out := map[int64]string{}
	err := scanRows(ctx, s.tx, `SELECT id, kind, file, sha256, created_at FROM imports`, func(r pgx.Rows) error {
		var id int64
		var kind, file, sum string
		var at time.Time
		if err := r.Scan(&id, &kind, &file, &sum, &at); err != nil {
			return err
		}
		out[id] = seedmerge.Origin(id, kind, file, sum, at)
		return nil
	})
	return out, err
}

func (s seedTx) CreateImport(ctx context.Context, imp nadra.Import) (int64, error) {
	return createImport(ctx, s.tx, imp, nadra.ImportResult{})
}

func (s seedTx) FinishImport(ctx context.Context, id int64, res nadra.ImportResult) error {
	return finishImport(ctx, s.tx, id, res)
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
	return setMeta(ctx, s.tx, "dataset_version", version)
}

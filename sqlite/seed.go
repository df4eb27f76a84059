package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"nadra"
)

// Seed is the content of a dataset import: the embedded default dataset.
type Seed struct {
	Version     string
	Commodities []*nadra.Commodity
	Deposits    []*nadra.Deposit
	Estimates   []*nadra.Estimate
	Licences    []*nadra.Licence
	Snapshots   []*nadra.Snapshot
	// Supply is the supply data; nil leaves the supply tables alone.
	Supply *nadra.SupplyData
}

// SeedState says how a stored row stands against the embedded dataset.
// Values are shown to users and written in JSON: append only.
type SeedState string

// Row states. A row equal to the dataset's has no state: it is not listed.
const (
	// SeedPending: as an older dataset shipped it; the next dataset
	// import updates it.
	SeedPending SeedState = "pending"
	// SeedMissing: the dataset ships it and the database does not have it;
	// the next dataset import adds it.
	SeedMissing SeedState = "missing"
	// SeedEdited: the user imported or changed it, and the dataset ships
	// another value that it has not changed since. The user's value stays.
	SeedEdited SeedState = "edited"
	// SeedConflict: the user imported or changed it, and the dataset has
	// changed it since. The user's value stays until the user decides.
	SeedConflict SeedState = "conflict"
	// SeedWithdrawn: the dataset shipped it and no longer does. Kept when
	// the user changed it or user data refers to it.
	SeedWithdrawn SeedState = "withdrawn"
	// SeedAdded: the user's own row; the dataset does not ship it.
	SeedAdded SeedState = "added"
)

// SeedRow is one stored row that differs from the embedded dataset.
type SeedRow struct {
	// Ref names the row for `nadra dataset accept` and `keep`: kind:key.
	Ref    string      `json:"ref"`
	Kind   string      `json:"kind"` // deposit, estimate, licence, snapshot, production
	Label  string      `json:"label"`
	State  SeedState   `json:"state"`
	Origin string      `json:"origin,omitempty"` // where the stored row came from; "" when missing
	Fields []SeedField `json:"fields,omitempty"` // what differs, field by field
	Note   string      `json:"note,omitempty"`
}

// SeedField is one field that differs between the dataset and the
// database. A nil value is an absent row or an empty field.
type SeedField struct {
	Field   string `json:"field"`
	Dataset any    `json:"dataset"`
	Stored  any    `json:"stored"`
}

// SeedResult is what a dataset import did.
type SeedResult struct {
	Version  string `json:"version"`
	ImportID int64  `json:"import_id"`
	Inserted int    `json:"inserted"`
	Updated  int    `json:"updated"`
	Removed  int    `json:"removed"` // rows the dataset withdrew that no one had changed
	// Unchanged counts rows equal to the dataset's.
	Unchanged int `json:"unchanged"`
	// Kept lists the rows the import left alone although the dataset
	// differs: the user's edits, conflicts and withdrawn rows kept.
	Kept []SeedRow `json:"kept"`
}

// Conflicts returns the kept rows in state SeedConflict.
func (r *SeedResult) Conflicts() []SeedRow {
	var out []SeedRow
	for _, k := range r.Kept {
		if k.State == SeedConflict {
			out = append(out, k)
		}
	}
	return out
}

// SeedVersion returns the version of the dataset last seeded, or "".
func (db *DB) SeedVersion(ctx context.Context) (string, error) {
	return db.Meta(ctx, "dataset_version")
}

// seedValue is one row as the dataset ships it, or as stored.
type seedValue struct {
	key    string         // the row's key in its table
	label  string         // for people
	sum    string         // hash of the canonical value: equal sums, equal rows
	fields map[string]any // the value, field by field, for diffs
	// put stores the dataset's value (nil for a stored value).
	put func(ctx context.Context, tx *Tx, importID int64) error
}

// storedValue is a row in the database and its origin.
type storedValue struct {
	seedValue
	importID    int64
	fromDataset bool // the row is as a dataset import wrote it
}

// seedKind is what the merge needs to know of one table.
type seedKind struct {
	name     string
	embedded func(s Seed) ([]seedValue, error)
	stored   func(ctx context.Context, tx *Tx) (map[string]*storedValue, error)
	// remove deletes a row; it returns a reason, and deletes nothing,
	// when user data depends on the row.
	remove func(ctx context.Context, tx *Tx, key string) (string, error)
	// held returns why user data depends on a row, or "", changing
	// nothing; nil when nothing can depend on the kind's rows.
	held func(ctx context.Context, tx *Tx, key string) (string, error)
}

// seedKinds lists the tables a user can import into and the dataset also
// fills, parents first: inserts go in this order, removals in reverse.
var seedKinds = []seedKind{
	{name: "deposit", embedded: embeddedDeposits, stored: storedDeposits, remove: removeDeposit, held: depositHeld},
	{name: "estimate", embedded: embeddedEstimates, stored: storedEstimates, remove: removeByKey(`DELETE FROM estimates WHERE key = ?`)},
	{name: "licence", embedded: embeddedLicences, stored: storedLicences, remove: removeLicence, held: licenceHeld},
	{name: "snapshot", embedded: embeddedSnapshots, stored: storedSnapshots, remove: removeByKey(`DELETE FROM snapshots WHERE date = ?`)},
	{name: "production", embedded: embeddedProduction, stored: storedProduction, remove: removeByKey(`DELETE FROM production WHERE commodity || char(31) || stage || char(31) || product || char(31) || country || char(31) || year = ?`)},
}

// canonical returns a value's hash and fields, from its JSON encoding.
func canonical(v any) (string, map[string]any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // registry values always encode
	}
	sum := sha256.Sum256(b)
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil {
		panic(err)
	}
	return hex.EncodeToString(sum[:]), fields
}

func embeddedDeposits(s Seed) ([]seedValue, error) {
	known := map[string]bool{}
	for _, c := range s.Commodities {
		known[c.Code] = true
	}
	var out []seedValue
	for _, d := range s.Deposits {
		if err := d.Validate(known); err != nil {
			return nil, fmt.Errorf("deposit %s: %w", d.ID, err)
		}
		d := d
		v := depositValue(d)
		v.put = func(ctx context.Context, tx *Tx, importID int64) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM deposits WHERE id = ?`, d.ID).Scan(&n); err != nil {
				return err
			}
			if err := upsertDeposit(ctx, tx, d, importID); err != nil {
				return formatError(err)
			}
			action := "inserted"
			if n > 0 {
				action = "updated"
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO deposit_changes (import_id, deposit_id, action) VALUES (?, ?, ?)
				ON CONFLICT DO NOTHING`, importID, d.ID, action)
			return formatError(err)
		}
		out = append(out, v)
	}
	return out, nil
}

func depositValue(d *nadra.Deposit) seedValue {
	x := *d
	x.Origin, x.UpdatedAt = "", time.Time{}
	sum, fields := canonical(x)
	return seedValue{key: d.ID, label: d.ID + " (" + d.Name + ")", sum: sum, fields: fields}
}

// origins reads each row's import id and whether that import is a
// dataset import, by key, from a query returning (key, import_id, kind).
func origins(ctx context.Context, tx *Tx, q string) (map[string]storedValue, error) {
	out := map[string]storedValue{}
	err := scanRows(ctx, tx, q, func(r *sql.Rows) error {
		var key, kind string
		var id int64
		if err := r.Scan(&key, &id, &kind); err != nil {
			return err
		}
		out[key] = storedValue{importID: id, fromDataset: kind == "dataset"}
		return nil
	})
	return out, err
}

func storedDeposits(ctx context.Context, tx *Tx) (map[string]*storedValue, error) {
	org, err := origins(ctx, tx, `SELECT d.id, d.import_id, i.kind FROM deposits d JOIN imports i ON i.id = d.import_id`)
	if err != nil {
		return nil, err
	}
	ds, _, err := findDeposits(ctx, tx, nadra.DepositFilter{})
	if err != nil {
		return nil, err
	}
	out := map[string]*storedValue{}
	for _, d := range ds {
		o := org[d.ID]
		o.seedValue = depositValue(d)
		out[d.ID] = &o
	}
	return out, nil
}

// depositHeld says which rows of the database refer to deposit id.
func depositHeld(ctx context.Context, tx *Tx, id string) (string, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM estimates WHERE deposit_id = ?`, id).Scan(&n); err != nil {
		return "", err
	}
	if n > 0 {
		return fmt.Sprintf("%d resource figures in the database refer to it", n), nil
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM licences WHERE deposit_id = ?`, id).Scan(&n); err != nil {
		return "", err
	}
	if n > 0 {
		return fmt.Sprintf("%d licences in the database refer to it", n), nil
	}
	return "", nil
}

func removeDeposit(ctx context.Context, tx *Tx, id string) (string, error) {
	if why, err := depositHeld(ctx, tx, id); err != nil || why != "" {
		return why, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM deposits WHERE id = ?`, id); err != nil {
		return "", formatError(err)
	}
	return "", nil
}

func embeddedLicences(s Seed) ([]seedValue, error) {
	known := map[string]bool{}
	for _, c := range s.Commodities {
		known[c.Code] = true
	}
	var out []seedValue
	for _, l := range s.Licences {
		if err := l.Validate(known); err != nil {
			return nil, fmt.Errorf("licence %s: %w", l.ID, err)
		}
		l := l
		v := licenceValue(l)
		v.put = func(ctx context.Context, tx *Tx, importID int64) error { return upsertLicence(ctx, tx, l, importID) }
		out = append(out, v)
	}
	return out, nil
}

func licenceValue(l *nadra.Licence) seedValue {
	x := *l
	x.Origin, x.UpdatedAt = "", time.Time{}
	sum, fields := canonical(x)
	return seedValue{key: l.ID, label: l.ID + " (" + l.Holder + ")", sum: sum, fields: fields}
}

func storedLicences(ctx context.Context, tx *Tx) (map[string]*storedValue, error) {
	org, err := origins(ctx, tx, `SELECT l.id, l.import_id, i.kind FROM licences l JOIN imports i ON i.id = l.import_id`)
	if err != nil {
		return nil, err
	}
	ls, err := findLicences(ctx, tx, nadra.LicenceFilter{})
	if err != nil {
		return nil, err
	}
	out := map[string]*storedValue{}
	for _, l := range ls {
		o := org[l.ID]
		o.seedValue = licenceValue(l)
		out[l.ID] = &o
	}
	return out, nil
}

// removeLicence deletes a licence the dataset withdrew, unless ledger
// entries name it: the ledger is never rewritten, so what it refers to
// stays.
func removeLicence(ctx context.Context, tx *Tx, id string) (string, error) {
	if why, err := licenceHeld(ctx, tx, id); err != nil || why != "" {
		return why, err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM licences WHERE id = ?`, id)
	return "", formatError(err)
}

// licenceHeld says whether ledger entries name licence id.
func licenceHeld(ctx context.Context, tx *Tx, id string) (string, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_entries WHERE licence = ?`, id).Scan(&n); err != nil {
		return "", err
	}
	if n > 0 {
		return fmt.Sprintf("%d ledger entries name it", n), nil
	}
	return "", nil
}

func removeByKey(q string) func(ctx context.Context, tx *Tx, key string) (string, error) {
	return func(ctx context.Context, tx *Tx, key string) (string, error) {
		_, err := tx.ExecContext(ctx, q, key)
		return "", formatError(err)
	}
}

func embeddedEstimates(s Seed) ([]seedValue, error) {
	known := map[string]bool{}
	for _, c := range s.Commodities {
		known[c.Code] = true
	}
	var out []seedValue
	for i, e := range s.Estimates {
		if err := e.Validate(known); err != nil {
			return nil, fmt.Errorf("estimate %d: %w", i+1, err)
		}
		e := e
		v := estimateValue(e)
		v.put = func(ctx context.Context, tx *Tx, importID int64) error { return upsertEstimate(ctx, tx, e, importID) }
		out = append(out, v)
	}
	return out, nil
}

func estimateValue(e *nadra.Estimate) seedValue {
	sum, fields := canonical(e)
	label := e.DepositID + " " + e.Commodity + " " + e.Basis + " " + e.Category
	if e.Year != nil {
		label += fmt.Sprintf(" %d", *e.Year)
	}
	return seedValue{key: e.Key(), label: label, sum: sum, fields: fields}
}

func storedEstimates(ctx context.Context, tx *Tx) (map[string]*storedValue, error) {
	org, err := origins(ctx, tx, `SELECT e.key, e.import_id, i.kind FROM estimates e JOIN imports i ON i.id = e.import_id`)
	if err != nil {
		return nil, err
	}
	es, err := findEstimates(ctx, tx, "")
	if err != nil {
		return nil, err
	}
	out := map[string]*storedValue{}
	for _, e := range es {
		v := estimateValue(e)
		o := org[v.key]
		o.seedValue = v
		out[v.key] = &o
	}
	return out, nil
}

func embeddedSnapshots(s Seed) ([]seedValue, error) {
	var out []seedValue
	for _, sn := range s.Snapshots {
		if _, err := nadra.ParseDate(sn.Date); err != nil {
			return nil, fmt.Errorf("snapshot %s: %w", sn.Date, err)
		}
		sn := sn
		occ, grey := snapshotKm2(sn)
		v := snapshotValue(sn.Date, sn.Source, sn.GreyKnown, occ, grey, snapshotSum(sn))
		v.put = func(ctx context.Context, tx *Tx, importID int64) error { return upsertSnapshot(ctx, tx, sn, importID) }
		out = append(out, v)
	}
	return out, nil
}

// snapshotValue describes a snapshot by its metadata and areas; its
// geometry is in the sum.
func snapshotValue(date, source string, greyKnown bool, occKm float64, greyKm *float64, sum string) seedValue {
	round := func(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }
	fields := map[string]any{"source": source, "grey_known": greyKnown, "occupied_km2": round(occKm), "geometry_sha256": sum}
	if greyKm != nil {
		fields["grey_km2"] = round(*greyKm)
	}
	return seedValue{key: date, label: "control snapshot of " + date, sum: sum, fields: fields}
}

func storedSnapshots(ctx context.Context, tx *Tx) (map[string]*storedValue, error) {
	out := map[string]*storedValue{}
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
		out[date] = &storedValue{seedValue: snapshotValue(date, source, greyKnown, occ, grey, sum), importID: id, fromDataset: kind == "dataset"}
		return nil
	})
	return out, err
}

func embeddedProduction(s Seed) ([]seedValue, error) {
	if s.Supply == nil {
		return nil, nil
	}
	series := s.Supply.SeriesMap()
	var out []seedValue
	for _, p := range s.Supply.Production {
		if err := p.Validate(series); err != nil {
			return nil, fmt.Errorf("production %s %s %d: %w", p.SeriesKey(), p.Country, p.Year, err)
		}
		p := p
		v := productionValue(p)
		v.put = func(ctx context.Context, tx *Tx, importID int64) error { return upsertProduction(ctx, tx, p, importID) }
		out = append(out, v)
	}
	return out, nil
}

func productionValue(p *nadra.Production) seedValue {
	x := *p
	x.Origin = ""
	sum, fields := canonical(x)
	label := fmt.Sprintf("%s %s %s %d", p.Commodity, p.Stage, p.Country, p.Year)
	if p.Product != "" {
		label = fmt.Sprintf("%s %s %s %s %d", p.Commodity, p.Stage, p.Product, p.Country, p.Year)
	}
	return seedValue{key: p.Key(), label: label, sum: sum, fields: fields}
}

func storedProduction(ctx context.Context, tx *Tx) (map[string]*storedValue, error) {
	org, err := origins(ctx, tx, `SELECT p.commodity || char(31) || p.stage || char(31) || p.product || char(31) || p.country || char(31) || p.year,
		p.import_id, i.kind FROM production p JOIN imports i ON i.id = p.import_id`)
	if err != nil {
		return nil, err
	}
	ps, err := findProduction(ctx, tx, nadra.ProductionFilter{})
	if err != nil {
		return nil, err
	}
	out := map[string]*storedValue{}
	for _, p := range ps {
		v := productionValue(p)
		o := org[v.key]
		o.seedValue = v
		out[v.key] = &o
	}
	return out, nil
}

// seedRef is how users name a row: kind:key, where an estimate's or a
// production row's key (which holds control characters and long source
// lists) is replaced by a short hash of it.
func seedRef(kind, key string) string {
	switch kind {
	case "estimate", "production":
		sum := sha256.Sum256([]byte(key))
		return kind + ":" + hex.EncodeToString(sum[:])[:10]
	}
	return kind + ":" + key
}

// bases reads the merge base: the dataset's last hash of each row of kind.
func bases(ctx context.Context, tx *Tx, kind string) (map[string]string, error) {
	out := map[string]string{}
	err := scanRows(ctx, tx, `SELECT key, sha256 FROM dataset_rows WHERE kind = ?`, func(r *sql.Rows) error {
		var k, s string
		if err := r.Scan(&k, &s); err != nil {
			return err
		}
		out[k] = s
		return nil
	}, kind)
	return out, err
}

func setBase(ctx context.Context, tx *Tx, kind, key, sum string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO dataset_rows (kind, key, sha256) VALUES (?, ?, ?)
		ON CONFLICT (kind, key) DO UPDATE SET sha256 = excluded.sha256`, kind, key, sum)
	return formatError(err)
}

func deleteBase(ctx context.Context, tx *Tx, kind, key string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM dataset_rows WHERE kind = ? AND key = ?`, kind, key)
	return formatError(err)
}

// importOrigin describes an import for people: "dataset 3f2a… (2026-11-26)"
// or "import 12: mine.csv (2026-11-27)".
func importOrigins(ctx context.Context, tx *Tx) (map[int64]string, error) {
	out := map[int64]string{}
	err := scanRows(ctx, tx, `SELECT id, kind, file, sha256, created_at FROM imports`, func(r *sql.Rows) error {
		var id int64
		var kind, file, sum, at string
		if err := r.Scan(&id, &kind, &file, &sum, &at); err != nil {
			return err
		}
		day := at
		if len(day) >= 10 {
			day = day[:10]
		}
		if kind == "dataset" {
			out[id] = fmt.Sprintf("dataset %.12s (import %d, %s)", sum, id, day)
		} else {
			out[id] = fmt.Sprintf("import %d: %s %s (%s)", id, kind, file, day)
		}
		return nil
	})
	return out, err
}

// diffFields lists the fields that differ between the dataset's value and
// the stored one, in field order. Either may be nil (an absent row).
func diffFields(ds, st map[string]any) []SeedField {
	names := map[string]bool{}
	for k := range ds {
		names[k] = true
	}
	for k := range st {
		names[k] = true
	}
	keys := make([]string, 0, len(names))
	for k := range names {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []SeedField
	for _, k := range keys {
		a, b := ds[k], st[k]
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			out = append(out, SeedField{Field: k, Dataset: a, Stored: b})
		}
	}
	return out
}

// seedPlan is the merge of one kind: what the dataset ships, what is
// stored, and the base.
type seedPlan struct {
	kind     seedKind
	embedded []seedValue
	byKey    map[string]*seedValue
	stored   map[string]*storedValue
	base     map[string]string
}

func planKind(ctx context.Context, tx *Tx, k seedKind, s Seed) (*seedPlan, error) {
	emb, err := k.embedded(s)
	if err != nil {
		return nil, err
	}
	p := &seedPlan{kind: k, embedded: emb, byKey: map[string]*seedValue{}}
	for i := range emb {
		p.byKey[emb[i].key] = &emb[i]
	}
	if p.stored, err = k.stored(ctx, tx); err != nil {
		return nil, err
	}
	if p.base, err = bases(ctx, tx, k.name); err != nil {
		return nil, err
	}
	return p, nil
}

// state returns how a key stands: "" when the stored row equals the
// dataset's (or neither has it).
func (p *seedPlan) state(key string) SeedState {
	e, s := p.byKey[key], p.stored[key]
	base, hadBase := p.base[key]
	switch {
	case e == nil && s == nil:
		return ""
	case s == nil:
		return SeedMissing
	case e == nil && (hadBase || s.fromDataset):
		return SeedWithdrawn
	case e == nil:
		return SeedAdded
	case e.sum == s.sum:
		return ""
	case s.fromDataset:
		return SeedPending
	case hadBase && base == e.sum:
		return SeedEdited
	}
	return SeedConflict
}

// row describes a key that differs from the dataset.
func (p *seedPlan) row(key string, st SeedState, org map[int64]string) SeedRow {
	e, s := p.byKey[key], p.stored[key]
	r := SeedRow{Ref: seedRef(p.kind.name, key), Kind: p.kind.name, State: st}
	var ef, sf map[string]any
	if e != nil {
		r.Label, ef = e.label, e.fields
	}
	if s != nil {
		r.Label, sf = s.label, s.fields
		r.Origin = org[s.importID]
	}
	if st != SeedAdded { // an added row has nothing to compare with
		r.Fields = diffFields(ef, sf)
	}
	return r
}

// keptWhy says why a withdrawn row is still stored, as ImportSeed does:
// the user changed it, or user data refers to it; "" when the next
// dataset import will remove it.
func (p *seedPlan) keptWhy(ctx context.Context, tx *Tx, key string) (string, error) {
	if !p.stored[key].fromDataset {
		return "kept: you imported or changed it", nil
	}
	if p.kind.held == nil {
		return "", nil
	}
	why, err := p.kind.held(ctx, tx, key)
	if why != "" {
		why = "kept: " + why
	}
	return why, err
}

// keys returns the union of the dataset's and the stored keys, sorted.
func (p *seedPlan) keys() []string {
	set := map[string]bool{}
	for k := range p.byKey {
		set[k] = true
	}
	for k := range p.stored {
		set[k] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ImportSeed imports the embedded dataset in one transaction, as an import
// of kind "dataset", and records its version. It never overwrites,
// deletes or reorders a row that a user imported or changed:
//   - a row the dataset ships that is not stored is added;
//   - a row as an earlier dataset import wrote it is updated to the new
//     value, or removed if the dataset no longer ships it and no user data
//     refers to it;
//   - a row the user imported or changed is left alone. If the dataset has
//     changed it since (or withdrawn it), it is a conflict: listed in
//     Kept, and by `nadra dataset diff`, for the user to settle with
//     AcceptSeed or KeepSeed.
//
// Commodities, supply series and the supply reference tables, which users
// cannot import, follow the dataset.
func (db *DB) ImportSeed(ctx context.Context, seed Seed) (*SeedResult, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	res := &SeedResult{Version: seed.Version, Kept: []SeedRow{}}
	imp := nadra.Import{Kind: "dataset", File: "embedded", SHA256: seed.Version}
	id, err := createImport(ctx, tx, imp, nadra.ImportResult{})
	if err != nil {
		return nil, formatError(err)
	}
	res.ImportID = id
	if err := upsertCommodities(ctx, tx, seed.Commodities, id); err != nil {
		return nil, err
	}
	if seed.Supply != nil {
		if err := seedSupply(ctx, tx, id, seed.Supply); err != nil {
			return nil, err
		}
	}
	org, err := importOrigins(ctx, tx)
	if err != nil {
		return nil, err
	}
	var plans []*seedPlan
	for _, k := range seedKinds {
		p, err := planKind(ctx, tx, k, seed)
		if err != nil {
			return nil, err
		}
		plans = append(plans, p)
		for _, e := range p.embedded {
			switch p.state(e.key) {
			case "":
				res.Unchanged++
			case SeedMissing:
				res.Inserted++
			case SeedPending:
				res.Updated++
			case SeedEdited:
				res.Kept = append(res.Kept, p.row(e.key, SeedEdited, org))
				continue // the base stays: the dataset has not changed the row
			case SeedConflict:
				res.Kept = append(res.Kept, p.row(e.key, SeedConflict, org))
				continue // the base stays until the user decides
			}
			if s := p.stored[e.key]; s == nil || s.sum != e.sum {
				if err := e.put(ctx, tx, id); err != nil {
					return nil, fmt.Errorf("%s %s: %w", k.name, e.label, err)
				}
			}
			if err := setBase(ctx, tx, k.name, e.key, e.sum); err != nil {
				return nil, err
			}
		}
	}
	// Withdrawals, children first, so that a figure the dataset withdraws
	// with its deposit goes before the deposit.
	for i := len(plans) - 1; i >= 0; i-- {
		p := plans[i]
		for _, key := range p.keys() {
			if p.state(key) != SeedWithdrawn {
				continue
			}
			s := p.stored[key]
			if s.fromDataset {
				why, err := p.kind.remove(ctx, tx, key)
				if err != nil {
					return nil, err
				}
				if why == "" {
					res.Removed++
					if err := deleteBase(ctx, tx, p.kind.name, key); err != nil {
						return nil, err
					}
					continue
				}
				r := p.row(key, SeedWithdrawn, org)
				r.Note = "kept: " + why
				res.Kept = append(res.Kept, r)
				continue
			}
			r := p.row(key, SeedWithdrawn, org)
			r.Note = "kept: you imported or changed it"
			res.Kept = append(res.Kept, r)
		}
	}
	if err := finishImport(ctx, tx, id, nadra.ImportResult{Inserted: res.Inserted, Updated: res.Updated, Unchanged: res.Unchanged}); err != nil {
		return nil, formatError(err)
	}
	if err := setMeta(ctx, tx, "dataset_version", seed.Version); err != nil {
		return nil, formatError(err)
	}
	if err := tx.Commit(); err != nil {
		return nil, formatError(err)
	}
	return res, nil
}

// DiffSeed lists every stored row that differs from the dataset seed, by
// kind and key, without changing anything. With all false it leaves out
// the user's own rows (SeedAdded).
func (db *DB) DiffSeed(ctx context.Context, seed Seed, all bool) ([]SeedRow, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	org, err := importOrigins(ctx, tx)
	if err != nil {
		return nil, err
	}
	out := []SeedRow{}
	for _, k := range seedKinds {
		p, err := planKind(ctx, tx, k, seed)
		if err != nil {
			return nil, err
		}
		for _, key := range p.keys() {
			st := p.state(key)
			if st == "" || st == SeedAdded && !all {
				continue
			}
			r := p.row(key, st, org)
			if st == SeedWithdrawn {
				if r.Note, err = p.keptWhy(ctx, tx, key); err != nil {
					return nil, err
				}
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// AcceptSeed settles rows in favour of the dataset, in one transaction:
// each ref (as DiffSeed gives it) takes the dataset's value, or, if the
// dataset withdrew it, is deleted, unless user data refers to it. The
// change is recorded as an import of kind "dataset" with file "accepted".
// It returns ENOTFOUND for a ref that names no differing row.
func (db *DB) AcceptSeed(ctx context.Context, seed Seed, refs []string) (*SeedResult, error) {
	return db.settleSeed(ctx, seed, refs, true)
}

// KeepSeed settles rows in favour of the database: each ref stays as
// stored, and no longer counts as a conflict, until the dataset changes
// it again. A withdrawn row becomes the user's own. Nothing else changes.
func (db *DB) KeepSeed(ctx context.Context, seed Seed, refs []string) (*SeedResult, error) {
	return db.settleSeed(ctx, seed, refs, false)
}

func (db *DB) settleSeed(ctx context.Context, seed Seed, refs []string, accept bool) (*SeedResult, error) {
	if len(refs) == 0 {
		return nil, nadra.Errorf(nadra.EINVALID, "no rows named; give refs as `nadra dataset diff` lists them (deposit:ID, snapshot:DATE, ...)")
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	res := &SeedResult{Version: seed.Version, Kept: []SeedRow{}}
	plans := map[string]*seedPlan{}
	var order []*seedPlan
	for _, k := range seedKinds {
		p, err := planKind(ctx, tx, k, seed)
		if err != nil {
			return nil, err
		}
		plans[k.name] = p
		order = append(order, p)
	}
	// Resolve every ref first, so that one unknown ref changes nothing.
	type target struct {
		p   *seedPlan
		key string
		st  SeedState
	}
	want := map[string]bool{}
	for _, r := range refs {
		kind, _, ok := strings.Cut(r, ":")
		if !ok || plans[kind] == nil {
			return nil, nadra.Errorf(nadra.EINVALID, "%q: expected KIND:KEY, KIND one of deposit, estimate, licence, snapshot, production", r)
		}
		want[r] = false
	}
	var targets []target
	for _, p := range order {
		for _, key := range p.keys() {
			ref := seedRef(p.kind.name, key)
			if _, ok := want[ref]; !ok {
				continue
			}
			st := p.state(key)
			if st == "" || st == SeedAdded {
				continue
			}
			want[ref] = true
			targets = append(targets, target{p, key, st})
		}
	}
	var missing []string
	for _, r := range refs {
		if !want[r] {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		return nil, nadra.Errorf(nadra.ENOTFOUND, "%s: no such row differs from the embedded dataset; `nadra dataset diff` lists those that do", strings.Join(missing, ", "))
	}
	var id int64
	if accept {
		imp := nadra.Import{Kind: "dataset", File: "accepted", SHA256: seed.Version}
		if id, err = createImport(ctx, tx, imp, nadra.ImportResult{}); err != nil {
			return nil, formatError(err)
		}
		res.ImportID = id
	}
	// Puts parents first, removals children first.
	for _, t := range targets {
		e := t.p.byKey[t.key]
		switch {
		case e == nil && accept:
			continue
		case e == nil: // keep a withdrawn row: it becomes the user's own
			if err := deleteBase(ctx, tx, t.p.kind.name, t.key); err != nil {
				return nil, err
			}
			res.Unchanged++
		case accept:
			if err := e.put(ctx, tx, id); err != nil {
				return nil, err
			}
			if t.st == SeedMissing {
				res.Inserted++
			} else {
				res.Updated++
			}
			if err := setBase(ctx, tx, t.p.kind.name, t.key, e.sum); err != nil {
				return nil, err
			}
		default:
			if err := setBase(ctx, tx, t.p.kind.name, t.key, e.sum); err != nil {
				return nil, err
			}
			res.Unchanged++
		}
	}
	if accept {
		for i := len(targets) - 1; i >= 0; i-- {
			t := targets[i]
			if t.p.byKey[t.key] != nil {
				continue
			}
			why, err := t.p.kind.remove(ctx, tx, t.key)
			if err != nil {
				return nil, err
			}
			if why != "" {
				return nil, nadra.Errorf(nadra.ECONFLICT, "%s: cannot remove: %s; settle those first", seedRef(t.p.kind.name, t.key), why)
			}
			if err := deleteBase(ctx, tx, t.p.kind.name, t.key); err != nil {
				return nil, err
			}
			res.Removed++
		}
		if err := finishImport(ctx, tx, id, nadra.ImportResult{Inserted: res.Inserted, Updated: res.Updated}); err != nil {
			return nil, formatError(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, formatError(err)
	}
	return res, nil
}

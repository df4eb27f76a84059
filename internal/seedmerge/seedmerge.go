// Package seedmerge merges the embedded dataset into a store without
// overwriting user data. The rules live here once, and every store
// (sqlite, postgres) runs them through its own Tx:
//
//   - a row the dataset ships that is not stored is added;
//   - a row as an earlier dataset import wrote it is updated to the new
//     value, or removed if the dataset no longer ships it and no user data
//     refers to it;
//   - a row the user imported or changed is left alone. If the dataset has
//     changed it since (or withdrawn it), it is a conflict, for the user to
//     settle with Settle.
//
// A row's merge base is the dataset's last hash of it (the dataset_rows
// table): the value the user's edit started from.
package seedmerge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"nadra"
	"nadra/geo"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// Kinds of rows the dataset and the user both write, parents first:
// inserts go in this order, removals in reverse. Persisted in the
// dataset_rows table and in refs: append only.
const (
	KindDeposit    = "deposit"
	KindEstimate   = "estimate"
	KindLicence    = "licence"
	KindSnapshot   = "snapshot"
	KindProduction = "production"
	KindTerms      = "terms"    // a deal's terms
	KindScenario   = "scenario" // a named scenario
)

// Kinds lists the kinds, parents first.
var Kinds = []string{KindDeposit, KindEstimate, KindLicence, KindSnapshot, KindProduction, KindTerms, KindScenario}

// Value is one row as the dataset ships it, or as stored.
type Value struct {
	Key    string         // the row's key in its table
	Label  string         // for people
	Sum    string         // hash of the canonical value: equal sums, equal rows
	Fields map[string]any // the value, field by field, for diffs
}

// Row is a row the dataset ships: its value and the domain value to store
// (*nadra.Deposit, *nadra.Estimate, *nadra.Licence, *nadra.Snapshot or
// *nadra.Production).
type Row struct {
	Value
	Item any
}

// Stored is a row in the store and its origin.
type Stored struct {
	Value
	ImportID    int64
	FromDataset bool // the row is as a dataset import wrote it
}

// Tx is what the merge needs of a store, inside one transaction.
type Tx interface {
	// Stored returns the stored rows of a kind by key, with their values
	// made by the Value functions below.
	Stored(ctx context.Context, kind string) (map[string]*Stored, error)
	// Bases returns the merge base of a kind: key → the dataset's last sum.
	Bases(ctx context.Context, kind string) (map[string]string, error)
	SetBase(ctx context.Context, kind, key, sum string) error
	DeleteBase(ctx context.Context, kind, key string) error
	// Put stores the dataset's value of a row (Row.Item) as part of import
	// importID.
	Put(ctx context.Context, kind string, item any, importID int64) error
	// Remove deletes a row; it returns a reason, and deletes nothing, when
	// user data depends on the row.
	Remove(ctx context.Context, kind, key string) (string, error)
	// Held returns why user data depends on a row (as Remove would say),
	// or "", changing nothing.
	Held(ctx context.Context, kind, key string) (string, error)
	// ImportOrigins describes every import for people, by id (Origin).
	ImportOrigins(ctx context.Context) (map[int64]string, error)
	CreateImport(ctx context.Context, imp nadra.Import) (int64, error)
	FinishImport(ctx context.Context, id int64, res nadra.ImportResult) error
	// PutReference writes what users cannot import and the dataset alone
	// fills: commodities, supply series and the supply reference tables.
	PutReference(ctx context.Context, seed nadra.Seed, importID int64) error
	// SetVersion records the dataset's version as the one seeded.
	SetVersion(ctx context.Context, version string) error
}

// Origin describes an import for people: "dataset 3f2a… (import 1,
// 2026-11-26)" or "import 12: deposits mine.csv (2026-11-27)".
func Origin(id int64, kind, file, sum string, at time.Time) string {
	day := at.UTC().Format(nadra.DateLayout)
	if kind == "dataset" {
		return fmt.Sprintf("dataset %.12s (import %d, %s)", sum, id, day)
	}
	return fmt.Sprintf("import %d: %s %s (%s)", id, kind, file, day)
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

// DepositValue is a deposit's value, whatever its origin.
func DepositValue(d *nadra.Deposit) Value {
	x := *d
	x.Origin, x.UpdatedAt = "", time.Time{}
	sum, fields := canonical(x)
	return Value{Key: d.ID, Label: d.ID + " (" + d.Name + ")", Sum: sum, Fields: fields}
}

// EstimateValue is a figure's value.
func EstimateValue(e *nadra.Estimate) Value {
	sum, fields := canonical(e)
	label := e.DepositID + " " + e.Commodity + " " + e.Basis + " " + e.Category
	if e.Year != nil {
		label += fmt.Sprintf(" %d", *e.Year)
	}
	return Value{Key: e.Key(), Label: label, Sum: sum, Fields: fields}
}

// LicenceValue is a licence's value, whatever its origin.
func LicenceValue(l *nadra.Licence) Value {
	x := *l
	x.Origin, x.UpdatedAt = "", time.Time{}
	sum, fields := canonical(x)
	return Value{Key: l.ID, Label: l.ID + " (" + l.Holder + ")", Sum: sum, Fields: fields}
}

// SnapshotValue describes a snapshot by its metadata and areas; its
// geometry is in the sum (SnapshotSum).
func SnapshotValue(date, source string, greyKnown bool, occKm float64, greyKm *float64, sum string) Value {
	round := func(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }
	fields := map[string]any{"source": source, "grey_known": greyKnown, "occupied_km2": round(occKm), "geometry_sha256": sum}
	if greyKm != nil {
		fields["grey_km2"] = round(*greyKm)
	}
	return Value{Key: date, Label: "control snapshot of " + date, Sum: sum, Fields: fields}
}

// ProductionValue is a production row's value, whatever its origin.
func ProductionValue(p *nadra.Production) Value {
	x := *p
	x.Origin = ""
	sum, fields := canonical(x)
	label := fmt.Sprintf("%s %s %s %d", p.Commodity, p.Stage, p.Country, p.Year)
	if p.Product != "" {
		label = fmt.Sprintf("%s %s %s %s %d", p.Commodity, p.Stage, p.Product, p.Country, p.Year)
	}
	return Value{Key: p.Key(), Label: label, Sum: sum, Fields: fields}
}

// TermsValue is a deal's terms' value: their stored document
// (nadra.EncodeTerms), with the file they were read from left out.
func TermsValue(d *nadra.DealTerms) Value {
	x := *d
	x.File, x.Overrides = "", nil
	b, err := nadra.EncodeTerms(&x)
	if err != nil {
		panic(err) // parsed terms always encode
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		panic(err)
	}
	sum, fields := canonical(doc)
	return Value{Key: d.ID, Label: d.ID + " (" + d.Name + ")", Sum: sum, Fields: fields}
}

// ScenarioValue is a named scenario's value.
func ScenarioValue(s *nadra.Scenario) Value {
	sum, fields := canonical(s)
	return Value{Key: s.ID, Label: s.ID + " (" + s.Name + ")", Sum: sum, Fields: fields}
}

// SnapshotSum is the hash of a snapshot's geometry as WKB, its source and
// whether its grey zone is known: equal sums, equal snapshots. Every store
// keeps it beside the snapshot.
func SnapshotSum(sn *nadra.Snapshot) string {
	h := sha256.New()
	for _, b := range [][]byte{EncodeMP(sn.Occupied), EncodeMP(sn.Pre2022), EncodeMP(sn.Grey), []byte(sn.Source)} {
		h.Write(b)
	}
	if sn.GreyKnown {
		h.Write([]byte{1})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// SnapshotKm2 returns a snapshot's occupied area (since 2022 and before)
// and its grey area, nil when the grey zone is unknown, in km².
func SnapshotKm2(sn *nadra.Snapshot) (float64, *float64) {
	occKm := geo.Ukraine.AreaKm2(sn.Occupied) + geo.Ukraine.AreaKm2(sn.Pre2022)
	if !sn.GreyKnown {
		return occKm, nil
	}
	g := geo.Ukraine.AreaKm2(sn.Grey)
	return occKm, &g
}

// EncodeMP encodes a multipolygon as WKB; nil is the empty multipolygon.
func EncodeMP(mp orb.MultiPolygon) []byte {
	if mp == nil {
		mp = orb.MultiPolygon{}
	}
	b, err := wkb.Marshal(mp)
	if err != nil {
		panic(err) // a MultiPolygon always encodes
	}
	return b
}

// embedded returns the dataset's rows of kind, validated.
func embedded(s nadra.Seed, kind string) ([]Row, error) {
	known := map[string]bool{}
	for _, c := range s.Commodities {
		known[c.Code] = true
	}
	var out []Row
	switch kind {
	case KindDeposit:
		for _, d := range s.Deposits {
			if err := d.Validate(known); err != nil {
				return nil, fmt.Errorf("deposit %s: %w", d.ID, err)
			}
			out = append(out, Row{DepositValue(d), d})
		}
	case KindEstimate:
		for i, e := range s.Estimates {
			if err := e.Validate(known); err != nil {
				return nil, fmt.Errorf("estimate %d: %w", i+1, err)
			}
			out = append(out, Row{EstimateValue(e), e})
		}
	case KindLicence:
		for _, l := range s.Licences {
			if err := l.Validate(known); err != nil {
				return nil, fmt.Errorf("licence %s: %w", l.ID, err)
			}
			out = append(out, Row{LicenceValue(l), l})
		}
	case KindSnapshot:
		for _, sn := range s.Snapshots {
			if _, err := nadra.ParseDate(sn.Date); err != nil {
				return nil, fmt.Errorf("snapshot %s: %w", sn.Date, err)
			}
			occ, grey := SnapshotKm2(sn)
			out = append(out, Row{SnapshotValue(sn.Date, sn.Source, sn.GreyKnown, occ, grey, SnapshotSum(sn)), sn})
		}
	case KindProduction:
		if s.Supply == nil {
			return nil, nil
		}
		series := s.Supply.SeriesMap()
		for _, p := range s.Supply.Production {
			if err := p.Validate(series); err != nil {
				return nil, fmt.Errorf("production %s %s %d: %w", p.SeriesKey(), p.Country, p.Year, err)
			}
			out = append(out, Row{ProductionValue(p), p})
		}
	case KindTerms:
		for _, d := range s.Deals {
			if err := d.Validate(); err != nil {
				return nil, fmt.Errorf("terms %s: %w", d.ID, err)
			}
			out = append(out, Row{TermsValue(d), d})
		}
	case KindScenario:
		for i := range s.Scenarios {
			sc := &s.Scenarios[i]
			if err := sc.Validate(); err != nil {
				return nil, fmt.Errorf("scenario %s: %w", sc.ID, err)
			}
			out = append(out, Row{ScenarioValue(sc), sc})
		}
	default:
		return nil, fmt.Errorf("seedmerge: unknown kind %q", kind)
	}
	return out, nil
}

// Ref is how users name a row: kind:key, where an estimate's or a
// production row's key (which holds control characters and long source
// lists) is replaced by a short hash of it.
func Ref(kind, key string) string {
	switch kind {
	case KindEstimate, KindProduction:
		sum := sha256.Sum256([]byte(key))
		return kind + ":" + hex.EncodeToString(sum[:])[:10]
	}
	return kind + ":" + key
}

// diffFields lists the fields that differ between the dataset's value and
// the stored one, in field order. Either may be nil (an absent row).
func diffFields(ds, st map[string]any) []nadra.SeedField {
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
	var out []nadra.SeedField
	for _, k := range keys {
		a, b := ds[k], st[k]
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			out = append(out, nadra.SeedField{Field: k, Dataset: a, Stored: b})
		}
	}
	return out
}

// plan is the merge of one kind: what the dataset ships, what is stored,
// and the base.
type plan struct {
	kind     string
	embedded []Row
	byKey    map[string]*Row
	stored   map[string]*Stored
	base     map[string]string
}

func planKind(ctx context.Context, tx Tx, kind string, s nadra.Seed) (*plan, error) {
	emb, err := embedded(s, kind)
	if err != nil {
		return nil, err
	}
	p := &plan{kind: kind, embedded: emb, byKey: map[string]*Row{}}
	for i := range emb {
		p.byKey[emb[i].Key] = &emb[i]
	}
	if p.stored, err = tx.Stored(ctx, kind); err != nil {
		return nil, err
	}
	if p.base, err = tx.Bases(ctx, kind); err != nil {
		return nil, err
	}
	return p, nil
}

// state returns how a key stands: "" when the stored row equals the
// dataset's (or neither has it).
func (p *plan) state(key string) nadra.SeedState {
	e, s := p.byKey[key], p.stored[key]
	base, hadBase := p.base[key]
	switch {
	case e == nil && s == nil:
		return ""
	case s == nil:
		return nadra.SeedMissing
	case e == nil && (hadBase || s.FromDataset):
		return nadra.SeedWithdrawn
	case e == nil:
		return nadra.SeedAdded
	case e.Sum == s.Sum:
		return ""
	case s.FromDataset:
		return nadra.SeedPending
	case hadBase && base == e.Sum:
		return nadra.SeedEdited
	}
	return nadra.SeedConflict
}

// row describes a key that differs from the dataset.
func (p *plan) row(key string, st nadra.SeedState, org map[int64]string) nadra.SeedRow {
	e, s := p.byKey[key], p.stored[key]
	r := nadra.SeedRow{Ref: Ref(p.kind, key), Kind: p.kind, State: st}
	var ef, sf map[string]any
	if e != nil {
		r.Label, ef = e.Label, e.Fields
	}
	if s != nil {
		r.Label, sf = s.Label, s.Fields
		r.Origin = org[s.ImportID]
	}
	if st != nadra.SeedAdded { // an added row has nothing to compare with
		r.Fields = diffFields(ef, sf)
	}
	return r
}

// keptWhy says why a withdrawn row is still stored, as Import does: the
// user changed it, or user data refers to it; "" when the next dataset
// import will remove it.
func (p *plan) keptWhy(ctx context.Context, tx Tx, key string) (string, error) {
	if !p.stored[key].FromDataset {
		return "kept: you imported or changed it", nil
	}
	why, err := tx.Held(ctx, p.kind, key)
	if why != "" {
		why = "kept: " + why
	}
	return why, err
}

// keys returns the union of the dataset's and the stored keys, sorted.
func (p *plan) keys() []string {
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

// Import merges the dataset into the store as an import of kind
// "dataset", and records its version (the rules are in the package
// comment). The caller runs it in one write transaction.
func Import(ctx context.Context, tx Tx, seed nadra.Seed) (*nadra.SeedResult, error) {
	res := &nadra.SeedResult{Version: seed.Version, Kept: []nadra.SeedRow{}}
	id, err := tx.CreateImport(ctx, nadra.Import{Kind: "dataset", File: "embedded", SHA256: seed.Version})
	if err != nil {
		return nil, err
	}
	res.ImportID = id
	if err := tx.PutReference(ctx, seed, id); err != nil {
		return nil, err
	}
	org, err := tx.ImportOrigins(ctx)
	if err != nil {
		return nil, err
	}
	var plans []*plan
	for _, k := range Kinds {
		p, err := planKind(ctx, tx, k, seed)
		if err != nil {
			return nil, err
		}
		plans = append(plans, p)
		for _, e := range p.embedded {
			switch p.state(e.Key) {
			case "":
				res.Unchanged++
			case nadra.SeedMissing:
				res.Inserted++
			case nadra.SeedPending:
				res.Updated++
			case nadra.SeedEdited:
				res.Kept = append(res.Kept, p.row(e.Key, nadra.SeedEdited, org))
				continue // the base stays: the dataset has not changed the row
			case nadra.SeedConflict:
				res.Kept = append(res.Kept, p.row(e.Key, nadra.SeedConflict, org))
				continue // the base stays until the user decides
			}
			if s := p.stored[e.Key]; s == nil || s.Sum != e.Sum {
				if err := tx.Put(ctx, k, e.Item, id); err != nil {
					return nil, fmt.Errorf("%s %s: %w", k, e.Label, err)
				}
			}
			if err := tx.SetBase(ctx, k, e.Key, e.Sum); err != nil {
				return nil, err
			}
		}
	}
	// Withdrawals, children first, so that a figure the dataset withdraws
	// with its deposit goes before the deposit.
	for i := len(plans) - 1; i >= 0; i-- {
		p := plans[i]
		for _, key := range p.keys() {
			if p.state(key) != nadra.SeedWithdrawn {
				continue
			}
			s := p.stored[key]
			if s.FromDataset {
				why, err := tx.Remove(ctx, p.kind, key)
				if err != nil {
					return nil, err
				}
				if why == "" {
					res.Removed++
					if err := tx.DeleteBase(ctx, p.kind, key); err != nil {
						return nil, err
					}
					continue
				}
				r := p.row(key, nadra.SeedWithdrawn, org)
				r.Note = "kept: " + why
				res.Kept = append(res.Kept, r)
				continue
			}
			r := p.row(key, nadra.SeedWithdrawn, org)
			r.Note = "kept: you imported or changed it"
			res.Kept = append(res.Kept, r)
		}
	}
	if err := tx.FinishImport(ctx, id, nadra.ImportResult{Inserted: res.Inserted, Updated: res.Updated, Unchanged: res.Unchanged}); err != nil {
		return nil, err
	}
	if err := tx.SetVersion(ctx, seed.Version); err != nil {
		return nil, err
	}
	return res, nil
}

// Diff lists every stored row that differs from the dataset, by kind and
// key, changing nothing. With all false it leaves out the user's own rows
// (SeedAdded).
func Diff(ctx context.Context, tx Tx, seed nadra.Seed, all bool) ([]nadra.SeedRow, error) {
	org, err := tx.ImportOrigins(ctx)
	if err != nil {
		return nil, err
	}
	out := []nadra.SeedRow{}
	for _, k := range Kinds {
		p, err := planKind(ctx, tx, k, seed)
		if err != nil {
			return nil, err
		}
		for _, key := range p.keys() {
			st := p.state(key)
			if st == "" || st == nadra.SeedAdded && !all {
				continue
			}
			r := p.row(key, st, org)
			if st == nadra.SeedWithdrawn {
				if r.Note, err = p.keptWhy(ctx, tx, key); err != nil {
					return nil, err
				}
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// Settle settles rows, named by ref, in favour of the dataset (accept) or
// of the store (keep); see nadra.SeedService. The caller runs it in one
// write transaction, and rolls back on error: one unknown ref changes
// nothing.
func Settle(ctx context.Context, tx Tx, seed nadra.Seed, refs []string, accept bool) (*nadra.SeedResult, error) {
	if len(refs) == 0 {
		return nil, nadra.Errorf(nadra.EINVALID, "no rows named; give refs as `nadra dataset diff` lists them (deposit:ID, snapshot:DATE, ...)")
	}
	res := &nadra.SeedResult{Version: seed.Version, Kept: []nadra.SeedRow{}}
	plans := map[string]*plan{}
	var order []*plan
	for _, k := range Kinds {
		p, err := planKind(ctx, tx, k, seed)
		if err != nil {
			return nil, err
		}
		plans[k] = p
		order = append(order, p)
	}
	// Resolve every ref first, so that one unknown ref changes nothing.
	type target struct {
		p   *plan
		key string
		st  nadra.SeedState
	}
	want := map[string]bool{}
	for _, r := range refs {
		kind, _, ok := strings.Cut(r, ":")
		if !ok || plans[kind] == nil {
			return nil, nadra.Errorf(nadra.EINVALID, "%q: expected KIND:KEY, KIND one of %s", r, strings.Join(Kinds, ", "))
		}
		want[r] = false
	}
	var targets []target
	for _, p := range order {
		for _, key := range p.keys() {
			ref := Ref(p.kind, key)
			if _, ok := want[ref]; !ok {
				continue
			}
			st := p.state(key)
			if st == "" || st == nadra.SeedAdded {
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
	var err error
	if accept {
		if id, err = tx.CreateImport(ctx, nadra.Import{Kind: "dataset", File: "accepted", SHA256: seed.Version}); err != nil {
			return nil, err
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
			if err := tx.DeleteBase(ctx, t.p.kind, t.key); err != nil {
				return nil, err
			}
			res.Unchanged++
		case accept:
			if err := tx.Put(ctx, t.p.kind, e.Item, id); err != nil {
				return nil, err
			}
			if t.st == nadra.SeedMissing {
				res.Inserted++
			} else {
				res.Updated++
			}
			if err := tx.SetBase(ctx, t.p.kind, t.key, e.Sum); err != nil {
				return nil, err
			}
		default:
			if err := tx.SetBase(ctx, t.p.kind, t.key, e.Sum); err != nil {
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
			why, err := tx.Remove(ctx, t.p.kind, t.key)
			if err != nil {
				return nil, err
			}
			if why != "" {
				return nil, nadra.Errorf(nadra.ECONFLICT, "%s: cannot remove: %s; settle those first", Ref(t.p.kind, t.key), why)
			}
			if err := tx.DeleteBase(ctx, t.p.kind, t.key); err != nil {
				return nil, err
			}
			res.Removed++
		}
		if err := tx.FinishImport(ctx, id, nadra.ImportResult{Inserted: res.Inserted, Updated: res.Updated}); err != nil {
			return nil, err
		}
	}
	return res, nil
}

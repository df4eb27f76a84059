package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"nadra"
	"nadra/internal/seedmerge"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// SnapshotService implements nadra.SnapshotService.
type SnapshotService struct{ db *DB }

// NewSnapshotService returns a snapshot service on db.
func NewSnapshotService(db *DB) *SnapshotService { return &SnapshotService{db: db} }

var _ nadra.SnapshotService = (*SnapshotService)(nil)

// FindSnapshots lists snapshots by date.
func (s *SnapshotService) FindSnapshots(ctx context.Context) ([]nadra.SnapshotInfo, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT date, source, grey_known, occupied_km2, grey_km2, import_id FROM snapshots ORDER BY date`)
	if err != nil {
		return nil, formatError(err)
	}
	defer rows.Close()
	var out []nadra.SnapshotInfo
	for rows.Next() {
		var i nadra.SnapshotInfo
		if err := rows.Scan(&i.Date, &i.Source, &i.GreyKnown, &i.OccupiedKm, &i.GreyKm, &i.ImportID); err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// FindSnapshotAt returns the latest snapshot on or before date.
func (s *SnapshotService) FindSnapshotAt(ctx context.Context, date string) (*nadra.Snapshot, error) {
	if _, err := nadra.ParseDate(date); err != nil {
		return nil, err
	}
	row := s.db.db.QueryRowContext(ctx, `SELECT date, source, grey_known, occupied, pre2022, grey FROM snapshots WHERE date <= ? ORDER BY date DESC LIMIT 1`, date)
	sn, err := scanSnapshot(row)
	if errors.Is(err, sql.ErrNoRows) {
		var first sql.NullString
		s.db.db.QueryRowContext(ctx, `SELECT MIN(date) FROM snapshots`).Scan(&first)
		if !first.Valid {
			return nil, nadra.Errorf(nadra.ENOTFOUND, "no control snapshots in the database; import some with `nadra import control`")
		}
		return nil, nadra.Errorf(nadra.ENOTFOUND, "no control snapshot on or before %s; the first is %s", date, first.String)
	}
	return sn, formatError(err)
}

// FindSnapshotsIn returns the snapshots in [from, to] with geometry.
func (s *SnapshotService) FindSnapshotsIn(ctx context.Context, from, to string) ([]*nadra.Snapshot, error) {
	for _, d := range []string{from, to} {
		if _, err := nadra.ParseDate(d); d != "" && err != nil {
			return nil, err
		}
	}
	if to == "" {
		to = "9999-12-31"
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT date, source, grey_known, occupied, pre2022, grey FROM snapshots WHERE date >= ? AND date <= ? ORDER BY date`, from, to)
	if err != nil {
		return nil, formatError(err)
	}
	defer rows.Close()
	var out []*nadra.Snapshot
	for rows.Next() {
		sn, err := scanSnapshot(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sn)
	}
	return out, rows.Err()
}

func scanSnapshot(row interface{ Scan(...any) error }) (*nadra.Snapshot, error) {
	var sn nadra.Snapshot
	var occ, pre, grey []byte
	if err := row.Scan(&sn.Date, &sn.Source, &sn.GreyKnown, &occ, &pre, &grey); err != nil {
		return nil, err
	}
	for _, p := range []struct {
		b   []byte
		dst *orb.MultiPolygon
	}{{occ, &sn.Occupied}, {pre, &sn.Pre2022}, {grey, &sn.Grey}} {
		mp, err := decodeMP(p.b)
		if err != nil {
			return nil, err
		}
		*p.dst = mp
	}
	return &sn, nil
}

// ImportSnapshots adds or replaces snapshots by date. A snapshot whose
// geometry and metadata equal the stored one is left alone.
func (s *SnapshotService) ImportSnapshots(ctx context.Context, imp nadra.Import, snaps []*nadra.Snapshot) (nadra.ImportResult, error) {
	return importInTx(ctx, s.db, func(tx *Tx) (nadra.ImportResult, error) { return importSnapshots(ctx, tx, imp, snaps) })
}

func importSnapshots(ctx context.Context, tx *Tx, imp nadra.Import, snaps []*nadra.Snapshot) (nadra.ImportResult, error) {
	var res nadra.ImportResult
	var importID int64
	for _, sn := range snaps {
		if _, err := nadra.ParseDate(sn.Date); err != nil {
			return res, err
		}
		sum := snapshotSum(sn)
		var old string
		err := tx.QueryRowContext(ctx, `SELECT sha256 FROM snapshots WHERE date = ?`, sn.Date).Scan(&old)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res.Inserted++
		case err != nil:
			return res, err
		case old == sum:
			res.Unchanged++
			continue
		default:
			res.Updated++
		}
		if importID == 0 {
			if importID, err = createImport(ctx, tx, imp, res); err != nil {
				return res, formatError(err)
			}
		}
		if err := upsertSnapshot(ctx, tx, sn, importID); err != nil {
			return res, err
		}
	}
	if importID != 0 {
		res.ImportID = importID
		if err := finishImport(ctx, tx, importID, res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// snapshotSum and snapshotKm2 are shared with every store, so that a
// snapshot hashes and measures the same in each.
var (
	snapshotSum = seedmerge.SnapshotSum
	snapshotKm2 = seedmerge.SnapshotKm2
	encodeMP    = seedmerge.EncodeMP
)

// upsertSnapshot stores a snapshot by date, replacing one of that date.
func upsertSnapshot(ctx context.Context, tx *Tx, sn *nadra.Snapshot, importID int64) error {
	occKm, greyKm := snapshotKm2(sn)
	_, err := tx.ExecContext(ctx, `INSERT INTO snapshots (date, source, grey_known, occupied, pre2022, grey, occupied_km2, grey_km2, sha256, import_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (date) DO UPDATE SET source = excluded.source, grey_known = excluded.grey_known, occupied = excluded.occupied,
			pre2022 = excluded.pre2022, grey = excluded.grey, occupied_km2 = excluded.occupied_km2, grey_km2 = excluded.grey_km2,
			sha256 = excluded.sha256, import_id = excluded.import_id`,
		sn.Date, sn.Source, sn.GreyKnown, encodeMP(sn.Occupied), encodeMP(sn.Pre2022), encodeMP(sn.Grey), occKm, greyKm, snapshotSum(sn), importID)
	return formatError(err)
}

func decodeMP(b []byte) (orb.MultiPolygon, error) {
	g, err := wkb.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		return nil, err
	}
	mp, ok := g.(orb.MultiPolygon)
	if !ok {
		if p, ok := g.(orb.Polygon); ok {
			return orb.MultiPolygon{p}, nil
		}
		return nil, errors.New("stored geometry is not a multipolygon")
	}
	return mp, nil
}

// ControlFileSeen reports whether a control file with this content hash, or
// (if source is not "") from this source URL, was imported before.
func (db *DB) ControlFileSeen(ctx context.Context, sha, source string) (bool, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM control_files WHERE sha256 = ? OR (? <> '' AND source = ?)`, sha, source, source).Scan(&n)
	return n > 0, formatError(err)
}

// ImportControlFile imports one control file's snapshot and records the
// file, in one transaction. When the snapshot is added or changed, check
// (if not nil) runs inside that transaction, so that the neighbours it
// sees are the ones the snapshot lands between.
func (db *DB) ImportControlFile(ctx context.Context, imp nadra.Import, source string, sn *nadra.Snapshot, check nadra.SnapshotCheck) (nadra.ImportResult, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nadra.ImportResult{}, err
	}
	defer tx.Rollback()
	res, err := importSnapshots(ctx, tx, imp, []*nadra.Snapshot{sn})
	if err != nil {
		return nadra.ImportResult{}, err
	}
	if check != nil && res.Inserted+res.Updated > 0 {
		const cols = `SELECT date, source, grey_known, occupied_km2, grey_km2, import_id FROM snapshots `
		s, err := snapshotInfo(ctx, tx, cols+`WHERE date = ?`, sn.Date)
		if err != nil || s == nil {
			return nadra.ImportResult{}, fmt.Errorf("read back the snapshot of %s: %v", sn.Date, err)
		}
		prev, err := snapshotInfo(ctx, tx, cols+`WHERE date < ? ORDER BY date DESC LIMIT 1`, sn.Date)
		if err != nil {
			return nadra.ImportResult{}, err
		}
		next, err := snapshotInfo(ctx, tx, cols+`WHERE date > ? ORDER BY date LIMIT 1`, sn.Date)
		if err != nil {
			return nadra.ImportResult{}, err
		}
		if err := check(*s, prev, next); err != nil {
			return nadra.ImportResult{}, err
		}
	}
	var id any
	if res.ImportID != 0 {
		id = res.ImportID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO control_files (sha256, file, source, date, import_id) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (sha256) DO NOTHING`, imp.SHA256, imp.File, source, sn.Date, id); err != nil {
		return nadra.ImportResult{}, formatError(err)
	}
	return res, formatError(tx.Commit())
}

// snapshotInfo returns the one row query selects, or nil when none.
func snapshotInfo(ctx context.Context, tx *Tx, query string, args ...any) (*nadra.SnapshotInfo, error) {
	var i nadra.SnapshotInfo
	err := tx.QueryRowContext(ctx, query, args...).Scan(&i.Date, &i.Source, &i.GreyKnown, &i.OccupiedKm, &i.GreyKm, &i.ImportID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, formatError(err)
	}
	return &i, nil
}

var _ nadra.ControlFileService = (*DB)(nil)
var _ nadra.SeedService = (*DB)(nil)

package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"nadra"
	"nadra/internal/seedmerge"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// SnapshotService implements nadra.SnapshotService.
type SnapshotService struct{ db *DB }

// NewSnapshotService returns a snapshot service on db.
func NewSnapshotService(db *DB) *SnapshotService { return &SnapshotService{db: db} }

var _ nadra.SnapshotService = (*SnapshotService)(nil)

var (
	_ nadra.ControlFileService = (*DB)(nil)
	_ nadra.SeedService        = (*DB)(nil)
)

// Dates are PostgreSQL dates, read back as YYYY-MM-DD whatever the
// server's DateStyle.
const (
	infoCols     = `to_char(date, 'YYYY-MM-DD'), source, grey_known, occupied_km2, grey_km2, import_id`
	snapshotCols = `to_char(date, 'YYYY-MM-DD'), source, grey_known, ST_AsBinary(occupied), ST_AsBinary(pre2022), ST_AsBinary(grey)`
)

// FindSnapshots lists snapshots by date.
func (s *SnapshotService) FindSnapshots(ctx context.Context) ([]nadra.SnapshotInfo, error) {
	var out []nadra.SnapshotInfo
	err := scanRows(ctx, s.db.pool, `SELECT `+infoCols+` FROM snapshots ORDER BY date`, func(r pgx.Rows) error {
		var i nadra.SnapshotInfo
		if err := r.Scan(&i.Date, &i.Source, &i.GreyKnown, &i.OccupiedKm, &i.GreyKm, &i.ImportID); err != nil {
			return err
		}
		out = append(out, i)
		return nil
	})
	return out, err
}

// FindSnapshotAt returns the latest snapshot on or before date.
func (s *SnapshotService) FindSnapshotAt(ctx context.Context, date string) (*nadra.Snapshot, error) {
	if _, err := nadra.ParseDate(date); err != nil {
		return nil, err
	}
	row := s.db.pool.QueryRow(ctx, `SELECT `+snapshotCols+` FROM snapshots WHERE date <= $1::date ORDER BY date DESC LIMIT 1`, date)
	sn, err := scanSnapshot(row)
	if errors.Is(err, pgx.ErrNoRows) {
		var first *string
		if err := s.db.pool.QueryRow(ctx, `SELECT to_char(MIN(date), 'YYYY-MM-DD') FROM snapshots`).Scan(&first); err != nil {
			return nil, formatError(err)
		}
		if first == nil {
			return nil, nadra.Errorf(nadra.ENOTFOUND, "no control snapshots in the database; import some with `nadra import control`")
		}
		return nil, nadra.Errorf(nadra.ENOTFOUND, "no control snapshot on or before %s; the first is %s", date, *first)
	}
	return sn, formatError(err)
}

// FindSnapshotsIn returns the snapshots in [from, to] with geometry.
func (s *SnapshotService) FindSnapshotsIn(ctx context.Context, from, to string) ([]*nadra.Snapshot, error) {
	if from == "" {
		from = "0001-01-01"
	}
	if to == "" {
		to = "9999-12-31"
	}
	for _, d := range []string{from, to} {
		if _, err := nadra.ParseDate(d); err != nil {
			return nil, err
		}
	}
	var out []*nadra.Snapshot
	err := scanRows(ctx, s.db.pool, `SELECT `+snapshotCols+` FROM snapshots WHERE date >= $1::date AND date <= $2::date ORDER BY date`, func(r pgx.Rows) error {
		sn, err := scanSnapshot(r)
		if err != nil {
			return err
		}
		out = append(out, sn)
		return nil
	}, from, to)
	return out, err
}

func scanSnapshot(row pgx.Row) (*nadra.Snapshot, error) {
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

// decodeMP reads WKB as PostGIS writes it. An empty multipolygon reads
// as an empty (not nil) one, as package sqlite gives it.
func decodeMP(b []byte) (orb.MultiPolygon, error) {
	g, err := wkb.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		return nil, err
	}
	switch g := g.(type) {
	case orb.MultiPolygon:
		return g, nil
	case orb.Polygon:
		return orb.MultiPolygon{g}, nil
	}
	return nil, errors.New("stored geometry is not a multipolygon")
}

// ImportSnapshots adds or replaces snapshots by date. A snapshot whose
// geometry and metadata equal the stored one is left alone.
func (s *SnapshotService) ImportSnapshots(ctx context.Context, imp nadra.Import, snaps []*nadra.Snapshot) (nadra.ImportResult, error) {
	return importInTx(ctx, s.db, nadra.ChangeSnapshots, func(tx *Tx) (nadra.ImportResult, error) { return importSnapshots(ctx, tx, imp, snaps) })
}

func importSnapshots(ctx context.Context, tx *Tx, imp nadra.Import, snaps []*nadra.Snapshot) (nadra.ImportResult, error) {
	var res nadra.ImportResult
	var importID int64
	for _, sn := range snaps {
		if _, err := nadra.ParseDate(sn.Date); err != nil {
			return res, err
		}
		sum := seedmerge.SnapshotSum(sn)
		var old string
		err := tx.QueryRow(ctx, `SELECT sha256 FROM snapshots WHERE date = $1::date`, sn.Date).Scan(&old)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			res.Inserted++
		case err != nil:
			return res, formatError(err)
		case old == sum:
			res.Unchanged++
			continue
		default:
			res.Updated++
		}
		if importID == 0 {
			if importID, err = createImport(ctx, tx, imp, res); err != nil {
				return res, err
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

// upsertSnapshot stores a snapshot by date, replacing one of that date.
// The layers go in as WKB, so that they come back exactly as given.
func upsertSnapshot(ctx context.Context, tx *Tx, sn *nadra.Snapshot, importID int64) error {
	occKm, greyKm := seedmerge.SnapshotKm2(sn)
	_, err := tx.Exec(ctx, `INSERT INTO snapshots (date, source, grey_known, occupied, pre2022, grey, occupied_km2, grey_km2, sha256, import_id)
		VALUES ($1::date, $2, $3, ST_GeomFromWKB($4, 4326), ST_GeomFromWKB($5, 4326), ST_GeomFromWKB($6, 4326), $7, $8, $9, $10)
		ON CONFLICT (date) DO UPDATE SET source = excluded.source, grey_known = excluded.grey_known, occupied = excluded.occupied,
			pre2022 = excluded.pre2022, grey = excluded.grey, occupied_km2 = excluded.occupied_km2, grey_km2 = excluded.grey_km2,
			sha256 = excluded.sha256, import_id = excluded.import_id`,
		sn.Date, sn.Source, sn.GreyKnown, seedmerge.EncodeMP(sn.Occupied), seedmerge.EncodeMP(sn.Pre2022), seedmerge.EncodeMP(sn.Grey),
		occKm, greyKm, seedmerge.SnapshotSum(sn), importID)
	if err != nil {
		return fmt.Errorf("snapshot %s: %w", sn.Date, formatError(err))
	}
	return nil
}

// ControlFileSeen reports whether a control file with this content hash, or
// (if source is not "") from this source URL, was imported before.
func (db *DB) ControlFileSeen(ctx context.Context, sha, source string) (bool, error) {
	var seen bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM control_files WHERE sha256 = $1 OR ($2 <> '' AND source = $2))`, sha, source).Scan(&seen)
	return seen, formatError(err)
}

// ImportControlFile imports one control file's snapshot and records the
// file, in one transaction. When the snapshot is added or changed, check
// (if not nil) runs inside that transaction, so that the neighbours it
// sees are the ones the snapshot lands between.
func (db *DB) ImportControlFile(ctx context.Context, imp nadra.Import, source string, sn *nadra.Snapshot, check nadra.SnapshotCheck) (nadra.ImportResult, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nadra.ImportResult{}, err
	}
	defer tx.rollback()
	res, err := importSnapshots(ctx, tx, imp, []*nadra.Snapshot{sn})
	if err != nil {
		return nadra.ImportResult{}, err
	}
	if check != nil && res.Inserted+res.Updated > 0 {
		const cols = `SELECT ` + infoCols + ` FROM snapshots `
		s, err := snapshotInfo(ctx, tx, cols+`WHERE date = $1::date`, sn.Date)
		if err != nil || s == nil {
			return nadra.ImportResult{}, fmt.Errorf("read back the snapshot of %s: %v", sn.Date, err)
		}
		prev, err := snapshotInfo(ctx, tx, cols+`WHERE date < $1::date ORDER BY date DESC LIMIT 1`, sn.Date)
		if err != nil {
			return nadra.ImportResult{}, err
		}
		next, err := snapshotInfo(ctx, tx, cols+`WHERE date > $1::date ORDER BY date LIMIT 1`, sn.Date)
		if err != nil {
			return nadra.ImportResult{}, err
		}
		if err := check(*s, prev, next); err != nil {
			return nadra.ImportResult{}, err
		}
	}
	var id *int64
	if res.ImportID != 0 {
		id = &res.ImportID
	}
	if _, err := tx.Exec(ctx, `INSERT INTO control_files (sha256, file, source, date, import_id) VALUES ($1, $2, $3, $4::date, $5)
		ON CONFLICT (sha256) DO NOTHING`, imp.SHA256, imp.File, source, sn.Date, id); err != nil {
		return nadra.ImportResult{}, formatError(err)
	}
	if res.Inserted+res.Updated > 0 {
		tx.touch(nadra.ChangeSnapshots)
	}
	return res, tx.commit(ctx)
}

// snapshotInfo returns the one row query selects, or nil when none.
func snapshotInfo(ctx context.Context, tx *Tx, query string, args ...any) (*nadra.SnapshotInfo, error) {
	var i nadra.SnapshotInfo
	err := tx.QueryRow(ctx, query, args...).Scan(&i.Date, &i.Source, &i.GreyKnown, &i.OccupiedKm, &i.GreyKm, &i.ImportID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, formatError(err)
	}
	return &i, nil
}

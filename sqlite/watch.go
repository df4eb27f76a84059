package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"nadra"
)

// WatchService implements nadra.WatchService and nadra.FetchService.
type WatchService struct{ db *DB }

// NewWatchService returns a watch service on db.
func NewWatchService(db *DB) *WatchService { return &WatchService{db: db} }

var (
	_ nadra.WatchService = (*WatchService)(nil)
	_ nadra.FetchService = (*WatchService)(nil)
)

const timeLayout = time.RFC3339 // UTC, to the second: sorts as text

func fmtTime(t time.Time) string { return t.UTC().Truncate(time.Second).Format(timeLayout) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}

// CreateWatch stores a watch. Its Since is set here, in the transaction
// that stores it, to the latest snapshot's date, so that no snapshot
// already stored fires an event for it.
func (s *WatchService) CreateWatch(ctx context.Context, w *nadra.Watch) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var since sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT MAX(date) FROM snapshots`).Scan(&since); err != nil {
		return formatError(err)
	}
	w.Since = since.String
	if err := w.Validate(); err != nil {
		return err
	}
	var q string
	switch w.Kind {
	case nadra.WatchDeposit:
		q = `SELECT COUNT(*) FROM deposits WHERE id = ?`
	case nadra.WatchLicence:
		q = `SELECT COUNT(*) FROM licences WHERE id = ?`
	case nadra.WatchCommodity:
		q = `SELECT COUNT(*) FROM commodities WHERE code = ?`
	}
	if q != "" {
		var n int
		if err := tx.QueryRowContext(ctx, q, w.Target).Scan(&n); err != nil {
			return formatError(err)
		}
		if n == 0 {
			return nadra.Errorf(nadra.EINVALID, "%s: no %s %q in the database", w.Kind, w.Kind, nadra.Truncate(w.Target, 64))
		}
	}
	var count int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM watches`).Scan(&count); err != nil {
		return formatError(err)
	}
	if count >= nadra.MaxWatches {
		return nadra.Errorf(nadra.ECONFLICT, "there are %d watches, the most nadra keeps; remove some with `nadra watch rm`", count)
	}
	var url, secret any
	if w.Webhook != nil {
		url, secret = w.Webhook.URL, w.Webhook.Secret
	}
	w.CreatedAt = tx.now
	r, err := tx.ExecContext(ctx, `INSERT INTO watches (kind, target, within_km, status_change, approach_km_per_month, since, note, webhook_url, webhook_secret, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		w.Kind, w.Target, w.WithinKm, w.StatusChange, w.ApproachKmPerMonth, w.Since, w.Note, url, secret, fmtTime(w.CreatedAt))
	if err != nil {
		return formatError(err)
	}
	if w.ID, err = r.LastInsertId(); err != nil {
		return err
	}
	return formatError(tx.Commit())
}

// FindWatches lists the watches by id, with their webhooks.
func (s *WatchService) FindWatches(ctx context.Context) ([]*nadra.Watch, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var out []*nadra.Watch
	err = scanRows(ctx, tx, `SELECT id, kind, target, within_km, status_change, approach_km_per_month, since, note, webhook_url, webhook_secret, created_at
		FROM watches ORDER BY id`, func(r *sql.Rows) error {
		w := &nadra.Watch{}
		var within, rate sql.NullFloat64
		var url sql.NullString
		var secret []byte
		var created string
		if err := r.Scan(&w.ID, &w.Kind, &w.Target, &within, &w.StatusChange, &rate, &w.Since, &w.Note, &url, &secret, &created); err != nil {
			return err
		}
		w.WithinKm, w.ApproachKmPerMonth = nullFloat(within), nullFloat(rate)
		if url.Valid {
			w.Webhook = &nadra.Webhook{URL: url.String, Secret: secret}
		}
		w.CreatedAt = parseTime(created)
		out = append(out, w)
		return nil
	})
	return out, err
}

func nullFloat(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	f := v.Float64
	return &f
}

// DeleteWatch removes a watch; its events and their deliveries stay.
func (s *WatchService) DeleteWatch(ctx context.Context, id int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, err := tx.ExecContext(ctx, `DELETE FROM watches WHERE id = ?`, id)
	if err != nil {
		return formatError(err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return nadra.Errorf(nadra.ENOTFOUND, "no watch %d; `nadra watch list` shows them", id)
	}
	return formatError(tx.Commit())
}

// AddEvents stores the new events and queues their deliveries.
func (s *WatchService) AddEvents(ctx context.Context, events []nadra.WatchEvent) ([]nadra.WatchEvent, error) {
	if len(events) == 0 {
		return nil, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var out []nadra.WatchEvent
	for _, e := range events {
		e.CreatedAt = tx.now
		r, err := tx.ExecContext(ctx, `INSERT INTO watch_events (watch_id, kind, deposit_id, name, licence_id, date, prev, status, prev_status,
			distance_km, prev_distance_km, approach_km_per_month, threshold, message, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (watch_id, deposit_id, date, kind) DO NOTHING`,
			e.WatchID, e.Kind, e.DepositID, e.Name, e.LicenceID, e.Date, e.Prev, e.Status, e.PrevStatus,
			e.DistanceKm, e.PrevDistanceKm, e.ApproachKmPerMonth, e.Threshold, e.Message, fmtTime(e.CreatedAt))
		if err != nil {
			return nil, formatError(err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			continue // fired before
		}
		if e.ID, err = r.LastInsertId(); err != nil {
			return nil, err
		}
		var url sql.NullString
		var secret []byte
		err = tx.QueryRowContext(ctx, `SELECT webhook_url, webhook_secret FROM watches WHERE id = ?`, e.WatchID).Scan(&url, &secret)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, formatError(err)
		}
		if url.Valid {
			if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (event_id, watch_id, url, secret, state, attempts, next_at) VALUES (?, ?, ?, ?, ?, 0, ?)`,
				e.ID, e.WatchID, url.String, secret, nadra.DeliveryPending, fmtTime(tx.now)); err != nil {
				return nil, formatError(err)
			}
			e.Delivery = nadra.DeliveryPending
		}
		out = append(out, e)
	}
	return out, formatError(tx.Commit())
}

const eventCols = `e.id, e.watch_id, e.kind, e.deposit_id, e.name, e.licence_id, e.date, e.prev, e.status, e.prev_status,
	e.distance_km, e.prev_distance_km, e.approach_km_per_month, e.threshold, e.message, e.created_at`

func scanEvent(r interface{ Scan(...any) error }, extra ...any) (nadra.WatchEvent, error) {
	var e nadra.WatchEvent
	var rate, threshold sql.NullFloat64
	var created string
	dst := append([]any{&e.ID, &e.WatchID, &e.Kind, &e.DepositID, &e.Name, &e.LicenceID, &e.Date, &e.Prev, &e.Status, &e.PrevStatus,
		&e.DistanceKm, &e.PrevDistanceKm, &rate, &threshold, &e.Message, &created}, extra...)
	if err := r.Scan(dst...); err != nil {
		return e, err
	}
	e.ApproachKmPerMonth, e.Threshold, e.CreatedAt = nullFloat(rate), nullFloat(threshold), parseTime(created)
	return e, nil
}

// FindEvents returns events newest first, each with its delivery's state.
func (s *WatchService) FindEvents(ctx context.Context, f nadra.EventFilter) ([]nadra.WatchEvent, int, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	where, args := "1 = 1", []any{}
	if f.WatchID != 0 {
		where, args = "e.watch_id = ?", append(args, f.WatchID)
	}
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM watch_events e WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, formatError(err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	out := []nadra.WatchEvent{}
	err = scanRows(ctx, tx, `SELECT `+eventCols+`, COALESCE(d.state, '') FROM watch_events e LEFT JOIN webhook_deliveries d ON d.event_id = e.id
		WHERE `+where+` ORDER BY e.id DESC LIMIT ? OFFSET ?`, func(r *sql.Rows) error {
		var state string
		e, err := scanEvent(r, &state)
		e.Delivery = state
		out = append(out, e)
		return err
	}, append(args, limit, f.Offset)...)
	return out, total, err
}

// DueDeliveries returns pending deliveries due at now, oldest first.
func (s *WatchService) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]nadra.Delivery, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var out []nadra.Delivery
	err = scanRows(ctx, tx, `SELECT d.id, d.event_id, d.watch_id, d.url, d.secret, d.state, d.attempts, d.next_at, `+eventCols+`
		FROM webhook_deliveries d JOIN watch_events e ON e.id = d.event_id
		WHERE d.state = ? AND d.next_at <= ? ORDER BY d.next_at, d.id LIMIT ?`, func(r *sql.Rows) error {
		var d nadra.Delivery
		var next string
		var ev nadra.WatchEvent
		var rate, threshold sql.NullFloat64
		var created string
		if err := r.Scan(&d.ID, &d.EventID, &d.WatchID, &d.Webhook.URL, &d.Webhook.Secret, &d.State, &d.Attempts, &next,
			&ev.ID, &ev.WatchID, &ev.Kind, &ev.DepositID, &ev.Name, &ev.LicenceID, &ev.Date, &ev.Prev, &ev.Status, &ev.PrevStatus,
			&ev.DistanceKm, &ev.PrevDistanceKm, &rate, &threshold, &ev.Message, &created); err != nil {
			return err
		}
		ev.ApproachKmPerMonth, ev.Threshold, ev.CreatedAt = nullFloat(rate), nullFloat(threshold), parseTime(created)
		ev.Delivery = d.State
		d.NextAt, d.Event = parseTime(next), &ev
		out = append(out, d)
		return nil
	}, nadra.DeliveryPending, fmtTime(now), limit)
	return out, err
}

// RecordAttempt stores one attempt and the delivery's new state.
func (s *WatchService) RecordAttempt(ctx context.Context, a nadra.DeliveryAttempt, state string, next time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)`,
		a.DeliveryID, a.Attempt, fmtTime(a.At), a.StatusCode, a.Error, a.DurationMs); err != nil {
		return formatError(err)
	}
	if next.IsZero() {
		next = a.At
	}
	if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = ?, attempts = ?, next_at = ? WHERE id = ?`,
		state, a.Attempt, fmtTime(next), a.DeliveryID); err != nil {
		return formatError(err)
	}
	return formatError(tx.Commit())
}

// FindAttempts returns a delivery's attempts, for `nadra watch events
// --deliveries` and tests.
func (s *WatchService) FindAttempts(ctx context.Context, eventID int64) ([]nadra.DeliveryAttempt, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var out []nadra.DeliveryAttempt
	err = scanRows(ctx, tx, `SELECT a.delivery_id, a.attempt, a.at, a.status_code, a.error, a.duration_ms
		FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.event_id = ? ORDER BY a.attempt`, func(r *sql.Rows) error {
		var a nadra.DeliveryAttempt
		var at string
		if err := r.Scan(&a.DeliveryID, &a.Attempt, &at, &a.StatusCode, &a.Error, &a.DurationMs); err != nil {
			return err
		}
		a.At = parseTime(at)
		out = append(out, a)
		return nil
	}, eventID)
	return out, err
}

// RecordFetch stores a finished fetch run.
func (s *WatchService) RecordFetch(ctx context.Context, r *nadra.FetchRun) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO fetch_runs (source, started_at, finished_at, ok, imported, skipped, failed, events, error, latest)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Source, fmtTime(r.StartedAt), fmtTime(r.FinishedAt), r.OK, r.Imported, r.Skipped, r.Failed, r.Events,
		nadra.Truncate(r.Error, 1000), r.Latest)
	if err != nil {
		return formatError(err)
	}
	if r.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	return formatError(tx.Commit())
}

// LastFetches returns the last successful run and the last run.
func (s *WatchService) LastFetches(ctx context.Context) (lastOK, last *nadra.FetchRun, err error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	one := func(where string) (*nadra.FetchRun, error) {
		var r nadra.FetchRun
		var started, finished string
		err := tx.QueryRowContext(ctx, `SELECT id, source, started_at, finished_at, ok, imported, skipped, failed, events, error, latest
			FROM fetch_runs `+where+` ORDER BY id DESC LIMIT 1`).Scan(&r.ID, &r.Source, &started, &finished, &r.OK, &r.Imported, &r.Skipped,
			&r.Failed, &r.Events, &r.Error, &r.Latest)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, formatError(err)
		}
		r.StartedAt, r.FinishedAt = parseTime(started), parseTime(finished)
		return &r, nil
	}
	if lastOK, err = one(`WHERE ok = 1`); err != nil {
		return nil, nil, err
	}
	last, err = one("")
	return lastOK, last, err
}

// FeedKey returns the database's permanent feed key (migration 009).
func (s *WatchService) FeedKey(ctx context.Context) (string, error) {
	return s.db.Meta(ctx, "feed_key")
}

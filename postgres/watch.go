package postgres

import (
	"context"
	"errors"
	"time"

	"nadra"

	"github.com/jackc/pgx/v5"
)

// WatchService implements nadra.WatchService and nadra.FetchService.
type WatchService struct{ db *DB }

// NewWatchService returns a watch service on db.
func NewWatchService(db *DB) *WatchService { return &WatchService{db: db} }

var (
	_ nadra.WatchService = (*WatchService)(nil)
	_ nadra.FetchService = (*WatchService)(nil)
)

// second is t in UTC to the second, as SQLite keeps times.
func second(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// CreateWatch stores a watch. Its Since is set here, in the transaction
// that stores it, to the latest snapshot's date, so that no snapshot
// already stored fires an event for it.
func (s *WatchService) CreateWatch(ctx context.Context, w *nadra.Watch) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.rollback()
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(date)::text, '') FROM snapshots`).Scan(&w.Since); err != nil {
		return formatError(err)
	}
	if err := w.Validate(); err != nil {
		return err
	}
	var q string
	switch w.Kind {
	case nadra.WatchDeposit:
		q = `SELECT COUNT(*) FROM deposits WHERE id = $1`
	case nadra.WatchLicence:
		q = `SELECT COUNT(*) FROM licences WHERE id = $1`
	case nadra.WatchCommodity:
		q = `SELECT COUNT(*) FROM commodities WHERE code = $1`
	}
	if q != "" {
		var n int
		if err := tx.QueryRow(ctx, q, w.Target).Scan(&n); err != nil {
			return formatError(err)
		}
		if n == 0 {
			return nadra.Errorf(nadra.EINVALID, "%s: no %s %q in the database", w.Kind, w.Kind, nadra.Truncate(w.Target, 64))
		}
	}
	var count int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM watches`).Scan(&count); err != nil {
		return formatError(err)
	}
	if count >= nadra.MaxWatches {
		return nadra.Errorf(nadra.ECONFLICT, "there are %d watches, the most nadra keeps; remove some with `nadra watch rm`", count)
	}
	var url *string
	var secret []byte
	if w.Webhook != nil {
		url, secret = &w.Webhook.URL, w.Webhook.Secret
	}
	w.CreatedAt = tx.now
	if err := tx.QueryRow(ctx, `INSERT INTO watches (kind, target, within_km, status_change, approach_km_per_month, since, note, webhook_url, webhook_secret, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		w.Kind, w.Target, w.WithinKm, w.StatusChange, w.ApproachKmPerMonth, w.Since, w.Note, url, secret, w.CreatedAt).Scan(&w.ID); err != nil {
		return formatError(err)
	}
	return tx.commit(ctx)
}

// FindWatches lists the watches by id, with their webhooks.
func (s *WatchService) FindWatches(ctx context.Context) ([]*nadra.Watch, error) {
	var out []*nadra.Watch
	err := scanRows(ctx, s.db.pool, `SELECT id, kind, target, within_km, status_change, approach_km_per_month, since, note, webhook_url, webhook_secret, created_at
		FROM watches ORDER BY id`, func(r pgx.Rows) error {
		w := &nadra.Watch{}
		var url *string
		var secret []byte
		if err := r.Scan(&w.ID, &w.Kind, &w.Target, &w.WithinKm, &w.StatusChange, &w.ApproachKmPerMonth, &w.Since, &w.Note, &url, &secret, &w.CreatedAt); err != nil {
			return err
		}
		if url != nil {
			w.Webhook = &nadra.Webhook{URL: *url, Secret: secret}
		}
		w.CreatedAt = w.CreatedAt.UTC()
		out = append(out, w)
		return nil
	})
	return out, err
}

// DeleteWatch removes a watch; its events and their deliveries stay.
func (s *WatchService) DeleteWatch(ctx context.Context, id int64) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.rollback()
	tag, err := tx.Exec(ctx, `DELETE FROM watches WHERE id = $1`, id)
	if err != nil {
		return formatError(err)
	}
	if tag.RowsAffected() == 0 {
		return nadra.Errorf(nadra.ENOTFOUND, "no watch %d; `nadra watch list` shows them", id)
	}
	return tx.commit(ctx)
}

// AddEvents stores the new events and queues their deliveries.
func (s *WatchService) AddEvents(ctx context.Context, events []nadra.WatchEvent) ([]nadra.WatchEvent, error) {
	if len(events) == 0 {
		return nil, nil
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.rollback()
	var out []nadra.WatchEvent
	for _, e := range events {
		e.CreatedAt = tx.now
		err := tx.QueryRow(ctx, `INSERT INTO watch_events (watch_id, kind, deposit_id, name, licence_id, date, prev, status, prev_status,
			distance_km, prev_distance_km, approach_km_per_month, threshold, message, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
			ON CONFLICT (watch_id, deposit_id, date, kind) DO NOTHING RETURNING id`,
			e.WatchID, e.Kind, e.DepositID, e.Name, e.LicenceID, e.Date, e.Prev, string(e.Status), string(e.PrevStatus),
			e.DistanceKm, e.PrevDistanceKm, e.ApproachKmPerMonth, e.Threshold, e.Message, e.CreatedAt).Scan(&e.ID)
		if errors.Is(err, pgx.ErrNoRows) {
			continue // fired before
		}
		if err != nil {
			return nil, formatError(err)
		}
		var url *string
		var secret []byte
		err = tx.QueryRow(ctx, `SELECT webhook_url, webhook_secret FROM watches WHERE id = $1`, e.WatchID).Scan(&url, &secret)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, formatError(err)
		}
		if url != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO webhook_deliveries (event_id, watch_id, url, secret, state, attempts, next_at) VALUES ($1, $2, $3, $4, $5, 0, $6)`,
				e.ID, e.WatchID, *url, secret, nadra.DeliveryPending, tx.now); err != nil {
				return nil, formatError(err)
			}
			e.Delivery = nadra.DeliveryPending
		}
		out = append(out, e)
	}
	return out, tx.commit(ctx)
}

const eventCols = `e.id, e.watch_id, e.kind, e.deposit_id, e.name, e.licence_id, e.date, e.prev, e.status, e.prev_status,
	e.distance_km, e.prev_distance_km, e.approach_km_per_month, e.threshold, e.message, e.created_at`

// eventDest returns the scan destinations of eventCols for e.
func eventDest(e *nadra.WatchEvent, status, prevStatus *string) []any {
	return []any{&e.ID, &e.WatchID, &e.Kind, &e.DepositID, &e.Name, &e.LicenceID, &e.Date, &e.Prev, status, prevStatus,
		&e.DistanceKm, &e.PrevDistanceKm, &e.ApproachKmPerMonth, &e.Threshold, &e.Message, &e.CreatedAt}
}

// FindEvents returns events newest first, each with its delivery's state.
func (s *WatchService) FindEvents(ctx context.Context, f nadra.EventFilter) ([]nadra.WatchEvent, int, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.rollback()
	var a args
	where := "true"
	if f.WatchID != 0 {
		where = "e.watch_id = " + a.add(f.WatchID)
	}
	var total int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM watch_events e WHERE `+where, a...).Scan(&total); err != nil {
		return nil, 0, formatError(err)
	}
	var limit *int // NULL: no limit
	if f.Limit > 0 {
		limit = &f.Limit
	}
	q := `SELECT ` + eventCols + `, COALESCE(d.state, '') FROM watch_events e LEFT JOIN webhook_deliveries d ON d.event_id = e.id
		WHERE ` + where + ` ORDER BY e.id DESC LIMIT ` + a.add(limit) + ` OFFSET ` + a.add(f.Offset)
	out := []nadra.WatchEvent{}
	err = scanRows(ctx, tx, q, func(r pgx.Rows) error {
		var e nadra.WatchEvent
		var st, prev string
		if err := r.Scan(append(eventDest(&e, &st, &prev), &e.Delivery)...); err != nil {
			return err
		}
		e.Status, e.PrevStatus, e.CreatedAt = nadra.Status(st), nadra.Status(prev), e.CreatedAt.UTC()
		out = append(out, e)
		return nil
	}, a...)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// DueDeliveries returns pending deliveries due at now, oldest first.
func (s *WatchService) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]nadra.Delivery, error) {
	var out []nadra.Delivery
	err := scanRows(ctx, s.db.pool, `SELECT d.id, d.event_id, d.watch_id, d.url, d.secret, d.state, d.attempts, d.next_at, `+eventCols+`
		FROM webhook_deliveries d JOIN watch_events e ON e.id = d.event_id
		WHERE d.state = $1 AND d.next_at <= $2 ORDER BY d.next_at, d.id LIMIT $3`, func(r pgx.Rows) error {
		var d nadra.Delivery
		var ev nadra.WatchEvent
		var st, prev string
		if err := r.Scan(append([]any{&d.ID, &d.EventID, &d.WatchID, &d.Webhook.URL, &d.Webhook.Secret, &d.State, &d.Attempts, &d.NextAt},
			eventDest(&ev, &st, &prev)...)...); err != nil {
			return err
		}
		ev.Status, ev.PrevStatus, ev.CreatedAt = nadra.Status(st), nadra.Status(prev), ev.CreatedAt.UTC()
		ev.Delivery = d.State
		d.NextAt, d.Event = d.NextAt.UTC(), &ev
		out = append(out, d)
		return nil
	}, nadra.DeliveryPending, second(now), limit)
	return out, err
}

// RecordAttempt stores one attempt and the delivery's new state.
func (s *WatchService) RecordAttempt(ctx context.Context, a nadra.DeliveryAttempt, state string, next time.Time) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.rollback()
	if _, err := tx.Exec(ctx, `INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)`,
		a.DeliveryID, a.Attempt, second(a.At), a.StatusCode, a.Error, a.DurationMs); err != nil {
		return formatError(err)
	}
	if next.IsZero() {
		next = a.At
	}
	if _, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET state = $1, attempts = $2, next_at = $3 WHERE id = $4`,
		state, a.Attempt, second(next), a.DeliveryID); err != nil {
		return formatError(err)
	}
	return tx.commit(ctx)
}

// FindAttempts returns a delivery's attempts, for `nadra watch events
// --deliveries` and tests.
func (s *WatchService) FindAttempts(ctx context.Context, eventID int64) ([]nadra.DeliveryAttempt, error) {
	var out []nadra.DeliveryAttempt
	err := scanRows(ctx, s.db.pool, `SELECT a.delivery_id, a.attempt, a.at, a.status_code, a.error, a.duration_ms
		FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.event_id = $1 ORDER BY a.attempt`, func(r pgx.Rows) error {
		var a nadra.DeliveryAttempt
		if err := r.Scan(&a.DeliveryID, &a.Attempt, &a.At, &a.StatusCode, &a.Error, &a.DurationMs); err != nil {
			return err
		}
		a.At = a.At.UTC()
		out = append(out, a)
		return nil
	}, eventID)
	return out, err
}

// RecordFetch stores a finished fetch run.
func (s *WatchService) RecordFetch(ctx context.Context, r *nadra.FetchRun) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.rollback()
	if err := tx.QueryRow(ctx, `INSERT INTO fetch_runs (source, started_at, finished_at, ok, imported, skipped, failed, events, error, latest)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, r.Source, second(r.StartedAt), second(r.FinishedAt), r.OK, r.Imported, r.Skipped, r.Failed, r.Events,
		nadra.Truncate(r.Error, 1000), r.Latest).Scan(&r.ID); err != nil {
		return formatError(err)
	}
	return tx.commit(ctx)
}

// LastFetches returns the last successful run and the last run.
func (s *WatchService) LastFetches(ctx context.Context) (lastOK, last *nadra.FetchRun, err error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.rollback()
	one := func(where string) (*nadra.FetchRun, error) {
		var r nadra.FetchRun
		err := tx.QueryRow(ctx, `SELECT id, source, started_at, finished_at, ok, imported, skipped, failed, events, error, latest
			FROM fetch_runs `+where+` ORDER BY id DESC LIMIT 1`).Scan(&r.ID, &r.Source, &r.StartedAt, &r.FinishedAt, &r.OK, &r.Imported, &r.Skipped,
			&r.Failed, &r.Events, &r.Error, &r.Latest)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, formatError(err)
		}
		r.StartedAt, r.FinishedAt = r.StartedAt.UTC(), r.FinishedAt.UTC()
		return &r, nil
	}
	if lastOK, err = one(`WHERE ok`); err != nil {
		return nil, nil, err
	}
	last, err = one("")
	return lastOK, last, err
}

// FeedKey returns the database's permanent feed key (migration 009).
func (s *WatchService) FeedKey(ctx context.Context) (string, error) {
	return s.db.Meta(ctx, "feed_key")
}

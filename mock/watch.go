package mock

import (
	"context"
	"time"

	"nadra"
)

// WatchService is a mock nadra.WatchService.
type WatchService struct {
	CreateWatchFn   func(ctx context.Context, w *nadra.Watch) error
	FindWatchesFn   func(ctx context.Context) ([]*nadra.Watch, error)
	DeleteWatchFn   func(ctx context.Context, id int64) error
	AddEventsFn     func(ctx context.Context, events []nadra.WatchEvent) ([]nadra.WatchEvent, error)
	FindEventsFn    func(ctx context.Context, f nadra.EventFilter) ([]nadra.WatchEvent, int, error)
	DueDeliveriesFn func(ctx context.Context, now time.Time, limit int) ([]nadra.Delivery, error)
	RecordAttemptFn func(ctx context.Context, a nadra.DeliveryAttempt, state string, next time.Time) error
	FindAttemptsFn  func(ctx context.Context, eventID int64) ([]nadra.DeliveryAttempt, error)
	FeedKeyFn       func(ctx context.Context) (string, error)
}

var _ nadra.WatchService = (*WatchService)(nil)

// CreateWatch calls CreateWatchFn.
func (s *WatchService) CreateWatch(ctx context.Context, w *nadra.Watch) error {
	return s.CreateWatchFn(ctx, w)
}

// FindWatches calls FindWatchesFn.
func (s *WatchService) FindWatches(ctx context.Context) ([]*nadra.Watch, error) {
	return s.FindWatchesFn(ctx)
}

// DeleteWatch calls DeleteWatchFn.
func (s *WatchService) DeleteWatch(ctx context.Context, id int64) error {
	return s.DeleteWatchFn(ctx, id)
}

// AddEvents calls AddEventsFn.
func (s *WatchService) AddEvents(ctx context.Context, events []nadra.WatchEvent) ([]nadra.WatchEvent, error) {
	return s.AddEventsFn(ctx, events)
}

// FindEvents calls FindEventsFn.
func (s *WatchService) FindEvents(ctx context.Context, f nadra.EventFilter) ([]nadra.WatchEvent, int, error) {
	return s.FindEventsFn(ctx, f)
}

// DueDeliveries calls DueDeliveriesFn.
func (s *WatchService) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]nadra.Delivery, error) {
	return s.DueDeliveriesFn(ctx, now, limit)
}

// RecordAttempt calls RecordAttemptFn.
func (s *WatchService) RecordAttempt(ctx context.Context, a nadra.DeliveryAttempt, state string, next time.Time) error {
	return s.RecordAttemptFn(ctx, a, state, next)
}

// FindAttempts calls FindAttemptsFn.
func (s *WatchService) FindAttempts(ctx context.Context, eventID int64) ([]nadra.DeliveryAttempt, error) {
	return s.FindAttemptsFn(ctx, eventID)
}

// FeedKey calls FeedKeyFn.
func (s *WatchService) FeedKey(ctx context.Context) (string, error) { return s.FeedKeyFn(ctx) }

// FetchService is a mock nadra.FetchService.
type FetchService struct {
	RecordFetchFn func(ctx context.Context, r *nadra.FetchRun) error
	LastFetchesFn func(ctx context.Context) (lastOK, last *nadra.FetchRun, err error)
}

var _ nadra.FetchService = (*FetchService)(nil)

// RecordFetch calls RecordFetchFn.
func (s *FetchService) RecordFetch(ctx context.Context, r *nadra.FetchRun) error {
	return s.RecordFetchFn(ctx, r)
}

// LastFetches calls LastFetchesFn.
func (s *FetchService) LastFetches(ctx context.Context) (*nadra.FetchRun, *nadra.FetchRun, error) {
	return s.LastFetchesFn(ctx)
}

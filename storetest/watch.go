package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"nadra"
)

// testWatchService_CreateWatch: a watch's Since is the latest snapshot,
// set by the store; a bad or unknown target is EINVALID and stores nothing.
func testWatchService_CreateWatch(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	seed(t, db)
	s := db.Watches
	secret := []byte("0123456789abcdef0123")

	t.Run("OK", func(t *testing.T) {
		w := &nadra.Watch{Kind: nadra.WatchDeposit, Target: "dobra", WithinKm: fp(25), StatusChange: true,
			Webhook: &nadra.Webhook{URL: "https://hooks.example.org/nadra?token=abc", Secret: secret}}
		if err := s.CreateWatch(ctx, w); err != nil {
			t.Fatal(err)
		}
		// Since is the latest snapshot, set by the store.
		if w.ID == 0 || w.Since != "2025-02-01" || !w.CreatedAt.Equal(Now) {
			t.Fatalf("got %+v", w)
		}
		ws, err := s.FindWatches(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(ws) != 1 || ws[0].Webhook == nil || ws[0].Webhook.URL != w.Webhook.URL || string(ws[0].Webhook.Secret) != string(secret) ||
			*ws[0].WithinKm != 25 || ws[0].ApproachKmPerMonth != nil || !ws[0].StatusChange {
			t.Fatalf("stored %+v", ws[0])
		}
	})
	for _, tt := range []struct {
		name string
		w    nadra.Watch
		want string
	}{
		{"ErrUnknownDeposit", nadra.Watch{Kind: nadra.WatchDeposit, Target: "atlantis", StatusChange: true}, `deposit: no deposit "atlantis"`},
		{"ErrUnknownLicence", nadra.Watch{Kind: nadra.WatchLicence, Target: "x-psa", StatusChange: true}, `licence: no licence "x-psa"`},
		{"ErrUnknownCommodity", nadra.Watch{Kind: nadra.WatchCommodity, Target: "unobtainium", StatusChange: true}, `commodity: no commodity "unobtainium"`},
		{"ErrBadOblast", nadra.Watch{Kind: nadra.WatchOblast, Target: "UA-99", StatusChange: true}, `oblast: "UA-99" is not`},
		{"ErrNothingFires", nadra.Watch{Kind: nadra.WatchDeposit, Target: "dobra"}, "fires on nothing"},
		{"ErrNegativeRadius", nadra.Watch{Kind: nadra.WatchDeposit, Target: "dobra", WithinKm: fp(-1)}, "within_km: -1 out of range"},
		{"ErrWebhookScheme", nadra.Watch{Kind: nadra.WatchDeposit, Target: "dobra", StatusChange: true, Webhook: &nadra.Webhook{URL: "ftp://x/y", Secret: secret}}, `scheme is "ftp"`},
		{"ErrWebhookShortSecret", nadra.Watch{Kind: nadra.WatchDeposit, Target: "dobra", StatusChange: true, Webhook: &nadra.Webhook{URL: "http://x/y", Secret: []byte("short")}}, "5 bytes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.w
			err := s.CreateWatch(ctx, &w)
			if nadra.ErrorCode(err) != nadra.EINVALID || !strings.Contains(nadra.ErrorMessage(err), tt.want) {
				t.Fatalf("got %v, want EINVALID %q", err, tt.want)
			}
		})
	}
	if ws, _ := s.FindWatches(ctx); len(ws) != 1 {
		t.Fatalf("refused watches were stored: %d", len(ws))
	}
}

// testWatchService_Events: events are stored once each, a delivery is
// queued for a watch with a webhook, retried when due, and removing the
// watch keeps its events.
func testWatchService_Events(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	seed(t, db)
	s := db.Watches
	hooked := &nadra.Watch{Kind: nadra.WatchDeposit, Target: "dobra", WithinKm: fp(25), Webhook: &nadra.Webhook{URL: "http://127.0.0.1:9/h", Secret: []byte("0123456789abcdef")}}
	plain := &nadra.Watch{Kind: nadra.WatchOblast, Target: "UA-35", StatusChange: true}
	for _, w := range []*nadra.Watch{hooked, plain} {
		if err := s.CreateWatch(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	ev := func(w *nadra.Watch, kind, date string) nadra.WatchEvent {
		return nadra.WatchEvent{WatchID: w.ID, Kind: kind, DepositID: "dobra", Name: "Dobra", Date: date, Prev: "2025-02-01",
			Status: nadra.StatusControlled, PrevStatus: nadra.StatusControlled, DistanceKm: 20, PrevDistanceKm: 30, Threshold: fp(25), Message: "m"}
	}
	added, err := s.AddEvents(ctx, []nadra.WatchEvent{ev(hooked, nadra.EventWithin, "2025-03-01"), ev(plain, nadra.EventStatus, "2025-03-01")})
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 2 || added[0].ID == 0 || added[0].Delivery != nadra.DeliveryPending || added[1].Delivery != "" {
		t.Fatalf("added %+v", added)
	}
	// The same events again: nothing new, nothing queued twice.
	again, err := s.AddEvents(ctx, []nadra.WatchEvent{ev(hooked, nadra.EventWithin, "2025-03-01"), ev(plain, nadra.EventStatus, "2025-03-01")})
	if err != nil || len(again) != 0 {
		t.Fatalf("again: %v %+v", err, again)
	}
	evs, total, err := s.FindEvents(ctx, nadra.EventFilter{})
	if err != nil || total != 2 || len(evs) != 2 || evs[0].ID != added[1].ID || *evs[1].Threshold != 25 || !evs[0].CreatedAt.Equal(Now) || evs[1].ApproachKmPerMonth != nil {
		t.Fatalf("events %v %d %+v", err, total, evs)
	}
	if evs, total, _ := s.FindEvents(ctx, nadra.EventFilter{WatchID: plain.ID, Limit: 1}); total != 1 || len(evs) != 1 || evs[0].Kind != nadra.EventStatus {
		t.Fatalf("by watch: %d %+v", total, evs)
	}

	// One delivery due, for the hooked watch, with its URL and secret.
	now := Now
	due, err := s.DueDeliveries(ctx, now, 10)
	if err != nil || len(due) != 1 || due[0].EventID != added[0].ID || due[0].Webhook.URL != hooked.Webhook.URL || due[0].Event.Message != "m" {
		t.Fatalf("due %v %+v", err, due)
	}
	// A failed attempt: not due again until its retry time.
	next := now.Add(30 * time.Second)
	if err := s.RecordAttempt(ctx, nadra.DeliveryAttempt{DeliveryID: due[0].ID, Attempt: 1, At: now, StatusCode: 500, Error: "the receiver answered 500"}, nadra.DeliveryPending, next); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueDeliveries(ctx, now.Add(29*time.Second), 10); len(due) != 0 {
		t.Fatalf("due before its retry: %+v", due)
	}
	due, _ = s.DueDeliveries(ctx, next, 10)
	if len(due) != 1 || due[0].Attempts != 1 {
		t.Fatalf("due at its retry: %+v", due)
	}
	if err := s.RecordAttempt(ctx, nadra.DeliveryAttempt{DeliveryID: due[0].ID, Attempt: 2, At: next, StatusCode: 204}, nadra.DeliveryDelivered, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueDeliveries(ctx, next.Add(time.Hour), 10); len(due) != 0 {
		t.Fatalf("delivered but still due: %+v", due)
	}
	atts, err := s.FindAttempts(ctx, added[0].ID)
	if err != nil || len(atts) != 2 || atts[0].StatusCode != 500 || atts[1].StatusCode != 204 {
		t.Fatalf("attempts %v %+v", err, atts)
	}
	// Removing the watch keeps its events, a record.
	if err := s.DeleteWatch(ctx, hooked.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteWatch(ctx, hooked.ID); nadra.ErrorCode(err) != nadra.ENOTFOUND {
		t.Fatalf("second delete: %v", err)
	}
	if evs, total, _ := s.FindEvents(ctx, nadra.EventFilter{}); total != 2 || evs[1].Delivery != nadra.DeliveryDelivered {
		t.Fatalf("after removal: %d %+v", total, evs)
	}
}

// testFetchService: the last run and the last good run; and the feed key.
func testFetchService(t *testing.T, open Opener) {
	ctx := context.Background()
	db := mustOpen(t, open)
	s := db.Fetches
	ok, last, err := s.LastFetches(ctx)
	if err != nil || ok != nil || last != nil {
		t.Fatalf("empty: %v %v %v", err, ok, last)
	}
	t0 := time.Date(2026, 9, 1, 6, 0, 0, 0, time.UTC)
	good := &nadra.FetchRun{Source: "http://x", StartedAt: t0, FinishedAt: t0.Add(3 * time.Second), OK: true, Imported: 1, Latest: "2026-09-01"}
	bad := &nadra.FetchRun{Source: "http://x", StartedAt: t0.Add(time.Hour), FinishedAt: t0.Add(time.Hour), Error: "timeout"}
	for _, r := range []*nadra.FetchRun{good, bad} {
		if err := s.RecordFetch(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	ok, last, err = s.LastFetches(ctx)
	if err != nil || ok.ID != good.ID || !ok.FinishedAt.Equal(good.FinishedAt) || ok.Imported != 1 || last.ID != bad.ID || last.Error != "timeout" {
		t.Fatalf("got %+v %+v %v", ok, last, err)
	}
	if key, err := db.Watches.FeedKey(ctx); err != nil || len(key) != 32 || strings.Trim(key, "0123456789abcdef") != "" {
		t.Fatalf("feed key %q %v; want 32 hex digits", key, err)
	}
}

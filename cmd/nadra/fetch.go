package main

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"nadra"
	"nadra/dataset"
)

// Bounds on nadra serve --fetch-every: often enough to follow DeepState's
// daily updates, rarely enough to be polite to its API.
const (
	MinFetchEvery = 10 * time.Minute
	MaxFetchEvery = 30 * 24 * time.Hour
	// fetchFirstRetry is the wait after a failed fetch; it doubles with
	// each failure in a row, up to the interval.
	fetchFirstRetry = time.Minute
	// fetchMaxPerRun bounds the snapshots one run imports (the oldest
	// first); a server off for longer catches up over several runs.
	fetchMaxPerRun = 31
	fetchTimeout   = 60 * time.Second
)

// fetcher imports new DeepState snapshots in the background for nadra
// serve --fetch-every, with the importer of nadra import control
// --deepstate: each snapshot is one transaction, refused whole when it is
// broken or implausible beside its stored neighbours, skipped when its
// content or URL was seen before. Each run is recorded (the dashboard
// shows the last successful one) and logged; after a failure the next
// run comes sooner, backing off: 1 min, 2 min, 4 min, … up to the
// interval.
type fetcher struct {
	m          *Main
	base       string
	every      time.Duration
	firstRetry time.Duration
	client     *http.Client
	log        *slog.Logger
	// wake, if not nil, is told when a run fired events, so that their
	// webhooks go out at once.
	wake chan<- struct{}
	// imported, if not nil, is called after a run stored snapshots and
	// before the run is recorded: the server drops what it cached, so
	// that no page is older than the run it reports.
	imported func()
}

func newFetcher(m *Main, base string, every time.Duration, log *slog.Logger) *fetcher {
	return &fetcher{m: m, base: strings.TrimRight(base, "/"), every: every, firstRetry: fetchFirstRetry,
		client: &http.Client{Timeout: fetchTimeout}, log: log}
}

// run fetches at once, then every interval, until ctx ends.
func (f *fetcher) run(ctx context.Context) {
	failures := 0
	for {
		r := f.once(ctx)
		if ctx.Err() != nil {
			return
		}
		if r.OK {
			failures = 0
		} else {
			failures++
		}
		wait := f.nextWait(failures)
		f.log.Info("next fetch", "in", wait.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// nextWait is the wait before the next run after failures failed runs in
// a row: the interval after a success, else firstRetry doubled for each
// failure after the first, at most the interval.
func (f *fetcher) nextWait(failures int) time.Duration {
	if failures == 0 {
		return f.every
	}
	wait := f.firstRetry
	for i := 1; i < failures && wait < f.every; i++ {
		wait *= 2
	}
	return min(wait, f.every)
}

// once runs one fetch and records it.
func (f *fetcher) once(ctx context.Context) nadra.FetchRun {
	r := nadra.FetchRun{Source: f.base, StartedAt: f.m.Now().UTC()}
	// The run is a write like nadra import control: its audit record
	// holds the tables' hashes before and after it.
	var aw *auditWrite
	var err2 error
	if f.m.Audit != nil {
		aw = &auditWrite{route: "nadra serve --fetch-every " + f.base, tables: nadra.WriteTables["import control"]}
		if aw.before, err2 = f.m.Audit.TableHashes(ctx, aw.tables); err2 != nil {
			f.log.Error("fetch: cannot hash the tables for the audit trail", "err", err2)
			aw = nil
		}
	}
	err := f.fetch(ctx, &r)
	r.FinishedAt = f.m.Now().UTC()
	if aw != nil && r.Imported > 0 {
		if _, err := f.m.appendAudit(context.WithoutCancel(ctx), "serve:fetch", aw); err != nil {
			f.log.Error("fetch: cannot append the audit record", "err", err)
		}
	}
	if ctx.Err() != nil {
		f.log.Info("fetch stopped", "reason", "shutting down")
		return r // not recorded: the run did not finish
	}
	if err != nil {
		r.Error = oneLine(nadra.ErrorMessage(err))
	}
	if r.Imported > 0 && f.imported != nil {
		f.imported()
	}
	r.OK = err == nil && r.Failed == 0
	if infos, err := f.m.Snapshots.FindSnapshots(context.WithoutCancel(ctx)); err == nil && len(infos) > 0 {
		r.Latest = infos[len(infos)-1].Date
	}
	if f.m.Watches != nil {
		if err := f.m.Watches.RecordFetch(context.WithoutCancel(ctx), &r); err != nil {
			f.log.Error("fetch: cannot record the run", "err", err)
		}
	}
	attrs := []any{"imported", r.Imported, "skipped", r.Skipped, "failed", r.Failed, "events", r.Events, "latest", r.Latest,
		"duration", r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond).String()}
	if r.OK {
		f.log.Info("fetch done", attrs...)
	} else {
		f.log.Error("fetch failed", append(attrs, "err", r.Error)...)
	}
	return r
}

// fetch imports the snapshots DeepState lists after the latest stored one.
func (f *fetcher) fetch(ctx context.Context, r *nadra.FetchRun) error {
	infos, err := f.m.Snapshots.FindSnapshots(ctx)
	if err != nil {
		return err
	}
	from := ""
	if len(infos) > 0 {
		t, err := nadra.ParseDate(infos[len(infos)-1].Date)
		if err != nil {
			return err
		}
		from = t.AddDate(0, 0, 1).Format(nadra.DateLayout)
	}
	jobs, listed, err := f.m.deepstateJobs(ctx, f.client, f.base, from, "")
	if err != nil {
		return err
	}
	if len(jobs) > fetchMaxPerRun {
		f.log.Info("fetch: catching up", "new_days", len(jobs), "this_run", fetchMaxPerRun)
		jobs = jobs[:fetchMaxPerRun]
	}
	f.log.Info("fetch", "source", f.base, "listed", listed, "after", from, "to_fetch", len(jobs))
	var first string
	for _, res := range f.m.importControlJobs(ctx, jobs, dataset.SnapshotFormat{}) {
		switch {
		case res.interrupted:
			return ctx.Err()
		case res.Error != "":
			r.Failed++
			f.log.Warn("fetch: snapshot refused; nothing of it imported", "file", res.File, "err", res.Error)
			if first == "" {
				first = res.File + ": " + res.Error
			}
		case res.Skipped || res.Inserted+res.Updated == 0:
			r.Skipped++
		default:
			r.Imported++
			f.log.Info("fetch: snapshot imported", "file", res.File, "date", res.Date)
		}
	}
	if r.Imported > 0 {
		evs, err := f.m.checkWatches(ctx)
		if err != nil {
			return err
		}
		r.Events = len(evs)
		for _, e := range evs {
			f.log.Info("watch event", "watch", e.WatchID, "kind", e.Kind, "deposit", e.DepositID, "date", e.Date, "message", e.Message)
		}
		if len(evs) > 0 && f.wake != nil {
			select {
			case f.wake <- struct{}{}:
			default:
			}
		}
	}
	if first != "" {
		return nadra.Errorf(nadra.EINVALID, "%d of %d snapshots refused; the first: %s", r.Failed, len(jobs), first)
	}
	return nil
}

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"nadra"
	"nadra/internal/decimal"
	"nadra/watch"
	"nadra/webhook"
)

const watchHelp = `Usage: nadra watch <subcommand> [flags]

Watches on the front line: an event fires when a new control snapshot
brings the front within N km of a watched asset's uncertainty circle,
changes its status, or shows the front approaching it faster than a rate.

Subcommands:
  add      watch a deposit, a licence, a commodity or an oblast
  list     the watches
  rm ID    remove a watch (its events stay, as a record)
  events   the events, newest first
  check    look for events now (every import of control snapshots does)
  deliver  try the webhook deliveries that are due now

Events are also served by nadra serve as an Atom feed (/feed.atom) and as
JSON (/api/v1/watch/events).`

var kindSecret = fileKind{"a webhook secret file", 4 << 10, true}

func (m *Main) runWatch(ctx context.Context, args []string) error {
	if ok, err := m.subcommandHelp("watch", args, watchHelp, "which subcommand? (add, list, rm, events, check or deliver)"); !ok {
		return err
	}
	switch args[0] {
	case "add":
		return m.runWatchAdd(ctx, args[1:])
	case "list":
		return m.runWatchList(ctx, args[1:])
	case "rm":
		return m.runWatchRm(ctx, args[1:])
	case "events":
		return m.runWatchEvents(ctx, args[1:])
	case "check":
		return m.runWatchCheck(ctx, args[1:])
	case "deliver":
		return m.runWatchDeliver(ctx, args[1:])
	}
	return usagef("unknown subcommand %q; expected add, list, rm, events, check or deliver", args[0])
}

const watchAddHelp = `Usage: nadra watch add (--deposit ID | --licence ID | --commodity CODE | --oblast UA-xx)
                       [--within-km N] [--approach-km-per-month R] [--status-change=false]
                       [--webhook URL [--webhook-secret-file FILE]] [--note TEXT] [--json]

Watches one deposit, one licence (through its deposit), or every located
deposit of a commodity or in an oblast (ISO code UA-14 or a name such as
Donetsk). Each new control snapshot, dated after the latest one when the
watch is added, fires an event for an asset when:

  --within-km N               the front comes within N km (0 to 2000) of its
                              uncertainty circle, from farther away
  --status-change             its status changes (on by default)
  --approach-km-per-month R   the front approaches it faster than R km a
                              month (0 to 1000) since the snapshot before

Distances are those of 'nadra report risk': from the deposit's uncertainty
circle (its point ± precision_km) to hostile ground.

--webhook URL POSTs each new event as JSON to URL (http or https), signed
with HMAC-SHA256 over the body in the X-Nadra-Signature-256 header
("sha256=" and the hex digest). The secret is read from
--webhook-secret-file (16 to 256 bytes; "-" reads standard input), or
generated and printed once. Failed deliveries are retried with backoff
(30 s, doubling, up to an hour; 8 attempts) by 'nadra serve' and 'nadra
watch deliver'; every attempt is recorded. The URL and the secret are
stored in the database and never logged in full.`

func (m *Main) runWatchAdd(ctx context.Context, args []string) error {
	fs := m.flags("watch add", watchAddHelp)
	deposit := fs.String("deposit", "", "watch the deposit `ID`")
	licence := fs.String("licence", "", "watch the licence `ID` (through its deposit)")
	commodity := fs.String("commodity", "", "watch every located deposit of the commodity `CODE`")
	oblast := fs.String("oblast", "", "watch every located deposit in the oblast (`UA-xx` or name)")
	within := fs.String("within-km", "", "fire when the front comes within `N` km")
	rate := fs.String("approach-km-per-month", "", "fire when the front approaches faster than `R` km a month")
	status := fs.Bool("status-change", true, "fire when the status changes")
	hook := fs.String("webhook", "", "POST each new event to `URL`, signed")
	secretFile := fs.String("webhook-secret-file", "", "read the webhook's secret from `FILE` (default: generate one)")
	note := fs.String("note", "", "a note for yourself (at most 200 characters)")
	asJSON := fs.Bool("json", false, "print the watch as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	w := &nadra.Watch{StatusChange: *status, Note: *note}
	*commodity = strings.ToLower(strings.TrimSpace(*commodity)) // codes are lower case; Lithium means lithium
	n := 0
	for _, k := range []struct{ kind, v string }{{nadra.WatchDeposit, *deposit}, {nadra.WatchLicence, *licence},
		{nadra.WatchCommodity, *commodity}, {nadra.WatchOblast, *oblast}} {
		if k.v != "" {
			w.Kind, w.Target = k.kind, k.v
			n++
		}
	}
	if n != 1 {
		return usagef("give one of --deposit, --licence, --commodity or --oblast")
	}
	if w.Kind == nadra.WatchOblast {
		if code := nadra.OblastCode(w.Target); code != "" {
			w.Target = code
		}
	}
	if *within != "" {
		v, err := parseKm("--within-km", *within)
		if err != nil {
			return err
		}
		w.WithinKm = &v
	}
	if *rate != "" {
		v, ok := decimal.Parse(strings.TrimSpace(*rate))
		if !ok {
			return nadra.Errorf(nadra.EINVALID, "--approach-km-per-month: %q is not a decimal number of km a month", nadra.Truncate(*rate, 40))
		}
		w.ApproachKmPerMonth = &v
	}
	var secret []byte
	generated := false
	switch {
	case *hook == "" && *secretFile != "":
		return usagef("--webhook-secret-file needs --webhook")
	case *hook != "":
		if err := nadra.ValidateWebhookURL(*hook); err != nil {
			return translateWatchErr(err)
		}
		if *secretFile != "" {
			b, err := readFile(ctx, *secretFile, m.Stdin, kindSecret)
			if err != nil {
				return err
			}
			secret = bytes.TrimRight(b, "\r\n")
		} else {
			secret = make([]byte, nadra.WebhookSecretSize)
			rand.Read(secret)
			secret = []byte(hex.EncodeToString(secret))
			generated = true
		}
		w.Webhook = &nadra.Webhook{URL: *hook, Secret: secret}
	}
	if err := w.Validate(); err != nil {
		return translateWatchErr(err)
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	if _, err := m.watches(); err != nil {
		return err
	}
	if err := m.Watches.CreateWatch(ctx, w); err != nil {
		return translateWatchErr(err)
	}
	if *asJSON {
		return writeJSON(m.Stdout, watchView(w))
	}
	since := w.Since
	if since == "" {
		since = "none yet"
	}
	fprintf(m.Stdout, "watch %d: %s; snapshots after %s fire events\n", w.ID, w.Describe(), since)
	if w.Webhook != nil {
		fprintf(m.Stdout, "webhook: %s\n", nadra.RedactURL(w.Webhook.URL))
		if generated {
			fprintf(m.Stdout, "webhook secret (shown once; check each POST's %s header with it): %s\n", webhook.SignatureHeader, secret)
		}
	}
	m.printWatchNow(ctx, w)
	return nil
}

// translateWatchErr names the flags where the store names the fields.
func translateWatchErr(err error) error {
	msg := nadra.ErrorMessage(err)
	for field, flag := range map[string]string{"within_km:": "--within-km:", "approach_km_per_month:": "--approach-km-per-month:",
		"webhook:": "--webhook:", "webhook secret:": "--webhook-secret-file:", "note:": "--note:"} {
		if strings.HasPrefix(msg, field) {
			return nadra.Errorf(nadra.ErrorCode(err), "%s%s", flag, strings.TrimPrefix(msg, field))
		}
	}
	for _, k := range nadra.WatchKinds {
		if strings.HasPrefix(msg, k+":") {
			return nadra.Errorf(nadra.ErrorCode(err), "--%s", msg)
		}
	}
	return err
}

// printWatchNow says where the watched assets stand on the latest snapshot.
func (m *Main) printWatchNow(ctx context.Context, w *nadra.Watch) {
	series, _, err := m.riskSeries(ctx, w.Since)
	if err != nil {
		return
	}
	licences, _ := m.Licences.FindLicences(ctx, nadra.LicenceFilter{})
	assets := watch.Assets(w, series, licences)
	if len(assets) == 0 {
		fprintf(m.Stdout, "it covers no located deposit now: nothing can fire until one is\n")
		return
	}
	fprintf(m.Stdout, "now (snapshot %s), from each uncertainty circle:\n", assets[0].Risk.Latest.Date)
	for i, a := range assets {
		if i == 10 {
			fprintf(m.Stdout, "  … and %d more\n", len(assets)-10)
			break
		}
		p := a.Risk.Latest
		within := ""
		if w.WithinKm != nil && p.DistanceKm <= *w.WithinKm {
			within = " (already within the radius: an event fires when the front leaves it and comes back)"
		}
		fprintf(m.Stdout, "  %s: %s, %s km%s\n", a.Risk.ID, p.Status, km2(p.DistanceKm), within)
	}
}

// watchOut is a watch as list and add print it: the webhook's URL
// redacted, its secret never.
type watchOut struct {
	*nadra.Watch
	Webhook string `json:"webhook"`
}

func watchView(w *nadra.Watch) watchOut {
	o := watchOut{Watch: w}
	if w.Webhook != nil {
		o.Webhook = nadra.RedactURL(w.Webhook.URL)
	}
	return o
}

func (m *Main) runWatchList(ctx context.Context, args []string) error {
	fs := m.flags("watch list", "Usage: nadra watch list [--json]\n\nLists the watches; webhook URLs are shown as scheme and host only.")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	if _, err := m.watches(); err != nil {
		return err
	}
	ws, err := m.Watches.FindWatches(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := []watchOut{}
		for _, w := range ws {
			out = append(out, watchView(w))
		}
		return writeJSON(m.Stdout, out)
	}
	if len(ws) == 0 {
		fprintf(m.Stdout, "No watches; add one with `nadra watch add`.\n")
		return nil
	}
	t := newTab(m.Stdout)
	fprintf(t, "ID\tWATCHES\tSINCE\tWEBHOOK\tNOTE\n")
	for _, w := range ws {
		v := watchView(w)
		fprintf(t, "%d\t%s\t%s\t%s\t%s\n", w.ID, w.Describe(), orDash(w.Since), orDash(v.Webhook), w.Note)
	}
	return t.Flush()
}

func (m *Main) runWatchRm(ctx context.Context, args []string) error {
	fs := m.flags("watch rm", "Usage: nadra watch rm ID\n\nRemoves a watch. Its events, and their deliveries, stay as a record.")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("expected one watch ID")
	}
	id, ok := decimal.Whole(pos[0])
	if !ok || id < 1 {
		return nadra.Errorf(nadra.EINVALID, "%q is not a watch id; expected a whole number such as 3 (see nadra watch list)", nadra.Truncate(pos[0], 40))
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	if _, err := m.watches(); err != nil {
		return err
	}
	if err := m.Watches.DeleteWatch(ctx, int64(id)); err != nil {
		return err
	}
	fprintf(m.Stdout, "watch %d removed; its events stay\n", id)
	return nil
}

const watchEventsHelp = `Usage: nadra watch events [--watch ID] [--limit N] [--json]

The events the watches fired, newest first: the snapshot that fired each,
the asset, what happened, and the webhook delivery's state.`

func (m *Main) runWatchEvents(ctx context.Context, args []string) error {
	fs := m.flags("watch events", watchEventsHelp)
	watchID := fs.String("watch", "", "only the events of watch `ID`")
	limit := fs.String("limit", "50", "at most `N` events (1 to 10000)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	f := nadra.EventFilter{}
	n, ok := decimal.Whole(*limit)
	if !ok || n < 1 || n > 10000 {
		return nadra.Errorf(nadra.EINVALID, "--limit: %q; expected a whole number from 1 to 10000", nadra.Truncate(*limit, 40))
	}
	f.Limit = n
	if *watchID != "" {
		id, ok := decimal.Whole(*watchID)
		if !ok || id < 1 {
			return nadra.Errorf(nadra.EINVALID, "--watch: %q is not a watch id; expected a whole number such as 3", nadra.Truncate(*watchID, 40))
		}
		f.WatchID = int64(id)
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	if _, err := m.watches(); err != nil {
		return err
	}
	evs, total, err := m.Watches.FindEvents(ctx, f)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(m.Stdout, struct {
			Total  int                `json:"total"`
			Events []nadra.WatchEvent `json:"events"`
		}{total, evs})
	}
	if len(evs) == 0 {
		fprintf(m.Stdout, "No events yet.\n")
		return nil
	}
	fprintf(m.Stdout, "%d events (newest first%s)\n", total, map[bool]string{true: fmt.Sprintf(", %d shown", len(evs)), false: ""}[len(evs) < total])
	t := newTab(m.Stdout)
	fprintf(t, "ID\tWATCH\tSNAPSHOT\tKIND\tASSET\tKM\tWEBHOOK\tWHAT\n")
	for _, e := range evs {
		asset := e.DepositID
		if e.LicenceID != "" {
			asset = e.LicenceID + " (" + e.DepositID + ")"
		}
		fprintf(t, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.WatchID, e.Date, e.Kind, asset, km2(e.DistanceKm), orDash(e.Delivery), e.Message)
	}
	return t.Flush()
}

func (m *Main) runWatchCheck(ctx context.Context, args []string) error {
	fs := m.flags("watch check", "Usage: nadra watch check\n\nLooks for events in the snapshots stored after each watch was added, stores the new ones and tries their webhooks once. Every import of control snapshots does this by itself.")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	if _, err := m.watches(); err != nil {
		return err
	}
	evs, err := m.checkWatches(ctx)
	if err != nil {
		return err
	}
	fprintf(m.Stdout, "%d new events\n", len(evs))
	for _, e := range evs {
		fprintf(m.Stdout, "  watch %d: %s\n", e.WatchID, e.Message)
	}
	m.deliverNow(ctx)
	return nil
}

func (m *Main) runWatchDeliver(ctx context.Context, args []string) error {
	fs := m.flags("watch deliver", "Usage: nadra watch deliver\n\nTries once each webhook delivery that is due (new, or whose retry time has come). nadra serve does this in the background.")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	if _, err := m.watches(); err != nil {
		return err
	}
	delivered, tried, err := m.deliverNow(ctx)
	if err != nil {
		return err
	}
	fprintf(m.Stdout, "%d deliveries tried, %d delivered\n", tried, delivered)
	return nil
}

// checkWatches evaluates every watch against the snapshots stored after
// it was added and stores the new events (queueing their webhook
// deliveries). It measures only from the snapshot before the earliest
// watch's Since, so its cost follows the new snapshots, not the history.
func (m *Main) checkWatches(ctx context.Context) ([]nadra.WatchEvent, error) {
	if m.Watches == nil {
		return nil, nil // a store without watches has none to check
	}
	ws, err := m.Watches.FindWatches(ctx)
	if err != nil || len(ws) == 0 {
		return nil, err
	}
	minSince := ws[0].Since
	for _, w := range ws {
		minSince = min(minSince, w.Since)
	}
	infos, err := m.Snapshots.FindSnapshots(ctx)
	if err != nil {
		return nil, err
	}
	from, newer := "", false
	for _, i := range infos {
		if i.Date <= minSince {
			from = i.Date
		} else {
			newer = true
		}
	}
	if !newer {
		return nil, nil
	}
	series, _, err := m.riskSeries(ctx, from)
	if err != nil {
		return nil, err
	}
	licences, err := m.Licences.FindLicences(ctx, nadra.LicenceFilter{})
	if err != nil {
		return nil, err
	}
	var evs []nadra.WatchEvent
	for _, w := range ws {
		evs = append(evs, watch.Evaluate(w, series, licences)...)
	}
	return m.Watches.AddEvents(ctx, evs)
}

// afterImport runs the watches after snapshots were imported: it reports
// the new events on standard error and tries their webhooks once.
func (m *Main) afterImport(ctx context.Context) {
	evs, err := m.checkWatches(ctx)
	if err != nil {
		fmt.Fprintf(m.Stderr, "nadra: watches: %s\n", oneLine(nadra.ErrorMessage(err)))
		return
	}
	if len(evs) == 0 {
		return
	}
	fmt.Fprintf(m.Stderr, "nadra: %d new watch events (nadra watch events):\n", len(evs))
	for _, e := range evs {
		fmt.Fprintf(m.Stderr, "  watch %d: %s\n", e.WatchID, e.Message)
	}
	m.deliverNow(ctx)
}

// cliDeliveryBudget bounds how long a command waits for webhooks.
const cliDeliveryBudget = 30 * time.Second

// deliverNow tries each due delivery once, within cliDeliveryBudget;
// failures are retried later by nadra serve or nadra watch deliver.
func (m *Main) deliverNow(ctx context.Context) (delivered, tried int, err error) {
	if m.Watches == nil {
		return 0, 0, nil
	}
	ctx, cancel := context.WithTimeout(ctx, cliDeliveryBudget)
	defer cancel()
	d := &webhook.Deliverer{Store: m.Watches, Now: m.Now, UserAgent: "nadra/" + Version,
		Logger: slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	return d.DeliverDue(ctx)
}

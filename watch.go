package nadra

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Watch kinds: what a watch follows. Persisted: append only.
const (
	WatchDeposit   = "deposit"   // one deposit
	WatchLicence   = "licence"   // one licence, through its deposit
	WatchCommodity = "commodity" // every located deposit with the commodity
	WatchOblast    = "oblast"    // every located deposit in the oblast
)

// WatchKinds lists the kinds.
var WatchKinds = []string{WatchDeposit, WatchLicence, WatchCommodity, WatchOblast}

// Event kinds: what a new snapshot did. Persisted and sent over the wire:
// append only.
const (
	EventWithin   = "within"   // the front came within the watch's radius
	EventStatus   = "status"   // the asset's status changed
	EventApproach = "approach" // the front approached faster than the watch's rate
)

// Limits on watches.
const (
	MaxWatches        = 1000 // watches in one database
	MaxWebhookURLLen  = 2048
	MinWebhookSecret  = 16  // bytes
	MaxWebhookSecret  = 256 // bytes
	MaxWatchNoteLen   = 200
	WebhookSecretSize = 32 // bytes of a generated secret
)

// Watch follows one asset (or every deposit of a commodity or an oblast)
// and fires an event when a new control snapshot brings the front within
// WithinKm of it, changes its status, or shows the front approaching
// faster than ApproachKmPerMonth. Distances are those of the risk series:
// from the deposit's uncertainty circle.
type Watch struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Target string `json:"target"` // deposit or licence id, commodity code, oblast code
	// WithinKm, if not nil, fires EventWithin when the distance falls to
	// it or below from above it.
	WithinKm *float64 `json:"within_km"`
	// StatusChange fires EventStatus on any change of status.
	StatusChange bool `json:"status_change"`
	// ApproachKmPerMonth, if not nil, fires EventApproach when the front
	// approaches faster than this.
	ApproachKmPerMonth *float64 `json:"approach_km_per_month"`
	// Since is the latest snapshot when the watch was added: only
	// snapshots dated after it fire events, so that adding a watch, or
	// importing old snapshots, does not replay history.
	Since string `json:"since"`
	Note  string `json:"note"`
	// Webhook is where events are POSTed; nil for none. Its URL and
	// secret are user data: stored, never logged or served in full.
	Webhook   *Webhook  `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// Webhook is a receiver of a watch's events.
type Webhook struct {
	URL    string
	Secret []byte // signs each POST's body with HMAC-SHA256
}

// Describe says what the watch follows and when it fires, in a phrase.
func (w *Watch) Describe() string {
	var conds []string
	if w.WithinKm != nil {
		conds = append(conds, "within "+strconv.FormatFloat(*w.WithinKm, 'f', -1, 64)+" km")
	}
	if w.StatusChange {
		conds = append(conds, "status change")
	}
	if w.ApproachKmPerMonth != nil {
		conds = append(conds, "approach faster than "+strconv.FormatFloat(*w.ApproachKmPerMonth, 'f', -1, 64)+" km/month")
	}
	return w.Kind + " " + w.Target + ": " + strings.Join(conds, ", ")
}

// Validate returns an EINVALID error "field: problem" for the first bad
// field. It does not check that the target exists; the store does.
func (w *Watch) Validate() error {
	switch {
	case !oneOf(w.Kind, WatchKinds):
		return Errorf(EINVALID, "kind: %q unknown; expected %s", Truncate(w.Kind, 40), strings.Join(WatchKinds, ", "))
	case w.Target == "":
		return Errorf(EINVALID, "%s: required", w.Kind)
	case w.Kind == WatchOblast && (!oblastRE.MatchString(w.Target) || Oblasts[w.Target] == ""):
		return Errorf(EINVALID, "oblast: %q is not an ISO 3166-2:UA code such as UA-14", Truncate(w.Target, 40))
	case w.Kind != WatchOblast && (len(w.Target) > MaxIDLen || !(slugRE.MatchString(w.Target) || commodityCode.MatchString(w.Target))):
		return Errorf(EINVALID, "%s: %q is not an id; expected lowercase letters, digits and hyphens (or underscores for a commodity), at most %d characters", w.Kind, Truncate(w.Target, 40), MaxIDLen)
	case w.WithinKm == nil && w.ApproachKmPerMonth == nil && !w.StatusChange:
		return Errorf(EINVALID, "the watch fires on nothing: give --within-km, --approach-km-per-month, or keep --status-change")
	}
	if w.WithinKm != nil {
		if err := CheckKm("within_km", *w.WithinKm); err != nil {
			return err
		}
	}
	if w.ApproachKmPerMonth != nil {
		if v := *w.ApproachKmPerMonth; !(v >= 0 && v <= MaxApproachKmPerMonth) {
			return Errorf(EINVALID, "approach_km_per_month: %g out of range; expected 0 to %g km a month", v, MaxApproachKmPerMonth)
		}
	}
	if w.Since != "" {
		if _, err := ParseDate(w.Since); err != nil {
			return Errorf(EINVALID, "since: %s", ErrorMessage(err))
		}
	}
	if err := checkLen("note", w.Note, MaxWatchNoteLen); err != nil {
		return err
	}
	if w.Webhook != nil {
		if err := ValidateWebhookURL(w.Webhook.URL); err != nil {
			return err
		}
		if n := len(w.Webhook.Secret); n < MinWebhookSecret || n > MaxWebhookSecret {
			return Errorf(EINVALID, "webhook secret: %d bytes; expected %d to %d", n, MinWebhookSecret, MaxWebhookSecret)
		}
	}
	return nil
}

// OblastCode returns the ISO code of an oblast given by code (UA-14) or
// English name (Donetsk), or "".
func OblastCode(s string) string {
	if Oblasts[strings.ToUpper(s)] != "" {
		return strings.ToUpper(s)
	}
	for code, name := range Oblasts {
		if strings.EqualFold(name, s) {
			return code
		}
	}
	return ""
}

// CheckKm checks a radius in km: a finite number from 0 to MaxRiskKm.
func CheckKm(field string, v float64) error {
	if !(v >= 0 && v <= MaxRiskKm) {
		return Errorf(EINVALID, "%s: %g out of range; expected 0 to %g km", field, v, MaxRiskKm)
	}
	return nil
}

// ValidateWebhookURL checks a webhook's URL: absolute http or https, with
// a host, no user name or password in it, no fragment, at most
// MaxWebhookURLLen bytes. Errors never quote the URL in full.
func ValidateWebhookURL(s string) error {
	if len(s) > MaxWebhookURLLen {
		return Errorf(EINVALID, "webhook: the URL is %d bytes long; at most %d allowed", len(s), MaxWebhookURLLen)
	}
	if !utf8.ValidString(s) || strings.ContainsAny(s, " \t\r\n") {
		return Errorf(EINVALID, "webhook: not a URL (spaces or control characters)")
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return Errorf(EINVALID, "webhook: not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return Errorf(EINVALID, "webhook: the scheme is %q; expected http or https", Truncate(u.Scheme, 20))
	case u.Host == "" || u.Hostname() == "":
		return Errorf(EINVALID, "webhook: no host; expected http://HOST/PATH or https://HOST/PATH")
	case u.User != nil:
		return Errorf(EINVALID, "webhook: the URL holds a user name or password; the signature authenticates nadra, so leave them out")
	case u.Fragment != "" || strings.Contains(s, "#"):
		return Errorf(EINVALID, "webhook: the URL has a fragment (#...), which is never sent")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return Errorf(EINVALID, "webhook: port %q out of range; expected 1 to 65535", Truncate(p, 10))
		}
	}
	return nil
}

// RedactURL returns a URL safe to log or show: its scheme and host, and
// "/…" when it had more. The path and query may hold a token.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "(a URL)"
	}
	out := u.Scheme + "://" + u.Host
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		out += "/…"
	}
	return out
}

// WatchEvent is what a new snapshot did to a watched asset.
type WatchEvent struct {
	ID        int64  `json:"id"`
	WatchID   int64  `json:"watch_id"`
	Kind      string `json:"kind"` // within, status, approach
	DepositID string `json:"deposit_id"`
	Name      string `json:"name"` // the deposit's
	// LicenceID is the licence a licence watch follows; "" otherwise.
	LicenceID string `json:"licence_id,omitempty"`
	// Date is the snapshot that fired the event; Prev the one before it.
	Date       string `json:"date"`
	Prev       string `json:"prev"`
	Status     Status `json:"status"`
	PrevStatus Status `json:"prev_status"`
	// DistanceKm is from the deposit's uncertainty circle, as in the risk
	// series; PrevDistanceKm on the snapshot before.
	DistanceKm         float64  `json:"distance_km"`
	PrevDistanceKm     float64  `json:"prev_distance_km"`
	ApproachKmPerMonth *float64 `json:"approach_km_per_month"`
	// Threshold is the watch's radius (within) or rate (approach).
	Threshold *float64  `json:"threshold"`
	Message   string    `json:"message"`
	CreatedAt time.Time `json:"created_at"`
	// Delivery is the webhook delivery's state: "" without a webhook,
	// else pending, delivered or failed.
	Delivery string `json:"delivery,omitempty"`
}

// Delivery states. Persisted: append only.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed" // gave up after the last retry
)

// Delivery is one webhook POST of one event, with its retries.
type Delivery struct {
	ID       int64
	EventID  int64
	WatchID  int64
	State    string
	Attempts int
	NextAt   time.Time // when the next attempt is due
	Webhook  Webhook
	Event    *WatchEvent
}

// DeliveryAttempt records one try.
type DeliveryAttempt struct {
	DeliveryID int64     `json:"delivery_id"`
	Attempt    int       `json:"attempt"`
	At         time.Time `json:"at"`
	StatusCode int       `json:"status_code"` // 0 when no response
	Error      string    `json:"error"`       // never holds the URL in full
	DurationMs int64     `json:"duration_ms"`
}

// EventFilter narrows FindEvents. Zero fields mean "any".
type EventFilter struct {
	WatchID int64
	Offset  int
	Limit   int // 0: no limit
}

// WatchService stores watches, their events and the webhook deliveries.
type WatchService interface {
	// CreateWatch stores a watch and sets its ID and CreatedAt. EINVALID
	// for a bad watch or an unknown target, ECONFLICT past MaxWatches.
	CreateWatch(ctx context.Context, w *Watch) error
	// FindWatches lists the watches by id, with their webhooks.
	FindWatches(ctx context.Context) ([]*Watch, error)
	// DeleteWatch removes a watch; its events stay, as a record. ENOTFOUND
	// when there is none.
	DeleteWatch(ctx context.Context, id int64) error
	// AddEvents stores the events that are not stored yet (by watch,
	// deposit, snapshot date and kind) and queues a delivery for each new
	// one whose watch has a webhook, in one transaction. It returns the
	// new events with their ids.
	AddEvents(ctx context.Context, events []WatchEvent) ([]WatchEvent, error)
	// FindEvents returns events, newest first, and the total matching.
	FindEvents(ctx context.Context, f EventFilter) ([]WatchEvent, int, error)
	// DueDeliveries returns up to limit pending deliveries due at now.
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error)
	// RecordAttempt stores an attempt and the delivery's new state and
	// next time.
	RecordAttempt(ctx context.Context, a DeliveryAttempt, state string, next time.Time) error
	// FindAttempts returns the attempts to deliver an event, in order.
	FindAttempts(ctx context.Context, eventID int64) ([]DeliveryAttempt, error)
	// FeedKey returns the database's permanent, random feed key, which
	// names its Atom feed for good (watch.FeedID).
	FeedKey(ctx context.Context) (string, error)
}

// FetchRun is one background fetch of new control snapshots.
type FetchRun struct {
	ID         int64     `json:"id"`
	Source     string    `json:"source"` // the API's base URL
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	OK         bool      `json:"ok"`
	Imported   int       `json:"imported"` // snapshots added or changed
	Skipped    int       `json:"skipped"`  // seen before
	Failed     int       `json:"failed"`   // refused
	Events     int       `json:"events"`   // watch events it fired
	Error      string    `json:"error"`
	Latest     string    `json:"latest"` // the latest snapshot after the run
}

// FetchService records fetch runs.
type FetchService interface {
	// RecordFetch stores a finished run and sets its ID.
	RecordFetch(ctx context.Context, r *FetchRun) error
	// LastFetches returns the last successful run (nil if none) and the
	// last run (nil if none).
	LastFetches(ctx context.Context) (lastOK, last *FetchRun, err error)
}

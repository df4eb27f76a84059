// Package webhook delivers watch events to the receivers users name: each
// event is POSTed as JSON, signed with HMAC-SHA256 over the body with the
// watch's secret (Sign, Verify), retried with exponential backoff until
// it is delivered or MaxAttempts have failed, and every attempt is
// recorded through the store. Delivery runs on its own goroutine
// (Deliverer.Run), so the server it runs beside never waits for it.
//
// Webhook URLs and secrets are user data: this package never logs a URL
// in full (nadra.RedactURL) nor a secret at all.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"nadra"
)

// Headers of a delivery. Receivers read them: never rename.
const (
	// SignatureHeader holds "sha256=" and the hex HMAC-SHA256 of the
	// request body under the watch's secret.
	SignatureHeader = "X-Nadra-Signature-256"
	// EventHeader holds the event's id; DeliveryHeader the delivery's,
	// the same on every retry, so a receiver can drop duplicates.
	EventHeader    = "X-Nadra-Event"
	DeliveryHeader = "X-Nadra-Delivery"
)

// Sign returns the value of SignatureHeader for body under secret.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether header is body's signature under secret, in
// constant time. Receivers written in Go can use it as it is.
func Verify(secret, body []byte, header string) bool {
	got, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	sig, err := hex.DecodeString(got)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hmac.Equal(sig, m.Sum(nil))
}

// Payload is the JSON body of a delivery.
type Payload struct {
	Delivery int64            `json:"delivery"`
	Attempt  int              `json:"attempt"`
	SentAt   time.Time        `json:"sent_at"`
	Event    nadra.WatchEvent `json:"event"`
}

// Store is what a Deliverer reads and records; sqlite.WatchService
// implements it.
type Store interface {
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]nadra.Delivery, error)
	RecordAttempt(ctx context.Context, a nadra.DeliveryAttempt, state string, next time.Time) error
}

// Defaults of a Deliverer.
const (
	DefaultMaxAttempts = 8
	DefaultTimeout     = 10 * time.Second
	DefaultFirstRetry  = 30 * time.Second
	DefaultMaxRetry    = time.Hour
	// batch is how many due deliveries one pass takes.
	batch = 50
)

// Deliverer POSTs due deliveries. The zero value of each field but Store
// takes its default.
type Deliverer struct {
	Store  Store
	Client *http.Client // default: DefaultTimeout, redirects not followed
	Now    func() time.Time
	Logger *slog.Logger
	// MaxAttempts is how many attempts a delivery gets before it fails
	// for good.
	MaxAttempts int
	// Backoff is the wait after the attempt-th failure; by default
	// DefaultFirstRetry doubled at each failure, at most DefaultMaxRetry
	// (30 s, 1 min, 2 min, … 1 h: eight attempts span about two hours).
	Backoff   func(attempt int) time.Duration
	UserAgent string
}

// Backoff is the default wait after the n-th failed attempt.
func Backoff(n int) time.Duration {
	d := DefaultFirstRetry
	for i := 1; i < n && d < DefaultMaxRetry; i++ {
		d *= 2
	}
	return min(d, DefaultMaxRetry)
}

func (d *Deliverer) client() *http.Client {
	if d.Client != nil {
		return d.Client
	}
	return &http.Client{Timeout: DefaultTimeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (d *Deliverer) now() time.Time {
	if d.Now != nil {
		return d.Now().UTC()
	}
	return time.Now().UTC()
}

func (d *Deliverer) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// DeliverDue makes one attempt at each delivery due now, and returns how
// many it delivered and how many it tried. An error is the store's.
func (d *Deliverer) DeliverDue(ctx context.Context) (delivered, tried int, err error) {
	due, err := d.Store.DueDeliveries(ctx, d.now(), batch)
	if err != nil {
		return 0, 0, err
	}
	for _, dl := range due {
		if ctx.Err() != nil {
			break
		}
		ok, err := d.attempt(ctx, dl)
		if err != nil {
			return delivered, tried, err
		}
		tried++
		if ok {
			delivered++
		}
	}
	return delivered, tried, nil
}

// attempt POSTs one delivery and records the attempt.
func (d *Deliverer) attempt(ctx context.Context, dl nadra.Delivery) (bool, error) {
	max := d.MaxAttempts
	if max <= 0 {
		max = DefaultMaxAttempts
	}
	backoff := d.Backoff
	if backoff == nil {
		backoff = Backoff
	}
	n := dl.Attempts + 1
	start := d.now()
	body, err := json.Marshal(Payload{Delivery: dl.ID, Attempt: n, SentAt: start, Event: *dl.Event})
	if err != nil {
		return false, err
	}
	rec := nadra.DeliveryAttempt{DeliveryID: dl.ID, Attempt: n, At: start}
	code, perr := d.post(ctx, dl, body)
	rec.StatusCode, rec.DurationMs = code, d.now().Sub(start).Milliseconds()
	state, next := nadra.DeliveryDelivered, time.Time{}
	target := nadra.RedactURL(dl.Webhook.URL)
	if perr != nil {
		rec.Error = nadra.Truncate(perr.Error(), 300)
		state, next = nadra.DeliveryPending, start.Add(backoff(n))
		if n >= max {
			state = nadra.DeliveryFailed
		}
	}
	if ctx.Err() != nil && perr != nil {
		// Stopped by shutdown, not by the receiver: not an attempt.
		return false, nil
	}
	if err := d.Store.RecordAttempt(context.WithoutCancel(ctx), rec, state, next); err != nil {
		return false, err
	}
	log := d.logger().With("delivery", dl.ID, "event", dl.EventID, "watch", dl.WatchID, "url", target, "attempt", n)
	switch state {
	case nadra.DeliveryDelivered:
		log.Info("webhook delivered", "status", code)
	case nadra.DeliveryFailed:
		log.Error("webhook failed for good", "status", code, "err", rec.Error)
	default:
		log.Warn("webhook failed; will retry", "status", code, "err", rec.Error, "retry_at", next.Format(time.RFC3339))
	}
	return state == nadra.DeliveryDelivered, nil
}

// post sends body and returns the response's status; an error for a
// failed request or a status other than 2xx. The error never holds the
// URL.
func (d *Deliverer) post(ctx context.Context, dl nadra.Delivery, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, dl.Webhook.URL, bytes.NewReader(body))
	if err != nil {
		return 0, errors.New("the webhook URL cannot be requested")
	}
	ua := d.UserAgent
	if ua == "" {
		ua = "nadra-webhook"
	}
	req.Header.Set("User-Agent", ua)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, Sign(dl.Webhook.Secret, body))
	req.Header.Set(EventHeader, strconv.FormatInt(dl.EventID, 10))
	req.Header.Set(DeliveryHeader, strconv.FormatInt(dl.ID, 10))
	resp, err := d.client().Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // *url.Error quotes the whole URL
		}
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
			return 0, errors.New("no answer within the timeout")
		}
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("the receiver answered %s", resp.Status)
	}
	return resp.StatusCode, nil
}

// Run delivers what is due every poll, and at once when wake receives,
// until ctx ends. Store errors are logged and retried at the next poll.
func (d *Deliverer) Run(ctx context.Context, poll time.Duration, wake <-chan struct{}) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if _, _, err := d.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			d.logger().Error("webhook deliveries", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
	}
}

package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"nadra"
	"nadra/sqlite"
	"nadra/webhook"
)

func TestSignVerify(t *testing.T) {
	// HMAC-SHA256 test case 2 of RFC 4231: key "Jefe", data "what do ya
	// want for nothing?".
	want := "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	if got := webhook.Sign([]byte("Jefe"), []byte("what do ya want for nothing?")); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	for _, tt := range []struct {
		name   string
		header string
		ok     bool
	}{
		{"OK", want, true},
		{"OtherBody", webhook.Sign([]byte("Jefe"), []byte("what do ya want for nothing!")), false},
		{"OtherKey", webhook.Sign([]byte("Jeff"), []byte("what do ya want for nothing?")), false},
		{"NoPrefix", strings.TrimPrefix(want, "sha256="), false},
		{"NotHex", "sha256=zz", false},
		{"Empty", "", false},
	} {
		if got := webhook.Verify([]byte("Jefe"), []byte("what do ya want for nothing?"), tt.header); got != tt.ok {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.ok)
		}
	}
}

func TestBackoff(t *testing.T) {
	// 30 s doubled at each failure, at most an hour.
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour}
	for i, w := range want {
		if got := webhook.Backoff(i + 1); got != w {
			t.Errorf("after failure %d: %v, want %v", i+1, got, w)
		}
	}
}

// receiver is an httptest server that checks each delivery's signature
// and answers with the next of its statuses (the last one repeated).
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	delay    time.Duration
	got      []webhook.Payload
	badSig   int
}

func newReceiver(t *testing.T, secret []byte, statuses ...int) *receiver {
	rc := &receiver{statuses: statuses}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || r.URL.Query().Get("token") != "s3cr3t-path-token" {
			http.Error(w, "bad request", 400)
			return
		}
		if !webhook.Verify(secret, body, r.Header.Get(webhook.SignatureHeader)) {
			rc.badSig++
			http.Error(w, "bad signature", 401)
			return
		}
		var p webhook.Payload
		json.Unmarshal(body, &p)
		if r.Header.Get(webhook.EventHeader) == "" || r.Header.Get(webhook.DeliveryHeader) == "" {
			http.Error(w, "no ids", 400)
			return
		}
		rc.got = append(rc.got, p)
		st := rc.statuses[0]
		if len(rc.statuses) > 1 {
			rc.statuses = rc.statuses[1:]
		}
		if rc.delay > 0 {
			time.Sleep(rc.delay)
		}
		w.WriteHeader(st)
	}))
	t.Cleanup(rc.Close)
	return rc
}

// setup stores a watch with a webhook to url and one event for it.
func setup(t *testing.T, url string, secret []byte) (*sqlite.WatchService, nadra.WatchEvent) {
	t.Helper()
	ctx := context.Background()
	db := sqlite.NewDB(":memory:")
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := sqlite.NewWatchService(db)
	w := &nadra.Watch{Kind: nadra.WatchOblast, Target: "UA-35", StatusChange: true, Webhook: &nadra.Webhook{URL: url, Secret: secret}}
	if err := s.CreateWatch(ctx, w); err != nil {
		t.Fatal(err)
	}
	evs, err := s.AddEvents(ctx, []nadra.WatchEvent{{WatchID: w.ID, Kind: nadra.EventStatus, DepositID: "dobra", Name: "Dobra", Date: "2026-09-01",
		Prev: "2026-08-22", Status: nadra.StatusGrey, PrevStatus: nadra.StatusControlled, Message: "Dobra: controlled → grey."}})
	if err != nil || len(evs) != 1 {
		t.Fatal(err, evs)
	}
	return s, evs[0]
}

// clock is a settable time.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func TestDeliverer_SignedAndRecorded(t *testing.T) {
	secret := []byte("a secret of at least 16 bytes")
	rc := newReceiver(t, secret, 500, 502, 204)
	s, ev := setup(t, rc.URL+"/hook?token=s3cr3t-path-token", secret)
	var logs bytes.Buffer
	c := &clock{time.Now().UTC().Add(time.Minute)}
	d := &webhook.Deliverer{Store: s, Now: c.Now, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	ctx := context.Background()

	// Attempt 1 fails (500): retried 30 s later, not before.
	if n, tried, err := d.DeliverDue(ctx); err != nil || n != 0 || tried != 1 {
		t.Fatalf("first pass: %d delivered, %d tried, %v", n, tried, err)
	}
	c.t = c.t.Add(29 * time.Second)
	if _, tried, _ := d.DeliverDue(ctx); tried != 0 {
		t.Fatalf("retried before its backoff")
	}
	// Attempt 2 (502) at 30 s; attempt 3 a minute after that (204).
	c.t = c.t.Add(time.Second)
	d.DeliverDue(ctx)
	c.t = c.t.Add(59 * time.Second)
	if _, tried, _ := d.DeliverDue(ctx); tried != 0 {
		t.Fatalf("retried before the doubled backoff")
	}
	c.t = c.t.Add(time.Second)
	if n, _, _ := d.DeliverDue(ctx); n != 1 {
		t.Fatalf("third attempt not delivered")
	}
	if rc.badSig != 0 || len(rc.got) != 3 {
		t.Fatalf("receiver: %d bad signatures, %d good deliveries", rc.badSig, len(rc.got))
	}
	p := rc.got[2]
	if p.Attempt != 3 || p.Event.ID != ev.ID || p.Event.Message != "Dobra: controlled → grey." || p.Event.Status != nadra.StatusGrey {
		t.Fatalf("payload %+v", p)
	}
	atts, _ := s.FindAttempts(ctx, ev.ID)
	if len(atts) != 3 || atts[0].StatusCode != 500 || atts[1].StatusCode != 502 || atts[2].StatusCode != 204 || atts[2].Error != "" {
		t.Fatalf("attempts %+v", atts)
	}
	evs, _, _ := s.FindEvents(ctx, nadra.EventFilter{})
	if evs[0].Delivery != nadra.DeliveryDelivered {
		t.Fatalf("delivery %q", evs[0].Delivery)
	}
	// The log names the host, never the path's token or the secret.
	for _, leak := range []string{"s3cr3t-path-token", "/hook", string(secret)} {
		if strings.Contains(logs.String(), leak) {
			t.Fatalf("the log holds %q:\n%s", leak, logs.String())
		}
	}
	if !strings.Contains(logs.String(), "webhook delivered") || !strings.Contains(logs.String(), rc.URL+"/…") {
		t.Fatalf("log:\n%s", logs.String())
	}
}

func TestDeliverer_WrongSecretAndGivingUp(t *testing.T) {
	rc := newReceiver(t, []byte("the receiver's secret, not ours"), 204)
	s, ev := setup(t, rc.URL+"/hook?token=s3cr3t-path-token", []byte("a secret of at least 16 bytes"))
	c := &clock{time.Now().UTC().Add(time.Minute)}
	d := &webhook.Deliverer{Store: s, Now: c.Now, MaxAttempts: 3}
	for i := 0; i < 5; i++ {
		d.DeliverDue(context.Background())
		c.t = c.t.Add(time.Hour)
	}
	if rc.badSig != 3 {
		t.Fatalf("receiver saw %d bad signatures, want 3 (MaxAttempts)", rc.badSig)
	}
	atts, _ := s.FindAttempts(context.Background(), ev.ID)
	evs, _, _ := s.FindEvents(context.Background(), nadra.EventFilter{})
	if len(atts) != 3 || atts[2].StatusCode != 401 || evs[0].Delivery != nadra.DeliveryFailed {
		t.Fatalf("attempts %+v, state %q", atts, evs[0].Delivery)
	}
}

func TestDeliverer_Timeout(t *testing.T) {
	secret := []byte("a secret of at least 16 bytes")
	rc := newReceiver(t, secret, 204)
	rc.delay = time.Second
	s, ev := setup(t, rc.URL+"/hook?token=s3cr3t-path-token", secret)
	d := &webhook.Deliverer{Store: s, Client: &http.Client{Timeout: 200 * time.Millisecond}}
	start := time.Now()
	if n, tried, err := d.DeliverDue(context.Background()); n != 0 || tried != 1 || err != nil {
		t.Fatalf("%d %d %v", n, tried, err)
	}
	if el := time.Since(start); el > 900*time.Millisecond {
		t.Fatalf("the attempt took %v, past its timeout", el)
	}
	atts, _ := s.FindAttempts(context.Background(), ev.ID)
	if len(atts) != 1 || atts[0].StatusCode != 0 || atts[0].Error != "no answer within the timeout" {
		t.Fatalf("attempts %+v", atts)
	}
}

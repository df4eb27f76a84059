package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"nadra"
	"nadra/dataset"
	"nadra/geo"
	"nadra/internal/wire"
	"nadra/server"
	"nadra/sqlite"
	"nadra/webhook"

	"github.com/paulmach/orb"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden and the recorded DeepState responses in testdata/deepstate")

// The recorded DeepState responses (testdata/deepstate): a raw layer of
// the embedded snapshot of 2026-08-22 with one made-up occupied square
// about 28 km north of Vovchanske, as DeepState would serve it on
// 2026-09-01. A test fixture, not a fact: see testdata/deepstate/README.md.
const (
	fixtureDeposit = "vovchanske"
	fixtureDate    = "2026-09-01"
	// The square's southern edge is fixtureNorth degrees of latitude north
	// of the deposit's point; it is fixtureSide degrees wide and high.
	fixtureNorth = 0.25
	fixtureSide  = 0.1
)

// fixtureID is DeepState's history id of the fixture: Unix seconds.
var fixtureID = time.Date(2026, 9, 1, 18, 0, 0, 0, time.UTC).Unix()

// deepstateLayer writes a snapshot as a DeepState raw layer: features
// classified by fill, positions [lon, lat, 0].
func deepstateLayer(s *nadra.Snapshot) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	first := true
	for _, l := range []struct {
		fill, name string
		mp         orb.MultiPolygon
	}{{"#a52714", "Окуповано /// Occupied", s.Occupied}, {"#880e4f", "ОРДЛО /// ORDLO", s.Pre2022}} {
		for _, poly := range l.mp {
			if !first {
				b.WriteString(",\n")
			}
			first = false
			fmt.Fprintf(&b, `{"type":"Feature","properties":{"fill":%q,"name":%q},"geometry":{"type":"Polygon","coordinates":[`, l.fill, l.name)
			for i, ring := range poly {
				if i > 0 {
					b.WriteString(",")
				}
				b.WriteString("[")
				for j, p := range ring {
					if j > 0 {
						b.WriteString(",")
					}
					fmt.Fprintf(&b, "[%s,%s,0]", strconv.FormatFloat(p[0], 'f', -1, 64), strconv.FormatFloat(p[1], 'f', -1, 64))
				}
				b.WriteString("]")
			}
			b.WriteString("]}}")
		}
	}
	b.WriteString("\n]}\n")
	return b.Bytes()
}

// fixtureDeposit returns the deposit the fixture's square approaches.
func mustDeposit(t *testing.T, id string) *nadra.Deposit {
	t.Helper()
	ds, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds.Deposits {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("no deposit %s in the dataset", id)
	return nil
}

// fixtureSnapshot is the embedded 2026-08-22 snapshot with the square.
func fixtureSnapshot(t *testing.T) *nadra.Snapshot {
	t.Helper()
	ds, err := dataset.Default()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := dataset.Boundaries()
	base := ds.Snapshots[len(ds.Snapshots)-1]
	if base.Date != "2026-08-22" {
		t.Fatalf("the latest embedded snapshot is %s; update the fixture", base.Date)
	}
	d := mustDeposit(t, fixtureDeposit)
	lat0, lon0 := *d.Lat+fixtureNorth, *d.Lon-fixtureSide/2
	sq := orb.Polygon{{{lon0, lat0}, {lon0 + fixtureSide, lat0}, {lon0 + fixtureSide, lat0 + fixtureSide}, {lon0, lat0 + fixtureSide}, {lon0, lat0}}}
	// The square must lie on controlled ground, well away from the front,
	// so that it is the nearest hostile ground to the deposit.
	c := geo.NewClassifier(base, b)
	for _, p := range append(sq[0], orb.Point{lon0 + fixtureSide/2, lat0 + fixtureSide/2}) {
		if st, _ := c.Status(p); st != nadra.StatusControlled || c.HostileKm(p) < 15 {
			t.Fatalf("the square's corner %v is %s, %.1f km from hostile ground", p, st, c.HostileKm(p))
		}
	}
	s := *base
	s.Occupied = append(append(orb.MultiPolygon{}, base.Occupied...), sq)
	return &s
}

// TestFetchFixtures keeps testdata/deepstate in step with the generator
// (go test -run TestFetchFixtures -update rewrites it).
func TestFetchFixtures(t *testing.T) {
	want := deepstateLayer(fixtureSnapshot(t))
	path := filepath.Join("testdata", "deepstate", strconv.FormatInt(fixtureID, 10)+".geojson")
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s is not what the generator writes (%v); run go test ./cmd/nadra -run TestFetchFixtures -update", path, err)
	}
}

// meridianKm is the length of the meridian from lat to lat+dlat degrees
// on the WGS84 ellipsoid, by the radius of curvature at the middle,
// M = a(1−e²)/(1−e² sin²φ)^(3/2): within millimetres over a quarter
// degree.
func meridianKm(lat, dlat float64) float64 {
	const a, e2 = 6378.137, 0.00669437999014
	phi := (lat + dlat/2) * math.Pi / 180
	s := math.Sin(phi)
	return a * (1 - e2) / math.Pow(1-e2*s*s, 1.5) * dlat * math.Pi / 180
}

// deepstateServer replays recorded DeepState responses; its history list
// is the phase's.
type deepstateServer struct {
	*httptest.Server
	mu      sync.Mutex
	list    string        // the /api/history/public body
	delay   time.Duration // before answering the list: a timeout
	files   map[string][]byte
	fetched []string
}

func newDeepstateServer(t *testing.T) *deepstateServer {
	ds := &deepstateServer{files: map[string][]byte{}}
	ds.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ds.mu.Lock()
		list, delay := ds.list, ds.delay
		ds.mu.Unlock()
		switch {
		case r.URL.Path == "/api/history/public":
			if delay > 0 {
				select {
				case <-time.After(delay):
				case <-r.Context().Done():
					return
				}
			}
			io.WriteString(w, list)
		case strings.HasPrefix(r.URL.Path, "/api/history/") && strings.HasSuffix(r.URL.Path, "/geojson"):
			id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/history/"), "/geojson")
			ds.mu.Lock()
			body, ok := ds.files[id]
			ds.fetched = append(ds.fetched, id)
			ds.mu.Unlock()
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Write(body)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(ds.Close)
	return ds
}

func (ds *deepstateServer) phase(delay time.Duration, ids ...int64) {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	var entries []string
	for _, id := range ids {
		entries = append(entries, fmt.Sprintf(`{"id":%d,"datetime":%q}`, id, time.Unix(id, 0).UTC().Format(time.RFC3339)))
	}
	ds.list, ds.delay, ds.fetched = "["+strings.Join(entries, ",")+"]", delay, nil
}

// TestFetcher plays serve --fetch-every's background fetch against
// recorded DeepState responses: a new snapshot (imported; it brings the
// front within a watch's radius, and the event reaches the webhook
// receiver, signed, and the Atom feed), a broken one (refused, nothing
// changes), a duplicate (skipped), and a timeout (recorded as a failure;
// the last successful update stays).
func TestFetcher(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "nadra.db")
	mustSeed(t, path)

	// A webhook receiver that checks signatures with the watch's secret.
	secret := "a watch secret, 32 bytes or so.."
	os.WriteFile(filepath.Join(dir, "secret"), []byte(secret+"\n"), 0o600)
	var mu sync.Mutex
	var got []webhook.Payload
	bad := 0
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if !webhook.Verify([]byte(secret), body, r.Header.Get(webhook.SignatureHeader)) {
			bad++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var p webhook.Payload
		json.Unmarshal(body, &p)
		got = append(got, p)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer recv.Close()
	out, _ := runMain(t, path, nil, "watch", "add", "--deposit", fixtureDeposit, "--within-km", "10",
		"--webhook", recv.URL+"/nadra?key=not-for-logs", "--webhook-secret-file", filepath.Join(dir, "secret"))
	if !strings.Contains(out, "watch 1: deposit vovchanske: within 10 km, status change; snapshots after 2026-08-22 fire events") ||
		!strings.Contains(out, "vovchanske: controlled, 29.23 km") || strings.Contains(out, "not-for-logs") || strings.Contains(out, secret) {
		t.Fatalf("watch add:\n%s", out)
	}

	layer, err := os.ReadFile(filepath.Join("testdata", "deepstate", strconv.FormatInt(fixtureID, 10)+".geojson"))
	if err != nil {
		t.Fatal(err)
	}
	brokenID := fixtureID + 86400 // 2026-09-02: the same layer cut off half way
	dupID := fixtureID + 2*86400  // 2026-09-03: the same bytes as 2026-09-01
	ds := newDeepstateServer(t)
	ds.files[strconv.FormatInt(fixtureID, 10)] = layer
	ds.files[strconv.FormatInt(brokenID, 10)] = layer[:len(layer)/2]
	ds.files[strconv.FormatInt(dupID, 10)] = layer

	m, _, _ := newTestMain(path)
	m.Now = func() time.Time { return time.Date(2026, 9, 4, 6, 0, 0, 0, time.UTC) }
	if err := m.open(ctx); err != nil {
		t.Fatal(err)
	}
	m.DB.(*sqlite.DB).Now = m.Now // one clock for the events' times and the deliveries' due times
	defer m.Close()
	var logs syncBuffer
	f := newFetcher(m, ds.URL, time.Hour, slog.New(slog.NewTextHandler(&logs, nil)))
	f.client.Timeout = 300 * time.Millisecond
	snapshots := func() []nadra.SnapshotInfo {
		infos, err := m.Snapshots.FindSnapshots(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return infos
	}
	before := len(snapshots())

	// A new snapshot: imported in one run, firing the watch.
	ds.phase(0, fixtureID-86400*10, fixtureID) // an older entry (before the latest stored) is not fetched
	r := f.once(ctx)
	if !r.OK || r.Imported != 1 || r.Failed != 0 || r.Events != 1 || r.Latest != fixtureDate || strings.Join(ds.fetched, ",") != strconv.FormatInt(fixtureID, 10) {
		t.Fatalf("new snapshot: %+v, fetched %v\n%s", r, ds.fetched, logs.String())
	}
	infos := snapshots()
	if len(infos) != before+1 || infos[len(infos)-1].Date != fixtureDate || !strings.Contains(infos[len(infos)-1].Source, ds.URL) {
		t.Fatalf("snapshots after the fetch: %d (was %d), latest %+v", len(infos), before, infos[len(infos)-1])
	}
	evs, _, err := m.Watches.FindEvents(ctx, nadra.EventFilter{})
	if err != nil || len(evs) != 1 {
		t.Fatalf("events %v %+v", err, evs)
	}
	// By hand: the square's southern edge is 0.25° of the meridian north
	// of the point, 27.8 km; less the deposit's 20 km precision.
	d := mustDeposit(t, fixtureDeposit)
	wantKm := math.Round((math.Round(meridianKm(*d.Lat, fixtureNorth)*100)/100-*d.PrecisionKm)*100) / 100
	e := evs[0]
	if e.Kind != nadra.EventWithin || e.DepositID != fixtureDeposit || e.Date != fixtureDate || e.Prev != "2026-08-22" ||
		math.Abs(e.DistanceKm-wantKm) > 0.011 || e.PrevDistanceKm != 29.23 || e.Delivery != nadra.DeliveryPending {
		t.Fatalf("event %+v, want within %s at %.2f km", e, fixtureDeposit, wantKm)
	}
	// The webhook: delivered, signed, recorded.
	dl := &webhook.Deliverer{Store: m.Watches, Now: m.Now}
	if n, tried, err := dl.DeliverDue(ctx); n != 1 || tried != 1 || err != nil || bad != 0 || len(got) != 1 || got[0].Event.ID != e.ID || got[0].Event.DistanceKm != e.DistanceKm {
		t.Fatalf("delivery: %d of %d, %v; receiver: %d bad, %+v", n, tried, err, bad, got)
	}
	// The Atom feed and the JSON, as nadra serve serves them.
	h := testHandler(t, m)
	feed := get(t, h, "/feed.atom")
	if !strings.Contains(feed, "<title type=\"text\">Vovchanske: the front within 10 km ("+strconv.FormatFloat(e.DistanceKm, 'f', -1, 64)+" km), 2026-09-01</title>") {
		t.Fatalf("feed:\n%s", feed)
	}
	if js := get(t, h, "/api/v1/watch/events"); !strings.Contains(js, `"delivery":"delivered"`) {
		t.Fatalf("events JSON: %s", js)
	}

	// A broken snapshot: refused whole; the data stays as it was.
	ds.phase(0, fixtureID, brokenID)
	r = f.once(ctx)
	if r.OK || r.Imported != 0 || r.Failed != 1 || !strings.Contains(r.Error, "not valid JSON") || len(snapshots()) != before+1 {
		t.Fatalf("broken: %+v, %d snapshots", r, len(snapshots()))
	}
	if strings.Join(ds.fetched, ",") != strconv.FormatInt(brokenID, 10) {
		t.Fatalf("fetched %v: the snapshot already imported was fetched again", ds.fetched)
	}
	// A duplicate: the same content under another day is skipped.
	ds.phase(0, fixtureID, dupID)
	r = f.once(ctx)
	if !r.OK || r.Imported != 0 || r.Skipped != 1 || len(snapshots()) != before+1 {
		t.Fatalf("duplicate: %+v", r)
	}
	// A timeout: a failure, logged; the last success stays.
	ds.phase(2*time.Second, fixtureID, dupID)
	start := time.Now()
	r = f.once(ctx)
	if r.OK || !strings.Contains(r.Error, "Timeout") || time.Since(start) > 1500*time.Millisecond {
		t.Fatalf("timeout: %+v after %v", r, time.Since(start))
	}
	lastOK, last, err := m.Watches.LastFetches(ctx)
	if err != nil || lastOK == nil || lastOK.Skipped != 1 || last.ID == lastOK.ID || last.OK {
		t.Fatalf("last fetches: %+v %+v %v", lastOK, last, err)
	}
	if page := get(t, h, "/map"); !strings.Contains(page, "Last successful update from DeepStateMap: 2026-09-04 06:00 UTC (0 new snapshots).") ||
		!strings.Contains(page, "failed and is being retried") {
		t.Fatalf("the map page does not say when the data was last updated")
	}
	for _, leak := range []string{"not-for-logs", secret} {
		if strings.Contains(logs.String(), leak) {
			t.Fatalf("the log holds %q", leak)
		}
	}
	if ev2, _, _ := m.Watches.FindEvents(ctx, nadra.EventFilter{}); len(ev2) != 1 {
		t.Fatalf("%d events after the later runs, want still 1", len(ev2))
	}
}

// TestFetcher_Backoff: after failures in a row the next run comes 1, 2,
// 4 … minutes later, at most the interval; after a success, the interval.
func TestFetcher_Backoff(t *testing.T) {
	f := &fetcher{every: 24 * time.Hour, firstRetry: time.Minute}
	for _, tt := range []struct {
		failures int
		want     time.Duration
	}{{0, 24 * time.Hour}, {1, time.Minute}, {2, 2 * time.Minute}, {3, 4 * time.Minute}, {11, 1024 * time.Minute}, {12, 24 * time.Hour}, {40, 24 * time.Hour}} {
		if got := f.nextWait(tt.failures); got != tt.want {
			t.Errorf("after %d failures: %v, want %v", tt.failures, got, tt.want)
		}
	}
}

// testHandler is nadra serve's handler over m's database.
func testHandler(t *testing.T, m *Main) http.Handler {
	t.Helper()
	s := server.NewServer()
	if err := wire.Server(s, m.stores()); err != nil {
		t.Fatal(err)
	}
	s.Watches, s.Fetches = m.Watches, m.Watches
	var err error
	if s.FeedKey, err = m.Watches.FeedKey(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s.Handler()
}

func get(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "http://nadra.test"+path, nil))
	if rec.Code != 200 {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.String())
	}
	return rec.Body.String()
}

// syncBuffer is a log destination safe for goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

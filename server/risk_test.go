package server_test

import (
	"context"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"nadra"
	"nadra/mock"
	"nadra/server"
)

type riskJSON struct {
	Measure   string
	From, To  string
	Snapshots int
	Deposits  []struct {
		ID          string
		PrecisionKm float64 `json:"precision_km"`
		Licences    []string
		Latest      struct {
			Date       string
			Status     string
			DistanceKm float64 `json:"distance_km"`
		}
		Series []struct {
			Date               string
			Status             string
			DistanceKm         float64  `json:"distance_km"`
			PointKm            float64  `json:"point_km"`
			ApproachKmPerMonth *float64 `json:"approach_km_per_month"`
		}
	}
	Licences []struct {
		ID        string
		DepositID string `json:"deposit_id"`
		Latest    *struct {
			DistanceKm float64 `json:"distance_km"`
		}
	}
	Unlocated []string
}

// TestAPI_Risk: every located deposit has a series over every snapshot,
// each point's circle distance is its point distance less precision_km,
// and deposits come closest first. The licences come from the register.
func TestAPI_Risk(t *testing.T) {
	lic := &mock.LicenceService{FindLicencesFn: func(context.Context, nadra.LicenceFilter) ([]*nadra.Licence, error) {
		return []*nadra.Licence{{ID: "dobra-psa", Kind: nadra.LicencePSA, DepositID: "dobra"}, {ID: "elsewhere", Kind: nadra.LicenceSpecialPermit}}, nil
	}}
	s := MustOpenServer(t, func(s *server.Server) { s.Licences = lic })
	var rep riskJSON
	s.Get(t, "/api/v1/risk").JSON(t, &rep)
	var deps struct{ Deposits []struct{ Lat *float64 } }
	s.Get(t, "/api/v1/deposits?limit=1000").JSON(t, &deps)
	located := 0
	for _, d := range deps.Deposits {
		if d.Lat != nil {
			located++
		}
	}
	var snaps struct{ Snapshots []struct{ Date string } }
	s.Get(t, "/api/v1/snapshots").JSON(t, &snaps)
	if len(rep.Deposits) != located || len(rep.Deposits)+len(rep.Unlocated) != len(deps.Deposits) || rep.Snapshots != len(snaps.Snapshots) || rep.To != "2026-08-22" {
		t.Fatalf("%d series for %d located deposits, %d unlocated, %d snapshots to %s", len(rep.Deposits), located, len(rep.Unlocated), rep.Snapshots, rep.To)
	}
	if !strings.Contains(rep.Measure, "uncertainty circle") {
		t.Fatalf("measure %q", rep.Measure)
	}
	for i, d := range rep.Deposits {
		if len(d.Series) != len(snaps.Snapshots) {
			t.Fatalf("%s: %d points", d.ID, len(d.Series))
		}
		if i > 0 && d.Latest.DistanceKm < rep.Deposits[i-1].Latest.DistanceKm {
			t.Fatalf("%s (%.2f km) after %s (%.2f km)", d.ID, d.Latest.DistanceKm, rep.Deposits[i-1].ID, rep.Deposits[i-1].Latest.DistanceKm)
		}
		for _, p := range d.Series {
			want := p.PointKm - d.PrecisionKm
			if want < 0 {
				want = 0
			}
			if diff := p.DistanceKm - want; diff > 0.011 || diff < -0.011 {
				t.Fatalf("%s %s: circle %.2f, point %.2f − %.2f", d.ID, p.Date, p.DistanceKm, p.PointKm, d.PrecisionKm)
			}
		}
	}
	if len(rep.Licences) != 2 || rep.Licences[0].ID != "dobra-psa" || rep.Licences[0].Latest == nil || rep.Licences[1].Latest != nil {
		t.Fatalf("licences %+v", rep.Licences)
	}

	// One deposit, with its licence.
	s.Get(t, "/api/v1/risk?deposit=dobra").JSON(t, &rep)
	if len(rep.Deposits) != 1 || rep.Deposits[0].ID != "dobra" || len(rep.Deposits[0].Licences) != 1 || len(rep.Licences) != 1 {
		t.Fatalf("dobra: %+v", rep)
	}
	// Within 10 km: only deposits at most 10 km away, none farther.
	s.Get(t, "/api/v1/risk?within_km=10").JSON(t, &rep)
	if len(rep.Deposits) == 0 {
		t.Fatalf("no deposit within 10 km")
	}
	for _, d := range rep.Deposits {
		if d.Latest.DistanceKm > 10 {
			t.Fatalf("%s at %.2f km", d.ID, d.Latest.DistanceKm)
		}
	}
	for _, tt := range []struct {
		path, code, want string
		status           int
	}{
		{"/api/v1/risk?deposit=atlantis", "not_found", `no deposit "atlantis"`, 404},
		{"/api/v1/risk?deposit=" + rep.Unlocated[0], "invalid", "has no coordinates", 400},
		{"/api/v1/risk?within_km=-1", "invalid", "within_km: -1 out of range", 400},
		{"/api/v1/risk?within_km=0x10", "invalid", `"0x10" is not a decimal`, 400},
		{"/api/v1/risk?within_km=NaN", "invalid", "not a decimal", 400},
		{"/api/v1/risk?within_km=1e9", "invalid", "out of range", 400},
	} {
		s.Get(t, tt.path).Err(t, tt.status, tt.code, tt.want)
	}
}

// TestMap_Closest: the table ranks the deposits not occupied by distance,
// follows the date, and filters by commodity.
func TestMap_Closest(t *testing.T) {
	s := MustOpenServer(t, nil)
	r := s.Get(t, "/map/closest?date=2025-06-15&commodity=lithium")
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	body := string(r.Body)
	// On 2025-06-01 (the snapshot in force) Shevchenkivske is controlled
	// and the closest lithium deposit; a month later it is occupied and
	// leaves the table.
	if !strings.Contains(body, `data-snapshot="2025-06-01"`) || !strings.Contains(body, `<tr data-id="shevchenkivske"`) {
		t.Fatalf("2025-06: %s", body)
	}
	if strings.Index(body, `data-id="shevchenkivske"`) > strings.Index(body, `data-id="dobra"`) {
		t.Fatalf("shevchenkivske is not ranked before dobra")
	}
	if body := string(s.Get(t, "/map/closest?date=2025-07-15&commodity=lithium").Body); strings.Contains(body, `data-id="shevchenkivske"`) {
		t.Fatalf("occupied shevchenkivske still in the table")
	}
	s.Get(t, "/map/closest?commodity=unobtainium").Err(t, 400, "invalid", `unknown commodity "unobtainium"`)
	s.Get(t, "/map/closest?date=2025-02-30").Err(t, 400, "invalid", "date")
	// The map page has the table and says when the data was updated.
	page := string(s.Get(t, "/map").Body)
	for _, want := range []string{`id="closest"`, "Closest to the front", "Automatic updates are off", "Latest control snapshot: 2026-08-22"} {
		if !strings.Contains(page, want) {
			t.Fatalf("map page lacks %q", want)
		}
	}
}

func testEvents() []nadra.WatchEvent {
	at := time.Date(2026, 9, 2, 6, 0, 0, 0, time.UTC)
	ten := 10.0
	return []nadra.WatchEvent{
		{ID: 7, WatchID: 2, Kind: nadra.EventWithin, DepositID: "dobra", Name: "Dobra", Date: "2026-09-01", Prev: "2026-08-22",
			Status: nadra.StatusControlled, PrevStatus: nadra.StatusControlled, DistanceKm: 8, PrevDistanceKm: 30, Threshold: &ten,
			Message: "The front is 8 km from the uncertainty circle of Dobra.", CreatedAt: at, Delivery: nadra.DeliveryDelivered},
	}
}

// TestAPI_WatchEvents serves the events as JSON and as an Atom feed.
func TestAPI_WatchEvents(t *testing.T) {
	var asked []nadra.EventFilter
	ws := &mock.WatchService{FindEventsFn: func(_ context.Context, f nadra.EventFilter) ([]nadra.WatchEvent, int, error) {
		asked = append(asked, f)
		return testEvents(), 1, nil
	}}
	fetches := &mock.FetchService{LastFetchesFn: func(context.Context) (*nadra.FetchRun, *nadra.FetchRun, error) {
		ok := &nadra.FetchRun{ID: 3, OK: true, Imported: 1, FinishedAt: time.Date(2026, 9, 2, 6, 0, 0, 0, time.UTC), Latest: "2026-09-01"}
		bad := &nadra.FetchRun{ID: 4, Error: "timeout", FinishedAt: time.Date(2026, 9, 3, 6, 0, 0, 0, time.UTC)}
		return ok, bad, nil
	}}
	s := MustOpenServer(t, func(s *server.Server) {
		s.Watches, s.Fetches, s.FeedKey, s.FetchEvery = ws, fetches, "00112233445566778899aabbccddeeff", 24*time.Hour
	})
	var list struct {
		Total  int
		Events []struct {
			ID       int64
			Kind     string
			Delivery string
			Message  string
		}
	}
	s.Get(t, "/api/v1/watch/events?watch=2&limit=5").JSON(t, &list)
	if list.Total != 1 || list.Events[0].ID != 7 || list.Events[0].Delivery != "delivered" || asked[0] != (nadra.EventFilter{WatchID: 2, Limit: 5}) {
		t.Fatalf("%+v, asked %+v", list, asked)
	}
	r := s.Get(t, "/feed.atom")
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("%d %q", r.Status, r.Header.Get("Content-Type"))
	}
	var feed struct {
		XMLName xml.Name
		ID      string `xml:"id"`
		Links   []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Entries []struct {
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(r.Body, &feed); err != nil {
		t.Fatal(err)
	}
	if feed.XMLName.Local != "feed" || len(feed.Entries) != 1 || !strings.Contains(feed.Entries[0].Title, "Dobra") ||
		feed.Links[0].Href != s.URL()+"/feed.atom" || !strings.HasPrefix(feed.ID, "urn:uuid:") {
		t.Fatalf("feed %+v", feed)
	}
	// The feed's id is the database's, whatever the host.
	if r2 := s.Get(t, "/feed.atom"); !strings.Contains(string(r2.Body), feed.ID) {
		t.Fatalf("the feed's id changed")
	}
	for _, tt := range []struct{ path, want string }{
		{"/api/v1/watch/events?watch=abc", `"abc" is not a watch id`},
		{"/api/v1/watch/events?watch=-1", "not a watch id"},
		{"/api/v1/watch/events?limit=0", "limit"},
		{"/feed.atom?watch=0x1", "not a watch id"},
		{"/feed.atom?foo=1", "unknown parameter"},
	} {
		s.Get(t, tt.path).Err(t, 400, "invalid", tt.want)
	}
	// The dashboard: last successful update, and that the last failed.
	page := string(s.Get(t, "/map").Body)
	for _, want := range []string{"Last successful update from DeepStateMap: 2026-09-02 06:00 UTC (1 new snapshots)", "failed and is being retried", "Updates every 24h0m0s"} {
		if !strings.Contains(page, want) {
			t.Fatalf("map page lacks %q", want)
		}
	}
	var u struct {
		FetchEvery  string             `json:"fetch_every"`
		LastSuccess struct{ ID int64 } `json:"last_success"`
	}
	s.Get(t, "/api/v1/updates").JSON(t, &u)
	if u.FetchEvery != "24h0m0s" || u.LastSuccess.ID != 3 {
		t.Fatalf("updates %+v", u)
	}
}

// TestAPI_WatchEvents_NoService: a server without watches says so.
func TestAPI_WatchEvents_NoService(t *testing.T) {
	s := MustOpenServer(t, nil)
	s.Get(t, "/api/v1/watch/events").Err(t, 404, "not_found", "keeps no watches")
	s.Get(t, "/feed.atom").Err(t, 404, "not_found", "keeps no watches")
}

package server_test

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// visibleDeposits returns the ids of the rows the deposits page shows
// without script (rows without the hidden attribute), in page order.
func visibleDeposits(t *testing.T, html string) []string {
	t.Helper()
	row := regexp.MustCompile(`<tr( hidden)? data-name="[^"]*"[^>]*>\s*<th scope="row"><a href="/deposits/([^"?]+)`)
	var ids []string
	for _, m := range row.FindAllStringSubmatch(html, -1) {
		if m[1] == "" {
			ids = append(ids, m[2])
		}
	}
	return ids
}

// TestDepositsPage_URLState checks that the deposits page renders the
// view its URL names without script: the filters, the sort and the date
// come from the query, and the rows shown are those the JSON API returns
// for the same filters.
func TestDepositsPage_URLState(t *testing.T) {
	s := MustOpenServer(t, nil)
	n := shipped(t).Deposits
	type apiList struct {
		Total    int
		Deposits []struct {
			ID         string
			DistanceKm *float64 `json:"distance_km"`
		}
	}
	for _, tt := range []struct{ page, api string }{
		{"/deposits?commodity=lithium&status=occupied", "/api/v1/deposits?commodity=lithium&status=occupied&limit=1000"},
		{"/deposits?commodity=Lithium&status=controlled&date=2022-04-03", "/api/v1/deposits?commodity=lithium&status=controlled&date=2022-04-03&limit=1000"},
		{"/deposits?status=unknown&sort=oblast", "/api/v1/deposits?status=unknown&limit=1000"},
		{"/deposits?q=shevchenk", "/api/v1/deposits?q=shevchenk&limit=1000"},
	} {
		r := s.Get(t, tt.page)
		if r.Status != 200 {
			t.Fatalf("%s: %d", tt.page, r.Status)
		}
		var want apiList
		s.Get(t, tt.api).JSON(t, &want)
		got := visibleDeposits(t, string(r.Body))
		if len(want.Deposits) == 0 || len(want.Deposits) == n {
			t.Fatalf("%s: the API returns %d deposits; pick filters that select some but not all", tt.api, len(want.Deposits))
		}
		var wantIDs []string
		for _, d := range want.Deposits {
			wantIDs = append(wantIDs, d.ID)
		}
		g, w := append([]string(nil), got...), wantIDs
		sort.Strings(g)
		sort.Strings(w)
		if strings.Join(g, " ") != strings.Join(w, " ") {
			t.Errorf("%s shows %v, want the API's %v", tt.page, g, w)
		}
		// The count says how many of all.
		count := regexp.MustCompile(`<p id="count"[^>]*>([^<]*)</p>`).FindStringSubmatch(string(r.Body))
		wantCount := strconv.Itoa(len(wantIDs)) + " of " + strconv.Itoa(n) + " deposits"
		if count == nil || count[1] != wantCount {
			t.Errorf("%s: count %q, want %q", tt.page, count, wantCount)
		}
	}

	// The controls show the state, so that the form submits it again.
	body := string(s.Get(t, "/deposits?commodity=lithium&status=occupied&q=don&sort=value&dir=desc&date=2025-02-12").Body)
	for _, want := range []string{`<option value="lithium" selected>`, `<option value="occupied" selected>`, `name="q" value="don"`,
		`id="sort-key" name="sort" value="value"`, `id="sort-dir" name="dir" value="desc"`, `<option value="2025-02-01" selected>`,
		`aria-sort="descending"><button type="button" data-key="value"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}

	// Sorted by distance, descending, on the server: distances fall down
	// the page, and deposits without one come last.
	var all apiList
	s.Get(t, "/api/v1/deposits?limit=1000").JSON(t, &all)
	dist := map[string]*float64{}
	for _, d := range all.Deposits {
		dist[d.ID] = d.DistanceKm
	}
	ids := visibleDeposits(t, string(s.Get(t, "/deposits?sort=distance&dir=desc").Body))
	if len(ids) != n {
		t.Fatalf("%d rows, want %d", len(ids), n)
	}
	for i := 1; i < len(ids); i++ {
		a, b := dist[ids[i-1]], dist[ids[i]]
		if a == nil && b != nil || a != nil && b != nil && *a < *b {
			t.Fatalf("by distance, descending: %s (%v) before %s (%v)", ids[i-1], a, ids[i], b)
		}
	}

	// Bad state is a 400 that names the parameter.
	for _, tt := range []struct{ path, want string }{
		{"/deposits?status=lost", "status: &#34;lost&#34; is not one of controlled, occupied, grey, unknown"},
		{"/deposits?sort=colour", "sort: &#34;colour&#34; is not a column"},
		{"/deposits?dir=up", "dir: &#34;up&#34;; expected asc or desc"},
		{"/deposits?commodity=unobtainium", "commodity: no deposit holds &#34;unobtainium&#34;"},
	} {
		r := s.Get(t, tt.path)
		if r.Status != 400 || !strings.Contains(string(r.Body), tt.want) {
			t.Errorf("%s: %d, want 400 with %q", tt.path, r.Status, tt.want)
		}
	}
}

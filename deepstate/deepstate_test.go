package deepstate_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"nadra/deepstate"
	"nadra/geo"
)

// TestClientDays: the last snapshot of each UTC day within the range,
// in date order, with the raw layer's URL, and the count the API listed.
func TestClientDays(t *testing.T) {
	// 1735689600 is 2025-01-01T00:00:00Z; +86400 is the next day.
	const day0 = 1735689600
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/history/public" || r.Header.Get("User-Agent") != "test/1" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintf(w, `[{"id":%d},{"id":%d},{"id":%d},{"id":%d}]`, day0+3600, day0+7200, day0+86400+60, day0+2*86400)
	}))
	defer srv.Close()
	c := &deepstate.Client{BaseURL: srv.URL + "/", UserAgent: "test/1"}
	tests := []struct {
		from, to string
		want     []deepstate.Snapshot
	}{
		{"", "", []deepstate.Snapshot{
			{day0 + 7200, "2025-01-01", fmt.Sprintf("%s/api/history/%d/geojson", srv.URL, day0+7200)},
			{day0 + 86400 + 60, "2025-01-02", fmt.Sprintf("%s/api/history/%d/geojson", srv.URL, day0+86400+60)},
			{day0 + 2*86400, "2025-01-03", fmt.Sprintf("%s/api/history/%d/geojson", srv.URL, day0+2*86400)},
		}},
		{"2025-01-02", "2025-01-02", []deepstate.Snapshot{
			{day0 + 86400 + 60, "2025-01-02", fmt.Sprintf("%s/api/history/%d/geojson", srv.URL, day0+86400+60)},
		}},
	}
	for _, tt := range tests {
		got, listed, err := c.Days(context.Background(), tt.from, tt.to)
		if err != nil || listed != 4 || fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Fatalf("Days(%q, %q) = %v, %d, %v; want %v, 4", tt.from, tt.to, got, listed, err, tt.want)
		}
	}
	if _, err := c.Get(context.Background(), srv.URL+"/nowhere"); err == nil {
		t.Fatalf("a 404 is not an error")
	}
}

func ExampleFill() {
	for _, fill := range []string{"#a52714", "#880E4F", "#bdbdbd", "#0f9d58"} {
		fmt.Printf("%s %q\n", fill, deepstate.Fill(fill))
	}
	// Output:
	// #a52714 "occupied"
	// #880E4F "occupied_pre2022"
	// #bdbdbd "grey"
	// #0f9d58 ""
}

func ExampleClassify() {
	fc, err := geo.DecodeFeatureCollection([]byte(`{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"fill":"#a52714"},"geometry":{"type":"Polygon","coordinates":[[[37,47],[38,47],[38,48],[37,48],[37,47]]]}},
		{"type":"Feature","properties":{"fill":"#0f9d58"},"geometry":{"type":"Polygon","coordinates":[[[36,47],[37,47],[37,48],[36,48],[36,47]]]}}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	l := deepstate.Classify(fc)
	fmt.Println(len(l.Occupied), len(l.Pre2022), len(l.Grey), l.GreyKnown)
	// Output: 1 0 0 true
}
